"""Capacity of units: fixed, or extendable at an annuitised cost.

For a component type with dimension ``u``, existing capacity ``K[u]`` and new capacity
``N[u]`` (a variable only for extendable units, ``N_min <= N <= N_max``)::

    flow[t,u] <= K[u] + k[u] · N[u]          a constraint for extendable units,
                                             a variable bound (K) for the others

where ``k`` is how much of this flow's limit each unit of new capacity brings (1 for the rated
flow; the fuel per heat capacity of a CHP; the power per MWh of a store).
    cost      += years · c[u] · N[u]           c = capital · annuity factor + fixed O&M [EUR/yr]

``years`` is the modelled horizon in years (Σ snapshot weights / 8760), so a shorter horizon pays
its share of a year's capital cost.
"""

from __future__ import annotations

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms

HOURS_PER_YEAR = 8760.0


def extendable(inputs: xr.Dataset, dim: str) -> xr.DataArray:
    """Which units of a type may be extended (boolean on ``dim``)."""
    return inputs[f"{dim}_extendable"]


def flow_bound(inputs: xr.Dataset, dim: str, capacity: xr.DataArray, like: xr.DataArray):
    """Upper bound of a flow variable: the capacity, or +inf where a constraint limits it."""
    return xr.where(extendable(inputs, dim), np.inf, capacity).broadcast_like(like)


def add_new_capacity(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, dim: str
) -> linopy.Variable | None:
    """New capacity N[u] for the extendable units of one type, and its yearly cost."""
    ext = extendable(inputs, dim)
    if not bool(ext.any()):
        return None
    new = m.add_variables(
        lower=inputs[f"{dim}_new_min"], upper=inputs[f"{dim}_new_max"], name=f"{dim}_new_capacity",
        mask=ext,
    )
    years = float(inputs["snapshot_weight_h"].sum()) / HOURS_PER_YEAR
    terms.add_cost((new * (years * inputs[f"{dim}_capacity_cost_eur_per_year"])).sum())
    return new


def add_capacity_limit(
    m: linopy.Model,
    inputs: xr.Dataset,
    dim: str,
    flow: linopy.Variable | linopy.LinearExpression,
    new: linopy.Variable | None,
    existing: xr.DataArray,
    name: str,
    per_new: xr.DataArray | float = 1.0,
) -> None:
    """``flow <= existing + per_new·new`` for the extendable units of a type."""
    if new is None:
        return
    mask = extendable(inputs, dim).broadcast_like(inputs["snapshot_weight_h"])
    m.add_constraints(flow - per_new * new <= existing, name=name, mask=mask)
