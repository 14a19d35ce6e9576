"""Capacity groups and electricity connections (restvarme.model.groups,
restvarme.model.connections) in the PyPSA cross-check.

Both are read from what the unit mappers record of each unit (``n.meta["restvarme"]``: the
heat, cooling and electricity of every unit as (component, attribute, name, sign) terms), never
from a unit's type. A term's flow in PyPSA's linopy model is ``sign · Generator-p`` (attribute
``p``), ``sign · Link-p`` (``p0``) or ``-sign · efficiency_k[t] · Link-p`` (``p1``, ``p2``).

==========================  ==================================================================
restvarme                   PyPSA
==========================  ==================================================================
output group g              :func:`extra_functionality`: Σ_u∈g positive terms of heat and
F[t,g] <= K[g] + N[g]       cooling <= K[g] + N[g], N a variable added to the linopy model
                            with bounds [N_min, N_max] and cost years·c[g]·N[g] in the
                            objective (c: annuity + fixed O&M, as a unit's capital_cost)
input group, electricity    the negative terms of the units' electricity, the same way
input group, fuel or        refused by name (the mappers do not record fuel or source-heat
source heat                 terms)
connection c                Generators ``connection import <c>`` (p_nom = import limit,
                            marginal cost spot + fee[c] + carbon·e[t] for the net rule) and
                            ``connection export <c>`` (p_nom = export limit, p_min_pu = -1,
                            p_max_pu = 0, marginal cost spot) on the electricity bus, and
                            :func:`extra_functionality`'s meter: I + X + Σ_u∈c electricity = 0
                            (X <= 0 is PyPSA's export); gross rule: carbon·e[t]·w[t] · Σ the
                            negative electricity terms added to the objective; peak fee:
                            P[c] >= I[t] with fee·years·P[c] in the objective
==========================  ==================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import linopy
import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    import pypsa

    from restvarme_peers.pypsa_network import _Builder

META = "groups"
"""Key of ``n.meta["restvarme"]`` holding the groups and connections to constrain."""
ELECTRICITY_BUS = "electricity"


def check_groups(inputs: xr.Dataset) -> None:
    """Refuse, by name, the groups this peer does not map (input groups of fuel or source
    heat: the unit mappers record no such terms)."""
    if "capacity_group" not in inputs.dims:
        return
    output = inputs["capacity_group_output"].values
    carrier = inputs["capacity_group_carrier"].values
    refused = [
        str(g)
        for g, out, c in zip(inputs["capacity_group"].values, output, carrier, strict=True)
        if not out and c != "electricity"
    ]
    if refused:
        raise ValueError(
            "to_pypsa maps input capacity groups of electricity only; capacity group(s) "
            f"{', '.join(refused)} limit fuel or source heat (give them `carrier: electricity` "
            "or leave them out of the cross-check)"
        )


def _members(x: xr.Dataset, key: str, dim: str) -> dict[str, list[str]]:
    order = [str(u) for u in x["unit_order"].values]
    member = x[key].transpose(dim, "unit").values
    return {
        str(g): [order[i] for i in np.flatnonzero(member[k])] for k, g in enumerate(x[dim].values)
    }


def map_groups_and_connections(b: _Builder) -> None:
    """Remember the groups, and add each connection's import and export generators."""
    x, meta = b.x, {"groups": [], "connections": []}
    if "capacity_group" in x.dims:
        groups = _members(x, "capacity_group_member", "capacity_group")
        for k, (name, units) in enumerate(groups.items()):
            output = bool(x["capacity_group_output"].values[k])
            carrier = str(x["capacity_group_carrier"].values[k])
            carriers = [carrier] if carrier else (["heat", "cooling"] if output else [])
            if not output:
                carriers = ["electricity"]
            ext = bool(x["capacity_group_extendable"].values[k])
            meta["groups"].append(
                {
                    "name": name,
                    "units": units,
                    "carriers": carriers,
                    "sign": 1.0 if output else -1.0,
                    "existing": float(x["capacity_group_capacity_mw"].values[k]),
                    "extendable": ext,
                    "new_min": float(x["capacity_group_new_min"].values[k]),
                    "new_max": float(x["capacity_group_new_max"].values[k]),
                    "cost": b.years
                    * float(x["capacity_group_capacity_cost_eur_per_year"].values[k]),
                }
            )
    if "connection" in x.dims:
        _connections(b, meta)
    b.meta[META] = meta


def _connections(b: _Builder, meta: dict[str, Any]) -> None:
    x = b.x
    spot = x["electricity_price_eur_per_mwh"].to_series().set_axis(b.index)
    emission = x["electricity_emission_t_per_mwh"].to_series().set_axis(b.index)
    carbon = float(x["carbon_price_eur_per_t"])
    for k, (name, units) in enumerate(_members(x, "connection_member", "connection").items()):
        gross = bool(x["connection_gross"].values[k])
        buy = spot + float(x["connection_fee_eur_per_mwh"].values[k])
        if not gross:
            buy = buy + carbon * emission
        b.n.add(
            "Generator",
            f"connection import {name}",
            bus=ELECTRICITY_BUS,
            carrier="grid",
            p_nom=float(x["connection_import_capacity_mw"].values[k]),
            marginal_cost=buy,
        )
        cap_out = float(x["connection_export_capacity_mw"].values[k])
        if cap_out > 0:
            b.n.add(
                "Generator",
                f"connection export {name}",
                bus=ELECTRICITY_BUS,
                carrier="grid",
                p_nom=cap_out,
                p_min_pu=-1.0,
                p_max_pu=0.0,
                marginal_cost=spot,
            )
        meta["connections"].append(
            {
                "name": name,
                "units": units,
                "export": cap_out > 0,
                "gross_carbon": (carbon * emission).to_numpy() if gross else None,
                "peak_fee": b.years * float(x["connection_peak_fee_eur_per_mw_year"].values[k]),
            }
        )


def _flow(n: pypsa.Network, term: tuple[str, str, str, float]) -> linopy.LinearExpression:
    """One recorded term as a linear expression on ``snapshot`` [MW]."""
    comp, attr, name, sign = term
    var = n.model[f"{comp}-p"].sel(name=name, drop=True)
    if attr in ("p", "p0"):
        return sign * var
    suffix = "" if attr == "p1" else attr[1:]
    eff = n.get_switchable_as_dense(comp, f"efficiency{suffix}")[name]
    coeff = xr.DataArray(-sign * eff.to_numpy(), coords={"snapshot": var.indexes["snapshot"]})
    return coeff * var


def _part(n: pypsa.Network, units: list[str], carriers: list[str], sign: float) -> list[Any]:
    """The terms of ``units``' ``carriers`` whose coefficient has ``sign``, made positive."""
    records = n.meta["restvarme"]
    out = []
    for carrier in carriers:
        for unit in units:
            for term in records.get(carrier, {}).get(unit, []):
                expr = _flow(n, term)
                coeffs = expr.coeffs.values
                if np.all(sign * coeffs >= 0):
                    out.append(sign * expr)
                elif np.any(sign * coeffs > 0):
                    raise ValueError(f"term {term} of unit {unit!r} changes sign over the hours")
    return out


def _total(parts: list[Any], like: linopy.Variable) -> Any:
    if not parts:
        return 0 * like
    return sum(parts[1:], parts[0])


def extra_functionality(n: pypsa.Network) -> None:
    """The groups' limits and the connections' meters (see the module docstring)."""
    meta = n.meta.get("restvarme", {}).get(META)
    if not meta:
        return
    m = n.model
    w = n.snapshot_weightings["objective"]
    weights = xr.DataArray(w.to_numpy(), coords={"snapshot": w.index})
    gen = m["Generator-p"]
    like = gen.isel(name=0, drop=True)
    extra_cost = []
    for g in meta["groups"]:
        flow = _total(_part(n, g["units"], g["carriers"], g["sign"]), like)
        if g["extendable"]:
            new = m.add_variables(
                lower=g["new_min"], upper=g["new_max"], name=f"group-new {g['name']}"
            )
            m.add_constraints(flow - new <= g["existing"], name=f"group-limit {g['name']}")
            extra_cost.append(g["cost"] * new)
        else:
            m.add_constraints(flow <= g["existing"], name=f"group-limit {g['name']}")
    for c in meta["connections"]:
        name = c["name"]
        meter = gen.sel(name=f"connection import {name}", drop=True)
        if c["export"]:
            meter = meter + gen.sel(name=f"connection export {name}", drop=True)
        units = _total(_part(n, c["units"], ["electricity"], 1.0), like) - _total(
            _part(n, c["units"], ["electricity"], -1.0), like
        )
        m.add_constraints(meter + units == 0, name=f"connection-meter {name}")
        if c["gross_carbon"] is not None:
            use = _total(_part(n, c["units"], ["electricity"], -1.0), like)
            price = xr.DataArray(c["gross_carbon"], coords={"snapshot": w.index}) * weights
            extra_cost.append((use * price).sum())
        if c["peak_fee"] > 0:
            peak = m.add_variables(lower=0, name=f"connection-peak {name}")
            bought = gen.sel(name=f"connection import {name}", drop=True)
            m.add_constraints(bought - peak <= 0, name=f"connection-peak {name}")
            extra_cost.append(c["peak_fee"] * peak)
    if extra_cost:
        total = sum(extra_cost[1:], extra_cost[0])
        m.add_objective(m.objective.expression + total, overwrite=True)


def group_new_capacity(n: pypsa.Network) -> pd.Series:
    """New capacity of each extendable group after the solve [MW]."""
    meta = n.meta.get("restvarme", {}).get(META, {"groups": []})
    out = {
        g["name"]: float(n.model[f"group-new {g['name']}"].solution)
        for g in meta["groups"]
        if g["extendable"]
    }
    return pd.Series(out, name="capacity_group_new", dtype=float)
