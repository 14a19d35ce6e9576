"""Tiny hand-solvable cases of the electricity side: local demand, PV and wind, batteries, fuel
cells, and the located errors of their inputs.

Common set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" at 70/40 °C with 10 MW
demand, gas at 20 EUR/MWh (boiler η 0.8: 25 EUR/MWh of heat, no carbon price, so the boiler's
40 MWh cost 1000 EUR), electricity at 40 EUR/MWh, no export unless a test allows it.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.errors import InfeasibleError
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import load_scenario
from restvarme_peers import pypsa_network as peer  # imports PyPSA only when a network is built
from tiny_scenarios import GAS_BOILER as BOILER

BOILER_EUR = 1000.0
"""The boiler's cost of the 40 MWh of heat: 40 / 0.8 MWh of gas at 20 EUR/MWh."""


def electricity(**changes):
    return {"price_eur_per_mwh": 40.0, "export_allowed": False, **changes}


def pv(**changes):
    return {"name": "roof_pv", "type": "pv", "capacity_mw": 10, "capacity_factor": 0.5, **changes}


def cost(ds, item):
    return float(ds["cost_eur"].sel(cost_item=item))


def assert_costs_sum_to_objective(ds):
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def mwh(ds, name):
    return float((ds[name] * ds["snapshot_weight_h"]).sum())


# --- local demand ---------------------------------------------------------------------------


def test_local_demand_raises_import_by_exactly_its_energy(scenario_factory):
    # Without local demand nothing is bought (the boiler burns gas): objective 1000 EUR.
    # A constant 3 MW for 4 h is 12 MWh bought at 40 EUR/MWh: +480 EUR, and one more MWh of it
    # costs the import price, 40 EUR/MWh, in every hour.
    base = restvarme.run(scenario_factory(units=[BOILER]))
    ds = restvarme.run(
        scenario_factory(units=[BOILER], electricity=electricity(demand={"series_mw": 3}))
    )
    assert base.attrs["objective_eur"] == pytest.approx(BOILER_EUR, rel=1e-9)
    assert mwh(base, "grid_import_mw") == pytest.approx(0.0, abs=1e-9)
    assert mwh(ds, "grid_import_mw") == pytest.approx(12.0, rel=1e-9)
    assert float(ds["electricity_demand_mwh"]) == pytest.approx(12.0)
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 480.0, rel=1e-9)
    assert cost(ds, "electricity_purchase") == pytest.approx(480.0)
    np.testing.assert_allclose(ds["marginal_electricity_price_eur_per_mwh"], 40.0, rtol=1e-9)
    assert ds["electricity_demand_mw"].attrs["units"] == "MW"
    assert_costs_sum_to_objective(ds)


def test_annual_total_is_spread_by_its_profile(scenario_factory, tmp_path):
    # 8.76 GWh a year is a mean of 1 MW; the profile 1, 3, 0, 0 has mean 1 over the 4 hours, so
    # demand is 1, 3, 0, 0 MW (4 MWh, the horizon's 4/8760 share of the year).
    (tmp_path / "shape.csv").write_text("shape\n1\n3\n0\n0\n")
    sf = scenario_factory(
        units=[BOILER], electricity=electricity(demand={"annual_gwh": 8.76, "profile": "shape.csv"})
    )
    np.testing.assert_allclose(build_inputs(sf)["electricity_demand_mw"], [1, 3, 0, 0])
    ds = restvarme.run(sf)
    np.testing.assert_allclose(ds["grid_import_mw"], [1, 3, 0, 0], atol=1e-9)


def test_demand_is_averaged_over_blocks_like_other_series(scenario_factory, tmp_path):
    # resolution_h 2 merges hours 1-2 and 3-4: mean power 2 and 0 MW, each block weighted 2 h,
    # so the energy bought is still 2·2 = 4 MWh.
    (tmp_path / "d.csv").write_text("d\n1\n3\n0\n0\n")
    sf = scenario_factory(
        units=[BOILER],
        horizon={"hours": 4, "resolution_h": 2},
        electricity=electricity(demand={"series_mw": "d.csv"}),
    )
    np.testing.assert_allclose(build_inputs(sf)["electricity_demand_mw"], [2, 0])
    ds = restvarme.run(sf)
    assert mwh(ds, "grid_import_mw") == pytest.approx(4.0, rel=1e-9)
    assert float(ds["electricity_demand_mwh"]) == pytest.approx(4.0)


def test_demand_above_the_import_limit_names_the_electricity_balance(scenario_factory):
    # 3 MW of demand, 2 MW of import capacity, nothing else makes electricity: 1 MW short in
    # each of the 4 hours, 4 MWh, from the first hour on.
    sf = scenario_factory(
        units=[BOILER], electricity=electricity(demand={"series_mw": 3}, import_capacity_mw=2)
    )
    with pytest.raises(InfeasibleError) as info:
        restvarme.run(sf)
    message = str(info.value)
    assert "the electricity balance cannot be met: 4 MWh short" in message
    assert "over 4 snapshot(s), first at 2030-01-01 00:00:00" in message
    assert "heat balance" not in message


# --- PV and wind ----------------------------------------------------------------------------


def test_pv_runs_only_to_avoid_buying(scenario_factory):
    # PV at 45 EUR/MWh of variable cost: dearer than selling (spot 40) but cheaper than buying
    # (spot 40 + grid fee 10 = 50). Of its 10 · 0.5 = 5 MW it covers the 2 MW local demand and
    # curtails the other 3 MW although export is allowed: 2 MW · 4 h · 45 = 360 EUR, nothing bought.
    # The next MWh of demand would come from PV: marginal price 45 EUR/MWh.
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, pv(vom_eur_per_mwh=45)],
            electricity=electricity(
                grid_fee_eur_per_mwh=10, export_allowed=True, demand={"series_mw": 2}
            ),
        )
    )
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 360.0, rel=1e-9)
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="roof_pv"), 2.0, atol=1e-9)
    assert mwh(ds, "grid_import_mw") + mwh(ds, "grid_export_mw") == pytest.approx(0, abs=1e-9)
    assert float(ds["renewable_curtailment_mwh"].sel(renewable="roof_pv")) == pytest.approx(12.0)
    assert str(ds["unit_type"].sel(unit="roof_pv").values) == "pv"
    assert cost(ds, "variable_om") == pytest.approx(360.0)
    np.testing.assert_allclose(ds["marginal_electricity_price_eur_per_mwh"], 45.0, rtol=1e-9)
    assert float(ds["emissions_t"].sel(emission_source="electricity")) == 0.0
    assert_costs_sum_to_objective(ds)


def test_wind_is_curtailed_when_it_cannot_be_sold(scenario_factory, tmp_path):
    # 10 MW of wind at capacity factors 0.2, 0.5, 1, 0 offers 2, 5, 10, 0 MW for a 3 MW demand.
    # No export: it covers min(offer, 3) = 2, 3, 3, 0 and curtails 0, 2, 7, 0 (9 MWh); the grid
    # covers 1, 0, 0, 3 MW: 4 MWh at 40 + 10 grid fee = 200 EUR. (The fee also keeps the grid
    # from buying and selling in the same hour.)
    (tmp_path / "cf.csv").write_text("cf\n0.2\n0.5\n1.0\n0\n")
    wind = {"name": "wind", "type": "wind", "capacity_mw": 10, "capacity_factor": "cf.csv"}
    demand = {"series_mw": 3}
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, wind], electricity=electricity(demand=demand, grid_fee_eur_per_mwh=10)
        )
    )
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="wind"), [2, 3, 3, 0], atol=1e-9)
    np.testing.assert_allclose(
        ds["renewable_curtailment_mw"].sel(renewable="wind"), [0, 2, 7, 0], atol=1e-9
    )
    np.testing.assert_allclose(ds["grid_import_mw"], [1, 0, 0, 3], atol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 200.0, rel=1e-9)
    assert cost(ds, "grid_fee") == pytest.approx(40.0)
    assert_costs_sum_to_objective(ds)
    # With export up to 4 MW at spot: 0, 2, 4, 0 MW sold (6 MWh, -240 EUR), 3 MWh curtailed.
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, wind],
            electricity=electricity(
                demand=demand, grid_fee_eur_per_mwh=10, export_allowed=True, export_capacity_mw=4
            ),
        )
    )
    np.testing.assert_allclose(ds["grid_export_mw"], [0, 2, 4, 0], atol=1e-9)
    assert float(ds["renewable_curtailment_mwh"].sel(renewable="wind")) == pytest.approx(3.0)
    assert cost(ds, "electricity_sales") == pytest.approx(-240.0)
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 200.0 - 240.0, rel=1e-9)
    assert_costs_sum_to_objective(ds)


def test_pv_is_built_while_a_megawatt_saves_more_than_it_costs(scenario_factory, tmp_path):
    # New PV costs 8760 EUR/MW/yr (fixed O&M, no capital): 4 EUR/MW over the 4 h. Capacity
    # factors 0.5, 0.25, 0, 0.5 against a 3 MW demand bought at 40 EUR/MWh. Up to 6 MW a MW
    # saves (0.5 + 0.25 + 0.5) · 40 = 50 EUR; from 6 to 12 MW only hour 2's 0.25 · 40 = 10 EUR;
    # beyond 12 MW nothing. So 12 MW are built (48 EUR) and only hour 3 buys: 3 · 40 = 120 EUR.
    (tmp_path / "cf.csv").write_text("cf\n0.5\n0.25\n0\n0.5\n")
    expansion = {"capital_cost_eur_per_mw": 0, "fixed_om_eur_per_mw_year": 8760}
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, pv(capacity_mw=0, capacity_factor="cf.csv", expansion=expansion)],
            electricity=electricity(demand={"series_mw": 3}),
        )
    )
    assert float(ds["capacity_new"].sel(unit="roof_pv")) == pytest.approx(12.0, rel=1e-9)
    np.testing.assert_allclose(ds["grid_import_mw"], [0, 0, 3, 0], atol=1e-9)
    np.testing.assert_allclose(
        ds["renewable_available_mw"].sel(renewable="roof_pv"), [6, 3, 0, 6], atol=1e-9
    )
    assert cost(ds, "capital") == pytest.approx(48.0, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 120.0 + 48.0, rel=1e-9)
    assert_costs_sum_to_objective(ds)


def test_capacity_factor_above_one_is_a_located_error(scenario_factory, tmp_path):
    (tmp_path / "cf.csv").write_text("cf\n0.5\n1.2\n0.3\n0\n")
    sf = scenario_factory(units=[BOILER, pv(capacity_factor="cf.csv")])
    with pytest.raises(restvarme.ScenarioError) as info:
        build_inputs(sf)
    (problem,) = info.value.problems
    assert problem.path == ("units", 1, "capacity_factor")
    assert "1 value(s) above 1, first 1.2 at CSV line 3; expected numbers <= 1" in problem.message
    sf = scenario_factory(units=[BOILER, pv(capacity_factor=1.5)])
    with pytest.raises(restvarme.ScenarioError, match=r"got 1.5; expected a number <= 1"):
        build_inputs(sf)


# --- batteries ------------------------------------------------------------------------------


def test_battery_arbitrages_two_prices_through_its_losses(scenario_factory, tmp_path):
    # Spot 20, 30, 60, 60 EUR/MWh; 4 MW of local demand; no export. A battery with η 0.9 each
    # way (0.81 round trip), 10 MW of charging power. A MWh delivered from hour 1's electricity
    # costs 20 / 0.81 = 24.7 EUR: less than buying in any later hour (30, 60, 60), so the battery
    # charges its full 10 MW in hour 1 and stores 9 MWh. Hours 3 and 4 (60 EUR) come first:
    # 4 MW each takes 4 / 0.9 = 4.444 MWh from the store, 8.889 in all; the remaining 0.111 MWh
    # gives 0.1 MW in hour 2. Charging in hour 2 to serve hours 3-4 (30 / 0.81 = 37) is not
    # needed: they are already served. Electricity: 14 · 20 + 3.9 · 30 = 397 EUR
    # (without the battery 4 · (20 + 30 + 60 + 60) = 680 EUR).
    (tmp_path / "price.csv").write_text("price\n20\n30\n60\n60\n")
    battery = {
        "name": "bat",
        "type": "battery",
        "energy_mwh": 100,
        "charge_mw": 10,
        "efficiency_charge": 0.9,
        "efficiency_discharge": 0.9,
    }
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, battery],
            electricity=electricity(price_eur_per_mwh="price.csv", demand={"series_mw": 4}),
        )
    )
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 14 * 20 + 3.9 * 30, rel=1e-9)
    np.testing.assert_allclose(ds["battery_charge_mw"].sel(battery="bat"), [10, 0, 0, 0], atol=1e-9)
    np.testing.assert_allclose(
        ds["battery_discharge_mw"].sel(battery="bat"), [0, 0.1, 4, 4], atol=1e-9
    )
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="bat"), [-10, 0.1, 4, 4], atol=1e-9)
    np.testing.assert_allclose(ds["grid_import_mw"], [14, 3.9, 0, 0], atol=1e-9)
    level = ds["battery_level_mwh"].sel(battery="bat")  # cyclic: known up to its lowest level
    np.testing.assert_allclose(level - level.min(), [9, 9 - 0.1 / 0.9, 4 / 0.9, 0], atol=1e-9)
    assert float(ds["battery_charge_mwh"].sel(battery="bat")) == pytest.approx(10.0)
    assert_costs_sum_to_objective(ds)


def test_battery_can_be_built_with_its_power(scenario_factory, tmp_path):
    # Spot 20, 60, 20, 60 EUR/MWh, 1 MW of demand, a lossless battery that may only be built:
    # 1 MW of charge and discharge power per MWh, 8760 EUR/MWh/yr -> 4 EUR/MWh over 4 h.
    # Each MWh built (and its 1 MW) moves 1 MWh from each cheap hour to the next dear one and
    # saves 2 · 40 = 80 EUR > 4: it is built until the dear hours buy nothing, 1 MWh.
    # Electricity 2 · 2 MW · 20 = 80 EUR, plus 4 EUR capital.
    (tmp_path / "price.csv").write_text("price\n20\n60\n20\n60\n")
    battery = {
        "name": "bat",
        "type": "battery",
        "energy_mwh": 0,
        "charge_mw": 0,
        "efficiency_charge": 1,
        "efficiency_discharge": 1,
        "expansion": {
            "capital_cost_eur_per_mwh": 0,
            "fixed_om_eur_per_mwh_year": 8760,
            "charge_mw_per_mwh": 1,
        },
    }
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, battery],
            electricity=electricity(price_eur_per_mwh="price.csv", demand={"series_mw": 1}),
        )
    )
    assert float(ds["capacity_new"].sel(unit="bat")) == pytest.approx(1.0, rel=1e-9)
    np.testing.assert_allclose(ds["grid_import_mw"], [2, 0, 2, 0], atol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(BOILER_EUR + 80 + 4, rel=1e-9)
    assert_costs_sum_to_objective(ds)


# --- fuel cells -----------------------------------------------------------------------------


def fuel_cell(**changes):
    return {
        "name": "fc",
        "type": "fuel_cell",
        "capacity_mw": 2,
        "efficiency_el": 0.5,
        "efficiency_heat": 0.4,
        "sink": "main",
        **changes,
    }


def test_fuel_cell_wins_by_its_heat(scenario_factory):
    # Hydrogen imported at 30 EUR/MWh; electricity bought at 40 + 10 fee = 50 EUR/MWh; 3 MW of
    # local demand. A MWh from the fuel cell burns 2 MWh of hydrogen (60 EUR) and gives
    # 0.4/0.5 = 0.8 MWh of heat, which saves 0.8 · 25 = 20 EUR of boiler gas: 40 < 50, so it
    # runs at its 2 MW. Per hour: hydrogen 4 MW · 30 = 120, grid 1 MW · 50 = 50, boiler
    # (10 - 1.6) · 25 = 210 -> 380 EUR; 4 h -> 1520 EUR.
    # Without its heat (efficiency_heat 0) the MWh costs 60 > 50 and the cell stays off:
    # grid 3 · 50 + boiler 250 = 400 EUR per hour, 1600 EUR.
    common = dict(
        hydrogen={"demand_mw": 0, "import_price_eur_per_mwh": 30},
        electricity=electricity(grid_fee_eur_per_mwh=10, demand={"series_mw": 3}),
    )
    ds = restvarme.run(scenario_factory(units=[BOILER, fuel_cell()], **common))
    assert ds.attrs["objective_eur"] == pytest.approx(1520.0, rel=1e-9)
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="fc"), 2.0, atol=1e-9)
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="fc"), 1.6, atol=1e-9)
    np.testing.assert_allclose(ds["hydrogen_mw"].sel(unit="fc"), -4.0, atol=1e-9)
    assert float(ds["hydrogen_import_mwh"]) == pytest.approx(16.0)
    assert cost(ds, "hydrogen_import") == pytest.approx(480.0)
    assert_costs_sum_to_objective(ds)
    ds = restvarme.run(scenario_factory(units=[BOILER, fuel_cell(efficiency_heat=0.0)], **common))
    assert ds.attrs["objective_eur"] == pytest.approx(1600.0, rel=1e-9)
    np.testing.assert_allclose(ds["electricity_mw"].sel(unit="fc"), 0.0, atol=1e-9)
    assert_costs_sum_to_objective(ds)


YAML = """\
name: fc
horizon: {hours: 4}
location: {name: Testville, outdoor_temperature_c: 5.0}
electricity: {price_eur_per_mwh: 60}
networks:
  main: {supply_temperature_c: 80, return_temperature_c: 45, demand: {series_mw: 5}}
HYDROGEN
units:
  - {name: fc, type: fuel_cell, capacity_mw: 1, efficiency_heat: 0.3, sink: SINK}
"""


def test_fuel_cell_needs_the_hydrogen_bus_and_a_heat_network(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(YAML.replace("HYDROGEN\n", "").replace("SINK", "mian"), encoding="utf-8")
    with pytest.raises(restvarme.ScenarioError) as info:
        load_scenario(path)
    by_key = {p.path: p for p in info.value.problems}
    assert set(by_key) == {("units", 0, "type"), ("units", 0, "sink")}
    assert "fuel_cell 'fc' needs a hydrogen bus" in by_key["units", 0, "type"].message
    assert by_key["units", 0, "type"].line == 8
    assert by_key["units", 0, "sink"].suggestion == "main"
    path.write_text(
        YAML.replace("HYDROGEN", "hydrogen: {import_price_eur_per_mwh: 80}").replace(
            "SINK", "main"
        ),
        encoding="utf-8",
    )
    load_scenario(path)


# --- results, summary and the PyPSA peer ------------------------------------------------------


def test_summary_prints_an_electricity_balance_that_closes(scenario_factory):
    import io

    from rich.console import Console

    from restvarme.cli import print_summary

    wind = {"name": "wind", "type": "wind", "capacity_mw": 200, "capacity_factor": 0.5}
    eboiler = {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 10,
        "efficiency": 1.0,
    }
    # Electricity at 5 EUR/MWh: the electric boiler (5 EUR/MWh of heat) beats gas (25) for all
    # 10 MW; wind gives 100 MW; local demand 250 MW. Over 4 h: wind 0.40 GWh, electric boiler
    # -0.04, demand -1.00, so the grid brings 0.64 GWh and the rows add up to 0.
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, eboiler, wind],
            electricity=electricity(price_eur_per_mwh=5, demand={"series_mw": 250}),
        )
    )
    buffer = io.StringIO()
    print_summary(ds, Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "Electricity balance" in text
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in text.splitlines()
        if line.count("│") == 3
    }
    assert rows["grid import"] == "0.64"
    assert rows["grid export"] == "-0.00"
    assert rows["PV and wind"] == "0.40"  # rows are named by the registry's labels
    assert rows["Electric boiler"] == "-0.04"
    assert rows["local demand"] == "-1.00"
    assert rows["balance"] == "0.00"
    assert "Battery (net)" not in rows and "Heat pump" not in rows  # only types the run has


def _peer_cases(tmp_path):
    """The hand-solved cases above as (scenario changes, objective [EUR], checks on the solved
    PyPSA network): the figures each test above derives by hand."""
    (tmp_path / "arbitrage.csv").write_text("price\n20\n30\n60\n60\n")
    (tmp_path / "swing.csv").write_text("price\n20\n60\n20\n60\n")
    (tmp_path / "wind.csv").write_text("cf\n0.2\n0.5\n1.0\n0\n")
    (tmp_path / "sun.csv").write_text("cf\n0.5\n0.25\n0\n0.5\n")
    battery = {
        "name": "bat",
        "type": "battery",
        "energy_mwh": 100,
        "charge_mw": 10,
        "efficiency_charge": 0.9,
        "efficiency_discharge": 0.9,
    }
    built_battery = {
        **battery,
        "energy_mwh": 0,
        "charge_mw": 0,
        "efficiency_charge": 1,
        "efficiency_discharge": 1,
        "expansion": {
            "capital_cost_eur_per_mwh": 0,
            "fixed_om_eur_per_mwh_year": 8760,
            "charge_mw_per_mwh": 1,
        },
    }
    wind = {"name": "wind", "type": "wind", "capacity_mw": 10, "capacity_factor": "wind.csv"}
    built_pv = pv(
        capacity_mw=0,
        capacity_factor="sun.csv",
        expansion={"capital_cost_eur_per_mw": 0, "fixed_om_eur_per_mw_year": 8760},
    )

    def p(n, comp, name, attr="p"):
        return n.c[comp].dynamic[attr][name].to_numpy()

    return {
        # local demand: +480 EUR, marginal price 40 EUR/MWh in every hour
        "local_demand": (
            dict(units=[BOILER], electricity=electricity(demand={"series_mw": 3})),
            BOILER_EUR + 480.0,
            lambda n: [
                (n.buses_t.marginal_price["electricity"], 40.0),
                (n.loads_t.p["electricity demand"], 3.0),
            ],
        ),
        # PV at 45 EUR/MWh covers the 2 MW and curtails the rest: price 45
        "pv_avoids_buying": (
            dict(
                units=[BOILER, pv(vom_eur_per_mwh=45)],
                electricity=electricity(
                    grid_fee_eur_per_mwh=10, export_allowed=True, demand={"series_mw": 2}
                ),
            ),
            BOILER_EUR + 360.0,
            lambda n: [
                (n.buses_t.marginal_price["electricity"], 45.0),
                (p(n, "Generator", "roof_pv"), 2.0),
            ],
        ),
        # wind curtailed without export: 2, 3, 3, 0 MW generated, 1, 0, 0, 3 MW bought
        "wind_curtailed": (
            dict(
                units=[BOILER, wind],
                electricity=electricity(demand={"series_mw": 3}, grid_fee_eur_per_mwh=10),
            ),
            BOILER_EUR + 200.0,
            lambda n: [
                (p(n, "Generator", "wind"), [2, 3, 3, 0]),
                (p(n, "Generator", "grid import"), [1, 0, 0, 3]),
            ],
        ),
        # battery arbitrage through its losses: charge 10 MW in hour 1, give 0.1, 4, 4 MW
        "battery_arbitrage": (
            dict(
                units=[BOILER, battery],
                electricity=electricity(price_eur_per_mwh="arbitrage.csv", demand={"series_mw": 4}),
            ),
            BOILER_EUR + 14 * 20 + 3.9 * 30,
            lambda n: [
                (p(n, "Link", "bat charge", "p0"), [10, 0, 0, 0]),
                (-p(n, "Link", "bat discharge", "p1"), [0, 0.1, 4, 4]),
            ],
        ),
        # a lossless battery built from nothing at 1 MW per MWh: 1 MWh
        "battery_built": (
            dict(
                units=[BOILER, built_battery],
                electricity=electricity(price_eur_per_mwh="swing.csv", demand={"series_mw": 1}),
            ),
            BOILER_EUR + 80.0 + 4.0,
            lambda n: [
                (peer.capacity_new(n)["bat"], 1.0),
                (p(n, "Generator", "grid import"), [2, 0, 2, 0]),
            ],
        ),
        # PV built while a MW saves more than its 4 EUR: 12 MW
        "pv_built": (
            dict(units=[BOILER, built_pv], electricity=electricity(demand={"series_mw": 3})),
            BOILER_EUR + 120.0 + 48.0,
            lambda n: [
                (peer.capacity_new(n)["roof_pv"], 12.0),
                (p(n, "Generator", "grid import"), [0, 0, 3, 0]),
            ],
        ),
        # the fuel cell runs at its 2 MW for its heat: 1.6 MW into main, 4 MW of hydrogen
        "fuel_cell_heat": (
            dict(
                units=[BOILER, fuel_cell()],
                hydrogen={"demand_mw": 0, "import_price_eur_per_mwh": 30},
                electricity=electricity(grid_fee_eur_per_mwh=10, demand={"series_mw": 3}),
            ),
            1520.0,
            lambda n: [
                (-p(n, "Link", "fc", "p1"), 2.0),
                (-p(n, "Link", "fc", "p2"), 1.6),
                (p(n, "Link", "fc", "p0"), 4.0),
            ],
        ),
        # without its heat (no sink, no bus2) the MWh costs 60 > 50 and the cell stays off
        "fuel_cell_without_heat": (
            dict(
                units=[BOILER, fuel_cell(efficiency_heat=0.0)],
                hydrogen={"demand_mw": 0, "import_price_eur_per_mwh": 30},
                electricity=electricity(grid_fee_eur_per_mwh=10, demand={"series_mw": 3}),
            ),
            1600.0,
            lambda n: [
                (p(n, "Link", "fc", "p0"), 0.0),
                (n.c.links.static.at["fc", "bus2"] == "", True),
            ],
        ),
    }


PEER_CASES = [
    "local_demand",
    "pv_avoids_buying",
    "wind_curtailed",
    "battery_arbitrage",
    "battery_built",
    "pv_built",
    "fuel_cell_heat",
    "fuel_cell_without_heat",
]


@pytest.mark.slow  # eight PyPSA solves: the peer's checks
@pytest.mark.parametrize("case", PEER_CASES)
def test_pypsa_peer_reproduces_the_hand_solved_cases(scenario_factory, tmp_path, case):
    # The electricity side built independently in PyPSA (restvarme_peers): each hand-solved case
    # above gives the same objective and the same flows (or built capacity) as derived by hand.
    pytest.importorskip("pypsa")
    changes, objective, checks = _peer_cases(tmp_path)[case]
    n = peer_network(build_inputs(scenario_factory(**changes)))
    assert float(n.objective) == pytest.approx(objective, rel=1e-9)
    for got, expected in checks(n):
        np.testing.assert_allclose(np.asarray(got, dtype=float), expected, atol=1e-9)


def peer_network(inputs):
    n = peer.to_pypsa(inputs)
    assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
    return n


# --- time aggregation and pathways ----------------------------------------------------------


def test_pathway_periods_carry_their_own_demand(scenario_factory):
    # 3 MW in 2030, changed to 5 MW in 2035: 12 and 20 MWh bought, each period on its own.
    pathway = {
        "periods": [{"year": 2030}, {"year": 2035, "changes": {"electricity.demand.series_mw": 5}}]
    }
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER], pathway=pathway, electricity=electricity(demand={"series_mw": 3})
        )
    )
    np.testing.assert_allclose(ds["electricity_demand_mwh"], [12, 20])
    np.testing.assert_allclose(
        (ds["grid_import_mw"] * ds["snapshot_weight_h"]).sum("snapshot"), [12, 20], rtol=1e-9
    )


def test_typical_days_keep_the_electricity_balance_and_daily_batteries(scenario_factory, tmp_path):
    # Three days, two typical days: whatever tsam picks, every typical hour must balance
    # (import - export + units = demand), the battery must end each typical day where it began
    # (a daily store), and the weighted demand must still be 3 days of a flat 1 MW: 72 MWh.
    # Without export, the sunny day's surplus PV is worth storing for the night (it saves
    # buying at 40 EUR/MWh), so the battery is used.
    (tmp_path / "cf.csv").write_text(
        "cf\n"
        + "\n".join(
            str(f)
            for f in [
                0,
                0,
                0,
                0,
                0,
                0,
                0.1,
                0.3,
                0.5,
                0.7,
                0.8,
                0.8,
                0.8,
                0.7,
                0.5,
                0.3,
                0.1,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
            ]
            * 2
            + ["0"] * 24
        )
        + "\n"
    )
    battery = {"name": "bat", "type": "battery", "energy_mwh": 4, "charge_mw": 2}
    ds = restvarme.run(
        scenario_factory(
            units=[BOILER, pv(capacity_factor="cf.csv"), battery],
            horizon={"hours": 72, "typical_days": 2},
            electricity=electricity(demand={"annual_gwh": 8.76}),
        )
    )
    w = ds["snapshot_weight_h"]
    assert float((ds["electricity_demand_mw"] * w).sum()) == pytest.approx(72.0)
    closes = (
        ds["grid_import_mw"]
        - ds["grid_export_mw"]
        + ds["electricity_mw"].sum("unit")
        - ds["electricity_demand_mw"]
    )
    np.testing.assert_allclose(closes, 0.0, atol=1e-6)
    level = ds["battery_level_mwh"].sel(battery="bat").values.reshape(2, 24)
    charge = ds["battery_charge_mw"].sel(battery="bat").values.reshape(2, 24)
    discharge = ds["battery_discharge_mw"].sel(battery="bat").values.reshape(2, 24)
    eta = 0.92  # the default efficiency each way
    np.testing.assert_allclose(eta * charge.sum(1) - discharge.sum(1) / eta, 0.0, atol=1e-6)
    assert level.max() <= 4 + 1e-6
    assert discharge.sum() > 1.0
    assert_costs_sum_to_objective(ds)
