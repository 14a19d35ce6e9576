"""Electrolysers: electricity to hydrogen, their heat offered to a waste-heat source."""

from __future__ import annotations

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.scenario import schema as s
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import UnitType

DIM = "electrolyser"


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all electrolysers.

    With electricity input P [MW], efficiency η and heat share h::

        0 <= P[t,e] <= capacity[e]  (+ new capacity);  electricity out of the grid bus: P
        hydrogen into the hydrogen bus: η[e] · P[t,e]
        heat offered to waste_heat source s(e): h[e] · P[t,e]  (raises its availability)
        cost Σ w · vom · η · P   (vom per MWh of hydrogen)
    """
    w = inputs["snapshot_weight_h"]
    capacity = inputs["electrolyser_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    power = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="electrolyser_electricity"
    )
    add_capacity_limit(m, inputs, DIM, power, new, capacity, "electrolyser_capacity")
    efficiency = inputs["electrolyser_efficiency"]
    return Ports(
        DIM,
        flows={
            "electricity": Flow(power, -1.0),
            "hydrogen": Flow(power, efficiency),
            "offered_heat": Flow(power, inputs["electrolyser_heat_share"]),
        },
        buses={"offered_heat": inputs["electrolyser_waste_heat"]},
        costs=(
            Cost("variable_om", Flow(power, efficiency * inputs["electrolyser_vom_eur_per_mwh"])),
        ),
        new_capacity=new,
        handles={"electricity_mw": power},
    )


UNIT = UnitType(
    name=DIM,
    specs=(s.Electrolyser,),
    build=build,
    capacity=CapacityKind(MW),
    label="Electrolyser",
    colour="#5499c7",
)
