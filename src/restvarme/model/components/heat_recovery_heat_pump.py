"""Heat-recovery heat pumps: one machine cooling a cooling network and heating a heat network."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound, static
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import add_constraint, combination, sum_units

DIM = "heat_recovery_heat_pump"


@dataclass(frozen=True)
class HeatRecoveryHeatPumps:
    condenser_heat_mw: linopy.Variable
    """Heat leaving the condenser [MW] (to the heat network plus rejected), dims (snapshot, u)."""
    rejected_heat_mw: linopy.Variable
    """Part of it rejected to ambient [MW], dims (snapshot, heat_recovery_heat_pump)."""
    new_capacity_mw: linopy.Variable | None
    """New condenser capacity of extendable units [MW], dims (heat_recovery_heat_pump,)."""


def add_heat_recovery_heat_pumps(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> HeatRecoveryHeatPumps | None:
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
    if not present(inputs, DIM):
        return None
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
    terms.add_heat(to_buses(delivered, inputs["heat_recovery_heat_pump_sink"], inputs["network"]))
    terms.add_cooling(
        to_buses(
            heat,
            inputs["heat_recovery_heat_pump_cooling_network"],
            inputs["cooling_network"],
            1 - 1 / cop,
        )
    )
    terms.add_electricity(sum_units(heat, DIM, -1 / cop))
    terms.add_cost(operating_cost(heat, inputs["heat_recovery_heat_pump_vom_eur_per_mwh"], inputs))
    terms.add_cost(
        operating_cost(
            rejected, inputs["heat_recovery_heat_pump_heat_rejection_cost_eur_per_mwh"], inputs
        )
    )
    return HeatRecoveryHeatPumps(heat, rejected, new)
