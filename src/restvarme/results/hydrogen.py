"""Hydrogen figures of a solved model: unit flows, the bus's balance and price, its costs.

Used by :mod:`restvarme.results.collect`. Signs as there: hydrogen produced is positive (an
electrolyser's ``hydrogen_mw``; a hydrogen store's discharge less its charge), electricity
consumed negative.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme.model.build import BuiltModel

HYDROGEN_DIMS = ("electrolyser", "hydrogen_storage")


def hydrogen_blocks(b: BuiltModel, unit_block: Callable[..., xr.Dataset]) -> list[xr.Dataset]:
    """Flows of the hydrogen unit types, through collect's ``_unit_block``."""
    x, blocks = b.inputs, []
    if b.electrolysers:
        p = b.electrolysers.electricity_mw.solution
        blocks.append(
            unit_block(
                "electrolyser",
                "electrolyser",
                x,
                electricity_mw=-p,
                hydrogen_mw=p * x["electrolyser_efficiency"],
            )
        )
    if b.hydrogen_stores:
        s = b.hydrogen_stores
        blocks.append(
            unit_block(
                "hydrogen_storage",
                "hydrogen_storage",
                x,
                hydrogen_mw=s.discharge_mw.solution - s.charge_mw.solution,
            )
        )
    return blocks


def waste_heat_offered_mw(b: BuiltModel) -> xr.DataArray | None:
    """Heat electrolysers add to each waste-heat source [MW], dims (snapshot, waste_source)."""
    if not b.electrolysers:
        return None
    x = b.inputs
    heat = b.electrolysers.electricity_mw.solution * x["electrolyser_heat_share"]
    by_source = heat.groupby(x["electrolyser_waste_heat"].rename("waste_source")).sum()
    return by_source.reindex(waste_source=x["waste_source"].values, fill_value=0.0)


def hydrogen_vom(b: BuiltModel) -> float:
    """Variable O&M of the hydrogen types [EUR]: per MWh of hydrogen made or discharged."""
    x, w, vom = b.inputs, b.inputs["snapshot_weight_h"], 0.0
    if b.electrolysers:
        made = b.electrolysers.electricity_mw.solution * x["electrolyser_efficiency"]
        vom += float((made * x["electrolyser_vom_eur_per_mwh"] * w).sum())
    if b.hydrogen_stores:
        d = b.hydrogen_stores.discharge_mw.solution
        vom += float((d * x["hydrogen_storage_vom_eur_per_mwh"] * w).sum())
    return vom


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
        "hydrogen_import_price_eur_per_mwh": x.get("hydrogen_import_price_eur_per_mwh", zero),
    }
    for key in ("hydrogen_demand", "unserved_hydrogen", "hydrogen_import"):
        out[f"{key}_mwh"] = (out[f"{key}_mw"] * w).sum("snapshot")
    if b.hydrogen_stores:
        s = b.hydrogen_stores
        out["hydrogen_storage_level_mwh"] = s.level_mwh.solution
        out["hydrogen_storage_charge_mw"] = s.charge_mw.solution
        out["hydrogen_storage_discharge_mw"] = s.discharge_mw.solution
    return out
