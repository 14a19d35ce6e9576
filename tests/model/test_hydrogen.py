"""Tiny hand-solvable cases of the hydrogen bus: electrolysers, their waste heat, hydrogen stores.

Common set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" at 70/40 °C with 10 MW
demand, gas at 20 EUR/MWh (boiler η 0.8: 25 EUR/MWh of heat, no carbon price), electricity at
40 EUR/MWh, no export. Hydrogen demand 6.5 MW; electrolyser efficiency 0.65, so it draws
10 MW of electricity (400 EUR/h) to meet it.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import load_scenario
from tiny_scenarios import GAS_BOILER as BOILER

HX = {"name": "hx", "type": "heat_exchanger", "source": "h2heat", "sink": "main", "capacity_mw": 20}
HYDROGEN = {"demand_mw": 6.5}


def electrolyser(**changes):
    unit = {
        "name": "ely",
        "type": "electrolyser",
        "capacity_mw": 20,
        "efficiency": 0.65,
        "waste_heat": "h2heat",
        "waste_heat_temperature_c": 80,
    }
    return {**unit, **changes}


def source(temperature_c=80.0):
    """A waste-heat source with nothing of its own: all its heat comes from the electrolyser."""
    return {"h2heat": {"available_mw": 0, "temperature_c": temperature_c}}


def solve(factory, **changes):
    return restvarme.run(factory(**changes))


def cost(ds, item):
    return float(ds["cost_eur"].sel(cost_item=item))


def assert_costs_sum_to_objective(ds):
    assert float(ds["cost_eur"].sum()) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_electrolyser_meets_demand_at_price_over_efficiency(scenario_factory):
    # No recoverable heat (heat_share 0). Electrolyser: 10 MW * 40 EUR * 4 h = 1600 EUR;
    # boiler: 10 MW * 25 * 4 = 1000 EUR; total 2600 EUR. One more MWh of hydrogen needs
    # 1/0.65 MWh of electricity: marginal price 40 / 0.65 = 61.54 EUR/MWh.
    ds = solve(
        scenario_factory,
        hydrogen=HYDROGEN,
        waste_heat=source(),
        units=[BOILER, HX, electrolyser(heat_share=0.0)],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(2600.0, rel=1e-9)
    assert float(ds["hydrogen_mwh"].sel(unit="ely")) == pytest.approx(26.0)
    assert float(ds["electricity_mwh"].sel(unit="ely")) == pytest.approx(-40.0)
    assert float(ds["unserved_hydrogen_mwh"]) == pytest.approx(0.0)
    np.testing.assert_allclose(ds["marginal_hydrogen_price_eur_per_mwh"], 40 / 0.65, rtol=1e-9)
    assert cost(ds, "electricity_purchase") == pytest.approx(1600.0)
    assert_costs_sum_to_objective(ds)


def test_default_heat_share_is_one_minus_efficiency_minus_losses(scenario_factory):
    inputs = build_inputs(
        scenario_factory(hydrogen=HYDROGEN, waste_heat=source(), units=[BOILER, HX, electrolyser()])
    )
    assert float(inputs["electrolyser_heat_share"].sel(electrolyser="ely")) == pytest.approx(0.30)


def test_waste_heat_reaches_the_network_directly_and_displaces_the_boiler(scenario_factory):
    # Default heat share 1 - 0.65 - 0.05 = 0.30: 3 MW of heat at 80 °C; 80 - 5 K approach >= 70 °C
    # supply, so the heat exchanger feeds the supply line. Boiler covers 7 MW.
    # Per hour 400 (electricity) + 7 * 25 (boiler) = 575 EUR; 4 h -> 2300 EUR.
    # Marginal hydrogen: (40 - 0.30 * 25) / 0.65 = 32.5 / 0.65 = 50 EUR/MWh (its heat saves gas).
    ds = solve(
        scenario_factory,
        hydrogen=HYDROGEN,
        waste_heat=source(80.0),
        units=[BOILER, HX, electrolyser()],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(2300.0, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="h2heat")
    assert float(used.sel(route="direct")) == pytest.approx(12.0)
    np.testing.assert_allclose(ds["waste_heat_offered_mw"].sel(waste_source="h2heat"), 3.0)
    assert float(ds["heat_mwh"].sel(unit="gas_boiler")) == pytest.approx(28.0)
    np.testing.assert_allclose(ds["marginal_hydrogen_price_eur_per_mwh"], 50.0, rtol=1e-9)
    assert_costs_sum_to_objective(ds)


def test_cold_waste_heat_goes_through_a_heat_pump(scenario_factory):
    # Heat at 40 °C: too cold to preheat the 40 °C return, so only a heat pump can use it.
    # COP capped at 3 (quality grade 1: Carnot 347.15 / 39 = 8.9 > 3). The 3 MW offered are
    # the evaporator heat Q·(1 - 1/3) -> Q = 4.5 MW of network heat for 1.5 MW of electricity
    # (60 EUR/h, 13.3 EUR/MWh < boiler 25). Boiler covers 5.5 MW (137.5 EUR/h).
    # Per hour 400 + 60 + 137.5 = 597.5 EUR; 4 h -> 2390 EUR.
    hp = {
        "name": "hp",
        "type": "heat_pump",
        "cop_method": "carnot",
        "source": "h2heat",
        "sink": "main",
        "capacity_mw": 20,
        "quality_grade": 1.0,
        "max_cop": 3.0,
    }
    ds = solve(
        scenario_factory,
        hydrogen=HYDROGEN,
        waste_heat=source(40.0),
        units=[BOILER, HX, hp, electrolyser(waste_heat_temperature_c=40)],
    )
    np.testing.assert_allclose(ds["heat_pump_cop"].sel(heat_pump="hp"), 3.0)
    assert ds.attrs["objective_eur"] == pytest.approx(2390.0, rel=1e-9)
    used = ds["waste_heat_used_mwh"].sel(waste_source="h2heat")
    assert float(used.sel(route="heat_pump")) == pytest.approx(12.0)
    assert float(used.sel(route="preheat")) == pytest.approx(0.0)
    assert float(ds["heat_mwh"].sel(unit="hp")) == pytest.approx(18.0)
    assert_costs_sum_to_objective(ds)


def test_hydrogen_storage_shifts_cheap_electricity(scenario_factory, tmp_path):
    # Electricity at 20, 20, 60, 60 EUR/MWh. The electrolyser runs at its 20 MW (13 MW of
    # hydrogen) in the two cheap hours; the store takes 6.5 MW in each and gives it back in the
    # dear hours: 2 h * 20 MW * 20 EUR = 800 EUR, plus the boiler's 1000 EUR -> 1800 EUR
    # (without the store: 10 MW * (20 + 20 + 60 + 60) = 1600, total 2600).
    (tmp_path / "price.csv").write_text("price\n20\n20\n60\n60\n")
    store = {"name": "tank", "type": "hydrogen_storage", "energy_mwh": 100, "charge_mw": 20}
    ds = solve(
        scenario_factory,
        hydrogen=HYDROGEN,
        waste_heat=source(),
        electricity={"price_eur_per_mwh": "price.csv", "export_allowed": False},
        units=[BOILER, HX, electrolyser(heat_share=0.0), store],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(1800.0, rel=1e-9)
    np.testing.assert_allclose(ds["hydrogen_mw"].sel(unit="ely"), [13, 13, 0, 0], atol=1e-9)
    np.testing.assert_allclose(
        ds["hydrogen_mw"].sel(unit="tank"), [-6.5, -6.5, 6.5, 6.5], atol=1e-9
    )
    np.testing.assert_allclose(
        ds["hydrogen_storage_level_mwh"].sel(hydrogen_storage="tank"), [6.5, 13, 6.5, 0], atol=1e-9
    )
    assert_costs_sum_to_objective(ds)


def test_import_and_unserved_hydrogen_are_cost_items(scenario_factory):
    # Import at 50 EUR/MWh beats the electrolyser's 61.5: 26 MWh * 50 = 1300 EUR, plus the
    # boiler's 1000. A second run without import and without an electrolyser leaves 26 MWh
    # unserved at 100 EUR/MWh = 2600 EUR.
    ds = solve(
        scenario_factory,
        hydrogen={**HYDROGEN, "import_price_eur_per_mwh": 50},
        waste_heat=source(),
        units=[BOILER, HX, electrolyser(heat_share=0.0)],
    )
    assert ds.attrs["objective_eur"] == pytest.approx(2300.0, rel=1e-9)
    assert cost(ds, "hydrogen_import") == pytest.approx(1300.0)
    assert float(ds["hydrogen_import_mwh"]) == pytest.approx(26.0)
    np.testing.assert_allclose(ds["marginal_hydrogen_price_eur_per_mwh"], 50.0, rtol=1e-9)
    assert_costs_sum_to_objective(ds)
    ds = solve(
        scenario_factory, hydrogen={**HYDROGEN, "unserved_penalty_eur_per_mwh": 100}, units=[BOILER]
    )
    assert cost(ds, "unserved_hydrogen_penalty") == pytest.approx(2600.0)
    assert_costs_sum_to_objective(ds)


def test_electrolyser_can_be_built(scenario_factory):
    # No existing capacity; new capacity at 10 EUR/MW/yr fixed O&M only (capital 0), over 4 h:
    # 10 MW built costs 10 * 10 * 4/8760 EUR on top of the 2600 EUR of the first test.
    expansion = {"capital_cost_eur_per_mw": 0, "fixed_om_eur_per_mw_year": 10}
    ds = solve(
        scenario_factory,
        hydrogen=HYDROGEN,
        waste_heat=source(),
        units=[BOILER, HX, electrolyser(capacity_mw=0, heat_share=0.0, expansion=expansion)],
    )
    assert float(ds["capacity_new"].sel(unit="ely")) == pytest.approx(10.0)
    assert ds.attrs["objective_eur"] == pytest.approx(2600 + 100 * 4 / 8760, rel=1e-9)
    assert_costs_sum_to_objective(ds)


def test_heat_colder_than_its_source_is_refused(scenario_factory):
    sf = scenario_factory(
        hydrogen=HYDROGEN,
        waste_heat=source(80.0),
        units=[BOILER, HX, electrolyser(waste_heat_temperature_c=60)],
    )
    with pytest.raises(restvarme.ScenarioError, match=r"60 °C.*80 °C"):
        build_inputs(sf)


YAML = """\
name: h2
horizon: {hours: 4}
location: {name: Testville, outdoor_temperature_c: 5.0}
electricity: {price_eur_per_mwh: 60}
networks:
  main: {supply_temperature_c: 80, return_temperature_c: 45, demand: {series_mw: 5}}
waste_heat:
  stack: {available_mw: 0, temperature_c: 60}
HYDROGEN
units:
  - {name: hx, type: heat_exchanger, source: stack, sink: main, capacity_mw: 2}
  - {name: ely, type: electrolyser, capacity_mw: 5, waste_heat: SOURCE,
     waste_heat_temperature_c: 60}
"""


def test_electrolyser_needs_the_hydrogen_bus_and_a_waste_heat_source(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(YAML.replace("HYDROGEN\n", "").replace("SOURCE", "stak"), encoding="utf-8")
    with pytest.raises(restvarme.ScenarioError) as info:
        load_scenario(path)
    messages = [p.message for p in info.value.problems]
    assert any("needs a hydrogen bus" in m for m in messages)
    assert any("unknown waste_heat source 'stak' in unit 'ely'" in m for m in messages)
    path.write_text(
        YAML.replace("HYDROGEN", "hydrogen: {demand_mw: 1}").replace("SOURCE", "stak"),
        encoding="utf-8",
    )
    with pytest.raises(restvarme.ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.suggestion) == (
        ("units", 1, "waste_heat"),
        12,
        "stack",
    )
    path.write_text(
        YAML.replace("HYDROGEN", "hydrogen: {demand_mw: 1}").replace("SOURCE", "stack"),
        encoding="utf-8",
    )
    load_scenario(path)


@pytest.mark.slow  # a PyPSA solve: the peer's check
def test_pypsa_peer_reproduces_the_hand_solved_electrolyser_case(scenario_factory):
    # The case of test_waste_heat_reaches_the_network_directly_and_displaces_the_boiler, built
    # independently in PyPSA (restvarme_peers): the same 2300 EUR and, in every hour, the same
    # marginal hydrogen price (40 - 0.30 * 25) / 0.65 = 50 EUR/MWh.
    pytest.importorskip("pypsa")
    from restvarme_peers import pypsa_network as peer

    inputs = build_inputs(
        scenario_factory(
            hydrogen=HYDROGEN, waste_heat=source(80.0), units=[BOILER, HX, electrolyser()]
        )
    )
    n = peer.to_pypsa(inputs)
    assert peer.optimize(n, log_to_console=False) == ("ok", "optimal")
    assert float(n.objective) == pytest.approx(2300.0, rel=1e-9)
    np.testing.assert_allclose(n.buses_t.marginal_price["hydrogen"], 50.0, rtol=1e-9)
