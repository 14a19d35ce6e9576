"""Free cooling from a cold ambient source (sea, lake, ground, air) through a heat exchanger."""

from __future__ import annotations

from typing import Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import columns, labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import (
    MW,
    CapacityKind,
    add_capacity_limit,
    add_new_capacity,
    static,
)
from restvarme.model.linear import add_variables
from restvarme.physics.cooling import free_cooling_share
from restvarme.scenario.base import NonNegative, Series, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class FreeCooling(_Unit):
    """Free cooling from a cold ambient source (sea, lake, ground or air) through a heat exchanger
    that pre-cools the cooling network's return: the whole load in the hours the source is at
    least ``approach_k`` colder than the supply, a share of it while the source is colder than
    the return less the approach (:func:`restvarme.physics.cooling.free_cooling_share`)."""

    type: Literal["free_cooling"]
    source: str = Field(description="An ambient source or 'air'.")
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    available_mw: Series | None = Field(
        None, description="Cooling the source can give each hour [MW]; default: unlimited."
    )
    approach_k: NonNegative = Field(
        2.0, description="Closest approach: the water leaves this much warmer than the source [K]."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.02, description="Pumping electricity per MWh of cooling [MWh/MWh]."
    )


DIM = "free_cooling"


def inputs(ctx: UnitInputs, units: list[FreeCooling]) -> dict[str, xr.DataArray]:
    """Per hour: whether free cooling works at all (share 1, else 0; a share of the hours once
    snapshots are merged into blocks), the cooling it can give [MW] and, per cooling network,
    the most its return can be pre-cooled by all free cooling together [MW]; unit parameters.

    With s[t,f] = :func:`restvarme.physics.cooling.free_cooling_share` of the source, the sink's
    supply and return and ``approach_k``, and L[t,n] the sink's load (demand plus pipe heat
    gains), unit f can give min(A[t,f], s[t,f] · L[t,n]) (A: ``available_mw``, default
    unlimited) in hours with s < 1, and A[t,f] where s = 1 (the source then cools the water all
    the way to the supply temperature, whatever flows through the plant, a cold store's charging
    included); the network's return takes at most max_f s[t,f] · L[t,n] from all its free
    cooling units together (the coldest source sets how far the return can be pre-cooled;
    unlimited where one source reaches s = 1). In hours with 0 < s < 1 the limit is on the load
    alone: a cold store's charging flow is not pre-cooled.
    """
    nets = ctx.cooling_networks
    supply, ret = nets["cooling_supply_temperature_c"], nets["cooling_return_temperature_c"]
    load = nets["cooling_demand_mw"]
    shares, available = [], []
    joint = {n: np.zeros(len(ctx.index)) for n in load["cooling_network"].values}
    for u in units:
        sink = {"cooling_network": u.sink}
        share = free_cooling_share(
            ctx.source_temperature_c(u.source),
            supply.sel(sink).to_numpy(),
            ret.sel(sink).to_numpy(),
            u.approach_k,
        )
        # a source that cools the water to the supply temperature takes any flow, stores'
        # charging included (no limit but capacity, as before); a warmer one a share of the load
        precool_mw = np.where(share >= 1.0, np.inf, share * load.sel(sink).to_numpy())
        joint[u.sink] = np.maximum(joint[u.sink], precool_mw)
        shares.append((share > 0).astype(float))
        mw = (
            np.full(len(ctx.index), np.inf)
            if u.available_mw is None
            else ctx.read(u.available_mw, "units", ctx.position(u), "available_mw", minimum=0.0)
        )
        available.append(np.minimum(mw, precool_mw))
    names = [u.name for u in units]
    return {
        "free_cooling_share": columns(shares, ctx.index, names, DIM, "-"),
        "free_cooling_available_mw": columns(available, ctx.index, names, DIM, "MW"),
        "free_cooling_network_limit_mw": columns(
            list(joint.values()), ctx.index, list(joint), "cooling_network", "MW"
        ),
        "free_cooling_electricity_mwh_per_mwh": parameter(
            units, DIM, "electricity_mwh_per_mwh", "MWh/MWh"
        ),
        "free_cooling_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "free_cooling_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "free_cooling_sink": labels(units, DIM, "sink"),
        "free_cooling_source": labels(units, DIM, "source"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all free-cooling units.

    With h[t,f] = 1 in the hours the source can pre-cool the sink's return at all (0 otherwise;
    the share of such hours in a merged block), A[t,f] the cooling it can give then (its
    pre-cooling share of the load, and ``available_mw``) and P[t,n] the most network n's return
    can be pre-cooled (see :func:`inputs`)::

        0 <= F[t,f] <= min(A[t,f], h[t,f] · capacity[f])     (capacity + new if extendable)
        Σ_{f: sink n} F[t,f] <= P[t,n]     (networks with more than one free-cooling unit,
                                            hours with a finite P)
        electricity in  e[f] · F[t,f]   (pumps);  cooling into network n: F[t,f]
        cost Σ w[t] · vom[f] · F[t,f]
    """
    share, capacity = inputs["free_cooling_share"], inputs["free_cooling_capacity_mw"]
    available = inputs["free_cooling_available_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    by_capacity = xr.where(ext & (share > 0), np.inf, share * capacity)
    cooling = add_variables(
        m, lower=0, upper=np.minimum(available, by_capacity), name="free_cooling_cooling"
    )
    add_capacity_limit(
        m,
        inputs,
        DIM,
        cooling,
        new,
        share * capacity,
        "free_cooling_capacity",
        per_new=share,
        where=share > 0,
    )
    sink = inputs["free_cooling_sink"]
    shared = [n for n in np.unique(sink.values) if int((sink == n).sum()) > 1]
    if shared:
        nets = xr.DataArray(shared, coords={"cooling_network": shared}, dims="cooling_network")
        member = (sink == nets).astype(float)
        limit = inputs["free_cooling_network_limit_mw"].sel(cooling_network=shared)
        m.add_constraints(
            (cooling * member).sum(DIM) <= limit.where(np.isfinite(limit), 0.0),
            name="free_cooling_network_limit",
            mask=np.isfinite(limit),
        )
    return Ports(
        DIM,
        flows={
            "cooling": Flow(cooling),
            "electricity": Flow(cooling, -inputs["free_cooling_electricity_mwh_per_mwh"]),
        },
        buses={"cooling": inputs["free_cooling_sink"]},
        costs=(Cost("variable_om", Flow(cooling, inputs["free_cooling_vom_eur_per_mwh"])),),
        new_capacity=new,
        handles={"cooling_mw": cooling},
    )


UNIT = UnitType(
    name=DIM,
    order=80,
    specs=(FreeCooling,),
    build=build,
    capacity=CapacityKind(MW),
    label="Free cooling",
    colour="#48c9b0",
    inputs=inputs,
    references=(
        Reference("sink", "cooling_network"),
        Reference("source", "ambient"),
    ),
)
