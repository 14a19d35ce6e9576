"""Waste-heat streams: what each route can take from a stream, by temperature.

A waste-heat source with a minimum or reference temperature is a *stream*
(:class:`restvarme.scenario.heat.WasteHeatSource`): fluid arriving at T_s[t] with a heat
capacity flow C[t,s] [MW/K]. Its availability A[t,s] [MW] is its heat from T_s down to the
reference temperature T_ref,s, so ``C = A / (T_s - T_ref)``. A source without either temperature
stays a *pool*: every route draws on the same ``available_mw``, as before streams.

Routes. Every unit drawing heat H[t,k] [MW] from a stream (its ``source_heat`` port) cools a
share of the stream's mass flow over its own interval [lo_k, hi_k] [°C], which its unit type
declares as inputs ``<type>_stream_high_c`` and ``<type>_stream_low_c`` (dims snapshot, type):

* heat exchanger (direct or preheat, :mod:`restvarme.units.heat_exchanger`): hi = T_s,
  lo = max(T_min, T_return of its network + approach), the coldest it can leave a
  counter-current exchanger heating the return;
* heat pump (:mod:`restvarme.units.heat_pump`): hi = T_s, or, in series after an exchanger
  (``source_after``), min(T_s, that exchanger's lo); lo = max(T_min, hi - source cooling);
* a type that declares nothing (absorption chillers): the stream's whole range, hi = T_s,
  lo = T_floor = max(T_min, T_ref) (of those given).

Route k then uses the mass-flow share ``f_k = H_k / (C · (hi_k - lo_k))``. Water can pass
through a temperature only once: in every temperature interval the shares of the routes whose
intervals cover it sum to at most 1. For intervals on a line it is enough to check this at the
bottom of each interval (the maximal sets of overlapping intervals are those containing some
lo_j), so per stream s, snapshot t and route j on s (written with the stream's use U[t,s] [MW],
its availability counted down to T_ref that the routes' shares need)::

    Σ_{k on s: lo_k <= lo_j < hi_k}  H[t,k] · (T_s - T_ref) / (hi_k - lo_k)  <=  U[t,s]   (1)
    U[t,s] - offered[t,s]  <=  A[t,s]                                   (the waste-heat balance)

since ``f_k · A = H_k · (T_s - T_ref) / (hi_k - lo_k)``. A route alone gives
``H_k <= C · (hi_k - lo_k)``; two exchangers on one stream share its flow; a heat pump in series
after an exchanger covers the interval below the exchanger's outlet, so the two do not compete.
A route whose interval is empty in an hour (hi_k <= lo_k) takes nothing: ``H[t,k] <= 0``.
Rows (1) of routes with the same lo on one stream are the same row; it is added once. Heat
``offered`` by electrolysers adds flow at the stream's temperatures. Everything is linear: the
temperatures, and with them the coefficients, are inputs.

The waste-heat balance, one row per source and snapshot, keeps its name (``WASTE_HEAT_LIMIT``
of :mod:`restvarme.model.build`) and right-hand side; its dual is the value of one more MW of
the source's availability: for a pool, one more MW any route may take; for a stream, one more MW
of flow at its temperatures (heat counted down to T_ref), which each route can use only over its
own interval.

What the linear model assumes. Each route cools its share over exactly its declared interval:
a heat pump in series sees the exchanger's outlet temperature (its COP, from
:mod:`restvarme.units.heat_pump`, is computed at it) whatever the exchanger's load. Where the
heat pump takes more flow than the exchanger passes on, it takes water that is warmer than that
outlet (the stream itself, or another route's warmer outlet): a better COP than the model counts,
so the model is conservative there. A pool source is unchanged by this module.

References
----------
B. Linnhoff, E. Hindmarsh, "The pinch design method for heat exchanger networks", Chemical
Engineering Science 38(5), 745-763, 1983, doi:10.1016/0009-2509(83)80185-7 (temperature
intervals of streams); S. A. Papoulias, I. E. Grossmann, "A structural optimization approach in
process synthesis—II: Heat recovery networks", Computers & Chemical Engineering 7(6), 707-721,
1983, doi:10.1016/0098-1354(83)85023-6 (heat recovery as a linear program over intervals).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import get
from restvarme.model.linear import add_constraint, add_variables, expression, values_like

if TYPE_CHECKING:
    from restvarme.inputs.context import UnitInputs
    from restvarme.units.ports import Ports

__all__ = [
    "STREAM_ROWS",
    "STREAM_USE",
    "Stream",
    "StreamUse",
    "add_streams",
    "exchanger_outlet_c",
    "route_inputs",
    "stream_of",
    "stream_rows",
    "stream_sources",
]

STREAM_ROWS = "waste_heat_stream"
"""Name of the constraint (1) of the module docstring, dims (snapshot, stream_route)."""
STREAM_USE = "waste_heat_stream_use"
"""Name of the variable U[t,s] [MW], dims (snapshot, waste_source) over the streams."""
ROUTE_DIM = "stream_route"
"""Dimension of the rows (1): one per route on a stream, named by its unit."""
_TOLERANCE_K = 1e-9
"""An interval narrower than this is empty [K]."""


@dataclass(frozen=True)
class Stream:
    """One stream's temperatures as a route's input hook sees them."""

    temperature_c: np.ndarray
    """T_s per snapshot [°C]."""
    min_temperature_c: float
    """Lowest it may be cooled to [°C]; -inf without a minimum."""
    floor_c: float
    """The bottom of its whole range, max(T_min, T_ref) [°C]."""


def stream_of(ctx: UnitInputs, source: str) -> Stream | None:
    """The stream a unit named as ``source``, or None (a pool, an ambient source, air, a
    network)."""
    spec = ctx.scenario.waste_heat.get(source)
    if spec is None or not spec.is_stream:
        return None
    low = -np.inf if spec.min_temperature_c is None else spec.min_temperature_c
    return Stream(
        ctx.waste_temperature_c.sel(waste_source=source).to_numpy(),
        low,
        max(low, spec.counted_down_to_c),
    )


def exchanger_outlet_c(ctx: UnitInputs, exchanger: Any, stream: Stream) -> np.ndarray:
    """Coldest a heat exchanger leaves its stream [°C] per snapshot:
    ``max(T_min, T_return of its network + approach)``."""
    ret = ctx.networks["return_temperature_c"].sel(network=exchanger.sink).to_numpy()
    return np.maximum(stream.min_temperature_c, ret + exchanger.approach_k)


def route_inputs(
    ctx: UnitInputs, dim: str, names: list[str], intervals: list[tuple | None]
) -> dict[str, xr.DataArray]:
    """``<dim>_stream_high_c`` and ``<dim>_stream_low_c`` [°C], dims (snapshot, dim), from each
    unit's (hi, lo) arrays (None: not on a stream, NaN); nothing when no unit is on a stream,
    so inputs without streams stay as they were."""
    if all(i is None for i in intervals):
        return {}
    nan = np.full(len(ctx.index), np.nan)
    out = {}
    for k, key in enumerate(("high", "low")):
        values = np.column_stack([nan if i is None else i[k] for i in intervals])
        out[f"{dim}_stream_{key}_c"] = xr.DataArray(
            values,
            coords={"snapshot": ctx.index, dim: names},
            dims=("snapshot", dim),
            attrs={"units": "°C"},
        )
    return out


def stream_sources(inputs: xr.Dataset) -> list[str]:
    """The waste-heat sources that are streams (a reference temperature; else pools)."""
    if "waste_heat_reference_temperature_c" not in inputs:
        return []
    ref = inputs["waste_heat_reference_temperature_c"]
    finite = xr.apply_ufunc(np.isfinite, ref)
    other = [str(d) for d in ref.dims if d != "waste_source"]
    if other and bool((finite.any(other) != finite.all(other)).any()):
        raise ValueError(
            "a waste_heat source is a stream with temperatures in some pathway periods and a "
            "pool in others; give its min_temperature_c or reference_temperature_c in the base "
            "scenario"
        )
    if other:
        finite = finite.all(other)
    return [str(s) for s in ref["waste_source"].values[finite.values]]


@dataclass(frozen=True)
class StreamUse:
    """The streams of a model: their use U[t,s] and the rows (1) of the module docstring."""

    use: linopy.Variable
    """U[t,s] [MW], dims (snapshot, waste_source) over the streams."""
    rows: linopy.Constraint | None
    """The rows (1), dims (snapshot, stream_route); None without routes on streams."""
    sources: list[str]

    def pools_only(
        self, drawn: linopy.LinearExpression | linopy.Variable
    ) -> linopy.LinearExpression:
        """A per-source draw (dims ..., waste_source) without its terms on streams, whose draw
        enters the balance through U instead."""
        if isinstance(drawn, linopy.Variable):
            drawn = 1 * drawn
        data = drawn.data
        keep = ~data["waste_source"].isin(self.sources)
        return expression(
            data.assign(
                vars=data["vars"].where(keep, -1),
                coeffs=data["coeffs"].where(keep, 0.0),
                const=data["const"].where(keep, 0.0),
            ),
            drawn.model,
        )


@dataclass
class _Routes:
    """Every route on a stream, across unit types, as arrays over (*lead, route)."""

    names: list[str]
    stream: np.ndarray  # (route,) stream index
    vars: np.ndarray  # (*lead, route, term)
    coeffs: np.ndarray  # (*lead, route, term): H = Σ_term coeffs · x[vars]
    high: np.ndarray  # (*lead, route) [°C]
    low: np.ndarray  # (*lead, route) [°C]


def _over(da: xr.DataArray, lead: xr.DataArray, dim: str) -> np.ndarray:
    """``da`` (dims among lead's and ``dim``) as an array over (*lead dims, dim)."""
    return da.broadcast_like(lead).transpose(*lead.dims, dim).values


def _routes(inputs: xr.Dataset, units: Mapping[str, Ports], sources: list[str]) -> _Routes | None:
    """The routes of every unit type with a ``source_heat`` port on a stream."""
    lead = inputs["snapshot_weight_h"]
    temp = inputs["waste_heat_temperature_c"]
    floor: xr.DataArray = np.fmax(  # type: ignore[assignment]  # np.fmax keeps the DataArray
        inputs["waste_heat_min_temperature_c"], inputs["waste_heat_reference_temperature_c"]
    )
    parts = []
    for ports in units.values():
        if "source_heat" not in ports.flows:
            continue
        dim, flow, labels = ports.dim, ports.flows["source_heat"], ports.buses["source_heat"]
        on = np.flatnonzero(labels.isin(sources).values)
        if not len(on):
            continue
        term = flow.term
        if isinstance(term, linopy.Variable):
            v = term.labels.expand_dims("_term", axis=-1)
            c = xr.ones_like(v, dtype=float)
        else:
            v, c = term.data["vars"], term.data["coeffs"]
            if bool((term.data["const"] != 0).any()):
                raise ValueError(f"{dim}: a source-heat flow with a constant is not a route")
        order = (*lead.dims, dim, "_term")
        v, c = v.broadcast_like(lead).transpose(*order), c.broadcast_like(lead).transpose(*order)
        scale = values_like(flow.coeff, v.isel(_term=0, drop=True))
        of = labels.isel({dim: on})
        t_s = _over(temp.sel(waste_source=of).drop_vars("waste_source"), lead, dim)
        high = get(inputs, f"{dim}_stream_high_c")
        low = get(inputs, f"{dim}_stream_low_c")
        whole = _over(floor.sel(waste_source=of).drop_vars("waste_source"), lead, dim)
        hi = t_s if high is None else _over(high.isel({dim: on}), lead, dim)
        lo = whole if low is None else _over(low.isel({dim: on}), lead, dim)
        parts.append(
            (
                [str(n) for n in of[dim].values],
                np.asarray([sources.index(str(s)) for s in of.values]),
                v.values[..., on, :],
                (c.values * scale[..., None])[..., on, :],
                hi,
                lo,
            )
        )
    if not parts:
        return None
    width = max(p[2].shape[-1] for p in parts)

    def pad(a: np.ndarray, fill: float) -> np.ndarray:
        extra = width - a.shape[-1]
        return np.concatenate([a, np.full((*a.shape[:-1], extra), fill, a.dtype)], axis=-1)

    return _Routes(
        names=[n for p in parts for n in p[0]],
        stream=np.concatenate([p[1] for p in parts]),
        vars=np.concatenate([pad(p[2], -1) for p in parts], axis=-2),
        coeffs=np.concatenate([pad(p[3], 0.0) for p in parts], axis=-2),
        high=np.concatenate([p[4] for p in parts], axis=-1),
        low=np.concatenate([p[5] for p in parts], axis=-1),
    )


def stream_rows(routes: _Routes, spread_k: np.ndarray) -> tuple[np.ndarray, ...]:
    """The rows (1) as arrays over (*lead, j, p), p counting the routes on j's stream
    (``peers[j, p]``, -1 past their number): ``coeffs[..., j, p, term]`` on the terms of route
    ``peers[j, p]``, ``uses[..., j]`` (row j subtracts U of its stream: route j's interval is not
    empty), ``rows[..., j]`` (row j is added) and ``peers``; ``spread_k[..., k]`` is T_s - T_ref
    of route k's stream. The arrays grow with the routes times the most routes on one stream."""
    n = len(routes.names)
    on_stream = [np.flatnonzero(routes.stream == s) for s in np.unique(routes.stream)]
    peers = np.full((n, max(len(idx) for idx in on_stream)), -1)
    for idx in on_stream:  # a loop over streams, not hours
        peers[idx, : len(idx)] = idx
    valid = peers >= 0
    k = np.where(valid, peers, 0)
    hi, lo = routes.high, routes.low
    width = hi - lo
    is_open = width > _TOLERANCE_K
    lo_j, lo_k, hi_k = lo[..., :, None], lo[..., k], hi[..., k]
    member = valid & is_open[..., :, None] & is_open[..., k] & (lo_k <= lo_j) & (lo_j < hi_k)
    earlier = valid & (peers < np.arange(n)[:, None])
    duplicate = (member & earlier & (lo_k == lo_j)).any(-1)
    per_mw = np.where(is_open, spread_k / np.where(is_open, width, 1.0), 0.0)  # (*lead, k)
    own = (peers == np.arange(n)[:, None]) * 1.0
    # open row j: Σ member · per_mw_k · H_k; empty interval j: H_j alone (<= 0)
    weight = np.where(is_open[..., :, None], member * per_mw[..., k], own)
    coeffs = weight[..., None] * routes.coeffs[..., k, :]
    rows = (is_open & ~duplicate) | ~is_open
    return coeffs, is_open, rows, peers


def add_streams(
    m: linopy.Model, inputs: xr.Dataset, units: Mapping[str, Ports]
) -> StreamUse | None:
    """Add the streams' use U[t,s] and the rows (1) of the module docstring; None without
    streams (then nothing is added and every source is a pool)."""
    sources = stream_sources(inputs)
    if not sources:
        return None
    lead = inputs["snapshot_weight_h"]
    coords = [*(lead.indexes[d] for d in lead.dims), pd.Index(sources, name="waste_source")]
    use = add_variables(m, lower=0, coords=coords, name=STREAM_USE)
    routes = _routes(inputs, units, sources)
    if routes is None:
        return StreamUse(use, None, sources)
    spread = (
        inputs["waste_heat_temperature_c"] - inputs["waste_heat_reference_temperature_c"]
    ).sel(waste_source=sources)
    spread_s = spread.broadcast_like(lead).transpose(*lead.dims, "waste_source").values
    # where the stream offers nothing and is colder than T_ref any positive scale will do
    spread_s = np.where(spread_s > 0, spread_s, 1.0)
    coeffs, uses, rows, peers = stream_rows(routes, spread_s[..., routes.stream])
    vars_ = routes.vars[..., np.where(peers >= 0, peers, 0), :]
    vars_ = np.where(coeffs != 0, vars_, -1).reshape(*coeffs.shape[:-2], -1)
    coeffs = coeffs.reshape(*coeffs.shape[:-2], -1)
    use_labels = use.labels.transpose(*lead.dims, "waste_source").values[..., routes.stream]
    vars_ = np.concatenate([vars_, np.where(uses, use_labels, -1)[..., None]], axis=-1)
    coeffs = np.concatenate([coeffs, np.where(uses, -1.0, 0.0)[..., None]], axis=-1)
    rows = rows & (vars_ != -1).any(-1)
    dims = (*lead.dims, ROUTE_DIM)
    row_coords = {**{d: lead.indexes[d] for d in lead.dims}, ROUTE_DIM: routes.names}
    lhs = expression(
        xr.Dataset(
            {
                "vars": ((*dims, "_term"), vars_),
                "coeffs": ((*dims, "_term"), coeffs),
                "const": (dims, np.zeros(vars_.shape[:-1])),
            },
            coords=row_coords,
        ),
        m,
    )
    mask = xr.DataArray(rows, coords=row_coords, dims=dims)
    return StreamUse(use, add_constraint(m, lhs, "<=", 0.0, STREAM_ROWS, mask=mask), sources)
