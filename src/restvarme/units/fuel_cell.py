"""Fuel cells: hydrogen to electricity, their heat into a heat network."""

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

DIM = "fuel_cell"


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all fuel cells. With electricity output P, electric efficiency η_el and heat
    efficiency η_th (both per MWh of hydrogen, LHV)::

        0 <= P[t,f] <= capacity[f]  (+ new capacity)
        electricity into the bus: P;  hydrogen out of the hydrogen bus: P / η_el
        heat into network n(f): (η_th / η_el) · P    (only cells with η_th > 0 and a sink)
        cost Σ w · vom · P   (vom per MWh of electricity)
    """
    w = inputs["snapshot_weight_h"]
    capacity = inputs["fuel_cell_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    power = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="fuel_cell_power"
    )
    add_capacity_limit(m, inputs, DIM, power, new, capacity, "fuel_cell_capacity")
    eta_el, sink = inputs["fuel_cell_efficiency_el"], inputs["fuel_cell_sink"]
    to_heat = inputs["fuel_cell_efficiency_heat"] / eta_el
    return Ports(
        DIM,
        flows={
            "electricity": Flow(power),
            "hydrogen": Flow(power, -1 / eta_el),
            # cells without a sink (label "") feed no network
            "heat": Flow(power, to_heat),
        },
        buses={"heat": sink},
        costs=(Cost("variable_om", Flow(power, inputs["fuel_cell_vom_eur_per_mwh"])),),
        origins={"hydrogen": Flow(power, to_heat * (sink != ""))},
        new_capacity=new,
        handles={"power_mw": power},
    )


UNIT = UnitType(
    name=DIM,
    specs=(s.FuelCell,),
    build=build,
    capacity=CapacityKind(MW),
    label="Fuel cell",
    colour="#85c1e9",
)
