"""The electricity market connection: buying at spot plus fees, selling at spot."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms


@dataclass(frozen=True)
class Grid:
    import_mw: linopy.Variable
    """Electricity bought [MW], dims (snapshot,)."""
    export_mw: linopy.Variable | None
    """Electricity sold [MW], dims (snapshot,); None when export is not allowed."""


def add_electricity_market(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Grid:
    """Add the grid connection.

    With purchase I and sale X [MW]::

        0 <= I[t] <= import capacity,   0 <= X[t] <= export capacity (X absent if not allowed)
        electricity into the bus: I[t] - X[t]
        cost Σ w[t]·[(spot[t] + grid fee + carbon price·emission factor[t])·I[t] - spot[t]·X[t]]
    """
    w, spot = inputs["cost_weight"], inputs["electricity_price_eur_per_mwh"]
    attrs = inputs.attrs
    cap_in = attrs["import_capacity_mw"]
    like = spot.broadcast_like(inputs["snapshot_weight_h"])
    bought = m.add_variables(
        lower=0,
        upper=xr.full_like(like, cap_in if np.isfinite(cap_in) else np.inf),
        name="grid_import",
    )
    buy = (
        spot
        + inputs["grid_fee_eur_per_mwh"]
        + inputs["carbon_price_eur_per_t"] * inputs["electricity_emission_t_per_mwh"]
    )
    terms.add_linear_cost(bought, buy * w)
    terms.add_emission(lambda: bought * inputs["electricity_emission_t_per_mwh"])
    sold = None
    if attrs["export_allowed"]:
        sold = m.add_variables(
            lower=0, upper=xr.full_like(like, attrs["export_capacity_mw"]), name="grid_export"
        )
        terms.add_electricity(bought - sold)
        terms.add_linear_cost(sold, -spot * w)
    else:
        terms.add_electricity(bought)
    return Grid(bought, sold)
