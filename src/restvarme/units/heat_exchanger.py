"""Direct use of waste heat through a heat exchanger: supply-line feed-in or return preheating."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field

from restvarme.inputs.context import UnitInputs
from restvarme.inputs.tables import columns, labels, parameter
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import MW, CapacityKind, add_capacity_limit, add_new_capacity
from restvarme.model.linear import add_constraint, add_variables, expression
from restvarme.scenario.base import NonNegative, _Unit
from restvarme.units._rows import members
from restvarme.units.ports import Cost, Flow, Ports
from restvarme.units.unit_type import Reference, UnitType


class HeatExchanger(_Unit):
    """Direct use of waste heat: a heat exchanger into a network's supply or return line."""

    type: Literal["heat_exchanger"]
    source: str = Field(description="A waste_heat source.")
    sink: str = Field(description="Heat network it delivers to.")
    capacity_mw: NonNegative
    approach_k: NonNegative = Field(5.0, description="Temperature difference across it [K].")
    allow_preheat: bool = Field(True, description="Preheat return water when too cold to supply.")


DIM = "heat_exchanger"


def inputs(ctx: UnitInputs, units: list[HeatExchanger]) -> dict[str, xr.DataArray]:
    """The hourly limit: unlimited where the source is hot enough to supply the network
    directly, else the preheating share of the network's load
    (:func:`restvarme.physics.temperatures.direct_use_share`; 0 without ``allow_preheat``).

    On a stream with temperatures (:mod:`restvarme.model.streams`) the exchanger cools the
    stream from T_s down to ``max(T_min, T_return + approach)``, directly fed or preheating
    (``heat_exchanger_stream_high_c`` and ``_low_c``); what it takes from the stream is limited
    there, with the stream's other routes."""
    from restvarme.model.streams import exchanger_outlet_c, route_inputs, stream_of
    from restvarme.physics.temperatures import direct_use_share

    nets = ctx.networks
    limits, direct, intervals = [], [], []
    for hx in units:
        stream = stream_of(ctx, hx.source)
        intervals.append(
            None if stream is None else (stream.temperature_c, exchanger_outlet_c(ctx, hx, stream))
        )
        t_src = ctx.waste_temperature_c.sel(waste_source=hx.source).to_numpy()
        t_sup = nets["supply_temperature_c"].sel(network=hx.sink).to_numpy()
        t_ret = nets["return_temperature_c"].sel(network=hx.sink).to_numpy()
        load = nets["heat_demand_mw"].sel(network=hx.sink).to_numpy()
        is_direct = t_src - hx.approach_k >= t_sup
        share = direct_use_share(t_src, t_sup, t_ret, approach_k=hx.approach_k)
        preheat = share * load if hx.allow_preheat else np.zeros_like(load)
        limits.append(np.where(is_direct, np.inf, preheat))
        direct.append(is_direct)
    names = [h.name for h in units]
    return {
        "heat_exchanger_temperature_limit_mw": columns(limits, ctx.index, names, DIM, "MW"),
        "heat_exchanger_max_mw": np.minimum(
            columns(limits, ctx.index, names, DIM, "MW"),
            parameter(units, DIM, "capacity_mw", "MW"),
        ).assign_attrs(units="MW"),
        "heat_exchanger_direct": columns(direct, ctx.index, names, DIM, "-").astype(bool),
        "heat_exchanger_capacity_mw": parameter(units, DIM, "capacity_mw", "MW"),
        "heat_exchanger_vom_eur_per_mwh": parameter(units, DIM, "vom_eur_per_mwh", "EUR/MWh"),
        "heat_exchanger_sink": labels(units, DIM, "sink"),
        "heat_exchanger_source": labels(units, DIM, "source"),
        **route_inputs(ctx, DIM, names, intervals),
    }


def build(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> Ports:
    """Add all heat exchangers.

    The hourly limit ``max[t,x]`` comes from the inputs (see
    :func:`restvarme.physics.temperatures.direct_use_share`)::

        max[t,x] = capacity[x] (+ new capacity)                if T_src - ΔT >= T_supply (direct)
                 = min(capacity[x], share[t,x] · load[t,n])    otherwise (preheating the return)
        share    = (T_src - ΔT - T_return) / (T_supply - T_return), clipped to [0, 1]

        0 <= H[t,x] <= max[t,x];   H enters network n and is drawn from source s one to one;
        cost Σ w[t] · vom[x] · H[t,x];   H is waste heat by origin

    A network's return is preheated once: the exchangers preheating it share one cascade
    (:func:`add_preheat_cascade`), so two suppliers never heat the same water. On a waste-heat
    stream with temperatures, H is also limited on the stream's side: the exchanger cools its
    share of the stream's flow from T_src down to max(T_min, T_return + ΔT), shared with the
    stream's other routes (:mod:`restvarme.model.streams`)::

        H[t,x] <= C[t,s] · (T_src - max(T_min, T_return + ΔT))     (alone on the stream)
    """
    new = add_new_capacity(m, inputs, terms, DIM)
    upper = xr.where(
        inputs["heat_exchanger_extendable"],
        inputs["heat_exchanger_temperature_limit_mw"],
        inputs["heat_exchanger_max_mw"],
    )
    heat = add_variables(m, lower=0, upper=upper, name="heat_exchanger_heat")
    add_capacity_limit(
        m, inputs, DIM, heat, new, inputs["heat_exchanger_capacity_mw"], "heat_exchanger_capacity"
    )
    cascade = add_preheat_cascade(m, inputs, heat, terms.return_occupancy)
    return Ports(
        DIM,
        flows={"heat": Flow(heat), "source_heat": Flow(heat)},
        buses={
            "heat": inputs["heat_exchanger_sink"],
            "source_heat": inputs["heat_exchanger_source"],
        },
        costs=(Cost("variable_om", Flow(heat, inputs["heat_exchanger_vom_eur_per_mwh"])),),
        origins={"waste_heat": Flow(heat)},
        routes={
            "direct": Flow(heat, inputs["heat_exchanger_direct"].astype(float)),
            "preheat": Flow(heat, (~inputs["heat_exchanger_direct"]).astype(float)),
        },
        new_capacity=new,
        results={"preheat_cascade_dual_eur_per_mwh": _cascade_dual(heat, cascade)},
        handles={"heat_mw": heat},
    )


def _cascade_dual(
    heat: linopy.Variable, cascade: linopy.Constraint | None
) -> Callable[..., xr.DataArray]:
    """The results' ``preheat_cascade_dual_eur_per_mwh``, dims (snapshot, heat_exchanger): the
    shadow price ρ_j >= 0 of the cascade row of exchanger j's level, per MWh (the dual over
    the snapshot's cost weight), 0 where j has no row. The price list's preheat values read it
    (:func:`restvarme.accounting.waste_heat_value.preheat_cascade_value_eur_per_mwh`)."""

    def read(pick: Callable[[xr.DataArray], xr.DataArray], inputs: xr.Dataset) -> xr.DataArray:
        zero = xr.zeros_like(pick(heat.solution))
        if cascade is None:
            return zero.assign_attrs(units="EUR/MWh")
        rho = -pick(cascade.dual).fillna(0.0) / pick(inputs["cost_weight"])
        return (zero + rho).transpose(*zero.dims).assign_attrs(units="EUR/MWh")

    return read


def cascade_rows(
    inputs: xr.Dataset, like: xr.DataArray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The cascade of :func:`add_preheat_cascade` per network, as arrays over ``like``'s dims
    (ending in ``heat_exchanger``): ``peers[j, p]`` (the exchangers on j's sink, j included, in
    order; -1 past their number), ``member[..., j, p]`` (peer p counts towards j's level),
    ``rows[..., j]`` (a row is needed: two or more members) and ``limit[..., j]`` [MW], the
    right-hand side. The arrays grow with the exchangers times the most on one network."""
    order = (*(d for d in like.dims if d != DIM), DIM)
    lim = inputs["heat_exchanger_temperature_limit_mw"].broadcast_like(like)
    lim = lim.transpose(*order).values
    pre = (~inputs["heat_exchanger_direct"]).broadcast_like(like).transpose(*order).values
    pre = pre & np.isfinite(lim)
    sinks, sink = np.unique(inputs["heat_exchanger_sink"].values, return_inverse=True)
    peers = members(sink, len(sinks))[sink]  # (j, p)
    k = np.maximum(peers, 0)
    member = (peers >= 0) & pre[..., :, None] & pre[..., k] & (lim[..., k] <= lim[..., :, None])
    return peers, member, member.sum(-1) > 1, lim


def preheat_cascade(
    inputs: xr.Dataset, like: xr.DataArray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cascade of :func:`cascade_rows` with ``member[..., j, k]`` over every pair of
    exchangers (k counts towards j's level; False across networks), ``rows[..., j]`` and
    ``limit[..., j]`` [MW]: the dense form, for small systems (the PyPSA peer)."""
    peers, member, rows, lim = cascade_rows(inputs, like)
    dense = np.zeros((*member.shape[:-1], member.shape[-2]), dtype=bool)
    for p in range(peers.shape[1]):  # a loop over one network's exchangers, not hours
        j = np.flatnonzero(peers[:, p] >= 0)
        dense[..., j, peers[j, p]] = member[..., j, p]
    return dense, rows, lim


def add_preheat_cascade(
    m: linopy.Model,
    inputs: xr.Dataset,
    heat: linopy.Variable,
    occupancy: list[linopy.LinearExpression] | None = None,
) -> linopy.Constraint | None:
    """Preheating of one network's return by several exchangers, limited as one cascade.

    Water returning at T_r can be heated by an exchanger on a stream of usable temperature
    θ = T_src - ΔT only up to θ. With the network's heat capacity flow C = load / (T_s - T_r)
    [MW/K], the exchangers whose usable temperature is at most θ_j can together heat it by at
    most C·(θ_j - T_r), whatever their number: the composite-curve (pinch) limit of heat
    recovery (Linnhoff and Hindmarsh 1983, doi:10.1016/0009-2509(83)80185-7). Per network n,
    hour t and preheating exchanger j on n::

        Σ_{k on n preheating, θ_k <= θ_j} H[t,k]  <=  C[t,n] · (θ_j[t] - T_r[t,n])  =  max[t,j]

    where the right-hand side is j's own temperature limit from the inputs (share · load), and,
    as limits grow with θ, ``θ_k <= θ_j`` is ``max[t,k] <= max[t,j]``. An exchanger alone is
    already bound by its own limit; rows are added only where two or more share a level.
    Exchangers feeding the supply line (direct) heat from return to supply and are limited by
    the network's heat balance.

    Heat pumps on the network take return water too: ``occupancy`` (dims as ``heat``'s), the
    share of [T_r, θ_j] their flows fill (:func:`restvarme.units.heat_pump.add_levels`, heat
    pumps are built before exchangers), joins the left-hand side of row j::

        Σ_{k on n preheating, θ_k <= θ_j} H[t,k] + occupancy[t,j]  <=  max[t,j]

    and a row is then added wherever j preheats and a heat pump's term is present, even alone.
    A direct exchanger can heat any part of [T_r, T_s], like a boiler, so it is in no row: it
    takes whatever water the preheat and the heat pumps leave.

    Row j holds the exchangers of j's own network only (:func:`cascade_rows`), so its terms grow
    with the exchangers on one network, not with all of them.
    """
    labels = heat.labels
    order = (*(d for d in labels.dims if d != DIM), DIM)
    peers, member, rows, lim = cascade_rows(inputs, labels)
    occupied = None
    for term in occupancy or ():
        occupied = term if occupied is None else occupied + term
    if occupied is not None:
        own = (member & (peers == np.arange(len(peers))[:, None])).any(-1)  # j preheats
        data = occupied.data
        has = ((data["vars"] != -1) & (data["coeffs"] != 0)).any("_term")
        has = has.transpose(*order).values
        rows = rows | (own & has)
    if not rows.any():
        return None
    vars_ = np.where(member, labels.transpose(*order).values[..., np.maximum(peers, 0)], -1)
    coords = {d: labels.indexes[d] for d in order}
    expr = expression(
        xr.Dataset(
            {
                "vars": ((*order, "_term"), vars_),
                "coeffs": ((*order, "_term"), member.astype(float)),
                "const": (order, np.zeros(vars_.shape[:-1])),
            },
            coords=coords,
        ),
        m,
    )
    if occupied is not None:
        expr = expr + occupied
    rhs = xr.DataArray(np.where(rows, lim, 0.0), coords=coords, dims=order)
    mask = xr.DataArray(rows, coords=coords, dims=order)
    return add_constraint(m, expr, "<=", rhs, "heat_exchanger_preheat_cascade", mask=mask)


def finite_limits(inputs: xr.Dataset) -> dict[str, xr.DataArray]:
    """The temperature limit and the hourly maximum [MW] made finite with what the source
    offers in each hour (:attr:`UnitType.finite_limits`): the maximum capped at the offer, the
    temperature limit's direct-use hours (unlimited, +inf) set to it.

    The hourly problem is unchanged (the waste-heat balance already bounds every exchanger by
    the source's availability), but direct-use hours no longer hold an infinite limit, whose
    block mean would be infinite and let the exchanger run at full capacity through every hour
    of a block that has a single direct-use hour (:mod:`restvarme.inputs.aggregate`).

    A finite temperature limit, the preheat share of the network's load, is left as it is: it
    is the right-hand side of the network's preheat cascade (:func:`add_preheat_cascade`),
    which the exchangers on the network share whatever their sources, so one source's offer
    is not its bound. Capped at it, the Lund 2030 one-year expansion on 8-hour blocks
    (``benchmarks/_expansion.py``, two exchangers of 4 and 5 MW on two ESS sources preheating
    the main network, whose preheat share is about 120-140 MW) let them preheat 3.7 MW together
    instead of 9, cost 9 % more than the hourly optimum and built no pit store, where the
    hourly optimum builds 21,739 MWh (``benchmarks/README.md``, "The coarse plan and the
    preheat cascade").
    """
    offered = (
        inputs["waste_heat_available_mw"]
        .sel(waste_source=inputs[f"{DIM}_source"])
        .drop_vars("waste_source")
    )
    limit, maximum = inputs[f"{DIM}_temperature_limit_mw"], inputs[f"{DIM}_max_mw"]
    return {
        f"{DIM}_temperature_limit_mw": xr.where(np.isinf(limit), offered, limit)
        .assign_attrs(limit.attrs)
        .transpose(*limit.dims),
        f"{DIM}_max_mw": xr.where(maximum < offered, maximum, offered)
        .assign_attrs(maximum.attrs)
        .transpose(*maximum.dims),
    }


def capacity_limits(inputs: xr.Dataset) -> dict[str, xr.DataArray]:
    """The hourly maximum [MW] of the capacity as it stands, min(temperature limit, capacity), as
    :func:`inputs` sets it (:attr:`UnitType.capacity_limits`)."""
    limit, capacity = inputs[f"{DIM}_temperature_limit_mw"], inputs[f"{DIM}_capacity_mw"]
    return {f"{DIM}_max_mw": xr.where(limit < capacity, limit, capacity)}


UNIT = UnitType(
    name=DIM,
    order=20,
    specs=(HeatExchanger,),
    build=build,
    capacity=CapacityKind(MW, limits=("max_mw",)),
    label="Heat exchanger",
    colour="#17a2a2",
    inputs=inputs,
    finite_limits=finite_limits,
    capacity_limits=capacity_limits,
    references=(Reference("sink", "network"), Reference("source", "waste_heat", takes_heat=True)),
)
