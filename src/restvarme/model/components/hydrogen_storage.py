"""Hydrogen stores (tanks, caverns) on the hydrogen bus, cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present

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
    daily = "snapshot_hour" in inputs and "snapshot_duration_h" in inputs
    w = inputs["snapshot_duration_h"] if daily else inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ratio = inputs[f"{DIM}_charge_mw_per_mwh"]
    handles = {}
    for name, existing, per_new in (
        ("charge", inputs[f"{DIM}_charge_mw"], ratio),
        ("discharge", inputs[f"{DIM}_discharge_mw"], ratio),
        ("level", inputs[f"{DIM}_energy_mwh"], 1.0),
    ):
        var = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, existing, w),
                              name=f"{DIM}_{name}")
        add_capacity_limit(m, inputs, DIM, var, new, existing, f"{DIM}_{name}_capacity", per_new)
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs[f"{DIM}_standing_loss_per_hour"]) ** w
    if daily:  # the hour before a typical day's first hour is its own last hour
        first = inputs["snapshot_hour"] == 0
        before = keep * (~first) * level.roll(snapshot=1) + keep * first * level.roll(snapshot=-23)
    else:
        before = keep * level.roll(snapshot=1)
    m.add_constraints(
        level
        - before
        - (w * inputs[f"{DIM}_efficiency_charge"]) * charge
        + (w / inputs[f"{DIM}_efficiency_discharge"]) * discharge
        == 0,
        name=f"{DIM}_energy_balance",
    )
    terms.add_hydrogen((discharge - charge).sum(DIM))
    terms.add_cost(operating_cost(discharge, inputs[f"{DIM}_vom_eur_per_mwh"], inputs))
    return HydrogenStores(charge, discharge, level, new)
