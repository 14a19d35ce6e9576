"""Warm start for hourly capacity expansion: begin the simplex next to the optimal plan.

From a cold start HiGHS's dual simplex must find every hour's dispatch together with the
capacities; on the full-year Lund 2030 expansion (``benchmarks/vs_pypsa_expansion.py``) that
takes about 140 s. Three steps reach the same optimum sooner:

1. **Coarse plan.** The same inputs averaged over blocks of a few hours
   (:func:`restvarme.inputs.aggregate.coarsen_inputs`, 8 h by default, a day for a pathway:
   :data:`PATHWAY_BLOCK_HOURS`) are solved as a plan.
   Its new capacities are close to the hourly ones: on the Lund 2030 year
   (``benchmarks/vs_pypsa_expansion.py``) 8-hour blocks build a 21,222 MWh pit store against
   the hourly 21,739 MWh, for an objective 0.47 % above the hourly optimum
   (``benchmarks/README.md``, "The coarse plan and the preheat cascade", where a plan that
   was far off made step 3 take 62,094 iterations instead of 3,886).
2. **Fixed plan.** In the hourly model the new-capacity columns are fixed at the coarse plan
   and HiGHS solves what is then an hourly dispatch (a pathway's period by period).
3. **Free plan.** Cutting-plane steps move the plan, each re-solving the dispatch from its last
   basis, and the full LP is solved from the dispatch's basis with each capacity boxed around
   the plan (:mod:`restvarme.model.pathway_solve`): on the Lund 2030 year the steps took 8,480
   simplex iterations and the boxes 257, against about 130,000 from a cold start. Freeing the
   plan to the capacities' own bounds from step 2's basis at once (the fall-back,
   :func:`restvarme.model.highs.run_from_plan`) took 3,886 iterations, but 5-6 ms each: the
   solve after the coarse plan took 27-35 s against 14-16 s (benchmarks/README.md).

What is planned is every new-capacity variable (names ending in :data:`SUFFIX`): the units'
and an expandable capacity group's shared capacity (``capacity_group_new_capacity``,
:mod:`restvarme.model.groups`) alike. An electricity connection's peak import
(``connection_peak_import``, :mod:`restvarme.model.connections`) is left free in step 2: it
follows the dispatch (the largest hourly import), and the coarse plan's, a block average, would
cap the hourly imports below what the fixed plan's hours need. Its import and export limits are
bounds the coarse and the hourly model share (hand-solved cases with both in
tests/model/test_warm_start.py).

The LP solved in step 3 is the full hourly model, to HiGHS's optimality tolerances; only the
basis it starts from differs, so the optimum is the cold solve's (objectives equal to 1e-9
relative in tests/model/test_warm_start.py). If the coarse plan does not end optimal, the hourly
model is solved cold; if the fixed dispatch does not, its basis is dropped and the hourly model
is solved from scratch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import linopy
import numpy as np
import xarray as xr

if TYPE_CHECKING:
    from restvarme.model.build import BuiltModel

BLOCK_HOURS = (8, 6, 4, 3, 2)
"""Block lengths tried for the coarse plan, longest first; the first that divides the horizon."""
PATHWAY_BLOCK_HOURS = (24, 12, 8, 6, 4, 3, 2)
"""The same for a pathway (inputs with a ``period`` dimension), whose plan is moved by cutting
planes before the final simplex (:mod:`restvarme.model.pathway_solve`, step 2), so a rougher plan
costs a few cut steps rather than final-simplex iterations: on the first 2184 h of each Lund 2030
period day blocks took 7,016 iterations against 21,119 for 8-hour blocks, then 19 cut steps and
474 final iterations against 21 and 764 (benchmarks/README.md)."""
MIN_SNAPSHOTS = 2000
"""Below this many hourly snapshots a cold solve is already quick and is used."""
SUFFIX = "_new_capacity"
"""Name ending of every new-capacity variable (restvarme.model.capacity.add_new_capacity)."""


def applies(inputs: xr.Dataset, model: linopy.Model, min_snapshots: int = MIN_SNAPSHOTS) -> bool:
    """Whether a warm start can be made and is worth it: an hourly horizon of at least
    ``min_snapshots`` snapshots, split evenly by a block length, with capacity to choose."""
    hourly = (inputs["snapshot_weight_h"] == 1.0).all() and "typical_days" not in inputs.attrs
    return (
        bool(hourly)
        and inputs.sizes["snapshot"] >= min_snapshots
        and block_hours(inputs) is not None
        and chooses_capacity(model)
    )


def chooses_capacity(model: linopy.Model) -> bool:
    """Whether ``model`` has new capacity to choose: a new-capacity variable (:data:`SUFFIX`)
    whose bounds do not fix it."""
    for name, var in model.variables.items():
        if name.endswith(SUFFIX):
            live = var.labels.values >= 0
            if np.any(var.lower.values[live] < var.upper.values[live]):
                return True
    return False


def block_hours(inputs: xr.Dataset) -> int | None:
    """The first of :data:`BLOCK_HOURS` (:data:`PATHWAY_BLOCK_HOURS` for a pathway) that
    divides the horizon, or None."""
    n = inputs.sizes["snapshot"]
    tried = PATHWAY_BLOCK_HOURS if "period" in inputs.dims else BLOCK_HOURS
    return next((h for h in tried if n % h == 0), None)


def coarse_plan(
    inputs: xr.Dataset, solve_coarse: Callable[[BuiltModel], bool]
) -> dict[str, np.ndarray] | None:
    """New capacities [MW; MWh for stores] of the plan on blocks, per new-capacity variable.

    ``solve_coarse(built)`` solves a built model in place and returns whether it is optimal.
    Returns None when no block length divides the horizon or the coarse plan is not optimal.
    """
    from restvarme.inputs.aggregate import coarsen_inputs
    from restvarme.model.build import build_model

    hours = block_hours(inputs)
    if hours is None:
        return None
    built = build_model(coarsen_inputs(inputs, hours))
    if not solve_coarse(built):
        return None
    return {
        name: np.nan_to_num(var.solution.values)
        for name, var in built.model.variables.items()
        if name.endswith(SUFFIX)
    }


def fixed_columns(
    model: linopy.Model, plan: dict[str, np.ndarray], vlabels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Solver columns of the new-capacity variables and the plan's value for each.

    ``vlabels`` are the linopy labels of the solver's columns, in column order. Variables the
    plan does not hold, and masked slots, are left out.
    """
    column = np.full(int(vlabels.max()) + 1 if vlabels.size else 0, -1, dtype=np.int64)
    column[vlabels] = np.arange(vlabels.size)
    cols: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for name, planned in plan.items():
        if name not in model.variables:
            continue
        labels = model.variables[name].labels.values
        if labels.shape != planned.shape:
            continue
        present = labels >= 0
        cols.append(column[labels[present]])
        values.append(planned[present])
    if not cols:
        return np.zeros(0, dtype=np.int32), np.zeros(0)
    all_cols, all_values = np.concatenate(cols), np.concatenate(values)
    keep = all_cols >= 0
    return all_cols[keep].astype(np.int32), all_values[keep]
