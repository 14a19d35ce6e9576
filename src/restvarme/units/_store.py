"""One store type for every carrier: heat and cold water, batteries, hydrogen, biogas.

:func:`store_unit` makes the :class:`~restvarme.units.unit_type.UnitType` of a store on one
carrier; the modules ``storage``, ``cold_storage``, ``battery``, ``hydrogen_storage`` and
``biogas_storage`` each declare theirs with it. The equations are the same for all; only the
carrier, the bus and, for heat stores, the seasonal link over typical days differ.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TypedDict

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from restvarme.inputs import tables
from restvarme.inputs.context import UnitInputs
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    STORE,
    CapacityKind,
    active,
    add_capacity_limit,
    add_new_capacity,
    flow_bound,
)
from restvarme.model.linear import Term, add_constraint, add_variables, combination, expression
from restvarme.units._rows import gathered, members
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, Requires, UnitType


class StoreVariables(TypedDict):
    """What :func:`add_store` returns."""

    charge: linopy.Variable
    discharge: linopy.Variable
    level: linopy.Variable
    new: linopy.Variable | None
    day_start: linopy.Variable | None


def add_store(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, dim: str, *, seasonal: bool = False
) -> StoreVariables:
    """Charge C, discharge D and level L of every store of one type, and new capacity.

    With snapshot weight w [h] and standing loss λ per hour::

        0 <= C <= C_max,  0 <= D <= D_max,  0 <= L <= E         (+ new, restvarme.model.capacity)
        L[t] = (1 - λ)^w[t] · L[t-1] + w[t] · (η_c·C[t] - D[t]/η_d)

    t-1 of the first snapshot is the last (cyclic horizon): a store ends the horizon where it
    started, no energy from nowhere. Opt-in, for operation on a rolling horizon
    (:mod:`restvarme.operate`): a store whose input ``<dim>_initial_level_mwh`` is finite starts
    from that level instead (L[-1] = L0, not cyclic), and one whose
    ``<dim>_final_level_min_mwh`` is finite ends the horizon at least that full (L[T-1] >=
    L_end); without these inputs (or where they are NaN) the horizon is cyclic as above (both
    apply to hourly runs only). In typical-day runs (``snapshot_hour`` in the inputs) each
    typical day is cyclic on its own, over hours of ``snapshot_duration_h`` (a daily store),
    unless the store is ``seasonal``: then L is the change within the typical day and the real
    days are linked by :func:`_link_typical_days`. Inputs are named ``<dim>_charge_mw`` etc.

    Returns the variables ``charge``, ``discharge``, ``level``, ``new`` (None unless
    extendable) and ``day_start`` (seasonal typical-day runs only, else None).
    """
    typical = seasonal and "day_cluster" in inputs
    daily = not seasonal and "snapshot_hour" in inputs and "snapshot_duration_h" in inputs
    w = inputs["snapshot_duration_h"] if typical or daily else inputs["snapshot_weight_h"]
    new = add_new_capacity(m, inputs, terms, dim)
    ratio = inputs[f"{dim}_charge_mw_per_mwh"]
    handles: dict[str, linopy.Variable] = {}
    for name, existing, per_new in (
        ("charge", inputs[f"{dim}_charge_mw"], ratio),
        ("discharge", inputs[f"{dim}_discharge_mw"], ratio),
        ("level", inputs[f"{dim}_energy_mwh"], 1.0),
    ):
        if typical and name == "level":  # relative to the start of the day: bounded below
            var = add_variables(
                m, lower=-np.inf, upper=np.inf, coords=handles["charge"].coords, name=f"{dim}_level"
            )
        else:
            var = add_variables(
                m, lower=0, upper=flow_bound(inputs, dim, existing, w), name=f"{dim}_{name}"
            )
            add_capacity_limit(
                m, inputs, dim, var, new, existing, f"{dim}_{name}_capacity", per_new
            )
        handles[name] = var
    charge, discharge, level = handles["charge"], handles["discharge"], handles["level"]
    keep = (1 - inputs[f"{dim}_standing_loss_per_hour"]) ** w
    rhs: xr.DataArray | float = 0.0
    if typical:  # each typical day starts from 0: no carry-over from the hour before
        before = [(level.labels.roll(snapshot=1), -keep * (inputs["snapshot_hour"] != 0))]
    elif daily:  # the hour before a typical day's first hour is its own last hour
        first = inputs["snapshot_hour"] == 0
        before = [
            (level.labels.roll(snapshot=1), -keep * (~first)),
            (level.labels.roll(snapshot=-23), -keep * first),
        ]
    else:
        start, rhs = _initial_level(inputs, dim, keep)
        before = [(level.labels.roll(snapshot=1), -keep if start is None else -keep * ~start)]
    balance = combination(
        (level, 1.0),
        *before,
        (charge, -w * inputs[f"{dim}_efficiency_charge"]),
        (discharge, w / inputs[f"{dim}_efficiency_discharge"]),
    )
    add_constraint(m, balance, "==", rhs, f"{dim}_energy_balance")
    if not (typical or daily):
        _add_final_level(m, inputs, level, dim)
    day_start = _link_typical_days(m, inputs, level, new, dim) if typical else None
    return StoreVariables(
        charge=charge, discharge=discharge, level=level, new=new, day_start=day_start
    )


def _initial_level(
    inputs: xr.Dataset, dim: str, keep: xr.DataArray
) -> tuple[xr.DataArray | None, xr.DataArray | float]:
    """Where the level balance starts from a given level: the mask of (first snapshot, store
    with a finite ``<dim>_initial_level_mwh``), and the right-hand side κ^w·L0 it puts there
    (0 elsewhere). Without the input: (None, 0), every store cyclic."""
    name = f"{dim}_initial_level_mwh"
    if name not in inputs:
        return None, 0.0
    first = xr.DataArray(
        np.arange(inputs.sizes["snapshot"]) == 0, coords={"snapshot": inputs["snapshot"]}
    )
    initial = inputs[name]
    start = first & np.isfinite(initial)
    return start, (keep * initial.fillna(0.0)).where(start, 0.0)


def _add_final_level(m: linopy.Model, inputs: xr.Dataset, level: linopy.Variable, dim: str) -> None:
    """L[T-1] >= ``<dim>_final_level_min_mwh`` for the stores where that input is finite."""
    name = f"{dim}_final_level_min_mwh"
    if name not in inputs:
        return
    final = inputs[name]
    given = final[dim].values[np.isfinite(final.values)]
    if len(given):
        last = level.labels.isel(snapshot=-1).sel({dim: given})
        dims = last.dims
        lhs = expression(
            xr.Dataset(
                {
                    "vars": ((*dims, "_term"), last.values[..., None]),
                    "coeffs": ((*dims, "_term"), np.ones((*last.shape, 1))),
                    "const": (dims, np.zeros(last.shape)),
                },
                coords=last.coords,
            ),
            m,
        )
        add_constraint(m, lhs, ">=", final.sel({dim: given}), f"{dim}_final_level")


HEAT_STORE_DIMS: list[str] = []
"""The dimension of the store type on heat networks (``storage``), set by :func:`store_unit`:
rows counting the water heated at a network's plant read its stores' net charge
(:func:`plant_store_charge`)."""


def plant_store_charge(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, where: xr.DataArray
) -> linopy.Variable | None:
    """S[t,n] [MW]: the net charge of the heat stores on network n, where ``where`` (dims as
    the rows that need it, with ``network``) is true and n has a heat store; None if nowhere.

    A heat store at a network's plant holds supply water (T_s) above return water (T_r): when
    it charges, the plant heats more water than the network takes, when it discharges less.
    Rows that limit what the plant's return water can take (the heat pumps' return flow and
    the preheat cascade, :func:`restvarme.units.heat_pump.add_levels`) then count the flow
    (load + S) / (T_s - T_r) [MW/K], with::

        S[t,n] = Σ_{stores s on n} (C[t,s] - D[t,s])        (heat_store_net_charge, linear)

    S is a free variable here; the heat stores' builder, built after the heat pumps (registry
    order), adds the equation (:func:`_define_plant_store_charge`). Called once per model."""
    if not HEAT_STORE_DIMS or terms.plant_store_charge is not None:
        return terms.plant_store_charge
    dim = HEAT_STORE_DIMS[0]
    if inputs.sizes.get(dim, 0) == 0 or f"{dim}_network" not in inputs:
        return None
    has_store = inputs["network"].isin(inputs[f"{dim}_network"].values)
    mask = where & has_store
    if not bool(mask.any()):
        return None
    coords = [mask.indexes[d] for d in mask.dims]
    stored = add_variables(
        m, lower=-np.inf, upper=np.inf, coords=coords, name="heat_store_net_charge", mask=mask
    )
    terms.plant_store_charge = stored
    return stored


def _define_plant_store_charge(
    m: linopy.Model,
    inputs: xr.Dataset,
    terms: BusTerms,
    dim: str,
    charge: linopy.Variable,
    discharge: linopy.Variable,
) -> None:
    """S[t,n] - Σ_{s on n} (C[t,s] - D[t,s]) = 0 where S exists (:func:`plant_store_charge`);
    each network's row holds its own stores only (:mod:`restvarme.units._rows`)."""
    stored = terms.plant_store_charge
    if stored is None:
        return
    labels = stored.labels
    lead = labels.isel(network=0, drop=True)
    networks = labels.indexes["network"]

    def over(var: linopy.Variable) -> np.ndarray:
        return var.labels.broadcast_like(lead).transpose(*lead.dims, dim).values

    on = members(networks.get_indexer(inputs[f"{dim}_network"].values), len(networks))
    own = np.arange(len(networks))[:, None]
    parts = [(labels.transpose(*lead.dims, "network").values, own, 1.0)]
    parts += [(over(charge), on, -1.0), (over(discharge), on, 1.0)]
    coords = {**{d: lead.indexes[d] for d in lead.dims}, "network": networks}
    net = gathered(m, (*lead.dims, "network"), coords, parts, order=list(labels.dims))
    add_constraint(m, net, "==", 0.0, "heat_store_net_charge_definition", mask=labels != -1)


NETWORK_CARRIERS = {"heat": "network", "cooling": "cooling_network"}
"""Carriers with several buses: a store on one names its network in ``network`` (what it must
name, :class:`~restvarme.units.unit_type.Reference`)."""
SECTION_CARRIERS = ("hydrogen", "biogas")
"""Carriers whose bus is a scenario section: a store on one needs the section."""


def store_unit(
    dim: str,
    carrier: str,
    spec: type,
    label: str,
    colour: str,
    *,
    seasonal: bool = False,
    labels: tuple[str, ...] = (),
    order: int = 1000,
) -> UnitType:
    """The unit type of stores on ``carrier`` (``heat`` and ``cooling`` stores name their
    network in ``<dim>_network``; the other carriers have one bus)::

        into the bus: D[t] - C[t];  cost Σ w·vom·D  (variable O&M per MWh discharged)

    Its inputs are :func:`restvarme.inputs.tables.store_params`, the network of a heat or cold
    store, and the text attributes named in ``labels`` (as ``<dim>_<attr>``). A heat or cold
    store's ``network`` must name a network of its carrier; a hydrogen or biogas store needs
    the scenario's section of that name (its bus).
    """

    def inputs(ctx: UnitInputs, units: list) -> dict[str, xr.DataArray]:
        out = tables.store_params(units, dim)
        for attr in (("network",) if carrier in NETWORK_CARRIERS else ()) + labels:
            out[f"{dim}_{attr}"] = tables.labels(units, dim, attr)
        return out

    def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
        v = add_store(m, inputs, terms, dim, seasonal=seasonal)
        charge, discharge, level = v["charge"], v["discharge"], v["level"]
        if carrier == "heat":
            _define_plant_store_charge(m, inputs, terms, dim, charge, discharge)
        net = combination((discharge, 1.0), (charge, -1.0))
        results: dict[str, Term | Callable[..., xr.DataArray]] = {
            f"{dim}_charge_mw": charge,
            f"{dim}_discharge_mw": discharge,
            f"{dim}_charge_mwh": _annual(charge),
            f"{dim}_discharge_mwh": _annual(discharge),
        }
        day_start = v["day_start"]
        if day_start is None:
            results[f"{dim}_level_mwh"] = level
        else:
            results[f"{dim}_level_mwh"] = lambda pick, x: _typical_day_levels(
                x, pick(level.solution), pick(day_start.solution), dim
            )
            results[f"{dim}_level_day_start_mwh"] = day_start
        return Ports(
            dim,
            flows={carrier: Flow(net)},
            buses={carrier: inputs[f"{dim}_network"]} if carrier in NETWORK_CARRIERS else {},
            costs=(Cost("variable_om", Flow(discharge, inputs[f"{dim}_vom_eur_per_mwh"])),),
            new_capacity=v["new"],
            results=results,
            handles=v,
        )

    build.__doc__ = f"Add all {label.lower()} units: :func:`add_store` on the {carrier} bus." + (
        " Where rows count the water heated at a network's plant, the stores' net charge on it "
        "(:func:`plant_store_charge`)."
        if carrier == "heat"
        else ""
    )
    if carrier == "heat":
        if HEAT_STORE_DIMS and HEAT_STORE_DIMS != [dim]:
            raise ValueError(
                f"store type {dim!r}: {HEAT_STORE_DIMS[0]!r} is already the heat store type; "
                "plant_store_charge sums one type's stores"
            )
        HEAT_STORE_DIMS[:] = [dim]
    return UnitType(
        name=dim,
        specs=(spec,),
        build=build,
        capacity=CapacityKind(STORE, stored=True),
        label=label,
        colour=colour,
        order=order,
        inputs=inputs,
        references=(
            (Reference("network", NETWORK_CARRIERS[carrier]),)
            if carrier in NETWORK_CARRIERS
            else ()
        ),
        requires=(Requires(carrier),) if carrier in SECTION_CARRIERS else (),
    )


def _typical_day_levels(
    x: xr.Dataset, change: xr.DataArray, start: xr.DataArray, dim: str
) -> xr.DataArray:
    """Absolute store levels in seasonal typical-day runs [MWh]: on each typical hour, the level
    on the real day the typical day is (its medoid), S[d]·κ^(h+1) + ΔL[k,h]."""
    medoid = x["cluster_medoid_day"].values[x["snapshot_cluster"].values]
    start_on = start.isel(day=xr.DataArray(medoid, dims="snapshot")).drop_vars("day")
    kappa = 1 - x[f"{dim}_standing_loss_per_hour"]
    level = start_on.assign_coords(snapshot=x["snapshot"]) * kappa ** (x["snapshot_hour"] + 1)
    return level + change


def _expression(
    m: linopy.Model,
    vars_: np.ndarray,
    coeffs: np.ndarray,
    coords: Mapping[Hashable, xr.DataArray],
    dims: tuple[Hashable, ...],
) -> linopy.LinearExpression:
    """A linear expression straight from label and coefficient arrays (last axis: terms)."""
    ds = xr.Dataset(
        {"vars": ((*dims, "_term"), vars_), "coeffs": ((*dims, "_term"), coeffs)}, coords=coords
    )
    return linopy.LinearExpression(ds, m)


def _link_typical_days(
    m: linopy.Model,
    inputs: xr.Dataset,
    intra: linopy.Variable,
    new: Term | None,
    dim: str,
) -> linopy.Variable:
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
    start = add_variables(
        m,
        lower=0,
        coords=[inputs.indexes["day"], inputs.indexes[dim]],
        name=f"{dim}_level_day_start",
    )
    lead = [d for d in intra.labels.dims if d not in ("snapshot", dim)]
    intra_labels = intra.labels.transpose(*lead, "snapshot", dim).values
    start_labels = start.labels.transpose("day", dim).values
    cluster = inputs["day_cluster"].values
    template = intra.labels.isel(snapshot=0, drop=True)
    kappa = (
        (1 - inputs[f"{dim}_standing_loss_per_hour"])
        .broadcast_like(template)
        .transpose(*lead, dim)
        .values
    )
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
        m, vars_, coeffs, {**lead_coords, "day": day, dim: inputs[dim]}, (*lead, "day", dim)
    )
    m.add_constraints(link == 0, name=f"{dim}_day_link")
    # level bounds for every real day, through the extremes of its typical day's change
    # (conservative with losses: κ^(h+1)·S <= S and κ^(h+1)·S >= κ^24·S)
    coords = [inputs.indexes[d] for d in lead] + [
        pd.RangeIndex(n_cluster, name="cluster"),
        inputs.indexes[dim],
    ]
    high = add_variables(m, lower=-np.inf, coords=coords, name=f"{dim}_day_change_max")
    low = add_variables(m, lower=-np.inf, coords=coords, name=f"{dim}_day_change_min")
    k_of_hour = inputs["snapshot_cluster"].values
    high_l = high.labels.transpose(*lead, "cluster", dim).values
    low_l = low.labels.transpose(*lead, "cluster", dim).values
    hour_coords = {**lead_coords, "snapshot": inputs["snapshot"], dim: inputs[dim]}
    hour_dims = (*lead, "snapshot", dim)
    ones = np.ones(intra_labels.shape)
    for name, bound, sign in (("max", high_l, 1.0), ("min", low_l, -1.0)):
        expr = _expression(
            m,
            np.stack([intra_labels, bound[..., k_of_hour, :]], -1),
            np.stack([sign * ones, -sign * ones], -1),
            hour_coords,
            hour_dims,
        )
        m.add_constraints(expr <= 0, name=f"{dim}_day_change_{name}")
    day_coords = {**lead_coords, "day": day, dim: inputs[dim]}
    day_dims = (*lead, "day", dim)
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
    m.add_constraints(bottom >= 0, name=f"{dim}_level_floor")
    capacity = inputs[f"{dim}_energy_mwh"]
    if new is not None:
        if "build_period" in new.dims:
            new = (new * active(inputs, dim)).sum("build_period")
        m.add_constraints(top - new <= capacity, name=f"{dim}_level_ceiling")
    else:
        m.add_constraints(top <= capacity, name=f"{dim}_level_ceiling")
    return start


def _annual(var: linopy.Variable) -> Callable[..., xr.DataArray]:
    """A store's hourly flow [MW] as its total over the horizon [MWh], for the results."""

    def total(pick: Callable[[xr.DataArray], xr.DataArray], x: xr.Dataset) -> xr.DataArray:
        return (pick(var.solution) * x["snapshot_weight_h"]).sum("snapshot")

    return total
