"""Biogas upgrading: raw biogas to vehicle gas, with electricity for scrubbing and compression."""

from __future__ import annotations

from typing import Literal

import linopy
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import parameter
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
from restvarme.units.unit_type import Requires, UnitType


class BiogasUpgrading(_Unit):
    """Upgrading of raw biogas to vehicle gas (biomethane, about 97 % methane) on the biogas bus.

    Raw biogas G [MW, LHV of its methane] in, vehicle gas η·G out, electricity e·η·G drawn from
    the electricity bus (scrubbing and compression). ``capacity_mw`` and an ``expansion`` are per
    MW of raw biogas in; ``vom_eur_per_mwh`` per MWh of vehicle gas.
    """

    type: Literal["biogas_upgrading"]
    capacity_mw: NonNegative = Field(description="Maximum raw biogas input [MW].")
    efficiency: Efficiency = Field(
        0.98, description="Vehicle gas per raw biogas [-] (1 - methane slip)."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.05, description="Electricity per MWh of vehicle gas [MWh/MWh]."
    )


DIM = "biogas_upgrading"


def inputs(ctx: UnitInputs, units: list[BiogasUpgrading]) -> dict[str, xr.DataArray]:
    """Unit parameters."""
    return {
        f"{DIM}_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        f"{DIM}_efficiency": parameter(units, DIM, "efficiency", "-"),
        f"{DIM}_electricity_mwh_per_mwh": parameter(
            units, DIM, "electricity_mwh_per_mwh", "MWh/MWh"
        ),
        f"{DIM}_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all upgrading units. With raw biogas in G [MW], efficiency η and electricity e per
    MWh of vehicle gas::

        0 <= G[t,u] <= capacity[u]  (+ new capacity);   raw biogas out of the bus: G
        vehicle gas in: η[u]·G;   electricity out of the grid bus: e[u]·η[u]·G
        cost Σ w·vom·η·G   (vom per MWh of vehicle gas)
    """
    w = inputs["snapshot_weight_h"]
    capacity = inputs[f"{DIM}_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    raw = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, w), name=f"{DIM}_biogas"
    )
    add_capacity_limit(m, inputs, DIM, raw, new, capacity, f"{DIM}_capacity")
    efficiency = inputs[f"{DIM}_efficiency"]
    use = efficiency * inputs[f"{DIM}_electricity_mwh_per_mwh"]
    return Ports(
        DIM,
        flows={
            "biogas": Flow(raw, -1.0),
            "vehicle_gas": Flow(raw, efficiency),
            "electricity": Flow(raw, -use),
        },
        costs=(Cost("variable_om", Flow(raw, efficiency * inputs[f"{DIM}_vom_eur_per_mwh"])),),
        new_capacity=new,
        handles={"biogas_mw": raw},
    )


UNIT = UnitType(
    name=DIM,
    order=170,
    specs=(BiogasUpgrading,),
    build=build,
    capacity=CapacityKind(MW),
    label="Biogas upgrading",
    colour="#7dcea0",
    inputs=inputs,
    requires=(Requires("biogas"),),
)
