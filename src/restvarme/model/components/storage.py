"""Thermal storage on a heat network (tank or pit), cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present

DIM = "storage"


@dataclass(frozen=True)
class Stores:
    charge_mw: linopy.Variable
    discharge_mw: linopy.Variable
    level_mwh: linopy.Variable
    """Energy stored at the end of each snapshot [MWh], dims (snapshot, storage)."""
    new_capacity_mwh: linopy.Variable | None
    """New energy capacity of extendable stores [MWh]; charge and discharge power grow with it
    by ``charge_mw_per_mwh``."""


def add_storage(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Stores | None:
    """Add all thermal stores.

    With charge C, discharge D, level L, snapshot weight w [h] and standing loss λ per hour::

        0 <= C <= C_max,  0 <= D <= D_max,  0 <= L <= E
        L[t] = (1 - λ)^w[t] · L[t-1] + w[t] · (η_c·C[t] - D[t]/η_d)     (t-1 of the first
                                                                         snapshot is the last)
        heat into the network: D[t] - C[t];  cost Σ w·vom·D

    The cyclic condition means the store ends the horizon where it started: no energy from
    nowhere.
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ratio = inputs["storage_charge_mw_per_mwh"]
    handles = {}
    for name, existing, per_new in (
        ("charge", inputs["storage_charge_mw"], ratio),
        ("discharge", inputs["storage_discharge_mw"], ratio),
        ("level", inputs["storage_energy_mwh"], 1.0),
    ):
        var = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, existing, w),
                              name=f"storage_{name}")
        add_capacity_limit(m, inputs, DIM, var, new, existing, f"storage_{name}_capacity", per_new)
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs["storage_standing_loss_per_hour"]) ** w
    m.add_constraints(
        level
        - keep * level.roll(snapshot=1)
        - (w * inputs["storage_efficiency_charge"]) * charge
        + (w / inputs["storage_efficiency_discharge"]) * discharge
        == 0,
        name="storage_energy_balance",
    )
    terms.add_heat(to_buses(discharge - charge, inputs["storage_network"], inputs["network"]))
    terms.add_cost(operating_cost(discharge, inputs["storage_vom_eur_per_mwh"], inputs))
    return Stores(charge, discharge, level, new)
