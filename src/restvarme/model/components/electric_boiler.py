"""Electric (electrode or resistance) boilers."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.components._common import operating_cost, present

DIM = "electric_boiler"


@dataclass(frozen=True)
class ElectricBoilers:
    heat_mw: linopy.Variable
    """Heat output [MW], dims (snapshot, electric_boiler)."""


def add_electric_boilers(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> ElectricBoilers | None:
    """Add all electric boilers::

        0 <= Q[t,e] <= capacity[e];  electricity in P[t,e] = Q[t,e] / η[e];  cost Σ w·vom·Q
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    heat = m.add_variables(
        lower=0, upper=inputs["electric_boiler_capacity_mw"].broadcast_like(w),
        name="electric_boiler_heat",
    )
    terms.add_heat(to_buses(1 * heat, inputs["electric_boiler_sink"], inputs["network"]))
    terms.add_electricity(-(heat / inputs["electric_boiler_efficiency"]).sum(DIM))
    terms.add_cost(operating_cost(heat, inputs["electric_boiler_vom_eur_per_mwh"], w))
    return ElectricBoilers(heat)
