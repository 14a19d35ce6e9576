"""Small helpers shared by the component builders."""

from __future__ import annotations

import linopy
import xarray as xr

from restvarme.model.linear import Coeff, FlatSum, weighted_sum


def operating_cost(
    var: linopy.Variable | linopy.LinearExpression, coeff: Coeff, inputs: xr.Dataset
) -> FlatSum:
    """Σ_t,u c[t] · coeff[t,u] · var[t,u]  [EUR], as a scalar flat sum.

    ``c = inputs["cost_weight"]`` [h]: the hours a snapshot stands for, times the discounted
    years of its period in pathway runs (just the hours in a one-year run).
    """
    return weighted_sum(var, coeff * inputs["cost_weight"])


def present(inputs: xr.Dataset, dim: str) -> bool:
    """Whether the scenario has any unit of this type."""
    return dim in inputs.sizes and inputs.sizes[dim] > 0
