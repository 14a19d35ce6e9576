"""Electric heat pumps lifting waste or ambient heat into a heat network."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import linopy
import numpy as np
import pandas as pd
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
from restvarme.model.linear import add_constraint, add_variables, combination
from restvarme.model.streams import exchanger_outlet_c, route_inputs, stream_of
from restvarme.scenario.base import Efficiency, NonNegative, _Unit
from restvarme.units._commitment import (
    Commitment,
    add_commitment,
    check_commitment,
    commitment_inputs,
)
from restvarme.units._rows import Part, gathered, members
from restvarme.units._store import plant_store_charge
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
    source_cooling_k: Annotated[float, Field(gt=0, le=100)] = Field(
        5.0,
        description="Cooling of the source stream, for the Lorenz glide [K]; at most 100 K "
        "(large heat pumps cool their source by a few to some tens of kelvin).",
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")
    source_after: str | None = Field(
        None,
        description="A heat_exchanger on the same waste-heat stream whose outlet water it cools "
        "further (in series); its COP is computed at that outlet temperature.",
    )
    commitment: Commitment | None = Field(
        None, description="On/off operation (units/_commitment.py); default: none, an LP."
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
        check_commitment(self)
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
LEVEL = "preheat_level"
"""Dimension of a heat pump's preheat levels, named by the heat exchangers that set them."""


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
    ``source_cooling_k``. Where heat exchangers preheat a heat pump's sink, its COP from each
    preheat level as sink inlet (:func:`_levels`, used by :func:`add_levels`)."""
    nets = ctx.networks
    cops, intervals, sources = [], [], []
    for hp in units:
        source_c = ctx.source_temperature_c(hp.source)
        cooling_k: float | np.ndarray = hp.source_cooling_k
        interval = _stream_interval(ctx, hp)
        if interval is not None:
            source_c, low = interval
            cooling_k = np.where(source_c - low > 0, source_c - low, hp.source_cooling_k)
        intervals.append(interval)
        sources.append((source_c, cooling_k))
        cops.append(
            _cop(hp, nets, source_c, cooling_k, nets["return_temperature_c"].sel(network=hp.sink))
        )
    names = [h.name for h in units]
    return {
        **_levels(ctx, units, sources, cops),
        "heat_pump_cop": columns(cops, ctx.index, names, DIM, "-"),
        "heat_pump_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "heat_pump_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "heat_pump_sink": labels(units, DIM, "sink"),
        "heat_pump_source": labels(units, DIM, "source"),
        **route_inputs(ctx, DIM, names, intervals),
        **commitment_inputs(units, DIM),
    }


def _cop(
    hp: HeatPump, nets: Mapping[str, xr.DataArray], source_c: Any, cooling_k: Any, sink_inlet_c: Any
) -> np.ndarray:
    """The unit's hourly COP (its method and options) with the sink entering at
    ``sink_inlet_c`` [°C] (the network's return, or a preheat level) and leaving at the supply."""
    from restvarme.physics.cop import heat_pump_cop

    return np.asarray(
        heat_pump_cop(
            nets["supply_temperature_c"].sel(network=hp.sink).to_numpy(),
            source_c,
            temperature_return_c=np.asarray(sink_inlet_c),
            condenser_approach_k=hp.condenser_approach_k,
            evaporator_approach_k=hp.evaporator_approach_k,
            source_cooling_k=cooling_k,
            method=hp.cop_method,
            max_cop=hp.max_cop,
            series_stages=hp.series_stages,
            **hp.cop_options,
        )
    )


def _levels(
    ctx: UnitInputs,
    units: list[HeatPump],
    sources: list[tuple[Any, Any]],
    cops: list[np.ndarray],
) -> dict[str, xr.DataArray]:
    """The preheat levels of each heat pump's sink and its COP from each (see :func:`build`).

    A level is the usable temperature θ_x = T_src - approach of a heat exchanger ``x`` that
    preheats the same network's return in that hour (``allow_preheat``, T_r < θ_x < T_supply,
    as :mod:`restvarme.units.heat_exchanger` decides it). The ``preheat_level`` dimension holds
    one member per heat pump h and exchanger x on h's sink, named ``"<h> from <x>"``
    (``preheat_level_heat_pump`` and ``preheat_level_exchanger`` name the two), so that it grows
    with the (heat pump, exchanger) pairs of each network, not with all heat pumps times all
    exchangers. ``heat_pump_level_c`` [°C] holds θ_x on (snapshot, preheat_level), NaN in hours
    x preheats at no temperature inside (T_r, T_s); ``heat_pump_level_cop`` [-] the COP with the
    sink entering at θ_x (the unit's own method; at most the COP from the return, which it is
    for every method as the sink's mean temperature rises with its inlet), NaN where x is no
    level or repeats the θ of an exchanger listed earlier on the same network in that hour.
    Nothing when no heat pump's sink is preheated: the inputs, and the model, are then as
    before levels."""
    nets = ctx.networks
    sinks = {hp.sink for hp in units}
    exchangers = [
        u
        for u in ctx.scenario.units
        if u.type == "heat_exchanger" and u.allow_preheat and u.sink in sinks
    ]
    theta, repeats = {}, {}
    for i, hx in enumerate(exchangers):  # a loop over exchangers, not hours
        usable = ctx.waste_temperature_c.sel(waste_source=hx.source).to_numpy() - hx.approach_k
        t_sup = nets["supply_temperature_c"].sel(network=hx.sink).to_numpy()
        t_ret = nets["return_temperature_c"].sel(network=hx.sink).to_numpy()
        theta[hx.name] = np.where((usable < t_sup) & (usable > t_ret), usable, np.nan)
        earlier = [theta[e.name] for e in exchangers[:i] if e.sink == hx.sink]
        repeats[hx.name] = np.zeros(len(ctx.index), dtype=bool)
        for e in earlier:
            repeats[hx.name] |= e == theta[hx.name]
    if not any(np.isfinite(v).any() for v in theta.values()):
        return {}
    pairs = [(h, x) for h, hp in enumerate(units) for x in exchangers if x.sink == hp.sink]
    level = np.column_stack([theta[x.name] for _, x in pairs])  # (snapshot, preheat_level)
    is_open = np.isfinite(level) & ~np.column_stack([repeats[x.name] for _, x in pairs])
    cop = np.full(level.shape, np.nan)
    for k in np.flatnonzero(is_open.any(0)):  # a loop over levels, not hours
        h = pairs[k][0]
        hp = units[h]
        ret = nets["return_temperature_c"].sel(network=hp.sink).to_numpy()
        inlet = np.where(is_open[:, k], level[:, k], ret)
        source_c, cooling_k = sources[h]
        at_level = np.minimum(_cop(hp, nets, source_c, cooling_k, inlet), cops[h])
        cop[:, k] = np.where(is_open[:, k], at_level, np.nan)
    names = _level_names([(units[h].name, x.name) for h, x in pairs])
    coords = {"snapshot": ctx.index, LEVEL: names}
    dims = ("snapshot", LEVEL)
    return {
        "heat_pump_level_c": xr.DataArray(level, coords, dims, attrs={"units": "°C"}),
        "heat_pump_level_cop": xr.DataArray(cop, coords, dims, attrs={"units": "-"}),
        f"{LEVEL}_heat_pump": xr.DataArray(
            [units[h].name for h, _ in pairs], coords={LEVEL: names}, dims=LEVEL
        ),
        f"{LEVEL}_exchanger": xr.DataArray(
            [x.name for _, x in pairs], coords={LEVEL: names}, dims=LEVEL
        ),
    }


def _level_names(pairs: list[tuple[str, str]]) -> list[str]:
    """``"<heat pump> from <exchanger>"`` per pair, numbered where two pairs' names would be
    the same text (unit names may hold " from ")."""
    names = [f"{h} from {x}" for h, x in pairs]
    if len(set(names)) == len(names):
        return names
    return [f"{n} [{k}]" for k, n in enumerate(names)]


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
    did not cool is warmer.

    The sink side: where heat exchangers preheat the heat pump's network return, the heat pump
    may lift water that they have preheated, and then sees its temperature (:func:`add_levels`);
    COP is then the COP from the return (level 0) and the electricity above becomes
    ``P = Q/COP + Σ_x h_x · (1/COP_x - 1/COP)``. Without preheat on its sink nothing changes.
    """
    cop, capacity = inputs["heat_pump_cop"], inputs["heat_pump_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    heat = add_variables(
        m, lower=0, upper=flow_bound(inputs, DIM, capacity, cop), name="heat_pump_heat"
    )
    add_capacity_limit(m, inputs, DIM, heat, new, capacity, "heat_pump_capacity")
    source = inputs["heat_pump_source"]
    on_waste = source.isin(inputs["waste_source"].values).astype(float)
    levels = add_levels(m, inputs, heat, terms)
    uc = add_commitment(m, inputs, DIM, heat, capacity)  # units with `commitment` only
    results: dict = {"heat_pump_cop": cop, **uc.results}
    if levels is None:
        lifted = 1 - 1 / cop
        electricity, drawn, bought = Flow(heat, -1 / cop), Flow(heat, lifted), Flow(heat, 1 / cop)
    else:
        extra, flow_row = levels  # Σ_x h_x · (1/COP_x - 1/COP) [MW], the flow rows
        power = combination((heat, 1 / cop), (extra, 1.0), keep_zeros=True)
        source_heat = combination((heat, 1 - 1 / cop), (extra, -1.0), keep_zeros=True)
        electricity, drawn, bought = Flow(power, -1.0), Flow(source_heat), Flow(power)
        results["heat_pump_effective_cop"] = _effective_cop(heat, power, cop)
        results["return_flow_dual_eur_per_mwh_k"] = _flow_dual(flow_row)
    return Ports(
        DIM,
        flows={"heat": Flow(heat), "electricity": electricity, "source_heat": drawn},
        buses={"heat": inputs["heat_pump_sink"], "source_heat": source},
        costs=(Cost("variable_om", Flow(heat, inputs["heat_pump_vom_eur_per_mwh"])), *uc.costs),
        origins={
            "waste_heat": Flow(drawn.term, drawn.coeff * on_waste),
            "ambient": Flow(drawn.term, drawn.coeff * (1 - on_waste)),
            "electricity": bought,
        },
        routes={"heat_pump": drawn},
        new_capacity=new,
        results=results,
        handles={"heat_mw": heat, **uc.handles},
    )


def _effective_cop(
    heat: linopy.Variable, power: linopy.LinearExpression, cop: xr.DataArray
) -> Callable[..., xr.DataArray]:
    """The results' ``heat_pump_effective_cop`` where levels exist (``heat_pump_cop`` stays the
    COP from the return): Q/P of the solution in hours the unit runs, the COP from the return
    otherwise."""

    def read(pick: Callable[[xr.DataArray], xr.DataArray], _inputs: xr.Dataset) -> xr.DataArray:
        q, p, c = pick(heat.solution), pick(power.solution), pick(cop)
        return xr.where(p > 1e-9, q / p.where(p > 1e-9), c).transpose(*c.dims)

    return read


def _flow_dual(flow_row: linopy.Constraint) -> Callable[..., xr.DataArray]:
    """The results' ``return_flow_dual_eur_per_mwh_k``, dims (snapshot, network): the shadow
    price of the heat pumps' flow row [EUR per MWh/K: per MW/K of return flow and hour], 0
    where the network has no row."""

    def read(pick: Callable[[xr.DataArray], xr.DataArray], inputs: xr.Dataset) -> xr.DataArray:
        dual = -pick(flow_row.dual).fillna(0.0) / pick(inputs["cost_weight"])
        return dual.assign_attrs(units="EUR/(MWh/K)")

    return read


def add_levels(
    m: linopy.Model, inputs: xr.Dataset, heat: linopy.Variable, terms: BusTerms
) -> tuple[linopy.LinearExpression, linopy.Constraint] | None:
    """Heat pumps lifting return water that heat exchangers have preheated.

    Per network n and hour t the plant heats the return water the network's load brings back
    and, where heat stores sit on n, the water its stores' net charge adds (hot water into a
    store's top, return water from its bottom; less while they discharge)::

        C[t,n] = (load[t,n] + S[t,n]) / (T_s - T_r)  [MW/K],   S = Σ_{stores on n} (charge -
                                                              discharge)   (0 without stores)

    (:func:`restvarme.units._store.plant_store_charge`; the preheat cascade,
    :func:`restvarme.units.heat_exchanger.add_preheat_cascade`, has load / (T_s - T_r)). The
    levels of n are ℓ_0 = T_r and the usable temperatures θ_x of the exchangers preheating n
    (``heat_pump_level_c``, :func:`_levels`). Heat pump h's heat Q is split by the temperature
    ℓ_x of the water it lifts to T_s: h_x[t,(h,x)] >= 0 for the levels x >= 1 that exist in that
    hour (``heat_pump_level_heat``, masked elsewhere) and h_0 = Q - Σ_x h_x >= 0
    (``heat_pump_level_split``). Its electricity is Σ_x h_x / COP_x with COP_x the unit's COP
    with the sink entering at ℓ_x (``heat_pump_level_cop``), i.e.::

        P[t,h] = Q/COP + Σ_{x>=1} h_x · (1/COP_x - 1/COP)        (returned: the Σ term)

    Lifting h_x from ℓ_x takes the flow h_x / (T_s - ℓ_x) over [ℓ_x, T_s]. Water the heat
    pumps take is not there to be preheated above their inlet: in the cascade's row of each
    preheating exchanger j (the heat it and the exchangers below it give, limited by what the
    return takes from T_r to θ_j), the heat pumps' flows occupy their share of [T_r, θ_j]::

        Σ_{k: θ_k <= θ_j} H_k + Σ_{h on n} Σ_{x>=0} h_x · (θ_j - ℓ_x)⁺ / (T_s - ℓ_x)
            <= C · (θ_j - T_r)                                   (heat_exchanger_preheat_cascade)
        Σ_{h on n} Σ_{x>=0} h_x / (T_s - ℓ_x)  <=  C             (heat_pump_return_flow)

    S is a variable, so with C written out the rows stay linear (the cascade's right-hand side
    C·(θ_j - T_r) is j's own limit, load · (θ_j - T_r)/(T_s - T_r), and the rest moves left)::

        Σ_{k: θ_k <= θ_j} H_k + Σ_h Σ_x h_x · (θ_j - ℓ_x)⁺ / (T_s - ℓ_x)
            - S · (θ_j - T_r) / (T_s - T_r)  <=  load · (θ_j - T_r) / (T_s - T_r)
        Σ_h Σ_x h_x / (T_s - ℓ_x) - S / (T_s - T_r)  <=  load / (T_s - T_r)

    The occupancy (the second sum of the first row, and the stores' term) is registered in
    ``terms`` for the heat exchangers, built after the heat pumps, to add to their rows. So a
    heat pump may charge a store beyond the hour's load with the water the charge adds, and
    lifts less while the store discharges. An exchanger's own hourly limit stays share · load
    (a variable bound from the inputs), so preheat beyond the load's water is left out, and on a
    network without heat pumps on preheated water the cascade counts the load's water as
    before.

    The rows are exact: the intervals a preheating exchanger can serve are nested (all of
    [T_r, θ_j]), so the cumulative rows at every level, with the flow row, are Hall's condition
    for an assignment of the preheat to the water the heat pumps leave (the elementary
    intervals between levels, preheat_i + Σ_{x: ℓ_x <= lower end of i} h_x · Δ_i / (T_s - ℓ_x)
    <= C · Δ_i, summed over the intervals below each θ_j). A heat pump never gains by a higher
    inlet (its COP falls as its sink's mean temperature rises, and it takes more flow per MW),
    so it lifts from a level above T_r only where preheat needs the room below. The flow row
    holds in the hours a level exists. Returns the Σ term and the flow rows; None, with nothing
    added, without levels (``heat_pump_level_cop`` absent).

    Every sum runs over one network's own heat pumps and levels: ``preheat_level`` holds one
    member per heat pump and exchanger on its sink, and each row gathers its network's members
    through index arrays (:mod:`restvarme.units._rows`), so variables, rows and terms grow with
    the (heat pump, exchanger) pairs of each network, not with networks × all exchangers.
    """
    if "heat_pump_level_cop" not in inputs:
        return None
    level_cop = inputs["heat_pump_level_cop"]
    level = add_variables(
        m, lower=xr.zeros_like(level_cop), name="heat_pump_level_heat", mask=level_cop.notnull()
    )
    s = _Levels.of(inputs, heat, level)
    units = np.arange(len(s.heat_pumps))[:, None]
    order = [DIM if d == LEVEL else d for d in level.labels.dims]  # rows in the levels' order
    parts: list[Part] = [(s.levels, s.by_unit, 1.0), (s.heat, units, -1.0)]
    split = s.rows(DIM, s.heat_pumps, *parts, order=order)
    any_open = s.array((s.open[..., s.by_unit] & (s.by_unit >= 0)).any(-1), DIM, s.heat_pumps)
    add_constraint(m, split, "<=", 0.0, "heat_pump_level_split", mask=any_open.transpose(*order))
    networks = inputs.indexes["network"]
    on_net = s.open[..., s.pairs_on_net] & (s.pairs_on_net >= 0)
    has_level = s.array(on_net.any(-1), "network", networks)  # (snapshot, network)
    stored = plant_store_charge(m, inputs, terms, has_level)  # S[t,n], None without stores
    store = None if stored is None else s.over(stored.labels, "network")
    terms.return_occupancy.append(_occupancy(inputs, s, store))
    # the flow row per network, in hours with a level on it
    span = inputs["supply_temperature_c"] - inputs["return_temperature_c"]  # (snapshot, network)
    per_mw = 1 / (s.supply - s.ret)  # (..., heat_pump)
    extra_flow = np.where(s.open, 1 / (s.supply[..., s.unit] - s.ell) - per_mw[..., s.unit], 0.0)
    parts = [
        (s.heat, s.units_on_net, per_mw[..., s.units_on_net]),
        (s.levels, s.pairs_on_net, extra_flow[..., s.pairs_on_net]),
    ]
    if store is not None:
        own = np.arange(len(networks))[:, None]
        parts.append((store, own, -(1 / s.over(span, "network"))[..., None]))
    flow_row = add_constraint(
        m,
        s.rows("network", networks, *parts),
        "<=",
        inputs["heat_demand_mw"] / span,
        "heat_pump_return_flow",
        mask=has_level,
    )
    step = np.where(s.open, 1 / s.level_cop - 1 / s.cop[..., s.unit], 0.0)
    return s.rows(DIM, s.heat_pumps, (s.levels, s.by_unit, step[..., s.by_unit])), flow_row


def _over(da: xr.DataArray, lead: xr.DataArray, dim: str) -> np.ndarray:
    """``da`` as an array over (*lead dims, ``dim``), repeated along lead dims it lacks."""
    return da.broadcast_like(lead).transpose(*lead.dims, dim).values


def _nan_to_zero(a: np.ndarray) -> np.ndarray:
    """NaN as 0 (xarray's ``fillna(0.0)``; infinities kept)."""
    return np.where(np.isnan(a), 0.0, a)


def _occupancy(inputs: xr.Dataset, s: _Levels, store: np.ndarray | None) -> linopy.LinearExpression:
    """The heat pumps' share of each preheating exchanger j's cascade row (:func:`add_levels`),
    dims (..., heat_exchanger), over the heat pumps and levels of j's own network::

        Σ_{h on n} Q_h · base_h + Σ_{x on n} h_x · (above_x - base_h) - S_n · share_j
        base_h = (θ_j - T_r) / (T_s - T_r),   above_x = (θ_j - ℓ_x)⁺ / (T_s - ℓ_x)
        share_j = (θ_j - T_r) / (T_s - T_r)                       (where S exists)

    (h_0 = Q - Σ_x h_x lifts from T_r; terms are 0 in hours θ_j is no level). Rows of exchangers
    that no heat pump lifts from hold no term."""
    exchangers = inputs.indexes["heat_exchanger"]
    net = inputs.indexes["network"].get_indexer(inputs["heat_exchanger_sink"].values)
    first = np.full(len(exchangers), -1)
    listed, at = np.unique(s.exchanger, return_index=True)
    first[listed] = at  # j's first level: θ_j is the same for every heat pump on its sink
    lifted = first >= 0
    theta = np.where(lifted, s.ell[..., np.maximum(first, 0)], np.nan)[..., None]  # (.., j, 1)
    hps = np.where(lifted[:, None], s.units_on_net[net], -1)  # (j, w)
    pairs = np.where(lifted[:, None], s.pairs_on_net[net], -1)

    def base(u: np.ndarray) -> np.ndarray:
        return _nan_to_zero((theta - s.ret[..., u]) / (s.supply[..., u] - s.ret[..., u]))

    q = np.maximum(pairs, 0)
    ell = s.ell[..., q]
    above = _nan_to_zero(np.clip(theta - ell, 0.0, None) / (s.supply[..., s.unit[q]] - ell))
    parts: list[Part] = [
        (s.heat, hps, base(np.maximum(hps, 0))),
        (s.levels, pairs, np.where(s.open[..., q], above - base(s.unit[q]), 0.0)),
    ]
    if store is not None:  # limits of the plant's water: - S · (θ_j - T_r) / (T_s - T_r)
        t_r = s.over(inputs["return_temperature_c"], "network")[..., net]
        span = s.over(inputs["supply_temperature_c"] - inputs["return_temperature_c"], "network")
        share = _nan_to_zero((theta[..., 0] - t_r) / span[..., net])
        parts.append((store, np.where(lifted, net, -1)[:, None], -share[..., None]))
    return s.rows("heat_exchanger", exchangers, *parts)


@dataclass(frozen=True)
class _Levels:
    """The preheat levels as numpy arrays over (..., ·), ``...`` the heat pumps' leading dims
    (snapshot, and period in a pathway), and each level's heat pump, network and exchanger."""

    model: linopy.Model
    lead: xr.DataArray
    """A template over the leading dims."""
    heat_pumps: pd.Index
    heat: np.ndarray
    """(..., heat_pump) labels of Q."""
    levels: np.ndarray
    """(..., preheat_level) labels of h_x, -1 where absent."""
    open: np.ndarray
    """(..., preheat_level) the level exists in that hour."""
    ell: np.ndarray
    """(..., preheat_level) ℓ_x = θ_x [°C]."""
    level_cop: np.ndarray
    """(..., preheat_level) COP_x [-]."""
    cop: np.ndarray
    """(..., heat_pump) the COP from the return [-]."""
    supply: np.ndarray
    """(..., heat_pump) T_s of its sink [°C]."""
    ret: np.ndarray
    """(..., heat_pump) T_r of its sink [°C]."""
    unit: np.ndarray
    """(preheat_level,) position of each level's heat pump."""
    exchanger: np.ndarray
    """(preheat_level,) position of each level's exchanger on ``heat_exchanger``."""
    by_unit: np.ndarray
    """(heat_pump, w) each heat pump's levels, -1 past their number."""
    units_on_net: np.ndarray
    """(network, w) the heat pumps on each network."""
    pairs_on_net: np.ndarray
    """(network, w) the levels on each network."""

    @classmethod
    def of(cls, inputs: xr.Dataset, heat: linopy.Variable, level: linopy.Variable) -> _Levels:
        lead = heat.labels.isel({DIM: 0}, drop=True)

        def over(da: xr.DataArray, dim: str) -> np.ndarray:
            return _over(da, lead, dim)

        networks = inputs.indexes["network"]
        heat_pumps = heat.labels.indexes[DIM]
        unit_net = networks.get_indexer(inputs["heat_pump_sink"].sel({DIM: heat_pumps}).values)
        unit = heat_pumps.get_indexer(inputs[f"{LEVEL}_heat_pump"].values)
        exchanger = inputs.indexes["heat_exchanger"].get_indexer(
            inputs[f"{LEVEL}_exchanger"].values
        )
        level_cop = over(inputs["heat_pump_level_cop"], LEVEL)
        return cls(
            model=heat.model,
            lead=lead,
            heat_pumps=heat_pumps,
            heat=over(heat.labels, DIM),
            levels=over(level.labels, LEVEL),
            open=~np.isnan(level_cop),
            ell=over(inputs["heat_pump_level_c"], LEVEL),
            level_cop=level_cop,
            cop=over(inputs["heat_pump_cop"], DIM),
            supply=over(inputs["supply_temperature_c"], "network")[..., unit_net],
            ret=over(inputs["return_temperature_c"], "network")[..., unit_net],
            unit=unit,
            exchanger=exchanger,
            by_unit=members(unit, len(heat_pumps)),
            units_on_net=members(unit_net, len(networks)),
            pairs_on_net=members(unit_net[unit], len(networks)),
        )

    def over(self, da: xr.DataArray, dim: str) -> np.ndarray:
        """``da`` as an array over (..., ``dim``)."""
        return _over(da, self.lead, dim)

    def array(self, values: Any, dim: str, index: pd.Index) -> xr.DataArray:
        """``values`` over (..., ``dim``) as a DataArray."""
        coords = {**{d: self.lead.indexes[d] for d in self.lead.dims}, dim: index}
        return xr.DataArray(values, coords=coords, dims=(*self.lead.dims, dim))

    def rows(
        self, dim: str, index: pd.Index, *parts: Part, order: list[Hashable] | None = None
    ) -> linopy.LinearExpression:
        """One row per member of ``index`` on ``dim`` (:func:`restvarme.units._rows.gathered`),
        dims (..., ``dim``) or in ``order``."""
        coords = {**{d: self.lead.indexes[d] for d in self.lead.dims}, dim: index}
        return gathered(self.model, (*self.lead.dims, dim), coords, parts, order)


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
