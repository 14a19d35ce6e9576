"""Heat-recovery heat pumps: one machine cooling a cooling network and heating a heat network."""

from __future__ import annotations

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
    static,
)
from restvarme.model.linear import add_constraint, combination
from restvarme.scenario import schema as s
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import UnitType

DIM = "heat_recovery_heat_pump"


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
    heat = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, cop), name="heat_recovery_heat_pump_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_recovery_heat_pump_capacity")
    allowed = static(inputs, "heat_recovery_heat_pump_heat_rejection").broadcast_like(cop)
    rejected = m.add_variables(
        lower=0, upper=xr.where(allowed, np.inf, 0.0), name="heat_recovery_heat_pump_rejected_heat"
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
    specs=(s.HeatRecoveryHeatPump,),
    build=build,
    capacity=CapacityKind(MW),
    label="Heat-recovery heat pump",
    colour="#1a5276",
)
