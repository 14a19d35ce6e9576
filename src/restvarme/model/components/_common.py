"""Small helpers shared by the component builders."""

from __future__ import annotations

import linopy
import xarray as xr


def operating_cost(var: linopy.Variable | linopy.LinearExpression, coeff, weight_h: xr.DataArray):
    """Σ_t,u weight_h[t] · coeff[t,u] · var[t,u]  [EUR], as a scalar linear expression."""
    return (var * (coeff * weight_h)).sum()


def fuel_cost_coefficient(inputs: xr.Dataset, fuel_labels: xr.DataArray) -> xr.DataArray:
    """Cost of one MWh of each unit's fuel [EUR/MWh]: price plus carbon price × emission factor."""
    price = inputs["fuel_price_eur_per_mwh"].sel(fuel=fuel_labels)
    emission = inputs["fuel_emission_t_per_mwh"].sel(fuel=fuel_labels)
    carbon = inputs.attrs["carbon_price_eur_per_t"]
    return (price + carbon * emission).drop_vars("fuel")


def present(inputs: xr.Dataset, dim: str) -> bool:
    """Whether the scenario has any unit of this type."""
    return dim in inputs.sizes and inputs.sizes[dim] > 0
