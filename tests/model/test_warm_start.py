"""Warm start from a coarse plan: the final solve still finds the hourly optimum.

Set-up: 96 hours of a flat 10 MW load, an existing 30 MW electric boiler, and electricity at
10 and 100 EUR/MWh in alternate hours. A store (1 MW of charge power per MWh) costs
k = 1,200 EUR per MWh over the 96-hour horizon.

By hand, hourly: each MWh of store moves 1 MWh from every dear hour to the cheap hour before
it, saving 90 EUR 48 times = 4,320 EUR > k, so the store is built up to the 10 MWh that covers a
dear hour. All 960 MWh are then bought in cheap hours: cost = 960 x 10 + 10 x 1,200 =
9,600 + 12,000 = 21,600 EUR (without a store: 480 x 10 + 480 x 100 = 52,800 EUR).

On 8-hour blocks the price is 55 EUR/MWh in every block, so the coarse plan builds no store: the
warm start begins at 0 MWh and its final solve must move the plan to 10 MWh.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.economics import annuity_factor
from restvarme.inputs.build import build_inputs
from restvarme.inputs.pathway import build_pathway_inputs
from restvarme.model import highs, warm_start
from restvarme.model.build import build_model
from restvarme.model.solve import solve
from restvarme.scenario.load import ScenarioFile

HOURS = 96
YEARS = HOURS / 8760
RATE = 0.05
STORE_COST_EUR_PER_MWH = 1200.0


def scenario(
    tmp_path, factory, store_min_mwh: float = 0.0, store_max_mwh: float | None = None, **changes
):
    price = np.where(np.arange(HOURS) % 2 == 0, 10.0, 100.0)
    (tmp_path / "p.csv").write_text("p\n" + "\n".join(f"{p:g}" for p in price) + "\n")
    store = {
        "name": "tank",
        "type": "storage",
        "network": "main",
        "energy_mwh": 0,
        "charge_mw": 0,
        "expansion": {
            "capital_cost_eur_per_mwh": STORE_COST_EUR_PER_MWH / YEARS / annuity_factor(RATE, 40),
            "charge_mw_per_mwh": 1.0,
            "min_mwh": store_min_mwh,
            "max_mwh": store_max_mwh,
        },
    }
    eb = {
        "name": "eb",
        "type": "electric_boiler",
        "sink": "main",
        "capacity_mw": 30,
        "efficiency": 1.0,
    }
    changes = {
        "horizon": {"hours": HOURS},
        "electricity": {"price_eur_per_mwh": "p.csv", "export_allowed": False},
        **changes,
    }
    return factory(units=[eb, store], discount_rate=RATE, **changes)


def test_coarse_plan_misses_the_hourly_store(tmp_path, scenario_factory):
    inputs = build_inputs(scenario(tmp_path, scenario_factory))
    plan = warm_start.coarse_plan(inputs, lambda built: solve(built) is not None)
    assert warm_start.block_hours(inputs) == 8
    np.testing.assert_allclose(plan["storage_new_capacity"], [0.0], atol=1e-9)


@pytest.mark.parametrize("warm", [True, False])
def test_warm_and_cold_reach_the_hand_optimum(tmp_path, scenario_factory, warm):
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=warm)
    assert ("warm_start" in ds.attrs["timings_s"]) is warm
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)


def test_a_one_year_plan_is_moved_by_cut_steps_and_freed_in_boxes(
    tmp_path, scenario_factory, caplog
):
    # The coarse plan (0 MWh) is one block's fixed-plan dispatch; cut steps move it towards the
    # 10 MWh the hourly store is worth and the boxes free it (restvarme.model.pathway_solve):
    # the hand optimum, not the stacked fixed-then-freed solve of restvarme.model.highs.
    caplog.set_level("DEBUG", logger="restvarme.model.pathway_solve")
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=True)
    assert "period 0 fixed-plan dispatch" in caplog.text
    assert "plan step 0" in caplog.text
    assert "boxed plan, round 0" in caplog.text
    assert "period 1" not in caplog.text
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)


def test_automatic_warm_start_waits_for_long_horizons(tmp_path, scenario_factory):
    sf = scenario(tmp_path, scenario_factory)
    inputs = build_inputs(sf)
    model = build_model(inputs).model
    assert HOURS < warm_start.MIN_SNAPSHOTS
    assert not warm_start.applies(inputs, model)
    assert warm_start.applies(inputs, model, min_snapshots=0)
    assert "warm_start" not in restvarme.run(sf).attrs["timings_s"]


def test_no_warm_start_on_blocks_or_without_capacity_to_choose(tmp_path, scenario_factory):
    blocks = build_inputs(
        scenario(tmp_path, scenario_factory, horizon={"hours": 96, "resolution_h": 2})
    )
    assert not warm_start.applies(blocks, build_model(blocks).model, min_snapshots=0)
    fixed = build_inputs(scenario_factory(horizon={"hours": 96}))
    assert not warm_start.applies(fixed, build_model(fixed).model, min_snapshots=0)


def test_fixed_columns_follow_labels_and_skip_masked_slots(tmp_path, scenario_factory):
    inputs = build_inputs(scenario(tmp_path, scenario_factory))
    model = build_model(inputs).model
    labels = model.variables["storage_new_capacity"].labels.values
    # columns in reverse label order, as a solver might hold them
    vlabels = np.arange(int(model.variables["storage_new_capacity"].range[1]))[::-1]
    cols, values = warm_start.fixed_columns(
        model,
        {"storage_new_capacity": np.array([7.0]), "no_such_new_capacity": np.ones(3)},
        vlabels,
    )
    np.testing.assert_array_equal(vlabels[cols], labels.ravel())
    np.testing.assert_array_equal(values, [7.0])


def _simplex_runs(monkeypatch) -> list[tuple[int, int]]:
    """(simplex strategy, threads) of every HiGHS run from here on."""
    runs: list[tuple[int, int]] = []
    run = highs.run

    def recorded(h):
        runs.append((h.getOptions().simplex_strategy, h.getOptions().threads))
        run(h)

    monkeypatch.setattr(highs, "run", recorded)
    return runs


def test_a_cold_expansion_splits_its_iterations_over_the_cores(
    tmp_path, scenario_factory, monkeypatch
):
    # restvarme.model.solve.SPLIT_COLD_EXPANSION: the serial simplex's path and optimum
    monkeypatch.setattr(highs, "cores", lambda: 2)
    runs = _simplex_runs(monkeypatch)
    ds = restvarme.run(scenario(tmp_path, scenario_factory), warm_start=False)
    assert runs == [(highs.SPLIT_SIMPLEX_STRATEGY, 2)]
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(10.0, abs=1e-6)
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)


def test_a_dispatch_or_fixed_capacity_keeps_the_serial_simplex(
    tmp_path, scenario_factory, monkeypatch
):
    # the same system with the 10 MWh store built: every MWh bought in the cheap hours,
    # 960 x 10 = 9,600 EUR; then with its expansion fixed at 10 MWh (min = max): the 9,600 EUR
    # and the store's capital cost, 12,000 EUR
    monkeypatch.setattr(highs, "cores", lambda: 2)
    runs = _simplex_runs(monkeypatch)
    sf = scenario(tmp_path, scenario_factory)
    tank = {"energy_mwh": 10.0, "charge_mw": 10.0, "expansion": None}
    units = [u.model_copy(update=tank) if u.name == "tank" else u for u in sf.scenario.units]
    built = ScenarioFile(sf.scenario.model_copy(update={"units": units}), sf.path, sf.base_dir)
    assert restvarme.run(built).attrs["objective_eur"] == pytest.approx(9_600.0, rel=1e-9)
    fixed = scenario(tmp_path, scenario_factory, store_min_mwh=10.0, store_max_mwh=10.0)
    fixed_model = build_model(build_inputs(fixed)).model
    assert not warm_start.chooses_capacity(fixed_model)
    assert not warm_start.applies(build_inputs(fixed), fixed_model, min_snapshots=0)
    assert restvarme.run(fixed).attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-9)
    assert runs == [(1, 0), (1, 0)]


def test_interior_point_runs_start_cold(tmp_path, scenario_factory):
    # an interior-point method cannot continue from a basis, so asking for it wins
    sf = scenario(tmp_path, scenario_factory)
    ds = restvarme.run(sf, warm_start=True, solver_options={"solver": "ipm"})
    assert "warm_start" not in ds.attrs["timings_s"]
    assert ds.attrs["objective_eur"] == pytest.approx(21_600.0, rel=1e-7)


def test_a_plan_the_fixed_model_cannot_take_falls_back_to_a_cold_solve(tmp_path, scenario_factory):
    # A pathway must build at least 12 MWh of store in total. A plan of 0 MWh in every build
    # period makes the fixed model infeasible; the solve then drops that basis and still finds
    # the cold optimum (12 MWh, the 10 MWh the hourly store is worth plus 2 MWh forced).
    pathway = {"periods": [{"year": 2026}, {"year": 2028}], "last_period_years": 2}
    sf = scenario(tmp_path, scenario_factory, store_min_mwh=12.0, pathway=pathway)
    inputs = build_pathway_inputs(sf)
    cold = build_model(inputs)
    expected = solve(cold).objective_eur
    warm = build_model(inputs)
    plan = {"storage_new_capacity": np.zeros(warm.model.variables["storage_new_capacity"].shape)}
    assert solve(warm, plan=plan).objective_eur == pytest.approx(expected, rel=1e-9)
    built = warm.units["storage"].new_capacity.solution.sum("build_period")
    assert float(built.sum()) == pytest.approx(12.0, abs=1e-6)


GROUP_COST_EUR_PER_MW = 1000.0
PEAK_FEE_EUR_PER_MW = 1000.0


def grouped(tmp_path, factory, import_capacity_mw: float | None = None, **changes):
    """The store case with the electric boiler's output in an expandable capacity group (0 MW
    existing, 1,000 EUR per MW over the horizon) and behind its own meter with a peak fee of
    1,000 EUR per MW of peak import over the horizon (and an import limit if given)."""
    expansion = {
        "capital_cost_eur_per_mw": GROUP_COST_EUR_PER_MW / YEARS / annuity_factor(RATE, 30),
        "lifetime_years": 30,
    }
    meter = {"units": ["eb"], "peak_fee_eur_per_mw": PEAK_FEE_EUR_PER_MW / YEARS}
    if import_capacity_mw is not None:
        meter["import_capacity_mw"] = import_capacity_mw
    electricity = {
        "price_eur_per_mwh": "p.csv",
        "export_allowed": False,
        "connections": {"m": meter},
    }
    return scenario(
        tmp_path,
        factory,
        capacity_groups={"station": {"units": ["eb"], "expansion": expansion}},
        electricity=electricity,
        **changes,
    )


def test_coarse_plan_sizes_the_group_for_flat_prices(tmp_path, scenario_factory):
    # On 8-hour blocks (55 EUR/MWh everywhere) no store pays: the boiler covers the 10 MW load,
    # so the coarse plan builds a 10 MW group and no store.
    inputs = build_inputs(grouped(tmp_path, scenario_factory))
    plan = warm_start.coarse_plan(inputs, lambda built: solve(built) is not None)
    np.testing.assert_allclose(plan["capacity_group_new_capacity"], [10.0], atol=1e-9)
    np.testing.assert_allclose(plan["storage_new_capacity"], [0.0], atol=1e-9)
    assert "connection_peak_import" not in plan  # a peak follows the dispatch: left free


@pytest.mark.parametrize(
    ("import_capacity_mw", "store_mwh", "objective_eur"),
    [
        # Each MWh of store saves 90 EUR 48 times = 4,320 EUR and costs 1,200 (store) + 1,000
        # (one more MW of group: the boiler makes 10 + S in cheap hours) + 1,000 (one more MW
        # of peak import): build all 10 MWh. Energy 960 x 10 = 9,600; store 12,000; group 20 MW
        # = 20,000; peak 20 MW = 20,000: 61,600 EUR.
        (None, 10.0, 61_600.0),
        # An 18 MW import limit: cheap hours buy 10 + S <= 18, S = 8 MWh. Dear hours buy 2 MW:
        # 48 x (18 x 10 + 2 x 100) = 18,240; store 8 x 1,200 = 9,600; group and peak 18 MW
        # each = 36,000: 63,840 EUR.
        (18.0, 8.0, 63_840.0),
    ],
)
@pytest.mark.parametrize("warm", [True, False])
def test_group_and_meter_start_warm_and_keep_the_hand_optimum(
    tmp_path, scenario_factory, warm, import_capacity_mw, store_mwh, objective_eur
):
    sf = grouped(tmp_path, scenario_factory, import_capacity_mw)
    ds = restvarme.run(sf, warm_start=warm)
    assert ("warm_start" in ds.attrs["timings_s"]) is warm
    assert ds.attrs["objective_eur"] == pytest.approx(objective_eur, rel=1e-9)
    assert float(ds["capacity_new"].sel(unit="tank")) == pytest.approx(store_mwh, abs=1e-6)
    group = float(ds["capacity_group_new_mw"].sel(capacity_group="station"))
    assert group == pytest.approx(10 + store_mwh, abs=1e-6)
    peak = float(ds["connection_peak_import_mw"].sel(connection="m"))
    assert peak == pytest.approx(10 + store_mwh, abs=1e-6)


@pytest.mark.parametrize("case", [scenario, grouped], ids=["store", "store_group_meter"])
def test_a_pathway_starts_warm_and_keeps_its_optimum(tmp_path, scenario_factory, case):
    # Two periods; the store (and the group) built in 2026 serve both. The warm and the cold
    # solve must agree.
    pathway = {"periods": [{"year": 2026}, {"year": 2028}], "last_period_years": 2}
    sf = case(tmp_path, scenario_factory, pathway=pathway)
    warm = restvarme.run(sf, warm_start=True)
    cold = restvarme.run(sf, warm_start=False)
    assert "warm_start" in warm.attrs["timings_s"]
    assert warm.attrs["objective_eur"] == pytest.approx(cold.attrs["objective_eur"], rel=1e-9)
    np.testing.assert_allclose(warm["capacity_new"], cold["capacity_new"], atol=1e-6)
    for name in ("capacity_group_built_mw", "connection_peak_import_mw"):
        if name in cold:
            np.testing.assert_allclose(warm[name], cold[name], atol=1e-6)


def test_a_warm_run_hands_the_model_over_while_the_coarse_plan_is_solved(
    tmp_path, scenario_factory, monkeypatch
):
    # restvarme.run starts the hourly hand-over (and a pathway's split into periods) before the
    # coarse plan's solve and gives it to the final solve: that solve hands nothing over itself
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from restvarme.model import highs
    from restvarme.model import solve as solve_module

    pathway = {"periods": [{"year": 2026}, {"year": 2028}], "last_period_years": 2}
    sf = scenario(tmp_path, scenario_factory, pathway=pathway)
    built = build_model(build_pathway_inputs(sf))
    with ThreadPoolExecutor(1) as pool:
        early = solve_module.start_handing_over(built, "highs", None, pool)
        assert early is not None
        handed_early = early.result()
    assert handed_early.blocks is not None
    assert len(handed_early.blocks.cols) == 2  # the two periods
    assert handed_early.handed.kept_bounds is not None  # as with a plan: not lean
    assert solve_module.start_handing_over(built, "glpk", None, pool) is None

    handed_over = []
    to_highs = highs.to_highs

    def counted(model, options, *, lean=True):
        handed_over.append((lean, threading.current_thread().name.split("_")[0]))
        return to_highs(model, options, lean=lean)

    monkeypatch.setattr(highs, "to_highs", counted)
    ds = restvarme.run(sf, warm_start=True)
    # two hand-overs, in either order: the coarse plan's (lean, in the caller's thread) and the
    # hourly model's (not lean), started in a thread of its own before the coarse plan was
    # solved; the final solve made none of its own
    assert sorted(handed_over) == [(False, "restvarme-hand-over"), (True, "MainThread")]
    cold = restvarme.run(sf, warm_start=False)
    assert ds.attrs["objective_eur"] == pytest.approx(cold.attrs["objective_eur"], rel=1e-9)
