"""Transport fleets: fixed energy demands on the electricity, hydrogen and vehicle-gas buses,
and fuel bought for diesel and petrol fleets."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.components._common import operating_cost, present
from restvarme.units.ports import fuel_cost

DIM = "fleet"


@dataclass(frozen=True)
class Fleets:
    fuel_mw: linopy.Variable | None
    """Fuel taken by diesel and petrol fleets [MW], fixed at their demand, dims (snapshot,
    fleet) over those fleets only; a variable so that its cost is part of the objective."""


def add_fleets(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Fleets | None:
    """Add what fleets buy. Electric, hydrogen and biogas fleets are fixed demands on the right
    side of their bus's balance (restvarme.model.build). Diesel and petrol fleets::

        F[t,f] = energy[t,f]   (fixed)
        cost Σ w·(fuel price + carbon price·emission factor)·F;   emissions e·F
    """
    if not present(inputs, DIM):
        return None
    on_fuel = inputs["fleet_fuel"] != ""
    if not bool(on_fuel.any()):
        return Fleets(None)
    names = inputs[DIM].values[on_fuel.values]
    energy = inputs["fleet_energy_mw"].sel({DIM: names})
    fuel = m.add_variables(lower=energy, upper=energy, name="fleet_fuel")
    labels = inputs["fleet_fuel"].sel({DIM: names})
    per_mwh, emission = fuel_cost(inputs, labels)
    terms.add_cost(operating_cost(fuel, per_mwh, inputs))
    terms.add_emission(lambda: (fuel * emission).sum(DIM))
    return Fleets(fuel)
