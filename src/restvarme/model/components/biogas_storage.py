"""Raw-biogas stores (gas holders) on the biogas bus, cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.components._common import operating_cost, present
from restvarme.model.components._store import add_store
from restvarme.model.linear import combination, sum_units

DIM = "biogas_storage"


@dataclass(frozen=True)
class BiogasStores:
    charge_mw: linopy.Variable
    """Biogas taken from the bus into the store [MW], dims (snapshot, biogas_storage)."""
    discharge_mw: linopy.Variable
    """Biogas given back to the bus [MW], dims (snapshot, biogas_storage)."""
    level_mwh: linopy.Variable
    """Biogas stored at the end of each snapshot [MWh], dims (snapshot, biogas_storage)."""
    new_capacity_mwh: linopy.Variable | None
    """New energy capacity of extendable stores [MWh]."""


def add_biogas_storage(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> BiogasStores | None:
    """Add all biogas stores: the balance of :func:`restvarme.model.components._store.add_store`
    on the raw-biogas bus (daily cycles in typical-day runs)::

        biogas into the bus: D[t] - C[t];  cost Σ w·vom·D
    """
    if not present(inputs, DIM):
        return None
    charge, discharge, level, new = add_store(m, inputs, terms, DIM)
    terms.add_biogas(sum_units(combination((discharge, 1.0), (charge, -1.0)), DIM))
    terms.add_cost(operating_cost(discharge, inputs[f"{DIM}_vom_eur_per_mwh"], inputs))
    return BiogasStores(charge, discharge, level, new)
