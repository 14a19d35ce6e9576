"""Hydrogen figures of a solved model: heat offered to waste-heat sources, the bus's balance
and price, its costs.

Used by :mod:`restvarme.results.collect`. Signs as there: hydrogen produced is positive (an
electrolyser's ``hydrogen_mw``; a hydrogen store's discharge less its charge), electricity
consumed negative.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme._dataset import get
from restvarme.model.build import BuiltModel


def waste_heat_offered_mw(b: BuiltModel, pick: Callable) -> xr.DataArray | None:
    """Heat units add to each waste-heat source [MW] (their ``offered_heat`` port, e.g.
    electrolysers'), dims (snapshot, waste_source)."""
    offering = [p for p in b.units.values() if "offered_heat" in p.flows]
    if not offering:
        return None
    x = b.inputs
    parts = []
    for ports in offering:
        heat = ports.flows["offered_heat"].solution(pick)
        by_source = heat.groupby(ports.buses["offered_heat"].rename("waste_source")).sum()
        parts.append(by_source.reindex(waste_source=x["waste_source"].values, fill_value=0.0))
    return sum(parts[1:], parts[0])


def hydrogen_costs(b: BuiltModel) -> dict[str, float]:
    """Cost items of runs with a hydrogen bus [EUR]: hydrogen import, unserved-hydrogen penalty."""
    if b.hydrogen is None:
        return {}
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    imported = 0.0
    if b.hydrogen.import_mw is not None:
        price = x["hydrogen_import_price_eur_per_mwh"]
        imported = float((b.hydrogen.import_mw.solution * price * w).sum())
    unserved = float((b.hydrogen.unserved_mw.solution * w).sum())
    return {
        "hydrogen_import": imported,
        "unserved_hydrogen_penalty": unserved * float(x["hydrogen_unserved_penalty_eur_per_mwh"]),
    }


def hydrogen_results(b: BuiltModel) -> dict[str, xr.DataArray]:
    """The hydrogen bus's hourly balance and marginal price, store levels, and annual totals."""
    if b.hydrogen is None:
        return {}
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    assert b.balances.hydrogen is not None  # built whenever the bus is
    zero = xr.zeros_like(w)
    imported = b.hydrogen.import_mw.solution if b.hydrogen.import_mw is not None else zero
    out = {
        "hydrogen_demand_mw": x["hydrogen_demand_mw"],
        "unserved_hydrogen_mw": b.hydrogen.unserved_mw.solution,
        "hydrogen_import_mw": imported,
        "marginal_hydrogen_price_eur_per_mwh": b.balances.hydrogen.dual / x["cost_weight"],
        "hydrogen_import_price_eur_per_mwh": get(x, "hydrogen_import_price_eur_per_mwh", zero),
    }
    for key in ("hydrogen_demand", "unserved_hydrogen", "hydrogen_import"):
        out[f"{key}_mwh"] = (out[f"{key}_mw"] * w).sum("snapshot")
    return out
