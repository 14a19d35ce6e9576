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
from restvarme.scenario.base import NonNegative, Series, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class FreeCooling(_Unit):
    """Free cooling from a cold ambient source (sea, lake, ground or air) through a heat exchanger,
    in the hours the source is at least ``approach_k`` colder than the cooling supply."""

    type: Literal["free_cooling"]
    source: str = Field(description="An ambient source or 'air'.")
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    available_mw: Series | None = Field(
        None, description="Cooling the source can give each hour [MW]; default: unlimited."
    )
    approach_k: NonNegative = Field(
        2.0, description="The source must be this much colder than the supply [K]."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.02, description="Pumping electricity per MWh of cooling [MWh/MWh]."
    )


DIM = "free_cooling"


def inputs(ctx: UnitInputs, units: list[FreeCooling]) -> dict[str, xr.DataArray]:
    """Hours the source is cold enough (share 1, else 0; a share of the hours once snapshots are
    merged into blocks) and the cooling it can give then [MW], and unit parameters."""
    supply = ctx.cooling_networks["cooling_supply_temperature_c"]
    shares, available = [], []
    for u in units:
        cold = (
            ctx.source_temperature_c(u.source)
            <= supply.sel(cooling_network=u.sink).to_numpy() - u.approach_k
        )
        shares.append(cold.astype(float))
        mw = (
            np.full(len(ctx.index), np.inf)
            if u.available_mw is None
            else ctx.read(u.available_mw, "units", ctx.position(u), "available_mw", minimum=0.0)
        )
        available.append(np.where(cold, mw, 0.0))
    names = [u.name for u in units]
    return {
        "free_cooling_share": columns(shares, ctx.index, names, DIM, "-"),
        "free_cooling_available_mw": columns(available, ctx.index, names, DIM, "MW"),
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

    With s[t,f] = 1 in the hours the source is at least the approach colder than the cooling
    supply (0 otherwise; the share of such hours in a merged block) and A[t,f] the cooling the
    source can give then (unlimited if not stated)::

        0 <= F[t,f] <= min(A[t,f], s[t,f] · capacity[f])     (capacity + new if extendable)
        electricity in  e[f] · F[t,f]   (pumps);  cooling into network n: F[t,f]
        cost Σ w[t] · vom[f] · F[t,f]
    """
    share, capacity = inputs["free_cooling_share"], inputs["free_cooling_capacity_mw"]
    available = inputs["free_cooling_available_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    by_capacity = xr.where(ext & (share > 0), np.inf, share * capacity)
    cooling = m.add_variables(
        lower=0, upper=np.minimum(available, by_capacity), name="free_cooling_cooling"
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
