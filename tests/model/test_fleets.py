"""Tiny hand-solvable cases of transport fleets: charging profiles, electric fleets on the
electricity balance, hydrogen fleets on the hydrogen bus, diesel fleets buying fuel, and fleets
in aggregated and pathway runs.

Common set-up (tests/tiny_scenarios.py BASE): 4 hours from midnight, network "main" with 10 MW
demand served by a gas boiler (η 0.8 at 20 EUR/MWh of gas: 1000 EUR over the 4 hours, 12.5 MW of
gas at 0.2 t/MWh = 10 t), electricity at 40 EUR/MWh, no export.

An electric bus fleet of 10 buses * 73 000 km/yr * 1.2 kWh/km = 876 MWh a year charges
2.4 MWh a day: 0.3 MW in each of the 8 night hours (22:00-06:00) of the ``overnight`` profile.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import load_scenario
from tiny_scenarios import E_BUSES
from tiny_scenarios import GAS_BOILER as BOILER

# 5 buses * 87 600 km * 4 kWh/km = 1752 MWh a year: 0.2 MW flat.
D_BUSES = {
    "vehicle": "bus",
    "drive": "diesel",
    "vehicles": 5,
    "km_per_vehicle_year": 87_600,
    "energy_kwh_per_km": 4.0,
}
DIESEL = {"price_eur_per_mwh": 100.0, "emission_t_per_mwh": 0.267}
GAS = {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2}


def assert_costs_sum_to_objective(ds):
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_built_in_profiles_spread_a_day_over_their_hours(scenario_factory):
    # 2.4 MWh a day: flat 0.1 MW in all 24 h; overnight 0.3 MW in 22-06; daytime 0.15 MW 6-22.
    hours = np.arange(24)
    fleets = {kind: {**E_BUSES, "profile": kind} for kind in ("flat", "overnight", "daytime")}
    inputs = build_inputs(scenario_factory(horizon={"hours": 24}, fleets=fleets, units=[BOILER]))
    mw = inputs["fleet_energy_mw"]
    np.testing.assert_allclose(mw.sel(fleet="flat"), 0.1)
    night = (hours >= 22) | (hours < 6)
    np.testing.assert_allclose(mw.sel(fleet="overnight"), np.where(night, 0.3, 0.0))
    np.testing.assert_allclose(mw.sel(fleet="daytime"), np.where(night, 0.0, 0.15))
    np.testing.assert_allclose(inputs["fleet_electricity_mw"], mw.sum("fleet"))
    assert float(mw.sum()) == pytest.approx(3 * 2.4)


def test_csv_profile_is_scaled_to_the_horizon_share_of_the_year(scenario_factory, tmp_path):
    # 876 MWh a year is 0.1 MW on average; the shape 0, 2 (mean 1) gives 0 and 0.2 MW.
    (tmp_path / "charge.csv").write_text("w\n0\n2\n0\n2\n")
    inputs = build_inputs(
        scenario_factory(fleets={"e": {**E_BUSES, "profile": "charge.csv"}}, units=[BOILER])
    )
    np.testing.assert_allclose(inputs["fleet_energy_mw"].sel(fleet="e"), [0, 0.2, 0, 0.2])


def test_electric_fleet_is_a_demand_on_the_electricity_balance(scenario_factory):
    # 0.3 MW in each of the 4 night hours: 1.2 MWh at 40 EUR = 48 EUR on top of the boiler's
    # 1000 EUR. The grid imports exactly the fleet's charging.
    ds = restvarme.run(scenario_factory(fleets={"e_buses": E_BUSES}, units=[BOILER]))
    assert ds.attrs["objective_eur"] == pytest.approx(1048.0, rel=1e-9)
    np.testing.assert_allclose(ds["fleet_electricity_mw"], 0.3, rtol=1e-9)
    np.testing.assert_allclose(ds["grid_import_mw"], 0.3, rtol=1e-9)
    balance = (
        ds["electricity_mw"].sum("unit")
        + ds["grid_import_mw"]
        - ds["grid_export_mw"]
        - ds["fleet_electricity_mw"]
    )
    np.testing.assert_allclose(balance, 0.0, atol=1e-9)
    np.testing.assert_allclose(ds["marginal_electricity_price_eur_per_mwh"], 40.0, rtol=1e-9)
    assert float(ds["fleet_km"].sel(fleet="e_buses")) == pytest.approx(1000.0)
    assert_costs_sum_to_objective(ds)


def test_diesel_fleet_buys_its_fuel_and_pays_for_its_carbon(scenario_factory):
    # Carbon price 50 EUR/t. Diesel fleet 0.2 MW: 0.8 MWh * 100 = 80 EUR of fuel and
    # 0.8 * 0.267 = 0.2136 t (10.68 EUR). Gas boiler: 1000 EUR + 10 t * 50 = 500 EUR.
    # Objective 1590.68 EUR: the fleet's fixed cost is in it, nothing dropped.
    ds = restvarme.run(
        scenario_factory(
            fuels={"gas": GAS, "diesel": DIESEL},
            carbon_price_eur_per_t=50.0,
            fleets={"d_buses": D_BUSES},
            units=[BOILER],
        )
    )
    assert ds.attrs["objective_eur"] == pytest.approx(1590.68, rel=1e-9)
    cost = ds["cost_eur"].to_series()
    assert cost["transport_fuel"] == pytest.approx(80.0)
    assert cost["carbon"] == pytest.approx(510.68)
    assert float(ds["emissions_t"].sel(emission_source="transport")) == pytest.approx(0.2136)
    assert float(ds["fleet_fuel_t"].sel(fleet="d_buses")) == pytest.approx(0.2136)
    assert_costs_sum_to_objective(ds)


def test_hydrogen_fleet_adds_to_the_hydrogen_demand(scenario_factory):
    # Fuel-cell buses taking 0.2 MW of hydrogen (1752 MWh a year at 2 kWh/km), bought at
    # 50 EUR/MWh: 0.8 MWh = 40 EUR; the section's own demand is 0.
    h_buses = {**D_BUSES, "drive": "hydrogen", "energy_kwh_per_km": 4.0}
    ds = restvarme.run(
        scenario_factory(
            hydrogen={"demand_mw": 0, "import_price_eur_per_mwh": 50},
            fleets={"h_buses": h_buses},
            units=[BOILER],
        )
    )
    assert ds.attrs["objective_eur"] == pytest.approx(1040.0, rel=1e-9)
    np.testing.assert_allclose(ds["hydrogen_import_mw"], 0.2, rtol=1e-9)
    np.testing.assert_allclose(ds["fleet_hydrogen_mw"], 0.2, rtol=1e-9)
    from rich.console import Console

    from restvarme.cli import print_summary

    console = Console(record=True, width=160)
    print_summary(ds, console)
    assert "fleets GWh" in console.export_text()  # the hydrogen balance shows the fleets
    assert_costs_sum_to_objective(ds)


def test_default_energy_use_by_vehicle_and_drive(scenario_factory):
    # No energy_kwh_per_km: an electric bus takes the default 1.31 kWh/km, its diesel baseline
    # 3.9 kWh/km at 74.1 t/TJ = 0.26676 t/MWh.
    fleet = {key: value for key, value in E_BUSES.items() if key != "energy_kwh_per_km"}
    inputs = build_inputs(scenario_factory(fleets={"e": fleet}, units=[BOILER]))
    e = inputs.sel(fleet="e")
    assert float(e["fleet_energy_kwh_per_km"]) == pytest.approx(1.31)
    assert float(e["fleet_baseline_kwh_per_km"]) == pytest.approx(3.9)
    assert float(e["fleet_baseline_emission_t_per_mwh"]) == pytest.approx(0.074100 * 3.6)


def test_fleet_energy_survives_time_aggregation(scenario_factory):
    # Blocks of 2 h over 8 h: the overnight fleet (0.3 MW in every hour from midnight to 06:00,
    # 0 at 06:00-08:00) keeps its 1.8 MWh; the objective is the same as hour by hour (constant
    # prices): boiler 2000 EUR + 1.8 * 40 = 72 EUR.
    ds = restvarme.run(
        scenario_factory(
            horizon={"hours": 8, "resolution_h": 2}, fleets={"e": E_BUSES}, units=[BOILER]
        )
    )
    assert float((ds["fleet_electricity_mw"] * ds["snapshot_weight_h"]).sum()) == pytest.approx(1.8)
    assert ds.attrs["objective_eur"] == pytest.approx(2072.0, rel=1e-9)
    assert_costs_sum_to_objective(ds)


def test_fleets_in_typical_days_and_a_pathway(scenario_factory, tmp_path):
    # Typical days: 4 days as 2 typical days; the fleet charges 2.4 MWh every day, so the
    # weighted total is 9.6 MWh whatever days are picked.
    ds = restvarme.run(
        scenario_factory(
            horizon={"hours": 96, "typical_days": 2}, fleets={"e": E_BUSES}, units=[BOILER]
        )
    )
    assert float((ds["fleet_electricity_mw"] * ds["snapshot_weight_h"]).sum()) == pytest.approx(9.6)
    # A pathway doubles the fleet in 2035: 1.2 MWh, then 2.4 MWh over the 4 night hours.
    pathway = {"periods": [{"year": 2030}, {"year": 2035, "changes": {"fleets.e.vehicles": 20}}]}
    ds = restvarme.run(scenario_factory(fleets={"e": E_BUSES}, units=[BOILER], pathway=pathway))
    np.testing.assert_allclose(ds["fleet_energy_mwh"].sel(fleet="e"), [1.2, 2.4], rtol=1e-9)
    assert float(ds["discounted_cost_eur"].sum()) == pytest.approx(
        ds.attrs["objective_eur"], rel=1e-9
    )


YAML = """\
name: fleets
horizon: {hours: 4}
location: {name: Testville, outdoor_temperature_c: 5.0}
electricity: {price_eur_per_mwh: 60}
fuels:
  gas: {price_eur_per_mwh: 20}
networks:
  main: {supply_temperature_c: 80, return_temperature_c: 45, demand: {series_mw: 5}}
fleets:
  fc: {vehicle: bus, drive: hydrogen, annual_km: 1000}
  gas_buses: {vehicle: bus, drive: biogas, annual_km: 1000}
  old: {vehicle: bus, drive: diesel, annual_km: 1000}
  hvo_trucks: {vehicle: truck, drive: diesel, fuel: hvo, annual_km: 1000, energy_kwh_per_km: 3}
units:
  - {name: gb, type: boiler, fuel: gas, sink: main, capacity_mw: 10}
"""


def test_fleet_cross_references_are_located(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(YAML, encoding="utf-8")
    with pytest.raises(restvarme.ScenarioError) as info:
        load_scenario(path)
    found = {(p.path, p.line): p.message for p in info.value.problems}
    assert "needs a hydrogen bus" in found[(("fleets", "fc", "drive"), 10)]
    assert "needs a biogas bus" in found[(("fleets", "gas_buses", "drive"), 11)]
    assert "unknown fuel 'diesel'" in found[(("fleets", "old", "drive"), 12)]
    assert "unknown fuel 'hvo'" in found[(("fleets", "hvo_trucks", "fuel"), 13)]
    assert len(found) == 4


def test_a_truck_needs_its_energy_use(scenario_factory):
    truck = {"vehicle": "truck", "drive": "electric", "annual_km": 1000}
    with pytest.raises(
        restvarme.ScenarioError,
        match=r"no default energy use for a electric "
        r"truck; give `energy_kwh_per_km`",
    ):
        build_inputs(scenario_factory(fleets={"t": truck}, units=[BOILER]))


def test_validate_reads_csv_profiles_but_not_built_in_names(scenario_factory):
    # `restvarme validate` reads every series; `overnight` is a built-in profile, not a file.
    from restvarme.inputs.series import check_all_series

    sf = scenario_factory(
        fleets={"e": E_BUSES, "f": {**E_BUSES, "profile": "missing.csv"}}, units=[BOILER]
    )
    (problem,) = check_all_series(sf)
    assert problem.path == ("fleets", "f", "profile")
