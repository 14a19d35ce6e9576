"""Free cooling from a cold ambient source (sea, lake, ground, air) through a heat exchanger."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, static
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "free_cooling"


@dataclass(frozen=True)
class FreeCoolers:
    cooling_mw: linopy.Variable
    """Cooling delivered to the network [MW], dims (snapshot, free_cooling)."""
    new_capacity_mw: linopy.Variable | None
    """New capacity of extendable free-cooling exchangers [MW], dims (free_cooling,)."""


def add_free_cooling(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> FreeCoolers | None:
    """Add all free-cooling units.

    With s[t,f] = 1 in the hours the source is at least the approach colder than the cooling
    supply (0 otherwise; the share of such hours in a merged block) and A[t,f] the cooling the
    source can give then (unlimited if not stated)::

        0 <= F[t,f] <= min(A[t,f], s[t,f] · capacity[f])     (capacity + new if extendable)
        electricity in  e[f] · F[t,f]   (pumps);  cooling into network n: F[t,f]
        cost Σ w[t] · vom[f] · F[t,f]
    """
    if not present(inputs, DIM):
        return None
    share, capacity = inputs["free_cooling_share"], inputs["free_cooling_capacity_mw"]
    available = inputs["free_cooling_available_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    by_capacity = xr.where(ext & (share > 0), np.inf, share * capacity)
    cooling = m.add_variables(
        lower=0, upper=np.minimum(available, by_capacity), name="free_cooling_cooling"
    )
    add_capacity_limit(
        m,
        inputs,
        DIM,
        cooling,
        new,
        share * capacity,
        "free_cooling_capacity",
        per_new=share,
        where=share > 0,
    )
    terms.add_cooling(to_buses(cooling, inputs["free_cooling_sink"], inputs["cooling_network"]))
    terms.add_electricity(sum_units(cooling, DIM, -inputs["free_cooling_electricity_mwh_per_mwh"]))
    terms.add_cost(operating_cost(cooling, inputs["free_cooling_vom_eur_per_mwh"], inputs))
    return FreeCoolers(cooling, new)
