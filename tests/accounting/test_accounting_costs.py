"""Economics: annuity and NPV by hand; cost tables that add up to the objective item by item."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import restvarme
from restvarme.accounting.costs import (
    annuity_eur_per_year,
    annuity_factor,
    cost_by_counterparty,
    cost_by_network,
    cost_by_unit,
    electricity_revenue,
    levelised_cost_of_heat,
    npv_eur,
)


def test_annuity_factor_reference_values():
    # Capital recovery factor r/(1 - (1+r)^-n): r = 5 %, n = 20 -> 0.05/(1 - 1.05^-20)
    # = 0.05/(1 - 0.376889) = 0.0802426 (CRF tables, Short et al. 1995); r = 0 -> 1/n.
    assert annuity_factor(0.05, 20) == pytest.approx(0.0802426, abs=1e-7)
    assert annuity_factor(0.0, 25) == pytest.approx(0.04)
    # 10 MEUR at 5 % over 20 years: 802,426 EUR/yr
    assert annuity_eur_per_year(10e6, 0.05, 20) == pytest.approx(802_425.9, abs=0.1)
    np.testing.assert_allclose(annuity_factor([0.0, 0.05], [10, 20]), [0.1, 0.0802426], atol=1e-7)
    with pytest.raises(ValueError, match="positive"):
        annuity_factor(0.05, 0)


def test_npv_by_hand():
    # 100 in 2030 and 110 in 2031 at 10 %: 100 + 110/1.1 = 200; from base 2029: 200/1.1.
    assert npv_eur({2030: 100.0, 2031: 110.0}, 0.10) == pytest.approx(200.0)
    assert npv_eur(pd.Series({2031: 110.0, 2030: 100.0}), 0.10, base_year=2029) == pytest.approx(
        200 / 1.1
    )


UNITS = [
    {
        "name": "chp",
        "type": "chp",
        "fuel": "gas",
        "sink": "main",
        "heat_capacity_mw": 6,
        "efficiency_heat": 0.5,
        "efficiency_el": 0.35,
        "vom_eur_per_mwh": 3,
    },
    {
        "name": "boiler",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 20,
        "efficiency": 0.9,
        "vom_eur_per_mwh": 1,
    },
    {
        "name": "hp",
        "type": "heat_pump",
        "source": "w",
        "sink": "main",
        "capacity_mw": 5,
        "vom_eur_per_mwh": 2,
    },
    {"name": "eboiler", "type": "electric_boiler", "sink": "lt", "capacity_mw": 5},
    {"name": "hx", "type": "heat_exchanger", "source": "w", "sink": "lt", "capacity_mw": 2},
    {
        "name": "tank",
        "type": "storage",
        "network": "main",
        "energy_mwh": 20,
        "charge_mw": 5,
        "vom_eur_per_mwh": 0.5,
    },
]


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """12 hours, two networks, every unit type, a waste-heat source with a price, electricity
    prices that swing from net export to net import hours, a carbon price and a grid fee."""
    from tiny_scenarios import make_scenario

    folder = tmp_path_factory.mktemp("costs")
    spot = [10, 15, 20, 90, 120, 150, 60, 30, 10, 200, 80, 40]
    pd.DataFrame({"spot": spot}).to_csv(folder / "spot.csv", index=False)
    sf = make_scenario(
        folder,
        horizon={"hours": 12},
        carbon_price_eur_per_t=50,
        electricity={
            "price_eur_per_mwh": "spot.csv",
            "grid_fee_eur_per_mwh": 8,
            "export_allowed": True,
            "emission_t_per_mwh": 0.05,
        },
        waste_heat={"w": {"available_mw": 3, "temperature_c": 45, "price_eur_per_mwh": 4}},
        networks={
            "main": {
                "supply_temperature_c": 80,
                "return_temperature_c": 45,
                "demand": {"series_mw": 12.0},
            },
            "lt": {
                "supply_temperature_c": 55,
                "return_temperature_c": 30,
                "demand": {"series_mw": 3.0},
            },
        },
        units=UNITS,
    )
    return sf, restvarme.run(sf)


def test_every_cost_item_is_rebuilt_unit_by_unit(system):
    _sf, ds = system
    table = cost_by_unit(ds)
    reported = ds["cost_eur"].to_series()
    for item, value in reported.items():
        assert table.loc[[u for u in ds["unit"].values], item].sum() + table.loc[
            [r for r in table.index if r.startswith("unserved")], item
        ].sum() == pytest.approx(value, rel=1e-6, abs=1e-6), item
    np.testing.assert_allclose(table.loc["unattributed", list(reported.index)], 0.0, atol=1e-6)
    assert table["total"].sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)


def test_the_system_trades_both_ways(system):
    # the grid rule is exercised in hours of net import and of net export
    _, ds = system
    net = ds["grid_import_mw"] - ds["grid_export_mw"]
    assert float(net.max()) > 0.1 and float(net.min()) < -0.1


def test_chp_is_credited_for_its_power(system):
    _sf, ds = system
    table = cost_by_unit(ds)
    grid = table.loc["chp", ["electricity_purchase", "grid_fee", "electricity_sales"]].sum()
    assert grid < 0  # power sold or avoided buying


def test_variable_om_is_placed_from_the_units_cost_terms(system):
    # The results carry each unit's cost terms as the model charged them (its ports), so no
    # scenario is needed to place variable O&M, and nothing stays unattributed.
    _, ds = system
    table = cost_by_unit(ds)
    assert table["variable_om"].drop("unattributed", errors="ignore").sum() == pytest.approx(
        float(ds["cost_eur"].sel(cost_item="variable_om")), rel=1e-9
    )
    assert table.loc["unattributed", "variable_om"] == pytest.approx(0.0, abs=1e-9)
    assert table["total"].sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)


def test_network_and_counterparty_tables_add_up(system):
    _sf, ds = system
    assert cost_by_network(ds)["total"].sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)
    payments = cost_by_counterparty(ds)
    assert payments.sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)
    # waste heat: 4 EUR/MWh on what was taken
    taken = float(ds["waste_heat_used_mwh"].sel(waste_source="w").sum())
    assert payments["waste heat: w"] == pytest.approx(4 * taken)


def test_levelised_cost_of_heat(system):
    _sf, ds = system
    lcoh = levelised_cost_of_heat(ds)
    by_net = cost_by_network(ds)
    # without capital: operating cost / delivered heat; main delivers 12 MW * 12 h = 144 MWh
    assert lcoh.loc["main", "delivered_mwh"] == pytest.approx(144.0)
    assert lcoh.loc["main", "lcoh_eur_per_mwh"] == pytest.approx(by_net.loc["main", "total"] / 144)
    # 1 MEUR on the heat pump over 20 y at 5 %: 80,242.6 EUR/yr, 12/8760 of it in 12 hours
    capital = pd.DataFrame({"investment_eur": [1e6], "lifetime_years": [20]}, index=["hp"])
    with_capital = levelised_cost_of_heat(ds, capital=capital, discount_rate=0.05)
    extra = 1e6 * annuity_factor(0.05, 20) * 12 / 8760
    assert with_capital.loc["main", "capital_cost_eur"] == pytest.approx(extra)
    assert with_capital.loc["lt", "capital_cost_eur"] == 0.0


def test_electricity_revenue(system):
    _, ds = system
    revenue = electricity_revenue(ds)
    # grid sales equal the electricity_sales cost item with its sign turned
    assert revenue.loc["grid sales", "value_eur"] == pytest.approx(
        -float(ds["cost_eur"].sel(cost_item="electricity_sales")), rel=1e-9
    )
    # the CHP makes 0.35/0.5 = 0.7 MWh of power per MWh of heat
    assert revenue.loc["chp", "electricity_mwh"] == pytest.approx(
        0.7 * float(ds["heat_mwh"].sel(unit="chp")), rel=1e-9
    )
    assert list(revenue.index) == ["chp", "grid sales"]


def test_variable_om_of_cooling_and_hydrogen_units_is_placed(scenario_factory):
    # The engine charges variable O&M per MWh of cooling (chillers, free cooling), of condenser
    # heat (heat-recovery heat pumps: to the network plus rejected), of hydrogen (electrolysers)
    # and of discharge (stores); the cost table must place it on the same flows.
    w = 1.0  # hourly snapshots
    units = [
        {
            "name": "boiler",
            "type": "boiler",
            "fuel": "gas",
            "sink": "main",
            "capacity_mw": 20,
            "efficiency": 0.8,
            "vom_eur_per_mwh": 1.0,
        },
        {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20, "vom_eur_per_mwh": 0.5},
        {
            "name": "fc",
            "type": "free_cooling",
            "source": "air",
            "sink": "dc",
            "capacity_mw": 1,
            "vom_eur_per_mwh": 0.3,
        },
        {
            "name": "cold",
            "type": "cold_storage",
            "network": "dc",
            "energy_mwh": 4,
            "charge_mw": 1,
            "efficiency_charge": 0.9,
            "vom_eur_per_mwh": 0.2,
        },
        {
            "name": "hrhp",
            "type": "heat_recovery_heat_pump",
            "cooling_network": "dc",
            "heat_network": "main",
            "capacity_mw": 3,
            "vom_eur_per_mwh": 0.7,
        },
        {
            "name": "ely",
            "type": "electrolyser",
            "capacity_mw": 4,
            "efficiency": 0.65,
            "waste_heat": "h2heat",
            "waste_heat_temperature_c": 80,
            "vom_eur_per_mwh": 2.0,
        },
        {
            "name": "h2_tank",
            "type": "hydrogen_storage",
            "energy_mwh": 10,
            "charge_mw": 2,
            "vom_eur_per_mwh": 0.4,
        },
        {
            "name": "hx",
            "type": "heat_exchanger",
            "source": "h2heat",
            "sink": "main",
            "capacity_mw": 5,
        },
    ]
    sf = scenario_factory(
        units=units,
        cooling_networks={
            "dc": {
                "supply_temperature_c": 6,
                "return_temperature_c": 16,
                "demand": {"series_mw": 5.0},
            }
        },
        waste_heat={"h2heat": {"available_mw": 0, "temperature_c": 80}},
        hydrogen={"demand_mw": 1.0},
    )
    ds = restvarme.run(sf)
    table = cost_by_unit(ds)
    vom = table["variable_om"]
    assert vom["unattributed"] == pytest.approx(0.0, abs=1e-6)
    assert vom["ch"] == pytest.approx(0.5 * float(ds["cooling_mwh"].sel(unit="ch")))
    assert vom["fc"] == pytest.approx(0.3 * float(ds["cooling_mwh"].sel(unit="fc")))
    assert vom["ely"] == pytest.approx(2.0 * float(ds["hydrogen_mwh"].sel(unit="ely")))
    condenser = ds["heat_mw"].sel(unit="hrhp") + ds["heat_rejection_mw"].sel(
        heat_recovery_heat_pump="hrhp"
    )
    assert vom["hrhp"] == pytest.approx(0.7 * float(condenser.sum()) * w)
    discharge = ds["hydrogen_storage_discharge_mw"].sel(hydrogen_storage="h2_tank")
    assert vom["h2_tank"] == pytest.approx(0.4 * float(discharge.sum()) * w)
    assert float(ds["hydrogen_mwh"].sel(unit="ely")) > 0  # the case is not empty
    assert vom["hrhp"] > 0
    assert table["total"].sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-6)
