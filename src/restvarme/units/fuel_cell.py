"""Fuel cells: hydrogen to electricity, their heat into a heat network."""

from __future__ import annotations

from typing import Literal

import linopy
import xarray as xr
from pydantic import Field, model_validator

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
from restvarme.scenario.base import Efficiency, Fraction, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, Requires, UnitType


class FuelCell(_Unit):
    """Fuel cell: hydrogen from the hydrogen bus to electricity, its heat into a heat network.

    Electricity P [MW] out, hydrogen P/efficiency_el in, heat P·efficiency_heat/efficiency_el into
    ``sink``. ``capacity_mw``, an ``expansion`` and ``vom_eur_per_mwh`` are per MW(h) of
    electricity.
    """

    type: Literal["fuel_cell"]
    capacity_mw: NonNegative = Field(description="Maximum electricity output [MW].")
    efficiency_el: Efficiency = Field(0.5, description="Electricity per hydrogen (LHV) [-].")
    efficiency_heat: Fraction = Field(
        0.0, description="Recovered heat per hydrogen (LHV) [-]; 0: none recovered."
    )
    sink: str | None = Field(None, description="Heat network its heat goes to.")

    @model_validator(mode="after")
    def _energy(self) -> FuelCell:
        if self.efficiency_el + self.efficiency_heat > 1:
            raise ValueError("efficiency_el + efficiency_heat above 1 is not physical")
        if self.efficiency_heat > 0 and self.sink is None:
            raise ValueError("a fuel cell with `efficiency_heat` > 0 needs a `sink` heat network")
        return self


DIM = "fuel_cell"


def inputs(ctx: UnitInputs, units: list[FuelCell]) -> dict[str, xr.DataArray]:
    """Fuel-cell parameters; ``fuel_cell_sink`` is "" for a cell whose heat is not recovered."""
    coords = {DIM: [u.name for u in units]}
    return {
        "fuel_cell_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "fuel_cell_efficiency_el": parameter(units, DIM, "efficiency_el", "-"),
        "fuel_cell_efficiency_heat": parameter(units, DIM, "efficiency_heat", "-"),
        "fuel_cell_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "fuel_cell_sink": xr.DataArray(
            [u.sink if u.sink is not None and u.efficiency_heat > 0 else "" for u in units],
            coords,
            dims=DIM,
        ),
    }


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
    power = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="fuel_cell_power"
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
    order=160,
    specs=(FuelCell,),
    build=build,
    capacity=CapacityKind(MW),
    label="Fuel cell",
    colour="#85c1e9",
    inputs=inputs,
    references=(Reference("sink", "network"),),
    requires=(
        Requires(
            "hydrogen",
            "{type} {name!r} needs a hydrogen bus to draw from; add a `hydrogen:` section "
            "(with `import_price_eur_per_mwh`, or electrolysers)",
        ),
    ),
)
