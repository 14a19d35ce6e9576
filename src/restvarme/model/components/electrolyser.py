"""Electrolysers: electricity to hydrogen, their heat offered to a waste-heat source."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "electrolyser"


@dataclass(frozen=True)
class Electrolysers:
    electricity_mw: linopy.Variable
    """Electricity input [MW], dims (snapshot, electrolyser)."""
    new_capacity_mw: linopy.Variable | None
    """New electric input capacity of extendable electrolysers [MW], dims (electrolyser,)."""


def add_electrolysers(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Electrolysers | None:
    """Add all electrolysers.

    With electricity input P [MW], efficiency η and heat share h::

        0 <= P[t,e] <= capacity[e]  (+ new capacity);  electricity out of the grid bus: P
        hydrogen into the hydrogen bus: η[e] · P[t,e]
        heat offered to waste_heat source s(e): h[e] · P[t,e]  (raises its availability)
        cost Σ w · vom · η · P   (vom per MWh of hydrogen)
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    capacity = inputs["electrolyser_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    power = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="electrolyser_electricity"
    )
    add_capacity_limit(m, inputs, DIM, power, new, capacity, "electrolyser_capacity")
    efficiency = inputs["electrolyser_efficiency"]
    terms.add_electricity(sum_units(power, DIM, -1.0))
    terms.add_hydrogen(sum_units(power, DIM, efficiency))
    terms.add_waste_heat_offered(
        to_buses(
            power * inputs["electrolyser_heat_share"],
            inputs["electrolyser_waste_heat"],
            inputs["waste_source"],
        )
    )
    terms.add_cost(
        operating_cost(power, efficiency * inputs["electrolyser_vom_eur_per_mwh"], inputs)
    )
    return Electrolysers(power, new)
