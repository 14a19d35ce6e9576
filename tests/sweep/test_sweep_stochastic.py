"""The two-stage plan (restvarme.sweep.stochastic) on cases solved by hand.

The hand case, 4 hours, gas at 20 EUR/MWh burnt at 80 % (25 EUR/MWh of heat, no carbon
price), an existing 20 MW gas boiler and an extendable electric boiler at 100 % whose capacity
costs 17,520 EUR/MW a year (1 year, 0 %): 2 EUR/MW an hour, 8 EUR/MW over the 4 hours.

- scenario 0 (p = 0.5): 10 MW of demand, electricity at 22 EUR/MWh: each MW of electric boiler
  that runs saves 25 - 22 = 3 EUR an hour;
- scenario 1 (p = 0.5): 6 MW of demand, electricity at 23.5 EUR/MWh: saves 1.5 EUR an hour.

Capacity K in [0, 6] runs in both: it saves 0.5·3 + 0.5·1.5 = 2.25 > 2 EUR/MW·h, so build it;
K in (6, 10] runs in scenario 0 only: 0.5·3 = 1.5 < 2, so do not. The stochastic plan is K = 6:

    cost in scenario 0 = 8·6 + 4·(6·22 + 4·25)   = 48 + 928 = 976 EUR
    cost in scenario 1 = 8·6 + 4·(6·23.5)        = 48 + 564 = 612 EUR
    expected cost (RP)  = 0.5·976 + 0.5·612       = 794 EUR

Each scenario alone: scenario 0 builds 10 MW (3 > 2): 80 + 4·10·22 = 960 EUR; scenario 1 builds
nothing (1.5 < 2): 4·6·25 = 600 EUR. Wait and see: 0.5·960 + 0.5·600 = 780, EVPI = 794 - 780
= 14 EUR. Scenario 0's plan (10 MW) in both: 80 + 0.5·880 + 0.5·(4·6·23.5) = 80 + 440 + 282 =
802 EUR, 8 more than RP; scenario 1's plan (0 MW) in both: 0.5·1000 + 0.5·600 = 800 EUR, 6 more.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

import restvarme.api
from restvarme.sweep.stochastic import (
    Risk,
    build_stochastic,
    compare_plans,
    cvar,
    solve_stochastic,
    summary,
)
from tiny_scenarios import GAS_BOILER, make_scenario

ELECTRIC_BOILER = {
    "name": "eb",
    "type": "electric_boiler",
    "sink": "main",
    "capacity_mw": 0,
    "efficiency": 1.0,
    "expansion": {"capital_cost_eur_per_mw": 17520.0, "lifetime_years": 1, "discount_rate": 0.0},
}
"""2 EUR/MW an hour: 17,520 EUR/MW paid in one year at 0 %, over 8,760 hours."""


def hand_scenario(demand_mw: float, price_eur_per_mwh: float):
    return make_scenario(
        units=[GAS_BOILER, ELECTRIC_BOILER],
        electricity={"price_eur_per_mwh": price_eur_per_mwh, "export_allowed": False},
        networks={
            "main": {
                "supply_temperature_c": 70.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": demand_mw},
            }
        },
    )


SCENARIOS = (hand_scenario(10.0, 22.0), hand_scenario(6.0, 23.5))
EB = "electric_boiler.eb"


@pytest.fixture(scope="module")
def neutral():
    return compare_plans(SCENARIOS, [0, 1], [0.5, 0.5])


def test_the_stochastic_plan_is_the_hand_solution(neutral):
    assert neutral.stochastic.plan[EB] == pytest.approx(6.0, abs=1e-9)
    assert neutral.stochastic.objective_eur == pytest.approx(794.0, rel=1e-9)
    assert list(neutral.stochastic.cost_eur) == pytest.approx([976.0, 612.0], rel=1e-9)


def test_each_scenario_alone_and_evpi(neutral):
    assert neutral.alone[0].plan[EB] == pytest.approx(10.0, abs=1e-9)
    assert neutral.alone[1].plan[EB] == pytest.approx(0.0, abs=1e-9)
    assert neutral.alone[0].objective_eur == pytest.approx(960.0, rel=1e-9)
    assert neutral.alone[1].objective_eur == pytest.approx(600.0, rel=1e-9)
    assert neutral.wait_and_see_eur == pytest.approx(780.0, rel=1e-9)
    assert neutral.evpi_eur == pytest.approx(14.0, rel=1e-9)


def test_the_cost_of_ignoring_uncertainty(neutral):
    table = neutral.table()
    assert list(table.index) == ["stochastic", "case 0 alone", "case 1 alone"]
    assert list(table["expected_cost_eur"]) == pytest.approx([794.0, 802.0, 800.0], rel=1e-9)
    regret = table["cost_of_ignoring_uncertainty_eur"]
    assert list(regret) == pytest.approx([0.0, 8.0, 6.0], abs=1e-9)
    assert list(table.loc["case 0 alone", ["cost_eur.case_0", "cost_eur.case_1"]]) == (
        pytest.approx([960.0, 644.0], rel=1e-9)  # 80 + 880; 80 + 564
    )
    s = summary(neutral)
    assert s["cost_of_ignoring_uncertainty_min_eur"] == pytest.approx(6.0, rel=1e-9)
    assert s["cost_of_ignoring_uncertainty_max_eur"] == pytest.approx(8.0, rel=1e-9)


def test_cvar_makes_the_plan_hedge_the_dear_year():
    # λ = 1, α = 0.5: with two equally likely scenarios CVaR_0.5 is the dearer scenario's cost.
    # For K in [0, 10]: C0(K) = 8K + 4·(22K + 25(10-K)) = 1000 - 4K and C1(K) = 600 + 2K
    # (K <= 6) or 564 + 8K (K >= 6); C0 >= C1 throughout, so CVaR = C0 = 1000 - 4K and
    #     F(K) = E(K) + C0(K),  E(K) = 800 - K (K <= 6), 782 + 2K (K >= 6)
    # F falls at -5 per MW up to 6 and at -2 per MW beyond: K = 10,
    #     F(10) = 802 + 960 = 1762 EUR (F(6) = 794 + 976 = 1770).
    # Wait and see: costs 960 and 600, E = 780, CVaR = 960: WS = 1740, EVPI = 22 EUR.
    # Scenario 1's plan (K = 0): F(0) = 800 + 1000 = 1800, 38 more than the stochastic plan.
    c = compare_plans(SCENARIOS, [0, 1], [0.5, 0.5], Risk(lam=1.0, alpha=0.5))
    assert c.stochastic.plan[EB] == pytest.approx(10.0, abs=1e-9)
    assert c.stochastic.objective_eur == pytest.approx(1762.0, rel=1e-9)
    table = c.table()
    assert table.loc["stochastic", "cvar_eur"] == pytest.approx(960.0, rel=1e-9)
    assert table.loc["stochastic", "expected_cost_eur"] == pytest.approx(802.0, rel=1e-9)
    assert c.wait_and_see_eur == pytest.approx(1740.0, rel=1e-9)
    assert c.evpi_eur == pytest.approx(22.0, rel=1e-9)
    assert table.loc["case 1 alone", "cost_of_ignoring_uncertainty_eur"] == pytest.approx(38.0)


def test_the_lp_objective_with_cvar_is_the_hand_value_at_a_fixed_plan():
    # K fixed at 6: costs 976 and 612, CVaR_0.5 = 976, F = 794 + 976 = 1770 (the LP's own
    # objective: the CVaR rows take η and z at their best)
    model = build_stochastic(SCENARIOS, [0, 1], [0.5, 0.5], Risk(lam=1.0, alpha=0.5))
    fixed = solve_stochastic(model, plan={EB: 6.0})
    assert fixed.objective_eur == pytest.approx(1770.0, rel=1e-9)
    assert fixed.plan[EB] == pytest.approx(6.0, abs=1e-12)


def test_cvar_of_a_discrete_distribution():
    # costs 100 (p 0.7), 200 (p 0.2), 400 (p 0.1); α = 0.8: the worst 20 % are 400 (0.1) and
    # half of 200's 0.2 ... i.e. 0.1 of 200: (0.1·400 + 0.1·200) / 0.2 = 300
    cost = pd.Series([100.0, 200.0, 400.0])
    p = pd.Series([0.7, 0.2, 0.1])
    assert cvar(cost, p, 0.8) == pytest.approx(300.0, rel=1e-12)
    assert cvar(cost, p, 0.0) == pytest.approx(0.7 * 100 + 0.2 * 200 + 0.1 * 400, rel=1e-12)


def richer_scenario(tmp_path):
    """A day of hourly prices and demand, an extendable heat pump on a data centre's heat, an
    extendable tank and the gas boiler: a one-scenario plan must be the deterministic one."""
    prices = [30, 25, 20, 20, 25, 40, 80, 120, 90, 60, 50, 45] * 2
    demand = [8, 8, 7, 7, 8, 10, 14, 16, 15, 13, 12, 11] * 2
    (tmp_path / "price.csv").write_text("price\n" + "\n".join(map(str, prices)) + "\n")
    (tmp_path / "demand.csv").write_text("mw\n" + "\n".join(map(str, demand)) + "\n")
    return make_scenario(
        tmp_path,
        horizon={"hours": 24},
        electricity={"price_eur_per_mwh": "price.csv", "export_allowed": False},
        waste_heat={"dc": {"available_mw": 6.0, "temperature_c": 30.0, "price_eur_per_mwh": 2.0}},
        networks={
            "main": {
                "supply_temperature_c": 70.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": "demand.csv"},
            }
        },
        units=[
            GAS_BOILER,
            {
                "name": "hp",
                "type": "heat_pump",
                "source": "dc",
                "sink": "main",
                "capacity_mw": 0,
                "expansion": {"capital_cost_eur_per_mw": 6.0e5, "lifetime_years": 20},
            },
            {
                "name": "tank",
                "type": "storage",
                "network": "main",
                "energy_mwh": 0,
                "charge_mw": 0,
                "expansion": {
                    "capital_cost_eur_per_mwh": 3.0e3,
                    "lifetime_years": 30,
                    "charge_mw_per_mwh": 0.25,
                },
            },
        ],
    )


def test_one_scenario_is_the_deterministic_expansion(tmp_path):
    sf = richer_scenario(tmp_path)
    deterministic = restvarme.api.run(sf)
    solved = solve_stochastic(build_stochastic([sf], [0], [1.0]))
    assert solved.objective_eur == pytest.approx(deterministic.attrs["objective_eur"], rel=1e-9)
    assert float(solved.cost_eur.iloc[0]) == pytest.approx(
        float(deterministic["cost_eur"].sum()), rel=1e-9
    )
    built = deterministic["capacity_new"].to_series()
    assert solved.plan["heat_pump.hp"] == pytest.approx(built["hp"], rel=1e-9, abs=1e-9)
    assert solved.plan["storage.tank"] == pytest.approx(built["tank"], rel=1e-9, abs=1e-9)
    assert built["hp"] > 0  # the case does choose capacity


def test_a_scenario_that_changes_a_connection_is_refused():
    other = copy.deepcopy(SCENARIOS[1].scenario.model_dump(exclude_unset=True))
    other["units"][1]["sink"] = "other"
    other["networks"]["other"] = other["networks"]["main"]
    from restvarme.errors import ScenarioError
    from restvarme.scenario.load import ScenarioFile
    from restvarme.scenario.schema import Scenario

    changed = ScenarioFile(Scenario.model_validate(other), None, SCENARIOS[1].base_dir)
    with pytest.raises(ScenarioError, match="case 1 changes"):
        build_stochastic([SCENARIOS[0], changed], [0, 1], [0.5, 0.5])
