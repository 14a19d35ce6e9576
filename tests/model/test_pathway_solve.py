"""Hourly pathways warm-started period by period: the final solve still finds the optimum.

Set-up: two periods (2026, 2028; two years each, r = 0), each operated over 96 hours of a flat
10 MW load with an existing 30 MW electric boiler and electricity at 10 and 100 EUR/MWh in
alternate hours. A store (1 MW of charge power per MWh, lossless, 40-year life) costs
k = 1,200 EUR per MWh for each year it serves, counted over a 96-hour horizon.

By hand: each MWh of store moves 1 MWh from every dear hour to the cheap hour before it,
saving 90 EUR 48 times = 4,320 EUR per period-year. Built in 2026 it serves both periods, four
period-years: it saves 4 x 4,320 = 17,280 EUR and costs 4 x 1,200 = 4,800 EUR per MWh, so it is
built in 2026 up to the 10 MWh that covers a dear hour. All 960 MWh of each period-year are then
bought in cheap hours: cost = 4 x 960 x 10 + 4 x 10 x 1,200 = 38,400 + 48,000 = 86,400 EUR.

On 8-hour blocks the price is 55 EUR/MWh in every block, so the coarse plan builds no store:
the warm start fixes 0 MWh, solves each period's dispatch on its own, and the final solve
must move the plan to 10 MWh.
"""

from __future__ import annotations

import highspy
import numpy as np
import pytest

import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.inputs.pathway import build_pathway_inputs
from restvarme.model import highs, pathway_solve, warm_start
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from tiny_scenarios import make_scenario

HOURS = 96
YEARS = HOURS / 8760
LIFETIME = 40
STORE_COST_EUR_PER_MWH = 1200.0
HAND_OPTIMUM_EUR = 4 * 960 * 10 + 4 * 10 * STORE_COST_EUR_PER_MWH


def scenario(tmp_path, factory, pathway: bool = True):
    price = np.where(np.arange(HOURS) % 2 == 0, 10.0, 100.0)
    (tmp_path / "p.csv").write_text("p\n" + "\n".join(f"{p:g}" for p in price) + "\n")
    store = {
        "name": "tank",
        "type": "storage",
        "network": "main",
        "energy_mwh": 0,
        "charge_mw": 0,
        "expansion": {
            # r = 0: the yearly cost is capital / lifetime; k per year over the 96 hours
            "capital_cost_eur_per_mwh": STORE_COST_EUR_PER_MWH / YEARS * LIFETIME,
            "lifetime_years": LIFETIME,
            "charge_mw_per_mwh": 1.0,
        },
    }
    eb = {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 30,
        "efficiency": 1.0,
    }
    changes: dict = {"horizon": {"hours": HOURS}, "discount_rate": 0.0}
    if pathway:
        changes["pathway"] = {
            "periods": [{"year": 2026}, {"year": 2028}],
            "last_period_years": 2,
        }
    return factory(
        units=[eb, store],
        electricity={"price_eur_per_mwh": "p.csv", "export_allowed": False},
        **changes,
    )


@pytest.mark.parametrize("warm", [True, False])
def test_warm_by_period_and_cold_reach_the_hand_optimum(tmp_path, scenario_factory, warm):
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=warm)
    assert ("warm_start" in ds.attrs["timings_s"]) is warm
    np.testing.assert_allclose(ds["capacity_built"].sel(unit="tank"), [10.0, 0.0], atol=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)


def test_the_fixed_dispatch_falls_apart_into_periods(tmp_path, scenario_factory):
    # Per period: 96 hours x (boiler heat, charge, discharge, level, grid import, unserved
    # heat, ...) columns; the store's vintages (2 build periods) link the periods.
    inputs = build_pathway_inputs(scenario(tmp_path, scenario_factory))
    built = build_model(inputs)
    handed = highs.to_highs(built.model, {"output_flag": False}, lean=False)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None
    assert len(blocks.cols) == 2
    assert blocks.cols[0].size == blocks.cols[1].size > 0
    assert blocks.rows[0].size == blocks.rows[1].size > 0
    # the store's new capacity, one column per build period, and nothing else links
    assert blocks.linking_cols.size == 2
    everything = np.concatenate([*blocks.cols, blocks.linking_cols])
    np.testing.assert_array_equal(np.sort(everything), np.arange(handed.vlabels.size))

    plan = {"storage_new_capacity": np.zeros((2, 1))}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    periods = pathway_solve.solve_periods(handed, blocks, cols, values)
    h = handed.highs
    col_status, row_status = periods.joint_basis(blocks, h.getNumCol(), h.getNumRow())
    basic = highspy.HighsBasisStatus.kBasic
    # a basis: as many basic columns and rows as there are rows
    assert np.count_nonzero(col_status == basic) + np.count_nonzero(row_status == basic) == (
        row_status.size
    )
    pathway_solve.run_from_plan(built.model, handed, cols, values)
    warm = handed.highs.getInfo().objective_function_value

    cold = solve(build_model(inputs)).objective_eur
    assert warm == pytest.approx(cold, rel=1e-9)
    assert warm == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)


def test_a_pathway_is_planned_on_day_blocks_a_year_on_8_hour_blocks(tmp_path, scenario_factory):
    # 96 h: the first of (24, 12, ...) dividing it for the pathway, of (8, 6, ...) for one year
    pathway = build_pathway_inputs(scenario(tmp_path, scenario_factory))
    assert warm_start.block_hours(pathway) == 24
    assert warm_start.block_hours(build_inputs(scenario(tmp_path, scenario_factory, False))) == 8


def test_a_one_year_model_is_one_block_beside_its_new_capacity(tmp_path, scenario_factory):
    built = build_model(build_inputs(scenario(tmp_path, scenario_factory, pathway=False)))
    handed = highs.to_highs(built.model, {"output_flag": False}, lean=False)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None and len(blocks.cols) == len(blocks.rows) == 1
    # the linking columns are the new capacity (the store's energy), every other column is
    # the block's
    labels = built.model.variables["storage_new_capacity"].labels.values.ravel()
    np.testing.assert_array_equal(handed.vlabels[blocks.linking_cols], np.sort(labels))
    n_col, n_row = handed.highs.getNumCol(), handed.highs.getNumRow()
    assert blocks.cols[0].size + blocks.linking_cols.size == n_col
    assert blocks.rows[0].size + blocks.linking_rows.size == n_row
    # a block row holds a block column; a linking row holds new capacity only
    a = blocks.matrix
    on_block = np.zeros(n_col, dtype=bool)
    on_block[blocks.cols[0]] = True
    assert all(on_block[a[i].indices].any() for i in blocks.rows[0])
    assert not any(on_block[a[i].indices].any() for i in blocks.linking_rows)
    # without new capacity there is nothing to split off
    plain = build_model(build_inputs(make_scenario(tmp_path / "plain")))
    handed = highs.to_highs(plain.model, {"output_flag": False}, lean=False)
    assert pathway_solve.period_blocks(plain.model, handed) is None


def _handed(tmp_path, scenario_factory):
    built = build_model(build_pathway_inputs(scenario(tmp_path, scenario_factory)))
    return built, highs.to_highs(built.model, {"output_flag": False}, lean=False)


@pytest.fixture(scope="module")
def plain_optimum_eur(tmp_path_factory) -> float:
    """The pathway solved cold, once for the module's tests (a number they compare with)."""
    folder = tmp_path_factory.mktemp("plain")
    sf = scenario(folder, lambda **changes: make_scenario(folder, **changes))
    return solve(build_model(build_pathway_inputs(sf))).objective_eur


def _box_rule(monkeypatch) -> None:
    """The box rule the hand figures below are worked out for (not the defaults, which are
    tuned on the Lund pathway): half-width a tenth of the plan plus a tenth of the variable's
    largest planned value plus 1 MWh, a box end that holds the optimum back moved 8-fold."""
    monkeypatch.setattr(pathway_solve, "BOX_SHARE", 0.1)
    monkeypatch.setattr(pathway_solve, "BOX_MIN_WIDTH", 1.0)
    monkeypatch.setattr(pathway_solve, "BOX_GROWTH", 8.0)


# one thread, later periods from the first period's basis; two threads, every period cold
@pytest.mark.parametrize(("threads", "from_first"), [(1, True), (2, False)])
@pytest.mark.parametrize(
    ("planned_mwh", "ceiling_mwh", "floor_mwh", "growth"),
    [
        # half-width 0.1 x (plan + largest plan of the variable) + 1, the largest being the plan
        # plan 0: box [0, 1]; the optimum (10 MWh) is above, so the ceiling is widened 8-fold
        # twice: 1 -> 8 -> 64 >= 10
        (0.0, 64.0, 0.0, 8.0),
        # plan 30: half-width 0.1 x 60 + 1 = 7, box [23, 37]; the optimum is below, so the
        # floor is moved 8-fold, 30 - 56 < 0: to the store's own bound, 0
        (30.0, 37.0, 0.0, 8.0),
        # plan 16: half-width 0.1 x 32 + 1 = 4.2, box [11.8, 20.2]; the optimum is below, so
        # the floor is moved 2-fold, to 16 - 8.4 = 7.6 (not to the store's own bound)
        (16.0, 20.2, 7.6, 2.0),
        # plan 10.5: half-width 0.1 x 21 + 1 = 3.1, box [7.4, 13.6] holds the optimum
        (10.5, 13.6, 7.4, 8.0),
    ],
)
def test_the_boxed_plan_reaches_the_plain_optimum(
    tmp_path,
    scenario_factory,
    monkeypatch,
    plain_optimum_eur,
    threads,
    from_first,
    planned_mwh,
    ceiling_mwh,
    floor_mwh,
    growth,
):
    monkeypatch.setattr(pathway_solve, "FROM_FIRST", from_first)
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 0)  # the boxes around the plan itself
    _box_rule(monkeypatch)
    monkeypatch.setattr(pathway_solve, "BOX_GROWTH", growth)
    built, handed = _handed(tmp_path, scenario_factory)
    # the 2026 build (serving both periods) at the plan, nothing in 2028
    plan = {"storage_new_capacity": np.array([[planned_mwh], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=threads)
    h = handed.highs
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    objective = h.getInfo().objective_function_value
    assert objective == pytest.approx(plain_optimum_eur, rel=1e-9)
    assert objective == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)
    first = cols[np.argsort(cols)][0]  # the 2026 build
    lp = h.getLp()
    assert lp.col_upper_[first] == pytest.approx(ceiling_mwh, rel=1e-12)
    assert lp.col_lower_[first] == pytest.approx(floor_mwh, abs=1e-12)
    assert h.getSolution().col_value[first] == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize(("cores", "strategy"), [(1, 1), (2, 2)])
def test_the_box_rounds_split_each_iteration_over_several_cores(
    tmp_path, scenario_factory, monkeypatch, cores, strategy
):
    # HiGHS's SIP (simplex_strategy 2) on every core where there are several; on one core the
    # options as given (HiGHS's default strategy, 1: serial dual simplex); the same optimum
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 0)
    monkeypatch.setattr(highs, "cores", lambda: cores)
    built, handed = _handed(tmp_path, scenario_factory)
    plan = {"storage_new_capacity": np.array([[30.0], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=1)
    h = handed.highs
    assert h.getOptions().simplex_strategy == strategy
    assert h.getOptions().threads == (cores if cores > 1 else 0)
    assert h.getInfo().objective_function_value == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)


def test_the_box_rounds_keep_the_threads_the_options_name(tmp_path, scenario_factory, monkeypatch):
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 0)
    monkeypatch.setattr(highs, "cores", lambda: 4)
    built, handed = _handed(tmp_path, scenario_factory)
    handed.highs.setOptionValue("threads", 1)
    plan = {"storage_new_capacity": np.array([[30.0], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=1)
    assert handed.highs.getOptions().threads == 1
    assert handed.highs.getOptions().simplex_strategy == 2
    assert handed.highs.getInfo().objective_function_value == pytest.approx(
        HAND_OPTIMUM_EUR, rel=1e-9
    )


def test_boxes_that_keep_holding_the_plan_are_dropped(
    tmp_path, scenario_factory, monkeypatch, plain_optimum_eur
):
    # one widening allowed: [0, 1] -> [0, 8] still holds the 10 MWh optimum back, so the
    # boxes are dropped and the full LP is solved from where HiGHS is
    monkeypatch.setattr(pathway_solve, "BOX_ROUNDS", 1)
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 0)
    _box_rule(monkeypatch)
    built, handed = _handed(tmp_path, scenario_factory)
    plan = {"storage_new_capacity": np.zeros((2, 1))}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=1)
    h = handed.highs
    lp = h.getLp()
    np.testing.assert_array_equal(np.asarray(lp.col_upper_)[cols], handed.col_upper[cols])
    objective = h.getInfo().objective_function_value
    assert objective == pytest.approx(plain_optimum_eur, rel=1e-9)
    assert objective == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)


def test_the_periods_duals_price_the_joint_basis(tmp_path, scenario_factory):
    # d = c - A^T y with y the periods' row duals (0 on linking rows): on the periods' columns
    # it must be HiGHS's optimality certificate for the joint basis, 0 on basic columns, not
    # negative at a lower bound, not positive at an upper bound (to HiGHS's 1e-7)
    built, handed = _handed(tmp_path, scenario_factory)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None
    plan = {"storage_new_capacity": np.array([[10.0], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    periods = pathway_solve.solve_periods(handed, blocks, cols, values, threads=1)
    assert periods.row_dual is not None
    h = handed.highs
    reduced = np.asarray(h.getLp().col_cost_) - pathway_solve._matrix(h).T @ periods.row_dual
    status, _ = periods.joint_basis(blocks, h.getNumCol(), h.getNumRow())
    period_cols = np.concatenate(blocks.cols)
    fixed = handed.col_lower == handed.col_upper
    for j in period_cols[~fixed[period_cols]]:
        if status[j] == highspy.HighsBasisStatus.kBasic:
            assert abs(reduced[j]) <= 1e-7
        elif status[j] == highspy.HighsBasisStatus.kLower:
            assert reduced[j] >= -1e-7
        else:
            assert reduced[j] <= 1e-7
    # and on the fixed columns the plan put in, the duals give what HiGHS gives the fixed LP
    # solved whole (the only columns whose price the box step needs)
    h.changeColsBounds(cols.size, cols, values, values)
    highs.run(h)
    whole = h.getSolution()
    np.testing.assert_allclose(
        np.asarray(h.getLp().col_cost_)[cols]
        - (pathway_solve._matrix(h).T @ np.asarray(whole.row_dual))[cols],
        np.asarray(whole.col_dual)[cols],
        atol=1e-6,
    )


def test_the_second_period_starts_from_the_first_periods_basis(tmp_path, scenario_factory):
    # Both periods have the same hours, prices and load, and the store built in 2026 serves
    # both, so with the plan fixed their LPs are the same: carried over column by column and
    # row by row, the first period's optimal basis is the second's, found in 0 iterations
    # (started cold, HiGHS needs some).
    built = build_model(build_pathway_inputs(scenario(tmp_path, scenario_factory)))
    # presolve off, or it solves these small LPs before the simplex starts
    handed = highs.to_highs(built.model, {"output_flag": False, "presolve": "off"}, lean=False)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None
    plan = {"storage_new_capacity": np.array([[10.0], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    carried = pathway_solve.solve_periods(handed, blocks, cols, values, threads=1, from_first=True)
    cold = pathway_solve.solve_periods(handed, blocks, cols, values, threads=1, from_first=False)
    assert carried.optimal and cold.optimal
    assert carried.period_iterations[1] == 0
    assert cold.period_iterations[1] == cold.period_iterations[0] == carried.period_iterations[0]
    assert cold.period_iterations[1] > 0


# from below and above the optimum, the periods re-solved from their bases; and with no
# iterations allowed for that, re-solved cold
@pytest.mark.parametrize(("planned_mwh", "warm_share"), [(0.0, 1.0), (30.0, 1.0), (0.0, 0.0)])
def test_cutting_plane_steps_move_the_plan_to_the_hand_optimum(
    tmp_path, scenario_factory, monkeypatch, caplog, planned_mwh, warm_share, plain_optimum_eur
):
    # Each period's dispatch cost is piecewise linear in the store: 2 x 4,320 EUR saved per MWh
    # up to 10 MWh (the dear hour's 10 MW), nothing beyond. Trust region from the plan: half-width
    # 0.05 x (plan + largest plan) + 1, doubled after each improving step that reaches its edge,
    # halved after a step that does not improve; once cuts lie on both sides of 10 MWh the master
    # LP's optimum is their kink, 10 MWh exactly, and its cost is the hand optimum.
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 12)
    monkeypatch.setattr(pathway_solve, "REFINE_SHARE", 0.05)
    monkeypatch.setattr(pathway_solve, "REFINE_MIN_WIDTH", 1.0)
    monkeypatch.setattr(pathway_solve, "REFINE_WARM_SHARE", warm_share)
    monkeypatch.setattr(pathway_solve, "REFINE_WARM_MIN_ITERATIONS", int(warm_share * 1000))
    caplog.set_level("DEBUG", logger="restvarme.model.pathway_solve")
    built, handed = _handed(tmp_path, scenario_factory)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None
    plan = {"storage_new_capacity": np.array([[planned_mwh], [0.0]])}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    periods = pathway_solve.solve_periods(handed, blocks, cols, values, threads=1)
    order = np.argsort(cols)
    group = pathway_solve._variable_index(built.model, handed.vlabels[cols[order]])
    refined, at = pathway_solve.refine_plan(
        handed, blocks, values[order], group, periods, threads=1
    )
    # 2026's build (serving both periods) at 10 MWh, none in 2028
    np.testing.assert_allclose(refined, [10.0, 0.0], atol=1e-6)
    assert ("solved cold" in caplog.text) is (warm_share == 0.0)
    # the plan's cost: its store (the linking columns' cost) plus each period's dispatch at it
    cost = np.asarray(handed.highs.getLp().col_cost_)[blocks.linking_cols]
    assert float(cost @ refined) + sum(at.objective) == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)
    # and the whole path (steps, then the boxes around the refined plan) ends at the optimum,
    # its first boxes holding it
    built, handed = _handed(tmp_path, scenario_factory)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=2)
    h = handed.highs
    objective = h.getInfo().objective_function_value
    assert objective == pytest.approx(plain_optimum_eur, rel=1e-9)
    assert objective == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)
    first = cols[np.argsort(cols)][0]
    assert h.getSolution().col_value[first] == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize("warm_share", [1.0, 0.0])
def test_solves_from_a_basis_run_without_cost_perturbation(
    tmp_path, scenario_factory, monkeypatch, warm_share
):
    # The periods' warm re-solves and the box rounds start from a basis (HiGHS perturbs the
    # costs of any start it does not find near optimal); every solve from scratch (the periods'
    # first dispatch, a re-solve sent cold) runs with the options' multiplier, HiGHS's default
    # 1.0, and every instance has it back afterwards.
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 12)
    monkeypatch.setattr(pathway_solve, "REFINE_SHARE", 0.05)
    monkeypatch.setattr(pathway_solve, "REFINE_MIN_WIDTH", 1.0)
    monkeypatch.setattr(pathway_solve, "REFINE_WARM_SHARE", warm_share)
    monkeypatch.setattr(pathway_solve, "REFINE_WARM_MIN_ITERATIONS", int(warm_share * 1000))
    runs: list[tuple[bool, float]] = []  # (from a basis, multiplier) per HiGHS run
    seen: list[highspy.Highs] = []
    plain_run = highs.run

    def recorded(h):
        runs.append((h.getBasis().valid, pathway_solve._perturbation(h)))
        seen.append(h)
        plain_run(h)

    monkeypatch.setattr(pathway_solve.highs, "run", recorded)
    built, handed = _handed(tmp_path, scenario_factory)
    plan = {"storage_new_capacity": np.zeros((2, 1))}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    pathway_solve.run_from_plan(built.model, handed, cols, values, threads=1)
    assert handed.highs.getInfo().objective_function_value == pytest.approx(
        HAND_OPTIMUM_EUR, rel=1e-9
    )
    from_basis = [multiplier for warm, multiplier in runs if warm]
    cold = [multiplier for warm, multiplier in runs if not warm]
    # two cold first dispatches, then (warm_share 0) each step's two periods sent cold
    assert len(cold) >= 2 + (0 if warm_share else 2)
    assert set(cold) == {1.0}
    assert len(from_basis) >= 1 + (2 if warm_share else 0)  # the box round(s), warm steps
    assert set(from_basis) == {pathway_solve.WARM_COST_PERTURBATION} == {0.0}
    assert {pathway_solve._perturbation(h) for h in seen} == {1.0}


def test_the_periods_instances_are_freed_before_the_box_rounds(
    tmp_path, scenario_factory, monkeypatch
):
    # the box rounds' HiGHS holds the whole LP; the periods' instances (in reference cycles
    # through highspy's callbacks) must be gone by then, not left to a later collection
    import gc

    alive = []
    box = pathway_solve.solve_in_box

    def counted(handed, *args):
        alive.append(sum(isinstance(o, highspy.Highs) for o in gc.get_objects()))
        return box(handed, *args)

    monkeypatch.setattr(pathway_solve, "solve_in_box", counted)
    built, handed = _handed(tmp_path, scenario_factory)
    plan = {"storage_new_capacity": np.zeros((2, 1))}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    gc.collect()
    before = sum(isinstance(o, highspy.Highs) for o in gc.get_objects())
    gc.disable()  # no collection but the module's own
    try:
        pathway_solve.run_from_plan(built.model, handed, cols, values, threads=1)
    finally:
        gc.enable()
    assert alive == [before]  # the handed instance and whatever the test session holds
    assert handed.highs.getInfo().objective_function_value == pytest.approx(
        HAND_OPTIMUM_EUR, rel=1e-9
    )


# the trust region held to its first width, to 4 times it (the default), and left to grow
@pytest.mark.parametrize(("max_scale", "largest_scale"), [(1.0, 1.0), (4.0, 4.0), (np.inf, 8.0)])
def test_the_trust_region_grows_no_further_than_its_cap(
    tmp_path, scenario_factory, monkeypatch, caplog, max_scale, largest_scale
):
    # From no store (cost 4 x 960 x 55 = 211,200 EUR: every MWh bought at the 55 EUR/MWh mean),
    # half-width 0.05 x (plan + largest plan) + 1 = 1 MWh for both build periods: the first
    # step builds 1 MWh in 2026 (saving 17,280 - 4,800 EUR) and 1 MWh in 2028 (serving one
    # period: 2 x 4,320 - 2 x 1,200 EUR), 211,200 - 12,480 - 6,240 = 192,480 EUR, at the
    # region's edge. Each improving step at the edge doubles the region, to at most the cap;
    # left free it reaches 8 times its first width in this case. Whatever the cap, the plan
    # ends at the hand optimum.
    monkeypatch.setattr(pathway_solve, "REFINE_ROUNDS", 40)
    monkeypatch.setattr(pathway_solve, "REFINE_SHARE", 0.05)
    monkeypatch.setattr(pathway_solve, "REFINE_MIN_WIDTH", 1.0)
    monkeypatch.setattr(pathway_solve, "REFINE_MAX_SCALE", max_scale)
    caplog.set_level("DEBUG", logger="restvarme.model.pathway_solve")
    built, handed = _handed(tmp_path, scenario_factory)
    blocks = pathway_solve.period_blocks(built.model, handed)
    assert blocks is not None
    plan = {"storage_new_capacity": np.zeros((2, 1))}
    cols, values = warm_start.fixed_columns(built.model, plan, handed.vlabels)
    periods = pathway_solve.solve_periods(handed, blocks, cols, values, threads=1)
    assert sum(periods.objective) == pytest.approx(4 * 960 * 55, rel=1e-12)
    order = np.argsort(cols)
    group = pathway_solve._variable_index(built.model, handed.vlabels[cols[order]])
    refined, at = pathway_solve.refine_plan(
        handed, blocks, values[order], group, periods, threads=1
    )
    steps = [line for line in caplog.text.splitlines() if "trust region x" in line]
    assert "plan step 0: " in steps[0] and "cost 1.924800000000e+05 EUR" in steps[0]
    scales = [float(line.rsplit("trust region x ", 1)[1]) for line in steps]
    assert max(scales) == largest_scale
    np.testing.assert_allclose(refined, [10.0, 0.0], atol=1e-6)
    cost = np.asarray(handed.highs.getLp().col_cost_)[blocks.linking_cols]
    assert float(cost @ refined) + sum(at.objective) == pytest.approx(HAND_OPTIMUM_EUR, rel=1e-9)
    # the steps make no joint basis (only the box step needs one, for the best plan); the
    # best plan's periods' bases make one
    assert at.col_status is None and at.row_status is None
    h = handed.highs
    col_status, row_status = at.joint_basis(blocks, h.getNumCol(), h.getNumRow())
    basic = highspy.HighsBasisStatus.kBasic
    assert (
        np.count_nonzero(col_status == basic) + np.count_nonzero(row_status == basic)
        == row_status.size
    )


def test_periods_side_by_side_start_with_the_longest():
    # on one worker the runs follow the submission order: past run time first, then size
    started = []

    class Period:
        def __init__(self, name, run_s, nnz):
            self.name, self.run_s, self.nnz = name, run_s, nnz

        def getRunTime(self):
            return self.run_s

        def getNumNz(self):
            return self.nnz

        def run(self):
            started.append(self.name)

    fresh = [Period("2026", 0.0, 100), Period("2028", 0.0, 120), Period("2030", 0.0, 300)]
    pathway_solve._run_side_by_side(fresh, workers=1)
    assert started == ["2030", "2028", "2026"]
    started.clear()
    solved = [Period("2026", 1.6, 100), Period("2028", 2.4, 120), Period("2030", 13.0, 300)]
    solved[1].run_s = 0.8  # 2028 has been quicker than 2026 so far
    pathway_solve._run_side_by_side(solved, workers=1)
    assert started == ["2030", "2026", "2028"]


def test_a_keyboard_interrupt_cancels_every_period_side_by_side():
    # Ctrl-C reaches the main thread while it waits; every period's run is then told to stop
    # (highspy's interrupt callback subscribed, the stop flag set) before the interrupt goes on
    calls = []

    class Period:
        def __init__(self, name, interrupted=False):
            self.name, self.interrupted = name, interrupted

        def getRunTime(self):
            return 0.0

        def getNumNz(self):
            return 1

        def run(self):
            if self.interrupted:
                raise KeyboardInterrupt

        @property
        def HandleUserInterrupt(self):
            return ("subscribe", self.name) in calls

        @HandleUserInterrupt.setter
        def HandleUserInterrupt(self, value):
            assert value
            calls.append(("subscribe", self.name))

        def cancelSolve(self):
            assert self.HandleUserInterrupt  # a cancel without the callback stops nothing
            calls.append(("cancel", self.name))

    periods = [Period("2026"), Period("2028", interrupted=True), Period("2030")]
    with pytest.raises(KeyboardInterrupt):
        pathway_solve._run_side_by_side(periods, workers=2)
    assert sorted(calls) == sorted(
        (what, p) for p in ("2026", "2028", "2030") for what in ("subscribe", "cancel")
    )
