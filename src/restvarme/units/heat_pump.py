"""Electric heat pumps lifting waste or ambient heat into a heat network."""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import columns, labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class HeatPump(_Unit):
    """Electric heat pump lifting heat from a source to a network.

    COP(t) = quality_grade · Carnot (or Lorenz) COP of the condensing and evaporating
    temperatures, capped at ``max_cop``.
    """

    type: Literal["heat_pump"]
    source: str = Field(description="A waste_heat source, an ambient source, or 'air'.")
    sink: str = Field(description="Heat network it delivers to.")
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    quality_grade: Efficiency = Field(0.5, description="Share of the ideal COP reached [-].")
    cop_method: Literal["carnot", "lorenz"] = "carnot"
    condenser_approach_k: NonNegative = Field(4.0, description="Condensing above supply [K].")
    evaporator_approach_k: NonNegative = Field(5.0, description="Evaporating below source [K].")
    source_cooling_k: Annotated[float, Field(gt=0)] = Field(
        5.0, description="Cooling of the source stream, for the Lorenz glide [K]."
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")


DIM = "heat_pump"


def inputs(ctx: UnitInputs, units: list[HeatPump]) -> dict[str, xr.DataArray]:
    """COP per hour (:func:`restvarme.physics.cop.heat_pump_cop`) from the sink's supply and
    return temperatures and the source's temperature, and unit parameters."""
    from restvarme.physics.cop import heat_pump_cop

    nets = ctx.networks
    cops = [
        heat_pump_cop(
            nets["supply_temperature_c"].sel(network=hp.sink).to_numpy(),
            ctx.source_temperature_c(hp.source),
            temperature_return_c=nets["return_temperature_c"].sel(network=hp.sink).to_numpy(),
            quality_grade=hp.quality_grade,
            condenser_approach_k=hp.condenser_approach_k,
            evaporator_approach_k=hp.evaporator_approach_k,
            source_cooling_k=hp.source_cooling_k,
            method=hp.cop_method,
            max_cop=hp.max_cop,
        )
        for hp in units
    ]
    return {
        "heat_pump_cop": columns(cops, ctx.index, [h.name for h in units], DIM, "-"),
        "heat_pump_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "heat_pump_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "heat_pump_sink": labels(units, DIM, "sink"),
        "heat_pump_source": labels(units, DIM, "source"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all heat pumps.

    With heat output Q[t,h] and the hourly COP[t,h] from :mod:`restvarme.physics.cop`::

        0 <= Q[t,h] <= capacity[h]            (+ new capacity, see restvarme.model.capacity)
        electricity in   P[t,h] = Q[t,h] / COP[t,h]
        source heat in   S[t,h] = Q[t,h] · (1 - 1/COP[t,h])   (drawn from a waste-heat bus, or
                                                             free ambient heat)
        cost             Σ w[t] · vom[h] · Q[t,h]

    Q's origins: S is waste heat (on a waste-heat source) or ambient heat (on air or an ambient
    source, RED II Annex VII), P is electricity. COP is a parameter per hour, so the formulation
    stays linear.
    """
    cop, capacity = inputs["heat_pump_cop"], inputs["heat_pump_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, cop), name="heat_pump_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_pump_capacity")
    source = inputs["heat_pump_source"]
    on_waste = source.isin(inputs["waste_source"].values).astype(float)
    lifted = 1 - 1 / cop
    return Ports(
        DIM,
        flows={
            "heat": Flow(heat),
            "electricity": Flow(heat, -1 / cop),
            "source_heat": Flow(heat, lifted),
        },
        buses={"heat": inputs["heat_pump_sink"], "source_heat": source},
        costs=(Cost("variable_om", Flow(heat, inputs["heat_pump_vom_eur_per_mwh"])),),
        origins={
            "waste_heat": Flow(heat, lifted * on_waste),
            "ambient": Flow(heat, lifted * (1 - on_waste)),
            "electricity": Flow(heat, 1 / cop),
        },
        routes={"heat_pump": Flow(heat, lifted)},
        new_capacity=new,
        results={"heat_pump_cop": cop},
        handles={"heat_mw": heat},
    )


UNIT = UnitType(
    name=DIM,
    order=10,
    specs=(HeatPump,),
    build=build,
    capacity=CapacityKind(MW),
    label="Heat pump",
    colour="#2b6cb0",
    inputs=inputs,
    references=(Reference("sink", "network"), Reference("source", "heat_source", takes_heat=True)),
)
