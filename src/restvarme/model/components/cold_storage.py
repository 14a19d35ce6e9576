"""Cold storage (chilled water or ice) on a cooling network, cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present

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
    daily = "snapshot_hour" in inputs and "snapshot_duration_h" in inputs
    w = inputs["snapshot_duration_h"] if daily else inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ratio = inputs["cold_storage_charge_mw_per_mwh"]
    handles = {}
    for name, existing, per_new in (
        ("charge", inputs["cold_storage_charge_mw"], ratio),
        ("discharge", inputs["cold_storage_discharge_mw"], ratio),
        ("level", inputs["cold_storage_energy_mwh"], 1.0),
    ):
        var = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, existing, w),
                              name=f"cold_storage_{name}")
        add_capacity_limit(m, inputs, DIM, var, new, existing, f"cold_storage_{name}_capacity",
                           per_new)
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs["cold_storage_standing_loss_per_hour"]) ** w
    if daily:  # the hour before a typical day's first hour is its own last hour
        first = inputs["snapshot_hour"] == 0
        before = keep * (~first) * level.roll(snapshot=1) + keep * first * level.roll(snapshot=-23)
    else:
        before = keep * level.roll(snapshot=1)
    m.add_constraints(
        level
        - before
        - (w * inputs["cold_storage_efficiency_charge"]) * charge
        + (w / inputs["cold_storage_efficiency_discharge"]) * discharge
        == 0,
        name="cold_storage_energy_balance",
    )
    terms.add_cooling(
        to_buses(discharge - charge, inputs["cold_storage_network"], inputs["cooling_network"])
    )
    terms.add_cost(operating_cost(discharge, inputs["cold_storage_vom_eur_per_mwh"], inputs))
    return ColdStores(charge, discharge, level, new)
