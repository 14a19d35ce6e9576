"""Thermal storage on a heat network (tank or pit), cyclic over the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from restvarme.model.buses import BusTerms, to_buses
from restvarme.model.capacity import add_capacity_limit, add_new_capacity, flow_bound
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import add_constraint, combination

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
    level_day_start_mwh: linopy.Variable | None = None
    """Typical-day runs only: the level at the start of every real day [MWh], dims (day, storage);
    ``level_mwh`` is then the change within the typical day."""


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
    typical = "day_cluster" in inputs
    w = inputs["snapshot_duration_h"] if typical else inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ratio = inputs["storage_charge_mw_per_mwh"]
    handles = {}
    for name, existing, per_new in (
        ("charge", inputs["storage_charge_mw"], ratio),
        ("discharge", inputs["storage_discharge_mw"], ratio),
        ("level", inputs["storage_energy_mwh"], 1.0),
    ):
        if typical and name == "level":  # relative to the start of the day: bounded below
            var = m.add_variables(
                lower=-np.inf, upper=np.inf, coords=handles["charge"].coords, name="storage_level"
            )
        else:
            var = m.add_variables(
                lower=0, upper=flow_bound(inputs, DIM, existing, w), name=f"storage_{name}"
            )
            add_capacity_limit(
                m, inputs, DIM, var, new, existing, f"storage_{name}_capacity", per_new
            )
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs["storage_standing_loss_per_hour"]) ** w
    if typical:  # each typical day starts from 0: no carry-over from the hour before
        keep = keep * (inputs["snapshot_hour"] != 0)
    balance = combination(
        (level, 1.0),
        (level.labels.roll(snapshot=1), -keep),
        (charge, -w * inputs["storage_efficiency_charge"]),
        (discharge, w / inputs["storage_efficiency_discharge"]),
    )
    add_constraint(m, balance, "==", 0, "storage_energy_balance")
    day_start = _link_typical_days(m, inputs, level, new) if typical else None
    net = combination((discharge, 1.0), (charge, -1.0))
    terms.add_heat(to_buses(net, inputs["storage_network"], inputs["network"]))
    terms.add_cost(operating_cost(discharge, inputs["storage_vom_eur_per_mwh"], inputs))
    return Stores(charge, discharge, level, new, day_start)


def _expression(m, vars_, coeffs, coords: dict, dims: tuple) -> linopy.LinearExpression:
    """A linear expression straight from label and coefficient arrays (last axis: terms)."""
    ds = xr.Dataset(
        {"vars": ((*dims, "_term"), vars_), "coeffs": ((*dims, "_term"), coeffs)}, coords=coords
    )
    return linopy.LinearExpression(ds, m)


def _link_typical_days(m, inputs, intra, new) -> linopy.Variable:
    """Seasonal storage over typical days (Kotzur et al. 2018, doi:10.1016/j.apenergy.2018.01.023).

    With S[d] the level at the start of real day d, k(d) its typical day, ΔL[k,h] the change
    within typical day k up to the end of hour h, and κ = 1 - λ the hourly retention::

        S[d+1] = κ^24 · S[d] + ΔL[k(d), 23]                (cyclic over the days)
        low[k] <= ΔL[k, h] <= high[k]                       for every typical hour
        S[d] + high[k(d)] <= E (+ new),  κ^24 · S[d] + low[k(d)] >= 0

    The last two keep the real level κ^(h+1)·S[d] + ΔL[k(d), h] within [0, E] in every hour of
    every real day, conservatively where the store loses heat (Kotzur et al. 2018, section 3.3).
    """
    day = inputs["day"]
    start = m.add_variables(
        lower=0, coords=[inputs.indexes["day"], inputs.indexes[DIM]], name="storage_level_day_start"
    )
    lead = [d for d in intra.labels.dims if d not in ("snapshot", DIM)]
    intra_labels = intra.labels.transpose(*lead, "snapshot", DIM).values
    start_labels = start.labels.transpose("day", DIM).values
    cluster = inputs["day_cluster"].values
    template = intra.labels.isel(snapshot=0, drop=True)
    kappa = (1 - inputs["storage_standing_loss_per_hour"]).broadcast_like(template)
    kappa = kappa.transpose(*lead, DIM).values
    position = cluster[:, None] * 24 + np.arange(24)[None, :]  # (day, hour) -> snapshot
    n_day, n_store = len(cluster), intra_labels.shape[-1]
    n_cluster = int(cluster.max()) + 1
    shape_lead = intra_labels.shape[:-2]
    lead_coords = {d: inputs[d] for d in lead}
    # S[d+1] - κ^24 S[d] - ΔL[k(d), 23] = 0
    nxt = np.roll(np.arange(n_day), -1)
    end = intra_labels[..., position[:, 23], :]  # (..., day, storage)
    s = np.broadcast_to(start_labels, (*shape_lead, n_day, n_store))
    vars_ = np.stack([s[..., nxt, :], s, end], axis=-1)
    k24 = np.broadcast_to(kappa[..., None, :] ** 24, (*shape_lead, n_day, n_store))
    coeffs = np.stack([np.ones_like(k24), -k24, -np.ones_like(k24)], axis=-1)
    link = _expression(
        m, vars_, coeffs, {**lead_coords, "day": day, DIM: inputs[DIM]}, (*lead, "day", DIM)
    )
    m.add_constraints(link == 0, name="storage_day_link")
    # level bounds for every real day, through the extremes of its typical day's change
    # (conservative with losses: κ^(h+1)·S <= S and κ^(h+1)·S >= κ^24·S)
    coords = [inputs.indexes[d] for d in lead] + [
        pd.RangeIndex(n_cluster, name="cluster"),
        inputs.indexes[DIM],
    ]
    high = m.add_variables(lower=-np.inf, coords=coords, name="storage_day_change_max")
    low = m.add_variables(lower=-np.inf, coords=coords, name="storage_day_change_min")
    k_of_hour = inputs["snapshot_cluster"].values
    high_l = high.labels.transpose(*lead, "cluster", DIM).values
    low_l = low.labels.transpose(*lead, "cluster", DIM).values
    hour_coords = {**lead_coords, "snapshot": inputs["snapshot"], DIM: inputs[DIM]}
    hour_dims = (*lead, "snapshot", DIM)
    ones = np.ones(intra_labels.shape)
    for name, bound, sign in (("max", high_l, 1.0), ("min", low_l, -1.0)):
        expr = _expression(
            m,
            np.stack([intra_labels, bound[..., k_of_hour, :]], -1),
            np.stack([sign * ones, -sign * ones], -1),
            hour_coords,
            hour_dims,
        )
        m.add_constraints(expr <= 0, name=f"storage_day_change_{name}")
    day_coords = {**lead_coords, "day": day, DIM: inputs[DIM]}
    day_dims = (*lead, "day", DIM)
    s_day = np.broadcast_to(start_labels, (*shape_lead, n_day, n_store))
    ones = np.ones(s_day.shape)
    top = _expression(
        m,
        np.stack([s_day, high_l[..., cluster, :]], -1),
        np.stack([ones, ones], -1),
        day_coords,
        day_dims,
    )
    bottom = _expression(
        m,
        np.stack([s_day, low_l[..., cluster, :]], -1),
        np.stack([k24, ones], -1),
        day_coords,
        day_dims,
    )
    m.add_constraints(bottom >= 0, name="storage_level_floor")
    capacity = inputs["storage_energy_mwh"]
    if new is not None:
        if "build_period" in new.dims:
            from restvarme.model.capacity import active

            new = (new * active(inputs, DIM)).sum("build_period")
        m.add_constraints(top - new <= capacity, name="storage_level_ceiling")
    else:
        m.add_constraints(top <= capacity, name="storage_level_ceiling")
    return start
