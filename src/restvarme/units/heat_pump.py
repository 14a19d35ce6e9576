"""Electric heat pumps lifting waste or ambient heat into a heat network."""

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
    flow_bound,
)
from restvarme.model.streams import exchanger_outlet_c, route_inputs, stream_of
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
    source_after: str | None = Field(
        None,
        description="A heat_exchanger on the same waste-heat stream whose outlet water it cools "
        "further (in series); its COP is computed at that outlet temperature.",
    )

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
    return temperatures and the source's temperature, and unit parameters.

    On a stream with temperatures (:mod:`restvarme.model.streams`) the heat pump cools the
    stream from hi down to ``lo = max(T_min, hi - source_cooling_k)`` (``heat_pump_stream_high_c``
    and ``_low_c``), where hi is the stream's temperature T_s or, in series after a heat
    exchanger (``source_after``), that exchanger's outlet ``min(T_s, max(T_min, T_return +
    approach))``. The COP is then computed with the source entering at hi and, for the methods
    with a glide (Lorenz, Jensen), cooled by hi - lo (less than ``source_cooling_k`` where
    T_min stops it). A pool source is read as before: its temperature, cooled by
    ``source_cooling_k``."""
    from restvarme.physics.cop import heat_pump_cop

    nets = ctx.networks
    cops, intervals = [], []
    for hp in units:
        source_c = ctx.source_temperature_c(hp.source)
        cooling_k: float | np.ndarray = hp.source_cooling_k
        interval = _stream_interval(ctx, hp)
        if interval is not None:
            source_c, low = interval
            cooling_k = np.where(source_c - low > 0, source_c - low, hp.source_cooling_k)
        intervals.append(interval)
        cops.append(
            heat_pump_cop(
                nets["supply_temperature_c"].sel(network=hp.sink).to_numpy(),
                source_c,
                temperature_return_c=nets["return_temperature_c"].sel(network=hp.sink).to_numpy(),
                condenser_approach_k=hp.condenser_approach_k,
                evaporator_approach_k=hp.evaporator_approach_k,
                source_cooling_k=cooling_k,
                method=hp.cop_method,
                max_cop=hp.max_cop,
                series_stages=hp.series_stages,
                **hp.cop_options,
            )
        )
    names = [h.name for h in units]
    return {
        "heat_pump_cop": columns(cops, ctx.index, names, DIM, "-"),
        "heat_pump_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "heat_pump_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "heat_pump_sink": labels(units, DIM, "sink"),
        "heat_pump_source": labels(units, DIM, "source"),
        **route_inputs(ctx, DIM, names, intervals),
    }


def _stream_interval(ctx: UnitInputs, hp: HeatPump) -> tuple[np.ndarray, np.ndarray] | None:
    """(hi, lo) [°C] of the heat pump's cooling of its stream (see :func:`inputs`); None on a
    pool or an ambient source. A ``source_after`` that names no heat exchanger on the same
    stream is a located error."""
    stream = stream_of(ctx, hp.source)
    after = hp.source_after
    if stream is None:
        if after is not None:
            raise ctx.read.problem(
                f"`source_after` needs {hp.source!r} to be a waste_heat stream with "
                f"temperatures; give waste_heat.{hp.source}.min_temperature_c or "
                "reference_temperature_c",
                "units",
                ctx.position(hp),
                "source_after",
            )
        return None
    high = stream.temperature_c
    if after is not None:
        exchanger = next(
            (u for u in ctx.scenario.units if u.name == after and u.type == "heat_exchanger"),
            None,
        )
        if exchanger is None or exchanger.source != hp.source:
            on = [
                u.name
                for u in ctx.scenario.units
                if u.type == "heat_exchanger" and u.source == hp.source
            ]
            raise ctx.read.problem(
                f"`source_after` names {after!r}, which is not a heat_exchanger on "
                f"{hp.source!r}; expected one of: {', '.join(on) or '(none on this stream)'}",
                "units",
                ctx.position(hp),
                "source_after",
            )
        high = np.minimum(high, exchanger_outlet_c(ctx, exchanger, stream))
    return high, np.maximum(stream.min_temperature_c, high - hp.source_cooling_k)


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
    stays linear. On a waste-heat stream with temperatures, S is also limited by the stream: the
    heat pump cools its share of the flow over [lo, hi] (:func:`inputs`), shared with the
    stream's other routes (:mod:`restvarme.model.streams`)::

        S[t,h] <= C[t,s] · (hi[t,h] - lo[t,h])                      (alone on the stream)

    In series after an exchanger (``source_after``) the COP is computed at the exchanger's
    outlet temperature whatever the exchanger's load: conservative, since water the exchanger
    did not cool is warmer. The sink side is the network's return as given, not the return as
    preheated by exchangers: the preheated temperature depends on how much the exchangers
    deliver, a decision of the model, and a COP that depends on it would not be linear. (An
    exact linear form would split each network's heating into temperature bands, ideal work
    being additive over the sink's bands, and give every unit its band: a different heat
    balance, not built here.)
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
