"""Headline figures: one definition each (restvarme.report.figures), one label that says what is
divided by what, and the same value in key_figures.csv, the report's cards and the compare page.

The hand cases are small enough to check on paper; the example test recomputes every headline
figure of the Lund year from the run folder's other CSVs by the definitions written out below.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import restvarme
from headline_definitions import definitions_from_csv
from restvarme.accounting.costs import SECTOR_ROWS, cost_by_sector, cost_by_unit
from restvarme.report.figures import figure_cards, key_figures, sector_table
from tiny_scenarios import GAS_BOILER


def test_heat_only_run_by_hand(scenario_factory):
    # 4 h x 10 MW = 40 MWh of heat from a gas boiler at 80 %: 50 MWh of gas at 20 EUR/MWh is
    # 1,000 EUR (no carbon price), and 50 MWh x 0.2 t/MWh = 10 t CO2e.
    # Cost per MWh = 1,000 / 40 = 25 EUR/MWh; intensity = 10 t / 40 MWh = 250 g CO2e/kWh.
    ds = restvarme.run(scenario_factory(units=[GAS_BOILER]))
    kf = key_figures(ds)
    assert kf.heat_delivered_mwh == pytest.approx(40.0)
    assert kf.cost_eur_per_mwh == pytest.approx(25.0)
    assert kf.heat_cost_eur_per_mwh == pytest.approx(25.0)
    assert kf.emission_intensity_g_per_kwh == pytest.approx(250.0)
    cards = {c.key: c for c in figure_cards(kf)}
    # without cooling networks the combined figures say "heat", and cooling gets no card
    assert cards["cost_eur_per_mwh"].label == "Cost per MWh of heat delivered"
    assert cards["emission_intensity_g_per_kwh"].label == "Emissions per kWh of heat delivered"
    assert "cooling_delivered_mwh" not in cards
    assert (
        cards["emission_intensity_g_per_kwh"].note
        == "10 t of the heat sectors / 0.0 GWh heat delivered"
    )
    sectors = cost_by_sector(ds)
    assert list(sectors.index) == list(SECTOR_ROWS)
    assert sectors["heat"] == pytest.approx(1000.0)
    assert sectors.drop("heat").abs().max() == pytest.approx(0.0, abs=1e-9)


def test_a_unit_making_heat_and_cooling_is_shared_by_energy(scenario_factory):
    # A boiler on the heat network, a chiller on a cooling network and a heat-recovery heat pump
    # on both: the heat pump's costs go to heat and cooling in proportion to the MWh of each it
    # made, the rule restvarme.accounting.outputs uses for emissions.
    units = [
        {**GAS_BOILER, "vom_eur_per_mwh": 1.0},
        {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20, "vom_eur_per_mwh": 0.5},
        {
            "name": "hrhp",
            "type": "heat_recovery_heat_pump",
            "cooling_network": "dc",
            "heat_network": "main",
            "capacity_mw": 3,
            "vom_eur_per_mwh": 0.7,
        },
    ]
    dc = {"supply_temperature_c": 6, "return_temperature_c": 16, "demand": {"series_mw": 5.0}}
    ds = restvarme.run(scenario_factory(units=units, cooling_networks={"dc": dc}))
    by_unit = cost_by_unit(ds)["total"]
    heat_mwh = float(ds["heat_mwh"].sel(unit="hrhp"))
    cooling_mwh = float(ds["cooling_mwh"].sel(unit="hrhp"))
    assert heat_mwh > 0 and cooling_mwh > 0
    heat_share = heat_mwh / (heat_mwh + cooling_mwh)
    sectors = cost_by_sector(ds)
    assert sectors["heat"] == pytest.approx(
        by_unit["gas_boiler"] + by_unit["hrhp"] * heat_share, rel=1e-9
    )
    assert sectors["cooling"] == pytest.approx(
        by_unit["ch"] + by_unit["hrhp"] * (1 - heat_share), rel=1e-9
    )
    assert sectors.sum() == pytest.approx(float(ds["cost_eur"].sum()), rel=1e-9)
    kf = key_figures(ds)
    # 4 h x 5 MW of cooling; the combined figure is the delivery-weighted mean of the two
    assert kf.cooling_delivered_mwh == pytest.approx(20.0)
    assert kf.cost_eur_per_mwh == pytest.approx(
        (kf.heat_cost_eur_per_mwh * 40.0 + kf.cooling_cost_eur_per_mwh * 20.0) / 60.0, rel=1e-9
    )
    table = sector_table(ds, kf)
    assert table["cost_eur"].sum() == pytest.approx(kf.total_cost_eur, rel=1e-9)
    assert table.loc["cooling", "cost_eur_per_mwh"] == pytest.approx(kf.cooling_cost_eur_per_mwh)
    cards = {c.key: c for c in figure_cards(kf)}
    assert cards["cost_eur_per_mwh"].label == "Cost per MWh of heat and cooling delivered"


@pytest.mark.slow
def test_lund_headline_figures_equal_their_definitions_everywhere(lund_year, lund_report):
    """key_figures.csv, the report's cards and its brief all equal the figures recomputed from
    the other CSVs (6 significant digits)."""
    table = pd.read_csv(lund_year.folder / "key_figures.csv", index_col=0)
    written = table["value"]
    for key, value in definitions_from_csv(lund_year.folder).items():
        assert written[key] == pytest.approx(value, rel=1e-5), key
    # the report shows the same values, with the same labels
    html, _ = lund_report
    kf = key_figures(lund_year.results)
    for card in figure_cards(kf):
        m = re.search(rf'data-key="{card.key}" data-value="([^"]+)"', html)
        assert m is not None, card.key
        assert float(m.group(1)) == pytest.approx(written[card.key], rel=1e-5), card.key
        assert table.loc[card.key, "label"] == card.label
    # the brief's cost sentence divides what it says it divides
    m = re.search(r"delivered for ([\d,.]+) MEUR, ([\d,.]+) EUR per MWh of heat and cooling", html)
    assert m is not None
    cost_meur, per_mwh = (float(g.replace(",", "")) for g in m.groups())
    delivered_gwh = (written["heat_delivered_mwh"] + written["cooling_delivered_mwh"]) / 1e3
    assert cost_meur / delivered_gwh * 1e3 == pytest.approx(per_mwh, abs=0.06)


def test_docs_give_the_definitions_of_the_code():
    """docs/report.md's list of definitions is restvarme.report.figures' docstring (RST roles
    turned into Markdown code), so the two cannot drift apart."""
    from pathlib import Path

    import restvarme.report.figures as figures

    doc = figures.__doc__
    bullets = doc[
        doc.index("Definitions:\n") + len("Definitions:\n") : doc.index("Units are named")
    ]
    expected = re.sub(r":func:`([^`]+)`", r"`\1`", bullets).replace("``", "`").strip()
    docs = (Path(__file__).parents[2] / "docs" / "report.md").read_text(encoding="utf-8")
    shown = docs[docs.index("- heat delivered [MWh]") : docs.index("### Size and speed choices")]
    assert shown.strip() == expected
