"""Electric compression chillers serving a cooling network."""

from __future__ import annotations

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.scenario import schema as s
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import UnitType

DIM = "chiller"


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
    cooling = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, eer), name="chiller_cooling"
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
    specs=(s.Chiller,),
    build=build,
    capacity=CapacityKind(MW),
    label="Chiller",
    colour="#2e86c1",
)
