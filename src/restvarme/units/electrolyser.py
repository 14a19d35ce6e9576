"""Electrolysers: electricity to hydrogen, their heat offered to a waste-heat source."""

from __future__ import annotations

from typing import Literal

import linopy
import numpy as np
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
from restvarme.scenario.base import Efficiency, Fraction, NonNegative, Series, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, Requires, UnitType

HYDROGEN_HEAT_LOSS_SHARE = 0.05
"""Share of an electrolyser's electricity lost as unrecoverable heat, by default [-]."""


class Electrolyser(_Unit):
    """Electrolyser on the city's hydrogen bus; its waste heat feeds a waste_heat source.

    Electricity P [MW] in, hydrogen η·P [MW, LHV] out, heat h·P offered to the waste_heat source
    ``waste_heat`` (added to that source's availability, so its heat exchangers and heat pumps
    can use it). ``capacity_mw`` and an ``expansion`` are per MW of electricity input;
    ``vom_eur_per_mwh`` is per MWh of hydrogen.
    """

    type: Literal["electrolyser"]
    capacity_mw: NonNegative = Field(description="Maximum electricity input [MW].")
    efficiency: Efficiency = Field(0.65, description="Hydrogen (LHV) per electricity [-].")
    heat_share: Fraction | None = Field(
        None, description="Recoverable heat per electricity [-]; default 1 - efficiency - 0.05."
    )
    waste_heat: str = Field(description="The waste_heat source its heat is offered to.")
    waste_heat_temperature_c: Series = Field(
        description="Temperature of its heat [°C], at least the source's temperature."
    )

    @model_validator(mode="after")
    def _energy(self) -> Electrolyser:
        if self.efficiency + self.recoverable_heat_share > 1:
            raise ValueError("efficiency + heat_share above 1 is not physical")
        return self

    @property
    def recoverable_heat_share(self) -> float:
        """``heat_share``, or 1 - efficiency - 0.05 (stack and balance-of-plant losses)."""
        if self.heat_share is not None:
            return self.heat_share
        return max(0.0, 1.0 - self.efficiency - HYDROGEN_HEAT_LOSS_SHARE)


DIM = "electrolyser"


def inputs(ctx: UnitInputs, units: list[Electrolyser]) -> dict[str, xr.DataArray]:
    """Unit parameters; checks that each electrolyser's heat is as hot as its waste_heat source
    in every hour (the source's temperature decides the routes: direct, preheat, heat pump)."""
    read = ctx.read
    for u in units:
        where = ("units", ctx.position(u), "waste_heat_temperature_c")
        heat_c = read(u.waste_heat_temperature_c, *where)
        source_c = ctx.waste_temperature_c.sel(waste_source=u.waste_heat).to_numpy()
        if (bad := np.flatnonzero(heat_c < source_c)).size:
            raise read.problem(
                f"electrolyser {u.name!r} offers heat at {heat_c[bad[0]]:g} °C to waste_heat "
                f"source {u.waste_heat!r} at {source_c[bad[0]]:g} °C ({ctx.index[bad[0]]}, "
                f"{bad.size} hour(s)); give it a source no hotter than its heat",
                *where,
            )
    coords = {DIM: [u.name for u in units]}
    return {
        "electrolyser_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "electrolyser_efficiency": parameter(units, DIM, "efficiency", "-"),
        "electrolyser_heat_share": xr.DataArray(
            np.asarray([u.recoverable_heat_share for u in units], dtype=float),
            coords,
            attrs={"units": "-"},
        ),
        "electrolyser_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "electrolyser_waste_heat": labels(units, DIM, "waste_heat"),
    }


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
    power = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="electrolyser_electricity"
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
    order=120,
    specs=(Electrolyser,),
    build=build,
    capacity=CapacityKind(MW),
    label="Electrolyser",
    colour="#5499c7",
    inputs=inputs,
    references=(Reference("waste_heat", "waste_heat"),),
    requires=(Requires("hydrogen"),),
)
