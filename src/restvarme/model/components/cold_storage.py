"""Cold storage (chilled water or ice) on a cooling network, cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.components._common import operating_cost, present
from restvarme.model.components._store import add_store

DIM = "cold_storage"


@dataclass(frozen=True)
class ColdStores:
    charge_mw: linopy.Variable
    """Cooling taken from the network into the store [MW], dims (snapshot, cold_storage)."""
    discharge_mw: linopy.Variable
    """Cooling given back to the network [MW], dims (snapshot, cold_storage)."""
    level_mwh: linopy.Variable
    """Cold stored at the end of each snapshot [MWh], dims (snapshot, cold_storage)."""
    new_capacity_mwh: linopy.Variable | None
    """New energy capacity of extendable stores [MWh]; charge and discharge power grow with it
    by ``charge_mw_per_mwh``."""


def add_cold_storage(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> ColdStores | None:
    """Add all cold stores: the balance of :func:`restvarme.model.components.storage.add_storage`
    on a cooling network.

    With charge C, discharge D, level L, snapshot weight w [h] and standing loss λ per hour::

        0 <= C <= C_max,  0 <= D <= D_max,  0 <= L <= E
        L[t] = (1 - λ)^w[t] · L[t-1] + w[t] · (η_c·C[t] - D[t]/η_d)     (t-1 of the first
                                                                         snapshot is the last)
        cooling into the network: D[t] - C[t];  cost Σ w·vom·D

    Ice stores are daily stores; their lower evaporating temperature while charging can be
    represented by ``efficiency_charge`` < 1. In typical-day runs (``snapshot_hour`` in the
    inputs) each typical day is cyclic on its own, over hours of ``snapshot_duration_h``.
    """
    if not present(inputs, DIM):
        return None
    charge, discharge, level, new = add_store(m, inputs, terms, DIM)
    terms.add_cooling(
        to_buses(discharge - charge, inputs["cold_storage_network"], inputs["cooling_network"])
    )
    terms.add_cost(operating_cost(discharge, inputs["cold_storage_vom_eur_per_mwh"], inputs))
    return ColdStores(charge, discharge, level, new)
