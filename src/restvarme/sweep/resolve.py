"""Re-solve a sweep's cases without handing a new model to HiGHS: change it in place.

Cases that differ only in numbers (costs, bounds, right-hand sides, coefficients: prices, the
carbon price, capacities, series values) give models of one structure: the same columns, rows
and non-zero pattern. A :class:`Resolver` keeps the HiGHS instance of the last case it solved;
for the next case it builds restvarme's model as a run does (:func:`restvarme.inputs.build_inputs`,
:func:`restvarme.model.build.build_model`), compares its matrix form with the held one and, if
the structure is the same, changes only what differs in the held instance
(``changeColsCost``, ``changeColsBounds``, ``changeRowsBounds``, ``changeCoeff``). HiGHS keeps
its basis across such changes, so the simplex continues from the last case's optimal basis
(primal simplex when only costs changed, dual simplex when bounds or right-hand sides did)
instead of starting from scratch. A case of another structure, or one the warm solve does not
end optimal, is solved from scratch as a run solves it. The optimum is the model's optimum either
way; which optimal vertex is reported can differ where the optimum is not unique (degenerate
hours), so hourly values and duals may differ in such hours, not the objective.

What is saved is HiGHS's time (the hand-over and the iterations from a cold start); the inputs
and the linopy model are still built per case, as they give the new numbers. Only one-year
runs on HiGHS take this route; pathways run through :func:`restvarme.api.run`; so do
cases with committed units (a MIP) or a ``solver.time_limit_s``, solved as a run solves them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import xarray as xr

    from restvarme.model.build import BuiltModel
    from restvarme.model.highs import HandedOver
    from restvarme.model.solve import SolveResult
    from restvarme.scenario.load import ScenarioFile

HIGHS_OPTIONS = {"output_flag": False}
"""Options of the held HiGHS instance (as :func:`restvarme.model.solve.solve` sets them)."""


@dataclass
class _Matrices:
    """A model's matrix form as HiGHS takes it (column-wise constraint matrix)."""

    vlabels: np.ndarray
    clabels: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray

    @classmethod
    def of(cls, model: Any) -> _Matrices:
        m = model.matrices
        a = m.A.tocsc()
        sense, b = np.asarray(m.sense), np.asarray(m.b, dtype=float)
        return cls(
            np.asarray(m.vlabels),
            np.asarray(m.clabels),
            a.indptr.astype(np.int32),
            a.indices.astype(np.int32),
            np.asarray(a.data, dtype=float),
            np.asarray(m.c, dtype=float),
            np.asarray(m.lb, dtype=float),
            np.asarray(m.ub, dtype=float),
            np.where(sense != "<", b, -np.inf),
            np.where(sense != ">", b, np.inf),
        )

    def same_structure(self, other: _Matrices) -> bool:
        """Same columns, rows and non-zero pattern (so only numbers differ)."""
        return all(
            a.shape == b.shape and bool(np.array_equal(a, b))
            for a, b in (
                (self.vlabels, other.vlabels),
                (self.clabels, other.clabels),
                (self.indptr, other.indptr),
                (self.indices, other.indices),
            )
        )


def _changed(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Positions where two arrays differ (infinities equal to themselves)."""
    return np.flatnonzero(~((old == new) | (np.isnan(old) & np.isnan(new))))


@dataclass
class Resolver:
    """Solves models one after another in one HiGHS instance, changed in place (module
    docstring). ``warm`` and ``cold`` count the solves of each kind."""

    warm: int = 0
    cold: int = 0
    options: dict[str, Any] = field(default_factory=lambda: dict(HIGHS_OPTIONS))
    """HiGHS's options (default :data:`HIGHS_OPTIONS`; no ``time_limit``: HiGHS's clock runs on
    across the held instance's solves)."""
    _held: tuple[HandedOver, _Matrices] | None = None

    def solve(self, built: BuiltModel) -> SolveResult:
        """Solve ``built`` (its solution and duals written onto it, as
        :func:`restvarme.model.solve.solve` does); falls back to that function for a model of
        another structure or a warm solve that does not end optimal."""
        import highspy

        from restvarme.model import highs
        from restvarme.model.solve import _silenced_stdout, solve

        start = time.perf_counter()
        new = _Matrices.of(built.model)
        if self._held is not None and self._held[1].same_structure(new):
            handed, old = self._held
            before = float(handed.highs.getRunTime())
            _update(handed.highs, old, new)
            highs.run(handed.highs)
            if handed.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                highs.write_back(built.model, highs.result(built.model, handed))
                self._held = (handed, new)
                self.warm += 1
                return _optimal(built, start, float(handed.highs.getRunTime()) - before)
        self._held = None
        try:
            with _silenced_stdout():  # HiGHS prints a banner when an instance is made
                handed = highs.to_highs(built.model, dict(self.options), lean=False)
        except highs.ModelRefused:
            return solve(built, "highs", dict(self.options))  # says which numbers are wrong
        highs.run(handed.highs)
        if handed.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return solve(built, "highs", dict(self.options))  # raises, saying why
        highs.write_back(built.model, highs.result(built.model, handed))
        self._held = (handed, new)
        self.cold += 1
        return _optimal(built, start, float(handed.highs.getRunTime()))


def _update(h: Any, old: _Matrices, new: _Matrices) -> None:
    """Change the held HiGHS model from ``old``'s numbers to ``new``'s (same structure)."""
    if (cols := _changed(old.cost, new.cost)).size:
        h.changeColsCost(cols.size, cols.astype(np.int32), new.cost[cols])
    cols = np.union1d(
        _changed(old.col_lower, new.col_lower), _changed(old.col_upper, new.col_upper)
    )
    if cols.size:
        h.changeColsBounds(
            cols.size, cols.astype(np.int32), new.col_lower[cols], new.col_upper[cols]
        )
    rows = np.union1d(
        _changed(old.row_lower, new.row_lower), _changed(old.row_upper, new.row_upper)
    )
    if rows.size:
        h.changeRowsBounds(
            rows.size, rows.astype(np.int32), new.row_lower[rows], new.row_upper[rows]
        )
    entries = _changed(old.data, new.data)
    if entries.size:
        cols_of = np.repeat(np.arange(new.indptr.size - 1), np.diff(new.indptr))
        for k in entries:
            h.changeCoeff(int(new.indices[k]), int(cols_of[k]), float(new.data[k]))


_RESOLVER: Resolver | None = None
"""The resolver of this process (a sweep's worker keeps one across its cases)."""


def process_resolver() -> Resolver:
    """This process's :class:`Resolver`, made on first use."""
    global _RESOLVER
    if _RESOLVER is None:
        _RESOLVER = Resolver()
    return _RESOLVER


def run_resolved(sf: ScenarioFile, resolver: Resolver | None = None) -> xr.Dataset:
    """The results of a one-year scenario, solved by ``resolver`` (default: this process's):
    the phases of :func:`restvarme.api.run` with its solve replaced by a re-solve."""
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model
    from restvarme.results.collect import collect_results

    if sf.scenario.pathway is not None:
        raise ValueError("re-solving takes one-year scenarios; a pathway runs through api.run")
    built = build_model(build_inputs(sf))
    settings = sf.scenario.solver.given()
    if built.model.type != "LP" or "time_limit_s" in settings:
        # a MIP (unit commitment), or a time limit, which HiGHS's clock would count across
        # the held instance's solves: solved as a run solves it
        from restvarme.model.solve import solve, solver_options

        solved = solve(built, "highs", solver_options("highs", settings, HIGHS_OPTIONS))
    else:
        solved = (resolver or process_resolver()).solve(built)
    results = collect_results(built, solved)
    results.attrs["solver_seconds"] = solved.solver_seconds
    results.attrs["scenario_file"] = str(sf.path) if sf.path else ""
    return results


def _optimal(built: BuiltModel, start: float, solver_seconds: float) -> SolveResult:
    """The result of an optimal HiGHS solve written back into ``built`` (started at ``start``,
    ``time.perf_counter()``; ``solver_seconds``: HiGHS's own time of this solve)."""
    from restvarme.model.solve import SolveResult, SolveStatus

    assert built.model.objective.value is not None
    return SolveResult(
        SolveStatus.OPTIMAL,
        float(built.model.objective.value),
        "highs",
        time.perf_counter() - start,
        solver_seconds,
    )
