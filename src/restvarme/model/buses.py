"""Bus terms that component builders register, and the balances built from them.

Each builder adds its variables and then registers linear expressions here: heat into a network,
electricity into (positive) or out of (negative) the grid bus, heat drawn from a waste-heat source,
and its operating cost. :func:`restvarme.model.build.build_model` turns the registered terms into
one balance constraint per bus family, built once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import linopy
import xarray as xr


def to_buses(expr: linopy.LinearExpression, labels: xr.DataArray, buses: xr.DataArray):
    """Sum ``expr`` over a component dimension into bus coordinates.

    Parameters
    ----------
    expr : LinearExpression with dims (snapshot, <component>)
    labels : DataArray on <component> naming the bus of each component
    buses : DataArray or Index of all bus names (the target dimension, e.g. ``network``)

    Returns
    -------
    LinearExpression with dims (snapshot, <bus dim>); buses no component feeds hold no terms.
    """
    dim = buses.dims[0]
    grouped = expr.groupby(labels.rename(dim)).sum()
    return grouped.reindex({dim: buses.to_index()}).fillna(0)


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
