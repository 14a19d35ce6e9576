"""Free cooling from a cold ambient source (sea, lake, ground, air) through a heat exchanger."""

from __future__ import annotations

from typing import Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field

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
from restvarme.units.unit_type import UnitType


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
)
