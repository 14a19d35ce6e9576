"""Comparison of run folders: its numbers equal each run's own summary files."""

from __future__ import annotations

import pandas as pd
import pytest

from restvarme.report.compare import compare_runs, population_of, write_comparison
from restvarme.report.figures import key_figures


def summary(run_dir) -> dict[str, pd.DataFrame]:
    """The CSV summaries ``restvarme run`` wrote into the folder."""
    return {
        name: pd.read_csv(run_dir / f"{name}.csv", index_col=0)
        for name in ("costs", "emissions", "networks", "waste_heat", "units")
    }


def test_numbers_equal_each_runs_own_summary(short_runs):
    dirs = [d for _, d in short_runs]
    comparison = compare_runs(dirs)
    assert comparison.labels == ["Lund 2 weeks", "Lund 2 weeks without ESS heat pumps"]
    for label, run_dir in zip(comparison.labels, dirs, strict=True):
        own = summary(run_dir)
        col = comparison.table[label]
        nets_heat = own["networks"]  # demand is the load: customers' demand and network losses
        delivered = (
            nets_heat["heat_demand_mwh"]
            - nets_heat["heat_loss_mwh"]
            - nets_heat["unserved_heat_mwh"]
        ).sum()
        waste = own["waste_heat"][["direct_mwh", "preheat_mwh", "heat_pump_mwh"]].to_numpy().sum()
        # Lund has district cooling: intensity and cost per MWh are per MWh of heat and cooling
        nets = pd.read_csv(run_dir / "cooling_networks.csv", index_col=0)
        served = delivered + (nets["cooling_demand_mwh"] - nets["unserved_cooling_mwh"]).sum()
        # The CSVs hold 6 significant digits.
        assert col["total_cost_eur"] == pytest.approx(own["costs"]["eur"].sum(), rel=1e-5)
        assert col["emissions_t"] == pytest.approx(own["emissions"]["t_co2e"].sum(), rel=1e-5)
        assert col["heat_delivered_mwh"] == pytest.approx(delivered, rel=1e-5)
        assert col["unserved_heat_mwh"] == pytest.approx(
            own["networks"]["unserved_heat_mwh"].sum(), abs=1e-3
        )
        # intensity and cost per MWh are those of the heat and cooling sectors (Lund's buses,
        # biogas and electrolyser are other sectors: restvarme.report.figures)
        sectors = pd.read_csv(run_dir / "emissions_by_sector.csv", index_col=0)["emissions_t"]
        assert col["emission_intensity_g_per_kwh"] == pytest.approx(
            (sectors["heat"] + sectors["cooling"]) / served * 1000, rel=1e-5
        )
        assert col["waste_heat_share"] == pytest.approx(waste / delivered, rel=1e-5)
        # cost per MWh: the heat and cooling rows of costs_by_sector.csv plus the costs placed
        # on no unit, over heat + cooling delivered (restvarme.report.figures); the sector rows
        # add up to the cost items
        by_sector = pd.read_csv(run_dir / "costs_by_sector.csv", index_col=0)["eur"]
        assert by_sector.sum() == pytest.approx(own["costs"]["eur"].sum(), rel=1e-5)
        heat_and_cooling = by_sector[["heat", "cooling", "heat_and_cooling_unplaced"]].sum()
        assert col["cost_eur_per_mwh"] == pytest.approx(heat_and_cooling / served, rel=1e-5)
        assert col["hours"] == 336
        produced = own["units"].loc[own["units"]["type"] != "storage", "heat_mwh"].clip(lower=0)
        assert comparison.mix[label].sum() == pytest.approx(produced.sum(), rel=1e-5)


def test_the_variant_without_heat_pumps_uses_less_waste_heat(short_runs):
    comparison = compare_runs([d for _, d in short_runs])
    base, variant = comparison.labels
    share = comparison.table.loc["waste_heat_share"]
    assert share[variant] < share[base]
    assert (
        comparison.mix.loc["Heat pump, waste heat", variant]
        < comparison.mix.loc["Heat pump, waste heat", base]
    )
    # Taking away units can only make the optimum dearer.
    assert (
        comparison.table.loc["total_cost_eur", variant]
        >= comparison.table.loc["total_cost_eur", base] - 1e-6
    )


def test_html_page_shows_the_same_numbers(short_runs, tmp_path):
    (ds_a, dir_a), (ds_b, dir_b) = short_runs
    comparison = compare_runs([dir_a, dir_b], populations={"base": 125_000})
    path = write_comparison(comparison, tmp_path / "compare.html")
    text = path.read_text(encoding="utf-8")
    assert 'id="comparison-table"' in text and "<script src=" not in text
    for ds in (ds_a, ds_b):
        kf = key_figures(ds)
        assert f"{kf.cost_eur_per_mwh:,.2f}" in text
        assert f"{kf.emission_intensity_g_per_kwh:,.2f}" in text
        assert f"{kf.waste_heat_share * 100:.1f} %" in text
    for key in (
        "cost_eur_per_mwh",
        "emission_intensity_g_per_kwh",
        "waste_heat_share",
        "energy_mix",
    ):
        assert f'id="chart-{key}"' in text
    # Per inhabitant only where a population is given (here for the folder named "base").
    per_inh = comparison.table.loc["emissions_kg_per_inhabitant"]
    assert per_inh["Lund 2 weeks"] == pytest.approx(key_figures(ds_a).emissions_t * 1000 / 125_000)
    assert pd.isna(per_inh["Lund 2 weeks without ESS heat pumps"])


def test_same_scenario_twice_gets_distinct_labels(short_runs):
    _, run_dir = short_runs[0]
    comparison = compare_runs([run_dir, run_dir])
    assert len(set(comparison.labels)) == 2


def test_population_from_the_scenario():
    assert (
        population_of({"scenario": {"location": {"name": "Lund", "population": 127_000}}})
        == 127_000
    )
    assert population_of({"scenario": {"population": 50}}) == 50
    assert population_of({"scenario": {"location": {"name": "Lund"}}}) is None
    assert population_of(None) is None
