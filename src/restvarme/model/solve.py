"""Solve a built model with HiGHS (default) or any solver linopy knows, and type the outcome.

The scenario's ``solver`` section (a MIP's relative gap, a time limit) reaches a solve as
options in the solver's own names (:func:`solver_options`); a mixed-integer model (unit
commitment) is solved in one HiGHS instance, relaxation, MIP and fixed LP in turn
(:func:`_solve_highs_mip`), and reports the gap asked and reached (:class:`MipReport`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import linopy
import numpy as np

from restvarme.errors import InfeasibleError, SolveError, server_mode
from restvarme.model import diagnose, highs, pathway_solve, warm_start
from restvarme.model.build import BuiltModel

DEFAULT_SOLVER = "highs"
_DIRECT_APIS = {"highs", "gurobi"}

SETTING_OPTIONS: dict[str, dict[str, str]] = {
    "highs": {"mip_rel_gap": "mip_rel_gap", "time_limit_s": "time_limit"},
    "gurobi": {"mip_rel_gap": "MIPGap", "time_limit_s": "TimeLimit"},
}
"""The option names of the scenario's ``solver`` section's keys, by solver
(:mod:`restvarme.scenario.solver`)."""


def solver_options(
    solver: str, settings: Mapping[str, float], options: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """The options of a solve: the scenario's ``solver`` section (``settings``, its keys as
    given: :meth:`restvarme.scenario.solver.SolverSettings.given`) in ``solver``'s own option
    names, then ``options`` (command line, Python), which take precedence. None if there are
    neither. Raises :class:`SolveError` for settings a solver has no names for here."""
    names = SETTING_OPTIONS.get(solver)
    if settings and names is None:
        keys = ", ".join(f"solver.{k}" for k in settings)
        raise SolveError(
            f"the scenario's {keys} is translated for {' and '.join(SETTING_OPTIONS)} only; for "
            f"{solver!r} remove it and pass the solver's own option (solver_options from Python)"
        )
    translated = {names[k]: v for k, v in settings.items()} if names else {}
    merged = {**translated, **(options or {})}
    return merged or None


class SolveStatus(StrEnum):
    """How the solver finished."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    TIME_LIMIT = "time_limit"
    OTHER = "other"

    @classmethod
    def from_linopy(cls, termination: str) -> SolveStatus:
        try:
            return cls(str(termination).lower())
        except ValueError:
            return cls.OTHER


@dataclass(frozen=True)
class SolveResult:
    status: SolveStatus
    objective_eur: float
    solver: str
    solve_seconds: float
    """Wall time of the solve call, including linopy's hand-over to the solver [s]."""
    solver_seconds: float
    """The solver's own run time where it reports one (HiGHS), else NaN [s]."""
    mip: MipReport | None = None
    """For a mixed-integer model (unit commitment) solved by HiGHS: its LP relaxation and gap."""


@dataclass(frozen=True)
class MipReport:
    """How a mixed-integer solve ended (HiGHS, :func:`_solve_highs_mip`)."""

    relaxation_objective_eur: float
    """The optimum of the LP relaxation (every binary in [0, 1]) [EUR]: a lower bound."""
    dual_bound_eur: float
    """HiGHS's best bound on the optimum when it stopped [EUR]."""
    gap: float
    """The achieved relative gap, (objective - dual bound) / |objective| as HiGHS reports it [-]."""
    mip_rel_gap: float
    """The relative gap asked for (HiGHS option ``mip_rel_gap``) [-]."""
    time_limited: bool = False
    """The MIP stopped at its time limit (scenario key ``solver.time_limit_s``) with a solution
    in hand, before the gap asked for: ``gap`` is then what it reached."""


def solve(
    built: BuiltModel,
    solver: str = DEFAULT_SOLVER,
    options: dict | None = None,
    plan: dict[str, np.ndarray] | None = None,
    handing_over: Future[HandedEarly] | None = None,
) -> SolveResult:
    """Solve ``built`` in place and return a typed result.

    ``plan`` (new capacity per new-capacity variable, from
    :func:`restvarme.model.warm_start.coarse_plan`) starts HiGHS next to that plan; the optimum
    is the same. Other solvers ignore it. ``handing_over``: the hand-over to HiGHS started
    while the plan was solved (:func:`start_handing_over`), for the same ``solver`` and
    ``options``.

    HiGHS gets the model in memory in one call (:mod:`restvarme.model.highs`), Gurobi through
    linopy's ``io_api="direct"``, other solvers through an LP file. Raises
    :class:`InfeasibleError` naming the balance that cannot be met, or :class:`SolveError` for
    every other end without an optimum, saying what to look at: a model HiGHS refuses, a solver
    that fails, numeric trouble, an unbounded model and any other non-optimal end come with the
    largest and smallest numbers of the model and the variables, constraints and scenario keys
    they sit in (:func:`restvarme.model.diagnose.number_ranges`); a time or iteration limit says
    which option to raise or how to make the model smaller.
    """
    m = built.model
    if solver not in linopy.available_solvers:
        raise SolveError(
            f"solver {solver!r} is not installed; available: "
            f"{', '.join(linopy.available_solvers)}. "
            "Install its Python package or choose one of those with --solver."
        )
    io_api = "direct" if solver in _DIRECT_APIS else None
    options = dict(options or {})
    quiet = True
    if solver == "highs":
        options = _highs_options(options)
        quiet = not options["output_flag"]
    solver_seconds = float("nan")  # the solver's own time, where it reports one
    mip: MipReport | None = None
    start = time.perf_counter()
    try:
        with _silenced_stdout() if quiet else contextlib.nullcontext():
            if solver == "highs" and m.type == "MILP" and m.objective.sense == "min":
                termination, solver_seconds, mip = _solve_highs_mip(m, options)
            elif solver == "highs" and highs.accepts(m):
                termination, solver_seconds = _solve_highs(m, options, plan, handing_over)
            else:
                # The builders write no zero coefficients and no infinite right-hand sides, so
                # linopy's sanitising passes are skipped.
                _, termination = m.solve(
                    solver_name=solver,
                    io_api=io_api,
                    progress=False,
                    sanitize_zeros=False,
                    sanitize_infinities=False,
                    **options,
                )
    except highs.ModelRefused:
        raise SolveError(
            "HiGHS refused the model: some of its numbers are beyond what it accepts "
            f"(coefficients up to {diagnose.HIGHS_LARGE_MATRIX_VALUE:g}, bounds and right-hand "
            f"sides below {diagnose.HIGHS_INFINITE_BOUND:g}, no NaN). Look at the scenario keys "
            f"named here:\n{diagnose.number_ranges(m)}"
        ) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:  # the solver's own failure: say what it was and what to look at
        said = "" if server_mode() else f": {_first_line(exc)}"
        raise SolveError(
            f"{solver} failed ({type(exc).__name__}{said}). The model's numbers, whose "
            f"spread often causes such failures:\n{diagnose.number_ranges(m)}"
        ) from None
    elapsed = time.perf_counter() - start
    status = SolveStatus.from_linopy(termination)
    if status in (SolveStatus.INFEASIBLE, SolveStatus.INFEASIBLE_OR_UNBOUNDED):
        raise InfeasibleError(_explain_infeasibility(built, solver))
    if status is not SolveStatus.OPTIMAL:
        raise SolveError(_not_optimal(m, solver, str(termination), status, options))
    assert m.objective.value is not None  # an optimal solve sets it
    return SolveResult(status, float(m.objective.value), solver, elapsed, solver_seconds, mip)


def _not_optimal(
    m: linopy.Model, solver: str, termination: str, status: SolveStatus, options: dict
) -> str:
    """Why a solve ended without an optimum, and what to look at."""
    if termination == "user_interrupt":
        return f"{solver} was interrupted (Ctrl-C) before it found an optimum; nothing was written"
    if status is SolveStatus.TIME_LIMIT or termination == "iteration_limit":
        what = {
            "time_limit": "its time limit"
            + (f" ({options['time_limit']:g} s)" if "time_limit" in options else ""),
            "iteration_limit": "its iteration limit",
        }.get(str(status) if status is SolveStatus.TIME_LIMIT else termination, termination)
        return (
            f"{solver} stopped at {what} before it found an optimum; raise the limit (the "
            "scenario's solver.time_limit_s, or the solver option time_limit, in seconds) or "
            "make the model smaller (horizon.hours, "
            "horizon.resolution_h or horizon.typical_days, fewer units to expand)"
        )
    if status is SolveStatus.UNBOUNDED:
        return (
            f"{solver} found the model unbounded: some flow earns money without limit. Look "
            "for a sale priced above what it costs to make (export above import prices, "
            "negative prices) with no capacity limit. The model's numbers:\n"
            + diagnose.number_ranges(m)
        )
    return (
        f"{solver} ended with {termination!r} and no optimal solution; this is usually numeric "
        "trouble from numbers of very different sizes. Look at the scenario keys named here:\n"
        + diagnose.number_ranges(m)
    )


def _first_line(exc: BaseException, limit: int = 200) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _highs_options(options: dict | None) -> dict:
    """The options a HiGHS solve runs with: HiGHS's log off unless asked for."""
    return {"output_flag": False, **(options or {})}


@dataclass(frozen=True)
class HandedEarly:
    """A model handed over to HiGHS while its coarse plan was solved
    (:func:`start_handing_over`)."""

    handed: highs.HandedOver
    blocks: pathway_solve.PeriodBlocks | None
    """The model's split into periods, a one-year model's into its dispatch and new capacity
    (:func:`restvarme.model.pathway_solve.period_blocks`); None for a model that does not
    split (whose final solve then looks for a split again, and finds none)."""


def start_handing_over(
    built: BuiltModel, solver: str, options: dict | None, pool: Executor
) -> Future[HandedEarly] | None:
    """Hand ``built`` over to HiGHS (and split it into periods and new capacity) on ``pool``, as
    :func:`solve` would with a plan, while the caller solves the coarse plan: HiGHS runs
    without Python's lock, so the hand-over takes up the core it leaves: on the hourly Lund
    2030 pathway the periods' first dispatch starts 0.3-0.4 s after the coarse plan's solve
    instead of 2.6 s (benchmarks/README.md). None where :func:`solve` hands nothing over this
    way (other solvers, mixed-integer models). Give the result to :func:`solve` as
    ``handing_over``, with the same ``solver`` and ``options``."""
    m = built.model
    if solver != "highs" or m.type == "MILP" or not highs.accepts(m):
        return None
    options = _highs_options(options)

    def hand_over() -> HandedEarly:
        handed = highs.to_highs(m, options, lean=False)
        return HandedEarly(handed, pathway_solve.period_blocks(m, handed))

    return pool.submit(hand_over)


def _solve_highs(
    m: linopy.Model,
    options: dict,
    plan: dict[str, np.ndarray] | None,
    handing_over: Future[HandedEarly] | None = None,
) -> tuple[str, float]:
    """Solve in HiGHS, handed over in one call (:mod:`restvarme.model.highs`; by
    ``handing_over`` if given), from ``plan`` if given (:mod:`restvarme.model.warm_start`;
    by blocks: :mod:`restvarme.model.pathway_solve`); the solution and duals are written back
    onto the model. Returns linopy's termination condition and HiGHS's own run time [s], the
    periods' own solves included. Without a plan the LP is handed over lean (``lean``:
    :func:`restvarme.model.highs.to_highs`); with one as built, so that a pathway's period LPs
    and cuts see every column and row."""
    if handing_over is not None:
        early = handing_over.result()
        handed, blocks = early.handed, early.blocks
    else:
        handed, blocks = highs.to_highs(m, options, lean=not plan), None
    no_plan = (np.zeros(0, dtype=np.int32), np.zeros(0))
    cols, values = warm_start.fixed_columns(m, plan, handed.vlabels) if plan else no_plan
    periods_seconds = 0.0
    if len(cols):  # the fixed-plan dispatch is solved period by period (one block for a year)
        periods_seconds = pathway_solve.run_from_plan(m, handed, cols, values, blocks=blocks)
    else:
        if SPLIT_COLD_EXPANSION and warm_start.chooses_capacity(m):
            highs.split_iterations(handed.highs, options)
        highs.run(handed.highs)
    termination = highs.write_back(m, highs.result(m, handed))
    return termination, float(handed.highs.getRunTime()) + periods_seconds


SPLIT_COLD_EXPANSION = True
"""Whether a model with capacity to choose, solved from scratch (no plan to start from: a
``--cold-start`` run, a plan on blocks or typical days, the coarse plan itself), has HiGHS's
dual simplex split each iteration's work over the process's cores
(:func:`restvarme.model.highs.split_iterations`), unless the options choose otherwise. The
iterations and the optimum are the serial simplex's; measured on 2 cores
(``benchmarks/README.md``, "Cold expansion on both cores"): the hourly Lund 2030 year as a
one-year plan 154.5 s of HiGHS's time against 210.8 s (129,574 iterations either way), on
4-hour blocks 7.5-8.7 s against 10.1-10.3 s, the Lund 2030 pathway on typical days 4.1-5.0 s
against 5.2-5.7 s, and no loss on small expansions. A dispatch gains nothing (the Lund year
9.9-11.0 s against 10.3-11.2 s, and 90 MiB more), so it keeps HiGHS's serial simplex."""


DEFAULT_MIP_REL_GAP = 1e-4
"""HiGHS's own default relative MIP gap [-], used unless ``mip_rel_gap`` is given."""


def _solve_highs_mip(m: linopy.Model, options: dict) -> tuple[str, float, MipReport | None]:
    """Solve a mixed-integer model (unit commitment) in HiGHS, handed over once
    (:mod:`restvarme.model.highs`, the integer columns relaxed) and solved in three steps in
    that one instance:

    1. the LP relaxation (every integer variable relaxed to its bounds), for its objective;
    2. the MIP (the integer columns made integer again), to the relative gap ``mip_rel_gap``;
    3. the LP with every integer column fixed at the MIP's value, whose solution (the MIP's,
       same objective) is written back with its duals: HiGHS gives a MIP no duals, and the
       marginal prices of the results are those of the committed dispatch (as PyPSA's
       ``assign_all_duals`` does).

    A ``time_limit`` [s] bounds each step (HiGHS's clock runs on across an instance's runs, so
    each run is given the time already spent plus the limit). A MIP stopped by it with a
    solution in hand goes on to step 3 with that solution, and its report says so
    (:attr:`MipReport.time_limited`, the gap reached above the gap asked).

    The model is left as it was built (integers unrelaxed and unfixed), holding step 3's
    solution. Returns the termination condition (linopy's words), HiGHS's seconds over the
    three steps and the :class:`MipReport` (None if the MIP found no solution)."""
    import highspy

    gap = float(options.get("mip_rel_gap", DEFAULT_MIP_REL_GAP))
    options = {**options, "mip_rel_gap": gap}
    limit = options.pop("time_limit", None)
    with integers_relaxed(m) as integers:
        handed = highs.to_highs(m, options)
    h = handed.highs
    cols = _columns(handed.vlabels, integers)
    _run_within(h, limit)
    relaxed = highs.termination(h)
    if relaxed in ("infeasible", "infeasible_or_unbounded", "unbounded"):
        return relaxed, float(h.getRunTime()), None
    relaxation = float(h.getInfo().objective_function_value) if relaxed == "optimal" else np.nan
    kind = highspy.HighsVarType
    h.changeColsIntegrality(cols.size, cols, np.full(cols.size, kind.kInteger, dtype=np.uint8))
    _run_within(h, limit)
    info, termination = h.getInfo(), highs.termination(h)
    feasible = int(highspy.SolutionStatus.kSolutionStatusFeasible)
    found = int(info.primal_solution_status) == feasible
    if not (termination == "optimal" or (termination == "time_limit" and found)):
        return termination, float(h.getRunTime()), None
    report = MipReport(
        relaxation,
        float(info.mip_dual_bound),
        float(info.mip_gap),
        gap,
        time_limited=termination == "time_limit",
    )
    values = np.round(np.asarray(h.getSolution().col_value)[cols])
    h.changeColsIntegrality(cols.size, cols, np.full(cols.size, kind.kContinuous, dtype=np.uint8))
    h.changeColsBounds(cols.size, cols, values, values)
    _run_within(h, limit)
    termination = highs.write_back(m, highs.result(m, handed))
    return termination, float(h.getRunTime()), report


@contextlib.contextmanager
def integers_relaxed(m: linopy.Model) -> Iterator[list[linopy.Variable]]:
    """The model's integer and binary variables, relaxed to continuous within the scope (as a
    MIP is handed over to HiGHS: :func:`_solve_highs_mip`) and made integer again after it."""
    integers = [
        v for _, v in m.variables.items() if v.attrs.get("binary") or v.attrs.get("integer")
    ]
    for v in integers:
        v.relax()
    try:
        yield integers
    finally:
        for v in integers:
            v.unrelax()


def _columns(vlabels: np.ndarray, variables: list[linopy.Variable]) -> np.ndarray:
    """HiGHS's column positions of ``variables`` (columns in HiGHS's order ``vlabels``)."""
    labels = np.concatenate([v.labels.values.ravel() for v in variables] or [np.zeros(0, int)])
    labels = labels[labels >= 0]
    position = np.full(int(max(vlabels.max(initial=-1), labels.max(initial=-1))) + 1, -1)
    position[vlabels] = np.arange(vlabels.size)
    cols = position[labels]
    return cols[cols >= 0].astype(np.int32)


def _run_within(h: Any, limit_s: float | None) -> None:
    """Run HiGHS, this run given at most ``limit_s`` seconds (None: no limit) on top of the
    instance's clock, which HiGHS (before 2.0) runs on across runs (ERGO-Code/HiGHS#1477)."""
    if limit_s is not None:
        h.setOptionValue("time_limit", float(h.getRunTime()) + float(limit_s))
    highs.run(h)


@contextlib.contextmanager
def _silenced_stdout() -> Iterator[None]:
    """Silence the process's stdout file descriptor (HiGHS prints its banner from C++ when the
    solver object is created, before any option can turn output off)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptor: nothing to silence
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def _explain_infeasibility(built: BuiltModel, solver: str) -> str:
    """Name the balance that cannot be met, by re-solving with elastic balances.

    Every balance gets a surplus and a deficit slack at a large price; those with non-zero slack
    in the elastic optimum are the ones the system cannot close. Capacity groups' and
    connections' limits get a priced excess the same way (:func:`diagnose.limits_exceeded`).
    """
    from restvarme.model.build import build_model

    elastic = build_model(built.inputs, elastic=True)
    with _silenced_stdout():
        status, _ = elastic.model.solve(solver_name=solver, progress=False)
    if status != "ok":  # the relaxed model fails too: no balance or limit to name
        return (
            "the model is infeasible, and so is its elastic form (every balance, capacity "
            "group and connection limit relaxed): units' own limits contradict each other; "
            "check stores' levels and expansion limits in the scenario"
        )
    found = []
    for name, (surplus, deficit) in elastic.elastic_slacks.items():
        need = surplus.solution + deficit.solution
        if float(need.sum()) > 1e-6:
            hours = need.sum([d for d in need.dims if d != "snapshot"]).to_series()
            first = hours[hours > 1e-6].index[0]
            where = ""
            if len(need.dims) > 1:
                other = next(d for d in need.dims if d != "snapshot")
                per_bus = need.sum("snapshot").to_series()
                where = f" at {other} {', '.join(map(str, per_bus[per_bus > 1e-6].index))}"
            found.append(
                f"the {name.replace('_', ' ')}{where} cannot be met: "
                f"{float(need.sum()):.6g} MWh short or in surplus over "
                f"{int(np.count_nonzero(hours > 1e-6))} snapshot(s), first at {first}"
            )
    found += diagnose.limits_exceeded(elastic)
    if not found:
        return "the model is infeasible, but no balance is; check unit limits in the scenario"
    return "the model is infeasible: " + "; ".join(found)
