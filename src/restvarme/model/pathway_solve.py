"""Warm start for hourly pathways: the fixed-plan dispatch solved one period at a time.

An hourly pathway (``examples/lund_2030`` on every hour: 3 × 8,760 snapshots, 939,720 columns,
777,519 rows) is solved warm as a one-year expansion is (:mod:`restvarme.model.warm_start`): a
coarse plan on 8-hour blocks, the hourly model with the new capacities fixed at that plan, then
the same model with them free, continuing from the fixed solve's basis.

What was measured before choosing (benchmarks/README.md, ``hourly_pathway.py``; a shared
2-core machine at a load of 12-27, so seconds are several times an idle machine's): the coarse
plan took 182 s of HiGHS time, the stacked fixed-plan dispatch 534 s (291,314 dual simplex
iterations) and the freed model starts in dual phase 1 with about 16,800 dual
infeasibilities. HiGHS's interior point (IPX, crossover off) on the whole hourly pathway spent
115 s before its first iteration and about 17 s per iteration, several times what the warm
simplex costs, so a crossover-free interior point with a verified optimum was left aside; so
was the primal simplex (one period's fixed dispatch: dual simplex 239 s and 88,137 iterations,
primal simplex and IPX not done after 600 s). Benders over periods would need a converged
master to 1e-9 and a final simplex anyway. What the stacked warm start wastes is structural:

With the new capacities fixed, nothing else ties one period to another: every row of a period
holds only that period's columns and the new-capacity columns (the vintages serving it); the
rows on new capacity alone (expansion limits summed over build periods) hold no dispatch
column. The fixed-plan LP therefore falls apart into one LP per period, each a year's dispatch
with its right-hand sides moved by the fixed capacities (``b - A_cap · N``). This module

1. sorts HiGHS's columns and rows into periods and the linking part (new capacity) from the
   linopy labels (:func:`period_blocks`), checking in the matrix that the split holds;
2. solves each period's dispatch on its own HiGHS instance with the model's options
   (:func:`solve_periods`), each factorisation and pricing pass over one year's rows instead
   of three;
3. hands the union of their optimal bases to the full model with the capacities fixed (a
   basis of that LP: each period's rows have their own basic columns or slacks, the linking
   rows their slacks), where HiGHS confirms the optimum without iterating (0 iterations,
   objective equal to the stacked fixed solve's to 5e-15 on Lund 2030), then frees the
   capacities and continues, exactly as :func:`restvarme.model.highs.run_from_plan` does.

The LP solved last is the full hourly pathway, to HiGHS's optimality tolerances; only the basis
it starts from differs, so its optimum is the cold solve's (tests/model/test_pathway_solve.py:
a tiny two-period pathway against a plain solve and a hand optimum, to 1e-9). When the split
does not hold (a row spanning periods), a period's dispatch does not end optimal or HiGHS
refuses the joint basis, the stacked fixed-plan solve of
:func:`restvarme.model.highs.run_from_plan` is used instead; one-year models never split.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import linopy
import numpy as np
import scipy.sparse as sp

from restvarme.model import highs

PERIOD_DIM = "period"
"""Dimension of a pathway's periods on variables and constraints."""


@dataclass(frozen=True)
class PeriodBlocks:
    """HiGHS's columns and rows sorted by period; the rest is the linking part."""

    cols: list[np.ndarray]
    """Column indices of each period, in HiGHS's column order."""
    rows: list[np.ndarray]
    """Row indices of each period, in HiGHS's row order."""
    linking_cols: np.ndarray
    """Columns on no period (new capacity on ``build_period``)."""
    linking_rows: np.ndarray
    """Rows on no period (new capacity's expansion limits)."""


def _positions(labels: np.ndarray, size: int) -> np.ndarray:
    """Position of each linopy label among ``labels`` (solver order), -1 where absent."""
    pos = np.full(size, -1, dtype=np.int64)
    pos[labels] = np.arange(labels.size)
    return pos


def _period_index(items: linopy.Variables | linopy.Constraints, size: int) -> np.ndarray:
    """Period position (0, 1, ...) of each linopy label; -1 for items without a period."""
    out = np.full(size, -1, dtype=np.int64)
    for _, item in items.items():
        labels = item.labels
        if PERIOD_DIM not in labels.dims:
            continue
        values = labels.transpose(PERIOD_DIM, ...).values
        index = np.broadcast_to(
            np.arange(values.shape[0]).reshape(-1, *([1] * (values.ndim - 1))), values.shape
        )
        present = values >= 0
        out[values[present]] = index[present]
    return out


def period_blocks(model: linopy.Model, handed: highs.HandedOver) -> PeriodBlocks | None:
    """The split of a pathway LP into periods and the linking new capacity, or None if the
    model has fewer than two periods or a row ties periods together beyond the linking
    columns (then the LP does not fall apart once those are fixed)."""
    n_periods = max(
        (v.labels.sizes.get(PERIOD_DIM, 0) for _, v in model.variables.items()), default=0
    )
    if n_periods < 2:
        return None
    vlabels, clabels = handed.vlabels, handed.clabels
    nv = max((v.range[1] for _, v in model.variables.items()), default=0)
    nc = max((c.range[1] for _, c in model.constraints.items()), default=0)
    col_period = _period_index(model.variables, nv)[vlabels]
    row_period = _period_index(model.constraints, nc)[clabels]
    a = _matrix(handed.highs)
    # every nonzero a[i, j]: column j is linking or in row i's period; linking rows hold
    # linking columns only
    coo = a.tocoo()
    rp, cp = row_period[coo.row], col_period[coo.col]
    if np.any((cp >= 0) & (rp != cp)):
        return None
    return PeriodBlocks(
        cols=[np.flatnonzero(col_period == p) for p in range(n_periods)],
        rows=[np.flatnonzero(row_period == p) for p in range(n_periods)],
        linking_cols=np.flatnonzero(col_period < 0),
        linking_rows=np.flatnonzero(row_period < 0),
    )


def _matrix(h: highspy.Highs) -> sp.csc_matrix:
    """The constraint matrix held by ``h`` (column-wise)."""
    lp = h.getLp()
    m = lp.a_matrix_
    return sp.csc_matrix(
        (np.asarray(m.value_), np.asarray(m.index_), np.asarray(m.start_)),
        shape=(lp.num_row_, lp.num_col_),
    )


@dataclass
class PeriodSolves:
    """What the periods' own solves gave: the full model's basis made of the periods' optimal
    bases (arrays of :class:`highspy.HighsBasisStatus`, None if a period did not end optimal)
    and HiGHS's run time over them [s]."""

    col_status: np.ndarray | None = None
    row_status: np.ndarray | None = None
    seconds: float = 0.0


def solve_periods(
    handed: highs.HandedOver, blocks: PeriodBlocks, cols: np.ndarray, values: np.ndarray
) -> PeriodSolves:
    """Each period's dispatch with columns ``cols`` fixed at ``values``, solved on its own
    HiGHS instance with the full model's options.

    The basis is left out (None) if a period does not end optimal or ``cols`` are not the
    linking columns.
    """
    h = handed.highs
    lp = h.getLp()
    out = PeriodSolves()
    if not np.array_equal(np.sort(cols), blocks.linking_cols):
        return out
    fixed = np.zeros(lp.num_col_)
    fixed[cols] = np.clip(values, handed.col_lower[cols], handed.col_upper[cols])
    a = _matrix(h).tocsr()
    cost = np.asarray(lp.col_cost_)
    col_lower, col_upper = handed.col_lower, handed.col_upper
    row_lower, row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    moved = a[:, blocks.linking_cols] @ fixed[blocks.linking_cols]
    col_status = np.full(lp.num_col_, highspy.HighsBasisStatus.kLower, dtype=object)
    row_status = np.full(lp.num_row_, highspy.HighsBasisStatus.kBasic, dtype=object)
    for pcols, prows in zip(blocks.cols, blocks.rows, strict=True):
        sub = a[prows][:, pcols].tocsc()
        g = highspy.Highs()
        g.passOptions(h.getOptions())
        status = g.passModel(
            pcols.size,
            prows.size,
            sub.nnz,
            1,
            1,
            0.0,
            np.ascontiguousarray(cost[pcols]),
            np.ascontiguousarray(col_lower[pcols]),
            np.ascontiguousarray(col_upper[pcols]),
            np.ascontiguousarray(row_lower[prows] - moved[prows]),
            np.ascontiguousarray(row_upper[prows] - moved[prows]),
            sub.indptr.astype(np.int32),
            sub.indices.astype(np.int32),
            np.ascontiguousarray(sub.data, dtype=float),
            np.zeros(pcols.size, dtype=np.int32),
        )
        if status == highspy.HighsStatus.kError:
            return out
        highs.run(g)
        out.seconds += float(g.getRunTime())
        if g.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return out
        basis = g.getBasis()
        col_status[pcols] = basis.col_status
        row_status[prows] = basis.row_status
    out.col_status, out.row_status = col_status, row_status
    return out


def _set_basis(h: highspy.Highs, col_status: np.ndarray, row_status: np.ndarray) -> bool:
    """Hand HiGHS a basis given as arrays of statuses; whether it took it."""
    basis = highspy.HighsBasis()
    basis.col_status = col_status.tolist()
    basis.row_status = row_status.tolist()
    basis.valid = True
    return h.setBasis(basis) != highspy.HighsStatus.kError


def run_from_plan(
    model: linopy.Model, handed: highs.HandedOver, cols: np.ndarray, values: np.ndarray
) -> float:
    """:func:`restvarme.model.highs.run_from_plan`, with the fixed-plan dispatch of a pathway
    solved one period at a time (see the module docstring).

    The last solve is the model as handed over, from the periods' joint basis; without a split
    into periods, or if a period's dispatch or the joint basis is not optimal for the fixed
    model, the stacked fixed-plan solve is used. Returns HiGHS's run time on the periods' own
    instances [s] (``handed.highs.getRunTime()`` holds the rest).
    """
    blocks = period_blocks(model, handed)
    periods = PeriodSolves() if blocks is None else solve_periods(handed, blocks, cols, values)
    if periods.col_status is None or periods.row_status is None:
        highs.run_from_plan(handed, cols, values)
        return periods.seconds
    h = handed.highs
    lower, upper = handed.col_lower[cols], handed.col_upper[cols]
    fixed = np.clip(values, lower, upper)
    h.changeColsBounds(cols.size, cols, fixed, fixed)
    if not _set_basis(h, periods.col_status, periods.row_status):
        h.changeColsBounds(cols.size, cols, lower, upper)
        highs.run_from_plan(handed, cols, values)
        return periods.seconds
    highs.run(h)
    fixed_optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    h.changeColsBounds(cols.size, cols, lower, upper)
    if not fixed_optimal:
        h.clearSolver()
    highs.run(h)
    return periods.seconds
