"""Rolling-horizon operation on tiny hand-solved systems (restvarme.operate.rolling)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

import restvarme
from restvarme.cli_operate import print_foresight
from restvarme.errors import ScenarioError
from restvarme.operate import operate, windows
from restvarme.operate.rolling import Window
from tiny_scenarios import GAS_BOILER, make_scenario

E_BOILER = {
    "name": "eb",
    "type": "electric_boiler",
    "sink": "main",
    "capacity_mw": 20,
    "efficiency": 1.0,
}
GAS = {**GAS_BOILER, "capacity_mw": 20}  # 25 EUR per MWh of heat (gas 20 EUR/MWh at 80 %)
LOSSY_TANK = {
    "name": "tank",
    "type": "storage",
    "network": "main",
    "energy_mwh": 10,
    "charge_mw": 10,
    "standing_loss_per_hour": 0.1,
}


def _prices(tmp_path, values):
    (tmp_path / "price.csv").write_text("price\n" + "\n".join(str(v) for v in values) + "\n")
    return {"price_eur_per_mwh": "price.csv", "export_allowed": False}


def test_windows_commit_their_steps_and_the_last_commits_all():
    assert windows(5, 2, 1) == [
        Window(0, 0, 2, 1),
        Window(1, 1, 3, 2),
        Window(2, 2, 4, 3),
        Window(3, 3, 5, 5, last=True),
    ]
    assert windows(4, 48, 24) == [Window(0, 0, 4, 4, last=True)]
    assert windows(4, 2, 2) == [Window(0, 0, 2, 2), Window(1, 2, 4, 4, last=True)]
    with pytest.raises(ValueError, match="step"):
        windows(4, 1, 2)


@given(hours=st.integers(1, 400), step=st.integers(1, 60), extra=st.integers(0, 60))
def test_committed_hours_cover_the_horizon_once(hours, step, extra):
    # every hour is committed by exactly one window, in order; each window plans at most
    # `horizon` hours from its start, and only the last reaches the end
    planned = windows(hours, step + extra, step)
    committed = np.concatenate([np.arange(w.start, w.commit) for w in planned])
    np.testing.assert_array_equal(committed, np.arange(hours))
    assert all(w.stop - w.start <= step + extra and w.start < w.commit for w in planned)
    assert [w.last for w in planned] == [False] * (len(planned) - 1) + [True]


def test_store_level_is_carried_across_windows(tmp_path):
    # Load 10 MW; electric boiler 20 MW at 10, 100, 10, 100 EUR/MWh; gas boiler at 25 EUR/MWh
    # of heat; a tank of 10 MWh, 10 MW, losing 10 % per hour (κ = 0.9), starting at 5 MWh
    # (initial_level_share 0.5). Windows of 2 h, step 2 h: [0, 2) and [2, 4) (the last).
    # Window 0 starts at 5 and must end at >= κ²·5 = 4.05 (no net draw, losses allowed).
    #   Discharging in hour 1 saves 25 EUR and costs 10/0.9 in hour 0: fill the tank in
    #   hour 0, L0 = 0.9·5 + C0 = 10 (C0 = 5.5), and discharge down to the end rule:
    #   L1 = 4.05, D1 = 0.9·10 - 4.05 = 4.95; gas for 10 - 4.95 = 5.05 MWh.
    #   Cost: 15.5 MWh · 10 + 5.05 MWh · 25 = 155 + 126.25 = 281.25 EUR.
    # Window 1 starts at 4.05 (carried) and, being the last, ends at >= the year's start, 5.
    #   L2 = 0.9·4.05 + C2 = 10 (C2 = 6.355), D3 = 0.9·10 - 5 = 4; gas 6 MWh.
    #   Cost: 16.355 · 10 + 6 · 25 = 163.55 + 150 = 313.55 EUR.
    # Year: 281.25 + 313.55 = 594.80 EUR; levels 10, 4.05, 10, 5.
    sf = make_scenario(
        tmp_path,
        electricity=_prices(tmp_path, [10, 100, 10, 100]),
        units=[E_BOILER, GAS, LOSSY_TANK],
    )
    op = operate(sf, horizon_h=2, step_h=2, initial_level_share=0.5)
    np.testing.assert_allclose(
        op.results["storage_level_mwh"].sel(storage="tank"), [10, 4.05, 10, 5], atol=1e-9
    )
    assert op.results.attrs["objective_eur"] == pytest.approx(594.80, rel=1e-9)
    assert op.windows["planned_objective_eur"].tolist() == pytest.approx([281.25, 313.55])
    heat = op.results["heat_mw"].sel(unit="gas_boiler").values
    np.testing.assert_allclose(heat, [0, 5.05, 0, 6], atol=1e-9)


def test_one_window_over_the_year_is_the_perfect_foresight_run(tmp_path):
    # The same system, one window covering the 4 hours, starting where `run`'s cyclic year
    # starts: the rolling year is `run`'s year.
    sf = make_scenario(
        tmp_path,
        electricity=_prices(tmp_path, [10, 100, 10, 100]),
        units=[E_BOILER, GAS, LOSSY_TANK],
    )
    expected = restvarme.run(sf).attrs["objective_eur"]
    op = operate(sf, horizon_h=4, step_h=4)
    assert len(op.windows) == 1
    assert op.results.attrs["objective_eur"] == pytest.approx(expected, rel=1e-9)
    assert op.perfect.attrs["objective_eur"] == pytest.approx(expected, rel=1e-9)
    assert float(op.foresight().loc["objective", "difference_eur"]) == pytest.approx(
        0.0, abs=1e-9 * expected
    )


def test_several_windows_without_stores_are_the_run(tmp_path):
    # No store: nothing couples the hours, so planning them two at a time, one committed per
    # window, finds each hour's cheapest unit: electric boiler at 10 EUR/MWh, gas at 25 when
    # the price is 100 or 30. 10 MW per hour: 10·(10 + 25 + 10 + 25 + 25 + 10) = 1050 EUR.
    sf = make_scenario(
        tmp_path,
        horizon={"hours": 6},
        electricity=_prices(tmp_path, [10, 100, 10, 30, 100, 10]),
        units=[E_BOILER, GAS],
    )
    expected = restvarme.run(sf)
    op = operate(sf, horizon_h=2, step_h=1)
    assert len(op.windows) == 5
    assert expected.attrs["objective_eur"] == pytest.approx(1050.0, rel=1e-9)
    assert op.results.attrs["objective_eur"] == pytest.approx(1050.0, rel=1e-9)
    np.testing.assert_allclose(
        op.results["cost_eur"].values, expected["cost_eur"].values, rtol=1e-9, atol=1e-9
    )
    assert set(op.results.data_vars) == set(expected.data_vars)


def test_imperfect_forecast_is_evaluated_on_the_real_series(tmp_path):
    # 48 h, load 10 MW, electricity 10 EUR/MWh but 100 in hours 1 and 29 (day 1's hour 1, day
    # 2's hour 5); electric boiler 30 MW, gas boiler at 25 EUR/MWh of heat, a tank of 20 MWh,
    # 15 MW, losing 1 %/h (κ = 0.99), starting empty. Covering a dear hour from the tank takes
    # 10/0.99 = 10.1010 MWh charged the hour before: 101.010 EUR, against 250 with gas.
    # Perfect foresight (`run`): 46 cheap hours · 100 EUR + 2 · 101.010 = 4802.020 EUR.
    # Persistence, windows of 36 h stepping 24 h: [0, 36) commits day 1, [24, 48) (the last)
    # day 2. Window 0 sees day 2's prices repeated (the day before the first is the horizon's
    # last) and plans to fill the tank in hour 4 for
    # hour 5; in reality hour 1 is dear and the tank is empty: gas, 250 EUR; hour 4 buys
    # 10 + 10.101 MWh (201.010 EUR), hour 5 is served from the tank. Window 1 sees day 1's
    # prices: tank filled in hour 24 for hour 25, and hour 29 takes gas. Each day:
    # 22 hours · 100 + 101.010 (the tank's fill) + 250 (gas) = 2551.010 EUR; the year
    # 5102.020 EUR, 300 EUR (2 · (250 - 100)) more than perfect foresight.
    prices = [10.0] * 48
    prices[1] = prices[29] = 100.0
    tank = {**LOSSY_TANK, "energy_mwh": 20, "charge_mw": 15, "standing_loss_per_hour": 0.01}
    sf = make_scenario(
        tmp_path,
        horizon={"hours": 48},
        electricity=_prices(tmp_path, prices),
        units=[{**E_BOILER, "capacity_mw": 30}, GAS, tank],
    )
    op = operate(sf, horizon_h=36, step_h=24, forecast="persistence", initial_level_share=0.0)
    assert len(op.windows) == 2
    fill = 10 / 0.99
    assert op.perfect.attrs["objective_eur"] == pytest.approx(4600 + 20 * fill, rel=1e-9)
    assert op.results.attrs["objective_eur"] == pytest.approx(
        2 * (2200 + 10 * fill + 250), rel=1e-9
    )
    gas = op.results["heat_mw"].sel(unit="gas_boiler").values
    np.testing.assert_allclose(np.flatnonzero(gas > 1e-6), [1, 29])
    level = op.results["storage_level_mwh"].sel(storage="tank").values
    np.testing.assert_allclose(np.flatnonzero(level > 1e-6), [4, 24])
    table = op.foresight()
    assert float(table.loc["objective", "difference_eur"]) == pytest.approx(300.0, rel=1e-9)


def test_a_schedule_the_real_hour_cannot_keep_is_left_at_a_price(tmp_path):
    # 2 h, real load 10 MW; gas boiler 12 MW (25 EUR/MWh of heat), tank 10 MWh, 10 MW, no
    # loss, starting empty. The forecast says 0 MW, then 22 MW: the plan fills the tank in
    # hour 0 (boiler 10 MW) and empties it in hour 1 (boiler 12 + tank 10): levels 10, 0.
    # In reality hour 0 has 12 - 10 = 2 MW to charge: the tank reaches 2 MWh, 8 MWh below
    # plan, at half the unserved-heat penalty (2500 EUR/MWh) rather than 8 MWh unserved at
    # 5000; hour 1 empties it as planned (2 MWh) with 8 MW from the boiler.
    # Cost: (12 + 8) MWh · 25 = 500 EUR, plus 8 · 2500 = 20,000 EUR off plan.
    def forecast(real, start, stop, window):
        x = real.isel(snapshot=slice(start, stop))
        return x.assign(heat_demand_mw=x["heat_demand_mw"].copy(data=[[0.0], [22.0]]))

    tank = {**LOSSY_TANK, "standing_loss_per_hour": 0.0}
    sf = make_scenario(tmp_path, horizon={"hours": 2}, units=[{**GAS, "capacity_mw": 12}, tank])
    op = operate(sf, horizon_h=2, step_h=2, forecast=forecast, initial_level_share=0.0)
    np.testing.assert_allclose(
        op.results["storage_level_mwh"].sel(storage="tank"), [2, 0], atol=1e-9
    )
    np.testing.assert_allclose(
        op.results["storage_level_off_plan_mwh"].sel(storage="tank"), [8, 0], atol=1e-9
    )
    assert op.results.attrs["objective_eur"] == pytest.approx(20_500.0, rel=1e-9)
    costs = op.results["cost_eur"]
    assert float(costs.sel(cost_item="store_schedule_penalty")) == pytest.approx(20_000.0)
    assert float(costs.sum()) == pytest.approx(20_500.0, rel=1e-9)
    assert float(op.results["unserved_heat_mwh"].sum()) == pytest.approx(0.0, abs=1e-9)
    table = op.foresight()
    assert table.loc["store_schedule_penalty", "rolling_eur"] == pytest.approx(20_000.0)
    assert table["rolling_eur"].drop("objective").sum() == pytest.approx(20_500.0, rel=1e-9)
    console = Console(record=True, width=300)
    print_foresight(op, console)
    assert "of which 0.0200 MEUR is the penalty on 8.0 MWh" in console.export_text()


def test_expandable_units_are_refused_with_their_key(tmp_path):
    unit = {**GAS, "expansion": {"capital_cost_eur_per_mw": 1000.0, "lifetime_years": 20}}
    sf = make_scenario(tmp_path, units=[E_BOILER, unit])
    with pytest.raises(ScenarioError) as caught:
        operate(sf)
    problem = caught.value.problems[0]
    assert problem.path == ("units", 1, "expansion")
    assert "restvarme plan" in str(caught.value)


def test_a_noisy_year_is_reproduced_by_its_seed(tmp_path):
    # The carried-store system over 4 h in windows of 2 h: the same seed plans the same
    # windows and gives the same year; another seed plans on other demand (the heat demand's
    # error is drawn afresh), so its windows' planned costs differ.
    sf = make_scenario(
        tmp_path,
        electricity=_prices(tmp_path, [10, 100, 10, 100]),
        units=[E_BOILER, GAS, LOSSY_TANK],
    )
    runs = [
        operate(sf, horizon_h=2, step_h=1, forecast="noise", seed=s, initial_level_share=0.5)
        for s in (4, 4, 5)
    ]
    first, again, other = (r.windows["planned_objective_eur"].to_numpy() for r in runs)
    np.testing.assert_array_equal(first, again)
    assert runs[0].results.attrs["objective_eur"] == runs[1].results.attrs["objective_eur"]
    assert not np.allclose(first, other)


def test_windows_solved_in_one_highs_instance_equal_windows_built_anew(tmp_path):
    # 24 h of prices 10, 100, 40, 70, ... (a cycle of 4, shifted by one each 8 h), the tank of
    # test_store_level_is_carried_across_windows starting half full, windows of 6 h stepping
    # 3 h: 7 windows, the first six of 6 h (one structure), the last of 6 h too. Solved in
    # one HiGHS instance changed in place (reuse) or each handed to a new instance, every
    # window has the same optimum and the year the same objective.
    prices = [[10, 100, 40, 70][(h + h // 8) % 4] for h in range(24)]
    sf = make_scenario(
        tmp_path,
        horizon={"hours": 24},
        electricity=_prices(tmp_path, prices),
        units=[E_BOILER, GAS, LOSSY_TANK],
    )
    reused = operate(sf, horizon_h=6, step_h=3, initial_level_share=0.5, reuse=True)
    anew = operate(sf, horizon_h=6, step_h=3, initial_level_share=0.5)  # the default
    assert len(reused.windows) == 7
    assert reused.results.attrs["operate_reused_windows"] == 6  # all but the first
    assert anew.results.attrs["operate_reused_windows"] == 0
    assert reused.results.attrs["objective_eur"] == pytest.approx(
        anew.results.attrs["objective_eur"], rel=1e-9
    )
    np.testing.assert_allclose(
        reused.windows["planned_objective_eur"], anew.windows["planned_objective_eur"], rtol=1e-9
    )
