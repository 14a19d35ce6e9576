"""What each unit of a results Dataset is, for the tables and reports that show it.

Nothing here names a unit type: a unit's label, colour, rank and capacity unit come from its
type in :mod:`restvarme.units.registry`, and its role from the results' ports (its flows, its
sink, the origin of its heat) and :mod:`restvarme.accounting.outputs`:

* a **store** is a unit of a stored type (:func:`~restvarme.accounting.outputs.is_store`);
* a **cooling unit** makes cooling above all (its main output) or feeds a cooling network;
* a unit of **another sector** makes hydrogen or vehicle gas above all, or has neither a heat
  nor a cooling flow and no heat or cooling network to feed (PV, wind, batteries, gas holders);
* the **origin** of a unit's heat is the largest of its non-electric origins in
  ``heat_origin_mw`` (waste heat, ambient, fuel, hydrogen, solar); it is **driven** when it also
  takes electricity (a heat pump, against a heat exchanger taking the same waste heat).
"""

from __future__ import annotations

import pandas as pd
import xarray as xr

from restvarme.accounting.outputs import OUTPUTS, is_store
from restvarme.units.registry import REGISTRY, unit_type_of

__all__ = [
    "capacity_units",
    "cooling_units",
    "driven",
    "heat_networks",
    "heat_origin",
    "horizon_mwh",
    "is_store",
    "other_sector_units",
    "type_colour",
    "type_label",
    "type_rank",
    "unit_labels",
    "unit_roles",
]

GREY = "#7f7f7f"
"""Colour of a unit whose type the registry does not know."""

ELECTRIC = "electricity"


def type_label(unit_type: str) -> str:
    """How users see a unit type (its registry label; an unknown type spelled out)."""
    found = unit_type_of(str(unit_type))
    return found.label if found is not None else str(unit_type).replace("_", " ")


def type_colour(unit_type: str) -> str:
    """The colour reports draw a unit type in (its registry colour)."""
    found = unit_type_of(str(unit_type))
    return found.colour if found is not None else GREY


def type_rank(unit_type: str) -> int:
    """A unit type's place in the registry (build order); unknown types after all others."""
    found = unit_type_of(str(unit_type))
    return list(REGISTRY).index(found.name) if found is not None else len(REGISTRY)


def unit_labels(ds: xr.Dataset) -> pd.Series:
    """The registry label of each unit's type, by unit."""
    kinds = ds["unit_type"].to_series()
    return kinds.map(type_label).rename("type")


def capacity_units(ds: xr.Dataset) -> pd.Series:
    """What each unit's capacity is measured in (MW, MWh, m²): ``capacity_unit`` of the results,
    else its type's capacity kind."""
    if "capacity_unit" in ds:
        units = ds["capacity_unit"]
        units = units.isel(period=0, drop=True) if "period" in units.dims else units
        return units.to_series().astype(str)
    return (
        ds["unit_type"]
        .to_series()
        .map(lambda t: ut.capacity.unit if (ut := unit_type_of(str(t))) else "MW")
    )


def horizon_mwh(ds: xr.Dataset, flow: str) -> xr.DataArray:
    """A flow ``<carrier>_mw`` summed over the horizon (and a pathway's periods) [MWh]; 0 where
    the results lack it."""
    if flow not in ds:
        return xr.zeros_like(ds["unit"], dtype=float)
    w = ds["snapshot_weight_h"] if "snapshot_weight_h" in ds else 1.0
    over = [d for d in ("snapshot", "period") if d in ds[flow].dims]
    return (ds[flow] * w).sum(over)


def heat_networks(ds: xr.Dataset) -> list[str]:
    """Names of the heat networks of a run."""
    return [str(n) for n in ds["network"].values] if "network" in ds.coords else []


def _cooling_networks(ds: xr.Dataset) -> list[str]:
    if "cooling_network" in ds.coords:
        return [str(n) for n in ds["cooling_network"].values]
    return []


def _over_horizon(da: xr.DataArray) -> pd.Series:
    """A per-unit quantity summed over snapshots (and periods), by unit."""
    return da.sum([d for d in ("snapshot", "period") if d in da.dims]).to_series()


def unit_roles(ds: xr.Dataset) -> pd.DataFrame:
    """Every unit's role in one table (index: unit), read in one pass over the results:

    ``type`` (the results' ``unit_type``), ``label`` (its registry label), ``store``,
    ``main_output`` (as :func:`~restvarme.accounting.outputs.main_output`, over all periods),
    ``cooling`` and ``other_sector`` (see the module docstring), ``heat_unit`` (a unit of the heat
    networks: it delivered heat, or it is neither a cooling unit nor another sector's),
    ``made_heat``, ``origin`` (:func:`heat_origin`) and ``driven`` (:func:`driven`).
    """
    units = ds["unit"].to_series().index
    kinds = ds["unit_type"].to_series().astype(str)
    zero = pd.Series(0.0, index=units)
    positive = {
        o: _over_horizon(ds[f"{o}_mw"].clip(min=0)) if f"{o}_mw" in ds else zero for o in OUTPUTS
    }
    outputs = pd.DataFrame(positive)[list(OUTPUTS)]
    main = outputs.idxmax(axis=1).where(outputs.sum(axis=1) > 0, "heat")
    sinks = ds["unit_sink"].to_series().astype(str)
    on_network = sinks.isin(heat_networks(ds) + _cooling_networks(ds))

    def flows(f: str) -> pd.Series:
        return _over_horizon(abs(ds[f]) > 1e-9) > 0 if f in ds else zero > 0

    thermal = flows("heat_mw") | flows("cooling_mw") | on_network
    cooling = (main == "cooling") | sinks.isin(_cooling_networks(ds))
    other = main.isin(["hydrogen", "vehicle_gas"]) | ~thermal
    made = positive["heat"] > 1e-9
    origin_mwh = horizon_mwh(ds, "heat_origin_mw") if "heat_origin_mw" in ds else None  # once
    table = pd.DataFrame(
        {
            "type": kinds,
            "label": kinds.map(type_label),
            "store": is_store(ds).to_series(),
            "main_output": main,
            "cooling": cooling,
            "other_sector": other,
            "made_heat": made,
            "heat_unit": made | ~(cooling | other),
            "origin": _origin(ds, made, origin_mwh),
        }
    )
    table["driven"] = _driven(ds, table, origin_mwh)
    return table


def cooling_units(ds: xr.Dataset) -> xr.DataArray:
    """Units that make cooling above all, or feed a cooling network (bool on ``unit``)."""
    return _on_unit(ds, unit_roles(ds)["cooling"])


def other_sector_units(ds: xr.Dataset) -> xr.DataArray:
    """Units serving the electricity, hydrogen and biogas buses, not the heat and cooling
    networks (bool on ``unit``): see the module docstring."""
    return _on_unit(ds, unit_roles(ds)["other_sector"])


def _on_unit(ds: xr.Dataset, values: pd.Series) -> xr.DataArray:
    return xr.DataArray(values.to_numpy(), coords={"unit": ds["unit"]}, dims="unit")


def heat_origin(ds: xr.Dataset) -> pd.Series:
    """The largest non-electric origin of each unit's heat over the horizon (``waste_heat``,
    ``ambient``, ``fuel``, ``hydrogen``, ``solar``), by unit; for a unit that made no heat, that of
    the source it draws on (``waste_heat`` for a waste-heat source, ``ambient`` for any other),
    else ``""``."""
    return unit_roles(ds)["origin"]


def driven(ds: xr.Dataset) -> pd.Series:
    """Whether each unit's heat takes electricity besides its origin (a heat pump), by unit.
    A unit that made no heat is judged by the other units of its type."""
    return unit_roles(ds)["driven"]


def _origin(ds: xr.Dataset, made: pd.Series, total: xr.DataArray | None) -> pd.Series:
    wastes = {str(s) for s in ds["waste_source"].values} if "waste_source" in ds.coords else set()
    sources = ds["unit_source"].to_series().astype(str)
    fallback = sources.map(lambda s: "waste_heat" if s in wastes else ("ambient" if s else ""))
    if total is None:  # results without heat_origin_mw
        return fallback
    total = total.sel(origin=[o for o in total["origin"].values if str(o) != ELECTRIC])
    table: pd.DataFrame = total.transpose("unit", "origin").to_pandas()
    found = table.max(axis=1) > 1e-9
    return table.idxmax(axis=1).astype(str).where(found & made, fallback)


def _driven(ds: xr.Dataset, table: pd.DataFrame, origin_mwh: xr.DataArray | None) -> pd.Series:
    use = (-horizon_mwh(ds, "electricity_mw")).clip(min=0).to_series() > 1e-9
    if origin_mwh is not None:
        electric = origin_mwh.sel(origin=ELECTRIC).to_series() > 1e-9
        use = use | electric
    ran = table["made_heat"]
    by_type = use[ran].groupby(table["type"][ran]).any()
    return use.where(ran, table["type"].map(by_type)).fillna(False).astype(bool)
