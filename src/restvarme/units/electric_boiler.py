"""Electric (electrode or resistance) boilers."""

from __future__ import annotations

from typing import Literal

import linopy
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.model.linear import add_variables
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class ElectricBoiler(_Unit):
    """Electrode or resistance boiler."""

    type: Literal["electric_boiler"]
    sink: str
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency: Efficiency = 0.99


DIM = "electric_boiler"


def inputs(ctx: UnitInputs, units: list[ElectricBoiler]) -> dict[str, xr.DataArray]:
    """Unit parameters."""
    return {
        "electric_boiler_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "electric_boiler_efficiency": parameter(units, DIM, "efficiency", "-"),
        "electric_boiler_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "electric_boiler_sink": labels(units, DIM, "sink"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all electric boilers.

    With heat output Q [MW] (new capacity as in restvarme.model.capacity)::

        0 <= Q[t,e] <= capacity[e];  electricity in P[t,e] = Q[t,e] / η[e];  cost Σ w·vom·Q

    Q is electricity-based heat by origin.
    """
    w = inputs["snapshot_weight_h"]
    capacity = inputs["electric_boiler_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="electric_boiler_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "electric_boiler_capacity")
    return Ports(
        DIM,
        flows={
            "heat": Flow(heat),
            "electricity": Flow(heat, -1 / inputs["electric_boiler_efficiency"]),
        },
        buses={"heat": inputs["electric_boiler_sink"]},
        costs=(Cost("variable_om", Flow(heat, inputs["electric_boiler_vom_eur_per_mwh"])),),
        origins={"electricity": Flow(heat)},
        new_capacity=new,
        handles={"heat_mw": heat},
    )


UNIT = UnitType(
    name=DIM,
    order=50,
    specs=(ElectricBoiler,),
    build=build,
    capacity=CapacityKind(MW),
    label="Electric boiler",
    colour="#8e5cc2",
    inputs=inputs,
    references=(Reference("sink", "network"),),
)
