"""PV and wind: variable renewable generation on the electricity bus, curtailable."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "renewable"


@dataclass(frozen=True)
class Renewables:
    generation_mw: linopy.Variable
    """Electricity generated [MW], dims (snapshot, renewable); the rest of what the weather
    offers is curtailed."""
    new_capacity_mw: linopy.Variable | None
    """New rated capacity of extendable units [MW], dims (renewable,)."""


def add_renewables(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Renewables | None:
    """Add all PV and wind units (one dimension: the equations are the same).

    With rated capacity K[r] (+ new N[r]) and capacity factor f[t,r] in [0, 1]::

        0 <= G[t,r] <= f[t,r] · (K[r] + N[r])       curtailment f·(K + N) - G >= 0
        electricity into the bus: G[t,r];  cost Σ w · vom · G;  no fuel, no emissions
    """
    if not present(inputs, DIM):
        return None
    w, factor = inputs["snapshot_weight_h"], inputs["renewable_capacity_factor"]
    available = factor * inputs["renewable_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    # hours without wind or sun: the bound is 0 and no capacity row (no zero coefficients)
    upper = flow_bound(inputs, DIM, available, w).where(factor > 0, 0.0)
    generation = m.add_variables(lower=0, upper=upper, name="renewable_generation")
    add_capacity_limit(
        m, inputs, DIM, generation, new, available, "renewable_capacity", factor, where=factor > 0
    )
    terms.add_electricity(sum_units(generation, DIM))
    terms.add_cost(operating_cost(generation, inputs["renewable_vom_eur_per_mwh"], inputs))
    return Renewables(generation, new)
