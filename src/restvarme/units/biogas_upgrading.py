"""Biogas upgrading: raw biogas to vehicle gas, with electricity for scrubbing and compression."""

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

DIM = "biogas_upgrading"


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
    raw = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, capacity, w), name=f"{DIM}_biogas")
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
    specs=(s.BiogasUpgrading,),
    build=build,
    capacity=CapacityKind(MW),
    label="Biogas upgrading",
    colour="#7dcea0",
)
