"""Electric (electrode or resistance) boilers."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "electric_boiler"


@dataclass(frozen=True)
class ElectricBoilers:
    heat_mw: linopy.Variable
    """Heat output [MW], dims (snapshot, electric_boiler)."""
    new_capacity_mw: linopy.Variable | None


def add_electric_boilers(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> ElectricBoilers | None:
    """Add all electric boilers.

    With heat output Q [MW] (new capacity as in restvarme.model.capacity)::

        0 <= Q[t,e] <= capacity[e];  electricity in P[t,e] = Q[t,e] / η[e];  cost Σ w·vom·Q
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    capacity = inputs["electric_boiler_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="electric_boiler_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "electric_boiler_capacity")
    terms.add_heat(to_buses(heat, inputs["electric_boiler_sink"], inputs["network"]))
    terms.add_electricity(sum_units(heat, DIM, -1 / inputs["electric_boiler_efficiency"]))
    terms.add_renewable_heat(
        lambda: sum_units(heat, DIM, inputs["target_electricity_renewable_share"])
    )
    terms.add_cost(operating_cost(heat, inputs["electric_boiler_vom_eur_per_mwh"], inputs))
    return ElectricBoilers(heat, new)
