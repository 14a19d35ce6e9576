"""Which PyPSA mapper translates each restvarme unit type: one table over the unit registry.

:func:`restvarme_peers.pypsa_network.to_pypsa` first adds what is not a unit (:data:`SYSTEM_STEPS`:
the buses with their demand, slack, grid and waste-heat sources, fleets), then walks
:data:`restvarme.units.registry.REGISTRY` in its order and, for each type the inputs hold,
calls ``MAPPERS[type name](builder)``. A type the inputs hold that has no mapper is refused
before anything is built, with an error naming the type (:func:`check_unit_types`). A new unit
module therefore cannot slip through the cross-check unmapped: it is either given a mapper here
or listed in :data:`REFUSED` with the reason, and ``tests/peers/test_pypsa_units.py`` checks that
every registered type is one or the other.

Each mapper adds all units of its type to the network being built (one vectorised ``n.add`` per
component kind) and records how to read their flows and new capacity; the equations are in the
module docstrings of :mod:`restvarme_peers.pypsa_network` (heat),
:mod:`~restvarme_peers.pypsa_sectors` (cooling and hydrogen),
:mod:`~restvarme_peers.pypsa_electricity` and :mod:`~restvarme_peers.pypsa_biogas`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.units.registry import REGISTRY
from restvarme_peers import pypsa_biogas as biogas
from restvarme_peers import pypsa_electricity as electricity
from restvarme_peers import pypsa_sectors as sectors
from restvarme_peers.pypsa_network import ELECTRICITY_BUS, _Builder

__all__ = ["MAPPERS", "REFUSED", "SYSTEM_STEPS", "check_unit_types", "map_units"]

Mapper = Callable[[_Builder], None]


def _boilers(b: _Builder) -> None:
    """Fuel boilers as Generators; those burning biogas from the biogas bus then as Links."""
    b.boilers()
    biogas.biogas_boilers(b)


def _chps(b: _Builder) -> None:
    """CHPs on their fuel buses; those burning biogas then drawing from the biogas bus."""
    b.chps()
    biogas.biogas_chps(b)


def _heat_pumps(b: _Builder) -> None:
    """Heat pumps as Links; where heat exchangers preheat a heat pump's sink, one more Link per
    heat pump and preheat level (:func:`heat_pump_levels`)."""
    b.heat_pumps()
    if "heat_pump_level_cop" in b.x:
        heat_pump_levels(b)


def heat_pump_levels(b: _Builder) -> None:
    """Heat pumps lifting preheated return water (restvarme.units.heat_pump.add_levels).

    The Link named after heat pump h carries its heat from the return, h_0 (its p0 is the
    electricity, its heat p0 · COP); one Link ``"<h> from <x>"`` per level x that h has in some
    hour carries h_x, with efficiency COP_x (p_max_pu 0 in the hours without that level).
    :func:`restvarme_peers.pypsa_network.extra_functionality` then adds, with q the heat of
    each Link (p0 · efficiency)::

        Σ_{links of h} q <= capacity[h]                                     (one capacity)
        Σ_{k: θ_k <= θ_j} H_k + Σ_links q · (θ_j - ℓ)⁺ / (T_s - ℓ) <= C · (θ_j - T_r)
        Σ_{links on n} q / (T_s - ℓ) <= C                        (hours with a level on n)

    with ℓ the Link's inlet (T_r for the heat pump's own Link). For an extendable heat pump the
    capacity in the first row is its own Link's ``p_nom`` variable, and its level Links get a
    ``p_nom`` no hour can reach (the shared row limits them). Where heat stores sit on a network
    with these rows, C is the plant's water, (load + S) / (T_s - T_r), S the stores' net
    charge (:func:`plant_store_charge`; restvarme.units._store.plant_store_charge), and the
    rows carry -S · (θ_j - T_r) / (T_s - T_r) and -S / (T_s - T_r) on their left."""
    x = b.x
    hps = [str(h) for h in x["heat_pump"].values]
    ext = np.asarray(x["heat_pump_extendable"].values, dtype=bool)
    level_c, level_cop, levels = _dense_levels(x, hps)
    is_open = np.isfinite(level_cop)
    cop0 = x["heat_pump_cop"].transpose("snapshot", "heat_pump").to_numpy()
    sink = [str(s) for s in x["heat_pump_sink"].values]
    source = [str(s) for s in x["heat_pump_source"].values]
    waste = {str(s) for s in x["waste_source"].values} if "waste_source" in x.sizes else set()
    pairs = [(h, k) for h in range(len(hps)) for k in range(len(levels)) if is_open[:, h, k].any()]
    names = [f"{hps[h]} from {levels[k]}" for h, k in pairs]
    cop = np.column_stack(
        [np.where(is_open[:, h, k], level_cop[:, h, k], cop0[:, h]) for h, k in pairs]
    )
    open_pairs = np.column_stack([is_open[:, h, k] for h, k in pairs])
    on_waste = np.array([source[h] in waste for h, _ in pairs])
    capacity = x["heat_pump_capacity_mw"].to_numpy()
    load_mw = x["heat_demand_mw"].to_numpy()
    unreachable = 10.0 * (float(np.nanmax(load_mw)) + float(capacity.sum()) + 1.0)
    vom = x["heat_pump_vom_eur_per_mwh"].to_numpy()
    frame = lambda a: pd.DataFrame(a, index=b.index, columns=names)  # noqa: E731
    b.n.add(
        "Link",
        names,
        bus0=ELECTRICITY_BUS,
        carrier="heat pump",
        bus1=[f"heat {sink[h]}" for h, _ in pairs],
        bus2=[f"waste {source[h]}" if w else "" for (h, _), w in zip(pairs, on_waste, strict=True)],
        p_nom=[unreachable if ext[h] else float(capacity[h]) for h, _ in pairs],
        p_max_pu=frame(np.where(open_pairs, 1 / cop, 0.0)),
        efficiency=frame(cop),
        efficiency2=frame(np.where(on_waste, -(cop - 1), 0.0)),
        marginal_cost=frame(np.array([vom[h] for h, _ in pairs]) * cop),
    )
    for j, ((h, _), name) in enumerate(zip(pairs, names, strict=True)):
        if on_waste[j]:  # S = (COP_x - 1) · P, over the heat pump's own interval on a stream
            b.route(name, "heat_pump", hps[h], source[h], cop[:, j] - 1)
    for h, hp in enumerate(hps):
        mine = [n for n, (g, _) in zip(names, pairs, strict=True) if g == h]
        b.heat_output(hp, *[("Link", "p1", n, -1.0) for n in (hp, *mine)])
        b.output("electricity", hp, *[("Link", "p0", n, -1.0) for n in (hp, *mine)])
    # per Link (the heat pumps' own, then the levels'): unit, inlet ℓ [°C], heat per p0
    unit = list(range(len(hps))) + [h for h, _ in pairs]
    ret = (
        x["return_temperature_c"]
        .sel(network=x["heat_pump_sink"])
        .transpose("snapshot", "heat_pump")
    )
    sup = (
        x["supply_temperature_c"]
        .sel(network=x["heat_pump_sink"])
        .transpose("snapshot", "heat_pump")
    )
    t_r, t_s = ret.to_numpy(), sup.to_numpy()
    inlet = np.column_stack([t_r, *(level_c[:, h, k] for h, k in pairs)])
    heat_per_p0 = np.column_stack([cop0, cop])
    t_s_link = t_s[:, unit]
    exchangers = [str(v) for v in x["heat_exchanger"].values]
    theta = np.full((len(b.index), len(hps), len(exchangers)), np.nan)
    for k, name in enumerate(levels):
        theta[:, :, exchangers.index(name)] = level_c[:, :, k]
    theta_link = theta[:, unit, :]  # (snapshot, link, exchanger)
    occupancy = np.nan_to_num(
        np.maximum(theta_link - inlet[..., None], 0.0) / (t_s_link - inlet)[..., None]
    )
    networks = [str(v) for v in x["network"].values]
    on = np.array([[sink[h] == n for n in networks] for h in unit], dtype=float)
    flow = np.nan_to_num(1 / (t_s_link - inlet))[..., None] * on  # (snapshot, link, network)
    load = x["heat_demand_mw"].transpose("snapshot", "network").to_numpy()
    span = (x["supply_temperature_c"] - x["return_temperature_c"]).transpose("snapshot", "network")
    has_level = (is_open.any(2).astype(float) @ on[: len(hps)]) > 0
    b.meta["heat_pump_levels"] = {
        **_plant_stores(b, theta, networks, has_level, span.to_numpy()),
        "links": [*hps, *names],
        "unit": unit,
        "units": hps,
        "capacity": capacity,
        "extendable": ext.tolist(),
        "heat_per_p0": heat_per_p0,
        "occupancy": occupancy,
        "exchangers": exchangers,
        "flow": flow,
        "networks": networks,
        "flow_limit": load / span.to_numpy(),
        "flow_rows": has_level,
    }


def _dense_levels(x: Any, hps: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """restvarme's preheat levels (``preheat_level``: one member per heat pump and exchanger on
    its sink, restvarme.units.heat_pump) as arrays over (snapshot, heat pump, exchanger): the
    level [°C] and the COP from it [-], NaN where the exchanger is no level of the heat pump;
    and the exchangers' names, in the order of ``heat_exchanger``."""
    unit = [hps.index(str(h)) for h in x["preheat_level_heat_pump"].values]
    of = [str(k) for k in x["preheat_level_exchanger"].values]
    levels = [str(k) for k in x["heat_exchanger"].values if str(k) in set(of)]
    column = [levels.index(k) for k in of]
    out = []
    for key in ("heat_pump_level_c", "heat_pump_level_cop"):
        flat = x[key].transpose("snapshot", "preheat_level").to_numpy()
        dense = np.full((flat.shape[0], len(hps), len(levels)), np.nan)
        dense[:, unit, column] = flat
        out.append(dense)
    return out[0], out[1], levels


def _plant_stores(
    b: _Builder, theta: np.ndarray, networks: list[str], has_level: np.ndarray, span: np.ndarray
) -> dict:
    """What :func:`plant_store_charge` reads: the heat stores on networks with flow rows, and
    per hour and exchanger j the share (θ_j - T_r) / (T_s - T_r) of its sink (0 where no heat
    pump's level is j's or its network has no row). Empty without such stores."""
    from restvarme.units._store import HEAT_STORE_DIMS

    x = b.x
    dim = HEAT_STORE_DIMS[0] if HEAT_STORE_DIMS else ""
    if x.sizes.get(dim, 0) == 0 or f"{dim}_network" not in x:
        return {}
    rows = {networks[i] for i in np.flatnonzero(has_level.any(0))}
    store_net = [str(v) for v in x[f"{dim}_network"].values]
    stores = [str(s) for s, net in zip(x[dim].values, store_net, strict=True) if net in rows]
    if not stores:
        return {}
    t_r = x["return_temperature_c"].transpose("snapshot", "network").to_numpy()
    exchanger_net = [networks.index(str(k)) for k in x["heat_exchanger_sink"].values]
    theta_j = np.nanmax(np.where(np.isfinite(theta), theta, -np.inf), axis=1)  # (t, exchanger)
    share = (theta_j - t_r[:, exchanger_net]) / span[:, exchanger_net]
    share = np.where(np.isfinite(theta_j) & has_level[:, exchanger_net], share, 0.0)
    eta_d = x[f"{dim}_efficiency_discharge"].sel({dim: stores}).to_numpy()
    return {
        "stores": stores,
        "store_network": [store_net[[str(s) for s in x[dim].values].index(s)] for s in stores],
        "store_efficiency_discharge": np.asarray(eta_d, dtype=float),
        "span": span,
        "store_share": share,
        "exchanger_network": [networks[i] for i in exchanger_net],
    }


def plant_store_charge(n: Any, levels: dict) -> Any:
    """S[t,n] = Σ_{stores on n} (p0 of its charge Link - η_d · p0 of its discharge Link), the
    heat stores' net charge [MW] as a linear expression with dims (snapshot, network), for the
    rows of :func:`heat_pump_levels` (restvarme_peers.pypsa_network.extra_functionality); None
    without stores on their networks. A store's discharge Link draws D/η_d from the store, so
    η_d · p0 is the heat D it gives the network."""
    if not levels.get("stores"):
        return None
    stores = levels["stores"]
    p = n.model["Link-p"]
    charge = p.sel(name=[f"{s} charge" for s in stores]).assign_coords(
        name=pd.Index(stores, name="name")
    )
    discharge = p.sel(name=[f"{s} discharge" for s in stores]).assign_coords(
        name=pd.Index(stores, name="name")
    )
    nets = pd.Index(levels["networks"], name="network")
    on = xr.DataArray(
        np.array([[net == k for k in nets] for net in levels["store_network"]], dtype=float),
        coords={"name": pd.Index(stores, name="name"), "network": nets},
    )
    eta = xr.DataArray(
        levels["store_efficiency_discharge"], coords={"name": pd.Index(stores, name="name")}
    )
    return (charge * on).sum("name") - (discharge * (eta * on)).sum("name")


SYSTEM_STEPS: tuple[Mapper, ...] = (
    _Builder.buses,
    _Builder.demand,
    _Builder.grid,
    _Builder.waste_heat,
    sectors.cooling_networks,
    sectors.hydrogen_bus,
    electricity.electricity_demand,
    biogas.biogas_bus,
    biogas.fleets,
)
"""What ``to_pypsa`` adds before any unit: every bus a unit may connect to, with its demand,
slack, grid connection and sources, and the transport fleets (loads on those buses)."""

MAPPERS: dict[str, Mapper] = {
    "heat_pump": _heat_pumps,
    "heat_exchanger": _Builder.heat_exchangers,
    "chp": _chps,
    "boiler": _boilers,
    "electric_boiler": _Builder.electric_boilers,
    "storage": _Builder.storage,
    "chiller": sectors.chillers,
    "free_cooling": sectors.free_cooling,
    "absorption_chiller": sectors.absorption_chillers,
    "cold_storage": sectors.cold_storage,
    "heat_recovery_heat_pump": sectors.heat_recovery_heat_pumps,
    "electrolyser": sectors.electrolysers,
    "hydrogen_storage": sectors.hydrogen_storage,
    "battery": electricity.batteries,
    "renewable": electricity.renewables,
    "fuel_cell": electricity.fuel_cells,
    "biogas_upgrading": biogas.biogas_upgrading,
    "biogas_storage": biogas.biogas_storage,
    "solar_thermal": _Builder.solar_thermal,
}
"""The mapper of each unit type, by its registry name (:attr:`UnitType.name`, the type's
dimension in the inputs)."""

REFUSED: dict[str, str] = {}
"""Registered unit types the peer deliberately does not map, with the reason given in the
error (none at present); inputs holding one of them are refused, so scenarios with it stay out
of the cross-check."""


def _present(inputs: xr.Dataset) -> list[str]:
    """Unit types the inputs hold: every registered type with units, and any other dimension
    carrying ``<dim>_extendable`` (as every unit type's inputs do), e.g. inputs written by a
    restvarme with a type this one does not register."""
    registered = [name for name, t in REGISTRY.items() if t.present(inputs)]
    suffix = "_extendable"
    other = [
        str(k)[: -len(suffix)]
        for k in inputs.data_vars
        if str(k).endswith(suffix)
        and str(k)[: -len(suffix)] not in REGISTRY
        and str(k)[: -len(suffix)] != "capacity_group"  # not a unit type: pypsa_groups
    ]
    return registered + [d for d in other if inputs.sizes.get(d, 0) > 0]


def check_unit_types(inputs: xr.Dataset) -> None:
    """Refuse inputs holding a unit type without a mapper, naming the type (and the reason
    where :data:`REFUSED` gives one)."""
    for name in _present(inputs):
        if name in MAPPERS:
            continue
        why = REFUSED.get(name, "no mapper in restvarme_peers.pypsa_units.MAPPERS")
        raise ValueError(
            f"to_pypsa cannot translate unit type '{name}' to PyPSA: {why}. Leave its units "
            "out of the cross-check."
        )


def map_units(b: _Builder) -> None:
    """Add the units of every type the inputs hold, in the registry's order (the inputs
    passed :func:`check_unit_types` first)."""
    for name, unit_type in REGISTRY.items():
        if unit_type.present(b.x):
            MAPPERS[name](b)
