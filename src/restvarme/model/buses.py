"""Bus terms that component builders register, and the balances built from them.

Each builder adds its variables and then registers linear expressions here: heat into a network,
electricity into (positive) or out of (negative) the grid bus, heat drawn from a waste-heat source,
and its operating cost. :func:`restvarme.model.build.build_model` turns the registered terms into
one balance constraint per bus family, built once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import linopy
import numpy as np
import xarray as xr


def to_buses(expr: linopy.LinearExpression, labels: xr.DataArray, buses: xr.DataArray):
    """Sum ``expr`` over a component dimension into bus coordinates.

    This is ``expr.groupby(labels).sum()`` reindexed to every bus, built directly as linopy's
    term arrays: each bus gathers the terms of its components along ``_term`` (padded with
    linopy's "no variable" label -1). It avoids the generic groupby and reindex, which cost more
    than the rest of a component builder. The only Python loop is over the buses.

    Parameters
    ----------
    expr : LinearExpression with dims (snapshot, <component>)
    labels : DataArray on <component> naming the bus of each component
    buses : DataArray of all bus names (the target dimension, e.g. ``network``)

    Returns
    -------
    LinearExpression with dims (snapshot, <bus dim>); buses no component feeds hold no terms.
    """
    comp, dim = labels.dims[0], buses.dims[0]
    data = expr.data.transpose("snapshot", comp, "_term")
    vars_, coeffs = data["vars"].values, data["coeffs"].values
    n_snap, _, n_term = vars_.shape
    members = [np.flatnonzero(labels.values == bus) for bus in buses.values]
    width = max(1, max(len(m) for m in members) * n_term)
    out_vars = np.full((n_snap, len(members), width), -1, dtype=vars_.dtype)
    out_coeffs = np.zeros((n_snap, len(members), width), dtype=coeffs.dtype)
    const = np.zeros((n_snap, len(members)))
    for j, idx in enumerate(members):
        k = len(idx) * n_term
        out_vars[:, j, :k] = vars_[:, idx, :].reshape(n_snap, k)
        out_coeffs[:, j, :k] = coeffs[:, idx, :].reshape(n_snap, k)
        const[:, j] = data["const"].values[:, idx].sum(axis=1)
    dims = ("snapshot", dim, "_term")
    ds = xr.Dataset(
        {"coeffs": (dims, out_coeffs), "vars": (dims, out_vars), "const": (dims[:2], const)},
        coords={"snapshot": data["snapshot"], dim: buses.values},
    )
    return linopy.LinearExpression(ds, expr.model)


@dataclass
class BusTerms:
    """Terms registered by the component builders, collected for the balances and objective."""

    heat: list[linopy.LinearExpression] = field(default_factory=list)
    """Heat into each network [MW], dims (snapshot, network)."""
    electricity: list[linopy.LinearExpression] = field(default_factory=list)
    """Electricity into the grid bus [MW] (consumption negative), dims (snapshot,)."""
    waste_heat: list[linopy.LinearExpression] = field(default_factory=list)
    """Heat drawn from each waste-heat source [MW], dims (snapshot, waste_source)."""
    cost: list[linopy.LinearExpression] = field(default_factory=list)
    """Operating cost [EUR], scalar expressions."""

    def add_heat(self, expr: linopy.LinearExpression) -> None:
        self.heat.append(expr)

    def add_electricity(self, expr: linopy.LinearExpression) -> None:
        self.electricity.append(expr)

    def add_waste_heat_draw(self, expr: linopy.LinearExpression) -> None:
        self.waste_heat.append(expr)

    def add_cost(self, expr: linopy.LinearExpression) -> None:
        self.cost.append(expr)
