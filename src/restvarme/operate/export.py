"""The day-ahead plan of one window, per unit and hour, and the waste-heat suppliers' call-offs.

A window's plan (:attr:`restvarme.operate.rolling.Operation.plans`, decided on the forecast) is
what an operator sends out before the day: its committed hours (the window's step, the next day
for 24-hour steps) are exported

* per unit and hour (:func:`day_ahead_plan`): heat, electricity, fuel, heat drawn from a source
  and cooling [MW], with the results' signs (:mod:`restvarme.units.ports`), and a store's planned
  level [MWh];
* per waste-heat source and hour (:func:`call_off`): the heat each supplier is asked to deliver
  [MW], over all the routes it is taken by (direct, preheat, heat pump, absorption);

as CSV tables and one JSON document (:func:`day_ahead_json`).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.units.registry import REGISTRY

FLOWS = ("heat_mw", "electricity_mw", "fuel_mw", "source_heat_mw", "cooling_mw")
"""The per-unit flows of the day-ahead plan [MW]."""


def committed(plan: xr.Dataset, hours: int) -> xr.Dataset:
    """The first ``hours`` hours of a window's plan: the hours it commits."""
    return plan.isel(snapshot=slice(0, hours))


def _levels(plan: xr.Dataset) -> pd.Series:
    """Every store's planned level [MWh], indexed by (snapshot, unit)."""
    parts = []
    for dim, unit_type in REGISTRY.items():
        name = f"{dim}_level_mwh"
        if unit_type.capacity.stored and name in plan and dim in plan[name].dims:
            level = plan[name].rename({dim: "unit"}).transpose("snapshot", "unit")
            parts.append(level.to_series())
    if not parts:
        return pd.Series(dtype=float, name="level_mwh")
    return pd.concat(parts).rename("level_mwh")


def day_ahead_plan(plan: xr.Dataset) -> pd.DataFrame:
    """Per unit and hour: the planned flows [MW] and store levels [MWh] (module docstring),
    one row per (snapshot, unit), with the unit's type."""
    flows = [plan[k].transpose("snapshot", "unit").to_series().rename(k) for k in FLOWS]
    table = pd.concat(flows, axis=1)
    levels = _levels(plan)
    table["level_mwh"] = levels.reindex(table.index) if len(levels) else np.nan
    types = plan["unit_type"].to_series()
    table.insert(0, "unit_type", types.reindex(table.index.get_level_values("unit")).values)
    return table


def call_off(plan: xr.Dataset) -> pd.DataFrame:
    """Per waste-heat source and hour: the heat to deliver [MW] (all routes), one row per
    (waste_source, snapshot)."""
    used = plan["waste_heat_used_mw"].sum("route").transpose("waste_source", "snapshot")
    return used.to_series().rename("deliver_mw").to_frame()


def day_ahead_json(plan: xr.Dataset, about: dict[str, Any]) -> str:
    """The day-ahead plan and the call-offs as one JSON document: ``about`` (scenario, forecast,
    window), the hours, per unit its type and hourly flows and level, per source its hourly
    MW and total MWh."""
    hours = [pd.Timestamp(t).isoformat() for t in plan["snapshot"].values]
    table = day_ahead_plan(plan)
    units: dict[str, Any] = {}
    for unit in plan["unit"].values:
        rows = table.xs(unit, level="unit")
        entry: dict[str, Any] = {"type": str(rows["unit_type"].iloc[0])}
        for column in (*FLOWS, "level_mwh"):
            values = rows[column].to_numpy(dtype=float)
            if column == "level_mwh" and np.isnan(values).all():
                continue
            entry[column] = [round(float(v), 6) for v in values]
        units[str(unit)] = entry
    offs = call_off(plan)["deliver_mw"]
    sources = {
        str(s): {
            "deliver_mw": [round(float(v), 6) for v in offs.xs(s, level="waste_source")],
            "deliver_mwh": round(float(offs.xs(s, level="waste_source").sum()), 6),
        }
        for s in plan["waste_source"].values
    }
    doc = {**about, "hours": hours, "units": units, "call_off": sources}
    return json.dumps(doc, indent=1, ensure_ascii=False)
