"""Biogas upgrading: raw biogas to vehicle gas, with electricity for scrubbing and compression."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import sum_units

DIM = "biogas_upgrading"


@dataclass(frozen=True)
class BiogasUpgraders:
    biogas_mw: linopy.Variable
    """Raw biogas taken [MW], dims (snapshot, biogas_upgrading)."""
    new_capacity_mw: linopy.Variable | None
    """New raw-biogas input capacity of extendable units [MW], dims (biogas_upgrading,)."""


def add_biogas_upgrading(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> BiogasUpgraders | None:
    """Add all upgrading units. With raw biogas in G [MW], efficiency η and electricity e per
    MWh of vehicle gas::

        0 <= G[t,u] <= capacity[u]  (+ new capacity);   raw biogas out of the bus: G
        vehicle gas in: η[u]·G;   electricity out of the grid bus: e[u]·η[u]·G
        cost Σ w·vom·η·G   (vom per MWh of vehicle gas)
    """
    if not present(inputs, DIM):
        return None
    w = inputs["snapshot_weight_h"]
    capacity = inputs[f"{DIM}_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    raw = m.add_variables(lower=0, upper=flow_bound(inputs, DIM, capacity, w), name=f"{DIM}_biogas")
    add_capacity_limit(m, inputs, DIM, raw, new, capacity, f"{DIM}_capacity")
    efficiency = inputs[f"{DIM}_efficiency"]
    terms.add_biogas(sum_units(raw, DIM, -1.0))
    terms.add_vehicle_gas(sum_units(raw, DIM, efficiency))
    use = efficiency * inputs[f"{DIM}_electricity_mwh_per_mwh"]
    terms.add_electricity(sum_units(raw, DIM, -use))
    terms.add_cost(operating_cost(raw, efficiency * inputs[f"{DIM}_vom_eur_per_mwh"], inputs))
    return BiogasUpgraders(raw, new)
