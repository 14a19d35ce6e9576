"""District cooling and the hydrogen bus in the PyPSA peer (:mod:`restvarme_peers.pypsa_network`).

Each function adds one restvarme sector to the network being built by ``to_pypsa``'s builder,
with the equations of :mod:`restvarme.model.components` (snapshot weight w [h] on every cost).
PyPSA's Link convention: bus0 gives p0, bus i receives efficiency_i · p0 (a negative
efficiency_i takes from bus i).

==============================  ==============================================================
restvarme                       PyPSA
==============================  ==============================================================
cooling balance of network k    Bus ``cooling <k>``, Load ``cooling demand <k>``, Generator
                                ``unserved cooling <k>`` at the unserved-cooling penalty
chiller C <= K, P = C/EER       Link ``<c>``: electricity -> cooling, efficiency EER[t],
                                p_nom = K, p_max_pu = 1/EER[t] (so C <= K), cost vom·EER[t]
free cooling F <= min(A, s·K),  Bus ``ambient <f>`` with a free Generator (p_nom = max A, p_max_pu
electricity e·F                 = A[t]/max A; p_nom = inf where A is unlimited); Link ``<f>``:
                                ambient -> cooling (efficiency 1), bus2 electricity
                                (efficiency2 -e), p_nom = K, p_max_pu = s[t], cost vom
absorption chiller C <= s·K,    Link ``<a>``: driving heat (``heat <n>`` or ``waste <s>``) ->
heat C/ζ, electricity e·C       cooling, efficiency ζ, bus2 electricity (efficiency2 -e·ζ),
                                p_nom = K/ζ, p_max_pu = s[t], cost vom·ζ
cold store                      as the thermal store: Store on ``store <x>``, charge and
                                discharge links to ``cooling <k>``
heat-recovery heat pump         Link ``<h>``: electricity -> bus ``condenser <h>``
Q <= K, P = Q/COP,              (efficiency COP[t]) and bus2 ``cooling <k>`` (efficiency2
Qc = Q(1 - 1/COP),              COP[t] - 1), p_nom = K, p_max_pu = 1/COP[t], cost vom·COP[t];
heat Q - R, 0 <= R <= Q         Link ``<h> to network``: condenser -> ``heat <n>`` (free,
                                unlimited); Generator ``<h> heat rejection`` on the condenser
                                bus, p in [-inf, 0], marginal cost -rejection cost (so it
                                costs r·R), only where rejection is allowed
hydrogen balance                Bus ``hydrogen``, Load ``hydrogen demand``, Generators
                                ``unserved hydrogen`` (penalty) and ``hydrogen import``
                                (import price[t]; only with an import price)
electrolyser P <= K,            Link ``<e>``: electricity -> hydrogen (efficiency η) and bus2
hydrogen η·P, heat h·P offered  ``waste <s>`` (efficiency2 h), p_nom = K, cost vom·η + π_s·h
to source s                     (see below)
hydrogen store                  as the thermal store, on ``hydrogen``
==============================  ==============================================================

Electrolyser heat: restvarme bounds what units draw from source s by its availability plus the
heat offered, Σ drawn <= A[t,s] + h·P, and charges π_s (price + carbon price · emission factor)
per MWh drawn. PyPSA's bus balance is an equality, so a bus fed by electrolysers gets a sink,
Generator ``waste <s> unused`` with p in [-inf, 0] at marginal cost π_s (a refund), and the
electrolyser pays π_s·h per MWh of electricity: the total paid is π_s·(drawn from the source's
own generator + offered - unused) = π_s · Σ drawn, as in restvarme.

Capacity expansion follows the module docstring of :mod:`restvarme_peers.pypsa_network`, with
s = 1 for chillers, free cooling, heat-recovery heat pumps (p_max_pu keeps p_nom in restvarme's
rating) and electrolysers (rated in electricity, as restvarme), 1/ζ for absorption chillers,
and the stores as thermal stores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from restvarme_peers.pypsa_network import ELECTRICITY_BUS, _frame, _names, _scalar, _values

if TYPE_CHECKING:
    from restvarme_peers.pypsa_network import _Builder

HYDROGEN_BUS = "hydrogen"


def _cooling_buses(labels: xr.DataArray) -> list[str]:
    return [f"cooling {k}" for k in labels.values]


def _sources(b: _Builder, labels: xr.DataArray) -> list[str]:
    """The bus of each driving-heat label: ``heat <n>`` for a heat network, else ``waste <s>``."""
    nets = set(_names(b.x, "network"))
    return [f"heat {s}" if str(s) in nets else f"waste {s}" for s in labels.values]


def cooling_networks(b: _Builder) -> None:
    """Cooling buses with their load and unserved-cooling slack."""
    nets = _names(b.x, "cooling_network")
    if not nets:
        return
    buses = [f"cooling {k}" for k in nets]
    b.n.add("Bus", buses, carrier="cooling")
    loads = [f"cooling demand {k}" for k in nets]
    b.n.add(
        "Load",
        loads,
        bus=buses,
        carrier="cooling",
        p_set=_frame(b.x["cooling_demand_mw"], "cooling_network", loads, b.index),
    )
    b.n.add(
        "Generator",
        [f"unserved cooling {k}" for k in nets],
        bus=buses,
        carrier="unserved cooling",
        p_nom=np.inf,
        marginal_cost=_scalar(b.x, "unserved_cooling_penalty_eur_per_mwh"),
    )


def chillers(b: _Builder) -> None:
    names = _names(b.x, "chiller")
    if not names:
        return
    eer = b.x["chiller_eer"]
    b.n.add(
        "Link",
        names,
        bus0=ELECTRICITY_BUS,
        bus1=_cooling_buses(b.x["chiller_sink"]),
        carrier="chiller",
        **b.expansion(b.x, "chiller", "Link", _values(b.x["chiller_capacity_mw"])),
        efficiency=_frame(eer, "chiller", names, b.index),
        p_max_pu=_frame(1 / eer, "chiller", names, b.index),
        marginal_cost=_frame(b.x["chiller_vom_eur_per_mwh"] * eer, "chiller", names, b.index),
    )
    for name in names:
        b.output("cooling", name, ("Link", "p1", name, -1.0))
        b.output("electricity", name, ("Link", "p0", name, -1.0))


def free_cooling(b: _Builder) -> None:
    names = _names(b.x, "free_cooling")
    if not names:
        return
    x = b.x
    sink = x["free_cooling_sink"].to_series()
    if sink.duplicated().any():
        shared = ", ".join(sorted(set(sink[sink.duplicated(keep=False)])))
        raise ValueError(
            f"cooling network(s) {shared} have more than one free_cooling unit; the PyPSA peer "
            "does not map their joint pre-cooling limit (free_cooling_network_limit)"
        )
    share, available = x["free_cooling_share"], x["free_cooling_available_mw"]
    # an unlimited hour of a unit whose size is bounded is limited by that size (exact)
    most = x["free_cooling_capacity_mw"] + xr.where(
        x["free_cooling_extendable"], x["free_cooling_new_max"], 0.0
    )
    available = xr.where(np.isinf(available) & np.isfinite(most), most, available)
    # hours the source is not cold enough are closed by the link (share 0); elsewhere the
    # available cooling is either unlimited in every such hour or a finite series
    limited = np.isfinite(available.where(share > 0, 0.0)).all("snapshot")
    unlimited = np.isinf(available.where(share > 0, np.inf)).all("snapshot")
    if bool((~limited & ~unlimited).any()):
        bad = ", ".join(np.asarray(names)[(~limited & ~unlimited).to_numpy()])
        raise ValueError(
            f"free cooling {bad} is unlimited in some hours and limited in others; the PyPSA "
            "peer maps either; give available_mw in every hour or in none"
        )
    ambient = [f"ambient {f}" for f in names]
    p_nom = available.where(share > 0, 0.0).where(limited, 0.0).max("snapshot").clip(min=1e-9)
    pu = (available.where(share > 0, 0.0) / p_nom).where(limited, 1.0)
    b.n.add("Bus", ambient, carrier="ambient cooling")
    b.n.add(
        "Generator",
        ambient,
        bus=ambient,
        carrier="ambient cooling",
        p_nom=np.where(limited, _values(p_nom), np.inf),
        p_max_pu=_frame(pu, "free_cooling", ambient, b.index),
    )
    b.n.add(
        "Link",
        names,
        bus0=ambient,
        bus1=_cooling_buses(x["free_cooling_sink"]),
        bus2=ELECTRICITY_BUS,
        carrier="free cooling",
        efficiency=1.0,
        efficiency2=-_values(x["free_cooling_electricity_mwh_per_mwh"]),
        **b.expansion(x, "free_cooling", "Link", _values(x["free_cooling_capacity_mw"])),
        p_max_pu=_frame(share, "free_cooling", names, b.index),
        marginal_cost=_values(x["free_cooling_vom_eur_per_mwh"]),
    )
    for name in names:
        b.output("cooling", name, ("Link", "p1", name, -1.0))
        b.output("electricity", name, ("Link", "p2", name, -1.0))


def absorption_chillers(b: _Builder) -> None:
    names = _names(b.x, "absorption_chiller")
    if not names:
        return
    x = b.x
    cop = x["absorption_chiller_thermal_cop"]
    if bool((cop != cop.isel(snapshot=0)).any()):
        varying = (cop != cop.isel(snapshot=0)).any("snapshot").to_numpy()
        raise ValueError(
            f"absorption chiller(s) {', '.join(np.asarray(names)[varying])} have an hourly COP "
            "(characteristic); the PyPSA peer maps only a constant thermal_cop"
        )
    zeta = _values(cop.isel(snapshot=0))
    drives = _sources(b, x["absorption_chiller_source"])
    b.n.add(
        "Link",
        names,
        bus0=drives,
        bus1=_cooling_buses(x["absorption_chiller_sink"]),
        bus2=ELECTRICITY_BUS,
        carrier="absorption chiller",
        efficiency=zeta,
        efficiency2=-_values(x["absorption_chiller_electricity_mwh_per_mwh"]) * zeta,
        **b.expansion(
            x,
            "absorption_chiller",
            "Link",
            _values(x["absorption_chiller_capacity_mw"]) / zeta,
            1 / zeta,
        ),
        p_max_pu=_frame(x["absorption_chiller_share"], "absorption_chiller", names, b.index),
        marginal_cost=_values(x["absorption_chiller_vom_eur_per_mwh"]) * zeta,
    )
    for name, drive in zip(names, drives, strict=True):
        b.output("cooling", name, ("Link", "p1", name, -1.0))
        b.output("electricity", name, ("Link", "p2", name, -1.0))
        if drive.startswith("heat "):
            b.heat_output(name, ("Link", "p0", name, -1.0))
        else:  # its driving heat p0 is drawn from the source
            b.route(name, "absorption_chiller", name, drive.removeprefix("waste "), 1.0)


def cold_storage(b: _Builder) -> None:
    if not _names(b.x, "cold_storage"):  # a type without units has no inputs
        return
    b.stores(
        "cold_storage", _cooling_buses(b.x["cold_storage_network"]), "stored cooling", "cooling"
    )


def heat_recovery_heat_pumps(b: _Builder) -> None:
    dim = "heat_recovery_heat_pump"
    names = _names(b.x, dim)
    if not names:
        return
    x = b.x
    cop = x[f"{dim}_cop"]
    condensers = [f"condenser {h}" for h in names]
    b.n.add("Bus", condensers, carrier="condenser heat")
    b.n.add(
        "Link",
        names,
        bus0=ELECTRICITY_BUS,
        bus1=condensers,
        bus2=_cooling_buses(x[f"{dim}_cooling_network"]),
        carrier="heat recovery heat pump",
        **b.expansion(x, dim, "Link", _values(x[f"{dim}_capacity_mw"])),
        efficiency=_frame(cop, dim, names, b.index),
        efficiency2=_frame(cop - 1, dim, names, b.index),
        p_max_pu=_frame(1 / cop, dim, names, b.index),
        marginal_cost=_frame(x[f"{dim}_vom_eur_per_mwh"] * cop, dim, names, b.index),
    )
    to_network = [f"{h} to network" for h in names]
    b.n.add(
        "Link",
        to_network,
        bus0=condensers,
        bus1=[f"heat {k}" for k in x[f"{dim}_sink"].values],
        carrier="heat recovery heat pump",
        p_nom=np.inf,
    )
    allowed = x[f"{dim}_heat_rejection"].to_numpy().astype(bool)
    if allowed.any():
        sel = np.asarray(names)[allowed]
        b.n.add(
            "Generator",
            [f"{h} heat rejection" for h in sel],
            bus=[f"condenser {h}" for h in sel],
            carrier="heat rejection",
            p_nom=np.inf,
            p_min_pu=-1.0,
            p_max_pu=0.0,
            marginal_cost=-_values(x[f"{dim}_heat_rejection_cost_eur_per_mwh"])[allowed],
        )
    for name, link in zip(names, to_network, strict=True):
        b.heat_output(name, ("Link", "p1", link, -1.0))
        b.output("cooling", name, ("Link", "p2", name, -1.0))
        b.output("electricity", name, ("Link", "p0", name, -1.0))


def hydrogen_bus(b: _Builder) -> None:
    """The hydrogen bus with its load, unserved-hydrogen slack and import."""
    if "hydrogen_demand_mw" not in b.x:
        return
    x = b.x
    b.n.add("Bus", HYDROGEN_BUS, carrier="hydrogen")
    b.n.add(
        "Load",
        "hydrogen demand",
        bus=HYDROGEN_BUS,
        carrier="hydrogen",
        p_set=x["hydrogen_demand_mw"].to_series().set_axis(b.index),
    )
    b.n.add(
        "Generator",
        "unserved hydrogen",
        bus=HYDROGEN_BUS,
        carrier="unserved hydrogen",
        p_nom=np.inf,
        marginal_cost=_scalar(x, "hydrogen_unserved_penalty_eur_per_mwh"),
    )
    if "hydrogen_import_price_eur_per_mwh" in x:
        price = x["hydrogen_import_price_eur_per_mwh"].broadcast_like(x["snapshot_weight_h"])
        b.n.add(
            "Generator",
            "hydrogen import",
            bus=HYDROGEN_BUS,
            carrier="hydrogen import",
            p_nom=np.inf,
            marginal_cost=price.to_series().set_axis(b.index),
        )


def electrolysers(b: _Builder) -> None:
    """Electrolysers, and the sink ``waste <s> unused`` on each source they feed (see the
    module docstring)."""
    names = _names(b.x, "electrolyser")
    if not names:
        return
    x = b.x
    eta, heat = _values(x["electrolyser_efficiency"]), _values(x["electrolyser_heat_share"])
    sources = x["electrolyser_waste_heat"]
    # their heat enters these buses in full; restvarme lets it go unused (drawn <= available +
    # offered) and charges the price on heat drawn: the sink refunds the price
    fed = sorted({str(s) for s in sources.values})
    b.n.add(
        "Generator",
        [f"waste {s} unused" for s in fed],
        bus=[f"waste {s}" for s in fed],
        carrier="waste heat",
        p_nom=np.inf,
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=_values(b.price_of_waste(xr.DataArray(fed, dims="x"))),
    )
    b.n.add(
        "Link",
        names,
        bus0=ELECTRICITY_BUS,
        bus1=HYDROGEN_BUS,
        bus2=[f"waste {s}" for s in sources.values],
        carrier="electrolyser",
        efficiency=eta,
        efficiency2=heat,
        **b.expansion(x, "electrolyser", "Link", _values(x["electrolyser_capacity_mw"])),
        marginal_cost=_values(x["electrolyser_vom_eur_per_mwh"]) * eta
        + _values(b.price_of_waste(sources)) * heat,
    )
    for name in names:
        b.output("hydrogen", name, ("Link", "p1", name, -1.0))
        b.output("electricity", name, ("Link", "p0", name, -1.0))


def hydrogen_storage(b: _Builder) -> None:
    names = _names(b.x, "hydrogen_storage")
    b.stores("hydrogen_storage", [HYDROGEN_BUS] * len(names), "stored hydrogen", "hydrogen")
