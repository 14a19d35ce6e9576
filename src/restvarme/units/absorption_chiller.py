"""Absorption chillers driven by network heat or waste heat."""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field, model_validator

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
from restvarme.physics.cooling import (
    ABSORPTION_CHILLERS,
    AbsorptionCharacteristic,
    absorption_capacity_share,
    absorption_cop,
)
from restvarme.scenario.base import NonNegative, _Strict, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class Characteristic(_Strict):
    """Characteristic-equation parameters of an absorption chiller (Kühn & Ziegler 2005), in
    the units of ``nominal_cooling_kw`` (see
    :class:`restvarme.physics.cooling.AbsorptionCharacteristic`)."""

    a: float = Field(description="Weight of the absorber/condenser temperature in ΔΔt' [-].")
    e: float = Field(description="Weight of the evaporator temperature in ΔΔt' [-].")
    s_e: float = Field(description="Cooling per kelvin of ΔΔt' [kW/K].")
    r_e: float = Field(description="Cooling at ΔΔt' = 0 [kW].")
    s_g: float = Field(description="Driving heat per kelvin of ΔΔt' [kW/K].")
    r_g: float = Field(description="Driving heat at ΔΔt' = 0 [kW].")
    nominal_cooling_kw: Annotated[float, Field(gt=0)] = Field(
        description="The machine's nominal cooling capacity [kW], which capacity_mw scales."
    )


class AbsorptionChiller(_Unit):
    """Absorption chiller driven by heat from a heat network or a waste-heat source.

    Without ``characteristic`` it cools at the constant ``thermal_cop`` up to ``capacity_mw``.
    With it, each hour's capacity and COP follow the characteristic equation
    (:func:`restvarme.physics.cooling.absorption_capacity_share`,
    :func:`~restvarme.physics.cooling.absorption_cop`) from the mean generator temperature
    (driving temperature - generator_glide_k / 2), the mean cooling-water temperature (the
    ``cooling_water`` medium + ``cooling_water_approach_k``) and the mean chilled-water
    temperature (mean of the cooling network's supply and return).
    """

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
    characteristic: (
        Literal["kuehn", "rotartica", "safarik", "broad_double_effect"] | Characteristic | None
    ) = Field(
        None,
        description="Derate capacity and COP by the characteristic equation: a published "
        "machine or its parameters; replaces thermal_cop.",
    )
    cooling_water: str = Field(
        "air", description="Medium the absorber and condenser reject heat to: 'air' or ambient."
    )
    cooling_water_approach_k: NonNegative = Field(
        8.0, description="Mean cooling-water temperature above the medium [K]."
    )
    generator_glide_k: NonNegative = Field(
        10.0, description="Cooling of the driving water in the generator [K]."
    )

    @model_validator(mode="after")
    def _cop_from_one_place(self) -> AbsorptionChiller:
        if self.characteristic is not None and "thermal_cop" in self.model_fields_set:
            raise ValueError(
                "give either thermal_cop (a constant COP) or characteristic (COP and capacity "
                "from the temperatures), not both"
            )
        return self


DIM = "absorption_chiller"


def inputs(ctx: UnitInputs, units: list[AbsorptionChiller]) -> dict[str, xr.DataArray]:
    """Per hour: the share of the capacity available (1, or 0 when the driving heat is colder
    than ``min_driving_temperature_c``; derated by the characteristic equation when the unit has
    one; a mean over the hours once snapshots are merged into blocks) and the thermal COP; unit
    parameters. The driving temperature is the supply temperature of a heat network, or the
    temperature of a waste-heat source.
    """
    shares, cops = [], []
    supply = ctx.cooling_networks["cooling_supply_temperature_c"]
    ret = ctx.cooling_networks["cooling_return_temperature_c"]
    for u in units:
        if u.source in ctx.scenario.networks:
            driving = ctx.networks["supply_temperature_c"].sel(network=u.source).to_numpy()
        else:
            driving = ctx.waste_temperature_c.sel(waste_source=u.source).to_numpy()
        low = u.min_driving_temperature_c
        share = np.ones(len(ctx.index)) if low is None else (driving >= low).astype(float)
        cop = np.full(len(ctx.index), u.thermal_cop)
        if u.characteristic is not None:
            given = u.characteristic
            c = (
                ABSORPTION_CHILLERS[given]
                if isinstance(given, str)
                else AbsorptionCharacteristic(**given.model_dump())
            )
            sink = {"cooling_network": u.sink}
            temperatures = (
                driving - u.generator_glide_k / 2.0,
                ctx.source_temperature_c(u.cooling_water) + u.cooling_water_approach_k,
                (supply.sel(sink).to_numpy() + ret.sel(sink).to_numpy()) / 2.0,
            )
            share = share * absorption_capacity_share(c, *temperatures)
            # where the chiller gives no cooling its COP is undefined: any positive value will do
            cop = np.nan_to_num(absorption_cop(c, *temperatures), nan=1.0)
        shares.append(share)
        cops.append(cop)
    names = [u.name for u in units]
    return {
        "absorption_chiller_share": columns(shares, ctx.index, names, DIM, "-"),
        "absorption_chiller_thermal_cop": columns(cops, ctx.index, names, DIM, "-"),
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

    With cooling output C[t,a], thermal COP ζ[t,a] and s[t,a] the share of the capacity
    available (1 in the hours the driving heat is hot enough, 0 otherwise; derated by the
    characteristic equation where the unit has one; the mean over a merged block)::

        0 <= C[t,a] <= s[t,a] · capacity[a]        (capacity + new if extendable)
        driving heat  H[t,a] = C[t,a] / ζ[t,a]     taken from heat network n (a consumer in its
                                                   heat balance) or drawn from waste-heat source s
        electricity in  e[a] · C[t,a];  cooling into network k: C[t,a]
        cost Σ w[t] · vom[a] · C[t,a]  (plus the waste heat's price through the source)
    """
    share, capacity = inputs["absorption_chiller_share"], inputs["absorption_chiller_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    ext = static(inputs, f"{DIM}_extendable")
    cooling = add_variables(
        m,
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
        Reference("cooling_water", "ambient"),
    ),
)
