"""Unit commitment (restvarme.units._commitment) on tiny hand-solved systems.

Every case has one network with a demand series, a cheap boiler on gas (20 EUR/MWh of heat:
gas at 20 EUR/MWh, efficiency 1, no carbon price) that carries the commitment, and a peak
boiler on oil (50 EUR/MWh of heat) without one, 20 MW each.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.errors import ScenarioError
from restvarme.inputs.build import build_inputs
from restvarme.model.build import build_model
from tiny_scenarios import SCENARIO_YAML, make_scenario

FUELS = {
    "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.0},
    "oil": {"price_eur_per_mwh": 50.0, "emission_t_per_mwh": 0.0},
}
PEAK = {"name": "peak", "type": "boiler", "fuel": "oil", "sink": "main", "capacity_mw": 20,
        "efficiency": 1.0}  # fmt: skip


def _cheap(**commitment) -> dict:
    unit = {"name": "cheap", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20,
            "efficiency": 1.0}  # fmt: skip
    return {**unit, "commitment": commitment} if commitment else unit


def _scenario(tmp_path, demand_mw, cheap, peak=PEAK):
    (tmp_path / "demand.csv").write_text("mw\n" + "\n".join(map(str, demand_mw)) + "\n")
    network = {"supply_temperature_c": 70.0, "return_temperature_c": 40.0,
               "demand": {"series_mw": "demand.csv"}}  # fmt: skip
    return make_scenario(
        tmp_path,
        horizon={"hours": len(demand_mw)},
        fuels=FUELS,
        networks={"main": network},
        units=[cheap, peak],
    )


def _cheap_heat(results) -> np.ndarray:
    return results["heat_mw"].sel(unit="cheap").values


def test_without_commitment_the_model_stays_an_lp(tmp_path):
    plain = build_model(build_inputs(_scenario(tmp_path, [10, 10, 10, 10], _cheap())))
    assert plain.model.type == "LP"
    assert not any(n.startswith("boiler_status") for n in plain.model.variables)
    committed = _scenario(tmp_path, [10, 10, 10, 10], _cheap(min_load_share=0.5))
    assert build_model(build_inputs(committed)).model.type == "MILP"


def test_minimum_up_time_separates_the_lp_relaxation_from_the_milp(tmp_path):
    # Demand 10, 5, 5, 5 MW. The cheap boiler, off before hour 0, runs at >= 10 MW (min load
    # 0.5 of 20 MW) while on, and stays on >= 2 h once started.
    # MILP: starting in hour 0 would keep it on in hour 1 at >= 10 MW against a demand of 5:
    #   it never starts; the peak boiler serves all 25 MWh: 25 · 50 = 1250 EUR.
    # Without the minimum up time it would run hour 0 alone: 10·20 + 15·50 = 950 EUR.
    # LP relaxation: status 0.5 in every hour lets it run between 5 and 10 MW, the start of
    #   0.5 in hour 0 keeps 0.5 on in hour 1: all 25 MWh at 20 EUR: 500 EUR.
    # LP and MILP differ by 1250 - 500 = 750 EUR.
    sf = _scenario(tmp_path, [10, 5, 5, 5], _cheap(min_load_share=0.5, min_up_time_h=2))
    built = build_model(build_inputs(sf))
    from restvarme.model.solve import solve

    solved = solve(built)
    assert solved.objective_eur == pytest.approx(1250.0, rel=1e-9)
    assert solved.mip is not None
    assert solved.mip.relaxation_objective_eur == pytest.approx(500.0, rel=1e-9)
    assert solved.objective_eur - solved.mip.relaxation_objective_eur == pytest.approx(750.0)
    assert solved.mip.gap <= solved.mip.mip_rel_gap
    no_up_time = _scenario(tmp_path, [10, 5, 5, 5], _cheap(min_load_share=0.5))
    results = restvarme.run(no_up_time)
    assert results.attrs["objective_eur"] == pytest.approx(950.0, rel=1e-9)
    np.testing.assert_allclose(_cheap_heat(results), [10, 0, 0, 0], atol=1e-9)


def test_startup_cost_decides_between_two_starts_one_and_none(tmp_path):
    # Demand 10, 2, 2, 10 MW; the cheap boiler, off before hour 0, runs at >= 5 MW while on
    # (min load 0.25), so it is off in hours 1 and 2. Per start SU:
    #   two starts (hours 0 and 3): 2·SU + 20 MWh·20 + 4 MWh·50 = 2·SU + 600
    #   one start (hour 0 or 3):      SU + 10 MWh·20 + 14 MWh·50 = SU + 900
    #   none: 24 MWh · 50 = 1200
    # SU = 150: 900 (two starts), against 1050 and 1200; SU = 400: 1200 (none), against 1400
    # and 1300.
    demand = [10, 2, 2, 10]
    cheap = _cheap(min_load_share=0.25, startup_cost_eur=150)
    results = restvarme.run(_scenario(tmp_path, demand, cheap))
    assert results.attrs["objective_eur"] == pytest.approx(900.0, rel=1e-9)
    assert float(results["cost_eur"].sel(cost_item="startup")) == pytest.approx(300.0)
    np.testing.assert_allclose(_cheap_heat(results), [10, 0, 0, 10], atol=1e-9)
    np.testing.assert_allclose(
        results["boiler_start"].sel(boiler="cheap").values, [1, 0, 0, 1], atol=1e-9
    )
    dear = _cheap(min_load_share=0.25, startup_cost_eur=400)
    results = restvarme.run(_scenario(tmp_path, demand, dear))
    assert results.attrs["objective_eur"] == pytest.approx(1200.0, rel=1e-9)
    np.testing.assert_allclose(_cheap_heat(results), [0, 0, 0, 0], atol=1e-9)


def test_minimum_down_time_keeps_a_stopped_unit_off(tmp_path):
    # Demand 12, 2, 10, 10 MW; the cheap boiler is on before hour 0 (long enough), runs at
    # >= 5 MW while on, so it is off in hour 1 (demand 2), and then off >= 2 h. Stopping
    # after hour 0: 12·20 + 2·50 + 10·50 + 10·20 = 240 + 100 + 500 + 200 = 1040 EUR; stopping
    # before it: 12·50 + 2·50 + 10·20 + 10·20 = 600 + 100 + 400 = 1100 EUR.
    # Without the minimum down time it restarts in hour 2: 240 + 100 + 200 + 200 = 740 EUR.
    demand = [12, 2, 10, 10]
    cheap = _cheap(min_load_share=0.25, min_down_time_h=2, initial_state="on")
    results = restvarme.run(_scenario(tmp_path, demand, cheap))
    assert results.attrs["objective_eur"] == pytest.approx(1040.0, rel=1e-9)
    np.testing.assert_allclose(_cheap_heat(results), [12, 0, 0, 10], atol=1e-9)
    free = _cheap(min_load_share=0.25, initial_state="on")
    assert restvarme.run(_scenario(tmp_path, demand, free)).attrs["objective_eur"] == (
        pytest.approx(740.0, rel=1e-9)
    )


def test_initial_hours_in_state_hold_a_unit_on(tmp_path):
    # Here the committed unit is the dear one: an oil boiler (50 EUR/MWh), >= 5 MW while on
    # (min load 0.25 of 20 MW), 3 h minimum up time, started 1 h before hour 0; the gas boiler
    # (20 EUR/MWh) has no commitment. Demand 10 MW in each of 4 hours.
    # Held on in hours 0 and 1 (h(t) < 3 - 1 h) at its minimum, 5 MW: 2 · (5·50 + 5·20) = 700;
    # then off, gas for hours 2 and 3: 2 · 10·20 = 400. Total 1100 EUR.
    # On for long enough (no initial hours given) it stops at once: 40 MWh · 20 = 800 EUR.
    held = {**PEAK, "commitment": {"min_load_share": 0.25, "min_up_time_h": 3,
            "initial_state": "on", "initial_hours_in_state_h": 1}}  # fmt: skip
    results = restvarme.run(_scenario(tmp_path, [10, 10, 10, 10], _cheap(), held))
    assert results.attrs["objective_eur"] == pytest.approx(1100.0, rel=1e-9)
    np.testing.assert_allclose(results["heat_mw"].sel(unit="peak").values, [5, 5, 0, 0], atol=1e-9)
    free = {**held, "commitment": {**held["commitment"], "initial_hours_in_state_h": None}}
    results = restvarme.run(_scenario(tmp_path, [10, 10, 10, 10], _cheap(), free))
    assert results.attrs["objective_eur"] == pytest.approx(800.0, rel=1e-9)


def test_commitment_on_an_extendable_unit_is_refused_where_it_is_written(tmp_path):
    text = SCENARIO_YAML + (
        "units:\n"
        "  - name: gb\n"
        "    type: boiler\n"
        "    fuel: gas\n"
        "    sink: main\n"
        "    capacity_mw: 5\n"
        "    expansion: {capital_cost_eur_per_mw: 100000}\n"
        "    commitment: {min_load_share: 0.3}\n"
    )
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        restvarme.load(path)
    message = str(caught.value)
    assert "`commitment` is for units of fixed capacity" in message
    assert "units" in message and "scenario.yaml" in message


def test_a_typo_in_the_commitment_block_names_the_key(tmp_path):
    with pytest.raises(Exception, match="min_up_time"):
        _scenario(tmp_path, [10] * 4, _cheap(min_up_time=2))


def test_run_prints_the_lp_relaxation_and_the_gap(tmp_path):
    # The minimum-up-time case above in `restvarme run`'s summary: MILP 1250 EUR, LP
    # relaxation 500 EUR (0.001 MEUR at three decimals), gap reached within the default 1e-4
    from rich.console import Console

    from restvarme.cli import print_summary

    sf = _scenario(tmp_path, [10, 5, 5, 5], _cheap(min_load_share=0.5, min_up_time_h=2))
    console = Console(record=True, width=200)
    print_summary(restvarme.run(sf), console)
    text = console.export_text()
    assert "Unit commitment (MIP to a relative gap of 0.0001): LP relaxation 0.001 MEUR" in text
    assert "objective 0.001 MEUR" in text
