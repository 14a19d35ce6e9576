"""The dispatch problem of :func:`restvarme.model.build.build_model`, built independently in PyPSA.

:func:`to_pypsa` reads restvarme's inputs Dataset (:func:`restvarme.inputs.build.build_inputs`)
and maps every equation of the restvarme formulation onto PyPSA components, so that both models
have the same optimum. With snapshot weight w [h] on every objective and store term:

==========================  ==================================================================
restvarme                   PyPSA
==========================  ==================================================================
heat balance of network n   Bus ``heat <n>`` with Load ``demand <n>`` (p_set = load[t,n])
unserved heat U[t,n]        Generator ``unserved <n>`` at the penalty price, p_nom = inf
electricity balance         Bus ``electricity``
grid import I[t]            Generator ``grid import``: p_nom = import limit,
                            marginal cost spot[t] + fee + carbon price·emission factor[t]
grid export X[t]            Generator ``grid export``: p_nom = export limit, p_min_pu = -1,
                            p_max_pu = 0, marginal cost spot[t] (present only if allowed)
waste heat drawn <= avail   Bus ``waste <s>`` with Generator ``waste <s>``: p_max_pu(t) =
                            available[t,s]/p_nom, marginal cost = its price
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
thermal store               Bus ``store <x>``, Store ``<x>`` (e_nom = E, cyclic, standing loss
                            λ, so (1-λ)^w as in restvarme), Link ``<x> charge`` heat -> store
                            (efficiency η_c, p_nom C_max), Link ``<x> discharge`` store -> heat
                            (efficiency η_d, p_nom D_max/η_d, marginal cost vom·η_d)
==========================  ==================================================================

Extraction CHPs with cv = 0 have no counterpart here (PyPSA's recipe divides by cv); they are
refused with an error, and so are extendable units and pathway runs (inputs with a ``period``
dimension): this peer cross-checks dispatch with fixed capacities. Solve with :func:`optimize`,
which passes :func:`extra_functionality`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.errors import MissingExtraError

if TYPE_CHECKING:
    import pypsa

META_KEY = "restvarme"
"""Key in ``Network.meta`` holding what :func:`extra_functionality` and :func:`unit_heat_mwh`
need."""

ELECTRICITY_BUS = "electricity"


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


class _Builder:
    """Adds one restvarme component type at a time to a PyPSA network."""

    def __init__(self, n: pypsa.Network, inputs: xr.Dataset):
        self.n, self.x = n, inputs
        self.index = pd.Index(inputs["snapshot"].to_index(), name="snapshot")
        self.w = inputs["snapshot_weight_h"]
        self.meta: dict[str, Any] = {"heat": {}, "extraction_chps": []}

    def heat_output(self, unit: str, *terms: tuple[str, str, str, float]) -> None:
        """Remember how to read unit's heat: (component, dynamic attribute, name, sign)."""
        self.meta["heat"][unit] = list(terms)

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
            "Load", [f"demand {k}" for k in nets], bus=[f"heat {k}" for k in nets], carrier="heat",
            p_set=_frame(self.x["heat_demand_mw"], "network", [f"demand {k}" for k in nets],
                         self.index),
        )
        self.n.add(
            "Generator", [f"unserved {k}" for k in nets], bus=[f"heat {k}" for k in nets],
            carrier="unserved heat",
            p_nom=np.inf, marginal_cost=self.x.attrs["unserved_heat_penalty_eur_per_mwh"],
        )

    def grid(self) -> None:
        a = self.x.attrs
        spot = self.x["electricity_price_eur_per_mwh"].to_series().set_axis(self.index)
        emission = self.x["electricity_emission_t_per_mwh"].to_series().set_axis(self.index)
        buy = spot + a["grid_fee_eur_per_mwh"] + a["carbon_price_eur_per_t"] * emission
        self.n.add("Generator", "grid import", bus=ELECTRICITY_BUS, carrier="grid",
                   p_nom=float(a["import_capacity_mw"]), marginal_cost=buy)
        if a["export_allowed"]:
            self.n.add("Generator", "grid export", bus=ELECTRICITY_BUS, carrier="grid",
                       p_nom=float(a["export_capacity_mw"]), p_min_pu=-1.0, p_max_pu=0.0,
                       marginal_cost=spot)

    def waste_heat(self) -> None:
        sources = _names(self.x, "waste_source")
        if not sources:
            return
        avail = self.x["waste_heat_available_mw"]
        p_nom = avail.max("snapshot").clip(min=1e-9)  # any positive nominal keeps p_max_pu finite
        gens = [f"waste {s}" for s in sources]
        self.n.add(
            "Generator", gens, bus=gens, carrier="waste heat", p_nom=_values(p_nom),
            p_max_pu=_frame(avail / p_nom, "waste_source", gens, self.index),
            marginal_cost=_values(self.x["waste_heat_price_eur_per_mwh"]),
        )

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
            "Link", names, bus0=ELECTRICITY_BUS, carrier="heat pump",
            bus1=[f"heat {k}" for k in self.x["heat_pump_sink"].values],
            bus2=[f"waste {s}" if w else "" for s, w in zip(sources, on_waste, strict=True)],
            p_nom=_values(self.x["heat_pump_capacity_mw"]),
            p_max_pu=_frame(1 / cop, "heat_pump", names, self.index),
            efficiency=_frame(cop, "heat_pump", names, self.index),
            efficiency2=_frame(draw, "heat_pump", names, self.index),
            marginal_cost=_frame(vom * cop, "heat_pump", names, self.index),
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))

    def heat_exchangers(self) -> None:
        names = _names(self.x, "heat_exchanger")
        if not names:
            return
        cap = self.x["heat_exchanger_capacity_mw"]
        limit_pu = (self.x["heat_exchanger_max_mw"] / cap.where(cap > 0)).fillna(0.0)
        self.n.add(
            "Link", names, carrier="heat exchanger",
            bus0=[f"waste {s}" for s in self.x["heat_exchanger_source"].values],
            bus1=[f"heat {k}" for k in self.x["heat_exchanger_sink"].values],
            p_nom=_values(cap), p_max_pu=_frame(limit_pu, "heat_exchanger", names, self.index),
            marginal_cost=_values(self.x["heat_exchanger_vom_eur_per_mwh"]),
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))

    def _fuel_cost(self, fuel_labels: xr.DataArray) -> xr.DataArray:
        """Fuel price plus carbon price · emission factor [EUR/MWh fuel], per unit and hour."""
        price = self.x["fuel_price_eur_per_mwh"].sel(fuel=fuel_labels)
        emission = self.x["fuel_emission_t_per_mwh"].sel(fuel=fuel_labels)
        return (price + self.x.attrs["carbon_price_eur_per_t"] * emission).drop_vars("fuel")

    def boilers(self) -> None:
        names = _names(self.x, "boiler")
        if not names:
            return
        cost = (self._fuel_cost(self.x["boiler_fuel"]) / self.x["boiler_efficiency"]
                + self.x["boiler_vom_eur_per_mwh"])
        self.n.add(
            "Generator", names, bus=[f"heat {k}" for k in self.x["boiler_sink"].values],
            carrier="boiler",
            p_nom=_values(self.x["boiler_capacity_mw"]),
            marginal_cost=_frame(cost, "boiler", names, self.index),
        )
        for name in names:
            self.heat_output(name, ("Generator", "p", name, 1.0))

    def electric_boilers(self) -> None:
        names = _names(self.x, "electric_boiler")
        if not names:
            return
        eta = self.x["electric_boiler_efficiency"]
        self.n.add(
            "Link", names, bus0=ELECTRICITY_BUS, carrier="electric boiler",
            bus1=[f"heat {k}" for k in self.x["electric_boiler_sink"].values],
            efficiency=_values(eta), p_nom=_values(self.x["electric_boiler_capacity_mw"] / eta),
            marginal_cost=_values(self.x["electric_boiler_vom_eur_per_mwh"] * eta),
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))

    def fuels_of_chps(self) -> None:
        fuels = sorted({str(f) for f in self.x["chp_fuel"].values})
        labels = xr.DataArray(fuels, dims="fuel_bus")
        cost = self._fuel_cost(labels)
        gens = [f"fuel {f}" for f in fuels]
        self.n.add("Bus", gens, carrier="fuel")
        self.n.add("Generator", gens, bus=gens, carrier="fuel", p_nom=np.inf,
                   marginal_cost=_frame(cost, "fuel_bus", gens, self.index))

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
            "Link", names, bus0=[f"fuel {f}" for f in x["chp_fuel"].values], carrier="chp",
            bus1=[f"heat {k}" for k in x["chp_sink"].values], bus2=ELECTRICITY_BUS,
            efficiency=_values(eta_heat), efficiency2=_values(eta_el),
            p_nom=_values(x["chp_fuel_capacity_mw"]),
            marginal_cost=_values(x["chp_vom_eur_per_mwh"] * eta_heat),
        )
        for name in names:
            self.heat_output(name, ("Link", "p1", name, -1.0))

    def _extraction_chps(self, x: xr.Dataset) -> None:
        names = _names(x, "chp")
        cv, cb, eta_el = _values(x["chp_cv"]), _values(x["chp_cb"]), _values(x["chp_efficiency_el"])
        if (cv <= 0).any():
            bad = ", ".join(np.asarray(names)[cv <= 0])
            raise ValueError(
                f"extraction CHP {bad} has cv = 0, which PyPSA's two-link CHP recipe cannot "
                "represent; give it a positive cv or leave it out of the PyPSA cross-check"
            )
        fuel_buses = [f"fuel {f}" for f in x["chp_fuel"].values]
        f_max = _values(x["chp_fuel_capacity_mw"])
        self.n.add("Link", [f"{c} power" for c in names], bus0=fuel_buses, bus1=ELECTRICITY_BUS,
                   carrier="chp", efficiency=eta_el, p_nom=f_max)
        self.n.add(
            "Link", [f"{c} heat" for c in names], bus0=fuel_buses, carrier="chp",
            bus1=[f"heat {k}" for k in x["chp_sink"].values], efficiency=eta_el / cv,
            p_nom=_values(x["chp_heat_capacity_mw"]) * cv / eta_el,
            marginal_cost=_values(x["chp_vom_eur_per_mwh"]) * eta_el / cv,
        )
        for name, fm, ratio in zip(names, f_max, cb / cv, strict=True):
            self.meta["extraction_chps"].append(
                {"power": f"{name} power", "heat": f"{name} heat", "fuel_max_mw": float(fm),
                 "power_fuel_per_heat_fuel": float(ratio)}
            )
            self.heat_output(name, ("Link", "p1", f"{name} heat", -1.0))

    def storage(self) -> None:
        names = _names(self.x, "storage")
        if not names:
            return
        x = self.x
        heat_buses = [f"heat {k}" for k in x["storage_network"].values]
        store_buses = [f"store {s}" for s in names]
        eta_d = _values(x["storage_efficiency_discharge"])
        self.n.add("Bus", store_buses, carrier="stored heat")
        self.n.add("Store", names, bus=store_buses, carrier="stored heat",
                   e_nom=_values(x["storage_energy_mwh"]), e_cyclic=True,
                   standing_loss=_values(x["storage_standing_loss_per_hour"]))
        self.n.add("Link", [f"{s} charge" for s in names], bus0=heat_buses, bus1=store_buses,
                   carrier="storage",
                   efficiency=_values(x["storage_efficiency_charge"]),
                   p_nom=_values(x["storage_charge_mw"]))
        self.n.add("Link", [f"{s} discharge" for s in names], bus0=store_buses, bus1=heat_buses,
                   carrier="storage",
                   efficiency=eta_d, p_nom=_values(x["storage_discharge_mw"]) / eta_d,
                   marginal_cost=_values(x["storage_vom_eur_per_mwh"]) * eta_d)
        for name in names:
            self.heat_output(name, ("Link", "p1", f"{name} discharge", -1.0),
                             ("Link", "p0", f"{name} charge", -1.0))

    def carriers(self) -> None:
        """Declare every carrier the components name, as PyPSA's consistency check expects."""
        used = set()
        for comp in ("Bus", "Generator", "Load", "Link", "Store"):
            used |= set(self.n.c[comp].static["carrier"])
        self.n.add("Carrier", sorted(used - {""}))


def _check_dispatch_only(inputs: xr.Dataset) -> None:
    """Refuse what this peer does not map, rather than build a different problem silently."""
    if "period" in inputs.dims:
        raise ValueError(
            "to_pypsa maps one-year dispatch runs only; this inputs Dataset has investment "
            "periods (a pathway run). Cross-check a single year instead."
        )
    extendable = [
        str(u) for name in inputs.data_vars if str(name).endswith("_extendable")
        for u in inputs[name][inputs[name].astype(bool)].coords[inputs[name].dims[0]].values
    ]
    if extendable:
        raise ValueError(
            f"to_pypsa maps fixed capacities only; extendable unit(s) {', '.join(extendable)} "
            "have no PyPSA counterpart here. Give them fixed capacities for the cross-check."
        )


def to_pypsa(inputs: xr.Dataset) -> pypsa.Network:
    """Build the same dispatch problem as restvarme in PyPSA (see the module docstring's table).

    Parameters
    ----------
    inputs : the Dataset of :func:`restvarme.inputs.build.build_inputs`

    Returns
    -------
    pypsa.Network
        Ready for :func:`optimize`; ``n.meta["restvarme"]`` records the extraction-CHP limits and
        which flows are each restvarme unit's heat (read by :func:`unit_heat_mwh`).

    Raises
    ------
    MissingExtraError
        PyPSA is not installed (``pip install restvarme[peers]``).
    ValueError
        The inputs hold what this peer does not map: extendable units, investment periods, or an
        extraction CHP with cv = 0.
    """
    pypsa = _import_pypsa()
    _check_dispatch_only(inputs)
    with warnings.catch_warnings():
        # PyPSA 1.x announces its future string dtype on every add; nothing to act on here.
        warnings.filterwarnings("ignore", category=FutureWarning, module="pypsa")
        n = pypsa.Network()
        b = _Builder(n, inputs)
        n.set_snapshots(b.index)
        n.snapshot_weightings.loc[:, :] = np.asarray(b.w.to_numpy(), dtype=float)[:, None]
        for step in (b.buses, b.demand, b.grid, b.waste_heat, b.heat_pumps, b.heat_exchangers,
                     b.boilers, b.electric_boilers, b.chps, b.storage, b.carriers):
            step()
    n.meta[META_KEY] = b.meta
    return n


def extra_functionality(n: pypsa.Network, snapshots: pd.Index) -> None:
    """Add the extraction-CHP PQ limits that plain PyPSA components cannot express.

    With F_p and F_h the fuel into a CHP's power and heat links (so P = η_el·F_p and
    Q = (η_el/cv)·F_h)::

        F_p[t] + F_h[t] <= F_max                (fuel capacity)
        F_p[t] >= (cb/cv) · F_h[t]              (P >= cb·Q, the back-pressure line)
    """
    chps = n.meta.get(META_KEY, {}).get("extraction_chps", [])
    if not chps:
        return
    p = n.model["Link-p"]
    names = pd.Index([c["power"] for c in chps], name="name")
    power = p.sel(name=names)
    heat = p.sel(name=[c["heat"] for c in chps]).assign_coords(name=names)
    f_max = xr.DataArray([c["fuel_max_mw"] for c in chps], coords={"name": names})
    ratio = xr.DataArray([c["power_fuel_per_heat_fuel"] for c in chps], coords={"name": names})
    n.model.add_constraints(power + heat <= f_max, name="Link-chp_extraction_fuel_limit")
    n.model.add_constraints(power - ratio * heat >= 0, name="Link-chp_extraction_back_pressure")


def optimize(n: pypsa.Network, solver_name: str = "highs", **kwargs) -> tuple[str, str]:
    """``n.optimize`` with :func:`extra_functionality`; returns PyPSA's (status, condition)."""
    kwargs.setdefault("include_objective_constant", False)
    return n.optimize(solver_name=solver_name, extra_functionality=extra_functionality, **kwargs)


def unit_heat_mwh(n: pypsa.Network) -> pd.Series:
    """Heat each restvarme unit delivered over the horizon [MWh] (stores: net of charging)."""
    w = n.snapshot_weightings["objective"]
    out = {}
    for unit, terms in n.meta[META_KEY]["heat"].items():
        out[unit] = sum(
            sign * float((n.c[comp].dynamic[attr][name] * w).sum())
            for comp, attr, name, sign in terms
        )
    return pd.Series(out, name="heat_mwh", dtype=float)
