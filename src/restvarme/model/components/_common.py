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


def fuel_cost_coefficient(inputs: xr.Dataset, fuel_labels: xr.DataArray) -> xr.DataArray:
    """Cost of one MWh of each unit's fuel [EUR/MWh]: price plus carbon price × emission factor."""
    price = inputs["fuel_price_eur_per_mwh"].sel(fuel=fuel_labels)
    emission = inputs["fuel_emission_t_per_mwh"].sel(fuel=fuel_labels)
    carbon = inputs["carbon_price_eur_per_t"]
    return (price + carbon * emission).drop_vars("fuel")


def renewable_fuel(inputs: xr.Dataset, dim: str) -> xr.DataArray:
    """1.0 for the units of a type whose fuel is renewable (``fuels.<name>.renewable``), else 0."""
    labels = inputs[f"{dim}_fuel"]
    return inputs["fuel_renewable"].sel(fuel=labels).drop_vars("fuel").astype(float)


def present(inputs: xr.Dataset, dim: str) -> bool:
    """Whether the scenario has any unit of this type."""
    return dim in inputs.sizes and inputs.sizes[dim] > 0
