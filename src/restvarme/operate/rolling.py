"""Operation on a rolling horizon: plan a window, commit its first hours, roll on.

The year (the scenario's horizon, T hours) is cut into overlapping windows of ``horizon_h``
hours starting every ``step_h`` hours: window k covers hours [k·step, min(k·step + horizon, T)).
Each window is planned on its inputs as forecast (:mod:`restvarme.operate.forecast`), with the
dispatch model of ``restvarme run`` (:func:`restvarme.model.build.build_model`) over the window's
hours. Its first ``step_h`` hours are committed; the last window, the first that reaches T,
commits all of its hours. Capacities are fixed: operation decides dispatch only.

**What is carried.** Every store's level (heat and cold stores, batteries, hydrogen and biogas
stores: every type whose capacity is ``stored``) at the end of the committed hours is the next
window's initial level (``<type>_initial_level_mwh``, :func:`restvarme.units._store.add_store`).

**Unit states** (units with a ``commitment`` block, :mod:`restvarme.units._commitment`) are
carried too: each committed unit's status at the end of the committed hours, and the hours it
has been in that status (counted back through earlier windows), are the next window's initial
state (``<type>_initial_on``, ``<type>_initial_hours_h``), so its minimum up and down times hold
across windows and a unit left on is not charged a new start. The year starts from the states
the scenario gives. Each window is then a mixed-integer programme, solved by HiGHS to the
relative gap ``mip_rel_gap``; every window's LP relaxation and achieved gap are in
``Operation.windows``.

**The rule at a window's end** (``<type>_final_level_min_mwh``). A window that does not reach T
must end each store at least as full as it would have been left idle::

    L[stop - 1]  >=  κ^n · L_start        (κ = 1 - standing loss per hour, n the window's hours)

A window's optimum puts no value on what is left in a store after it, so without a rule every
window empties its stores at its end (the end-of-horizon effect); forbidding any net draw over
the window, losses excepted, is the simplest rule that needs no value of stored energy, and
it is always feasible (leaving the store idle meets it). It is conservative: a store may still
discharge within the window's first ``step_h`` hours, as long as the window's remaining hours
refill it, but a seasonal store cannot be drawn down over weeks, which a valued end level (a
water value from a seasonal plan) would allow. The last window ends each store at least at the
level the year started from, as ``restvarme run``'s cyclic year does, so that the year's cost
is comparable with the perfect-foresight year's.

**The year's start** is, by default, where the perfect-foresight year (``restvarme run``, cyclic)
starts: its level in the last hour (``initial_level_share`` gives it as a share of each store's
energy capacity instead). With perfect forecasts and one window covering the year, the rolling
year is then ``restvarme run``'s year (the cyclic optimum is feasible, and ending fuller never
saves cost where prices are not negative).

**How the committed hours are evaluated.** Decisions are taken on the forecast; the committed
hours are then re-dispatched on the real inputs with every store's level fixed, hour by hour, to
the level its window planned: one model over the whole year, the same as ``restvarme run``'s but
with the levels' bounds collapsed (and the year starting from its initial level). Fixed levels
leave no coupling between hours, so this is each committed hour dispatched on its own, and its
objective is the sum of the committed hours' costs. Committed units keep the on/off schedule
their windows planned (status fixed, relaxed to an LP: the re-dispatch decides the load
between the minimum and the capacity, and charges the planned starts). Where a real hour
cannot follow a store's schedule (its charge planned from heat or biogas the real hour does not
have), the store leaves it: every MWh of level off the plan costs half the unserved-heat penalty
(:data:`SCHEDULE_PENALTY_SHARE`), so the load is served before the schedule is kept, and the
schedule kept before any ordinary saving; the results then hold ``<type>_level_off_plan_mwh``
and the cost item ``store_schedule_penalty``. This is what a district-heating operator
recognises: the day-ahead plan sets the storage tank's schedule, and the control room meets the
load as it comes with the units at hand (the peak boilers take up a forecast error), rather than
leaving heat unserved when the load differs from the forecast. The result is collected by
:func:`restvarme.results.collect.collect_results`, so it has ``restvarme run``'s variables,
annual sums and cost items, and the run folder, report, accounts and compare read it unchanged.
Its marginal prices are those of the re-dispatch (stores fixed, so they follow the marginal unit
of each hour).

**What a window costs.** The year's inputs are built and the scenario validated once; a window's
forecast inputs are sliced from them, and only the windows asked for (``keep_plans``) are
collected as results. Each window's model is built anew
(:func:`restvarme.model.build.build_model`), which is nearly all of a window's time: profiled
with cProfile on Lund's 48-hour windows, the build is 93 % of a window's CPU time (the unit
builders' xarray alignment: heat pumps, stores, ports, balances), HiGHS's own run about 3 %
(benchmarks/README.md). Each LP window is handed to a new HiGHS instance, as a run is. With
``reuse=True``, LP windows of one structure (the same columns, rows and non-zero pattern:
windows of one length) are solved in one HiGHS instance changed in place
(:class:`restvarme.sweep.resolve.Resolver`, as a sweep re-solves its cases): only the costs,
bounds, right-hand sides and coefficients that differ are passed, and the simplex continues from
the last window's optimal basis. The optimum
of each window is the same; where it is not unique (degenerate hours) the vertex reported, and
so the levels carried on, may differ from a window solved on its own. It is not the default
because it saved no time that shows: HiGHS's run is about 3 % of a 48-hour window
(benchmarks/README.md, "What a window costs"). A window with committed
units is solved in one HiGHS instance of its own for its relaxation, MIP and fixed LP
(:func:`restvarme.model.solve.solve`). ``Operation.windows`` has each window's wall and CPU
seconds, of which the build and HiGHS's own run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from restvarme.errors import InfeasibleError, Problem, ScenarioError, SolveError
from restvarme.operate.forecast import Forecast, forecast_by_name
from restvarme.scenario.load import ScenarioFile, key_line
from restvarme.units._commitment import committed_types
from restvarme.units.registry import REGISTRY

if TYPE_CHECKING:
    from restvarme.model.build import BuiltModel
    from restvarme.model.solve import MipReport
    from restvarme.sweep.resolve import Resolver


SCHEDULE_PENALTY_SHARE = 0.5
"""What a MWh of store level off its planned schedule costs in the re-dispatch on the real
series, as a share of the scenario's unserved-heat penalty [-] (module docstring)."""


@dataclass(frozen=True)
class Window:
    """One window: planned over hours [start, stop), committed over [start, commit)."""

    index: int
    start: int
    stop: int
    commit: int
    last: bool = False
    """The window reaches the horizon's end (and commits all its hours)."""


def windows(hours: int, horizon_h: int, step_h: int) -> list[Window]:
    """The windows of a rolling horizon over ``hours`` snapshots (module docstring)."""
    if step_h < 1 or horizon_h < step_h:
        raise ValueError(
            f"a rolling horizon needs 1 <= step <= horizon hours (got step {step_h} h, "
            f"horizon {horizon_h} h)"
        )
    out: list[Window] = []
    start = 0
    while start < hours:
        stop = min(start + horizon_h, hours)
        commit = stop if stop == hours else start + step_h
        out.append(Window(len(out), start, stop, commit, last=stop == hours))
        start = commit
    return out


def _problem(sf: ScenarioFile, message: str, *path: str | int) -> Problem:
    line = key_line(sf.path, path) if sf.path is not None else None
    return Problem(message, tuple(path), sf.path, line)


def check_operable(sf: ScenarioFile) -> None:
    """Refuse what operation does not decide: capacities to choose, pathways, aggregated hours
    and targets over the year, each with the key it is given at."""
    sc, problems = sf.scenario, []
    if sc.pathway is not None:
        problems.append(
            _problem(
                sf,
                "operate needs fixed capacities and one year; a pathway plans what to build: "
                "run `restvarme plan` first and operate the plan's year with its capacities",
                "pathway",
            )
        )
    for i, unit in enumerate(sc.units):
        if unit.expansion is not None:
            problems.append(
                _problem(
                    sf,
                    f"operate needs fixed capacities, but unit {unit.name!r} is extendable; run "
                    "`restvarme plan` first and give the capacity it chooses instead of "
                    "`expansion`",
                    "units",
                    i,
                    "expansion",
                )
            )
    horizon = sc.horizon
    if horizon.resolution_h != 1 or horizon.typical_days:
        problems.append(
            _problem(
                sf,
                "operate plans hour by hour; remove horizon.resolution_h and "
                "horizon.typical_days (or set resolution_h: 1)",
                "horizon",
            )
        )
    t = sc.targets
    if (
        t.neutral
        or t.emission_cap_t is not None
        or t.min_waste_heat_share is not None
        or t.min_renewable_share is not None
    ):
        problems.append(
            _problem(
                sf,
                "operate does not carry yearly targets (emission cap, neutrality, minimum "
                "shares) across its windows; remove the `targets` section to operate",
                "targets",
            )
        )
    if problems:
        raise ScenarioError(problems)


def store_types(inputs: xr.Dataset) -> list[str]:
    """The store types (capacity ``stored``) the inputs have units of."""
    return [d for d, t in REGISTRY.items() if t.capacity.stored and t.present(inputs)]


def _retention(inputs: xr.Dataset, dim: str) -> xr.DataArray:
    """κ^Σw: the share of a store's level left after the inputs' hours, idle [-]."""
    hours = float(inputs["snapshot_weight_h"].sum())
    return (1.0 - inputs[f"{dim}_standing_loss_per_hour"]) ** hours


def with_store_levels(
    inputs: xr.Dataset,
    initial: dict[str, xr.DataArray],
    final_min: dict[str, xr.DataArray] | None = None,
) -> xr.Dataset:
    """The inputs with every store's initial level and, if given, minimum final level [MWh]."""
    extra = {}
    for dim, level in initial.items():
        extra[f"{dim}_initial_level_mwh"] = level.assign_attrs(units="MWh")
        if final_min is not None:
            extra[f"{dim}_final_level_min_mwh"] = final_min[dim].assign_attrs(units="MWh")
    return inputs.assign(extra)


@dataclass
class Operation:
    """What :func:`operate` returns."""

    results: xr.Dataset
    """The year as operated: the committed hours re-dispatched on the real inputs, with
    ``restvarme run``'s variables (module docstring)."""
    perfect: xr.Dataset
    """The perfect-foresight year (``restvarme run``: one window over the year, cyclic)."""
    windows: pd.DataFrame
    """Per window: its start, hours planned and committed, its planned objective [EUR] (on the
    forecast, over all its hours), the seconds it took (forecast, build, solve, read) and the
    process's CPU seconds over them (which hold up on a loaded machine), of which the model
    build and the solver's own run; with unit commitment also its LP relaxation's
    objective [EUR] and the relative gap reached [-] (NaN for an LP window)."""
    plans: dict[int, xr.Dataset] = field(default_factory=dict)
    """The collected plans (on the forecast) of the windows asked for by ``keep_plans``."""

    def foresight(self) -> pd.DataFrame:
        """The cost of imperfect foresight per cost item [EUR]: the perfect-foresight year, the
        rolling year, and their difference (rolling - perfect); last row: the objective."""
        perfect = self.perfect["cost_eur"].to_series()
        rolling = self.results["cost_eur"].to_series()
        items = perfect.index.append(rolling.index.difference(perfect.index, sort=False))
        table = pd.DataFrame(
            {
                "perfect_foresight_eur": perfect.reindex(items, fill_value=0.0),
                "rolling_eur": rolling.reindex(items, fill_value=0.0),
            }
        )
        table.loc["objective"] = [
            float(self.perfect.attrs["objective_eur"]),
            float(self.results.attrs["objective_eur"]),
        ]
        table["difference_eur"] = table["rolling_eur"] - table["perfect_foresight_eur"]
        table.index.name = "cost_item"
        return table


def operate(
    scenario: str | Path | ScenarioFile,
    *,
    horizon_h: int = 48,
    step_h: int = 24,
    forecast: str | Forecast = "perfect",
    seed: int = 0,
    initial_level_share: float | None = None,
    solver: str = "highs",
    solver_options: dict | None = None,
    mip_rel_gap: float | None = None,
    keep_plans: tuple[int, ...] = (),
    on_window: Callable[[Window, int], None] | None = None,
    reuse: bool = False,
) -> Operation:
    """Operate a scenario on a rolling horizon (module docstring) and return the year.

    Parameters
    ----------
    scenario : path, example name or loaded scenario, with fixed capacities
    horizon_h, step_h : hours planned per window, and hours committed (the step) [h]
    forecast : ``"perfect"``, ``"persistence"``, ``"noise"`` (seeded by ``seed``) or a function
        (:data:`restvarme.operate.forecast.Forecast`)
    initial_level_share : every store's level at the year's start as a share of its energy
        capacity [-]; None: where the perfect-foresight year starts
    solver_options : passed to the solver, over the scenario's ``solver`` section
    mip_rel_gap : the relative gap HiGHS's MIP stops at, for units with a ``commitment`` block
        [-], over the scenario's ``solver.mip_rel_gap``; None: the scenario's, else HiGHS's
        default (1e-4, :data:`restvarme.model.solve.DEFAULT_MIP_REL_GAP`)
    keep_plans : window indices whose plans to collect (``Operation.plans``), e.g. for the
        day-ahead export (:mod:`restvarme.operate.export`)
    on_window : called with each window and the number of windows as it starts
    reuse : solve LP windows of one structure in one HiGHS instance, changed in place from
        window to window (module docstring); False (default): hand every window to a new
        instance, as a run does
    """
    from restvarme.api import load
    from restvarme.inputs.build import build_inputs
    from restvarme.model.solve import solver_options as scenario_options

    sf = cast(ScenarioFile, scenario) if hasattr(scenario, "scenario") else load(scenario)
    check_operable(sf)
    predict = forecast if callable(forecast) else forecast_by_name(forecast, seed)
    settings = sf.scenario.solver.given()  # the scenario's `solver` section
    if mip_rel_gap is not None:
        settings["mip_rel_gap"] = mip_rel_gap
    solver_options = scenario_options(solver, settings, solver_options)
    real = build_inputs(sf)
    plan_windows = windows(real.sizes["snapshot"], horizon_h, step_h)
    began = time.perf_counter()
    perfect = cast(xr.Dataset, _solve(real, solver, solver_options).results)
    perfect_s = time.perf_counter() - began
    year_start = _year_start(real, perfect, store_types(real), initial_level_share)
    resolver = _resolver(solver, solver_options) if reuse else None
    levels, statuses, rows, plans = _roll(
        real, plan_windows, predict, year_start, solver, solver_options, keep_plans, on_window,
        resolver,
    )  # fmt: skip
    began = time.perf_counter()
    results = _evaluate(real, year_start, levels, statuses, solver, solver_options)
    evaluate_s = time.perf_counter() - began
    results.attrs.update(
        operate_horizon_h=horizon_h,
        operate_step_h=step_h,
        operate_forecast=forecast if isinstance(forecast, str) else "custom",
        operate_seed=seed,
        operate_windows=len(plan_windows),
        operate_reused_windows=0 if resolver is None else resolver.warm,
        perfect_foresight_objective_eur=float(perfect.attrs["objective_eur"]),
        operate_perfect_foresight_seconds=perfect_s,
        operate_evaluation_seconds=evaluate_s,
        scenario_file=str(sf.path) if sf.path else "",
    )
    table = pd.DataFrame(rows).set_index("window")
    if statuses:
        results.attrs.update(_commitment_attrs(perfect, table))
    return Operation(results, perfect, table, plans)


def _commitment_attrs(perfect: xr.Dataset, table: pd.DataFrame) -> dict[str, float]:
    """The MIP figures of an operation with unit commitment: the perfect-foresight year's
    LP relaxation and gap, and over the windows the sum of their planned objectives and LP
    relaxations [EUR] and the largest gap reached [-]."""
    return {
        "perfect_foresight_relaxation_objective_eur": float(
            perfect.attrs.get("mip_relaxation_objective_eur", np.nan)
        ),
        "perfect_foresight_mip_gap": float(perfect.attrs.get("mip_gap", np.nan)),
        "operate_mip_rel_gap": float(perfect.attrs.get("mip_rel_gap", np.nan)),
        "operate_windows_planned_objective_eur": float(table["planned_objective_eur"].sum()),
        "operate_windows_relaxation_objective_eur": float(table["relaxation_objective_eur"].sum()),
        "operate_windows_max_mip_gap": float(table["mip_gap"].max()),
    }


def _roll(
    real: xr.Dataset,
    plan_windows: list[Window],
    predict: Forecast,
    year_start: dict[str, xr.DataArray],
    solver: str,
    options: dict | None,
    keep_plans: tuple[int, ...],
    on_window: Callable[[Window, int], None] | None,
    resolver: Resolver | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[dict], dict[int, xr.Dataset]]:
    """Plan the windows in turn (module docstring): every store's planned level in the
    committed hours [MWh] and every committed unit's planned status [-] (by type, (snapshot,
    unit)), a row per window, and the kept plans."""
    n = real.sizes["snapshot"]
    levels = {d: np.full((n, real.sizes[d]), np.nan) for d in year_start}
    carried = dict(year_start)
    statuses = {d: np.full((n, real.sizes[d]), np.nan) for d in committed_types(real)}
    states = {d: _initial_state(real, d) for d in statuses}
    rows, plans = [], {}
    for w in plan_windows:
        if on_window is not None:
            on_window(w, len(plan_windows))
        began, began_cpu = time.perf_counter(), time.process_time()
        x = predict(real, w.start, w.stop, w.index)
        final = {d: year_start[d] if w.last else carried[d] * _retention(x, d) for d in carried}
        x = with_store_levels(x, carried, final).assign(
            {k: v for d in states for k, v in states[d].items()}
        )
        try:
            solved = _solve(x, solver, options, keep=w.index in keep_plans, resolver=resolver)
        except SolveError as error:
            raise type(error)(
                f"window {w.index + 1} of {len(plan_windows)} (from "
                f"{pd.Timestamp(real['snapshot'].values[w.start])}): {error}"
            ) from None
        committed, built = w.commit - w.start, solved.built
        for d in levels:
            level = built.units[d].handles["level"].solution.transpose("snapshot", d).values
            top = real[f"{d}_energy_mwh"].values
            levels[d][w.start : w.commit] = np.clip(level[:committed], 0.0, top)
            carried[d] = xr.DataArray(levels[d][w.commit - 1], coords={d: real[d].values}, dims=d)
        for d in statuses:
            status = built.units[d].handles["status"].solution.transpose("snapshot", d).values
            statuses[d][w.start : w.commit] = np.round(status[:committed])
            states[d] = _carried_state(states[d], statuses[d][w.start : w.commit], d)
        if solved.results is not None:
            plans[w.index] = solved.results
        rows.append(
            {
                "window": w.index,
                "start": pd.Timestamp(real["snapshot"].values[w.start]),
                "hours": w.stop - w.start,
                "committed_hours": committed,
                "planned_objective_eur": float(cast(float, built.model.objective.value)),
                "seconds": time.perf_counter() - began,
                "cpu_seconds": time.process_time() - began_cpu,
                "build_seconds": solved.build_seconds,
                "solver_seconds": solved.solver_seconds,
                "relaxation_objective_eur": np.nan
                if solved.mip is None
                else solved.mip.relaxation_objective_eur,
                "mip_gap": np.nan if solved.mip is None else solved.mip.gap,
            }
        )
    return levels, statuses, rows, plans


def _initial_state(real: xr.Dataset, d: str) -> dict[str, xr.DataArray]:
    """The committed units' state at the year's start, as the scenario gives it."""
    return {
        f"{d}_initial_on": real[f"{d}_initial_on"],
        f"{d}_initial_hours_h": real[f"{d}_initial_hours_h"],
    }


def _carried_state(
    before: dict[str, xr.DataArray], status: np.ndarray, d: str
) -> dict[str, xr.DataArray]:
    """The state after the committed hours ``status`` ((hour, unit), 0 or 1): each unit's last
    status, and the hours it has been in it, counted back through the committed hours and,
    where it did not change in them, the hours carried in (module docstring)."""
    on_before = before[f"{d}_initial_on"].values.astype(bool)
    hours_before = before[f"{d}_initial_hours_h"].values
    last = status[-1].astype(bool)
    trailing = np.cumprod(status[::-1] == status[-1], axis=0).sum(axis=0)  # hours in `last`
    unchanged = (trailing == status.shape[0]) & (on_before == last)
    hours = np.where(unchanged, hours_before + trailing, trailing)
    return {
        f"{d}_initial_on": before[f"{d}_initial_on"].copy(data=last),
        f"{d}_initial_hours_h": before[f"{d}_initial_hours_h"].copy(data=hours.astype(float)),
    }


@dataclass(frozen=True)
class _Solved:
    results: xr.Dataset | None
    built: BuiltModel
    build_seconds: float
    solver_seconds: float
    mip: MipReport | None = None


def _solve(
    x: xr.Dataset,
    solver: str,
    options: dict | None,
    *,
    keep: bool = True,
    resolver: Resolver | None = None,
) -> _Solved:
    """Build and solve the dispatch of ``x``: the collected results (if ``keep``), the built
    model, the seconds of the build and the solver's own seconds. An LP is solved by
    ``resolver`` where one is given (in its held HiGHS instance, changed in place)."""
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    began = time.perf_counter()
    built = build_model(x)
    build_s = time.perf_counter() - began
    if resolver is not None and built.model.type == "LP":
        solved = resolver.solve(built)
    else:
        solved = solve(built, solver, options)
    results = collect_results(built, solved) if keep else None
    return _Solved(results, built, build_s, solved.solver_seconds, solved.mip)


def _resolver(solver: str, options: dict | None) -> Resolver | None:
    """A :class:`~restvarme.sweep.resolve.Resolver` for the LP windows, where HiGHS's simplex
    solves them (a basis to keep) without a time limit (HiGHS's clock runs on across an
    instance's solves); None otherwise."""
    from restvarme.sweep.resolve import HIGHS_OPTIONS, Resolver

    given = options or {}
    if solver != "highs" or "time_limit" in given:
        return None
    if given.get("solver", "choose") not in ("choose", "simplex"):
        return None
    return Resolver(options={**HIGHS_OPTIONS, **given})


def _year_start(
    real: xr.Dataset, perfect: xr.Dataset | None, stores: list[str], share: float | None
) -> dict[str, xr.DataArray]:
    """Every store's level at the year's start [MWh] (:func:`operate`'s ``initial_level_share``)."""
    out = {}
    for d in stores:
        energy = real[f"{d}_energy_mwh"]
        if share is not None:
            level = energy * share
        else:
            assert perfect is not None
            level = perfect[f"{d}_level_mwh"].isel(snapshot=-1, drop=True)
        out[d] = xr.DataArray(
            np.clip(level.values, 0.0, energy.values), coords={d: real[d].values}, dims=d
        )
    return out


def _evaluate(
    real: xr.Dataset,
    year_start: dict[str, xr.DataArray],
    levels: dict[str, np.ndarray],
    statuses: dict[str, np.ndarray],
    solver: str,
    options: dict | None,
) -> xr.Dataset:
    """The committed hours re-dispatched on the real inputs with the planned store levels and
    unit statuses fixed (module docstring), collected as ``restvarme run`` collects."""
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    built = build_model(with_store_levels(real, year_start))
    m = built.model
    price = SCHEDULE_PENALTY_SHARE * float(real["unserved_heat_penalty_eur_per_mwh"])
    off: dict[str, tuple[linopy.Variable, linopy.Variable]] = {}
    penalty = []
    for d, planned in levels.items():
        level = built.units[d].handles["level"]
        plan = xr.DataArray(planned, coords={"snapshot": real["snapshot"], d: real[d].values})
        above = m.add_variables(lower=0, coords=level.coords, name=f"{d}_level_above_plan")
        below = m.add_variables(lower=0, coords=level.coords, name=f"{d}_level_below_plan")
        m.add_constraints(level - above + below == plan.transpose(*level.dims), name=f"{d}_plan")
        penalty.append((price * (above + below)).sum())
        off[d] = (above, below)
    for d, planned in statuses.items():
        handles = built.units[d].handles
        status = handles["status"]
        plan = xr.DataArray(planned, coords={"snapshot": real["snapshot"], d: real[d].values})
        status.fix(plan.fillna(0.0).transpose(*status.dims))
        for name in ("status", "start", "stop"):
            handles[name].relax()
    if penalty:
        m.add_objective(sum(penalty, m.objective.expression), overwrite=True)
    try:
        solved = solve(built, solver, options)
    except InfeasibleError as error:
        raise InfeasibleError(
            f"the committed plan cannot be followed on the real inputs: {error}"
        ) from None
    results = collect_results(built, solved)
    return _with_deviations(results, off, price)


def _with_deviations(
    results: xr.Dataset, off: dict[str, tuple[linopy.Variable, linopy.Variable]], price: float
) -> xr.Dataset:
    """The stores' departures from their planned levels [MWh] in the results (where any store
    departs), with their penalty as the cost item ``store_schedule_penalty`` [EUR], so that the
    cost items still add up to the objective."""
    total_mwh, extra = 0.0, {}
    for d, (above, below) in off.items():
        gap = (above.solution + below.solution).transpose("snapshot", d)
        total_mwh += float(gap.sum())
        extra[f"{d}_level_off_plan_mwh"] = gap.assign_attrs(units="MWh")
    results.attrs["operate_off_plan_mwh"] = total_mwh
    if total_mwh <= 1e-6:
        return results
    cost = results["cost_eur"]
    item = xr.DataArray([price * total_mwh], coords={"cost_item": ["store_schedule_penalty"]})
    merged = xr.concat([cost, item], dim="cost_item").assign_attrs(cost.attrs)
    return results.drop_dims("cost_item").assign(cost_eur=merged, **extra)
