"""Electric heat pumps lifting waste or ambient heat into a heat network."""

from __future__ import annotations

from typing import Annotated, Literal

import linopy
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
    flow_bound,
)
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class HeatPump(_Unit):
    """Electric heat pump lifting heat from a source to a network.

    COP(t) by :func:`restvarme.physics.cop.heat_pump_cop`, capped at ``max_cop``: by default
    Jensen et al. (2018) as PyPSA-Eur uses it (``cop_method: jensen2018``, the method that best
    fits published plant COPs, issue 19); ``carnot`` or ``lorenz``: ``quality_grade`` × the ideal
    COP (the default before issue 19 was ``carnot``).
    """

    type: Literal["heat_pump"]
    source: str = Field(description="A waste_heat source, an ambient source, or 'air'.")
    sink: str = Field(description="Heat network it delivers to.")
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    quality_grade: Efficiency | None = Field(
        None, description="carnot and lorenz: share of the ideal COP reached [-]; default 0.5."
    )
    cop_method: Literal["jensen2018", "carnot", "lorenz"] = "jensen2018"
    series_stages: Annotated[int, Field(ge=1, le=10)] = Field(
        1, description="Heat pumps in series on the sink, each lifting a slice of its glide [-]."
    )
    isentropic_efficiency: Efficiency | None = Field(
        None, description="jensen2018: compressor isentropic efficiency [-]; default 0.8."
    )
    condenser_approach_k: NonNegative = Field(4.0, description="Condensing above supply [K].")
    evaporator_approach_k: NonNegative = Field(5.0, description="Evaporating below source [K].")
    source_cooling_k: Annotated[float, Field(gt=0)] = Field(
        5.0, description="Cooling of the source stream, for the Lorenz glide [K]."
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")

    @model_validator(mode="after")
    def _cop_method_fields(self) -> HeatPump:
        if self.cop_method == "jensen2018" and self.quality_grade is not None:
            raise ValueError(
                "`quality_grade` applies to cop_method carnot or lorenz, and the COP method is "
                "jensen2018 (the default since issue 19): add `cop_method: carnot` to keep the "
                "Carnot × quality grade COP of earlier versions, or remove `quality_grade`"
            )
        if self.cop_method != "jensen2018" and self.isentropic_efficiency is not None:
            raise ValueError("`isentropic_efficiency` applies to cop_method jensen2018 only")
        return self

    @property
    def cop_options(self) -> dict:
        """The keyword arguments of :func:`~restvarme.physics.cop.heat_pump_cop` for this unit's
        method (quality grade for Carnot and Lorenz, isentropic efficiency for Jensen)."""
        if self.cop_method == "jensen2018":
            eta = self.isentropic_efficiency
            return {} if eta is None else {"isentropic_efficiency": eta}
        return {"quality_grade": 0.5 if self.quality_grade is None else self.quality_grade}


DIM = "heat_pump"


def inputs(ctx: UnitInputs, units: list[HeatPump]) -> dict[str, xr.DataArray]:
    """COP per hour (:func:`restvarme.physics.cop.heat_pump_cop`) from the sink's supply and
    return temperatures and the source's temperature, and unit parameters."""
    from restvarme.physics.cop import heat_pump_cop

    nets = ctx.networks
    cops = [
        heat_pump_cop(
            nets["supply_temperature_c"].sel(network=hp.sink).to_numpy(),
            ctx.source_temperature_c(hp.source),
            temperature_return_c=nets["return_temperature_c"].sel(network=hp.sink).to_numpy(),
            condenser_approach_k=hp.condenser_approach_k,
            evaporator_approach_k=hp.evaporator_approach_k,
            source_cooling_k=hp.source_cooling_k,
            method=hp.cop_method,
            max_cop=hp.max_cop,
            series_stages=hp.series_stages,
            **hp.cop_options,
        )
        for hp in units
    ]
    return {
        "heat_pump_cop": columns(cops, ctx.index, [h.name for h in units], DIM, "-"),
        "heat_pump_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "heat_pump_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "heat_pump_sink": labels(units, DIM, "sink"),
        "heat_pump_source": labels(units, DIM, "source"),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all heat pumps.

    With heat output Q[t,h] and the hourly COP[t,h] from :mod:`restvarme.physics.cop`::

        0 <= Q[t,h] <= capacity[h]            (+ new capacity, see restvarme.model.capacity)
        electricity in   P[t,h] = Q[t,h] / COP[t,h]
        source heat in   S[t,h] = Q[t,h] · (1 - 1/COP[t,h])   (drawn from a waste-heat bus, or
                                                             free ambient heat)
        cost             Σ w[t] · vom[h] · Q[t,h]

    Q's origins: S is waste heat (on a waste-heat source) or ambient heat (on air or an ambient
    source, RED II Annex VII), P is electricity. COP is a parameter per hour, so the formulation
    stays linear.
    """
    cop, capacity = inputs["heat_pump_cop"], inputs["heat_pump_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = m.add_variables(
        lower=0, upper=flow_bound(inputs, DIM, capacity, cop), name="heat_pump_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_pump_capacity")
    source = inputs["heat_pump_source"]
    on_waste = source.isin(inputs["waste_source"].values).astype(float)
    lifted = 1 - 1 / cop
    return Ports(
        DIM,
        flows={
            "heat": Flow(heat),
            "electricity": Flow(heat, -1 / cop),
            "source_heat": Flow(heat, lifted),
        },
        buses={"heat": inputs["heat_pump_sink"], "source_heat": source},
        costs=(Cost("variable_om", Flow(heat, inputs["heat_pump_vom_eur_per_mwh"])),),
        origins={
            "waste_heat": Flow(heat, lifted * on_waste),
            "ambient": Flow(heat, lifted * (1 - on_waste)),
            "electricity": Flow(heat, 1 / cop),
        },
        routes={"heat_pump": Flow(heat, lifted)},
        new_capacity=new,
        results={"heat_pump_cop": cop},
        handles={"heat_mw": heat},
    )


UNIT = UnitType(
    name=DIM,
    order=10,
    specs=(HeatPump,),
    build=build,
    capacity=CapacityKind(MW),
    label="Heat pump",
    colour="#2b6cb0",
    inputs=inputs,
    references=(Reference("sink", "network"), Reference("source", "heat_source", takes_heat=True)),
)
