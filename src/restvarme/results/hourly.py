"""Hourly CSV files of a run that a planner opens in a spreadsheet.

Written into every run folder beside ``hourly_heat_mw.csv`` (:func:`hourly_files`, called when
:mod:`restvarme.results.io` lists a run's files):

``hourly_marginal_prices_eur_per_mwh.csv``
    The marginal price (dual of the balance, per MWh) of every heat network
    (``heat_<network>_eur_per_mwh``), cooling network (``cooling_<network>_eur_per_mwh``) and, where
    the run has them, electricity, hydrogen, biogas and vehicle gas (``electricity_eur_per_mwh``,
    ...) [EUR/MWh].
``hourly_waste_heat_mw.csv``
    Per waste-heat source, the heat offered (``<source>_available_mw``) and the heat taken by
    each route it uses in some hour of the run (``<source>_<route>_mw``: direct, preheat,
    heat_pump, absorption) [MW]. Routes a source never uses are left out.
``hourly_grid_exchange_mw.csv``
    Electricity bought from and sold to the grid (``electricity_import_mw``,
    ``electricity_export_mw``) and, where the run has a gas grid, gas bought and sold
    (``gas_grid_import_mw``, ``gas_grid_export_mw``) [MW].

Every file has one row per snapshot: ``snapshot`` (start time, ``YYYY-MM-DD HH:MM``) first, then,
when snapshots are not all one hour long (typical days, multi-hour steps), ``snapshot_weight_h``
(hours of the year each stands for) [h]. Pathway runs carry a ``period`` column first and one
block of rows per period. Every other column name ends with its unit. Values in MW and EUR/MWh
are written with four decimals.

The tables are made from the results' numpy arrays and written with one format string per row,
which keeps a full year of the Lund example to a few hundredths of a second
(``benchmarks/hourly_csv.py`` prints the figure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xarray as xr

PRICES_FILE = "hourly_marginal_prices_eur_per_mwh.csv"
WASTE_HEAT_FILE = "hourly_waste_heat_mw.csv"
GRID_FILE = "hourly_grid_exchange_mw.csv"

_CARRIER_PRICES = (
    ("electricity", "marginal_electricity_price_eur_per_mwh"),
    ("hydrogen", "marginal_hydrogen_price_eur_per_mwh"),
    ("biogas", "marginal_biogas_price_eur_per_mwh"),
    ("vehicle_gas", "marginal_vehicle_gas_price_eur_per_mwh"),
)
_GRID = (
    ("electricity_import_mw", "grid_import_mw"),
    ("electricity_export_mw", "grid_export_mw"),
    ("gas_grid_import_mw", "gas_grid_import_mw"),
    ("gas_grid_export_mw", "gas_grid_export_mw"),
)

Columns = dict[str, np.ndarray]
"""Column name (with its unit) -> values, one per snapshot."""


def _by(ds: xr.Dataset, name: str, dim: str) -> np.ndarray:
    """``ds[name]`` as a (snapshot, dim) array."""
    return np.asarray(ds[name].transpose("snapshot", dim).values, dtype=float)


def marginal_prices(ds: xr.Dataset) -> Columns:
    """Hourly marginal prices of a one-period run, per network and carrier [EUR/MWh]."""
    cols: Columns = {}
    if "marginal_heat_price_eur_per_mwh" in ds:
        values = _by(ds, "marginal_heat_price_eur_per_mwh", "network")
        for i, net in enumerate(ds["network"].values):
            cols[f"heat_{net}_eur_per_mwh"] = values[:, i]
    if "marginal_cooling_price_eur_per_mwh" in ds:
        values = _by(ds, "marginal_cooling_price_eur_per_mwh", "cooling_network")
        for i, net in enumerate(ds["cooling_network"].values):
            cols[f"cooling_{net}_eur_per_mwh"] = values[:, i]
    for carrier, name in _CARRIER_PRICES:
        if name in ds:
            cols[f"{carrier}_eur_per_mwh"] = np.asarray(ds[name].values, dtype=float)
    return cols


def waste_heat(ds: xr.Dataset) -> Columns:
    """Hourly waste heat of a one-period run: offered, and taken by each route a source uses
    [MW]."""
    cols: Columns = {}
    if "waste_heat_used_mw" not in ds or ds.sizes.get("waste_source", 0) == 0:
        return cols
    used = np.asarray(
        ds["waste_heat_used_mw"].transpose("snapshot", "waste_source", "route").values, dtype=float
    )
    available = _by(ds, "waste_heat_available_mw", "waste_source")
    routes = ds["route"].values
    for i, src in enumerate(ds["waste_source"].values):
        cols[f"{src}_available_mw"] = available[:, i]
        for j, route in enumerate(routes):
            if np.any(used[:, i, j] != 0.0):
                cols[f"{src}_{route}_mw"] = used[:, i, j]
    return cols


def grid_exchange(ds: xr.Dataset) -> Columns:
    """Hourly exchange with the electricity grid (and the gas grid, if any) of a one-period run
    [MW]."""
    return {col: np.asarray(ds[name].values, dtype=float) for col, name in _GRID if name in ds}


def _one_period_text(ds: xr.Dataset, columns: Columns, period: int | None, weighted: bool) -> str:
    """The CSV rows (without header, each ending in a line break) of one period's columns
    (:func:`rows_text`)."""
    n = ds.sizes["snapshot"]
    times = np.datetime_as_string(ds["snapshot"].values, unit="m")
    parts = [np.char.replace(times.astype(str), "T", " ")]
    if period is not None:
        parts.insert(0, np.full(n, str(period)))
    if weighted:
        parts.append(np.char.mod("%g", np.asarray(ds["snapshot_weight_h"].values, dtype=float)))
    values = np.column_stack(list(columns.values())) if columns else np.zeros((n, 0))
    values = np.where(values == 0.0, 0.0, values)  # no "-0.0000"
    return rows_text([part.tolist() for part in parts], values, "%.4f")


def rows_text(
    keys: Sequence[Sequence[str]], values: np.ndarray, float_format: str, line_end: str = "\n"
) -> str:
    """CSV rows, each ``key,...,value,...`` and ``line_end``: the key columns as they are, the
    values of ``values`` (rows x columns) in ``float_format``, formatted in one pass with one
    ``%`` template for every row, not cell by cell."""
    n = values.shape[0]
    cells = np.empty((n, len(keys) + values.shape[1]), dtype=object)
    for i, key in enumerate(keys):
        cells[:, i] = key
    cells[:, len(keys) :] = values
    row = ",".join(["%s"] * len(keys) + [float_format] * values.shape[1]) + line_end
    return (row * n) % tuple(cells.ravel().tolist())


def _weighted(ds: xr.Dataset) -> bool:
    return "snapshot_weight_h" in ds and bool(np.any(ds["snapshot_weight_h"].values != 1.0))


def _periods(ds: xr.Dataset) -> list[tuple[int | None, xr.Dataset]]:
    if "period" in ds.dims:
        return [(int(p), ds.sel(period=p)) for p in ds["period"].values]
    return [(None, ds)]


def hourly_table_text(ds: xr.Dataset, make: Callable[[xr.Dataset], Columns]) -> str | None:
    """The CSV text of the columns ``make`` returns for each period of ``ds`` (every period gets
    the columns of all, zeros where it has none); None if there are no columns."""
    periods = _periods(ds)
    blocks = [(p, one, make(one)) for p, one in periods]
    names = list(dict.fromkeys(name for _, _, cols in blocks for name in cols))
    if not names:
        return None
    header = ["snapshot"]
    weighted = any(_weighted(one) for _, one, _ in blocks)
    if weighted:
        header.append("snapshot_weight_h")
    if periods[0][0] is not None:
        header.insert(0, "period")
    text = [",".join([*header, *names]) + "\n"]
    for p, one, cols in blocks:
        zeros = np.zeros(one.sizes["snapshot"])
        text.append(_one_period_text(one, {n: cols.get(n, zeros) for n in names}, p, weighted))
    return "".join(text)


def hourly_files(ds: xr.Dataset) -> dict[str, Callable[[Path], object]]:
    """The hourly CSV files of a run (file name -> writer of that file), as
    :func:`restvarme.results.io.result_files` puts them into the run folder."""
    files: dict[str, Callable[[Path], object]] = {}
    for name, make in _MAKERS.items():
        text = hourly_table_text(ds, make)
        if text is not None:
            files[name] = _writer(text)
    return files


def _writer(text: str) -> Callable[[Path], object]:
    return lambda path: path.write_text(text, encoding="utf-8")


_MAKERS: dict[str, Callable[[xr.Dataset], Columns]] = {
    PRICES_FILE: marginal_prices,
    WASTE_HEAT_FILE: waste_heat,
    GRID_FILE: grid_exchange,
}
