"""Tiny hand-solvable cases of the biogas bus: plants, flaring, biogas burnt in boilers and CHPs,
upgrading to vehicle gas, biogas stores, the gas grid, unserved vehicle gas.

Common set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" at 70/40 °C with 10 MW
demand, gas at 20 EUR/MWh (boiler η 0.8: 25 EUR/MWh of heat, no carbon price), electricity at
40 EUR/MWh, no export. A sewage-sludge plant makes 6 MW of biogas at 10 EUR/MWh (240 EUR over
the 4 hours, fixed: production is not optional).
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import load_scenario
from tiny_scenarios import GAS_BOILER as BOILER

PLANT = {"feedstock": "sewage_sludge", "production_mw": 6, "production_cost_eur_per_mwh": 10}
BIOGAS = {"plants": {"sludge": PLANT}}
UPGRADING = {
    "name": "upgrader",
    "type": "biogas_upgrading",
    "capacity_mw": 10,
    "efficiency": 0.98,
    "electricity_mwh_per_mwh": 0.05,
}
# A biogas bus fleet taking 4.9 MW of vehicle gas in every hour: 4.9 MW * 8760 h = 42 924 MWh
# a year at 5 kWh/km is 8 584 800 km.
GAS_BUSES = {"vehicle": "bus", "drive": "biogas", "annual_km": 8_584_800, "energy_kwh_per_km": 5.0}


def biogas_boiler(capacity_mw):
    return {
        "name": "bio_boiler",
        "type": "boiler",
        "fuel": "biogas",
        "sink": "main",
        "capacity_mw": capacity_mw,
        "efficiency": 0.9,
    }


def cost(ds, item):
    return float(ds["cost_eur"].sel(cost_item=item))


def assert_costs_sum_to_objective(ds):
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_surplus_biogas_is_flared_and_free_at_the_margin(scenario_factory):
    # The biogas boiler (4 MW of heat) burns 4 / 0.9 = 4.444 MW of the 6 MW made; 1.556 MW is
    # flared in each hour (6.222 MWh). Gas boiler: 6 MW * 25 EUR * 4 h = 600 EUR; production
    # 240 EUR; total 840 EUR. One more MWh of biogas demand would be flared less: price 0.
    ds = restvarme.run(scenario_factory(biogas=BIOGAS, units=[BOILER, biogas_boiler(4)]))
    assert ds.attrs["objective_eur"] == pytest.approx(840.0, rel=1e-9)
    assert float(ds["biogas_mwh"].sel(unit="bio_boiler")) == pytest.approx(-16 / 0.9)
    assert float(ds["fuel_mwh"].sel(unit="bio_boiler")) == pytest.approx(16 / 0.9)
    assert float(ds["biogas_flared_mwh"]) == pytest.approx(24 - 16 / 0.9)
    assert cost(ds, "biogas_production") == pytest.approx(240.0)
    assert cost(ds, "fuel") == pytest.approx(600.0)  # biogas from the bus costs no fuel
    np.testing.assert_allclose(ds["marginal_biogas_price_eur_per_mwh"], 0.0, atol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_biogas_is_worth_the_gas_it_saves_in_a_boiler(scenario_factory):
    # A large biogas boiler burns all 6 MW: 5.4 MW of heat; gas covers 4.6 MW:
    # 4.6 * 25 * 4 = 460 EUR, plus 240 EUR of production = 700 EUR. One more MWh of biogas saves
    # 0.9 MWh of gas-boiler heat: marginal price 0.9 * 25 = 22.5 EUR/MWh.
    ds = restvarme.run(scenario_factory(biogas=BIOGAS, units=[BOILER, biogas_boiler(20)]))
    assert ds.attrs["objective_eur"] == pytest.approx(700.0, rel=1e-9)
    assert float(ds["heat_mwh"].sel(unit="bio_boiler")) == pytest.approx(21.6)
    assert float(ds["biogas_flared_mwh"]) == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(ds["marginal_biogas_price_eur_per_mwh"], 22.5, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_biogas_chp_sells_power_and_heat(scenario_factory):
    # Back-pressure CHP on biogas (η_el 0.35, η_heat 0.55) burns all 10 MW made at no cost:
    # 3.5 MW sold at 40 EUR (-560 EUR over 4 h) and 5.5 MW of heat; gas covers 4.5 MW
    # (450 EUR). Objective -110 EUR. Marginal biogas: 0.35 * 40 + 0.55 * 25 = 27.75 EUR/MWh.
    chp = {
        "name": "bio_chp",
        "type": "chp",
        "fuel": "biogas",
        "sink": "main",
        "heat_capacity_mw": 20,
        "efficiency_el": 0.35,
        "efficiency_heat": 0.55,
    }
    plant = {"feedstock": "food_waste", "production_mw": 10}
    ds = restvarme.run(
        scenario_factory(
            biogas={"plants": {"food": plant}},
            units=[BOILER, chp],
            electricity={"price_eur_per_mwh": 40.0, "export_allowed": True},
        )
    )
    assert ds.attrs["objective_eur"] == pytest.approx(-110.0, rel=1e-9)
    assert float(ds["biogas_mwh"].sel(unit="bio_chp")) == pytest.approx(-40.0)
    assert float(ds["electricity_mwh"].sel(unit="bio_chp")) == pytest.approx(14.0)
    np.testing.assert_allclose(ds["marginal_biogas_price_eur_per_mwh"], 27.75, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_upgrading_serves_a_biogas_fleet(scenario_factory):
    # 4.9 MW of vehicle gas needs 4.9 / 0.98 = 5 MW of raw biogas and 0.05 * 4.9 = 0.245 MW of
    # electricity (0.245 * 40 * 4 = 39.2 EUR); 1 MW is flared. Gas boiler 1000 EUR, production
    # 240 EUR: 1279.2 EUR. One more MWh of vehicle gas: raw biogas (free, flared otherwise) plus
    # 0.05 MWh of electricity = 2 EUR/MWh.
    ds = restvarme.run(
        scenario_factory(biogas=BIOGAS, fleets={"gas_buses": GAS_BUSES}, units=[BOILER, UPGRADING])
    )
    assert ds.attrs["objective_eur"] == pytest.approx(1279.2, rel=1e-9)
    np.testing.assert_allclose(ds["fleet_vehicle_gas_mw"], 4.9, rtol=1e-9)
    assert float(ds["biogas_mwh"].sel(unit="upgrader")) == pytest.approx(-20.0)
    assert float(ds["vehicle_gas_upgraded_mwh"]) == pytest.approx(19.6)
    assert float(ds["electricity_mwh"].sel(unit="upgrader")) == pytest.approx(-0.98)
    np.testing.assert_allclose(ds["grid_import_mw"], 0.245, rtol=1e-9)
    assert float(ds["biogas_flared_mwh"]) == pytest.approx(4.0)
    np.testing.assert_allclose(ds["marginal_vehicle_gas_price_eur_per_mwh"], 2.0, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_gas_grid_purchase_limit_and_unserved_vehicle_gas(scenario_factory):
    # No plant, no upgrading: the fleet's 4.9 MW comes from the gas grid at 50 EUR/MWh, at most
    # 3 MW; 1.9 MW is unserved at 100 EUR/MWh. Grid gas: 3 * 4 * 50 = 600 EUR and
    # 12 MWh * 0.2 t = 2.4 t; unserved 1.9 * 4 * 100 = 760 EUR; gas boiler 1000 EUR.
    # Marginal vehicle gas = the penalty, 100 EUR/MWh.
    bus = {
        "gas_grid": {
            "import_price_eur_per_mwh": 50,
            "emission_t_per_mwh": 0.2,
            "import_capacity_mw": 3,
        },
        "unserved_penalty_eur_per_mwh": 100,
    }
    ds = restvarme.run(
        scenario_factory(biogas=bus, fleets={"gas_buses": GAS_BUSES}, units=[BOILER])
    )
    assert ds.attrs["objective_eur"] == pytest.approx(2360.0, rel=1e-9)
    assert cost(ds, "gas_grid_purchase") == pytest.approx(600.0)
    assert cost(ds, "unserved_vehicle_gas_penalty") == pytest.approx(760.0)
    assert float(ds["emissions_t"].sel(emission_source="gas_grid")) == pytest.approx(2.4)
    assert float(ds["unserved_vehicle_gas_mwh"]) == pytest.approx(7.6)
    np.testing.assert_allclose(ds["marginal_vehicle_gas_price_eur_per_mwh"], 100.0, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_upgraded_biogas_is_sold_when_it_pays(scenario_factory):
    # No vehicle-gas demand; sold at 30 EUR/MWh. Selling one MWh of vehicle gas costs
    # 0.05 MWh of electricity (2 EUR): all 6 MW is upgraded, 5.88 MW sold:
    # -5.88 * 4 * 30 = -705.6 EUR, electricity 0.294 * 4 * 40 = 47.04 EUR, production 240,
    # gas boiler 1000: 581.44 EUR. Raw biogas is worth 0.98 * (30 - 2) = 27.44 EUR/MWh.
    bus = {**BIOGAS, "gas_grid": {"export_price_eur_per_mwh": 30}}
    ds = restvarme.run(scenario_factory(biogas=bus, units=[BOILER, UPGRADING]))
    assert ds.attrs["objective_eur"] == pytest.approx(581.44, rel=1e-9)
    assert cost(ds, "gas_grid_sales") == pytest.approx(-705.6)
    assert float(ds["gas_grid_export_mwh"]) == pytest.approx(23.52)
    np.testing.assert_allclose(ds["marginal_biogas_price_eur_per_mwh"], 27.44, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_biogas_store_shifts_production_to_the_hours_without(scenario_factory, tmp_path):
    # The digester makes 0, 0, 10, 10 MW; the biogas boiler takes at most 5 MW of biogas
    # (4.5 MW of heat). Without a store half of hours 3-4 is flared and gas covers
    # 10 + 10 + 5.5 + 5.5 = 31 MWh (775 EUR). With a gas holder the 5 MW surplus of hours 3-4
    # feeds hours 1-2 (cyclic): gas covers 5.5 MW in every hour, 22 MWh = 550 EUR.
    (tmp_path / "made.csv").write_text("mw\n0\n0\n10\n10\n")
    bus = {"plants": {"sludge": {"feedstock": "sewage_sludge", "production_mw": "made.csv"}}}
    holder = {"name": "holder", "type": "biogas_storage", "energy_mwh": 50, "charge_mw": 10}
    units = [BOILER, biogas_boiler(4.5)]
    ds = restvarme.run(scenario_factory(biogas=bus, units=units))
    assert ds.attrs["objective_eur"] == pytest.approx(775.0, rel=1e-9)
    ds = restvarme.run(scenario_factory(biogas=bus, units=[*units, holder]))
    assert ds.attrs["objective_eur"] == pytest.approx(550.0, rel=1e-9)
    np.testing.assert_allclose(ds["biogas_mw"].sel(unit="holder"), [5, 5, -5, -5], atol=1e-9)
    np.testing.assert_allclose(
        ds["biogas_storage_level_mwh"].sel(biogas_storage="holder"), [5, 0, 5, 10], atol=1e-9
    )
    assert float(ds["biogas_flared_mwh"]) == pytest.approx(0.0, abs=1e-9)
    assert_costs_sum_to_objective(ds)


def test_annual_production_with_a_shape(scenario_factory, tmp_path):
    # 87.6 GWh a year is 10 MW on average; the shape 1, 3 (mean 2) over the horizon gives
    # 5 and 15 MW.
    (tmp_path / "shape.csv").write_text("w\n1\n3\n1\n3\n")
    plant = {"feedstock": "manure", "annual_gwh": 87.6, "shape": "shape.csv"}
    inputs = build_inputs(scenario_factory(biogas={"plants": {"farm": plant}}, units=[BOILER]))
    np.testing.assert_allclose(
        inputs["biogas_production_mw"].sel(biogas_plant="farm"), [5, 15, 5, 15]
    )


def test_upgrading_can_be_built(scenario_factory):
    # No existing upgrading; fixed O&M 100 EUR/MW/yr over 4 h. 5 MW of raw-biogas capacity
    # serves the fleet: 1279.2 EUR (as above) + 5 * 100 * 4 / 8760.
    expansion = {"capital_cost_eur_per_mw": 0, "fixed_om_eur_per_mw_year": 100}
    ds = restvarme.run(
        scenario_factory(
            biogas=BIOGAS,
            fleets={"gas_buses": GAS_BUSES},
            units=[BOILER, {**UPGRADING, "capacity_mw": 0, "expansion": expansion}],
        )
    )
    assert float(ds["capacity_new"].sel(unit="upgrader")) == pytest.approx(5.0)
    assert ds.attrs["objective_eur"] == pytest.approx(1279.2 + 500 * 4 / 8760, rel=1e-9)
    assert_costs_sum_to_objective(ds)


YAML = """\
name: bio
horizon: {hours: 4}
location: {name: Testville, outdoor_temperature_c: 5.0}
electricity: {price_eur_per_mwh: 60}
fuels:
  gas: {price_eur_per_mwh: 20}
FUELS
networks:
  main: {supply_temperature_c: 80, return_temperature_c: 45, demand: {series_mw: 5}}
BIOGAS
units:
  - {name: gb, type: boiler, fuel: gas, sink: main, capacity_mw: 10}
  - {name: bb, type: boiler, fuel: biogas, sink: main, capacity_mw: 2}
  - {name: up, type: biogas_upgrading, capacity_mw: 1}
"""


def _problems(tmp_path, text):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(restvarme.ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def test_biogas_units_need_the_biogas_bus(tmp_path):
    problems = _problems(tmp_path, YAML.replace("FUELS\n", "").replace("BIOGAS\n", ""))
    found = {(p.path, p.line): p.message for p in problems}
    assert (
        "burns biogas but the scenario has no `biogas` section" in found[(("units", 1, "fuel"), 11)]
    )
    assert "needs a biogas bus" in found[(("units", 2, "type"), 12)]
    # A fuel named biogas and the bus at once is ambiguous.
    problems = _problems(
        tmp_path,
        YAML.replace("FUELS", "  biogas: {price_eur_per_mwh: 30}").replace(
            "BIOGAS", "biogas: {plants: {s: {feedstock: sewage_sludge, production_mw: 1}}}"
        ),
    )
    (problem,) = problems
    assert problem.path == ("fuels", "biogas") and problem.line == 7
    assert "also the biogas bus" in problem.message
    # With the bus alone, or with a purchasable fuel named biogas and no biogas units, it loads.
    path = tmp_path / "scenario.yaml"
    path.write_text(
        YAML.replace("FUELS\n", "").replace(
            "BIOGAS", "biogas: {plants: {s: {feedstock: sewage_sludge, production_mw: 1}}}"
        ),
        encoding="utf-8",
    )
    load_scenario(path)
    path.write_text(
        YAML.replace("FUELS", "  biogas: {price_eur_per_mwh: 30}")
        .replace("BIOGAS\n", "")
        .replace("  - {name: up, type: biogas_upgrading, capacity_mw: 1}\n", ""),
        encoding="utf-8",
    )
    load_scenario(path)


@pytest.mark.slow  # a PyPSA solve: the peer's check
def test_pypsa_peer_reproduces_the_biogas_bus_and_fleets(scenario_factory):
    # The fleet case above (1279.2 EUR) with three more fleets, each 4380 MWh a year at
    # 1 kWh/km: 0.5 MW flat. Electric buses charge 0.5 MW at 40 EUR/MWh (80 EUR), hydrogen buses
    # take 0.5 MW imported at 100 EUR/MWh (200 EUR), diesel buses burn 0.5 MW of diesel at
    # 90 EUR/MWh (180 EUR): 1739.2 EUR. Marginal prices as above (raw biogas 0, vehicle gas
    # 2 EUR/MWh), electricity 40 and hydrogen 100 EUR/MWh. PyPSA finds the same.
    pytest.importorskip("pypsa")
    from restvarme_peers import pypsa_network as peer

    flat = {"vehicle": "bus", "annual_km": 4_380_000, "energy_kwh_per_km": 1.0}
    fleets = {
        "gas_buses": GAS_BUSES,
        "e_buses": {**flat, "drive": "electric"},
        "h2_buses": {**flat, "drive": "hydrogen"},
        "d_buses": {**flat, "drive": "diesel"},
    }
    sf = scenario_factory(
        biogas=BIOGAS,
        fleets=fleets,
        units=[BOILER, UPGRADING],
        hydrogen={"import_price_eur_per_mwh": 100},
        fuels={"gas": {"price_eur_per_mwh": 20.0}, "diesel": {"price_eur_per_mwh": 90.0}},
    )
    ds = restvarme.run(sf)
    assert ds.attrs["objective_eur"] == pytest.approx(1739.2, rel=1e-9)
    n = peer.to_pypsa(build_inputs(sf))
    assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
    assert float(n.objective) == pytest.approx(1739.2, rel=1e-9)
    prices = n.buses_t.marginal_price
    for bus, price in (
        ("biogas", 0.0),
        ("vehicle gas", 2.0),
        ("electricity", 40.0),
        ("hydrogen", 100.0),
    ):
        np.testing.assert_allclose(prices[bus], price, rtol=1e-9, atol=1e-9, err_msg=bus)
    assert peer.unit_output_mwh(n, "biogas")["upgrader"] == pytest.approx(-20.0)
    flared = -n.c["Generator"].dynamic["p"]["biogas flare"]
    assert float(flared.sum()) == pytest.approx(4.0)


def test_summary_prints_the_biogas_balance_and_sector_emissions(scenario_factory, tmp_path):
    # The fleet case above: 24 MWh made (0.02 GWh), 20 MWh to upgrading, 4 MWh flared,
    # 19.6 MWh of vehicle gas to the gas buses; marginal prices 0 and 2 EUR/MWh. The results
    # survive a write and read, and the sector table is the same from the files.
    from rich.console import Console

    from restvarme.accounting.sectors import emissions_by_sector
    from restvarme.cli import print_summary
    from restvarme.results.io import read_results, write_results

    ds = restvarme.run(
        scenario_factory(biogas=BIOGAS, fleets={"gas_buses": GAS_BUSES}, units=[BOILER, UPGRADING])
    )
    console = Console(record=True, width=160)
    print_summary(ds, console)
    text = console.export_text()
    for expected in (
        "Biogas balance",
        "production: sludge (sewage_sludge)",
        "to Biogas upgrading",  # the registry's label of the type
        "biogas fleets",
        "0.00 / 2.00",
        "Emissions by sector",
        "Transport fleets against their baseline",
        "gas_buses",
    ):
        assert expected in text, expected
    back = read_results(write_results(ds, tmp_path / "out"))
    assert emissions_by_sector(back).equals(emissions_by_sector(ds))


def test_biogas_store_in_a_typical_day_run(scenario_factory):
    # 4 days as 2 typical days. The gas buses fuel overnight: 4.9 MW * 24 / 8 = 14.7 MW of
    # vehicle gas (15 MW of raw biogas) in the 8 night hours, nothing by day. The plant makes
    # 6 MW all day (144 MWh a day, enough for the 120 MWh needed). Without a store the daytime
    # biogas is flared and the night buys 8.82 MW from the gas grid; a gas holder lets the
    # daytime biogas (96 MWh) wait for the night: no grid gas. Each typical day is cyclic on its
    # own (a daily store).
    bus = {**BIOGAS, "gas_grid": {"import_price_eur_per_mwh": 50}}
    fleet = {**GAS_BUSES, "profile": "overnight"}
    holder = {"name": "holder", "type": "biogas_storage", "energy_mwh": 200, "charge_mw": 10}
    units = [BOILER, {**UPGRADING, "capacity_mw": 20}]
    horizon = {"hours": 96, "typical_days": 2}
    without = restvarme.run(
        scenario_factory(horizon=horizon, biogas=bus, fleets={"buses": fleet}, units=units)
    )
    ds = restvarme.run(
        scenario_factory(
            horizon=horizon, biogas=bus, fleets={"buses": fleet}, units=[*units, holder]
        )
    )
    assert float(without["gas_grid_import_mwh"]) == pytest.approx(4 * 8 * (14.7 - 5.88))
    assert float(ds["gas_grid_import_mwh"]) == pytest.approx(0.0, abs=1e-6)
    assert ds.attrs["objective_eur"] < without.attrs["objective_eur"]
    # every typical day is one 24 h cycle: what the store takes it gives back the same day
    net = ds["biogas_mw"].sel(unit="holder").values.reshape(2, 24)
    np.testing.assert_allclose(net.sum(axis=1), 0.0, atol=1e-6)
    assert_costs_sum_to_objective(ds)


def test_full_year_check_fixes_a_built_gas_holder(scenario_factory):
    # The typical-day case above with an extendable gas holder (10 EUR/MWh/yr, 0.2 MW per MWh):
    # the hour-by-hour re-run takes the built holder as fixed capacity and, the days being
    # alike, finds the same operating cost.
    from restvarme.api import full_year_check

    bus = {**BIOGAS, "gas_grid": {"import_price_eur_per_mwh": 50}}
    holder = {
        "name": "holder",
        "type": "biogas_storage",
        "energy_mwh": 0,
        "charge_mw": 0,
        "expansion": {
            "capital_cost_eur_per_mwh": 0,
            "fixed_om_eur_per_mwh_year": 10,
            "charge_mw_per_mwh": 0.2,
        },
    }
    sf = scenario_factory(
        horizon={"hours": 96, "typical_days": 2},
        biogas=bus,
        fleets={"buses": {**GAS_BUSES, "profile": "overnight"}},
        units=[BOILER, {**UPGRADING, "capacity_mw": 20}, holder],
    )
    ds = restvarme.run(sf)
    assert float(ds["capacity_new"].sel(unit="holder")) > 0
    check = full_year_check(sf, ds)
    assert float(check["difference"].iloc[0]) == pytest.approx(0.0, abs=1e-6)
