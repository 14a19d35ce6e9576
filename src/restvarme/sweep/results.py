"""What a sweep keeps of each case, and the sweep's table (Parquet).

Each case's figures come from its results Dataset by the definitions of single runs, so a case's
row equals what ``restvarme run`` reports for the same scenario:

- the key figures of :func:`restvarme.report.figures.key_figures` named in :data:`KEY_FIGURES`
  (total and system cost [EUR], emissions [t CO2e], cost per MWh of heat and cooling and of heat
  [EUR/MWh], unserved heat [MWh], waste-heat share [-]);
- ``waste_heat_value_eur_per_mwh.<source>``: each waste-heat source's value
  (:func:`restvarme.accounting.waste_heat_value.waste_heat_value_eur_per_mwh`, gross: the dual of
  its availability limit plus its price), averaged over the hours it is available, weighted by
  the hours each snapshot stands for [EUR/MWh];
- ``capacity_new.<unit>``: the capacity an expansion case builds for each extendable unit (in its
  ``capacity_unit``: MW, MWh for stores, m² for collector fields), summed over the periods of a
  pathway.

A pathway case's key figures and values are those of its last period.

The sweep's table (:func:`sweep_table`) is tidy: one row per case (index ``case``), one column
per parameter (its key path), then ``status`` (``ok`` or ``failed``), ``error``, ``seconds`` and
one column per figure; a failed case has its parameters and error and no figures (NaN).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import xarray as xr

KEY_FIGURES = (
    "total_cost_eur",
    "system_cost_eur",
    "emissions_t",
    "cost_eur_per_mwh",
    "heat_cost_eur_per_mwh",
    "unserved_heat_mwh",
    "waste_heat_share",
)
"""The fields of :class:`restvarme.report.figures.KeyFigures` a sweep keeps for every case."""
VALUE_PREFIX = "waste_heat_value_eur_per_mwh."
"""Column prefix of each source's mean waste-heat value [EUR/MWh]."""
CAPACITY_PREFIX = "capacity_new."
"""Column prefix of each extendable unit's new capacity (MW, MWh or m²)."""
CASE_COLUMNS = ("key", "status", "error", "seconds")
"""Bookkeeping columns of the sweep table, between the parameters and the figures."""


def case_figures(ds: xr.Dataset, extendable: list[str] | tuple[str, ...] = ()) -> dict[str, float]:
    """The figures a sweep keeps of one run (see the module docstring); ``extendable`` names the
    units whose new capacity is kept."""
    from restvarme.accounting.waste_heat_value import waste_heat_value_eur_per_mwh
    from restvarme.report.figures import key_figures

    last = ds.isel(period=-1) if "period" in ds.dims else ds
    kf = key_figures(last).as_dict()
    out = {name: float(kf[name]) for name in KEY_FIGURES}
    if "waste_heat_value_eur_per_mwh" in last and last.sizes.get("waste_source", 0) > 0:
        value = waste_heat_value_eur_per_mwh(last)
        weight = last["snapshot_weight_h"] if "snapshot_weight_h" in last else xr.ones_like(value)
        available = (last["waste_heat_available_mw"] > 1e-9).transpose(*value.dims)
        w = weight.broadcast_like(value).where(available, 0.0)
        mean = (value.where(available, 0.0) * w).sum("snapshot") / w.sum("snapshot")
        for source, v in mean.to_series().items():
            out[f"{VALUE_PREFIX}{source}"] = float(v)
    if extendable:
        new = ds["capacity_new"]
        if "period" in new.dims:
            new = new.sum("period")
        for unit in extendable:
            out[f"{CAPACITY_PREFIX}{unit}"] = float(new.sel(unit=unit))
    return out


def sweep_table(cases: pd.DataFrame, records: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The sweep's table: ``cases`` (the design, with a ``key`` column) joined with the record
    each finished case left (``records`` by key); cases without a record are left out."""
    rows = []
    for case, row in cases.iterrows():
        record = records.get(str(row["key"]))
        if record is None:
            continue
        rows.append(
            {
                "case": case,
                **{k: v for k, v in row.items() if k != "key"},
                "key": row["key"],
                "status": record["status"],
                "error": record.get("error") or "",
                "seconds": float(record.get("seconds", math.nan)),
                **record.get("figures", {}),
            }
        )
    parameters = [c for c in cases.columns if c != "key"]
    columns = [*parameters, *CASE_COLUMNS]
    table = pd.DataFrame(rows, columns=["case", *columns] if not rows else None)
    table = table.set_index("case")
    figures = sorted(c for c in table.columns if c not in columns)
    ordered = [c for c in KEY_FIGURES if c in figures]
    ordered += [c for c in figures if c not in ordered]
    table = table[[*columns, *ordered]]
    table.attrs["parameters"] = parameters
    return table


def parameter_columns(table: pd.DataFrame) -> list[str]:
    """The parameter columns of a sweep table: those before ``key``."""
    columns = list(table.columns)
    return columns[: columns.index("key")]


def figure_columns(table: pd.DataFrame) -> list[str]:
    """The figure columns of a sweep table: those after ``seconds``."""
    columns = list(table.columns)
    return columns[columns.index("seconds") + 1 :]
