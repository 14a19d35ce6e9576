"""Bus terms that component builders register, and the balances built from them.

Each builder adds its variables and then registers linear expressions here: heat into a network,
electricity into (positive) or out of (negative) the grid bus, heat drawn from (or offered to) a
waste-heat source, hydrogen into the hydrogen bus, and its operating cost.
:func:`restvarme.model.build.build_model` turns the registered terms into one balance constraint
per bus family, built once.
"""

from __future__ import annotations

from collections.abc import Callable
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
    expr : LinearExpression with dims (snapshot, <component>), possibly (period, snapshot, ...)
    labels : DataArray on <component> naming the bus of each component
    buses : DataArray of all bus names (the target dimension, e.g. ``network``)

    Returns
    -------
    LinearExpression with dims (..., <bus dim>), the leading dims (period, snapshot) kept;
    buses no component feeds hold no terms.
    """
    comp, dim = labels.dims[0], buses.dims[0]
    lead = [d for d in expr.data["vars"].dims if d not in (comp, "_term")]
    data = expr.data.transpose(*lead, comp, "_term")
    shape = tuple(data.sizes[d] for d in lead)
    n_lead = int(np.prod(shape))
    vars_ = data["vars"].values.reshape(n_lead, data.sizes[comp], -1)
    coeffs = data["coeffs"].values.reshape(n_lead, data.sizes[comp], -1)
    consts = data["const"].values.reshape(n_lead, data.sizes[comp])
    n_term = vars_.shape[2]
    members = [np.flatnonzero(labels.values == bus) for bus in buses.values]
    width = max(1, max(len(m) for m in members) * n_term)
    out_vars = np.full((n_lead, len(members), width), -1, dtype=vars_.dtype)
    out_coeffs = np.zeros((n_lead, len(members), width), dtype=coeffs.dtype)
    const = np.zeros((n_lead, len(members)))
    for j, idx in enumerate(members):
        k = len(idx) * n_term
        out_vars[:, j, :k] = vars_[:, idx, :].reshape(n_lead, k)
        out_coeffs[:, j, :k] = coeffs[:, idx, :].reshape(n_lead, k)
        const[:, j] = consts[:, idx].sum(axis=1)
    dims = (*lead, dim, "_term")
    full = (*shape, len(members))
    ds = xr.Dataset(
        {
            "coeffs": (dims, out_coeffs.reshape(*full, width)),
            "vars": (dims, out_vars.reshape(*full, width)),
            "const": (dims[:-1], const.reshape(full)),
        },
        coords={**{d: data[d] for d in lead}, dim: buses.values},
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
    cooling: list[linopy.LinearExpression] = field(default_factory=list)
    """Cooling into each cooling network [MW], dims (snapshot, cooling_network)."""
    hydrogen: list[linopy.LinearExpression] = field(default_factory=list)
    """Hydrogen into the hydrogen bus [MW, LHV] (consumption negative), dims (snapshot,)."""
    biogas: list[linopy.LinearExpression] = field(default_factory=list)
    """Raw biogas into the biogas bus [MW, LHV] (consumption negative), dims (snapshot,)."""
    vehicle_gas: list[linopy.LinearExpression] = field(default_factory=list)
    """Vehicle gas into the vehicle-gas side of the biogas bus [MW, LHV], dims (snapshot,)."""
    waste_heat_offered: list[linopy.LinearExpression] = field(default_factory=list)
    """Heat units add to each waste-heat source [MW] (electrolysers), dims (snapshot,
    waste_source): it raises the source's availability."""
    cost: list[linopy.LinearExpression] = field(default_factory=list)
    """Operating cost [EUR], scalar expressions."""
    emission: list[linopy.LinearExpression] = field(default_factory=list)
    """Emissions [t CO2e/h], dims (snapshot,) (and period in pathway runs)."""
    waste_heat_delivered: list[linopy.LinearExpression] = field(default_factory=list)
    """Network heat that comes from waste heat [MW], dims (snapshot,): heat exchangers and heat
    pumps on waste-heat sources."""

    def add_heat(self, expr: linopy.LinearExpression) -> None:
        self.heat.append(expr)

    def add_cooling(self, expr: linopy.LinearExpression) -> None:
        self.cooling.append(expr)

    def add_electricity(self, expr: linopy.LinearExpression) -> None:
        self.electricity.append(expr)

    def add_waste_heat_draw(self, expr: linopy.LinearExpression) -> None:
        self.waste_heat.append(expr)

    def add_hydrogen(self, expr: linopy.LinearExpression) -> None:
        self.hydrogen.append(expr)

    def add_biogas(self, expr: linopy.LinearExpression) -> None:
        self.biogas.append(expr)

    def add_vehicle_gas(self, expr: linopy.LinearExpression) -> None:
        self.vehicle_gas.append(expr)

    def add_waste_heat_offered(self, expr: linopy.LinearExpression) -> None:
        self.waste_heat_offered.append(expr)

    def add_cost(self, expr: linopy.LinearExpression) -> None:
        self.cost.append(expr)

    needs_emissions: bool = True
    """Whether a target needs the emission terms (they are only built then)."""
    needs_waste_heat_delivered: bool = True
    """Whether a target needs the waste-heat-delivered terms."""

    def add_emission(self, make: Callable[[], linopy.LinearExpression]) -> None:
        """Register emissions [t CO2e/h]; ``make`` runs only when a target needs them."""
        if self.needs_emissions:
            self.emission.append(make())

    def add_waste_heat_delivered(self, make: Callable[[], linopy.LinearExpression]) -> None:
        """Register heat from waste heat [MW]; ``make`` runs only when a target needs it."""
        if self.needs_waste_heat_delivered:
            self.waste_heat_delivered.append(make())
