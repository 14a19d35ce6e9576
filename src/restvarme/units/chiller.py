"""Electric compression chillers serving a cooling network."""

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
from restvarme.model.linear import add_variables
from restvarme.physics.cooling import (
    MIN_CONDENSING_TEMPERATURE_C,
    chiller_condensing_temperature_c,
)
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class Chiller(_Unit):
    """Electric compression chiller serving a cooling network.

    EER(t) = quality_grade · T_evap / (T_cond - T_evap) in kelvin, with T_evap = cooling supply -
    evaporator_approach_k and T_cond = max(condenser medium + condenser_approach_k,
    min_condensing_c) (:func:`restvarme.physics.cooling.chiller_condensing_temperature_c`),
    capped at ``max_eer``. Capacity and ``vom_eur_per_mwh`` are per MW(h) of cooling.
    """

    type: Literal["chiller"]
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    condenser: str = Field("air", description="Where its heat goes: 'air' or an ambient source.")
    quality_grade: Efficiency = Field(0.45, description="Share of the ideal EER reached [-].")
    evaporator_approach_k: NonNegative = Field(4.0, description="Evaporating below supply [K].")
    condenser_approach_k: NonNegative = Field(5.0, description="Condensing above the medium [K].")
    max_eer: Annotated[float, Field(gt=0)] = Field(15.0, description="Upper cap on EER [-].")
    min_condensing_c: float | None = Field(
        MIN_CONDENSING_TEMPERATURE_C,
        description="Lowest condensing temperature (head-pressure control) [°C]; null for none.",
    )


DIM = "chiller"


def inputs(ctx: UnitInputs, units: list[Chiller]) -> dict[str, xr.DataArray]:
    """EER per hour (:func:`restvarme.physics.cop.chiller_eer`) from the cooling network's supply
    temperature and the condensing temperature
    (:func:`restvarme.physics.cooling.chiller_condensing_temperature_c`: the condenser medium's
    plus the approach, not below ``min_condensing_c``), and unit parameters."""
    from restvarme.physics.cop import chiller_eer

    supply = ctx.cooling_networks["cooling_supply_temperature_c"]
    eer = [
        chiller_eer(
            supply.sel(cooling_network=u.sink).to_numpy(),
            chiller_condensing_temperature_c(
                ctx.source_temperature_c(u.condenser), u.condenser_approach_k, u.min_condensing_c
            ),
            quality_grade=u.quality_grade,
            evaporator_approach_k=u.evaporator_approach_k,
            condenser_approach_k=0.0,  # the approach is in the condensing temperature already
            max_eer=u.max_eer,
        )
        for u in units
    ]
    return {
        "chiller_eer": columns(eer, ctx.index, [u.name for u in units], DIM, "-"),
        "chiller_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "chiller_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "chiller_sink": labels(units, DIM, "sink"),
        "chiller_condenser": labels(units, DIM, "condenser"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all compression chillers.

    With cooling output C[t,c] and the hourly EER[t,c] from :func:`restvarme.physics.cop.
    chiller_eer` (evaporating below the cooling supply, condensing above air or an ambient
    source)::

        0 <= C[t,c] <= capacity[c]          (+ new capacity, see restvarme.model.capacity)
        electricity in   P[t,c] = C[t,c] / EER[t,c]
        cooling into network n: C[t,c];  cost Σ w[t] · vom[c] · C[t,c]

    The heat rejected at the condenser, C + P, goes to the ambient medium and is not modelled.
    """
    eer, capacity = inputs["chiller_eer"], inputs["chiller_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    cooling = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, eer), name="chiller_cooling"
    )
    add_capacity_limit(m, inputs, DIM, cooling, new, capacity, "chiller_capacity")
    return Ports(
        DIM,
        flows={"cooling": Flow(cooling), "electricity": Flow(cooling, -1 / eer)},
        buses={"cooling": inputs["chiller_sink"]},
        costs=(Cost("variable_om", Flow(cooling, inputs["chiller_vom_eur_per_mwh"])),),
        new_capacity=new,
        results={"chiller_eer": eer},
        handles={"cooling_mw": cooling},
    )


UNIT = UnitType(
    name=DIM,
    order=70,
    specs=(Chiller,),
    build=build,
    capacity=CapacityKind(MW),
    label="Chiller",
    colour="#2e86c1",
    inputs=inputs,
    references=(
        Reference("sink", "cooling_network"),
        Reference("condenser", "ambient"),
    ),
)
