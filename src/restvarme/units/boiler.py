"""Fuel-fired heat-only boilers."""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
import xarray as xr
from pydantic import Field, model_validator

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
from restvarme.scenario.base import NonNegative, _Unit
from restvarme.units._commitment import (
    Commitment,
    add_commitment,
    check_commitment,
    commitment_inputs,
)
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class Boiler(_Unit):
    """Fuel-fired heat-only boiler."""

    type: Literal["boiler"]
    fuel: str
    sink: str
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency: Annotated[float, Field(gt=0, le=1.1)] = Field(0.9, description="Heat per fuel.")
    commitment: Commitment | None = Field(
        None, description="On/off operation (units/_commitment.py); default: none, an LP."
    )

    @model_validator(mode="after")
    def _commitment(self) -> Boiler:
        check_commitment(self)
        return self


DIM = "boiler"


def inputs(ctx: UnitInputs, units: list[Boiler]) -> dict[str, xr.DataArray]:
    """Unit parameters."""
    return {
        "boiler_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "boiler_efficiency": parameter(units, DIM, "efficiency", "-"),
        "boiler_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "boiler_sink": labels(units, DIM, "sink"),
        "boiler_fuel": labels(units, DIM, "fuel"),
        **commitment_inputs(units, DIM),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all fuel boilers.

    With heat output Q [MW] (new capacity as in restvarme.model.capacity)::

        0 <= Q[t,b] <= capacity[b];  fuel F[t,b] = Q[t,b] / η[b]
        cost Σ w[t]·[(fuel price + carbon price·emission factor)·F[t,b] + vom[b]·Q[t,b]]

    Units with a ``commitment`` block add a status on Q and capacity
    (:mod:`restvarme.units._commitment`).

    A boiler burning ``biogas`` (with a ``biogas`` section) draws F from the biogas bus instead.
    """
    w = inputs["snapshot_weight_h"]
    capacity = inputs["boiler_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = add_variables(m, lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="boiler_heat")
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "boiler_capacity")
    uc = add_commitment(m, inputs, DIM, heat, capacity)
    return Ports(
        DIM,
        flows={"heat": Flow(heat), "fuel": Flow(heat, 1 / inputs["boiler_efficiency"])},
        buses={"heat": inputs["boiler_sink"], "fuel": inputs["boiler_fuel"]},
        costs=(Cost("variable_om", Flow(heat, inputs["boiler_vom_eur_per_mwh"])), *uc.costs),
        origins={"fuel": Flow(heat)},
        new_capacity=new,
        results=uc.results,
        handles={"heat_mw": heat, **uc.handles},
    )


UNIT = UnitType(
    name=DIM,
    order=40,
    specs=(Boiler,),
    build=build,
    capacity=CapacityKind(MW),
    label="Boiler",
    colour="#e08e2b",
    inputs=inputs,
    references=(
        Reference("sink", "network"),
        Reference("fuel", "fuel"),
    ),
)
