"""Electric compression chillers serving a cooling network."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "chiller"


@dataclass(frozen=True)
class Chillers:
    cooling_mw: linopy.Variable
    """Cooling delivered to the network [MW], dims (snapshot, chiller)."""
    new_capacity_mw: linopy.Variable | None
    """New cooling capacity of extendable chillers [MW], dims (chiller,)."""


def add_chillers(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Chillers | None:
    """Add all compression chillers.

    With cooling output C[t,c] and the hourly EER[t,c] from :func:`restvarme.physics.cop.
    chiller_eer` (evaporating below the cooling supply, condensing above air or an ambient
    source)::

        0 <= C[t,c] <= capacity[c]          (+ new capacity, see restvarme.model.capacity)
        electricity in   P[t,c] = C[t,c] / EER[t,c]
        cooling into network n: C[t,c];  cost Σ w[t] · vom[c] · C[t,c]

    The heat rejected at the condenser, C + P, goes to the ambient medium and is not modelled.
    """
    if not present(inputs, DIM):
        return None
    eer, capacity = inputs["chiller_eer"], inputs["chiller_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    cooling = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, eer), name="chiller_cooling"
    )
    add_capacity_limit(m, inputs, DIM, cooling, new, capacity, "chiller_capacity")
    terms.add_cooling(to_buses(cooling, inputs["chiller_sink"], inputs["cooling_network"]))
    terms.add_electricity(sum_units(cooling, DIM, -1 / eer))
    terms.add_cost(operating_cost(cooling, inputs["chiller_vom_eur_per_mwh"], inputs))
    return Chillers(cooling, new)
