"""Heat-recovery heat pumps: one machine cooling a cooling network and heating a heat network."""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
import numpy as np
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
    static,
)
from restvarme.model.linear import add_constraint, add_variables, combination
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class HeatRecoveryHeatPump(_Unit):
    """One machine cooling a cooling network (evaporator) and heating a heat network (condenser).

    Condenser heat Q, cooling Qc = Q·(1 - 1/COP), electricity P = Q/COP, with COP(t) the heating
    COP between the two networks' supply temperatures. Heat the heat network does not take may be
    rejected to ambient at ``heat_rejection_cost_eur_per_mwh``. ``capacity_mw`` and
    ``vom_eur_per_mwh`` are per MW(h) of condenser heat.
    """

    type: Literal["heat_recovery_heat_pump"]
    cooling_network: str = Field(description="Cooling network its evaporator serves.")
    heat_network: str = Field(description="Heat network its condenser delivers to.")
    capacity_mw: NonNegative = Field(description="Maximum condenser heat output [MW].")
    quality_grade: Efficiency = Field(0.5, description="Share of the ideal COP reached [-].")
    condenser_approach_k: NonNegative = Field(4.0, description="Condensing above heat supply [K].")
    evaporator_approach_k: NonNegative = Field(
        4.0, description="Evaporating below cooling supply [K]."
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")
    heat_rejection: bool = Field(
        True, description="Whether heat the heat network does not take may go to ambient."
    )
    heat_rejection_cost_eur_per_mwh: NonNegative = Field(
        0.0, description="Cost of rejecting one MWh of heat to ambient [EUR/MWh]."
    )


DIM = "heat_recovery_heat_pump"


def inputs(ctx: UnitInputs, units: list[HeatRecoveryHeatPump]) -> dict[str, xr.DataArray]:
    """Heating COP per hour between the two networks (Carnot times quality grade, capped), with
    the condensing temperature above the heat supply and the evaporating temperature below the
    cooling supply; the cooling COP is COP - 1. And unit parameters."""
    from restvarme.physics.cop import heat_pump_cop

    supply = ctx.cooling_networks["cooling_supply_temperature_c"]
    cop = [
        heat_pump_cop(
            ctx.networks["supply_temperature_c"].sel(network=u.heat_network).to_numpy(),
            supply.sel(cooling_network=u.cooling_network).to_numpy(),
            quality_grade=u.quality_grade,
            condenser_approach_k=u.condenser_approach_k,
            evaporator_approach_k=u.evaporator_approach_k,
            max_cop=u.max_cop,
            method="carnot",  # two network supplies, no glides: Carnot × quality grade
        )
        for u in units
    ]
    coords = {DIM: [u.name for u in units]}
    return {
        f"{DIM}_cop": columns(cop, ctx.index, [u.name for u in units], DIM, "-"),
        f"{DIM}_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        f"{DIM}_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        f"{DIM}_sink": labels(units, DIM, "heat_network"),
        f"{DIM}_cooling_network": labels(units, DIM, "cooling_network"),
        f"{DIM}_heat_rejection": xr.DataArray(
            np.asarray([u.heat_rejection for u in units], dtype=bool), coords
        ),
        f"{DIM}_heat_rejection_cost_eur_per_mwh": parameter(
            units, DIM, "heat_rejection_cost_eur_per_mwh", "EUR/MWh"
        ),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all heat-recovery heat pumps.

    With condenser heat Q[t,h], rejected heat R[t,h] and the hourly heating COP[t,h] between the
    heat network's supply (condensing) and the cooling network's supply (evaporating)::

        0 <= Q[t,h] <= capacity[h]            (+ new capacity, see restvarme.model.capacity)
        0 <= R[t,h] <= Q[t,h]                 (R = 0 where heat rejection is not allowed)
        electricity in   P[t,h] = Q[t,h] / COP[t,h]
        cooling into the cooling network   Qc[t,h] = Q[t,h] · (1 - 1/COP[t,h])
        heat into the heat network         Q[t,h] - R[t,h]
        cost Σ w[t] · (vom[h] · Q[t,h] + rejection cost[h] · R[t,h])

    One COP ties both outputs: Q = Qc + P and Q = COP · P.
    """
    cop = inputs["heat_recovery_heat_pump_cop"]
    capacity = inputs["heat_recovery_heat_pump_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = add_variables(
        m,
        lower=0,
        upper=flow_bound(inputs, DIM, capacity, cop),
        name="heat_recovery_heat_pump_heat",
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_recovery_heat_pump_capacity")
    allowed = static(inputs, "heat_recovery_heat_pump_heat_rejection").broadcast_like(cop)
    rejected = add_variables(
        m,
        lower=0,
        upper=xr.where(allowed, np.inf, 0.0),
        name="heat_recovery_heat_pump_rejected_heat",
    )
    add_constraint(
        m,
        combination((rejected, 1.0), (heat, -1.0)),
        "<=",
        0,
        "heat_recovery_heat_pump_rejection_limit",
        mask=allowed,
    )
    delivered = combination((heat, 1.0), (rejected, -1.0))
    lifted = 1 - 1 / cop
    return Ports(
        DIM,
        flows={
            "heat": Flow(delivered),
            "cooling": Flow(heat, lifted),
            "electricity": Flow(heat, -1 / cop),
        },
        buses={
            "heat": inputs["heat_recovery_heat_pump_sink"],
            "cooling": inputs["heat_recovery_heat_pump_cooling_network"],
        },
        costs=(
            Cost("variable_om", Flow(heat, inputs["heat_recovery_heat_pump_vom_eur_per_mwh"])),
            Cost(
                "heat_rejection",
                Flow(rejected, inputs["heat_recovery_heat_pump_heat_rejection_cost_eur_per_mwh"]),
            ),
        ),
        # the condenser heat Q = Qc + P; the heat delivered, Q - R, carries both origins in
        # proportion: the cooled buildings' and processes' heat (waste heat, RED II Art. 2(9))
        # and electricity
        origins={"waste_heat": Flow(delivered, lifted), "electricity": Flow(delivered, 1 / cop)},
        new_capacity=new,
        results={"heat_rejection_mw": rejected, "heat_recovery_heat_pump_cop": cop},
        handles={"condenser_heat_mw": heat, "rejected_heat_mw": rejected},
    )


UNIT = UnitType(
    name=DIM,
    order=110,
    specs=(HeatRecoveryHeatPump,),
    build=build,
    capacity=CapacityKind(MW),
    label="Heat-recovery heat pump",
    colour="#1a5276",
    inputs=inputs,
    references=(
        Reference("cooling_network", "cooling_network"),
        Reference("heat_network", "heat_network"),
    ),
)
