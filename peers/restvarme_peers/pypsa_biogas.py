"""The biogas bus and transport fleets in the PyPSA peer (:mod:`restvarme_peers.pypsa_network`).

Each function adds one part of restvarme's biogas bus (:mod:`restvarme.model.components.biogas`,
``biogas_upgrading``, ``biogas_storage``) or its fleets (:mod:`restvarme.model.components.fleets`)
to the network being built by ``to_pypsa``'s builder, with snapshot weight w [h] on every cost.
PyPSA's Link convention: bus0 gives p0, bus i receives efficiency_i · p0 (a negative
efficiency_i takes from bus i).

==============================  ==============================================================
restvarme                       PyPSA
==============================  ==============================================================
raw-biogas balance              Bus ``biogas`` (only with a ``biogas`` section)
vehicle-gas balance             Bus ``vehicle gas`` with Load ``vehicle gas demand``
                                (p_set = the section's own demand[t])
plant production G[t,p] fixed   Generator ``biogas plant <p>``: p_nom = max_t G (1e-9 if 0),
at cost c[p]                    p_min_pu = p_max_pu = G[t]/p_nom, marginal cost c[p]
flare >= 0, free                Generator ``biogas flare`` on ``biogas``: p_nom = inf,
                                p_min_pu = -1, p_max_pu = 0, marginal cost 0 (a free sink)
unserved vehicle gas            Generator ``unserved vehicle gas`` at its penalty, p_nom = inf
gas bought I <= I_max           Generator ``gas grid import`` on ``vehicle gas``: p_nom = I_max
                                (inf without a limit), marginal cost price[t] + carbon price·e
gas sold X <= X_max             Generator ``gas grid export``: p_nom = X_max, p_min_pu = -1,
                                p_max_pu = 0, marginal cost price[t] (so it earns price·X)
upgrading G <= K, vehicle gas   Link ``<u>``: ``biogas`` -> ``vehicle gas`` (efficiency η),
η·G, electricity e·η·G          bus2 ``electricity`` (efficiency2 -e·η), p_nom = K (raw
                                biogas in), marginal cost vom·η (vom per MWh of vehicle gas)
biogas store                    the thermal store's recipe (:meth:`_Builder.stores`) on
                                ``biogas``
boiler burning ``biogas``       Link ``<b>``: ``biogas`` -> ``heat <n>`` (efficiency η),
                                p_nom = K/η, marginal cost vom·η (replaces the Generator
                                ``to_pypsa`` gives fuel boilers; biogas from the bus costs no
                                fuel: restvarme.inputs.biogas sets its price and emission to 0)
CHP burning ``biogas``          the CHP's link(s) draw from ``biogas`` instead of ``fuel
                                biogas`` (whose free Generator and bus are removed)
electric fleet f                Load ``fleet <f>`` on ``electricity`` (p_set = energy[t,f])
hydrogen fleet f                Load ``fleet <f>`` on ``hydrogen``
biogas fleet f                  Load ``fleet <f>`` on ``vehicle gas``
diesel / petrol fleet f         Bus ``fleet <f>`` with Load ``fleet <f>`` (p_set = energy[t,f])
F[t,f] = energy[t,f] (fixed),   and Generator ``fleet <f> fuel`` (p_nom = inf, marginal cost
cost (price + carbon·e)·F       fuel price[t] + carbon price·emission factor): the bus balance
                                fixes the purchase at the demand, so PyPSA's objective carries
                                the constant cost itself; nothing is added when comparing
==============================  ==============================================================

Capacity expansion follows the module docstring of :mod:`restvarme_peers.pypsa_network`, with
s = 1 for upgrading (rated in raw biogas in, as restvarme), 1/η for a biogas boiler (its link is
rated in fuel) and the stores as thermal stores.

Unit flows for :func:`restvarme_peers.pypsa_network.unit_output_mwh`: ``"biogas"`` (signed as
restvarme's ``biogas_mwh``: into the bus positive, so upgraders, boilers and CHPs negative and a
store its discharge less its charge), ``"electricity"`` of upgraders (negative) and ``"heat"`` of
biogas boilers. :func:`fleet_energy_mwh` reads what each fleet took.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from restvarme_peers.pypsa_network import ELECTRICITY_BUS, _frame, _names, _scalar, _values

if TYPE_CHECKING:
    import pypsa

    from restvarme_peers.pypsa_network import _Builder

BIOGAS_BUS = "biogas"
VEHICLE_GAS_BUS = "vehicle gas"
BIOGAS_FUEL = "biogas"  # restvarme.scenario.base.BIOGAS_FUEL
HYDROGEN_BUS = "hydrogen"  # restvarme_peers.pypsa_sectors.HYDROGEN_BUS


def _has_bus(b: _Builder) -> bool:
    """Whether the scenario has a ``biogas`` section (restvarme.model.components.biogas)."""
    return "vehicle_gas_demand_mw" in b.x


def _hourly(b: _Builder, da: xr.DataArray) -> pd.Series:
    """A scalar or (snapshot,) input as a series on the network's snapshots."""
    return da.broadcast_like(b.w).to_series().set_axis(b.index)


def biogas_bus(b: _Builder) -> None:
    """The raw-biogas and vehicle-gas buses: plants, flare, vehicle-gas demand, unserved vehicle
    gas and the gas grid."""
    if not _has_bus(b):
        return
    x = b.x
    b.meta.setdefault("biogas", {})
    b.meta.setdefault("electricity", {})
    b.n.add("Bus", BIOGAS_BUS, carrier="biogas")
    b.n.add("Bus", VEHICLE_GAS_BUS, carrier="vehicle gas")
    plants = _names(x, "biogas_plant")
    if plants:
        made = x["biogas_production_mw"]
        p_nom = made.max("snapshot").clip(min=1e-9)
        gens = [f"biogas plant {p}" for p in plants]
        pu = _frame(made / p_nom, "biogas_plant", gens, b.index)
        b.n.add(
            "Generator",
            gens,
            bus=BIOGAS_BUS,
            carrier="biogas plant",
            p_nom=_values(p_nom),
            p_min_pu=pu,
            p_max_pu=pu,
            marginal_cost=_values(x["biogas_production_cost_eur_per_mwh"]),
        )
    b.n.add(
        "Generator",
        "biogas flare",
        bus=BIOGAS_BUS,
        carrier="biogas flare",
        p_nom=np.inf,
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=0.0,
    )
    b.n.add(
        "Load",
        "vehicle gas demand",
        bus=VEHICLE_GAS_BUS,
        carrier="vehicle gas",
        p_set=_hourly(b, x["vehicle_gas_demand_mw"]),
    )
    b.n.add(
        "Generator",
        "unserved vehicle gas",
        bus=VEHICLE_GAS_BUS,
        carrier="unserved vehicle gas",
        p_nom=np.inf,
        marginal_cost=_scalar(x, "vehicle_gas_unserved_penalty_eur_per_mwh"),
    )
    if "gas_grid_import_price_eur_per_mwh" in x:
        price = (
            x["gas_grid_import_price_eur_per_mwh"]
            + _scalar(x, "carbon_price_eur_per_t") * x["gas_grid_emission_t_per_mwh"]
        )
        b.n.add(
            "Generator",
            "gas grid import",
            bus=VEHICLE_GAS_BUS,
            carrier="gas grid",
            p_nom=_scalar(x, "gas_grid_import_capacity_mw"),
            marginal_cost=_hourly(b, price),
        )
    if "gas_grid_export_price_eur_per_mwh" in x:
        b.n.add(
            "Generator",
            "gas grid export",
            bus=VEHICLE_GAS_BUS,
            carrier="gas grid",
            p_nom=_scalar(x, "gas_grid_export_capacity_mw"),
            p_min_pu=-1.0,
            p_max_pu=0.0,
            marginal_cost=_hourly(b, x["gas_grid_export_price_eur_per_mwh"]),
        )


def biogas_upgrading(b: _Builder) -> None:
    dim = "biogas_upgrading"
    names = _names(b.x, dim)
    if not names:
        return
    x = b.x
    eta = _values(x[f"{dim}_efficiency"])
    b.n.add(
        "Link",
        names,
        bus0=BIOGAS_BUS,
        bus1=VEHICLE_GAS_BUS,
        bus2=ELECTRICITY_BUS,
        carrier="biogas upgrading",
        efficiency=eta,
        efficiency2=-_values(x[f"{dim}_electricity_mwh_per_mwh"]) * eta,
        **b.expansion(x, dim, "Link", _values(x[f"{dim}_capacity_mw"])),
        marginal_cost=_values(x[f"{dim}_vom_eur_per_mwh"]) * eta,
    )
    for name in names:
        b.output("biogas", name, ("Link", "p0", name, -1.0))
        b.output("electricity", name, ("Link", "p2", name, -1.0))


def biogas_storage(b: _Builder) -> None:
    names = _names(b.x, "biogas_storage")
    b.stores("biogas_storage", [BIOGAS_BUS] * len(names), "stored biogas", "biogas")


def _burning(b: _Builder, dim: str) -> list[str]:
    """Units of one type (boiler, chp) that burn biogas from the bus."""
    if not _has_bus(b) or not _names(b.x, dim):
        return []
    labels = b.x[f"{dim}_fuel"]
    return [str(u) for u in labels[dim].values[(labels == BIOGAS_FUEL).values]]


def biogas_boilers(b: _Builder) -> None:
    """Boilers burning biogas: the fuel-boiler Generator becomes a Link from the biogas bus."""
    names = _burning(b, "boiler")
    if not names:
        return
    x = b.x.sel(boiler=names)
    eta = _values(x["boiler_efficiency"])
    # their fuel cost is 0 in restvarme's inputs; kept in case a price is ever given
    per_fuel = b._fuel_cost(x["boiler_fuel"]) + x["boiler_vom_eur_per_mwh"] * x["boiler_efficiency"]
    b.n.remove("Generator", names)
    b.n.add(
        "Link",
        names,
        bus0=BIOGAS_BUS,
        bus1=[f"heat {k}" for k in x["boiler_sink"].values],
        carrier="boiler",
        efficiency=eta,
        **b.expansion(x, "boiler", "Link", _values(x["boiler_capacity_mw"]) / eta, 1 / eta),
        marginal_cost=_frame(per_fuel.broadcast_like(b.w), "boiler", names, b.index),
    )
    for name in names:
        b.heat_output(name, ("Link", "p1", name, -1.0))
        b.output("biogas", name, ("Link", "p0", name, -1.0))


def biogas_chps(b: _Builder) -> None:
    """CHPs burning biogas draw from the biogas bus: their links' bus0 ``fuel biogas`` becomes
    ``biogas``, and the free fuel Generator and its bus go."""
    names = _burning(b, "chp")
    if not names:
        return
    fuel_bus = f"fuel {BIOGAS_FUEL}"
    links = b.n.c["Link"].static
    links.loc[links["bus0"] == fuel_bus, "bus0"] = BIOGAS_BUS
    b.n.remove("Generator", fuel_bus)
    b.n.remove("Bus", fuel_bus)
    extraction = {c["power"]: c["heat"] for c in b.meta["extraction_chps"]}
    for name in names:
        if f"{name} power" in extraction:
            terms = [
                ("Link", "p0", f"{name} power", -1.0),
                ("Link", "p0", extraction[f"{name} power"], -1.0),
            ]
        else:
            terms = [("Link", "p0", name, -1.0)]
        b.output("biogas", name, *terms)


def fleets(b: _Builder) -> None:
    """Every fleet as a Load on its carrier's bus; diesel and petrol fleets on a bus of their
    own, fed by a fuel Generator at the fuel's price (see the module docstring)."""
    names = _names(b.x, "fleet")
    if not names:
        return
    x = b.x
    drive = {str(f): str(d) for f, d in zip(names, x["fleet_drive"].values, strict=True)}
    fuel = {str(f): str(u) for f, u in zip(names, x["fleet_fuel"].values, strict=True)}
    on_bus = {"electric": ELECTRICITY_BUS, "hydrogen": HYDROGEN_BUS, "biogas": VEHICLE_GAS_BUS}
    buses = [f"fleet {f}" if fuel[f] else on_bus[drive[f]] for f in names]
    loads = [f"fleet {f}" for f in names]
    bought = [f for f in names if fuel[f]]
    if bought:
        b.n.add("Bus", [f"fleet {f}" for f in bought], carrier="fleet fuel")
        labels = x["fleet_fuel"].sel(fleet=bought)
        cost = b._fuel_cost(labels).broadcast_like(b.w)
        gens = [f"fleet {f} fuel" for f in bought]
        b.n.add(
            "Generator",
            gens,
            bus=[f"fleet {f}" for f in bought],
            carrier="fleet fuel",
            p_nom=np.inf,
            marginal_cost=_frame(cost, "fleet", gens, b.index),
        )
    b.n.add(
        "Load",
        loads,
        bus=buses,
        carrier="fleet",
        p_set=_frame(x["fleet_energy_mw"], "fleet", loads, b.index),
    )


def fleet_energy_mwh(n: pypsa.Network) -> pd.Series:
    """What each fleet took over the horizon [MWh] (its Load), and for diesel and petrol fleets
    the fuel bought (its Generator) as ``<fleet> fuel``."""
    w = n.snapshot_weightings["objective"]
    loads = n.c["Load"].dynamic["p"]
    out = {c[len("fleet ") :]: float((loads[c] * w).sum()) for c in loads if c.startswith("fleet ")}
    gens = n.c["Generator"].dynamic["p"]
    out |= {
        c[len("fleet ") :]: float((gens[c] * w).sum())
        for c in gens
        if c.startswith("fleet ") and c.endswith(" fuel")
    }
    return pd.Series(out, name="fleet_energy_mwh", dtype=float)
