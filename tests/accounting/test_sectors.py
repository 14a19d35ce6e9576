"""Emissions by sector and fleets against their baseline, worked out by hand on tiny runs.

Set-up (tests/tiny_scenarios.py BASE): 4 hours from midnight, network "main" with 10 MW demand,
electricity at 40 EUR/MWh, here with a grid factor of 0.1 t/MWh. Baselines are diesel buses at
3.9 kWh/km and 74.1 t/TJ = 0.26676 t/MWh (restvarme.physics.transport).
"""

from __future__ import annotations

import pytest

import restvarme
from restvarme.accounting.sectors import SECTORS, emissions_by_sector, fleet_emissions
from tiny_scenarios import D_BUSES, E_BOILER, E_BUSES

BASE_T_PER_KM = 3.9 / 1000 * 74.1 / 277.7777777777778
"""Baseline diesel bus: t CO2 per km."""
ELECTRICITY = {"price_eur_per_mwh": 40.0, "export_allowed": False, "emission_t_per_mwh": 0.1}
# E_BUSES: 0.3 MW in each night hour (876 MWh a year, 1.2 kWh/km): 1.2 MWh, 1000 km over the
# 4 hours. D_BUSES: 0.2 MW flat at 4 kWh/km (1752 MWh a year): 0.8 MWh, 200 km over the 4 hours.
G_BUSES = {**D_BUSES, "drive": "biogas"}


def test_grid_fuel_and_gas_grid_emissions_go_to_their_sectors(scenario_factory):
    # Grid: 10 MW (electric boiler) + 0.3 MW (e-buses) = 10.3 MW * 0.1 = 1.03 t/h, 4.12 t;
    # heat takes 10/10.3 of it = 4.0 t, the e-buses 0.12 t.
    # Diesel buses: 0.8 MWh * 0.267 = 0.2136 t.
    # Gas grid: 1 MW (other vehicle gas) + 0.2 MW (gas buses) = 1.2 MW * 4 h * 0.2 = 0.96 t;
    # the gas buses take 0.2/1.2 of it = 0.16 t, the biogas sector 0.8 t.
    bus = {
        "vehicle_gas_demand_mw": 1.0,
        "gas_grid": {"import_price_eur_per_mwh": 50, "emission_t_per_mwh": 0.2},
    }
    ds = restvarme.run(
        scenario_factory(
            electricity=ELECTRICITY,
            biogas=bus,
            fuels={"diesel": {"price_eur_per_mwh": 100, "emission_t_per_mwh": 0.267}},
            fleets={"e_buses": E_BUSES, "d_buses": D_BUSES, "g_buses": G_BUSES},
            units=[E_BOILER],
        )
    )
    table = emissions_by_sector(ds)
    assert list(table.index) == list(SECTORS)
    expected = {
        "heat": 4.0,
        "cooling": 0.0,
        "electricity": 0.0,
        "hydrogen": 0.0,
        "biogas": 0.8,
        "transport": 0.12 + 0.2136 + 0.16,
    }
    for sector, value in expected.items():
        assert table.loc[sector, "emissions_t"] == pytest.approx(value, abs=1e-9), sector
    assert table["emissions_t"].sum() == pytest.approx(float(ds["emissions_t"].sum()), rel=1e-9)
    fleets = fleet_emissions(ds)
    assert fleets.loc["e_buses", "km"] == pytest.approx(1000.0)
    assert fleets.loc["e_buses", "emissions_t"] == pytest.approx(0.12)
    assert fleets.loc["e_buses", "baseline_t"] == pytest.approx(1000 * BASE_T_PER_KM)
    assert fleets.loc["d_buses", "emissions_t"] == pytest.approx(0.2136)
    assert fleets.loc["g_buses", "emissions_t"] == pytest.approx(0.16)
    assert fleets.loc["g_buses", "baseline_t"] == pytest.approx(200 * BASE_T_PER_KM)
    # A diesel fleet using more than its baseline avoids a negative amount.
    assert fleets.loc["d_buses", "avoided_t"] == pytest.approx(200 * BASE_T_PER_KM - 0.2136)
    baseline = 1400 * BASE_T_PER_KM
    assert table.loc["transport", "baseline_t"] == pytest.approx(baseline)
    assert table.loc["transport", "avoided_t"] == pytest.approx(baseline - 0.4936)
    assert table.loc["heat", "baseline_t"] != table.loc["heat", "baseline_t"]  # NaN


def test_hydrogen_emissions_are_shared_by_its_users(scenario_factory):
    # The electrolyser (η 0.65, no heat) makes 0.65 MW for the hydrogen demand and 0.65 MW for
    # fuel-cell buses: 2 MW of electricity * 0.1 = 0.2 t/h, 0.8 t, half to each. The gas boiler
    # burns 12.5 MW of gas at 0.2 t/MWh: 10 t to heat.
    ely = {
        "name": "ely",
        "type": "electrolyser",
        "capacity_mw": 20,
        "efficiency": 0.65,
        "heat_share": 0.0,
        "waste_heat": "h2heat",
        "waste_heat_temperature_c": 80,
    }
    hx = {
        "name": "hx",
        "type": "heat_exchanger",
        "source": "h2heat",
        "sink": "main",
        "capacity_mw": 1,
    }
    boiler = {
        "name": "gas_boiler",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 20,
        "efficiency": 0.8,
    }
    # 0.65 MW * 8760 h = 5694 MWh a year at 2 kWh/km: 2 847 000 km.
    fc = {"vehicle": "bus", "drive": "hydrogen", "annual_km": 2_847_000, "energy_kwh_per_km": 2}
    ds = restvarme.run(
        scenario_factory(
            electricity=ELECTRICITY,
            hydrogen={"demand_mw": 0.65},
            waste_heat={"h2heat": {"available_mw": 0, "temperature_c": 80}},
            fleets={"fc": fc},
            units=[boiler, hx, ely],
        )
    )
    table = emissions_by_sector(ds)
    assert table.loc["heat", "emissions_t"] == pytest.approx(10.0)
    assert table.loc["hydrogen", "emissions_t"] == pytest.approx(0.4)
    assert table.loc["transport", "emissions_t"] == pytest.approx(0.4)
    assert table["emissions_t"].sum() == pytest.approx(float(ds["emissions_t"].sum()), rel=1e-9)
    fleets = fleet_emissions(ds)
    assert fleets.loc["fc", "km"] == pytest.approx(1300.0)  # 2.6 MWh / 2 kWh/km
    assert fleets.loc["fc", "avoided_t"] == pytest.approx(1300 * BASE_T_PER_KM - 0.4)


def test_runs_without_fleets_have_sectors_but_no_baseline(scenario_factory):
    ds = restvarme.run(scenario_factory(electricity=ELECTRICITY, units=[E_BOILER]))
    table = emissions_by_sector(ds)
    assert table.loc["heat", "emissions_t"] == pytest.approx(4.0)  # 40 MWh * 0.1
    assert table["baseline_t"].isna().all()
    assert fleet_emissions(ds).empty


def test_cost_tables_place_the_biogas_bus_and_fleets(scenario_factory):
    # The case of the first test, with a carbon price of 50 EUR/t: each item is placed, nothing
    # is left unattributed. The e-buses pay their share of the grid: 0.3/10.3 of each hour's
    # purchase (0.3 MW * 4 h * 40 EUR = 48 EUR) and its carbon (0.12 t * 50 = 6 EUR); the diesel
    # buses 80 EUR of fuel and 0.2136 * 50 = 10.68 EUR of carbon; the biogas row 1.2 MW * 4 h *
    # 50 EUR = 240 EUR of gas and 0.96 t * 50 = 48 EUR of carbon.
    from restvarme.accounting import cost_by_counterparty, cost_by_network, cost_by_unit
    from restvarme.accounting.costs import cost_by_sector
    from restvarme.accounting.emissions import system_emissions_t

    bus = {
        "vehicle_gas_demand_mw": 1.0,
        "gas_grid": {"import_price_eur_per_mwh": 50, "emission_t_per_mwh": 0.2},
    }
    ds = restvarme.run(
        scenario_factory(
            electricity=ELECTRICITY,
            biogas=bus,
            carbon_price_eur_per_t=50.0,
            fuels={"diesel": {"price_eur_per_mwh": 100, "emission_t_per_mwh": 0.267}},
            fleets={"e_buses": E_BUSES, "d_buses": D_BUSES, "g_buses": G_BUSES},
            units=[E_BOILER],
        )
    )
    table = cost_by_unit(ds)
    objective = ds.attrs["objective_eur"]
    assert table["total"].sum() == pytest.approx(objective, rel=1e-9)
    assert abs(table.loc["unattributed", "total"]) < 1e-9 * objective
    assert table.loc["fleet:e_buses", "electricity_purchase"] == pytest.approx(48.0)
    assert table.loc["fleet:e_buses", "carbon"] == pytest.approx(6.0)
    assert table.loc["fleet:d_buses", "transport_fuel"] == pytest.approx(80.0)
    assert table.loc["fleet:d_buses", "carbon"] == pytest.approx(10.68)
    assert table.loc["biogas", "gas_grid_purchase"] == pytest.approx(240.0)
    assert table.loc["biogas", "carbon"] == pytest.approx(48.0)
    by_network = cost_by_network(ds)
    assert by_network.loc["transport", "total"] == pytest.approx(48 + 6 + 80 + 10.68)
    assert by_network["total"].sum() == pytest.approx(objective, rel=1e-9)
    payments = cost_by_counterparty(ds)
    assert payments.sum() == pytest.approx(objective, rel=1e-9)
    # the gas grid and the diesel are paid on lines of their own, not in an "other" line
    assert payments["gas grid purchase"] == pytest.approx(240.0)
    assert payments["transport fuel"] == pytest.approx(80.0)
    assert not any("other" in k for k in payments.index)
    assert system_emissions_t(ds).sum() == pytest.approx(float(ds["emissions_t"].sum()))
    # the cost of each sector: transport as above, the biogas row, the boiler's heat
    sectors = cost_by_sector(ds)
    assert sectors["transport"] == pytest.approx(48 + 6 + 80 + 10.68)
    assert sectors["biogas"] == pytest.approx(table.loc["biogas", "total"])
    assert sectors.sum() == pytest.approx(objective, rel=1e-9)
