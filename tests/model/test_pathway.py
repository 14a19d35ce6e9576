"""Pathway runs: periods planned together, capacity carried by lifetime, discounting, targets.

Set-up (tests/conftest.py BASE): 4 hours of a flat 10 MW load = 40 MWh per period's horizon,
which stands for 4/8760 of each year. Gas heat costs 20/0.8 = 25 EUR/MWh (no carbon price) and
emits 0.2/0.8 = 0.25 t/MWh; electric heat costs 30 EUR/MWh and emits nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.errors import ScenarioError
from restvarme.inputs.pathway import discounted_years
from restvarme.scenario.schema import Pathway

YEARS = 4 / 8760
PERIODS = [{"year": 2026}, {"year": 2028}, {"year": 2030}]


def gas(**extra):
    return {
        "name": "gas",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 20,
        "efficiency": 0.8,
        **extra,
    }


def eb(horizon_cost_per_mw: float, lifetime: int = 20, **extra):
    """Extendable electric boiler whose capacity costs this much per MW over one period's
    4-hour horizon (straight-line annuity at r = 0: capital / lifetime per year)."""
    capital = horizon_cost_per_mw / YEARS * lifetime
    return {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 0,
        "efficiency": 1.0,
        **extra,
        "expansion": {"capital_cost_eur_per_mw": capital, "lifetime_years": lifetime},
    }


def run(factory, units, **changes):
    base = {
        "discount_rate": 0.0,
        "electricity": {"price_eur_per_mwh": 30, "export_allowed": False},
        "pathway": {"periods": PERIODS, "last_period_years": 2},
    }
    base.update(changes)
    return restvarme.run(factory(units=units, **base))


def test_discounted_years_by_hand():
    # r = 5 %, periods 2026/2028/2030 of 2 years each, base 2026:
    # D = [1 + 1/1.05, 1/1.05^2 + 1/1.05^3, 1/1.05^4 + 1/1.05^5]
    pathway = Pathway.model_validate({"periods": PERIODS})
    expected = [1 + 1 / 1.05, 1.05**-2 + 1.05**-3, 1.05**-4 + 1.05**-5]
    np.testing.assert_allclose(discounted_years(pathway, 0.05), expected, rtol=1e-12)


def test_retirement_forces_a_build_in_the_right_period(scenario_factory):
    # Gas (25 EUR/MWh) beats electricity (30) until it retires in 2030; then 10 MW of electric
    # boiler must be built, at 50 EUR/MW per horizon. With r = 0 each period counts 2 years:
    # 2026: 2 * 40 * 25 = 2000; 2028: 2000; 2030: 2 * (40 * 30 + 10 * 50) = 3400 -> 7400.
    ds = run(scenario_factory, [gas(retired_year=2030), eb(50)])
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [0, 0, 10], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_existing"].sel(unit="gas"), [20, 20, 0])
    assert ds.attrs["objective_eur"] == pytest.approx(7400.0, rel=1e-9)
    assert float(ds["discounted_cost_eur"].sum()) == pytest.approx(
        ds.attrs["objective_eur"], rel=1e-9
    )


def test_capacity_ends_with_its_lifetime(scenario_factory):
    # Gas is not there in 2026 (commissioned 2028), so 10 MW of electric boiler are built in 2026.
    # With a 3-year life they stand in 2026 and 2028 (2026 <= y < 2029) but not 2030. From 2028
    # gas is there and cheaper (25 < 30 EUR/MWh), so it runs in 2028 and 2030.
    ds = run(scenario_factory, [gas(commissioned_year=2028), eb(50, lifetime=3)])
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_new"].sel(unit="eb"), [10, 10, 0], atol=1e-6)
    np.testing.assert_allclose(ds["heat_mwh"].sel(unit="gas"), [0, 40, 40], atol=1e-6)


def test_changes_apply_per_period(scenario_factory):
    # The gas price rises to 40 EUR/MWh (50 EUR/MWh heat) in 2030 only: electric heat (30 EUR/MWh)
    # plus 50 EUR/MW of capacity (12.5 EUR/MWh over 40 MWh) beats it there, not before.
    periods = [
        {"year": 2026},
        {"year": 2028},
        {"year": 2030, "changes": {"fuels.gas.price_eur_per_mwh": 40}},
    ]
    ds = run(
        scenario_factory, [gas(), eb(50)], pathway={"periods": periods, "last_period_years": 2}
    )
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [0, 0, 10], atol=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(2000 + 2000 + 2 * (1200 + 500), rel=1e-9)


def test_emission_cap_has_a_shadow_price(scenario_factory):
    # A cap of 5 t per horizon in 2030 (5 / YEARS t/yr) on 10 t of gas emissions: 5 t must go.
    # Replacing 1 MWh of gas heat by electric heat avoids 0.25 t and costs 30 - 25 = 5 EUR:
    # 20 EUR/t. An existing 20 MW electric boiler makes capacity free.
    periods = [
        {"year": 2026},
        {"year": 2028},
        {"year": 2030, "changes": {"targets.emission_cap_t": 5 / YEARS}},
    ]
    free_eb = {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 20,
        "efficiency": 1.0,
    }
    ds = run(
        scenario_factory, [gas(), free_eb], pathway={"periods": periods, "last_period_years": 2}
    )
    emitted = ds["emissions_t"].sum("emission_source")
    np.testing.assert_allclose(emitted, [10, 10, 5], rtol=1e-9)
    assert float(ds["shadow_carbon_price_eur_per_t"].sel(period=2030)) == pytest.approx(
        20.0, rel=1e-9
    )
    assert float(ds["emission_shortfall_t"].sel(period=2030)) == pytest.approx(0.0, abs=1e-9)


def test_unreachable_neutrality_is_reported_not_hidden(scenario_factory):
    # Only gas: 10 t per period horizon. Neutral in 2030 with a residual of 1 t per horizon:
    # the model cannot comply, solves anyway and reports a shortfall of 9 t in 2030.
    periods = [
        {"year": 2026},
        {"year": 2028},
        {
            "year": 2030,
            "changes": {"targets.neutral": True, "targets.residual_emissions_t": 1 / YEARS},
        },
    ]
    ds = run(scenario_factory, [gas()], pathway={"periods": periods, "last_period_years": 2})
    np.testing.assert_allclose(ds["emission_shortfall_t"], [0, 0, 9], atol=1e-6)
    np.testing.assert_allclose(ds["emission_cap_t"].sel(period=2030), 1.0, rtol=1e-9)


def test_bad_change_is_a_located_error(scenario_factory):
    periods = [{"year": 2026}, {"year": 2028, "changes": {"units.nope.capacity_mw": 3}}]
    with pytest.raises(ScenarioError, match=r"pathway\.periods\[1\]\.changes.*units\.nope"):
        run(scenario_factory, [gas()], pathway={"periods": periods})


def test_myopic_plan_cannot_beat_perfect_foresight(scenario_factory):
    # Gas is retired in 2030. Electric boiler capacity costs 50 EUR/MW per horizon year-share
    # and lives 20 years. Both foresights must build 10 MW by 2030; perfect foresight waits
    # until 2030 (7400 EUR, see above). A myopic plan sees each period alone: it also builds in
    # 2030 here, so the two plans cost the same; in general myopic >= perfect.
    units = [gas(retired_year=2030), eb(50)]
    perfect = run(scenario_factory, units)
    myopic = run(
        scenario_factory,
        units,
        pathway={"periods": PERIODS, "last_period_years": 2, "foresight": "myopic"},
    )
    assert myopic.attrs["foresight"] == "myopic"
    np.testing.assert_allclose(myopic["capacity_built"].sel(unit="eb"), [0, 0, 10], atol=1e-6)
    assert myopic.attrs["objective_eur"] == pytest.approx(perfect.attrs["objective_eur"], rel=1e-9)


def test_myopic_carries_capacity_and_its_annuity_forward(scenario_factory):
    # No gas in 2026 (commissioned 2028): a myopic planner must build 10 MW of electric boiler in
    # 2026. Later periods see it as existing (built before), so they build nothing more and run
    # gas (25 < 30 EUR/MWh) from 2028. Its annuity (10 MW * 50 EUR per horizon) is still paid in
    # 2028 and 2030 (lifetime 20 years). With r = 0 and 2 years per period:
    # 2026: 2 * (40 * 30 + 500) = 3400; 2028 and 2030: 2 * (40 * 25 + 500) = 3000 each -> 9400.
    units = [gas(commissioned_year=2028), eb(50)]
    ds = run(
        scenario_factory,
        units,
        pathway={"periods": PERIODS, "last_period_years": 2, "foresight": "myopic"},
    )
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="eb"), [10, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_new"].sel(unit="eb"), [10, 10, 10], atol=1e-6)
    np.testing.assert_allclose(ds["capacity_existing"].sel(unit="eb"), [0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(ds["cost_eur"].sel(cost_item="capital"), [500, 500, 500], rtol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(9400.0, rel=1e-9)


def test_full_year_check_keeps_retirements_and_rebuilds(scenario_factory):
    # Gas's existing 20 MW retire in 2030, but gas can be rebuilt at 10 EUR/MW per horizon
    # (straight-line at r = 0, 20 years), cheaper than electric heat (30 > 25 EUR/MWh): the plan
    # builds 10 MW of new gas in 2030. On 2-hour blocks of a flat load the plan is exact, so the
    # hourly re-run with capacities fixed must cost the same: 40 MWh * 25 = 1000 EUR in every
    # period, no unserved heat — the check must neither revive the retired 20 MW nor drop the
    # new 10 MW along with them.
    from restvarme.api import full_year_check

    gas_ext = gas(
        retired_year=2030,
        expansion={"capital_cost_eur_per_mw": 10 / YEARS * 20, "lifetime_years": 20},
    )
    sf = scenario_factory(
        units=[gas_ext, eb(50)],
        discount_rate=0.0,
        horizon={"hours": 4, "resolution_h": 2},
        electricity={"price_eur_per_mwh": 30, "export_allowed": False},
        pathway={"periods": PERIODS, "last_period_years": 2},
    )
    plan = restvarme.run(sf)
    np.testing.assert_allclose(plan["capacity_built"].sel(unit="gas"), [0, 0, 10], atol=1e-6)
    table = full_year_check(sf, plan)
    np.testing.assert_allclose(table["full_year_operating_cost_eur"], [1000, 1000, 1000], rtol=1e-9)
    np.testing.assert_allclose(table["difference"], 0.0, atol=1e-9)
    np.testing.assert_allclose(table["full_year_unserved_heat_mwh"], 0.0, atol=1e-9)
