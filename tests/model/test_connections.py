"""Electricity connections (restvarme.model.connections): tiny cases solved by hand.

Set-up (tiny_scenarios.BASE): 4 hours, heat demand 10 MW on "main", electricity 40 EUR/MWh,
gas 20 EUR/MWh (0.2 t/MWh); the station of tests/station_cases.py: hp_a (COP 4, its source
limits it to 4 MW of heat), hp_b (COP 2.5) and the gas boiler (heat at 25 EUR/MWh).
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.accounting.costs import cost_by_counterparty, cost_by_unit
from restvarme.accounting.emissions import system_emissions_t
from restvarme.accounting.sectors import emissions_by_sector
from restvarme.errors import ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme.results.io import summary_tables
from restvarme.scenario.load import load_scenario
from station_cases import CHP, UNITS, WASTE, heat_pump, line_after, scenario_file
from tiny_scenarios import BASE, GAS_BOILER, make_scenario

HOURS = 4


def electricity(**changes) -> dict:
    return {"price_eur_per_mwh": 40.0, "export_allowed": False, **changes}


def test_a_fee_on_one_connection_only():
    # The main connection's fee (2 EUR/MWh) falls on hp_a, the meter's (5) on hp_b alone:
    # hp_a heat (40 + 2) / 4 = 10.5 EUR/MWh, hp_b (40 + 5) / 2.5 = 18 (< 25, the boiler's).
    # hp_a 4 MW (1 MW electricity), hp_b 6 MW (2.4 MW): 4·10.5 + 6·18 = 150 EUR/h -> 600.
    # Fees over 4 h: main 1·2·4 = 8, meter 2.4·5·4 = 48; electricity bought (1 + 2.4)·40·4 = 544.
    conns = {"hp_meter": {"units": ["hp_b"], "fee_eur_per_mwh": 5}}
    sf = make_scenario(
        waste_heat=WASTE,
        units=UNITS,
        electricity=electricity(grid_fee_eur_per_mwh=2, connections=conns),
    )
    res = restvarme.run(sf)
    assert res.attrs["objective_eur"] == pytest.approx(600.0)
    cost = res["cost_eur"].to_series()
    assert cost["grid_fee"] == pytest.approx(8 + 48)
    assert cost["electricity_purchase"] == pytest.approx(544.0)
    assert float(res["connection_fee_eur"].sel(connection="hp_meter")) == pytest.approx(48)
    assert cost.sum() == pytest.approx(res.attrs["objective_eur"])
    np.testing.assert_allclose(res["grid_import_mw"].values, [3.4] * HOURS)
    # behind the meter electricity costs spot + its fee, 45; on the main bus spot + 2, 42
    price = res["marginal_connection_price_eur_per_mwh"].sel(connection="hp_meter")
    np.testing.assert_allclose(price.values, 45.0)
    np.testing.assert_allclose(res["marginal_electricity_price_eur_per_mwh"].values, 42.0)
    # the by-unit and by-counterparty tables add up to the same items
    by_unit = cost_by_unit(res)["grid_fee"]
    assert by_unit.sum() == pytest.approx(56)
    # each meter's fee is its units': hp_a the main one's 8, hp_b its meter's 48
    assert by_unit["hp_a"] == pytest.approx(8)
    assert by_unit["hp_b"] == pytest.approx(48)
    assert by_unit["gas_boiler"] == pytest.approx(0)
    # the run folder's connections.csv
    table = summary_tables(res)["connections"]
    assert table.loc["hp_meter", "fee_eur"] == pytest.approx(48)
    assert table.loc["hp_meter", "import_mwh"] == pytest.approx(2.4 * HOURS)
    assert cost_by_counterparty(res)["grid operator (fees)"] == pytest.approx(56)


def test_a_high_fee_moves_the_heat_to_the_boiler():
    # At 25 EUR/MWh behind the meter hp_b's heat costs (40 + 25) / 2.5 = 26 > 25: the boiler
    # takes the 6 MW: 4·10 + 6·25 = 190 EUR/h -> 760.
    conns = {"hp_meter": {"units": ["hp_b"], "fee_eur_per_mwh": 25}}
    sf = make_scenario(waste_heat=WASTE, units=UNITS, electricity=electricity(connections=conns))
    res = restvarme.run(sf)
    assert res.attrs["objective_eur"] == pytest.approx(760.0)
    assert res["heat_mwh"].to_series()["hp_b"] == pytest.approx(0.0)


def test_peak_fee_and_import_limit():
    # hp_b behind a meter with a 2 MW import limit: 2 · 2.5 = 5 MW of heat at most. The peak
    # fee, 8760 EUR/MW/yr, is 8760 · 4 / 8760 = 4 EUR per MW of peak over the 4 h. hp_b at its
    # limit every hour: electricity 4 · 2 · 40 = 320 + peak 2 · 4 = 8 for 4 · 5 = 20 MWh of
    # heat, 16.4 EUR/MWh < 25 (the boiler's): it runs at its limit. hp_a 4 MW, hp_b 5 MW,
    # boiler 1 MW: 4 · (4·10 + 5·16 + 1·25) + 8 = 4 · 145 + 8 = 588.
    conns = {"m": {"units": ["hp_b"], "peak_fee_eur_per_mw": 8760, "import_capacity_mw": 2}}
    sf = make_scenario(waste_heat=WASTE, units=UNITS, electricity=electricity(connections=conns))
    res = restvarme.run(sf)
    assert res.attrs["objective_eur"] == pytest.approx(588.0)
    assert float(res["connection_peak_import_mw"].sel(connection="m")) == pytest.approx(2.0)
    assert float(res["cost_eur"].sel(cost_item="grid_peak_fee")) == pytest.approx(8.0)
    assert float(res["cost_eur"].sum()) == pytest.approx(588.0)
    assert cost_by_unit(res).loc["hp_b", "grid_peak_fee"] == pytest.approx(8.0)


def test_an_export_limit_behind_the_meter_holds_the_chp_back():
    # hp_a (4 MW, COP 4) and the CHP (6 MW of heat, 0.6 MW of power per MW of heat, from 2 MW
    # of gas) behind one meter that exports 2 MW at most; the gas boiler outside. CHP heat
    # costs 2 · 20 - 0.6 · 40 = 16 EUR/MWh when its power is sold, less than the boiler's 25.
    # Without the limit: hp_a 4, CHP 6, the meter exports 3.6 - 1 = 2.6 MW: 12 · 20 - 2.6 · 40
    # = 136 EUR/h. With it: the CHP's power is at most 2 + 1 = 3 MW, its heat 5 MW; the boiler
    # makes the other 1 MW: 10 · 20 + 1.25 · 20 - 2 · 40 = 145 EUR/h -> 580 over 4 h.
    units = [heat_pump("hp_a", "a", 4.0, capacity_mw=4), CHP, GAS_BOILER]
    waste = {"a": {"available_mw": 100, "temperature_c": 60}}

    def run(**limit):
        conns = {"site": {"units": ["hp_a", "chp"], **limit}}
        el = electricity(export_allowed=True, connections=conns)
        return restvarme.run(make_scenario(waste_heat=waste, units=units, electricity=el))

    assert run().attrs["objective_eur"] == pytest.approx(136 * HOURS)
    res = run(export_capacity_mw=2)
    assert res.attrs["objective_eur"] == pytest.approx(580.0)
    np.testing.assert_allclose(res["connection_export_mw"].values, [[2.0]] * HOURS)
    assert res["heat_mwh"].to_series()["chp"] == pytest.approx(5 * HOURS)
    assert res["heat_mwh"].to_series()["gas_boiler"] == pytest.approx(1 * HOURS)


@pytest.mark.parametrize(("rule", "grid_t"), [("net", 0.0), ("gross", 0.5 * 1 * HOURS)])
def test_gross_and_net_rules_where_a_chp_covers_the_heat_pump(rule, grid_t):
    # Demand 10 MW = hp_a 4 MW + CHP 6 MW, both at capacity (no other unit; unserved heat costs
    # 5000 EUR/MWh). Behind the site meter every hour: the CHP makes 3.6 MW, hp_a uses
    # 4 / 4 = 1 MW: the meter exports 2.6 MW and imports nothing.
    # net: grid emissions on the import, 0. gross: on hp_a's use, 0.5 t/MWh · 1 MW · 4 h = 2 t.
    # Gas: 12 MW · 0.2 t/MWh · 4 h = 9.6 t. Objective at 100 EUR/t: gas 12·20·4 = 960,
    # carbon (9.6 + grid) · 100, export -2.6·40·4 = -416: 1504 + 100 · grid.
    # A cap of 11 t over the 4 h (a yearly cap of 11 · 8760 / 4 t) leaves the net rule 1.4 t
    # below it; the gross rule (11.6 t) 0.6 t above it, a shortfall paid at the penalty.
    units = [heat_pump("hp_a", "a", 4.0, capacity_mw=4), CHP]
    conns = {"site": {"units": ["hp_a", "chp"], "emission_rule": rule}}
    sf = make_scenario(
        waste_heat={"a": {"available_mw": 100, "temperature_c": 60}},
        units=units,
        carbon_price_eur_per_t=100,
        electricity=electricity(export_allowed=True, emission_t_per_mwh=0.5, connections=conns),
        targets={"emission_cap_t": 11 * 8760 / HOURS},
    )
    res = restvarme.run(sf)
    penalty = float(res["cost_eur"].sel(cost_item="target_shortfall_penalty"))
    assert res.attrs["objective_eur"] - penalty == pytest.approx(1504 + 100 * grid_t)
    np.testing.assert_allclose(res["connection_export_mw"].values, [[2.6]] * HOURS)
    assert float(res["emissions_t"].sel(emission_source="electricity")) == pytest.approx(grid_t)
    # the accounting reads the same rule
    system = system_emissions_t(res)
    assert system["electricity"] == pytest.approx(grid_t)
    assert system.sum() == pytest.approx(float(res["emissions_t"].sum()))
    by_sector = emissions_by_sector(res)["emissions_t"].sum()
    assert by_sector == pytest.approx(float(res["emissions_t"].sum()))
    # the model's emission term (the cap) counts the same
    assert float(res["emission_shortfall_t"]) == pytest.approx(max(0.0, 9.6 + grid_t - 11))


def test_no_connection_reproduces_one_meter_for_everyone():
    # Every unit behind one connection with the main connection's terms is today's model.
    el = electricity(grid_fee_eur_per_mwh=3)
    same = {"all": {"units": ["hp_a", "hp_b", "gas_boiler"], "fee_eur_per_mwh": 3}}
    plain = restvarme.run(make_scenario(waste_heat=WASTE, units=UNITS, electricity=el))
    behind = restvarme.run(
        make_scenario(waste_heat=WASTE, units=UNITS, electricity={**el, "connections": same})
    )
    assert behind.attrs["objective_eur"] == pytest.approx(plain.attrs["objective_eur"], rel=1e-12)
    assert "connection" not in plain.dims


def test_a_scenario_with_neither_feature_builds_todays_model():
    # Without capacity_groups and connections neither module adds a variable or a constraint,
    # in the model or in the elastic one that explains infeasibility, and the optimum is the
    # hand one: hp_a 4 MW, hp_b 6 MW, 4 · 10 + 6 · 16 = 136 EUR/h, 544 EUR over 4 h.
    inputs = build_inputs(make_scenario(waste_heat=WASTE, units=UNITS))
    for elastic in (False, True):
        built = build_model(inputs, elastic=elastic)
        names = [*built.model.variables, *built.model.constraints]
        assert not [n for n in names if n.startswith(("capacity_group", "connection"))]
        assert built.groups is None and built.connections is None
    assert solve(build_model(inputs)).objective_eur == pytest.approx(544.0, rel=1e-12)


@pytest.mark.parametrize(
    ("connections", "where", "says"),
    [
        ({"m": {"units": []}}, "electricity.connections.m.units", "has no units behind it"),
        ({"m": {"units": ["hp_q"]}}, "electricity.connections.m.units[0]", "unknown unit"),
        (
            {"m": {"units": ["hp_a"]}, "n": {"units": ["hp_a"]}},
            "electricity.connections.n.units[0]",
            "already behind connection 'm'",
        ),
    ],
)
def test_connection_rules_name_the_file_and_key(tmp_path, connections, where, says):
    electricity = {**BASE["electricity"], "connections": connections}
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenario_file(tmp_path, electricity=electricity))
    text = str(err.value)
    assert "scenario.yaml:" in text
    assert where in text
    assert says in text


def test_a_connection_no_electricity_flows_through_is_a_located_error(tmp_path):
    # Only the gas boiler behind the meter: it neither uses nor makes electricity, so the
    # meter's fee and rule would apply to nothing. Only the model knows a unit's ports: the
    # error comes when it is built, placed at the line of the connection's `units`.
    conns = {"boilers": {"units": ["gas_boiler"], "fee_eur_per_mwh": 5}}
    path = scenario_file(tmp_path, electricity={**BASE["electricity"], "connections": conns})
    with pytest.raises(ScenarioError) as err:
        restvarme.run(load_scenario(path))
    text = str(err.value)
    line = line_after(path, "    boilers:", "units:")
    assert f"scenario.yaml:{line}: electricity.connections.boilers.units" in text
    assert (
        "no unit behind connection 'boilers' uses or makes electricity (behind it: "
        "gas_boiler); expected at least one unit with an electricity flow"
    ) in text
    # `restvarme validate` builds the model when the scenario has connections or groups, so
    # it finds the same error without solving (exit 2, located, no traceback)
    from typer.testing import CliRunner

    from restvarme.cli import app

    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"scenario.yaml:{line}: electricity.connections.boilers.units" in result.output
    assert "Traceback" not in result.output
