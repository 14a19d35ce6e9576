"""Absorption chillers driven by network heat or waste heat."""

from __future__ import annotations

from typing import Annotated, Literal

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
from restvarme.scenario.base import NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class AbsorptionChiller(_Unit):
    """Absorption chiller driven by heat from a heat network or a waste-heat source."""

    type: Literal["absorption_chiller"]
    source: str = Field(description="Heat network or waste_heat source that drives it.")
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    thermal_cop: Annotated[float, Field(gt=0, le=2)] = Field(
        0.7, description="Cooling per driving heat [-] (single effect about 0.7)."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.01, description="Electricity (pumps) per MWh of cooling [MWh/MWh]."
    )
    min_driving_temperature_c: float | None = Field(
        None, description="No cooling in hours the driving heat is colder than this [°C]."
    )


DIM = "absorption_chiller"


def inputs(ctx: UnitInputs, units: list[AbsorptionChiller]) -> dict[str, xr.DataArray]:
    """Hours the driving heat is hot enough (share 1, else 0; a share of the hours once snapshots
    are merged into blocks), and unit parameters. The driving temperature is the supply
    temperature of a heat network, or the temperature of a waste-heat source."""
    shares = []
    for u in units:
        if u.source in ctx.scenario.networks:
            driving = ctx.networks["supply_temperature_c"].sel(network=u.source).to_numpy()
        else:
            driving = ctx.waste_temperature_c.sel(waste_source=u.source).to_numpy()
        low = u.min_driving_temperature_c
        shares.append(np.ones(len(ctx.index)) if low is None else (driving >= low).astype(float))
    return {
        "absorption_chiller_share": columns(shares, ctx.index, [u.name for u in units], DIM, "-"),
        "absorption_chiller_thermal_cop": parameter(units, DIM, "thermal_cop", "-"),
        "absorption_chiller_electricity_mwh_per_mwh": parameter(
            units, DIM, "electricity_mwh_per_mwh", "MWh/MWh"
        ),
        "absorption_chiller_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "absorption_chiller_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "absorption_chiller_sink": labels(units, DIM, "sink"),
        "absorption_chiller_source": labels(units, DIM, "source"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all absorption chillers.

    With cooling output C[t,a], thermal COP ζ[a], s[t,a] = 1 in the hours the driving heat is hot
    enough (0 otherwise; the share of such hours in a merged block)::

        0 <= C[t,a] <= s[t,a] · capacity[a]        (capacity + new if extendable)
        driving heat  H[t,a] = C[t,a] / ζ[a]       taken from heat network n (a consumer in its
                                                   heat balance) or drawn from waste-heat source s
        electricity in  e[a] · C[t,a];  cooling into network k: C[t,a]
        cost Σ w[t] · vom[a] · C[t,a]  (plus the waste heat's price through the source)
    """
    share, capacity = inputs["absorption_chiller_share"], inputs["absorption_chiller_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    cooling = m.add_variables(
        lower=0,
        upper=xr.where(ext & (share > 0), np.inf, share * capacity),
        name="absorption_chiller_cooling",
    )
    add_capacity_limit(
        m,
        inputs,
        DIM,
        cooling,
        new,
        share * capacity,
        "absorption_chiller_capacity",
        per_new=share,
        where=share > 0,
    )
    source = inputs["absorption_chiller_source"]
    drive = 1 / inputs["absorption_chiller_thermal_cop"]
    return Ports(
        DIM,
        flows={
            "cooling": Flow(cooling),
            # network heat is consumed where the source is a network; waste heat drawn where it
            # is a waste-heat source (each flow reaches only its own kind of bus)
            "heat": Flow(cooling, -drive * source.isin(inputs["network"].values)),
            "source_heat": Flow(cooling, drive),
            "electricity": Flow(cooling, -inputs["absorption_chiller_electricity_mwh_per_mwh"]),
        },
        buses={"cooling": inputs["absorption_chiller_sink"], "heat": source, "source_heat": source},
        costs=(Cost("variable_om", Flow(cooling, inputs["absorption_chiller_vom_eur_per_mwh"])),),
        routes={"absorption": Flow(cooling, drive)},
        new_capacity=new,
        handles={"cooling_mw": cooling},
    )


UNIT = UnitType(
    name=DIM,
    order=90,
    specs=(AbsorptionChiller,),
    build=build,
    capacity=CapacityKind(MW),
    label="Absorption chiller",
    colour="#a569bd",
    inputs=inputs,
    references=(
        Reference("sink", "cooling_network"),
        Reference("source", "driving_heat", takes_heat=True),
    ),
)
