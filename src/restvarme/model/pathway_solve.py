"""Warm start for hourly expansion: period dispatches side by side, the plan moved by cutting
planes on the capacities, then freed in a box.

An hourly pathway (``examples/lund_2030`` on every hour: 3 × 8,760 snapshots, 939,720 columns,
777,519 rows) is solved warm as a one-year expansion is (:mod:`restvarme.model.warm_start`),
from a coarse plan, on day blocks for a pathway (``warm_start.PATHWAY_BLOCK_HOURS``: its error
is left to step 2). What follows the coarse plan is this module's; the numbers behind each
choice are in benchmarks/README.md (``hourly_pathway.py``).

A one-year expansion takes the same three steps with one block, its dispatch, beside its new
capacity (:func:`period_blocks`). On the Lund 2030 year (``benchmarks/vs_pypsa_expansion.py``)
the fixed-plan dispatch took 90,205 iterations, seven cut steps 8,480 and two box rounds 257,
the solve phase 14-16 s, where freeing the plan to its own bounds from the fixed dispatch's
basis (:func:`restvarme.model.highs.run_from_plan`, the stacked warm start used before) took
3,886 iterations in 20-23 s after the same dispatch, 27-35 s in all (benchmarks/README.md).

**1. The fixed-plan dispatch, one period at a time, side by side.** With the new capacities
fixed at the coarse plan nothing else ties one period to another: every row of a period holds
only that period's columns and the new-capacity columns (the vintages serving it); the rows on
new capacity alone (expansion limits summed over build periods) hold no dispatch column. The
fixed-plan LP falls apart into one LP per period, a year's dispatch with its right-hand sides
moved by the fixed capacities (``b - A_cap · N``). :func:`period_blocks` sorts HiGHS's columns
and rows into periods and the linking part from the linopy labels, checking in the matrix that
the split holds; :func:`solve_periods` solves each period on its own HiGHS instance with the
model's options, on as many threads as there are cores (at most one per period; highspy
releases the GIL while HiGHS runs, and each thread has its own HiGHS task scheduler). Each
period starts cold, with HiGHS's presolve: started from the first period's optimal basis
(:data:`FROM_FIRST`, matched column by column and row by row) the later periods took fewer
iterations but, without presolve, more time (benchmarks/README.md).

**2. The plan moved by cutting planes on the capacities (Benders steps).** With the plan ``N``
(the linking columns, tens of them) fixed, period ``p``'s dispatch cost ``Q_p(N)`` is a convex
piecewise-linear function of ``N``: its right-hand sides are ``b_p - A_pL N``, so its row duals
``y_p`` give a slope ``g_p = -A_pLᵀ y_p`` (summed with the capacities' own cost ``c_L`` it is
the reduced cost ``d`` of step 3). Each plan evaluated adds one cut per period, ``θ_p >=
Q_p(N_k) + g_p · (N - N_k)``. :func:`refine_plan` solves the master LP ``min c_L · N + Σ θ_p``
over the linking rows and a trust region around the best plan so far (half-width
:data:`REFINE_SHARE` of the plan and of the variable's largest planned value plus
:data:`REFINE_MIN_WIDTH`, doubled after an improving step that reached its edge, up to
:data:`REFINE_MAX_SCALE` times that, halved after a step that did not improve), re-solves the
periods at the master's plan from their last bases, side by side (only right-hand sides change,
so HiGHS's dual simplex starts dual feasible: a few hundred to a few thousand iterations per
period), and stops when the cuts promise less than :data:`REFINE_GAP` of the plan's cost inside
the region, or after :data:`REFINE_ROUNDS` steps. The best plan and the periods' solves at it go
to step 3. A re-solve from the last basis runs without presolve; on the whole year its
iterations cost 0.3-13 ms against about 0.1 ms in a cold, presolved period solve (a step of
27,000 warm iterations took 330 s where the cold solve had taken 11 s), so each may take
:data:`REFINE_WARM_SHARE` of its period's cold iterations and is then solved cold. Each step
keeps the periods' bases as HiGHS gives them; the full model's basis (arrays of statuses, which
highspy hands out as a Python object each: 0.8 s for the three periods of the whole year) is
made once, for the plan step 3 starts from (:meth:`PeriodSolves.joint_basis`), and a plan moves
only the rows its linking columns are on.

*Why the trust region is capped, and the warm re-solves by iterations.* On the idle whole-year
run before the cap (main at 51ddc66, benchmarks/README.md) steps 6-10, at 8 and 16 times the
region's first width, took 143 s of the 214 s of cut steps: they moved the plan so far that a
period's warm re-solve used up its time and was then solved cold. Held to 4 times, the steps on
the first 2184 h of each period are as many (19) and re-solve no period cold; held to 2 times
they were 29 ("a stabilised master" there). The first region is narrow (1.25 % of the plan,
up to 16 times that: the cap of 5 % and 4 times before, 20 %, kept): the first step, on one cut
per period, moves every capacity to a corner of the region and has never improved on the
coarse plan, and from a region of 5 % its warm re-solves took 9,485 iterations in the 2030
period (13-14 s of the hourly Lund 2030 pathway) against 5,904 from 1.25 %; the steps took
25.5 s instead of 37.5 s (8 steps against 9) and ended at a plan as close to the optimum. The
width added to every capacity (:data:`REFINE_MIN_WIDTH`) is small, 0.02 MW: at 0.1 MW the
first step took a heat pump of 0.17 MW down to 0.04 MW, and the plan it made cost 5.4e4 EUR more
than the coarse plan (1.7e4 EUR at 0.02 MW). How many box rounds follow depends on where the
steps end, not on this width in any orderly way (benchmarks/README.md: 0.01 and 0.05 MW took
three and four rounds on the whole year, 0.02 MW one, 0.1 MW two). The
warm re-solves were first capped on HiGHS's clock at the period's cold time; under load, the
cold time having been taken at another load, that cap sent eleven re-solves cold in one
whole-year run. An iteration count does not depend on
the load: with a quarter of the cold iterations the whole year's 19 steps re-solved every period
warm (291,538 iterations against main's 1,001,957 with seven cold), the same objective; the
runs took 158.9-254.3 s of CPU on the shared machine against main's 338.9 s on the idle one.

*Why.* The final simplex runs on the whole LP without presolve (a basis is given), and its
iterations cost far more than a period's warm ones: on the first 2184 h of each period
(benchmarks/README.md) the box rounds around the 8-hour plan took 21,929 iterations in four
rounds, 118 s of a 140 s run; the 21 cut steps took 2-9 s each side by side, left the plan's
cost 4.6e-6 above the optimum, and the box around it held in one round of 764 iterations
(39.5 s of CPU for the whole run against 60.7 s). On the whole year (3 x 8760 h) the boxes
around the coarse plan took 123,873 iterations in four rounds (878 s of a 1047 s run); after 19
cut steps (2.2 % to 2.5e-6 above the optimum, 620,280 iterations in the periods, 678 s at a load
of 9) they took 2,286 in one round, and the run 335 s of CPU against 833.5 s. The cuts alone do
not end at the optimum to 1e-9 (each step gains less than the last: the periods' cost has a
facet for every change of the hours' bases), so the certified step 3 finishes; it also keeps the
result exact whatever the steps did.

**3. The plan freed inside a box, certified by reduced costs.** The periods' optimal bases
together are an optimal basis of the fixed-plan LP (each period's rows have their own basic
columns or slacks, the linking rows their slacks), and their row duals ``y`` are its duals
(those of the linking rows are 0), so the reduced cost of each new-capacity column is ``d = c -
A_capᵀ y`` without another solve. Freeing the capacities to their own bounds, as the stacked
warm start did, leaves each nonbasic capacity at a bound far from the plan (0 or its limit) and,
where that bound is infinite and ``d`` points to it, dual infeasible: the final simplex then
began in dual phase 1. Instead each capacity gets a box around the plan, ``[max(l, N - w),
min(u, N + w)]`` (``w`` = :data:`BOX_SHARE` of the plan and of the largest planned value of the
same variable, plus :data:`BOX_MIN_WIDTH`), and sits at the end its reduced cost points to (``d
>= 0``: the lower end). Every nonbasic column is then at a finite bound on the side its reduced
cost asks for, so the basis is dual feasible and HiGHS's dual simplex starts in phase 2, with
primal infeasibilities only as large as the boxes. Those are what the final simplex has to undo,
so the boxes are narrow (0.5 % and 0.01 MW or MWh) and a box end that holds the optimum back
moves out 2-fold, floor or ceiling. Around the plan of step 2 on the hourly Lund 2030 pathway,
boxes of 2 % and 0.1 MW held in one round of 3,301 iterations (55 s); boxes of 0.5 % and 0.01 MW
start with fewer rows infeasible (each capacity moves fewer hours' bounds), took 1,637
iterations at about half the time per iteration, one floor held the optimum back, and the second
round took 128 more: 20 s in all. Boxes of 0.2 % took three rounds (24 s). A floor that held the
optimum back used to go to the capacity's own lower bound at once: with boxes of 0.2 % two did,
and the round after took 2,643 iterations with 24,840 rows infeasible (50 s); moved out 2-fold,
354 and 187 (10 s). (Before step 2 the boxes were a tenth of the plan plus a tenth of the
variable's largest planned value, about a fifth of the pit store, moved 8-fold: further than the
8-hour plan's error of about 2 %.) The box rounds are the one solve on the whole LP, without
presolve (HiGHS takes no basis into a presolved LP), and each of their iterations prices every
column of the three periods: on a machine of several cores they run HiGHS's dual simplex with
each iteration's work split over the cores (:data:`BOX_SIMPLEX_STRATEGY`), which takes the
serial path, the same iterations to the same optimum, in two thirds of the time. Devex pricing
(:data:`BOX_EDGE_WEIGHTS`) saves the steepest-edge weights' set-up but took 5,421 iterations
instead of 3,301 on the hourly Lund 2030 pathway, and 79 s instead of 60 s.

The box rounds and the periods' warm re-solves of step 2 run with HiGHS's costs as they are
(:data:`WARM_COST_PERTURBATION`): HiGHS perturbs the costs of every start it does not find near
optimal, which all of these are (thousands of rows infeasible by more than 1e-3), and takes the
perturbation out again after its last iteration. From an optimal basis with a few bounds moved
that saved nothing and cost up to a third of the box round's time.

*Why the box LP's optimum is the full LP's.* Let ``(x, y)`` be HiGHS's optimum of the boxed
LP. The box lies inside the capacities' own bounds, so ``x`` is feasible for the full LP. For
every column that is basic or at one of its own bounds, the dual feasibility condition is the
same in both LPs. A capacity held at a box end that is not its own bound lies strictly between
its own bounds, where the full LP's optimality condition is ``|d| <= tol`` (HiGHS's dual
feasibility tolerance, the one its own optimum meets): if it holds, ``(x, y)`` meets every
optimality condition of the full LP to HiGHS's tolerances, and the objective is the full LP's
optimum. If it fails for a capacity (``d > tol`` at a box floor: the plan wants less; ``d <
-tol`` at a box ceiling: more), that end of its box is moved :data:`BOX_GROWTH`-fold further
from the plan (never beyond the capacity's own bounds) and HiGHS continues from the same
basis (dual feasible again); after :data:`BOX_ROUNDS` rounds the boxes are dropped and HiGHS
solves the full LP from where it is. No plan, however poor, changes the optimum: it changes the
number of iterations only. HiGHS ends holding the boxed LP, whose
solution and duals are the full LP's (the check above); ``handed.col_lower`` and
``handed.col_upper`` keep the model's own bounds.

Fall-backs, each exact: without a split (a one-year model without new capacity, a row spanning
periods), if the plan's columns are not the linking ones, or if a period's dispatch does not end
optimal, the stacked fixed-plan solve of :func:`restvarme.model.highs.run_from_plan`; if a cut
step's master or a period's re-solve does not end optimal, the steps stop at the best plan
evaluated; if HiGHS refuses the joint basis or the boxed LP does not end optimal, the full LP
from scratch. Tested in tests/model/test_pathway_solve.py: a two-period pathway against a plain
solve and a hand optimum, to 1e-9, through each path (the cut steps from below and above the
optimum, the box held and widened, the periods in one thread and in several); a one-year plan
in tests/model/test_warm_start.py.

Left aside after measuring (benchmarks/README.md): HiGHS's interior point (IPX, crossover off)
on the whole hourly pathway (115 s before its first iteration, 17 s per iteration at load
10-13); the primal simplex and IPX with crossover on one period's dispatch (not done after
600 s where the dual simplex took 239 s); Benders over periods run until the master meets the
optimum to 1e-9 (the last steps gain ever less, and a final simplex is needed anyway: step 2
stops at :data:`REFINE_GAP` and leaves the rest to step 3); level steps instead of the trust
region's corners (Lemaréchal, Nemirovskii and Nesterov, "New variants of bundle methods", Math.
Programming 69, 1995: the best plan projected on the set where the cuts' model reaches a level
halfway to what they promise in the region, a QP of a few dozen columns), which on the first
2184 h of each period took 30 steps against 19 and 40 s of CPU against 35; Devex pricing in
the periods' warm re-solves (cheaper per solve replayed alone, more iterations in the run); a
trust region held to twice its first width (29 steps against 19).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import linopy
import numpy as np
import scipy.sparse as sp

from restvarme.model import highs, warm_start

log = logging.getLogger(__name__)

PERIOD_DIM = "period"
"""Dimension of a pathway's periods on variables and constraints."""
BOX_SHARE = 0.005
"""Half-width of a capacity's first box around the plan, as a share of its planned value plus
the largest planned value of the same variable (so that unbuilt options may grow) [-]."""
BOX_MIN_WIDTH = 0.01
"""Half-width added to every box [MW; MWh for stores]."""
BOX_GROWTH = 2.0
"""Factor by which a box end (floor or ceiling) that holds the optimum back is moved further
from the plan [-]."""
BOX_ROUNDS = 12
"""Widenings tried before the boxes are dropped."""
REFINE_ROUNDS = 40
"""Cutting-plane steps on the plan before the boxes (0: none; module docstring, step 2)."""
REFINE_SHARE = 0.0125
"""Half-width of the first step's trust region, as :data:`BOX_SHARE` [-]."""
REFINE_MIN_WIDTH = 0.02
"""Half-width added to every capacity's trust region at its first width [MW; MWh for
stores] (module docstring, step 2)."""
REFINE_GAP = 1e-5
"""The steps stop when the cuts promise less than this share of the plan's cost [-]."""
REFINE_MAX_SCALE = 16.0
"""The trust region grows at most to this multiple of its first half-width [-] (module
docstring, step 2)."""
REFINE_WARM_SHARE = 0.25
"""A period's re-solve from its last basis may take this share of the simplex iterations of its
cold solve (which has presolve) before it is solved cold instead [-] (module docstring, step 2)."""
REFINE_WARM_MIN_ITERATIONS = 1000
"""... but at least this many (a small period's cold solve takes next to none)."""
FROM_FIRST = False
"""Whether the later periods' fixed-plan dispatch starts from the first period's basis."""
THREADS: int | None = None
"""Threads for the periods' fixed-plan dispatch; None: :func:`default_threads` (benchmarks set
it to compare)."""

BOX_SIMPLEX_STRATEGY = 2
"""HiGHS's ``simplex_strategy`` for the box rounds on a machine of several cores: 2, its dual
simplex with the work of each iteration split into tasks over every core (SIP), which takes
the serial dual simplex's path (the same iterations and optimum) in less time. The box rounds
are the one solve here on the whole LP without presolve (a basis is given), where each
iteration's pricing over every column dominates; on the hourly Lund 2030 pathway the round
took 37.6 s instead of 55.0 s of HiGHS's time in runs side by side, 3,301 iterations either
way (``benchmarks/README.md``). A presolved dispatch LP gains nothing from it (the Lund year:
HiGHS 11.6-13.3 s against 10.3-14.4 s, and 55 MiB more); nor, much, the one-year expansion's
freed solve (18.8 s against 20.6 s). The threads are every core unless the options name a
number. -1: the options as given."""
BOX_EDGE_WEIGHTS = -1
"""HiGHS's ``simplex_dual_edge_weight_strategy`` for the box rounds (-1: the options as given,
HiGHS's own choice by default; 1: Devex, whose weights start at one where dual steepest edge
computes a weight per row of the whole LP before its first iteration)."""
WARM_COST_PERTURBATION = 0.0
"""HiGHS's ``dual_simplex_cost_perturbation_multiplier`` for the solves here that start from an
optimal basis with a few bounds moved (the periods' warm re-solves and the box rounds): 0, the
costs as they are. HiGHS perturbs the costs whenever a start is not near optimal (more than
1,000 rows infeasible or one by more than 1e-3; every start here), and after its last iteration
takes the perturbation out again and cleans up. From these starts that costs time and saves
none: on the hourly Lund 2030 pathway the box round took 1,245 iterations in 12.4 s of
HiGHS's time instead of 1,323 in 15.9 s, and without the 2030 target three box rounds 1,220
iterations in 10.9 s instead of 1,387 in 16.0 s (benchmarks/README.md). A cold solve keeps
the options' multiplier (the periods' first dispatch, a re-solve sent cold, the full LP after
a failed box round), and so does :func:`restvarme.model.highs.run_from_plan`, the fall-back
that frees a plan to the capacities' own bounds at once: on the Lund 2030 year it took
24.2-25.5 s without the perturbation against 19.9-23.2 s with it. -1: the options as given."""

_LOWER = highspy.HighsBasisStatus.kLower
_UPPER = highspy.HighsBasisStatus.kUpper
_BASIC = highspy.HighsBasisStatus.kBasic
_ZERO = highspy.HighsBasisStatus.kZero
_NONBASIC = highspy.HighsBasisStatus.kNonbasic
_OPTIMAL = highspy.HighsModelStatus.kOptimal
_ITERATION_LIMIT = highspy.HighsModelStatus.kIterationLimit
_PERTURBATION = "dual_simplex_cost_perturbation_multiplier"


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
    col_twins: np.ndarray
    """For each column, the column of the same variable and coordinates in the first period
    (-1 where there is none)."""
    row_twins: np.ndarray
    """For each row, the row of the same constraint and coordinates in the first period."""
    matrix: sp.csr_matrix
    """HiGHS's constraint matrix, row-wise, read from HiGHS once (0.5 s on the hourly Lund 2030
    pathway): while the plan is moved and freed only bounds change, never the matrix."""
    link: sp.csr_matrix
    """The matrix's linking columns (``matrix[:, linking_cols]``), row-wise."""
    col_cost: np.ndarray
    """HiGHS's column costs."""
    row_lower: np.ndarray
    """HiGHS's row lower bounds (the linking columns' values not moved over)."""
    row_upper: np.ndarray
    """HiGHS's row upper bounds."""


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
    """The split of a pathway LP into periods and the linking new capacity; a one-year LP is
    one block beside its new capacity (every variable named ``*_new_capacity``,
    :data:`restvarme.model.warm_start.SUFFIX`), its linking rows those on new capacity alone.
    None for a one-year LP without new capacity, and if a row ties periods together beyond
    the linking columns (then the LP does not fall apart once those are fixed)."""
    n_periods = max(
        (v.labels.sizes.get(PERIOD_DIM, 0) for _, v in model.variables.items()), default=0
    )
    vlabels, clabels = handed.vlabels, handed.clabels
    nv = max((v.range[1] for _, v in model.variables.items()), default=0)
    nc = max((c.range[1] for _, c in model.constraints.items()), default=0)
    lp = handed.highs.getLp()
    a = _matrix(lp)
    if n_periods < 2:
        col_period = _new_capacity_index(model.variables, nv)[vlabels]
        if not np.any(col_period < 0):
            return None
        n_periods = 1
        # a row is the block's if it holds one of the block's columns
        on_block = np.zeros(a.shape[0], dtype=bool)
        on_block[a.indices[np.repeat(col_period >= 0, np.diff(a.indptr))]] = True
        row_period = np.where(on_block, 0, -1)
    else:
        col_period = _period_index(model.variables, nv)[vlabels]
        row_period = _period_index(model.constraints, nc)[clabels]
    # every nonzero a[i, j]: column j is linking or in row i's period; linking rows hold
    # linking columns only
    coo = a.tocoo()
    rp, cp = row_period[coo.row], col_period[coo.col]
    if np.any((cp >= 0) & (rp != cp)):
        return None
    linking_cols = np.flatnonzero(col_period < 0)
    return PeriodBlocks(
        cols=[np.flatnonzero(col_period == p) for p in range(n_periods)],
        rows=[np.flatnonzero(row_period == p) for p in range(n_periods)],
        linking_cols=linking_cols,
        linking_rows=np.flatnonzero(row_period < 0),
        col_twins=_in_order(_first_period_twin(model.variables, nv), vlabels, nv),
        row_twins=_in_order(_first_period_twin(model.constraints, nc), clabels, nc),
        matrix=a.tocsr(),
        link=a[:, linking_cols].tocsr(),
        col_cost=np.asarray(lp.col_cost_),
        row_lower=np.asarray(lp.row_lower_),
        row_upper=np.asarray(lp.row_upper_),
    )


def _new_capacity_index(variables: linopy.Variables, size: int) -> np.ndarray:
    """-1 for each linopy label of a new-capacity variable, 0 for every other label."""
    out = np.zeros(size, dtype=np.int64)
    for name, variable in variables.items():
        if name.endswith(warm_start.SUFFIX):
            labels = variable.labels.values
            out[labels[labels >= 0]] = -1
    return out


def _first_period_twin(items: linopy.Variables | linopy.Constraints, size: int) -> np.ndarray:
    """For each linopy label, the label of the same item and coordinates in the first period;
    -1 for items without a period and where the first period has no such label."""
    out = np.full(size, -1, dtype=np.int64)
    for _, item in items.items():
        labels = item.labels
        if PERIOD_DIM not in labels.dims:
            continue
        values = labels.transpose(PERIOD_DIM, ...).values
        values = values.reshape(values.shape[0], -1)
        first = values[0]
        for later in values[1:]:  # one pass per period
            both = (later >= 0) & (first >= 0)
            out[later[both]] = first[both]
    return out


def _in_order(twin: np.ndarray, labels: np.ndarray, size: int) -> np.ndarray:
    """``twin`` (label to label) as solver position to solver position, -1 where none."""
    position = np.full(size, -1, dtype=np.int64)
    position[labels] = np.arange(labels.size)
    of = twin[labels]
    out = np.full(labels.size, -1, dtype=np.int64)
    out[of >= 0] = position[of[of >= 0]]
    return out


def _matrix(h: highspy.Highs | highspy.HighsLp) -> sp.csc_matrix:
    """The constraint matrix held by ``h`` (column-wise), or of an LP HiGHS gave."""
    lp = h.getLp() if isinstance(h, highspy.Highs) else h
    m = lp.a_matrix_
    return sp.csc_matrix(
        (np.asarray(m.value_), np.asarray(m.index_), np.asarray(m.start_)),
        shape=(lp.num_row_, lp.num_col_),
    )


@dataclass
class PeriodSolves:
    """What the periods' own solves gave: the full model's basis made of the periods' optimal
    bases (arrays of :class:`highspy.HighsBasisStatus`, None until :meth:`joint_basis` makes
    them), the row duals of the fixed-plan LP (0 on linking rows; None if a period did not end
    optimal), HiGHS's run time summed over the periods [s] and the simplex iterations of
    each."""

    col_status: np.ndarray | None = None
    row_status: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    seconds: float = 0.0
    period_iterations: list[int] = field(default_factory=list)
    objective: list[float] = field(default_factory=list)
    """Each period's dispatch cost at the fixed plan [EUR, discounted as the model's]."""
    instances: list[highspy.Highs] = field(default_factory=list, repr=False)
    """The periods' HiGHS instances, holding their last basis (for :func:`refine_plan`)."""
    bases: list[highspy.HighsBasis] = field(default_factory=list, repr=False)
    """Each period's optimal basis, as HiGHS gave it (``col_status`` and ``row_status`` are
    made of them by :meth:`joint_basis`)."""

    @property
    def optimal(self) -> bool:
        """Whether every period's dispatch ended optimal (its duals and basis are kept)."""
        return self.row_dual is not None

    def joint_basis(
        self, blocks: PeriodBlocks, num_col: int, num_row: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The full model's basis made of the periods' optimal bases: their statuses, the
        linking columns at their lower bound, the linking rows basic (``col_status``,
        ``row_status``, made on the first call). Only the plan the box step starts from needs
        it: reading a period's statuses from HiGHS makes a Python object of each (about 0.8 s
        for the three periods of the hourly Lund 2030 pathway)."""
        if self.col_status is None or self.row_status is None:
            if not self.optimal:
                raise ValueError("a period's dispatch did not end optimal: no joint basis")
            col_status = np.full(num_col, _LOWER, dtype=object)
            row_status = np.full(num_row, _BASIC, dtype=object)
            for basis, pcols, prows in zip(self.bases, blocks.cols, blocks.rows, strict=True):
                col_status[pcols] = basis.col_status
                row_status[prows] = basis.row_status
            self.col_status, self.row_status = col_status, row_status
        return self.col_status, self.row_status


def default_threads(n_periods: int) -> int:
    """Threads for the periods' solves: one per core, at most one per period."""
    return max(1, min(n_periods, highs.cores()))


def solve_periods(
    handed: highs.HandedOver,
    blocks: PeriodBlocks,
    cols: np.ndarray,
    values: np.ndarray,
    threads: int | None = None,
    from_first: bool | None = None,
) -> PeriodSolves:
    """Each period's dispatch with columns ``cols`` fixed at ``values``, solved on its own
    HiGHS instance with the full model's options, ``threads`` at a time (default
    :func:`default_threads`). With ``from_first`` (default :data:`FROM_FIRST`) the first
    period is solved first and the others start from its optimal basis, column by column and
    row by row (:func:`_first_period_basis`); without, all start cold.

    The basis is left out (None) if a period does not end optimal or ``cols`` are not the
    linking columns.
    """
    h = handed.highs
    num_col, num_row = h.getNumCol(), h.getNumRow()
    out = PeriodSolves()
    if not np.array_equal(np.sort(cols), blocks.linking_cols):
        return out
    fixed = np.zeros(num_col)
    fixed[cols] = np.clip(values, handed.col_lower[cols], handed.col_upper[cols])
    lps = _period_lps(handed, blocks, fixed)
    if lps is None:
        return out
    done = [g for g, _ in lps]

    rest = done
    if FROM_FIRST if from_first is None else from_first:
        highs.run(done[0])
        rest = done[1:]
        if done[0].getModelStatus() == _OPTIMAL:
            basis = done[0].getBasis()
            for p, (g, bounds) in enumerate(lps[1:], start=1):
                start = _first_period_basis(basis, blocks, p, *bounds)
                if start is not None and not _set_basis(g, *start):
                    g.clearSolver()
    _run_all(rest, threads)
    return _collect(done, blocks, num_row)


def _collect(
    instances: list[highspy.Highs],
    blocks: PeriodBlocks,
    num_row: int,
    seconds_before: list[float] | None = None,
) -> PeriodSolves:
    """What the periods' last runs gave (:class:`PeriodSolves`, its joint basis not made yet);
    ``seconds_before`` is each instance's run time before them [s] (HiGHS's clock runs on
    across an instance's runs). ``row_dual`` is None and ``bases`` empty if a period did not
    end optimal."""
    out = PeriodSolves(instances=instances)
    row_dual = np.zeros(num_row)
    bases = []
    before = seconds_before or [0.0] * len(instances)
    for p, (g, prows) in enumerate(zip(instances, blocks.rows, strict=True)):
        seconds = float(g.getRunTime()) - before[p]
        iterations = int(g.getInfo().simplex_iteration_count)
        out.seconds += seconds
        out.period_iterations.append(iterations)
        log.debug("period %d fixed-plan dispatch: %d iterations, %.2f s", p, iterations, seconds)
        if g.getModelStatus() != _OPTIMAL:
            return out
        out.objective.append(float(g.getInfo().objective_function_value))
        bases.append(g.getBasis())  # a copy, kept when the instance runs on
        row_dual[prows] = g.getSolution().row_dual
    out.row_dual, out.bases = row_dual, bases
    return out


def _run_all(instances: list[highspy.Highs], threads: int | None) -> None:
    """Run HiGHS instances, ``threads`` at a time (default as :func:`solve_periods`)."""
    workers = threads or THREADS or default_threads(len(instances))
    if workers > 1 and len(instances) > 1:
        _run_side_by_side(instances, workers)
    else:
        for g in instances:
            highs.run(g)


@dataclass
class _Cuts:
    """Benders cuts on the linking columns: each period's dispatch cost ``Q_p`` is at least
    ``value + gradient · (N - at)`` for every plan ``at`` evaluated."""

    at: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    """Per plan, each period's cost [EUR]."""
    gradients: list[np.ndarray] = field(default_factory=list)
    """Per plan, each period's gradient (periods x linking columns) [EUR per MW or MWh]."""


def _master(
    cost: np.ndarray,
    link_rows: sp.csr_matrix,
    link_lower: np.ndarray,
    link_upper: np.ndarray,
    floor: np.ndarray,
    ceiling: np.ndarray,
    cuts: _Cuts,
    options: highspy.HighsOptions,
) -> tuple[np.ndarray, float] | None:
    """The cutting-plane master: ``min cost · N + sum_p theta_p`` over plans ``N`` in
    ``[floor, ceiling]`` meeting the linking rows, with ``theta_p`` above every cut of period
    ``p``. Returns its plan and objective [EUR], or None if HiGHS finds no optimum."""
    n = cost.size
    n_periods = cuts.values[0].size
    blocks = [sp.hstack([link_rows, sp.csr_matrix((link_rows.shape[0], n_periods))])]
    lower, upper = [link_lower], [link_upper]
    for at, values, gradient in zip(cuts.at, cuts.values, cuts.gradients, strict=True):
        # theta_p - g_p . N >= Q_p - g_p . at
        blocks.append(sp.hstack([sp.csr_matrix(-gradient), sp.identity(n_periods, format="csr")]))
        lower.append(values - gradient @ at)
        upper.append(np.full(n_periods, np.inf))
    a = sp.vstack(blocks).tocsc()
    g = highspy.Highs()
    g.passOptions(options)
    g.setOptionValue("output_flag", False)
    g.setOptionValue("presolve", "off")
    status = g.passModel(
        n + n_periods,
        a.shape[0],
        a.nnz,
        1,
        1,
        0.0,
        np.concatenate([cost, np.ones(n_periods)]),
        np.concatenate([floor, np.full(n_periods, -np.inf)]),
        np.concatenate([ceiling, np.full(n_periods, np.inf)]),
        np.concatenate(lower),
        np.concatenate(upper),
        a.indptr.astype(np.int32),
        a.indices.astype(np.int32),
        np.ascontiguousarray(a.data, dtype=float),
        np.zeros(n + n_periods, dtype=np.int32),
    )
    if status == highspy.HighsStatus.kError:
        return None
    g.run()
    if g.getModelStatus() != _OPTIMAL:
        return None
    return np.asarray(g.getSolution().col_value)[:n], float(g.getInfo().objective_function_value)


def _run_warm(
    instances: list[highspy.Highs], cold_iterations: list[int], threads: int | None
) -> None:
    """Re-solve the periods from their last bases, each for at most :data:`REFINE_WARM_SHARE`
    of its cold solve's ``cold_iterations`` (and :data:`REFINE_WARM_MIN_ITERATIONS`); a period
    not done by then is solved cold (with presolve)."""
    given = [int(g.getOptions().simplex_iteration_limit) for g in instances]
    for g, cold, limit in zip(instances, cold_iterations, given, strict=True):
        allowed = max(int(REFINE_WARM_SHARE * cold), REFINE_WARM_MIN_ITERATIONS)
        g.setOptionValue("simplex_iteration_limit", min(limit, allowed))
    with _costs_unperturbed(instances):
        _run_all(instances, threads)
    late = [g for g in instances if g.getModelStatus() == _ITERATION_LIMIT]
    for g, limit in zip(instances, given, strict=True):
        g.setOptionValue("simplex_iteration_limit", limit)
    if late:
        log.debug("%d period(s) not done warm in their iterations: solved cold", len(late))
        for g in late:
            g.clearSolver()
        _run_all(late, threads)


def _perturbation(h: highspy.Highs) -> float:
    """``h``'s ``dual_simplex_cost_perturbation_multiplier``."""
    return float(h.getOptionValue(_PERTURBATION)[1])


@contextmanager
def _costs_unperturbed(instances: list[highspy.Highs]) -> Iterator[None]:
    """Within the block, ``instances`` run with :data:`WARM_COST_PERTURBATION` (-1: as they
    are); each gets its own multiplier back on leaving, for a cold solve after it."""
    given = [_perturbation(g) for g in instances]
    if WARM_COST_PERTURBATION != -1:
        for g in instances:
            g.setOptionValue(_PERTURBATION, float(WARM_COST_PERTURBATION))
    try:
        yield
    finally:
        for g, multiplier in zip(instances, given, strict=True):
            g.setOptionValue(_PERTURBATION, multiplier)


def refine_plan(
    handed: highs.HandedOver,
    blocks: PeriodBlocks,
    plan: np.ndarray,
    group: np.ndarray,
    periods: PeriodSolves,
    threads: int | None = None,
) -> tuple[np.ndarray, PeriodSolves]:
    """The plan moved by cutting-plane (Benders) steps on the linking columns (module
    docstring, step 2): each step solves a small master LP over the plan within a trust region
    and re-solves the periods' dispatch at its plan from their last bases. Returns the best plan
    found (in ``blocks.linking_cols`` order) and the periods' solves at it; ``plan`` and
    ``periods`` themselves if no step improves on them."""
    if REFINE_ROUNDS <= 0 or not periods.instances or not periods.optimal:
        return plan, periods
    h = handed.highs
    num_row = h.getNumRow()
    cols = blocks.linking_cols
    lower, upper = handed.col_lower[cols], handed.col_upper[cols]
    link = blocks.link
    period_link = [link[prows] for prows in blocks.rows]
    # the rows of each period's own LP that a linking column is on: the only ones a plan moves
    moves = [np.flatnonzero(np.diff(m.indptr)).astype(np.int32) for m in period_link]
    row_lower, row_upper = blocks.row_lower, blocks.row_upper
    cost = blocks.col_cost[cols]
    link_rows = link[blocks.linking_rows]
    options = h.getOptions()
    instances = periods.instances

    def gradients(solves: PeriodSolves) -> np.ndarray:
        assert solves.row_dual is not None
        return np.stack(
            [
                -(m.T @ solves.row_dual[prows])
                for m, prows in zip(period_link, blocks.rows, strict=True)
            ]
        )

    cold_iterations = list(periods.period_iterations)
    best_plan = np.clip(plan, lower, upper)
    best = periods
    best_value = float(cost @ best_plan + sum(periods.objective))
    cuts = _Cuts([best_plan], [np.array(periods.objective)], [gradients(periods)])
    largest = np.zeros(int(group.max()) + 1 if group.size else 0)
    scale = 1.0
    for round_ in range(REFINE_ROUNDS):
        np.maximum.at(largest, group, np.abs(best_plan))
        width = scale * (REFINE_SHARE * (np.abs(best_plan) + largest[group]) + REFINE_MIN_WIDTH)
        floor = np.maximum(lower, best_plan - width)
        ceiling = np.minimum(upper, best_plan + width)
        found = _master(
            cost,
            link_rows,
            row_lower[blocks.linking_rows],
            row_upper[blocks.linking_rows],
            floor,
            ceiling,
            cuts,
            options,
        )
        if found is None:
            break
        step, predicted = found
        if best_value - predicted <= REFINE_GAP * abs(best_value):
            log.debug(
                "plan step %d: the cuts promise %.3g EUR at most; stop",
                round_,
                best_value - predicted,
            )
            break
        moved = link @ step
        before = [float(g.getRunTime()) for g in instances]
        for g, prows, local in zip(instances, blocks.rows, moves, strict=True):
            # a period's rows are numbered 0, 1, ... in its own LP (highspy has
            # changeRowsBounds; its type stubs do not list it)
            rows = prows[local]
            g.changeRowsBounds(  # type: ignore[attr-defined]
                local.size,
                local,
                np.ascontiguousarray(row_lower[rows] - moved[rows]),
                np.ascontiguousarray(row_upper[rows] - moved[rows]),
            )
        _run_warm(instances, cold_iterations, threads)
        solves = _collect(instances, blocks, num_row, before)
        periods.seconds += solves.seconds
        if not solves.optimal:
            log.debug("plan step %d: a period's dispatch did not end optimal; stop", round_)
            break
        value = float(cost @ step + sum(solves.objective))
        log.debug(
            "plan step %d: %s iterations, cost %.12e EUR (best %.12e, cuts promise %.12e), "
            "trust region x %.3g",
            round_,
            "+".join(str(i) for i in solves.period_iterations),
            value,
            best_value,
            predicted,
            scale,
        )
        cuts.at.append(step)
        cuts.values.append(np.array(solves.objective))
        cuts.gradients.append(gradients(solves))
        if value < best_value:
            near = 1e-9 * (1 + np.abs(step))
            at_floor = (step <= floor + near) & (floor > lower)
            at_ceiling = (step >= ceiling - near) & (ceiling < upper)
            at_edge = bool(np.any(at_floor | at_ceiling))
            best_plan, best, best_value = step, solves, value
            if at_edge:
                scale = min(2.0 * scale, REFINE_MAX_SCALE)
        else:
            scale *= 0.5
    best.seconds = periods.seconds
    return best_plan, best


def _run_side_by_side(instances: list[highspy.Highs], workers: int) -> None:
    """Run HiGHS instances on ``workers`` threads, the longest first. highspy's interruptible
    solve shares its locks between instances (class attributes), so each thread runs HiGHS
    directly (the GIL is released while it runs); a keyboard interrupt cancels every solve:
    highspy stops a run at its next iteration once its interrupt callback is subscribed, which
    is done only then (subscribed all along, the callback takes Python's lock at every
    iteration of every thread: two ten-unit years side by side took 15-25 % longer).

    The longest first: a period's past runs (HiGHS's clock runs on across an instance's runs)
    or, before any, its non-zeros foretell its next run. Three periods on two threads in their
    own order ended when the shortest first run and the longest were done one after the other;
    longest first, they end with the longest. On the hourly Lund 2030 pathway the 2030 period
    takes two to eight times either other period's time at every cut step."""
    longest_first = sorted(instances, key=lambda g: (g.getRunTime(), g.getNumNz()), reverse=True)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(g.run) for g in longest_first]
        try:
            for future in futures:
                future.result()
        except KeyboardInterrupt:
            for g in instances:
                g.HandleUserInterrupt = True
                g.cancelSolve()
            raise


_Bounds = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""A period's column lower and upper bounds and row lower and upper bounds."""


def _period_lps(
    handed: highs.HandedOver, blocks: PeriodBlocks, fixed: np.ndarray
) -> list[tuple[highspy.Highs, _Bounds]] | None:
    """Each period's LP with the linking columns at ``fixed`` (a value for every column, read
    on the linking ones), on its own HiGHS instance with the full model's options, and its
    bounds; None if HiGHS refuses one."""
    h = handed.highs
    a, cost = blocks.matrix, blocks.col_cost
    moved = blocks.link @ fixed[blocks.linking_cols]
    row_lower = blocks.row_lower - moved
    row_upper = blocks.row_upper - moved
    options = h.getOptions()
    out = []
    for pcols, prows in zip(blocks.cols, blocks.rows, strict=True):
        sub = a[prows][:, pcols].tocsc()
        bounds = (
            np.ascontiguousarray(handed.col_lower[pcols]),
            np.ascontiguousarray(handed.col_upper[pcols]),
            np.ascontiguousarray(row_lower[prows]),
            np.ascontiguousarray(row_upper[prows]),
        )
        g = highspy.Highs()
        g.passOptions(options)
        status = g.passModel(
            pcols.size,
            prows.size,
            sub.nnz,
            1,
            1,
            0.0,
            np.ascontiguousarray(cost[pcols]),
            *bounds,
            sub.indptr.astype(np.int32),
            sub.indices.astype(np.int32),
            np.ascontiguousarray(sub.data, dtype=float),
            np.zeros(pcols.size, dtype=np.int32),
        )
        if status == highspy.HighsStatus.kError:
            return None
        out.append((g, bounds))
    return out


def _local(twins: np.ndarray, first: np.ndarray, size: int) -> np.ndarray:
    """Position among the first period's columns (or rows) ``first`` of each twin, -1 where
    there is none; ``size`` is the number of columns (rows) of the full model."""
    local = np.full(size, -1, dtype=np.int64)
    local[first] = np.arange(first.size)
    return np.where(twins >= 0, local[twins], -1)


def _statuses(
    first: np.ndarray, local: np.ndarray, missing: object, lower: np.ndarray, upper: np.ndarray
) -> np.ndarray:
    """The first period's statuses carried over by ``local``; ``missing`` where there is no
    twin, and HiGHS's undecided nonbasic status where a carried bound is infinite here."""
    out = np.full(local.size, missing, dtype=object)
    has = local >= 0
    out[has] = first[local[has]]
    undecided = ((out == _LOWER) & np.isinf(lower)) | ((out == _UPPER) & np.isinf(upper))
    undecided |= (out == _ZERO) & ~(np.isinf(lower) & np.isinf(upper))
    out[undecided] = _NONBASIC
    return out


def _first_period_basis(
    basis: highspy.HighsBasis,
    blocks: PeriodBlocks,
    p: int,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Period ``p``'s start made of the first period's optimal ``basis``: each column and row
    takes its twin's status (a column without one is nonbasic, a row without one basic); None
    if that does not give as many basic columns and rows as the period has rows."""
    n_cols = blocks.col_twins.size
    n_rows = blocks.row_twins.size
    cols = _local(blocks.col_twins[blocks.cols[p]], blocks.cols[0], n_cols)
    rows = _local(blocks.row_twins[blocks.rows[p]], blocks.rows[0], n_rows)
    first_cols = np.asarray(basis.col_status, dtype=object)
    first_rows = np.asarray(basis.row_status, dtype=object)
    col_status = _statuses(first_cols, cols, _NONBASIC, col_lower, col_upper)
    row_status = _statuses(first_rows, rows, _BASIC, row_lower, row_upper)
    basic = np.count_nonzero(col_status == _BASIC) + np.count_nonzero(row_status == _BASIC)
    if basic != row_status.size:
        log.debug("period %d: the first period's basis does not fit (%d basic)", p, basic)
        return None
    return col_status, row_status


def _set_basis(h: highspy.Highs, col_status: np.ndarray, row_status: np.ndarray) -> bool:
    """Hand HiGHS a basis given as arrays of statuses; whether it took it."""
    basis = highspy.HighsBasis()
    basis.col_status = col_status.tolist()
    basis.row_status = row_status.tolist()
    basis.valid = True
    return h.setBasis(basis) != highspy.HighsStatus.kError


@dataclass
class _Box:
    """The boxes around a plan of the linking columns ``cols``: their own bounds, the plan and
    the distance of each box end from it."""

    cols: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    plan: np.ndarray
    below: np.ndarray
    above: np.ndarray

    @classmethod
    def around(
        cls, handed: highs.HandedOver, cols: np.ndarray, plan: np.ndarray, group: np.ndarray
    ) -> _Box:
        """Boxes around ``plan``; ``group`` numbers the variable each column belongs to."""
        lower, upper = handed.col_lower[cols], handed.col_upper[cols]
        plan = np.clip(plan, lower, upper)
        largest = np.zeros(int(group.max()) + 1 if group.size else 0)
        np.maximum.at(largest, group, np.abs(plan))
        width = BOX_SHARE * (np.abs(plan) + largest[group]) + BOX_MIN_WIDTH
        return cls(cols, lower, upper, plan, width.copy(), width.copy())

    def floor(self) -> np.ndarray:
        return np.maximum(self.lower, self.plan - self.below)

    def ceiling(self) -> np.ndarray:
        return np.minimum(self.upper, self.plan + self.above)

    def apply(self, h: highspy.Highs) -> None:
        h.changeColsBounds(self.cols.size, self.cols, self.floor(), self.ceiling())

    def held(self, h: highspy.Highs, tol: float) -> tuple[np.ndarray, np.ndarray]:
        """Which capacities a box floor and a box ceiling hold away from the full LP's
        optimum: a reduced cost beyond ``tol`` pointing out of the box, at a box end that is
        not their own bound. (A column with such a reduced cost is nonbasic, basic ones have
        none, and at HiGHS's optimum it sits at the end its sign points from: the floor if
        positive. The basis is not read: its statuses come as a Python object each, about
        0.35 s on the whole hourly Lund 2030 pathway.)"""
        reduced = np.asarray(h.getSolution().col_dual)[self.cols]
        return (
            (self.floor() > self.lower) & (reduced > tol),
            (self.ceiling() < self.upper) & (reduced < -tol),
        )


def _status_towards(reduced: np.ndarray, floor: np.ndarray, ceiling: np.ndarray) -> np.ndarray:
    """Nonbasic statuses that keep columns dual feasible: at the lower end where the reduced
    cost is not negative (or the box is a point), else at the upper end."""
    status = np.full(reduced.size, _LOWER, dtype=object)
    status[(reduced < 0) & (ceiling > floor)] = _UPPER
    return status


def solve_in_box(
    handed: highs.HandedOver,
    blocks: PeriodBlocks,
    plan: np.ndarray,
    group: np.ndarray,
    periods: PeriodSolves,
) -> bool:
    """The full LP from the periods' joint basis, with the linking columns boxed around
    ``plan`` (in ``blocks.linking_cols`` order; ``group`` numbers their variables) and the
    boxes widened until no box end holds the optimum back (module docstring, step 3). Returns
    whether HiGHS ends optimal; the boxes stay on ``handed.highs`` then, and its solution is
    the full LP's."""
    assert periods.row_dual is not None
    h = handed.highs
    joint_cols, row_status = periods.joint_basis(blocks, h.getNumCol(), h.getNumRow())
    cols = blocks.linking_cols
    reduced = blocks.col_cost[cols] - blocks.link.T @ periods.row_dual
    box = _Box.around(handed, cols, plan, group)
    box.apply(h)
    col_status = joint_cols.copy()
    col_status[cols] = _status_towards(reduced, box.floor(), box.ceiling())
    if not _set_basis(h, col_status, row_status):
        return False
    tol = float(h.getOptions().dual_feasibility_tolerance)
    if BOX_EDGE_WEIGHTS != -1:
        h.setOptionValue("simplex_dual_edge_weight_strategy", BOX_EDGE_WEIGHTS)
    with _costs_unperturbed([h]):
        done = _box_rounds(h, box, tol)
    if done is not None:
        return done
    h.changeColsBounds(cols.size, cols, box.lower, box.upper)  # the capacities' own bounds
    highs.run(h)
    log.debug("boxes dropped: %d iterations", h.getInfo().simplex_iteration_count)
    return h.getModelStatus() == _OPTIMAL


def _box_rounds(h: highspy.Highs, box: _Box, tol: float) -> bool | None:
    """:func:`solve_in_box`'s rounds from the basis set on ``h``: True once no box end holds
    the optimum back, False if HiGHS does not end optimal, None if box ends still hold it back
    after :data:`BOX_ROUNDS` widenings."""
    if BOX_SIMPLEX_STRATEGY != -1 and highs.cores() > 1:
        highs.split_over(h, BOX_SIMPLEX_STRATEGY)
    for round_ in range(BOX_ROUNDS + 1):
        highs.run(h)
        log.debug(
            "boxed plan, round %d: %d iterations", round_, h.getInfo().simplex_iteration_count
        )
        if h.getModelStatus() != _OPTIMAL:
            return False
        low, high = box.held(h, tol)
        log.debug("held by a box floor: %d, by a ceiling: %d", low.sum(), high.sum())
        if not (low.any() or high.any()):
            return True
        if round_ == BOX_ROUNDS:
            return None
        box.below[low] *= BOX_GROWTH
        box.above[high] *= BOX_GROWTH
        box.apply(h)
    return None


def _variable_index(model: linopy.Model, labels: np.ndarray) -> np.ndarray:
    """Position (in ``model.variables``) of the variable each linopy label belongs to."""
    starts = np.array([v.range[0] for _, v in model.variables.items()])
    order = np.argsort(starts)
    return order[np.searchsorted(starts[order], labels, side="right") - 1]


def run_from_plan(
    model: linopy.Model,
    handed: highs.HandedOver,
    cols: np.ndarray,
    values: np.ndarray,
    threads: int | None = None,
    blocks: PeriodBlocks | None = None,
) -> float:
    """:func:`restvarme.model.highs.run_from_plan` by blocks: the fixed-plan dispatch period
    by period on ``threads`` threads (a one-year model's as one block), the plan moved by cut
    steps, then freed in boxes (module docstring). ``blocks``: the model's
    :func:`period_blocks` if the caller has them (None: made here).

    Without a split, or if a period's dispatch is not optimal, the stacked fixed-plan solve is
    used; if the boxed solve does not end optimal, the full LP is solved from scratch. Returns
    HiGHS's run time on the periods' own instances, summed over them [s]
    (``handed.highs.getRunTime()`` holds the rest).
    """
    blocks = period_blocks(model, handed) if blocks is None else blocks
    periods = (
        PeriodSolves() if blocks is None else solve_periods(handed, blocks, cols, values, threads)
    )
    if blocks is None or not periods.optimal:
        highs.run_from_plan(handed, cols, values)
        return periods.seconds
    order = np.argsort(cols)
    group = _variable_index(model, handed.vlabels[cols[order]])
    plan, periods = refine_plan(handed, blocks, values[order], group, periods, threads)
    # The periods' HiGHS instances are not needed any more; glibc keeps what they freed in the
    # heaps of the threads they ran on, where the box rounds' HiGHS does not take it up. Given
    # back, the Lund 2030 year's peak RSS was 922 MiB instead of 1,058 (benchmarks/README.md).
    periods.instances = []
    highs.release_freed_memory()
    if solve_in_box(handed, blocks, plan, group, periods):
        return periods.seconds
    h = handed.highs
    h.changeColsBounds(cols.size, cols, handed.col_lower[cols], handed.col_upper[cols])
    h.clearSolver()
    highs.run(h)
    return periods.seconds
