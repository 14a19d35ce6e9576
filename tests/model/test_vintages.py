"""Pathway vintages: each keeps the lifetime and yearly cost of its build period, and the results
report each period as the objective charges it.

Set-up as tests/model/test_pathway.py: 4 hours of a flat 10 MW load (40 MWh per period's
horizon, 4/8760 of a year), gas heat at 25 EUR/MWh, electric heat at 30 EUR/MWh, r = 0 unless a
test says otherwise, periods 2026/2028/2030 of 2 years each.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.model.test_pathway import YEARS, eb, gas, run

import restvarme


def _discounted_sum(ds) -> float:
    return float(ds["discounted_cost_eur"].sum())


def test_falling_capital_cost_reports_each_vintage_at_its_own_price(scenario_factory):
    # No gas in 2026 (commissioned 2028): 10 MW of electric boiler are built in 2026 at
    # 50 EUR/MW per horizon (20-year life, r = 0). In 2030 new capacity costs half (25 EUR/MW),
    # but the 2026 vintage still costs what it was bought for: capital 10 * 50 = 500 EUR in every
    # period, not 250 in 2030. Objective: 2026: 2 * (40 * 30 + 500) = 3400; 2028 and 2030 run
    # gas: 2 * (40 * 25 + 500) = 3000 each -> 9400.
    half = {"units.eb.expansion.capital_cost_eur_per_mw": 25 / YEARS * 20}
    periods = [{"year": 2026}, {"year": 2028}, {"year": 2030, "changes": half}]
    for foresight in ("perfect", "myopic"):
        ds = run(
            scenario_factory,
            [gas(commissioned_year=2028), eb(50)],
            pathway={"periods": periods, "last_period_years": 2, "foresight": foresight},
        )
        np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
        np.testing.assert_allclose(
            ds["cost_eur"].sel(cost_item="capital"), [500, 500, 500], rtol=1e-9
        )
        assert ds.attrs["objective_eur"] == pytest.approx(9400.0, rel=1e-9)
        assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_falling_capital_cost_discounted_sums_to_the_objective(scenario_factory):
    # The case: capital cost falls from 1,000,000 to 500,000 EUR/MW in 2030, r = 5 %,
    # a 2026 build that serves 2030. Before vintages were reported at their own price the cost
    # items summed to less than the objective (2030's capital priced at the new cost).
    periods = [
        {"year": 2026},
        {"year": 2028},
        {"year": 2030, "changes": {"units.eb.expansion.capital_cost_eur_per_mw": 500_000}},
    ]
    unit = eb(0)
    unit["expansion"] = {"capital_cost_eur_per_mw": 1_000_000, "lifetime_years": 20}
    ds = run(
        scenario_factory,
        [gas(commissioned_year=2028), unit],
        discount_rate=0.05,
        pathway={"periods": periods, "last_period_years": 2},
    )
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
    capital = ds["cost_eur"].sel(cost_item="capital").values
    np.testing.assert_allclose(capital, capital[0], rtol=1e-12)  # the same vintage throughout
    assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


@pytest.mark.parametrize("foresight", ["perfect", "myopic"])
def test_a_longer_lifetime_later_applies_to_new_vintages_only(scenario_factory, foresight):
    # The 2026 vintage is built with a 3-year life: it serves 2026 and 2028 (2026 <= y < 2029),
    # not 2030, although 2028 raises the lifetime of new electric boilers to 20 years. Gas comes
    # in 2028 and is cheaper, so nothing more is built. In service, as the LP has it: 10, 10, 0.
    periods = [
        {"year": 2026},
        {"year": 2028, "changes": {"units.eb.expansion.lifetime_years": 20}},
        {"year": 2030},
    ]
    ds = run(
        scenario_factory,
        [gas(commissioned_year=2028), eb(50, lifetime=3)],
        pathway={"periods": periods, "last_period_years": 2, "foresight": foresight},
    )
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_new"].sel(unit="eb"), [10, 10, 0], atol=1e-6)
    np.testing.assert_allclose(ds["heat_mwh"].sel(unit="gas"), [0, 40, 40], atol=1e-6)
    # its capital is paid while it serves: 10 MW * 50 EUR/MW per horizon in 2026 and 2028
    np.testing.assert_allclose(ds["cost_eur"].sel(cost_item="capital"), [500, 500, 0], atol=1e-6)
    assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def test_a_shorter_lifetime_later_does_not_retire_an_earlier_vintage(scenario_factory):
    # The reverse: the 2026 vintage has a 20-year life; 2028 cuts new builds' life to 1 year.
    # The 2026 capacity must still serve 2030 (the LP does not rebuild it): built 10, 0, 0 and
    # in service 10, 10, 10. Gas is never there, so electric heat runs throughout.
    periods = [
        {"year": 2026},
        {"year": 2028, "changes": {"units.eb.expansion.lifetime_years": 1}},
        {"year": 2030},
    ]
    ds = run(scenario_factory, [eb(50)], pathway={"periods": periods, "last_period_years": 2})
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_new"].sel(unit="eb"), [10, 10, 10], atol=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(3 * 2 * (40 * 30 + 500), rel=1e-9)
    assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)


def _in_service_by_hand(built: np.ndarray, years: list[int], lives: list[int]) -> np.ndarray:
    """What the vintages built in each period (``built``) leave in service in each period: a
    vintage of period b serves period p when y_b <= y_p < y_b + life_b."""
    return np.array(
        [
            sum(built[b] for b in range(len(years)) if years[b] <= y < years[b] + lives[b])
            for y in years
        ]
    )


@pytest.mark.parametrize("seed", range(6))
def test_generated_pathways_report_what_the_objective_charges(scenario_factory, seed):
    # Small random pathways (3 or 4 periods, r in [0, 8 %], per-period capital costs, lifetimes,
    # gas prices and a gas unit that may retire): the discounted cost items must sum to the
    # objective, and the capacity in service must be what each vintage's own lifetime leaves.
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 5))
    years = list(2026 + np.cumsum(rng.integers(1, 4, n)) - 1)
    years = [int(y) for y in years]
    lives = [int(v) for v in rng.integers(1, 8, n)]
    costs = rng.uniform(20, 80, n) / YEARS * 10
    periods = []
    for i, year in enumerate(years):
        change = {
            "units.eb.expansion.capital_cost_eur_per_mw": float(costs[i]),
            "units.eb.expansion.lifetime_years": lives[i],
            "fuels.gas.price_eur_per_mwh": float(rng.uniform(10, 40)),
        }
        periods.append({"year": year, "changes": change})
    retire = years[int(rng.integers(1, n))]
    ds = run(
        scenario_factory,
        [gas(retired_year=retire), eb(0, lifetime=lives[0])],
        discount_rate=float(rng.uniform(0, 0.08)),
        pathway={"periods": periods, "last_period_years": int(rng.integers(1, 4))},
    )
    assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)
    built = ds["capacity_built"].sel(unit="eb").values
    np.testing.assert_allclose(
        ds["capacity_new"].sel(unit="eb"), _in_service_by_hand(built, years, lives), atol=1e-6
    )
    assert np.all(ds["unserved_heat_mwh"].values < 1e-6)


@pytest.mark.slow  # a pathway of an example (tests/conftest.py); the hand cases above stay fast
def test_lund_2030_discounted_costs_sum_to_the_objective():
    # The pathway example on its first two weeks (336 h as 4 typical days), as in
    # tests/test_example_lund.py: every reported cost item, discounted, adds up to the objective.
    sf = restvarme.load("lund_2030")
    short = sf.scenario.model_copy(
        update={"horizon": sf.scenario.horizon.model_copy(update={"hours": 336, "typical_days": 4})}
    )
    ds = restvarme.run(type(sf)(short, sf.path, sf.base_dir))
    assert _discounted_sum(ds) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)
