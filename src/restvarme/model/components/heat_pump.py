"""Electric heat pumps lifting waste or ambient heat into a heat network."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "heat_pump"


@dataclass(frozen=True)
class HeatPumps:
    heat_mw: linopy.Variable
    """Heat delivered to the sink network [MW], dims (snapshot, heat_pump)."""
    new_capacity_mw: linopy.Variable | None
    """New heat capacity of extendable heat pumps [MW], dims (heat_pump,)."""


def add_heat_pumps(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> HeatPumps | None:
    """Add all heat pumps.

    With heat output Q[t,h] and the hourly COP[t,h] from :mod:`restvarme.physics.cop`::

        0 <= Q[t,h] <= capacity[h]            (+ new capacity, see restvarme.model.capacity)
        electricity in   P[t,h] = Q[t,h] / COP[t,h]
        source heat in   S[t,h] = Q[t,h] · (1 - 1/COP[t,h])   (drawn from a waste-heat bus, or
                                                             free ambient heat)
        renewable heat   ambient S[t,h] + r_el · P[t,h]       (for a minimum renewable share)
        cost             Σ w[t] · vom[h] · Q[t,h]

    COP is a parameter per hour, so the formulation stays linear.
    """
    if not present(inputs, DIM):
        return None
    cop, capacity = inputs["heat_pump_cop"], inputs["heat_pump_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, cop), name="heat_pump_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_pump_capacity")
    terms.add_heat(to_buses(heat, inputs["heat_pump_sink"], inputs["network"]))
    terms.add_electricity(sum_units(heat, DIM, -1 / cop))
    on_waste = inputs["heat_pump_source"].isin(inputs["waste_source"].values)
    if bool(on_waste.any()):  # heat pumps on ambient sources belong to no waste-heat bus
        terms.add_waste_heat_delivered(lambda: heat.sel({DIM: on_waste}).sum(DIM))
        terms.add_waste_heat_draw(
            to_buses(heat, inputs["heat_pump_source"], inputs["waste_source"], 1 - 1 / cop)
        )
    terms.add_renewable_heat(
        lambda: sum_units(
            heat,
            DIM,
            xr.where(on_waste, 0.0, 1 - 1 / cop)
            + inputs["target_electricity_renewable_share"] / cop,
        )
    )
    terms.add_cost(operating_cost(heat, inputs["heat_pump_vom_eur_per_mwh"], inputs))
    return HeatPumps(heat, new)
