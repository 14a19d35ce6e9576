"""The problem of :func:`restvarme.model.build.build_model`, built independently in PyPSA.

:func:`to_pypsa` reads restvarme's inputs Dataset (:func:`restvarme.inputs.build.build_inputs`)
and maps every equation of the restvarme formulation onto PyPSA components, so that both models
have the same optimum. With snapshot weight w [h] on every objective and store term:

==========================  ==================================================================
restvarme                   PyPSA
==========================  ==================================================================
heat balance of network n   Bus ``heat <n>`` with Load ``demand <n>`` (p_set = load[t,n])
unserved heat U[t,n]        Generator ``unserved <n>`` at the penalty price, p_nom = inf
electricity balance         Bus ``electricity`` (local demand, batteries, PV, wind and fuel
                            cells: see pypsa_electricity)
grid import I[t]            Generator ``grid import``: p_nom = import limit,
                            marginal cost spot[t] + fee + carbon price·emission factor[t]
grid export X[t]            Generator ``grid export``: p_nom = export limit, p_min_pu = -1,
                            p_max_pu = 0, marginal cost spot[t] (present only if allowed)
waste heat drawn <= avail   Bus ``waste <s>`` with Generator ``waste <s>``: p_max_pu(t) =
                            available[t,s]/p_nom, marginal cost = its price + carbon
                            price·its emission factor (on a source electrolysers feed, also
                            a sink ``waste <s> unused``: see pypsa_sectors)
waste-heat stream s         Generator ``waste <s>`` unlimited (p_nom = inf, cost as above on
(min or reference temp.)    what the routes draw); :func:`extra_functionality` adds U[t,s] in
                            [0, A[t,s]] and per route j (a Link drawing H from ``waste <s>``,
                            its interval [lo_j, hi_j] from the inputs' ``<type>_stream_high_c``
                            and ``_low_c``, else [max(T_min, T_ref), T_s]) the row
                            Σ_{k: lo_k <= lo_j < hi_k} H_k·(T_s - T_ref)/(hi_k - lo_k) <= U
                            (H_j <= 0 where j's interval is empty): :func:`_stream_rows`
heat pump Q = COP·P         Link ``<hp>``: bus0 electricity -> bus1 heat, efficiency COP[t];
                            p_nom = capacity, p_max_pu = 1/COP[t] (so Q <= capacity);
                            on a waste source bus2 = ``waste <s>``, efficiency2 = -(COP[t]-1)
                            (S = Q·(1-1/COP)); marginal cost vom·COP[t] (vom is per MWh heat)
heat exchanger H <= max     Link ``<hx>``: waste -> heat, efficiency 1, p_nom = capacity,
                            p_max_pu = max[t,x]/capacity, marginal cost vom
boiler                      Generator ``<b>``: p_nom = capacity,
                            marginal cost (fuel price[t] + carbon·emission)/η + vom
electric boiler             Link ``<e>``: electricity -> heat, efficiency η, p_nom = capacity/η,
                            marginal cost vom·η
fuel of a CHP               Bus ``fuel <f>`` with Generator ``fuel <f>`` at fuel price[t] +
                            carbon price·emission factor, p_nom = inf
back-pressure CHP           Link ``<c>``: fuel -> heat (efficiency η_heat = η_el/cb) and
                            bus2 electricity (efficiency2 η_el); p_nom = F_max,
                            marginal cost vom·η_heat
extraction CHP              two Links from the fuel bus (PyPSA's own CHP recipe):
                            ``<c> power`` -> electricity (efficiency η_el, p_nom F_max) and
                            ``<c> heat`` -> heat (efficiency η_el/cv, p_nom Q_max·cv/η_el,
                            marginal cost vom·η_el/cv); :func:`extra_functionality` adds
                            F_power + F_heat <= F_max and F_power >= (cb/cv)·F_heat (P >= cb·Q)
solar-thermal field         Generator ``<s>`` on ``heat <n>``: p_nom = area A [m²],
Q <= q[t]·A, curtailable    p_max_pu = q[t] (heat per m² [MW/m²]), p_min_pu = 0,
                            marginal cost vom
thermal store               Bus ``store <x>``, Store ``<x>`` (e_nom = E, cyclic, standing loss
                            λ, so (1-λ)^w as in restvarme), Link ``<x> charge`` heat -> store
                            (efficiency η_c, p_nom C_max), Link ``<x> discharge`` store -> heat
                            (efficiency η_d, p_nom D_max/η_d, marginal cost vom·η_d)
==========================  ==================================================================

Capacity expansion (one-year runs)
----------------------------------
restvarme's new capacity N[u] (heat MW; MWh for stores) with ``flow <= K + k·N`` and cost
``years · c[u] · N[u]`` (:mod:`restvarme.model.capacity`) becomes PyPSA's own expansion on the
component above: its nominal attribute is ``s·(K + N)``, where ``s`` is the component's nominal
per unit of restvarme capacity, so::

    p_nom = s·K,  p_nom_extendable,  p_nom_min = s·(K + N_min),  p_nom_max = s·(K + N_max)
    capital_cost = years · c / s          (years = Σ snapshot weights / 8760)

with s = 1 for heat pumps (the link's p_max_pu = 1/COP keeps p_nom in heat output), boilers,
heat exchangers, stores (``e_nom``) and solar-thermal fields (p_nom in m², as restvarme); 1/η
for electric boilers; F_max/Q_max = 1/η_heat for back-pressure CHPs (fuel and heat scale
together); cv/η_el on an extraction CHP's heat link.

* **Existing capacity is free in restvarme.** PyPSA's ``include_objective_constant=True``
  (set by :func:`optimize`) subtracts ``capital_cost · p_nom`` of every extendable component
  from the objective, so ``n.objective`` is restvarme's objective as it stands: only capacity
  above the existing ``p_nom`` is paid for. (With ``include_objective_constant=False`` the two
  differ by that constant, :func:`existing_capital_cost_eur`.)
* **Heat exchangers** keep an hourly temperature limit that does not grow with size:
  H <= min(K + N, limit[t]). An extendable heat exchanger is two Links in series:
  ``<hx> temperature limit`` (waste -> bus ``hx <hx>``, fixed p_nom, p_max_pu = limit[t]/p_nom,
  with limit[t] capped by the source's availability, which bounds H anyway) and ``<hx>``
  (bus ``hx <hx>`` -> heat, extendable, vom); the flow through both is the smaller limit.
* **Stores**: ``e_nom`` is extendable; both links are extendable at no cost and tied to it by
  :func:`extra_functionality`: p_nom(charge) = C + r·(e_nom - E) and
  p_nom(discharge)·η_d = D + r·(e_nom - E), r = ``storage_charge_mw_per_mwh``.
* **Extraction CHPs**: the heat link is extendable (s = cv/η_el); the power link is extendable
  at no cost (its p_nom never binds) and :func:`extra_functionality`'s fuel limit becomes
  F_power + F_heat <= F_max + f·N with f = ``chp_fuel_per_heat_capacity`` and
  N = (η_el/cv)·p_nom(heat) - Q_max.

Cooling networks and the hydrogen bus
-------------------------------------
Chillers, free cooling, absorption chillers, cold stores, heat-recovery heat pumps,
electrolysers (their heat offered to a waste-heat source) and hydrogen stores, with the cooling
and hydrogen buses, are mapped by :mod:`restvarme_peers.pypsa_sectors` (its docstring has the
table). Cold and hydrogen stores use the thermal store's recipe above (:meth:`_Builder.stores`).

The electricity side
--------------------
Local electricity demand (a Load), batteries (the thermal store's recipe on the electricity
bus), PV and wind (curtailable Generators at the capacity factor) and fuel cells (a Link from
the hydrogen bus to electricity, its heat a second output) are mapped by
:mod:`restvarme_peers.pypsa_electricity` (its docstring has the table).

The biogas bus and transport fleets
-----------------------------------
The raw-biogas and vehicle-gas buses (plants, flare, gas grid, upgrading, biogas stores, boilers
and CHPs burning biogas) and transport fleets are mapped by :mod:`restvarme_peers.pypsa_biogas`
(its docstring has the table).

Which function maps which unit type
-----------------------------------
:func:`to_pypsa` adds the buses and what is not a unit first
(:data:`restvarme_peers.pypsa_units.SYSTEM_STEPS`), then walks the unit registry
(:data:`restvarme.units.registry.REGISTRY`) in its order and maps each type the inputs hold with
the function :data:`restvarme_peers.pypsa_units.MAPPERS` gives for its name. A type with no
mapper is refused, naming it; :data:`restvarme_peers.pypsa_units.REFUSED` lists the registered
types left out on purpose, with the reason (none at present).

Refused with a ValueError (no PyPSA counterpart here): extraction CHPs with cv = 0 (PyPSA's
recipe divides by cv), electrolysers offering heat into a waste-heat stream (restvarme adds it
to the stream's use U; the peer's rows do not), pathway runs (inputs with a ``period``
dimension), typical-day inputs, emission caps and minimum waste-heat shares (restvarme's soft
targets), unit types without a mapper, free cooling unlimited in some hours and limited in
others, and an extendable heat exchanger feeding the supply line from a source that an
electrolyser of unbounded size feeds.
Solve with :func:`optimize`, which passes :func:`extra_functionality`; read built capacities with
:func:`capacity_new` and flows with :func:`unit_output_mwh`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.errors import MissingExtraError
from restvarme.model.streams import stream_sources
from restvarme.units.heat_exchanger import preheat_cascade
from restvarme_peers.pypsa_commitment import commitment_attrs, refuse_extraction_commitment

if TYPE_CHECKING:
    import pypsa

META_KEY = "restvarme"
"""Key in ``Network.meta`` holding what :func:`extra_functionality`, :func:`unit_heat_mwh` and
:func:`capacity_new` need: extraction-CHP limits, store ties, each unit's heat flows and how to
read its new capacity."""

ELECTRICITY_BUS = "electricity"
HOURS_PER_YEAR = 8760.0


def _import_pypsa():
    try:
        import pypsa
    except ImportError as err:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError(
            "building the PyPSA peer model needs PyPSA; install it with "
            "`pip install restvarme[peers]`"
        ) from err
    return pypsa


def _names(inputs: xr.Dataset, dim: str) -> list[str]:
    return [str(v) for v in inputs[dim].values] if dim in inputs.sizes else []


def _frame(da: xr.DataArray, dim: str, columns: list[str], index: pd.Index) -> pd.DataFrame:
    """A (snapshot, dim) DataArray as a DataFrame with PyPSA component names as columns."""
    values = da.transpose("snapshot", dim).to_numpy()
    return pd.DataFrame(values, index=index, columns=columns)


def _values(da: xr.DataArray) -> np.ndarray:
    return np.asarray(da.to_numpy(), dtype=float)


def _scalar(inputs: xr.Dataset, key: str) -> float:
    """A scalar input: a data variable in current inputs, an attribute in older ones."""
    return float(inputs[key]) if key in inputs.data_vars else float(inputs.attrs[key])


def _expansion_attrs(
    x: xr.Dataset,
    dim: str,
    existing: np.ndarray,
    per_capacity: float | np.ndarray,
    years: float,
    nom: str = "p_nom",
) -> dict[str, Any]:
    """PyPSA's expansion attributes for the units of one restvarme type (see the module
    docstring): nominal = s·(K + N) with s = ``per_capacity``, and ``existing`` = s·K."""
    ext = x[f"{dim}_extendable"].to_numpy().astype(bool)
    s = np.broadcast_to(np.asarray(per_capacity, dtype=float), existing.shape)
    new_min, new_max = _values(x[f"{dim}_new_min"]), _values(x[f"{dim}_new_max"])
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = years * _values(x[f"{dim}_capacity_cost_eur_per_year"]) / s
    return {
        nom: existing,
        f"{nom}_extendable": ext,
        f"{nom}_min": np.where(ext, existing + s * new_min, 0.0),
        f"{nom}_max": np.where(ext, existing + s * new_max, np.inf),
        "capital_cost": np.where(ext, cost, 0.0),
    }


_EMPTY_K = 1e-9
"""A route's interval narrower than this [K] is empty: it takes nothing from its stream."""


def _stream_temperatures(x: xr.Dataset, streams: list[str]) -> dict[str, Any]:
    """What :func:`_stream_rows` needs of each stream, arrays over (snapshot, stream):
    availability A [MW], temperature T_s and floor max(T_min, T_ref) [°C], and the spread
    T_s - T_ref [K] its availability is counted over (1 where not positive: the stream then
    offers nothing and any positive scale gives the same rows)."""
    order = ("snapshot", "waste_source")
    sel = {"waste_source": streams}
    temp = x["waste_heat_temperature_c"].sel(sel)
    ref = x["waste_heat_reference_temperature_c"].sel(sel)
    low = x["waste_heat_min_temperature_c"].sel(sel)
    floor = xr.DataArray(np.fmax(low.values, ref.values), coords=ref.coords, dims=ref.dims)
    spread = (temp - ref).transpose(*order).to_numpy()
    return {
        "sources": streams,
        "available": x["waste_heat_available_mw"].sel(sel).transpose(*order).to_numpy(),
        "temperature": temp.transpose(*order).to_numpy(),
        "floor": floor.broadcast_like(temp).transpose(*order).to_numpy(),
        "spread": np.where(spread > 0, spread, 1.0),
    }


def _route_intervals(b: _Builder) -> None:
    """Each route's interval [lo, hi] [°C] per snapshot on its stream: the unit type's
    ``<type>_stream_high_c`` and ``_low_c`` inputs where it declares them, else the stream's
    whole range [floor, T_s]."""
    streams = b.meta.get("streams")
    if not streams:
        return
    links = b.n.c["Link"].static
    buses = {f"waste {s}" for s in streams["sources"]}
    ports = [c for c in links.columns if c.startswith("bus") and c[3:].isdigit()]
    on_stream = links.index[links[ports].isin(buses).any(axis=1)]
    if unknown := sorted(set(on_stream) - {r["link"] for r in b.meta["stream_routes"]}):
        # unlimited Generators would let such a Link draw without the stream's rows
        raise ValueError(
            f"to_pypsa has no stream route for Link(s) {', '.join(unknown)} on a waste-heat "
            "stream; map their unit type's draw with _Builder.route"
        )
    for r in b.meta["stream_routes"]:
        if r["source"] not in streams["sources"]:
            continue
        s = streams["sources"].index(r["source"])
        for key, default in (("high", streams["temperature"]), ("low", streams["floor"])):
            name = f"{r['dim']}_stream_{key}_c"
            r[key] = (
                b.x[name].sel({r["dim"]: r["unit"]}).transpose("snapshot").to_numpy()
                if name in b.x
                else default[:, s]
            )


class _Builder:
    """Adds one restvarme component type at a time to a PyPSA network."""

    def __init__(self, n: pypsa.Network, inputs: xr.Dataset):
        self.n, self.x = n, inputs
        self.index = pd.Index(inputs["snapshot"].to_index(), name="snapshot")
        self.w = inputs["snapshot_weight_h"]
        self.years = float(self.w.sum()) / HOURS_PER_YEAR
        self.meta: dict[str, Any] = {
            "heat": {},
            "cooling": {},
            "hydrogen": {},
            "electricity": {},
            "capacity": {},
            "extraction_chps": [],
            "store_ties": [],
            "stream_routes": [],
        }

    def heat_output(self, unit: str, *terms: tuple[str, str, str, float]) -> None:
        """Remember how to read unit's heat: (component, dynamic attribute, name, sign)."""
        self.output("heat", unit, *terms)

    def output(self, carrier: str, unit: str, *terms: tuple[str, str, str, float]) -> None:
        """Remember how to read unit's ``carrier`` (heat, cooling, hydrogen, electricity)
        output: (component, dynamic attribute, name, sign) per term."""
        self.meta[carrier][unit] = list(terms)

    def route(self, link: str, dim: str, unit: str, source: str, draw_per_p0: Any) -> None:
        """Remember that Link ``link`` draws ``draw_per_p0 · p0`` [MW] (a number or one per
        snapshot) from waste source ``source`` for unit ``unit`` of type ``dim``: a route on a
        stream if ``source`` is one (:func:`_stream_rows`)."""
        self.meta["stream_routes"].append(
            {
                "link": link,
                "dim": dim,
                "unit": unit,
                "source": source,
                "draw_per_p0": np.broadcast_to(
                    np.asarray(draw_per_p0, dtype=float), (len(self.index),)
                ).copy(),
            }
        )

    def price_of_waste(self, sources: xr.DataArray) -> xr.DataArray:
        """What restvarme charges per MWh drawn from each of ``sources`` [EUR/MWh]: its price
        plus carbon price · its emission factor."""
        price = self.x["waste_heat_price_eur_per_mwh"]
        if "waste_heat_emission_t_per_mwh" in self.x:
            price = price + (
                _scalar(self.x, "carbon_price_eur_per_t") * self.x["waste_heat_emission_t_per_mwh"]
            )
        return price.sel(waste_source=sources).drop_vars("waste_source")

    def expansion(
        self,
        x: xr.Dataset,
        dim: str,
        component: str,
        existing: np.ndarray,
        per_capacity: float | np.ndarray = 1.0,
        nom: str = "p_nom",
        names: list[str] | None = None,
    ) -> dict[str, Any]:
        """:func:`_expansion_attrs` for ``x``'s units, remembered for :func:`capacity_new`
        (``names``: the PyPSA components, if not named as the units)."""
        attrs = _expansion_attrs(x, dim, existing, per_capacity, self.years, nom)
        per = np.broadcast_to(np.asarray(per_capacity, dtype=float), existing.shape)
        units = _names(x, dim)
        for unit, name, e, s in zip(units, names or units, existing, per, strict=True):
            self.meta["capacity"][unit] = {
                "component": component,
                "name": name,
                "nom": nom,
                "existing": float(e),
                "per": float(s),
            }
        return attrs

    def buses(self) -> None:
        nets = _names(self.x, "network")
        self.n.add("Bus", [f"heat {k}" for k in nets], carrier="heat")
        self.n.add("Bus", ELECTRICITY_BUS, carrier="electricity")
        sources = _names(self.x, "waste_source")
        if sources:
            self.n.add("Bus", [f"waste {s}" for s in sources], carrier="waste heat")

    def demand(self) -> None:
        nets = _names(self.x, "network")
        self.n.add(
            "Load",
            [f"demand {k}" for k in nets],
            bus=[f"heat {k}" for k in nets],
            carrier="heat",
            p_set=_frame(
                self.x["heat_demand_mw"], "network", [f"demand {k}" for k in nets], self.index
            ),
        )
        self.n.add(
            "Generator",
            [f"unserved {k}" for k in nets],
            bus=[f"heat {k}" for k in nets],
            carrier="unserved heat",
            p_nom=np.inf,
            marginal_cost=_scalar(self.x, "unserved_heat_penalty_eur_per_mwh"),
        )

    def grid(self) -> None:
        a = self.x.attrs
        spot = self.x["electricity_price_eur_per_mwh"].to_series().set_axis(self.index)
        emission = self.x["electricity_emission_t_per_mwh"].to_series().set_axis(self.index)
        buy = (
            spot
            + _scalar(self.x, "grid_fee_eur_per_mwh")
            + _scalar(self.x, "carbon_price_eur_per_t") * emission
        )
        self.n.add(
            "Generator",
            "grid import",
            bus=ELECTRICITY_BUS,
            carrier="grid",
            p_nom=float(a["import_capacity_mw"]),
            marginal_cost=buy,
        )
        if a["export_allowed"]:
            self.n.add(
                "Generator",
                "grid export",
                bus=ELECTRICITY_BUS,
                carrier="grid",
                p_nom=float(a["export_capacity_mw"]),
                p_min_pu=-1.0,
                p_max_pu=0.0,
                marginal_cost=spot,
            )

    def waste_heat(self) -> None:
        sources = _names(self.x, "waste_source")
        if not sources:
            return
        avail = self.x["waste_heat_available_mw"]
        p_nom = avail.max("snapshot").clip(min=1e-9)  # any positive nominal keeps p_max_pu finite
        gens = [f"waste {s}" for s in sources]
        price = self.price_of_waste(self.x["waste_source"])
        streams = stream_sources(self.x)
        is_stream = xr.DataArray(np.isin(sources, streams), dims="waste_source")
        # a stream's routes are limited by the rows of _stream_rows, not by Σ drawn <= A
        self.n.add(
            "Generator",
            gens,
            bus=gens,
            carrier="waste heat",
            p_nom=np.where(is_stream.values, np.inf, _values(p_nom)),
            p_max_pu=_frame(
                xr.where(is_stream, 1.0, avail / p_nom), "waste_source", gens, self.index
            ),
            marginal_cost=_values(price),
        )
        if streams:
            self.meta["streams"] = _stream_temperatures(self.x, streams)

    def heat_pumps(self) -> None:
        names = _names(self.x, "heat_pump")
        if not names:
            return
        cop = self.x["heat_pump_cop"]
        sources = [str(s) for s in self.x["heat_pump_source"].values]
        on_waste = np.isin(sources, _names(self.x, "waste_source"))
        draw = (-(cop - 1)).where(xr.DataArray(on_waste, dims="heat_pump"), 0.0)
        vom = self.x["heat_pump_vom_eur_per_mwh"]
        self.n.add(
            "Link",
            names,
            bus0=ELECTRICITY_BUS,
            carrier="heat pump",
            bus1=[f"heat {k}" for k in self.x["heat_pump_sink"].values],
            bus2=[f"waste {s}" if w else "" for s, w in zip(sources, on_waste, strict=True)],
            **self.expansion(self.x, "heat_pump", "Link", _values(self.x["heat_pump_capacity_mw"])),
            p_max_pu=_frame(1 / cop, "heat_pump", names, self.index),
            **commitment_attrs(self.x, "heat_pump", names, self.index, per_pu=1 / cop),
            efficiency=_frame(cop, "heat_pump", names, self.index),
            efficiency2=_frame(draw, "heat_pump", names, self.index),
            marginal_cost=_frame(vom * cop, "heat_pump", names, self.index),
        )
        for i, name in enumerate(names):
            self.heat_output(name, ("Link", "p1", name, -1.0))
            self.output("electricity", name, ("Link", "p0", name, -1.0))
            if on_waste[i]:  # S = (COP - 1) · P
                self.route(name, "heat_pump", name, sources[i], cop.isel(heat_pump=i) - 1)

    def heat_exchangers(self) -> None:
        names = _names(self.x, "heat_exchanger")
        if not names:
            return
        ext = self.x["heat_exchanger_extendable"].to_numpy().astype(bool)
        if (~ext).any():
            self._fixed_heat_exchangers(self.x.sel(heat_exchanger=~ext))
        if ext.any():
            self._extendable_heat_exchangers(self.x.sel(heat_exchanger=ext))
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))
        like = self.x["heat_exchanger_temperature_limit_mw"].transpose("snapshot", "heat_exchanger")
        member, rows, limit = preheat_cascade(self.x, like)
        if np.diagonal(member, axis1=-2, axis2=-1).any():  # each exchanger's link carries H
            self.meta["preheat_cascade"] = {
                "links": list(names),
                "member": member,
                "rows": rows,
                "limit": limit,
            }

    def _fixed_heat_exchangers(self, x: xr.Dataset) -> None:
        names = _names(x, "heat_exchanger")
        cap = x["heat_exchanger_capacity_mw"]
        limit_pu = (x["heat_exchanger_max_mw"] / cap.where(cap > 0)).fillna(0.0)
        self.n.add(
            "Link",
            names,
            carrier="heat exchanger",
            bus0=[f"waste {s}" for s in x["heat_exchanger_source"].values],
            bus1=[f"heat {k}" for k in x["heat_exchanger_sink"].values],
            p_nom=_values(cap),
            p_max_pu=_frame(limit_pu, "heat_exchanger", names, self.index),
            marginal_cost=_values(x["heat_exchanger_vom_eur_per_mwh"]),
        )
        for name, source in zip(names, x["heat_exchanger_source"].values, strict=True):
            self.route(name, "heat_exchanger", name, str(source), 1.0)
        for name, k in zip(names, _values(cap), strict=True):
            self.meta["capacity"][name] = {
                "component": "Link",
                "name": name,
                "nom": "p_nom",
                "existing": float(k),
                "per": 1.0,
            }

    def _extendable_heat_exchangers(self, x: xr.Dataset) -> None:
        """min(K + N, limit[t]) as two links in series: a fixed temperature limit, then the
        extendable exchanger."""
        names = _names(x, "heat_exchanger")
        avail = (
            (self.x["waste_heat_available_mw"] + self._offered_max_mw())
            .sel(waste_source=x["heat_exchanger_source"])
            .drop_vars("waste_source")
        )
        on = x["heat_exchanger_source"]
        if streams := [str(s) for s in on.values if str(s) in stream_sources(self.x)]:
            # on a stream its own row bounds H by U·(hi - lo)/(T_s - T_ref) <= A·that share
            t = _stream_temperatures(self.x, sorted(set(streams)))
            width = (x["heat_exchanger_stream_high_c"] - x["heat_exchanger_stream_low_c"]).fillna(0)
            per_a = xr.DataArray(
                t["spread"], coords={"snapshot": self.x["snapshot"], "waste_source": t["sources"]}
            )
            spread = per_a.reindex(waste_source=_names(self.x, "waste_source"), fill_value=1.0)
            spread = spread.sel(waste_source=on).drop_vars("waste_source")
            share = (width / spread).where(width > _EMPTY_K, 0.0)
            avail = xr.where(on.isin(t["sources"]), avail * share, avail)
        t_limit = x["heat_exchanger_temperature_limit_mw"]
        limit = xr.where(t_limit < avail, t_limit, avail)  # availability bounds H anyway
        if not np.isfinite(limit).all():
            bad = ", ".join(np.asarray(names)[~np.isfinite(limit).all("snapshot").to_numpy()])
            raise ValueError(
                f"extendable heat exchanger {bad} draws from a source fed by an electrolyser of "
                "unbounded size, so its limit cannot be written as a finite p_max_pu; give the "
                "electrolyser's expansion a max_mw for the cross-check"
            )
        p_nom = limit.max("snapshot").clip(min=1e-9)
        middle = [f"hx {h}" for h in names]
        limits = [f"{h} temperature limit" for h in names]
        self.n.add("Bus", middle, carrier="waste heat")
        self.n.add(
            "Link",
            limits,
            carrier="heat exchanger",
            bus0=[f"waste {s}" for s in x["heat_exchanger_source"].values],
            bus1=middle,
            p_nom=_values(p_nom),
            p_max_pu=_frame(limit / p_nom, "heat_exchanger", limits, self.index),
        )
        for name, link, source in zip(names, limits, on.values, strict=True):
            self.route(link, "heat_exchanger", name, str(source), 1.0)
        self.n.add(
            "Link",
            names,
            carrier="heat exchanger",
            bus0=middle,
            bus1=[f"heat {k}" for k in x["heat_exchanger_sink"].values],
            **self.expansion(x, "heat_exchanger", "Link", _values(x["heat_exchanger_capacity_mw"])),
            marginal_cost=_values(x["heat_exchanger_vom_eur_per_mwh"]),
        )

    def _offered_max_mw(self) -> xr.DataArray:
        """Most heat electrolysers can offer to each waste source [MW]: h · (K + N_max)."""
        zero = xr.zeros_like(self.x["waste_heat_available_mw"].isel(snapshot=0, drop=True))
        if not _names(self.x, "electrolyser"):
            return zero
        x = self.x
        most = x["electrolyser_capacity_mw"] + xr.where(
            x["electrolyser_extendable"], x["electrolyser_new_max"], 0.0
        )
        offered = (
            (x["electrolyser_heat_share"] * most)
            .groupby(x["electrolyser_waste_heat"].rename("waste_source"))
            .sum()
        )
        return (
            zero + offered.reindex(waste_source=zero["waste_source"].values, fill_value=0.0)
        ).fillna(0.0)

    def _fuel_cost(self, fuel_labels: xr.DataArray) -> xr.DataArray:
        """Fuel price plus carbon price · emission factor [EUR/MWh fuel], per unit and hour."""
        price = self.x["fuel_price_eur_per_mwh"].sel(fuel=fuel_labels)
        emission = self.x["fuel_emission_t_per_mwh"].sel(fuel=fuel_labels)
        return (price + _scalar(self.x, "carbon_price_eur_per_t") * emission).drop_vars("fuel")

    def boilers(self) -> None:
        names = _names(self.x, "boiler")
        if not names:
            return
        cost = (
            self._fuel_cost(self.x["boiler_fuel"]) / self.x["boiler_efficiency"]
            + self.x["boiler_vom_eur_per_mwh"]
        )
        self.n.add(
            "Generator",
            names,
            bus=[f"heat {k}" for k in self.x["boiler_sink"].values],
            carrier="boiler",
            **self.expansion(self.x, "boiler", "Generator", _values(self.x["boiler_capacity_mw"])),
            **commitment_attrs(self.x, "boiler", names, self.index),
            marginal_cost=_frame(cost, "boiler", names, self.index),
        )
        for name in names:
            self.heat_output(name, ("Generator", "p", name, 1.0))

    def electric_boilers(self) -> None:
        names = _names(self.x, "electric_boiler")
        if not names:
            return
        eta = _values(self.x["electric_boiler_efficiency"])
        self.n.add(
            "Link",
            names,
            bus0=ELECTRICITY_BUS,
            carrier="electric boiler",
            bus1=[f"heat {k}" for k in self.x["electric_boiler_sink"].values],
            efficiency=eta,
            **self.expansion(
                self.x,
                "electric_boiler",
                "Link",
                _values(self.x["electric_boiler_capacity_mw"]) / eta,
                1 / eta,
            ),
            marginal_cost=_values(self.x["electric_boiler_vom_eur_per_mwh"]) * eta,
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))
            self.output("electricity", name, ("Link", "p0", name, -1.0))

    def fuels_of_chps(self) -> None:
        fuels = sorted({str(f) for f in self.x["chp_fuel"].values})
        labels = xr.DataArray(fuels, dims="fuel_bus")
        cost = self._fuel_cost(labels)
        gens = [f"fuel {f}" for f in fuels]
        self.n.add("Bus", gens, carrier="fuel")
        self.n.add(
            "Generator",
            gens,
            bus=gens,
            carrier="fuel",
            p_nom=np.inf,
            marginal_cost=_frame(cost, "fuel_bus", gens, self.index),
        )

    def chps(self) -> None:
        names = _names(self.x, "chp")
        if not names:
            return
        self.fuels_of_chps()
        bp = self.x["chp_back_pressure"].to_numpy()
        if bp.any():
            self._back_pressure_chps(self.x.sel(chp=bp))
        if (~bp).any():
            self._extraction_chps(self.x.sel(chp=~bp))

    def _back_pressure_chps(self, x: xr.Dataset) -> None:
        names = _names(x, "chp")
        eta_el = x["chp_efficiency_el"]
        eta_heat = eta_el / x["chp_cb"]
        self.n.add(
            "Link",
            names,
            bus0=[f"fuel {f}" for f in x["chp_fuel"].values],
            carrier="chp",
            bus1=[f"heat {k}" for k in x["chp_sink"].values],
            bus2=ELECTRICITY_BUS,
            efficiency=_values(eta_heat),
            efficiency2=_values(eta_el),
            **self.expansion(
                x,
                "chp",
                "Link",
                _values(x["chp_fuel_capacity_mw"]),
                _values(x["chp_fuel_per_heat_capacity"]),
            ),
            marginal_cost=_values(x["chp_vom_eur_per_mwh"] * eta_heat),
            **commitment_attrs(x, "chp", names, self.index),
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))
            self.output("electricity", name, ("Link", "p2", name, -1.0))

    def _extraction_chps(self, x: xr.Dataset) -> None:
        names = _names(x, "chp")
        cv, cb, eta_el = _values(x["chp_cv"]), _values(x["chp_cb"]), _values(x["chp_efficiency_el"])
        if (cv <= 0).any():
            bad = ", ".join(np.asarray(names)[cv <= 0])
            raise ValueError(
                f"extraction CHP {bad} has cv = 0, which PyPSA's two-link CHP recipe cannot "
                "represent; give it a positive cv or leave it out of the PyPSA cross-check"
            )
        ext = x["chp_extendable"].to_numpy().astype(bool)
        fuel_buses = [f"fuel {f}" for f in x["chp_fuel"].values]
        f_max = _values(x["chp_fuel_capacity_mw"])
        q_max = _values(x["chp_heat_capacity_mw"])
        # the power link's p_nom never binds on an extendable unit (the fuel limit does): free
        self.n.add(
            "Link",
            [f"{c} power" for c in names],
            bus0=fuel_buses,
            bus1=ELECTRICITY_BUS,
            carrier="chp",
            efficiency=eta_el,
            p_nom=f_max,
            p_nom_extendable=ext,
        )
        heat_links = [f"{c} heat" for c in names]
        heat = self.expansion(x, "chp", "Link", q_max * cv / eta_el, cv / eta_el, names=heat_links)
        self.n.add(
            "Link",
            heat_links,
            bus0=fuel_buses,
            carrier="chp",
            bus1=[f"heat {k}" for k in x["chp_sink"].values],
            efficiency=eta_el / cv,
            **heat,
            marginal_cost=_values(x["chp_vom_eur_per_mwh"]) * eta_el / cv,
        )
        fuel_per_heat = _values(x["chp_fuel_per_heat_capacity"])
        for i, name in enumerate(names):
            self.meta["extraction_chps"].append(
                {
                    "power": f"{name} power",
                    "heat": heat_links[i],
                    "fuel_max_mw": float(f_max[i]),
                    "power_fuel_per_heat_fuel": float(cb[i] / cv[i]),
                    "extendable": bool(ext[i]),
                    # F_max + f·N with N = (η_el/cv)·p_nom(heat) - Q_max
                    "fuel_per_heat_link_nom": float(fuel_per_heat[i] * eta_el[i] / cv[i]),
                    "fuel_offset_mw": float(f_max[i] - fuel_per_heat[i] * q_max[i]),
                }
            )
            self.heat_output(name, ("Link", "p1", heat_links[i], -1.0))
            self.output("electricity", name, ("Link", "p1", f"{name} power", -1.0))

    def solar_thermal(self) -> None:
        """Collector fields: curtailable Generators on their network's heat bus, rated in m²."""
        dim = "solar_thermal"
        names = _names(self.x, dim)
        if not names:
            return
        x = self.x
        self.n.add(
            "Generator",
            names,
            bus=[f"heat {k}" for k in x[f"{dim}_sink"].values],
            carrier="solar thermal",
            **self.expansion(x, dim, "Generator", _values(x[f"{dim}_area_m2"])),
            p_max_pu=_frame(x[f"{dim}_heat_mw_per_m2"], dim, names, self.index),
            p_min_pu=0.0,
            marginal_cost=_values(x[f"{dim}_vom_eur_per_mwh"]),
        )
        for name in names:
            self.heat_output(name, ("Generator", "p", name, 1.0))

    def storage(self) -> None:
        """Thermal stores on heat networks."""
        if not _names(self.x, "storage"):  # a type without units has no inputs
            return
        self.stores(
            "storage",
            [f"heat {k}" for k in self.x["storage_network"].values],
            "stored heat",
            "heat",
        )

    def stores(self, dim: str, buses: list[str], carrier: str, output: str) -> None:
        """Stores of one restvarme type (``<dim>_*`` inputs, see
        :func:`restvarme.units._store.add_store`) on the given buses: a Store on its
        own bus, a charge link from and a discharge link back to the unit's bus."""
        names = _names(self.x, dim)
        if not names:
            return
        x = self.x
        store_buses = [f"store {s}" for s in names]
        eta_d = _values(x[f"{dim}_efficiency_discharge"])
        ext = x[f"{dim}_extendable"].to_numpy().astype(bool)
        energy = _values(x[f"{dim}_energy_mwh"])
        charge, discharge = _values(x[f"{dim}_charge_mw"]), _values(x[f"{dim}_discharge_mw"])
        self.n.add("Bus", store_buses, carrier=carrier)
        self.n.add(
            "Store",
            names,
            bus=store_buses,
            carrier=carrier,
            **self.expansion(x, dim, "Store", energy, nom="e_nom"),
            e_cyclic=True,
            standing_loss=_values(x[f"{dim}_standing_loss_per_hour"]),
        )
        self.n.add(
            "Link",
            [f"{s} charge" for s in names],
            bus0=buses,
            bus1=store_buses,
            carrier=dim.replace("_", " "),
            efficiency=_values(x[f"{dim}_efficiency_charge"]),
            p_nom=charge,
            p_nom_extendable=ext,
        )
        self.n.add(
            "Link",
            [f"{s} discharge" for s in names],
            bus0=store_buses,
            bus1=buses,
            carrier=dim.replace("_", " "),
            efficiency=eta_d,
            p_nom=discharge / eta_d,
            p_nom_extendable=ext,
            marginal_cost=_values(x[f"{dim}_vom_eur_per_mwh"]) * eta_d,
        )
        ratio = _values(x[f"{dim}_charge_mw_per_mwh"])
        for i, name in enumerate(names):
            self.output(
                output,
                name,
                ("Link", "p1", f"{name} discharge", -1.0),
                ("Link", "p0", f"{name} charge", -1.0),
            )
            if ext[i]:
                # p_nom(link) = offset + per_e·e_nom
                r, e = float(ratio[i]), float(energy[i])
                self.meta["store_ties"] += [
                    {
                        "store": name,
                        "link": f"{name} charge",
                        "per_e": r,
                        "offset": float(charge[i]) - r * e,
                    },
                    {
                        "store": name,
                        "link": f"{name} discharge",
                        "per_e": r / eta_d[i],
                        "offset": (float(discharge[i]) - r * e) / eta_d[i],
                    },
                ]

    def carriers(self) -> None:
        """Declare every carrier the components name, as PyPSA's consistency check expects."""
        used = set()
        for comp in ("Bus", "Generator", "Load", "Link", "Store"):
            used |= set(self.n.c[comp].static["carrier"])
        self.n.add("Carrier", sorted(used - {""}))


def _check_mappable(inputs: xr.Dataset) -> None:
    """Refuse what this peer does not map, rather than build a different problem silently."""
    from restvarme_peers.pypsa_groups import check_groups
    from restvarme_peers.pypsa_units import check_unit_types

    check_unit_types(inputs)
    check_groups(inputs)
    refuse_extraction_commitment(inputs)
    streams = stream_sources(inputs) if "period" not in inputs.dims else []
    if streams and "electrolyser_waste_heat" in inputs:
        fed = inputs["electrolyser_waste_heat"]
        pairs = zip(fed["electrolyser"].values, fed.values, strict=True)
        if bad := [str(e) for e, s in pairs if s in streams]:
            into = sorted({str(s) for s in fed.values} & set(streams))
            raise ValueError(
                f"to_pypsa does not map electrolysers feeding a waste-heat stream (electrolyser "
                f"{', '.join(bad)} into {', '.join(into)}"
                "): restvarme adds their heat to the stream's use U, which the peer's stream "
                "rows do not hold; cross-check them on a pool (without min_temperature_c and "
                "reference_temperature_c)"
            )
    if "day_cluster" in inputs or "snapshot_duration_h" in inputs:
        raise ValueError(
            "to_pypsa does not map typical-day inputs (stores linked across clustered days); "
            "cross-check an hourly or uniformly coarsened (resolution_h) run instead"
        )
    if "period" in inputs.dims:
        raise ValueError(
            "to_pypsa maps one-year runs only; this inputs Dataset has investment periods (a "
            "pathway run). Cross-check a single year instead (a scenario without `pathway`)."
        )
    w = inputs["snapshot_weight_h"]
    if "cost_weight" in inputs and not np.allclose(inputs["cost_weight"], w):
        raise ValueError(
            "to_pypsa weights costs by the snapshot weights, but these inputs carry a different "
            "cost_weight; cross-check inputs from build_inputs of a one-year scenario"
        )
    targets = [
        name
        for name in ("emission_cap_t", "min_waste_heat_share", "min_renewable_share")
        if name in inputs and np.isfinite(inputs[name]).any()
    ]
    if targets:
        raise ValueError(
            f"to_pypsa does not map restvarme's soft targets ({', '.join(targets)}); remove "
            "`targets` from the scenario for the cross-check"
        )


def to_pypsa(inputs: xr.Dataset) -> pypsa.Network:
    """Build the same problem as restvarme in PyPSA (see the module docstring's table).

    Parameters
    ----------
    inputs : the Dataset of :func:`restvarme.inputs.build.build_inputs` (one year, fixed or
        extendable capacities)

    Returns
    -------
    pypsa.Network
        Ready for :func:`optimize`; ``n.meta["restvarme"]`` records the extraction-CHP limits,
        the store ties, which flows are each restvarme unit's heat (read by
        :func:`unit_heat_mwh`) and how to read its new capacity (:func:`capacity_new`).

    Raises
    ------
    MissingExtraError
        PyPSA is not installed (``pip install restvarme[peers]``).
    ValueError
        The inputs hold what this peer does not map: investment periods, typical days, targets,
        a unit type without a mapper (:data:`restvarme_peers.pypsa_units.MAPPERS`), or an
        extraction CHP with cv = 0.
    """
    pypsa = _import_pypsa()
    # the table imports the sector modules, which import this module's helpers
    from restvarme_peers.pypsa_groups import map_groups_and_connections
    from restvarme_peers.pypsa_units import SYSTEM_STEPS, map_units

    _check_mappable(inputs)
    with warnings.catch_warnings():
        # PyPSA 1.x announces its future string dtype on every add; nothing to act on here.
        warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")
        n = pypsa.Network()
        b = _Builder(n, inputs)
        n.set_snapshots(b.index)
        n.snapshot_weightings.loc[:, :] = np.asarray(b.w.to_numpy(), dtype=float)[:, None]
        for step in SYSTEM_STEPS:
            step(b)
        map_units(b)
        _route_intervals(b)
        map_groups_and_connections(b)  # capacity groups and connections (pypsa_groups)
        b.carriers()
    n.meta[META_KEY] = b.meta
    return n


def _extraction_chp_limits(n: pypsa.Network) -> None:
    """F_p + F_h <= F_max (+ f·N if extendable) and F_p >= (cb/cv)·F_h per extraction CHP."""
    chps = n.meta[META_KEY]["extraction_chps"]
    if not chps:
        return
    p = n.model["Link-p"]
    names = pd.Index([c["power"] for c in chps], name="name")
    power = p.sel(name=names)
    heat = p.sel(name=[c["heat"] for c in chps]).assign_coords(name=names)
    ratio = xr.DataArray([c["power_fuel_per_heat_fuel"] for c in chps], coords={"name": names})
    n.model.add_constraints(power - ratio * heat >= 0, name="Link-chp_extraction_back_pressure")
    fixed = [c for c in chps if not c["extendable"]]
    if fixed:
        sel = pd.Index([c["power"] for c in fixed], name="name")
        f_max = xr.DataArray([c["fuel_max_mw"] for c in fixed], coords={"name": sel})
        n.model.add_constraints(
            power.sel(name=sel) + heat.sel(name=sel) <= f_max, name="Link-chp_extraction_fuel_limit"
        )
    grown = [c for c in chps if c["extendable"]]
    if grown:
        sel = pd.Index([c["power"] for c in grown], name="name")
        nom = n.model["Link-p_nom"].sel(name=[c["heat"] for c in grown]).assign_coords(name=sel)
        per = xr.DataArray([c["fuel_per_heat_link_nom"] for c in grown], coords={"name": sel})
        offset = xr.DataArray([c["fuel_offset_mw"] for c in grown], coords={"name": sel})
        n.model.add_constraints(
            power.sel(name=sel) + heat.sel(name=sel) - per * nom <= offset,
            name="Link-chp_extraction_fuel_limit_extendable",
        )


def _store_ties(n: pypsa.Network) -> None:
    """p_nom(link) = offset + per_e · e_nom(store) for the links of extendable stores."""
    ties = n.meta[META_KEY]["store_ties"]
    if not ties:
        return
    links = pd.Index([t["link"] for t in ties], name="name")
    link_nom = n.model["Link-p_nom"].sel(name=links)
    e_nom = n.model["Store-e_nom"].sel(name=[t["store"] for t in ties]).assign_coords(name=links)
    per = xr.DataArray([t["per_e"] for t in ties], coords={"name": links})
    offset = xr.DataArray([t["offset"] for t in ties], coords={"name": links})
    n.model.add_constraints(link_nom - per * e_nom == offset, name="Link-store_power_per_energy")


def extra_functionality(n: pypsa.Network, snapshots: pd.Index) -> None:
    """Add what plain PyPSA components cannot express.

    Extraction CHPs, with F_p and F_h the fuel into the power and heat links (so
    P = η_el·F_p and Q = (η_el/cv)·F_h)::

        F_p[t] + F_h[t] <= F_max + f·N          (fuel capacity; N = 0 unless extendable)
        F_p[t] >= (cb/cv) · F_h[t]              (P >= cb·Q, the back-pressure line)

    Preheating exchangers on one network, as one cascade (restvarme's
    ``heat_exchanger_preheat_cascade``)::

        Σ_{k preheating n, θ_k <= θ_j} H_k[t] <= C[t,n] · (θ_j[t] - T_r[t,n])

    Extendable stores, r = charge power per MWh::

        p_nom(charge)          = C + r·(e_nom - E)
        p_nom(discharge) · η_d = D + r·(e_nom - E)
    """
    if META_KEY not in n.meta:
        return
    from restvarme_peers import pypsa_groups

    _extraction_chp_limits(n)
    _store_ties(n)
    _preheat_cascade(n)
    _heat_pump_level_rows(n)
    _stream_rows(n)
    pypsa_groups.extra_functionality(n)  # capacity groups and connections


def _link_heat(n: pypsa.Network, levels: dict) -> Any:
    """The heat of the heat pumps' Links (restvarme_peers.pypsa_units.heat_pump_levels), p0 ·
    COP, dims (snapshot, name)."""
    names = pd.Index(levels["links"], name="name")
    p = n.model["Link-p"].sel(name=names)
    per = xr.DataArray(
        levels["heat_per_p0"], coords={"snapshot": p.indexes["snapshot"], "name": names}
    )
    return p * per


def _heat_pump_level_rows(n: pypsa.Network) -> None:
    """A heat pump's Links share its capacity; the return's flow holds the heat pumps' flows
    (:func:`restvarme_peers.pypsa_units.heat_pump_levels`)."""
    levels = n.meta[META_KEY].get("heat_pump_levels")
    if not levels:
        return
    from restvarme_peers import pypsa_units

    q = _link_heat(n, levels)
    snapshots = q.indexes["snapshot"]
    names = q.indexes["name"]
    units = pd.Index(levels["units"], name="unit")
    of = xr.DataArray(
        (np.asarray(levels["unit"])[:, None] == np.arange(len(units))[None, :]).astype(float),
        coords={"name": names, "unit": units},
    )
    cap = xr.DataArray(np.asarray(levels["capacity"], dtype=float), coords={"unit": units})
    extendable = np.asarray(levels.get("extendable", [False] * len(units)), dtype=bool)
    heat = (q * of).sum("name")
    n.model.add_constraints(
        heat <= cap,
        name="Link-heat_pump_level_capacity",
        mask=xr.DataArray(~extendable, coords={"unit": units}),
    )
    if extendable.any():  # the unit's own Link's p_nom is its whole capacity
        p_nom = n.model["Link-p_nom"]
        for unit in units[extendable]:
            n.model.add_constraints(
                heat.sel(unit=unit) - p_nom.sel({p_nom.dims[0]: unit}) <= 0,
                name=f"Link-heat_pump_level_capacity_extendable-{unit}",
            )
    nets = pd.Index(levels["networks"], name="network")
    flow = xr.DataArray(
        levels["flow"], coords={"snapshot": snapshots, "name": names, "network": nets}
    )
    coords = {"snapshot": snapshots, "network": nets}
    lhs = (q * flow).sum("name")
    stored = pypsa_units.plant_store_charge(n, levels)  # the plant's water: (load + S) / span
    if stored is not None:
        lhs = lhs - stored / xr.DataArray(levels["span"], coords=coords)
    n.model.add_constraints(
        lhs <= xr.DataArray(levels["flow_limit"], coords=coords),
        name="Link-heat_pump_return_flow",
        mask=xr.DataArray(levels["flow_rows"], coords=coords),
    )


def _stream_rows(n: pypsa.Network) -> None:
    """The waste-heat streams (restvarme.model.streams), written from the temperatures alone:
    per stream s a variable U[t,s] in [0, A[t,s]] and, per route j on s (one Link; a unit with
    several Links on s gives several routes with one interval), with H_k = draw_k · p0_k the
    heat Link k takes from s and its interval [lo_k, hi_k] open (hi_k - lo_k > 1e-9 K)::

        Σ_{k on s, open, lo_k <= lo_j < hi_k} H_k · (T_s - T_ref) / (hi_k - lo_k) <= U[t,s]
        H_j <= 0                                         (interval of j empty in that hour)

    Routes with the same lo give the same row, added once per route (the optimum is the same).
    The stream's Generator is unlimited (its cost is charged on what the routes draw)."""
    streams = n.meta[META_KEY].get("streams")
    if not streams:
        return
    snapshots = n.model["Link-p"].indexes["snapshot"]
    sources = pd.Index(streams["sources"], name="stream")
    use = n.model.add_variables(
        lower=0.0,
        upper=xr.DataArray(streams["available"], coords={"snapshot": snapshots, "stream": sources}),
        name="Generator-stream_use",
    )
    for s, source in enumerate(sources):
        routes = [r for r in n.meta[META_KEY]["stream_routes"] if r["source"] == source]
        if not routes:
            continue
        links = pd.Index([r["link"] for r in routes], name="name")
        hi = np.column_stack([r["high"] for r in routes])  # (snapshot, k)
        lo = np.column_stack([r["low"] for r in routes])
        draw = np.column_stack([r["draw_per_p0"] for r in routes])
        width = hi - lo
        is_open = width > _EMPTY_K
        spread = streams["spread"][:, s, None]
        per_mw = np.where(is_open, spread / np.where(is_open, width, 1.0), 0.0) * draw
        lo_j, lo_k, hi_k = lo[:, :, None], lo[:, None, :], hi[:, None, :]
        member = is_open[:, :, None] & is_open[:, None, :] & (lo_k <= lo_j) & (lo_j < hi_k)
        own = np.eye(len(routes), dtype=bool)[None, :, :]
        coeff = np.where(is_open[:, :, None], member * per_mw[:, None, :], own * draw[:, None, :])
        row = pd.Index([f"{r['link']} row" for r in routes], name="route")
        p = n.model["Link-p"].sel(name=links)
        lhs = (
            p * xr.DataArray(coeff, coords={"snapshot": snapshots, "route": row, "name": links})
        ).sum("name") - use.sel(stream=source) * xr.DataArray(
            is_open.astype(float), coords={"snapshot": snapshots, "route": row}
        )
        n.model.add_constraints(lhs <= 0.0, name=f"Link-stream_rows-{source}")


def _preheat_cascade(n: pypsa.Network) -> None:
    """One network's return preheated once (restvarme.units.heat_exchanger.add_preheat_cascade):
    Σ_{k at or below j's level} p_k[t] <= limit_j[t] for each level j with two or more members,
    plus the heat pumps' flows in [T_r, θ_j] where they lift preheated water
    (:func:`restvarme_peers.pypsa_units.heat_pump_levels`; then a row wherever j preheats and a
    heat pump's term is present)."""
    cascade = n.meta[META_KEY].get("preheat_cascade")
    if not cascade:
        return
    levels = n.meta[META_KEY].get("heat_pump_levels")
    names = pd.Index(cascade["links"], name="name")
    p = n.model["Link-p"].sel(name=names)
    snapshots = p.indexes["snapshot"]
    level = pd.Index(cascade["links"], name="level")
    member = xr.DataArray(
        cascade["member"].astype(float),
        coords={"snapshot": snapshots, "level": level, "name": names},
        dims=("snapshot", "level", "name"),
    )
    coords = {"snapshot": snapshots, "level": level}
    rows = xr.DataArray(cascade["rows"], coords=coords, dims=("snapshot", "level"))
    limit = xr.DataArray(
        np.where(cascade["rows"], cascade["limit"], 0.0), coords=coords, dims=("snapshot", "level")
    )
    lhs = (p * member).sum("name")
    if levels:
        q = _link_heat(n, levels)
        occupancy = xr.DataArray(
            levels["occupancy"],
            coords={
                "snapshot": snapshots,
                "name": q.indexes["name"],
                "level": pd.Index(levels["exchangers"], name="level"),
            },
        ).sel(level=level)
        lhs = lhs + (q * occupancy).sum("name")
        from restvarme_peers import pypsa_units

        stored = pypsa_units.plant_store_charge(n, levels)
        if stored is not None:  # the plant's water: - S · (θ_j - T_r) / (T_s - T_r)
            at = xr.DataArray(
                np.array(
                    [[net == k for k in levels["networks"]] for net in levels["exchanger_network"]],
                    dtype=float,
                ),
                coords={
                    "level": pd.Index(levels["exchangers"], name="level"),
                    "network": pd.Index(levels["networks"], name="network"),
                },
            )
            share = xr.DataArray(
                levels["store_share"],
                coords={
                    "snapshot": snapshots,
                    "level": pd.Index(levels["exchangers"], name="level"),
                },
            ).sel(level=level)
            lhs = lhs - (stored * at.sel(level=level)).sum("network") * share
        own = np.diagonal(cascade["member"], axis1=-2, axis2=-1)
        rows = rows | xr.DataArray(own, coords=coords) & (occupancy != 0).any("name")
        limit = xr.DataArray(
            np.where(rows.values, cascade["limit"], 0.0), coords=coords, dims=("snapshot", "level")
        )
    n.model.add_constraints(lhs <= limit, name="Link-preheat_cascade", mask=rows)


def optimize(n: pypsa.Network, solver_name: str = "highs", **kwargs) -> tuple[str, str]:
    """``n.optimize`` with :func:`extra_functionality`; returns PyPSA's (status, condition).

    ``include_objective_constant`` defaults to True: PyPSA then leaves the capital cost of
    existing capacity out of ``n.objective``, as restvarme does.
    """
    kwargs.setdefault("include_objective_constant", True)
    return n.optimize(solver_name=solver_name, extra_functionality=extra_functionality, **kwargs)


def existing_capital_cost_eur(n: pypsa.Network) -> float:
    """Σ capital_cost · existing nominal of the extendable components [EUR]: what PyPSA's
    objective holds on top of restvarme's when ``include_objective_constant=False``."""
    total = 0.0
    for comp, nom in (("Generator", "p_nom"), ("Link", "p_nom"), ("Store", "e_nom")):
        static = n.c[comp].static
        ext = static[f"{nom}_extendable"]
        total += float((static["capital_cost"][ext] * static[nom][ext]).sum())
    return total


def unit_output_mwh(n: pypsa.Network, carrier: str = "heat") -> pd.Series:
    """What each restvarme unit delivered of ``carrier`` ("heat", "cooling", "hydrogen" or
    "electricity") over the horizon [MWh], signed as restvarme's ``<carrier>_mwh`` (stores: net
    of charging; consumption negative: an absorption chiller's heat, a heat pump's or
    electrolyser's electricity, a fuel cell's hydrogen). Only units with a flow of ``carrier``
    are listed."""
    w = n.snapshot_weightings["objective"]
    out = {}
    for unit, terms in n.meta[META_KEY][carrier].items():
        out[unit] = sum(
            sign * float((n.c[comp].dynamic[attr][name] * w).sum())
            for comp, attr, name, sign in terms
        )
    return pd.Series(out, name=f"{carrier}_mwh", dtype=float)


def unit_heat_mwh(n: pypsa.Network) -> pd.Series:
    """Heat each restvarme unit delivered over the horizon [MWh] (stores: net of charging)."""
    return unit_output_mwh(n, "heat")


def capacity_new(n: pypsa.Network) -> pd.Series:
    """New capacity of each restvarme unit in restvarme's units (heat MW; MWh for stores):
    (optimal nominal - existing nominal) / s, 0 for fixed units."""
    out = {}
    for unit, c in n.meta[META_KEY]["capacity"].items():
        static, name = n.c[c["component"]].static, c["name"]
        if not static.at[name, f"{c['nom']}_extendable"]:
            out[unit] = 0.0
            continue
        out[unit] = (float(static.at[name, f"{c['nom']}_opt"]) - c["existing"]) / c["per"]
    return pd.Series(out, name="capacity_new", dtype=float)
