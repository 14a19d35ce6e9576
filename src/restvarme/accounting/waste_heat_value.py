"""What a waste-heat stream is worth, hour by hour, at its temperature [EUR/MWh].

Three answers, from the most exact to the most general:

1. **The model's dual** (:func:`waste_heat_value_eur_per_mwh`): the saving of one more MWh of a
   source in an hour, given the system as built, with its heat pumps' and exchangers' capacities.
   It is the dual μ of the availability limit, which is net of the price the scenario already pays
   for the heat; ``gross=True`` adds that price back (what the utility could pay in total). For a
   source given as a stream with temperatures (:mod:`restvarme.model.streams`) the MWh is one
   more MWh of ``available_mw``, heat counted from the stream's temperature down to its
   reference temperature T_ref: more flow at the same temperatures, of which a route cooling it
   over [lo, hi] can use the share (hi - lo) / (T_s - T_ref). For a pool it is one more MWh any
   route may take.
2. **The route equivalent** (:func:`heat_pump_route_value_eur_per_mwh`): one MWh at a heat pump's
   evaporator yields COP/(COP-1) MWh of network heat and needs 1/(COP-1) MWh of electricity::

       v = (COP·λ_heat - λ_el - COP·vom) / (COP - 1)

   with the network's marginal heat price λ_heat and the marginal electricity price λ_el. On a
   pool it equals the dual whenever that heat pump runs below its capacity (LP complementary
   slackness) and says what the heat would be worth with more heat-pump capacity when it does
   not. On a stream it is per MWh at the evaporator, the dual per MWh of availability: where
   that heat pump alone is limited by the stream, μ = v · (hi - lo) / (T_s - T_ref).
3. **A delivery temperature that is not the source's own** (:func:`delivery_value_eur_per_mwh`):
   derived from the network's marginal price, the route that temperature allows, by the
   engine's own rules (:func:`restvarme.physics.temperatures.direct_use_share`), and the duals
   of the preheat cascade: *direct* feed-in when T - ΔT reaches the supply temperature (worth
   λ_heat per MWh), *preheating* of the return when it reaches above the return (worth
   λ_heat - R(θ), where R(θ) is what the cascade charges for the return's room up to
   θ = T - ΔT that existing exchangers already use, :func:`preheat_cascade_value_eur_per_mwh`),
   and a *heat pump* with the COP of :func:`restvarme.physics.cop.heat_pump_cop` (the formula
   of 2). Each is the marginal value of a small new supplier by that route (the reduced cost of
   its column); the best route counts; values are floored at zero in price lists (heat worth
   nothing is simply not taken).

From these :func:`price_list` builds a supplier price list in the style of Stockholm Exergi's Open
District Heating [1]_ (price by outdoor temperature band and delivery temperature, with expected
hours and yearly revenue of a 1 MW supplier), and :func:`candidate_supplier_value` answers "what
if a new supplier offered X MW at T °C" by solving the run again with the candidate added (the
cascade included: for a small supplier its saving per MWh is the price list's value, hour by
hour, where the LP's basis does not change; tests/accounting/test_waste_heat_value_cascade.py).

References
----------
.. [1] Stockholm Exergi, Open District Heating: suppliers are paid the avoided cost of production,
   by delivery temperature, outdoor temperature and volume (opendistrictheating.com FAQ).
.. [2] X. Zhang, X. Ge, W. Xu, "Exergy-based marginal pricing", Energy Policy 63, 1224-1232, 2013.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.accounting.emissions import require_one_period
from restvarme.physics.cop import heat_pump_cop
from restvarme.physics.temperatures import direct_use_share

__all__ = [
    "DEFAULT_DELIVERY_TEMPERATURES_C",
    "DEFAULT_OUTDOOR_BANDS_C",
    "CandidateValue",
    "HeatPumpAssumptions",
    "PriceList",
    "candidate_supplier_value",
    "delivery_value_eur_per_mwh",
    "heat_pump_assumptions_from_scenario",
    "heat_pump_route_value_eur_per_mwh",
    "preheat_cascade_value_eur_per_mwh",
    "price_list",
    "supplier_price_list",
    "waste_heat_value_eur_per_mwh",
]

DEFAULT_DELIVERY_TEMPERATURES_C: tuple[float, ...] = (25.0, 40.0, 55.0, 70.0, 85.0)
DEFAULT_OUTDOOR_BANDS_C: tuple[float, ...] = (-10.0, -5.0, 0.0, 5.0, 10.0, 15.0)
"""Inner edges of the outdoor temperature bands [°C]; the outer bands are open."""


@dataclass(frozen=True)
class HeatPumpAssumptions:
    """The heat pump a supplier's heat would go through (see :func:`heat_pump_cop`)."""

    quality_grade: float = 0.5
    cop_method: str = "carnot"
    condenser_approach_k: float = 4.0
    evaporator_approach_k: float = 5.0
    source_cooling_k: float = 5.0
    max_cop: float = 10.0
    vom_eur_per_mwh: float = 0.0
    """Variable O&M per MWh of heat output [EUR/MWh]."""

    def cop(self, supply_c: Any, source_c: Any, return_c: Any) -> Any:
        return heat_pump_cop(
            supply_c,
            source_c,
            temperature_return_c=return_c,
            quality_grade=self.quality_grade,
            condenser_approach_k=self.condenser_approach_k,
            evaporator_approach_k=self.evaporator_approach_k,
            source_cooling_k=self.source_cooling_k,
            method=self.cop_method,
            max_cop=self.max_cop,
        )


def heat_pump_assumptions_from_scenario(scenario: Any, source: str) -> HeatPumpAssumptions:
    """The parameters of the first heat pump drawing on ``source`` in a scenario (a ``Scenario``,
    ``ScenarioFile`` or resolved-scenario mapping); defaults if there is none."""
    sc = getattr(scenario, "scenario", scenario)
    units = sc["units"] if isinstance(sc, dict) else [u.model_dump() for u in sc.units]
    for u in units:
        if u.get("type") == "heat_pump" and u.get("source") == source:
            keys = {f for f in HeatPumpAssumptions.__dataclass_fields__ if f != "vom_eur_per_mwh"}
            kwargs = {k: u[k] for k in keys if u.get(k) is not None}
            return HeatPumpAssumptions(
                **kwargs, vom_eur_per_mwh=float(u.get("vom_eur_per_mwh") or 0)
            )
    return HeatPumpAssumptions()


def waste_heat_value_eur_per_mwh(ds: xr.Dataset, *, gross: bool = True) -> xr.DataArray:
    """The model's value of one more MWh of each source [EUR/MWh], dims (snapshot, waste_source).

    ``gross=False``: the dual μ of the availability limit (the saving net of the price the
    scenario pays); ``gross=True`` (default): μ + that price, what the heat is worth in total.
    For a stream, per MWh of its availability counted down to its reference temperature (see
    the module docstring, 1.).
    """
    if "waste_heat_value_eur_per_mwh" not in ds:
        raise KeyError(
            "these results have no waste-heat sources (no waste_heat_value_eur_per_mwh)."
        )
    mu = ds["waste_heat_value_eur_per_mwh"]
    return (mu + ds["waste_heat_price_eur_per_mwh"] if gross else mu).transpose("snapshot", ...)


def _route_value(
    cop: xr.DataArray,
    heat_price: xr.DataArray,
    electricity_price: xr.DataArray,
    vom_eur_per_mwh: xr.DataArray | float,
) -> xr.DataArray:
    """(COP·λ_heat - λ_el - COP·vom) / (COP - 1): value of one MWh at the evaporator."""
    return (cop * heat_price - electricity_price - cop * vom_eur_per_mwh) / (cop - 1.0)


def heat_pump_route_value_eur_per_mwh(
    ds: xr.Dataset, vom_eur_per_mwh: float | dict[str, float] = 0.0
) -> xr.DataArray:
    """Route equivalent of the value for each heat pump on a waste source [EUR/MWh of source heat],
    dims (snapshot, unit): ``(COP·λ_heat - λ_el - COP·vom)/(COP - 1)`` (module docstring, 2.).

    Parameters
    ----------
    ds : results Dataset
    vom_eur_per_mwh : float or mapping unit -> rate
        Variable O&M of the heat pumps per MWh of heat output [EUR/MWh].
    """
    waste = set(map(str, ds["waste_source"].values))
    hps = [
        str(u)
        for u, k, s in zip(
            ds["unit"].values, ds["unit_type"].values, ds["unit_source"].values, strict=True
        )
        if k == "heat_pump" and s in waste
    ]
    cop = ds["heat_pump_cop"].sel(heat_pump=hps).rename(heat_pump="unit")
    sinks = ds["unit_sink"].sel(unit=hps)
    heat_price = ds["marginal_heat_price_eur_per_mwh"].sel(network=sinks).drop_vars("network")
    vom = xr.DataArray(
        [
            vom_eur_per_mwh.get(u, 0.0)
            if isinstance(vom_eur_per_mwh, dict)
            else float(vom_eur_per_mwh)
            for u in hps
        ],
        coords={"unit": hps},
        dims="unit",
    )
    value = _route_value(cop, heat_price, ds["marginal_electricity_price_eur_per_mwh"], vom)
    return value.assign_coords(
        unit_source=("unit", ds["unit_source"].sel(unit=hps).values)
    ).transpose("snapshot", "unit")


Preheaters = tuple[list[str], dict[str, np.ndarray]]
"""A network's existing preheating exchangers and their arrays (:func:`_existing_preheaters`)."""


def _existing_preheaters(ds: xr.Dataset, network: str, approach_k: float) -> Preheaters:
    """The heat exchangers preheating ``network``'s return, as arrays (snapshot, exchanger):
    ``limit`` [MW] (their own temperature limit share · load, as
    :func:`restvarme.units.heat_exchanger.inputs` sets it), ``preheat`` (bool: preheating in
    that hour, not direct), ``heat`` [MW], ``capacity`` [MW] and ``surplus`` [EUR/MWh], P_k of
    :func:`preheat_cascade_value_eur_per_mwh`."""
    units = [
        str(u)
        for u, k, n in zip(
            ds["unit"].values, ds["unit_type"].values, ds["unit_sink"].values, strict=True
        )
        if k == "heat_exchanger" and n == network
    ]
    if not units:
        return units, {}
    sel = {"network": network}
    supply = ds["supply_temperature_c"].sel(sel).to_numpy()[:, None]
    ret = ds["return_temperature_c"].sel(sel).to_numpy()[:, None]
    load = ds["heat_demand_mw"].sel(sel).to_numpy()[:, None]
    price = ds["marginal_heat_price_eur_per_mwh"].sel(sel).to_numpy()[:, None]
    sources = ds["unit_source"].sel(unit=units).values
    t_src = (
        ds["waste_heat_temperature_c"]
        .sel(waste_source=sources)
        .transpose("snapshot", ...)
        .to_numpy()
    )
    gross = waste_heat_value_eur_per_mwh(ds).sel(waste_source=sources).transpose("snapshot", ...)
    share = direct_use_share(t_src, supply, ret, approach_k=approach_k)
    limit = np.asarray(share * load, dtype=float)
    capacity = (ds["capacity_existing"] + ds["capacity_new"]).sel(unit=units).to_numpy()
    vom = ds["unit_vom_eur_per_mwh"].sel(unit=units).to_numpy()
    heat = ds["heat_mw"].sel(unit=units).transpose("snapshot", "unit").to_numpy()
    return units, {
        "limit": limit,
        "preheat": (t_src - approach_k < supply) & (limit > 0),
        "heat": heat,
        "capacity": np.broadcast_to(capacity, heat.shape),
        "surplus": price - vom - gross.to_numpy(),
    }


CASCADE_TOL_MW = 1e-6
"""How close [MW] a flow must come to a limit for the preheat cascade to count it as binding."""


def preheat_cascade_value_eur_per_mwh(
    ds: xr.Dataset,
    temperature_c: float,
    network: str,
    *,
    approach_k: float = 5.0,
    tol_mw: float = CASCADE_TOL_MW,
) -> xr.DataArray:
    """What the preheat cascade charges one more MWh preheating ``network``'s return from a new
    supplier at ``temperature_c`` [EUR/MWh], dim snapshot: R(θ) below, derived from the run.

    The cascade (:func:`restvarme.units.heat_exchanger.add_preheat_cascade`, rows named
    ``heat_exchanger_preheat_cascade``) has, per network and hour, one row per preheating level
    j (usable temperature θ_j = T_src - ΔT, limit L_j = C·(θ_j - T_r), C = load/(T_s - T_r))::

        Σ_{k: L_k <= L_j} H[k]  <=  L_j            dual ρ_j >= 0 [EUR/MWh]

    (the lowest level's row is its exchanger's own upper bound). A new exchanger at level θ
    (L = C·(θ - T_r)) enters every existing row j with L_j >= L, and its own new row
    Σ_{L_k <= L} H[k] + H_new <= L, which is slack for a small supplier unless L is an existing
    level (the sum of the members below L is at most the limit of the highest of them, < L). So
    by LP sensitivity (the reduced cost of the new column; e.g. Bertsimas and Tsitsiklis,
    *Introduction to Linear Optimization*, 1997, §5.1) one more MWh of it saves::

        v_preheat(θ) = λ_heat - vom - R(θ),     R(θ) = Σ_{existing rows j: L_j >= L} ρ_j

    Results that hold the rows' duals (``preheat_cascade_dual_eur_per_mwh``, from
    :mod:`restvarme.units.heat_exchanger`) give R(θ) from them directly. That is needed where heat
    pumps lift the network's preheated return (:func:`restvarme.units.heat_pump.add_levels`):
    their flows enter the rows, so a row can bind with less preheat than its limit. There the new
    row at L is implied by the row below it and the heat pumps' flow row, but it can be tight
    (heat pumps take all the water between the two levels); the value derived here then
    overstates what a re-solve gives (:func:`candidate_supplier_value` is exact). In results
    without the duals (written before them) the ρ_j follow from the reduced costs of the
    existing exchangers, exact without heat pumps on preheated returns.
    Exchanger k on a pool source s earns P_k = λ_heat - vom_k - g_s per MWh (g_s:
    gross value of its source, :func:`waste_heat_value_eur_per_mwh`); where it runs between 0
    and its capacity its reduced cost is zero, so with R_k = Σ_{j: L_j >= L_k} ρ_j::

        R_k = P_k        (0 < H[k] < capacity[k]; its own bound counted as the row at L_k)
        ρ_j = 0          (row j slack: Σ_{L_k <= L_j} H[k] < L_j)

    Sweeping the levels from the highest down: R at a slack level is R of the level above; at a
    binding level it is P of an exchanger running there, else of one running at the nearest lower
    level with no binding row in between, else (dual not unique) R of the level above. R(θ) is R
    of the lowest existing level at or above L, 0 above them all. Where the LP is degenerate
    (an exchanger exactly at its own limit) this is the value of *adding* heat (the right
    derivative). Exact for exchangers on pool sources, and on streams with temperatures
    (:mod:`restvarme.model.streams`) where the exchanger cools the stream over its whole counted
    range (hi - lo = T_s - T_ref, so that one MWh of its heat is one MWh of availability; so all
    of the Lund example's); otherwise the stream's interval rows enter P_k with other weights,
    which the results do not hold. The existing exchangers' approach is taken as ``approach_k``
    (the results do not hold it either). The sweep loops over the exchangers of one network
    (a handful), vectorised over the hours.
    """
    preheaters = _existing_preheaters(ds, network, approach_k)
    return _cascade_value(ds, temperature_c, network, preheaters, approach_k, tol_mw)


def _cascade_value(
    ds: xr.Dataset,
    temperature_c: float,
    network: str,
    preheaters: Preheaters,
    approach_k: float,
    tol_mw: float,
) -> xr.DataArray:
    """:func:`preheat_cascade_value_eur_per_mwh` with the network's existing preheaters worked
    out beforehand (they do not depend on the new supplier's temperature)."""
    units, a = preheaters
    n_t = ds.sizes["snapshot"]
    out = np.zeros(n_t)
    supply = ds["supply_temperature_c"].sel(network=network).to_numpy()
    ret = ds["return_temperature_c"].sel(network=network).to_numpy()
    load = ds["heat_demand_mw"].sel(network=network).to_numpy()
    new_limit = (
        direct_use_share(np.full(n_t, temperature_c), supply, ret, approach_k=approach_k) * load
    )
    if units and "preheat_cascade_dual_eur_per_mwh" in ds:
        rho = (
            ds["preheat_cascade_dual_eur_per_mwh"]
            .sel(heat_exchanger=units)
            .transpose("snapshot", "heat_exchanger")
            .to_numpy()
        )
        pre, lim = a["preheat"], a["limit"]
        # an exchanger at its temperature limit without a row of its own (alone at its level)
        # holds that level's price in its bound: d_k = P_k - Σ_{rows j: L_j >= L_k} ρ_j
        above = pre[:, None, :] & (lim[:, None, :] >= lim[:, :, None] - tol_mw)  # (t, k, j)
        held = (above * rho[:, None, :]).sum(-1)
        at_limit = pre & (a["heat"] >= lim - tol_mw) & (lim <= a["capacity"] + tol_mw)
        bound = np.where(at_limit, np.maximum(a["surplus"] - held, 0.0), 0.0)
        enters = pre & (lim >= new_limit[:, None] - tol_mw)
        out = np.where(enters, rho + bound, 0.0).sum(axis=1)
    elif units:
        pre, lim, heat = a["preheat"], np.where(a["preheat"], a["limit"], np.nan), a["heat"]
        on = np.where(pre, heat, 0.0)
        below = pre[:, None, :] & (lim[:, None, :] <= lim[:, :, None] + tol_mw)  # (t, j, k)
        binding = pre & ((below * on[:, None, :]).sum(-1) >= lim - tol_mw)
        running = pre & (heat > tol_mw) & (heat < a["capacity"] - tol_mw)
        surplus = np.where(running, a["surplus"], np.nan)
        r_level = np.zeros_like(lim)
        order = np.argsort(np.where(pre, -lim, np.inf), axis=1, kind="stable")
        rows = np.arange(n_t)
        r_above, r_here, lim_prev = np.zeros(n_t), np.zeros(n_t), np.full(n_t, np.inf)
        for p in range(len(units)):
            j = order[:, p]
            lim_j = lim[rows, j]
            new_level = lim_j < lim_prev - tol_mw
            r_above = np.where(new_level, r_here, r_above)
            # a running exchanger at this level, else at the nearest lower level reached
            # through slack rows only
            same = np.abs(lim - lim_j[:, None]) <= tol_mw
            pinned = np.nanmax(np.where(same, surplus, np.nan), axis=1, initial=-np.inf)
            lower_bind = np.where(pre & binding & (lim < lim_j[:, None] - tol_mw), lim, -np.inf)
            floor = lower_bind.max(axis=1)  # highest binding level below this one
            reach = running & (lim < lim_j[:, None] - tol_mw) & (lim > floor[:, None] + tol_mw)
            best = np.where(reach, lim, -np.inf).argmax(axis=1)
            lower = np.where(reach.any(axis=1), surplus[rows, best], -np.inf)
            candidate = np.where(np.isfinite(pinned), pinned, lower)
            candidate = np.where(np.isfinite(candidate), candidate, r_above)
            r = np.where(binding[rows, j], np.maximum(candidate, r_above), r_above)
            r = np.where(pre[rows, j], r, r_above)
            r_level[rows, j] = r
            r_here = np.where(pre[rows, j], r, r_here)
            lim_prev = np.where(pre[rows, j], lim_j, lim_prev)
        at_or_above = pre & (lim >= new_limit[:, None] - tol_mw)
        lowest = np.where(at_or_above, lim, np.inf).argmin(axis=1)
        out = np.where(at_or_above.any(axis=1), r_level[rows, lowest], 0.0)
    return xr.DataArray(
        out,
        coords={"snapshot": ds["snapshot"].values},
        dims="snapshot",
        name="preheat_cascade_value_eur_per_mwh",
        attrs={"units": "EUR/MWh"},
    )


def delivery_value_eur_per_mwh(
    ds: xr.Dataset,
    temperature_c: float,
    network: str,
    *,
    heat_pump: HeatPumpAssumptions | None = None,
    approach_k: float = 5.0,
    supplier_mw: float = 1.0,
    heat_exchanger_vom_eur_per_mwh: float = 0.0,
) -> xr.Dataset:
    """Value of waste heat delivered at ``temperature_c`` into ``network``, by route [EUR/MWh].

    Derived, not solved: from the network's marginal heat price λ, the marginal electricity price,
    the duals of the preheat cascade and the route the temperature allows (module docstring,
    3.)::

        direct     λ - vom_hx                         T - ΔT >= T_supply
        preheat    λ - vom_hx - R(θ)                  T_return < T - ΔT < T_supply
        heat pump  (COP·λ - λ_el - COP·vom)/(COP - 1)

    with R(θ) what the heat already preheating the return up to θ = T - ΔT charges
    (:func:`preheat_cascade_value_eur_per_mwh`): 0 where the cascade has room at and above θ,
    up to λ where existing free heat fills it. Each is the marginal value of one more MWh of a
    small supplier by that route (the reduced cost of its column in the LP); the best counts.
    Returns a Dataset on snapshot with ``direct``, ``preheat`` and ``heat_pump`` (NaN where the
    route is not possible), ``preheat_cascade_eur_per_mwh`` (R), ``value_eur_per_mwh`` (the
    best route) and ``route`` (its name).

    Parameters
    ----------
    temperature_c : delivery temperature [°C]
    network : the network the heat would go to
    heat_pump : the heat pump for the heat-pump route (default :class:`HeatPumpAssumptions` ())
    approach_k : heat-exchanger approach [K], of the supplier's and the existing exchangers
    supplier_mw : the supplier's size [MW]; preheating counts only where the supplier's own
        preheat limit (share of the network's load) has room for it
    heat_exchanger_vom_eur_per_mwh : variable O&M of the exchanger [EUR/MWh]
    """
    preheaters = _existing_preheaters(ds, network, approach_k)
    return _delivery_value(
        ds,
        temperature_c,
        network,
        preheaters,
        heat_pump=heat_pump,
        approach_k=approach_k,
        supplier_mw=supplier_mw,
        heat_exchanger_vom_eur_per_mwh=heat_exchanger_vom_eur_per_mwh,
    )


def _delivery_value(
    ds: xr.Dataset,
    temperature_c: float,
    network: str,
    preheaters: Preheaters,
    *,
    heat_pump: HeatPumpAssumptions | None,
    approach_k: float,
    supplier_mw: float,
    heat_exchanger_vom_eur_per_mwh: float,
) -> xr.Dataset:
    """:func:`delivery_value_eur_per_mwh` with the network's existing preheaters worked out
    beforehand (a price list asks for many temperatures into the same networks)."""
    heat_pump = heat_pump or HeatPumpAssumptions()
    sel = {"network": network}
    supply, ret = ds["supply_temperature_c"].sel(sel), ds["return_temperature_c"].sel(sel)
    price = ds["marginal_heat_price_eur_per_mwh"].sel(sel)
    load = ds["heat_demand_mw"].sel(sel)
    through_hx = price - heat_exchanger_vom_eur_per_mwh
    is_direct = temperature_c - approach_k >= supply
    share = direct_use_share(
        xr.full_like(supply, temperature_c), supply, ret, approach_k=approach_k
    )
    can_preheat = ~is_direct & (share > 0) & (share * load >= supplier_mw)
    cascade = _cascade_value(ds, temperature_c, network, preheaters, approach_k, CASCADE_TOL_MW)
    cop = heat_pump.cop(supply, xr.full_like(supply, temperature_c), ret)
    hp = _route_value(
        cop, price, ds["marginal_electricity_price_eur_per_mwh"], heat_pump.vom_eur_per_mwh
    ).where(cop > 1.0)
    routes = xr.Dataset(
        {
            "direct": through_hx.where(is_direct),
            "preheat": (through_hx - cascade).where(can_preheat),
            "heat_pump": hp,
        }
    ).drop_vars("network", errors="ignore")
    stacked = routes.to_array("route")
    best = stacked.fillna(-np.inf).argmax("route")
    routes["value_eur_per_mwh"] = stacked.max("route", skipna=True)
    routes["route"] = xr.DataArray(
        np.asarray(list(routes.data_vars)[:3])[best.values], coords=best.coords, dims=best.dims
    )
    routes["preheat_cascade_eur_per_mwh"] = cascade.where(can_preheat)
    routes.attrs.update(temperature_c=temperature_c, network=network)
    return routes


def _band_labels(edges: Sequence[float]) -> list[tuple[str, float, float]]:
    bounds = [-np.inf, *edges, np.inf]
    out = []
    for lo, hi in pairwise(bounds):
        label = (
            f"< {hi:g}" if lo == -np.inf else f">= {lo:g}" if hi == np.inf else f"{lo:g} to {hi:g}"
        )
        out.append((label, lo, hi))
    return out


@dataclass(frozen=True)
class PriceList:
    """A supplier price list: hourly values and the tables built from them."""

    source: str
    hourly: pd.DataFrame
    """Value per snapshot [EUR/MWh, >= 0], one column per delivery temperature label."""
    table: pd.DataFrame
    """Long table: one row per (delivery temperature, outdoor band) and an ``all`` band."""
    notes: str
    supplier_mw: float = 1.0
    """The supplier size the revenue is for [MW]."""

    def matrix(self) -> pd.DataFrame:
        """The price list as printed: rows outdoor bands (with hours in the year) and then
        ``hours taken/yr``, ``mean price``, ``revenue per year`` and ``route``; one column per
        delivery temperature. Prices in EUR/MWh (mean over the hours taken), revenue in EUR/yr
        for the supplier size; bands with no hours are left out."""
        t = self.table
        temps = list(dict.fromkeys(t["delivery_temperature"]))
        prices = t.pivot(
            index="outdoor_band", columns="delivery_temperature", values="price_eur_per_mwh"
        )
        hours = t.groupby("outdoor_band", sort=False)["hours_in_band_h"].first()
        bands = [b for b in hours.index if b != "all" and hours[b] > 0]
        out = prices.loc[bands, temps].astype(object)
        out.insert(0, "hours/yr", hours[bands])
        out = out.astype(object)
        year = t[t["outdoor_band"] == "all"].set_index("delivery_temperature")
        for label, column in (
            ("hours taken/yr", "hours_taken_h"),
            ("mean price", "price_eur_per_mwh"),
            ("revenue per year", "revenue_eur_per_year"),
            ("route", "route"),
        ):
            out.loc[label] = [np.nan if column != "route" else "", *year.loc[temps, column]]
        out.index.name = "outdoor °C"
        out.columns.name = None
        return out


def _value_columns(
    ds: xr.Dataset,
    source: str,
    temperatures_c: Sequence[float],
    networks: Sequence[str],
    heat_pump: HeatPumpAssumptions | None,
    supplier_mw: float,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Hourly value [EUR/MWh] per delivery temperature (best over networks), own row first."""
    columns: dict[str, pd.Series] = {}
    routes: dict[str, str] = {}
    own_c = float(ds["waste_heat_temperature_c"].sel(waste_source=source).mean())
    own = waste_heat_value_eur_per_mwh(ds).sel(waste_source=source).to_series()
    approach_k = 5.0  # delivery_value_eur_per_mwh's default (supplier and existing exchangers)
    preheaters = {n: _existing_preheaters(ds, n, approach_k) for n in networks}
    for t in sorted({*temperatures_c, own_c}):
        if t == own_c:
            label = f"{t:g} °C (own: model dual)"
            columns[label] = own.clip(lower=0.0)
            routes[label] = "as built"
            continue
        per_net = [
            _delivery_value(
                ds,
                t,
                n,
                preheaters[n],
                heat_pump=heat_pump,
                approach_k=approach_k,
                supplier_mw=supplier_mw,
                heat_exchanger_vom_eur_per_mwh=0.0,
            )
            for n in networks
        ]
        values = pd.concat([r["value_eur_per_mwh"].to_series() for r in per_net], axis=1)
        label = f"{t:g} °C"
        columns[label] = values.max(axis=1).fillna(0.0).clip(lower=0.0)
        best = values.fillna(-np.inf).to_numpy().argmax(axis=1)
        chosen = np.stack([r["route"].to_numpy() for r in per_net], axis=1)[
            np.arange(len(best)), best
        ]
        counts = pd.Series(chosen[columns[label].to_numpy() > 0]).value_counts()
        routes[label] = counts.index[0] if len(counts) else "-"
    return pd.DataFrame(columns), routes


def _price_rows(
    ds: xr.Dataset,
    hourly: pd.DataFrame,
    routes: dict[str, str],
    band_edges_c: Sequence[float],
    supplier_mw: float,
) -> pd.DataFrame:
    """The long price-list table: per delivery temperature and outdoor band (and ``all``)."""
    w = ds["snapshot_weight_h"].to_series()
    outdoor = ds["outdoor_temperature_c"].to_series()
    scale = 8760.0 / float(w.sum())
    rows = []
    for label, values in hourly.items():
        taken = values > 0
        for band, lo, hi in [*_band_labels(band_edges_c), ("all", -np.inf, np.inf)]:
            inside = (outdoor >= lo) & (outdoor < hi)
            hours, hours_taken = float(w[inside].sum()), float(w[inside & taken].sum())
            revenue = float((values * w)[inside].sum())
            rows.append(
                {
                    "delivery_temperature": label,
                    "basis": "dual" if "own" in str(label) else "derived",
                    "route": routes[str(label)],
                    "outdoor_band": band,
                    "outdoor_min_c": lo,
                    "outdoor_max_c": hi,
                    "hours_in_band_h": hours * scale,
                    "hours_taken_h": hours_taken * scale,
                    "price_eur_per_mwh": revenue / hours_taken if hours_taken else np.nan,
                    "mean_value_eur_per_mwh": revenue / hours if hours else np.nan,
                    "revenue_eur_per_year": revenue * supplier_mw * scale,
                }
            )
    return pd.DataFrame(rows)


def price_list(
    ds: xr.Dataset,
    source: str,
    *,
    temperatures_c: Sequence[float] = DEFAULT_DELIVERY_TEMPERATURES_C,
    networks: Sequence[str] | None = None,
    band_edges_c: Sequence[float] = DEFAULT_OUTDOOR_BANDS_C,
    heat_pump: HeatPumpAssumptions | None = None,
    supplier_mw: float = 1.0,
) -> PriceList:
    """Supplier price list for one waste-heat source: value by outdoor band * delivery temperature.

    The row at the source's own (mean) temperature is the model's dual (gross of the scenario's
    price): the value of one more MWh *to the system as built*. Every other delivery temperature
    is derived with :func:`delivery_value_eur_per_mwh` for a supplier with its own exchanger or
    heat pump (``heat_pump``) into the best of ``networks`` (default: those the source already
    feeds), hour by hour: preheating net of what the heat already preheating that network's
    return charges (:func:`preheat_cascade_value_eur_per_mwh`), so that it is the marginal value
    of a small new supplier, as a re-solve gives it. Values below zero count as zero: the heat
    would not be taken.

    Table columns: ``delivery_temperature``, ``basis``, ``route`` (the route used most),
    ``outdoor_band``, ``outdoor_min_c``, ``outdoor_max_c``, ``hours_in_band_h``,
    ``hours_taken_h`` (value > 0), ``price_eur_per_mwh`` (mean over hours taken),
    ``mean_value_eur_per_mwh`` (mean over all hours of the band), ``revenue_eur_per_year``
    (a ``supplier_mw`` supplier delivering in every hour taken, scaled to 8,760 h).
    """
    if source not in require_one_period(ds)["waste_source"].values:
        raise KeyError(
            f"no waste-heat source {source!r}; the run has "
            f"{', '.join(map(str, ds['waste_source'].values))}."
        )
    if networks is None:
        feeds = ds["unit_sink"].where(ds["unit_source"] == source, drop=True).values
        heat_networks = {str(n) for n in ds["network"].values}  # not cooling networks
        networks = sorted(set(map(str, feeds)) & heat_networks) or sorted(heat_networks)
    hourly, routes = _value_columns(ds, source, temperatures_c, networks, heat_pump, supplier_mw)
    table = _price_rows(ds, hourly, routes, band_edges_c, supplier_mw)
    notes = (
        f"{source}: own temperature row = model dual + price (system as built); other rows "
        f"derived from marginal heat/electricity prices and the preheat cascade into "
        f"{', '.join(networks)} "
        f"(best route per hour); supplier {supplier_mw:g} MW"
    )
    return PriceList(source, hourly, table, notes, supplier_mw)


def supplier_price_list(ds: xr.Dataset, source: str | None = None, **kwargs: Any) -> pd.DataFrame:
    """:meth:`PriceList.matrix` of one source, or of every waste-heat source stacked (index
    ``source``, ``outdoor °C``); ``kwargs`` go to :func:`price_list`."""
    sources = (
        [source] if source else [str(s) for s in require_one_period(ds)["waste_source"].values]
    )
    return pd.concat({s: price_list(ds, s, **kwargs).matrix() for s in sources}, names=["source"])


@dataclass(frozen=True)
class CandidateValue:
    """The worth of a candidate supplier, measured by solving with and without it."""

    name: str
    available_mw: float
    temperature_c: float
    network: str
    objective_base_eur: float
    objective_eur: float
    taken_mwh: float
    results: xr.Dataset

    @property
    def saving_eur(self) -> float:
        """Objective without the candidate minus with it [EUR over the horizon]."""
        return self.objective_base_eur - self.objective_eur

    @property
    def saving_eur_per_mwh(self) -> float:
        """Saving per MWh of the candidate's heat actually taken [EUR/MWh]."""
        return self.saving_eur / self.taken_mwh if self.taken_mwh > 0 else float("nan")


def _solve(sf: Any, solver: str) -> xr.Dataset:
    from restvarme.inputs.build import build_inputs
    from restvarme.model.build import build_model
    from restvarme.model.solve import solve
    from restvarme.results.collect import collect_results

    built = build_model(build_inputs(sf))
    return collect_results(built, solve(built, solver))


def _candidate_units(
    name: str,
    network: str,
    available_mw: float,
    approach_k: float,
    hp: HeatPumpAssumptions,
    hp_capacity_mw: float,
) -> list:
    """A candidate's heat exchanger (capacity ``available_mw``) and (if ``hp_capacity_mw`` > 0)
    heat pump, validated."""
    from restvarme.units.heat_exchanger import HeatExchanger
    from restvarme.units.heat_pump import HeatPump

    units: list[HeatExchanger | HeatPump] = [
        HeatExchanger.model_validate(
            {
                "name": f"{name}_hx",
                "type": "heat_exchanger",
                "source": name,
                "sink": network,
                "capacity_mw": available_mw,
                "approach_k": approach_k,
            }
        )
    ]
    if hp_capacity_mw > 0:
        pump = {k: getattr(hp, k) for k in HeatPumpAssumptions.__dataclass_fields__}
        units.append(
            HeatPump.model_validate(
                {
                    "name": f"{name}_hp",
                    "type": "heat_pump",
                    "source": name,
                    "sink": network,
                    "capacity_mw": hp_capacity_mw,
                    **pump,
                }
            )
        )
    return units


def candidate_supplier_value(
    scenario_file: Any,
    *,
    available_mw: float,
    temperature_c: float,
    network: str,
    name: str = "candidate",
    price_eur_per_mwh: float = 0.0,
    heat_pump_capacity_mw: float | None = None,
    heat_pump: HeatPumpAssumptions | None = None,
    approach_k: float = 5.0,
    heat_exchanger_capacity_mw: float | None = None,
    base_objective_eur: float | None = None,
    solver: str = "highs",
) -> CandidateValue:
    """Value of a new supplier offering ``available_mw`` at ``temperature_c`` into ``network``.

    The scenario is solved again with the candidate added as a waste-heat source with a heat
    exchanger (direct use or preheating, as its temperature allows; capacity ``available_mw``)
    and a heat pump (``heat_pump_capacity_mw``, default twice ``available_mw``, which the source
    limit binds before the capacity for any COP >= 2; 0 for none). Nothing is committed: the
    scenario object is not changed. The saving is the drop of the objective.

    Parameters
    ----------
    scenario_file : a loaded ``ScenarioFile`` (``restvarme.load(...)``)
    heat_exchanger_capacity_mw : the candidate exchanger's capacity [MW] (default
        ``available_mw``); larger, the source's availability alone binds it, and the results'
        waste-heat value of the candidate is then its hourly dual (what the price list derives)
    base_objective_eur : the objective without the candidate, if already known (saves a solve)
    """
    from restvarme.scenario import schema as s
    from restvarme.scenario.load import ScenarioFile

    sc = scenario_file.scenario
    if network not in sc.networks:
        raise KeyError(f"no network {network!r}; the scenario has {', '.join(sc.networks)}.")
    if name in sc.waste_heat or any(u.name.startswith(name) for u in sc.units):
        raise ValueError(f"the name {name!r} is taken in the scenario; pass name=... to rename.")
    hp_capacity = 2.0 * available_mw if heat_pump_capacity_mw is None else heat_pump_capacity_mw
    hx_capacity = available_mw if heat_exchanger_capacity_mw is None else heat_exchanger_capacity_mw
    units = _candidate_units(
        name, network, hx_capacity, approach_k, heat_pump or HeatPumpAssumptions(), hp_capacity
    )
    source = s.WasteHeatSource.model_validate(
        {
            "available_mw": available_mw,
            "temperature_c": temperature_c,
            "price_eur_per_mwh": price_eur_per_mwh,
            "description": "candidate supplier",
        }
    )
    changed = sc.model_copy(
        update={"waste_heat": {**sc.waste_heat, name: source}, "units": [*sc.units, *units]}
    )
    with_candidate = _solve(
        ScenarioFile(changed, scenario_file.path, scenario_file.base_dir), solver
    )
    if base_objective_eur is None:
        base_objective_eur = float(_solve(scenario_file, solver).attrs["objective_eur"])
    taken = float(with_candidate["waste_heat_used_mwh"].sel(waste_source=name).sum())
    objective = float(with_candidate.attrs["objective_eur"])
    return CandidateValue(
        name,
        available_mw,
        temperature_c,
        network,
        base_objective_eur,
        objective,
        taken,
        with_candidate,
    )
