"""Fuel-fired heat-only boilers."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import (
    fuel_cost_coefficient,
    operating_cost,
    present,
    renewable_fuel,
)
from restvarme.model.components.biogas import add_biogas_burnt
from restvarme.model.linear import sum_units

DIM = "boiler"


@dataclass(frozen=True)
class Boilers:
    heat_mw: linopy.Variable
    """Heat output [MW], dims (snapshot, boiler)."""
    new_capacity_mw: linopy.Variable | None


def add_boilers(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Boilers | None:
    """Add all fuel boilers.

    With heat output Q [MW] (new capacity as in restvarme.model.capacity)::

        0 <= Q[t,b] <= capacity[b];  fuel F[t,b] = Q[t,b] / η[b]
        cost Σ w[t]·[(fuel price + carbon price·emission factor)/η[b] + vom[b]]·Q[t,b]

    A boiler burning ``biogas`` (with a ``biogas`` section) draws F from the biogas bus instead.
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    capacity = inputs["boiler_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, capacity, w), name="boiler_heat")
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "boiler_capacity")
    terms.add_heat(to_buses(heat, inputs["boiler_sink"], inputs["network"]))
    emission = inputs["fuel_emission_t_per_mwh"].sel(fuel=inputs["boiler_fuel"]).drop_vars("fuel")
    terms.add_emission(lambda: (heat * (emission / inputs["boiler_efficiency"])).sum(DIM))
    terms.add_renewable_heat(lambda: sum_units(heat, DIM, renewable_fuel(inputs, DIM)))
    per_heat = fuel_cost_coefficient(inputs, inputs["boiler_fuel"]) / inputs["boiler_efficiency"]
    terms.add_cost(operating_cost(heat, per_heat + inputs["boiler_vom_eur_per_mwh"], inputs))
    add_biogas_burnt(inputs, terms, heat / inputs["boiler_efficiency"], DIM)
    return Boilers(heat, new)
