"""Key figures, energy mix, Sankey balances and per-period tables, against hand arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import restvarme
from restvarme.accounting.sectors import emissions_by_sector
from restvarme.report.charts import all_figures, sankey_links
from restvarme.report.figures import (
    built_table,
    capacity_in_service,
    energy_mix,
    key_figures,
    period_table,
    unit_table,
    waste_heat_table,
)

BOILER = {
    "name": "gas_boiler",
    "type": "boiler",
    "fuel": "gas",
    "sink": "main",
    "capacity_mw": 20.0,
    "efficiency": 0.9,
}


def test_tiny_boiler_key_figures_by_hand(scenario_factory):
    # 4 h x 10 MW = 40 MWh of heat from a gas boiler at 90 %: 44.44 MWh of gas at 20 EUR/MWh
    # = 888.9 EUR, and 44.44 x 0.2 = 8.889 t CO2e -> 8.889 / 40 MWh = 222.2 g/kWh.
    # With a carbon price of 50 EUR/t the cost adds 8.889 x 50 = 444.4 EUR: 1,333.3 EUR in all,
    # 33.33 EUR/MWh.
    ds = restvarme.run(scenario_factory(units=[BOILER], carbon_price_eur_per_t=50.0))
    kf = key_figures(ds)
    assert kf.heat_delivered_mwh == pytest.approx(40.0)
    assert kf.emissions_t == pytest.approx(40 / 0.9 * 0.2)
    assert kf.emission_intensity_g_per_kwh == pytest.approx(40 / 0.9 * 0.2 / 40 * 1000)
    assert kf.total_cost_eur == pytest.approx(40 / 0.9 * 20 + 40 / 0.9 * 0.2 * 50)
    assert kf.cost_eur_per_mwh == pytest.approx((40 / 0.9 * 20 + 40 / 0.9 * 0.2 * 50) / 40)
    assert kf.fossil_share == pytest.approx(1.0)  # gas is not marked renewable
    assert kf.waste_heat_share == 0.0
    assert kf.unserved_heat_mwh == pytest.approx(0.0, abs=1e-9)


def test_other_sectors_stay_out_of_heat_cost_and_intensity(scenario_factory):
    # The boiler case above plus a diesel bus fleet (5 buses x 87,600 km x 4 kWh/km = 1,752
    # MWh/yr: 0.2 MW, 0.8 MWh over the 4 h at 100 EUR/MWh and 0.267 t/MWh) and an electric
    # fleet charging 0.1 MW all day (876 MWh/yr) from the grid at 40 EUR/MWh: the run's total
    # cost and emissions grow, but heat's cost per MWh and g/kWh stay 33.33 EUR/MWh and
    # 222.2 g/kWh, and the buses' tonnes appear only in the run's total.
    fuels = {
        "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2},
        "diesel": {"price_eur_per_mwh": 100.0, "emission_t_per_mwh": 0.267},
    }
    fleets = {
        "diesel_buses": {
            "vehicle": "bus",
            "drive": "diesel",
            "vehicles": 5,
            "km_per_vehicle_year": 87_600,
            "energy_kwh_per_km": 4.0,
        },
        "e_buses": {
            "vehicle": "bus",
            "drive": "electric",
            "vehicles": 10,
            "km_per_vehicle_year": 73_000,
            "energy_kwh_per_km": 1.2,
            "profile": "flat",
        },
    }
    ds = restvarme.run(
        scenario_factory(units=[BOILER], carbon_price_eur_per_t=50.0, fuels=fuels, fleets=fleets)
    )
    kf = key_figures(ds)
    heat_cost = 40 / 0.9 * 20 + 40 / 0.9 * 0.2 * 50
    bus_cost = 0.8 * (100 + 0.267 * 50) + 0.4 * 40
    assert kf.total_cost_eur == pytest.approx(heat_cost + bus_cost)
    assert kf.cost_eur_per_mwh == pytest.approx(heat_cost / 40)
    assert kf.emissions_t == pytest.approx(40 / 0.9 * 0.2 + 0.8 * 0.267)
    assert kf.emission_intensity_g_per_kwh == pytest.approx(40 / 0.9 * 0.2 / 40 * 1000)


def test_unserved_heat_and_its_penalty_are_kept_apart(scenario_factory):
    # A 6 MW boiler for 10 MW of demand: 4 MW x 4 h = 16 MWh unserved at 5,000 EUR/MWh.
    small = {**BOILER, "capacity_mw": 6.0}
    kf = key_figures(restvarme.run(scenario_factory(units=[small])))
    assert kf.unserved_heat_mwh == pytest.approx(16.0)
    assert kf.heat_delivered_mwh == pytest.approx(24.0)
    assert kf.penalty_eur == pytest.approx(16 * 5000)
    assert kf.system_cost_eur == pytest.approx(24 / 0.9 * 20)
    assert kf.cost_eur_per_mwh == pytest.approx(20 / 0.9)


@pytest.mark.slow
def test_lund_key_figures_equal_the_results(lund_year):
    ds = lund_year.results
    kf = key_figures(ds)
    # heat delivered: the load less the network losses and unserved heat
    delivered = float(
        ds["heat_demand_mwh"].sum() - ds["heat_loss_mwh"].sum() - ds["unserved_heat_mwh"].sum()
    )
    # Lund has district cooling: intensity and cost per MWh are per MWh of heat and cooling
    cooling = float(ds["cooling_demand_mwh"].sum() - ds["unserved_cooling_mwh"].sum())
    assert kf.cooling_delivered_mwh == pytest.approx(cooling)
    assert kf.total_cost_eur == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)
    assert kf.emissions_t == pytest.approx(float(ds["emissions_t"].sum()))
    assert kf.waste_heat_share == pytest.approx(float(ds["waste_heat_used_mwh"].sum()) / delivered)
    # ... of the heat and cooling sectors: Lund's buses, biogas and electrolyser are others
    sectors = emissions_by_sector(ds)["emissions_t"]
    assert kf.emissions_t > sectors["heat"] + sectors["cooling"]
    assert kf.emission_intensity_g_per_kwh == pytest.approx(
        (sectors["heat"] + sectors["cooling"]) / (delivered + cooling) * 1000
    )
    # Plausibility: Lund's biomass and waste-heat system emits little per kWh of heat.
    assert 0 < kf.emission_intensity_g_per_kwh < 50
    assert 0.05 < kf.waste_heat_share < 0.5


@pytest.mark.slow
def test_energy_mix_adds_up_to_heat_produced(lund_year):
    ds = lund_year.results
    mix = energy_mix(ds)
    assert mix.sum() == pytest.approx(key_figures(ds).heat_produced_mwh)
    assert mix["CHP: wood chips"] == pytest.approx(float(ds["heat_mwh"].sel(unit="ortofta_chp")))
    assert "Storage" not in mix.index


@pytest.mark.slow
def test_unit_and_waste_heat_tables(lund_year):
    ds = lund_year.results
    units = unit_table(ds)
    assert units.loc[units["type"] != "storage", "share"].sum() == pytest.approx(1.0)
    waste = waste_heat_table(ds)
    np.testing.assert_allclose(waste["used_mwh"], ds["waste_heat_used_mwh"].sum("route").values)
    assert (waste["utilisation"] <= 1 + 1e-9).all()


@pytest.mark.slow
def test_every_sankey_node_balances(lund_year):
    ds = lund_year.results
    links = sankey_links(ds)
    inflow = links.groupby("target")["value_mwh"].sum()
    outflow = links.groupby("source")["value_mwh"].sum()
    both = pd.concat([inflow, outflow], axis=1, keys=["in", "out"]).dropna()
    # Units, the electricity node and the networks pass everything on; units that deliver
    # cooling put out more than they take in (sankey_links: their cooling output includes the
    # heat drawn from the cooling network), so they are left out here.
    cooling_units = set(links.loc[links["target"] == "Cooling delivered", "source"])
    assert {"maxiv_hrhp", "north_dc_chillers"} <= cooling_units
    both = both.drop(index=list(cooling_units & set(both.index)))
    np.testing.assert_allclose(both["in"], both["out"], rtol=1e-6, atol=1e-3)
    cooling = float(ds["cooling_demand_mwh"].sum() - ds["unserved_cooling_mwh"].sum())
    assert inflow["Cooling delivered"] == pytest.approx(cooling, rel=1e-6)
    assert {"Electricity", "Network main", "ortofta_chp"} <= set(both.index)
    # the networks pass on their load: to the customers and to the network losses
    loss = float(ds["heat_loss_mwh"].sum())
    assert inflow["Heat delivered"] == pytest.approx(float(ds["heat_demand_mwh"].sum()) - loss)
    assert inflow["Network losses"] == pytest.approx(loss)


def test_period_table_with_target(pathway_ds):
    table = period_table(pathway_ds)
    assert list(table.index) == [2026, 2028, 2030]
    first = float(pathway_ds["emissions_t"].sel(period=2026).sum())
    np.testing.assert_allclose(table["emissions_t"], [first, 0.75 * first, 0.5 * first])
    np.testing.assert_allclose(
        table["gap_t"], [-0.2 * first, -0.05 * first, 0.1 * first], atol=1e-9
    )
    with pytest.raises(ValueError, match="select one period"):
        key_figures(pathway_ds)


def test_pathway_charts_exist(pathway_ds):
    figs = all_figures(pathway_ds)
    assert {"period_emissions", "period_capacity", "period_mix", "dispatch_main"} <= set(figs)
    target = next(t for t in figs["period_emissions"].data if t.name == "cap / target")
    np.testing.assert_allclose(target.y, pathway_ds["emission_cap_t"].values, rtol=1e-3)


def test_a_real_pathway_run(tiny_pathway):
    # conftest.TINY_PATHWAY: 40 MWh of gas heat per period emit 40 / 0.8 * 0.2 = 10 t in 2026 and
    # 2028; gas retires in 2030 and 10 MW of electric boiler take over: nothing emitted.
    ds = tiny_pathway
    table = period_table(ds)
    np.testing.assert_allclose(table["emissions_t"], [10, 10, 0], atol=1e-6)
    np.testing.assert_allclose(table["heat_delivered_mwh"], [40, 40, 40])
    # The cap of 100 t/yr counts for the 4 hours' share of the year, in 2030 only.
    np.testing.assert_allclose(table["emission_target_t"], [np.nan, np.nan, 100 * 4 / 8760])
    cap = capacity_in_service(ds)
    np.testing.assert_allclose(cap.sel(unit="gas"), [20, 20, 0])
    np.testing.assert_allclose(cap.sel(unit="eb"), [0, 0, 10], atol=1e-6)
    assert built_table(ds).loc["eb", "2030"] == pytest.approx(10)
