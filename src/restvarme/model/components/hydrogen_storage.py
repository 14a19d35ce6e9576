"""Hydrogen stores (tanks, caverns) on the hydrogen bus, cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.components._common import operating_cost, present
from restvarme.model.components._store import add_store
from restvarme.model.linear import combination, sum_units

DIM = "hydrogen_storage"


@dataclass(frozen=True)
class HydrogenStores:
    charge_mw: linopy.Variable
    """Hydrogen taken from the bus into the store [MW], dims (snapshot, hydrogen_storage)."""
    discharge_mw: linopy.Variable
    """Hydrogen given back to the bus [MW], dims (snapshot, hydrogen_storage)."""
    level_mwh: linopy.Variable
    """Hydrogen stored at the end of each snapshot [MWh], dims (snapshot, hydrogen_storage)."""
    new_capacity_mwh: linopy.Variable | None
    """New energy capacity of extendable stores [MWh]; charge and discharge power grow with it
    by ``charge_mw_per_mwh``."""


def add_hydrogen_storage(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> HydrogenStores | None:
    """Add all hydrogen stores: the balance of
    :func:`restvarme.model.components.cold_storage.add_cold_storage` on the hydrogen bus::

        0 <= C <= C_max,  0 <= D <= D_max,  0 <= L <= E
        L[t] = (1 - λ)^w[t] · L[t-1] + w[t] · (η_c·C[t] - D[t]/η_d)     (t-1 of the first
                                                                         snapshot is the last)
        hydrogen into the bus: D[t] - C[t];  cost Σ w·vom·D

    In typical-day runs each typical day is cyclic on its own (a daily store).
    """
    if not present(inputs, DIM):
        return None
    charge, discharge, level, new = add_store(m, inputs, terms, DIM)
    terms.add_hydrogen(sum_units(combination((discharge, 1.0), (charge, -1.0)), DIM))
    terms.add_cost(operating_cost(discharge, inputs[f"{DIM}_vom_eur_per_mwh"], inputs))
    return HydrogenStores(charge, discharge, level, new)
