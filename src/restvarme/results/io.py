"""Write and read a run's output folder: netCDF results, CSV summaries, the resolved scenario.

Written as fast as the formats allow, each number computed once:

* ``results.nc`` through netCDF4 (the Unidata library; five times faster than h5netcdf on a
  tiny run's 60 small variables, three times on the Lund year), with the hourly variables
  (at least :data:`COMPRESS_MIN_VALUES` values) deflated at level 1 without the byte shuffle
  filter (which netCDF4 adds to deflate by default): the Lund year's results take 3.9 MB
  instead of 39 MB raw and 5.6 MB shuffled, and deflating them costs about 0.29 CPU s
  against 0.39 s shuffled (median of 9, ``benchmarks/README.md``, "phases.py"); shuffling
  regroups the bytes of each float by significance, which helps smooth series but breaks up the
  runs of equal values (hours at zero, at capacity) that most hourly results are made of.
  Values are stored as they are (no packing, no rounding): a file read back is ``identical``
  to the Dataset written. zstd (the HDF5 plugin netCDF4's wheel bundles) would take 0.16 CPU s
  and 3.2 MB for Lund against deflate's 0.21 s and 3.9 MB, but readers without the plugin
  (h5py, a system ``ncdump``) could not open the file: not taken. The file is made in memory
  in a thread while the tables and the CSVs' text are made (:func:`result_files`): deflate
  runs in C without Python's lock, so the two overlap on a second core (the write's wall time
  on the Lund year 0.36-0.38 s against 0.47-0.50 s, ``benchmarks/write_folder.py``,
  ``benchmarks/README.md``, "The results' file made beside the tables").
* the summary tables share their sector tables: ``costs_by_sector.csv``,
  ``emissions_by_sector.csv`` and ``key_figures.csv`` rest on one
  :func:`~restvarme.accounting.costs.cost_by_sector` and one
  :func:`~restvarme.accounting.sectors.emissions_by_sector`, whose per-unit sums run in numpy
  on the results' arrays where they are laid out as a run's (the same bits as xarray's);
* the hourly CSVs are formatted from numpy in one pass (:func:`csv_text`), byte for byte what
  ``pandas.DataFrame.to_csv`` writes, five times faster.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import xarray as xr

from restvarme._imports import defer_dask
from restvarme.results.folder import (
    IncompleteRunFolderError,
    Writer,
    manifest_files,
    output_folder,
    verify_run_folder,
)
from restvarme.results.hourly import hourly_files, rows_text

if TYPE_CHECKING:
    from restvarme.scenario.load import ScenarioFile

RESULTS_FILE = "results.nc"
SCENARIO_FILE = "scenario.resolved.json"
NETCDF_ENGINE: Final = "netcdf4"
"""The xarray engine ``results.nc`` is written and read with (any netCDF-4 file reads)."""
COMPRESS_MIN_VALUES = 1024
"""Variables of at least this many values are deflated (zlib level 1) in ``results.nc``; the
small ones (a tiny test run's, the per-unit totals) are not worth a compressed chunk."""


def summary_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Annual summaries as tables: per unit, per network, per waste-heat source, costs, emissions
    (by source and by sector), targets, and per cooling network where there are any. Pathway
    results get one block per period (a ``period`` index level).

    Each table is written as ``<name>.csv``; a new name must be added to
    :data:`restvarme.results.folder.OUTPUT_NAMES`, which says what a run may replace. The sector
    tables are computed once and the key figures built on them."""
    from restvarme.accounting.costs import cost_by_sector
    from restvarme.accounting.sectors import emissions_by_sector
    from restvarme.report.figures import key_figures_table
    from restvarme.results.groups import group_tables

    if "period" in ds.dims:
        per = {int(p): summary_tables(ds.sel(period=p)) for p in ds["period"].values}
        first = next(iter(per.values()))
        return {
            name: pd.concat({p: t[name] for p, t in per.items()}, names=["period"])
            for name in first
        }
    units = pd.DataFrame(
        {
            "type": ds["unit_type"].to_series(),
            "sink": ds["unit_sink"].to_series(),
            "source": ds["unit_source"].to_series(),
            "fuel": ds["unit_fuel"].to_series(),
            "heat_mwh": ds["heat_mwh"].to_series(),
            "electricity_mwh": ds["electricity_mwh"].to_series(),
            "fuel_mwh": ds["fuel_mwh"].to_series(),
            "full_load_hours_h": (ds["heat_mwh"] / ds["heat_mw"].max("snapshot")).to_series(),
            "capacity_unit": ds["capacity_unit"].to_series(),
            "capacity_existing": ds["capacity_existing"].to_series(),
            "capacity_new": ds["capacity_new"].to_series(),
        }
    )
    if "capacity_built" in ds:
        units["capacity_built"] = ds["capacity_built"].to_series()
    if "cooling_mwh" in ds:
        units["cooling_mwh"] = ds["cooling_mwh"].to_series()
    units.index.name = "unit"
    networks = pd.DataFrame(
        {
            "heat_demand_mwh": ds["heat_demand_mwh"].to_series(),
            "heat_loss_mwh": ds["heat_loss_mwh"].to_series(),
            "unserved_heat_mwh": ds["unserved_heat_mwh"].to_series(),
            "mean_marginal_heat_price_eur_per_mwh": ds["marginal_heat_price_eur_per_mwh"]
            .mean("snapshot")
            .to_series(),
        }
    )
    waste = ds["waste_heat_used_mwh"].to_series().unstack("route")
    waste.columns = [f"{c}_mwh" for c in waste.columns]
    waste["available_mwh"] = ds["waste_heat_available_mw"].sum("snapshot").to_series()
    cooling = {}
    if "cooling_demand_mwh" in ds:
        cooling["cooling_networks"] = pd.DataFrame(
            {
                "cooling_demand_mwh": ds["cooling_demand_mwh"].to_series(),
                "unserved_cooling_mwh": ds["unserved_cooling_mwh"].to_series(),
                "mean_marginal_cooling_price_eur_per_mwh": ds["marginal_cooling_price_eur_per_mwh"]
                .mean("snapshot")
                .to_series(),
            }
        )
    by_sector_t, by_sector_eur = emissions_by_sector(ds), cost_by_sector(ds)
    return {
        "units": units,
        "networks": networks,
        **cooling,
        "waste_heat": waste,
        "costs": ds["cost_eur"].to_series().rename("eur").to_frame(),
        "emissions": ds["emissions_t"].to_series().rename("t_co2e").to_frame(),
        "emissions_by_sector": by_sector_t,
        "costs_by_sector": by_sector_eur.to_frame(),
        "key_figures": key_figures_table(
            ds, cost_by_sector=by_sector_eur, emissions_by_sector=by_sector_t
        ),
        "targets": pd.DataFrame(
            {
                "emissions_t": [float(ds["emissions_t"].sum())],
                "emission_cap_t": [float(ds["emission_cap_t"])],
                "emission_shortfall_t": [float(ds["emission_shortfall_t"])],
                "min_waste_heat_share": [float(ds["min_waste_heat_share"])],
                "waste_heat_shortfall_mwh": [float(ds["waste_heat_shortfall_mwh"])],
                "min_renewable_share": [float(ds["min_renewable_share"])],
                "renewable_shortfall_mwh": [float(ds["renewable_shortfall_mwh"])],
            },
            index=pd.Index([int(ds.attrs.get("year", 0))], name="year"),
        ),
        **group_tables(ds),
    }


class RunFiles(dict[str, Writer]):
    """The files of a run folder, name -> writer (:func:`result_files`), and the summary tables
    among them (:attr:`tables`, which ``restvarme run`` also prints)."""

    tables: dict[str, pd.DataFrame]


def result_files(ds: xr.Dataset, scenario_json: str | None = None) -> RunFiles:
    """The files of a run folder, name -> writer: ``results.nc``, one CSV per summary table
    (:func:`summary_tables`), the hourly heat (and cooling) and, if given, the resolved scenario.

    ``results.nc`` is encoded in memory in a thread (:func:`netcdf_bytes`, most of it HDF5's
    deflate, which runs without Python's lock) while this thread makes the tables and the CSVs'
    text, which is Python's work; its writer waits for the encoding. The files are written in
    this order when the folder is committed, each from its text or bytes.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="restvarme-netcdf")
    try:
        encoded = pool.submit(netcdf_bytes, ds)
    finally:
        pool.shutdown(wait=False)  # the thread ends with its one task
    files = RunFiles({RESULTS_FILE: lambda path: path.write_bytes(encoded.result())})
    files.tables = summary_tables(ds)
    for name, table in files.tables.items():
        files[f"{name}.csv"] = csv_writer(table, "%.6g")
    hourly = ds["heat_mw"].to_series().unstack("unit")
    files["hourly_heat_mw.csv"] = csv_writer(hourly, "%.4f")
    if "cooling_demand_mw" in ds:
        cooling = ds["cooling_mw"].to_series().unstack("unit")
        files["hourly_cooling_mw.csv"] = csv_writer(cooling, "%.4f")
    files.update(hourly_files(ds))  # prices, waste heat, grid (restvarme.results.hourly)
    if scenario_json is not None:
        files[SCENARIO_FILE] = lambda path: path.write_text(scenario_json, encoding="utf-8")
    return files


def netcdf_bytes(ds: xr.Dataset) -> memoryview:
    """``ds`` as a netCDF-4 file (:data:`NETCDF_ENGINE`) made in memory, deflating at level 1
    (no shuffle) the numeric variables of at least :data:`COMPRESS_MIN_VALUES` values
    (lossless: read back, the Dataset is ``identical``; see the module docstring for the
    figures).

    The image is HDF5's own in-memory file (netCDF-C's ``NC_INMEMORY``), which any netCDF-4 or
    HDF5 reader opens as a file; it ends in up to 256 KiB of unused space the library allocated
    in steps (1 % of the Lund year's 3.9 MB).
    """
    import netCDF4

    encoding: dict[Hashable, dict[str, Any]] = {
        name: {"zlib": True, "complevel": 1, "shuffle": False}
        for name, var in ds.variables.items()
        if var.dtype.kind in "fiub" and var.size >= COMPRESS_MIN_VALUES
    }
    # What ``ds.to_netcdf(engine="netcdf4", encoding=encoding)`` does, through its store:
    # ``to_netcdf`` and the store's default write lock ask dask for its scheduler, which
    # imports dask.distributed (0.15-0.45 s of a fresh process), to write numpy arrays that need
    # no scheduler. The store gets no lock of its own: the whole file's is held.
    from xarray.backends import NetCDF4DataStore
    from xarray.backends.locks import DummyLock

    with _whole_file_lock():
        nc = netCDF4.Dataset(RESULTS_FILE, mode="w", format="NETCDF4", memory=_NETCDF_START_BYTES)
        try:
            ds.dump_to_store(NetCDF4DataStore(nc, lock=DummyLock()), encoding=encoding)
        finally:
            image = nc.close()
    return image


_NETCDF_START_BYTES = 1 << 20
"""The in-memory file's first allocation [bytes]; HDF5 grows it as it writes."""


def _whole_file_lock() -> Any:
    """xarray's lock for netCDF-C and HDF5, held over the whole of each file read or made.

    Neither library is thread-safe, and xarray's netCDF4 store makes some of its calls (reading
    attributes, creating variables) outside its own lock: two reads at once in a server's
    threads, or two files made at once, crashed the process (tests/results/test_io_formats.py).
    Holding the lock over the whole file makes each read and each write take its turn. Not
    reentrant: the store opened under it is given none (``lock=False``, ``DummyLock``)."""
    from xarray.backends.netCDF4_ import NETCDF4_PYTHON_LOCK

    return NETCDF4_PYTHON_LOCK


def csv_writer(table: pd.DataFrame, float_format: str) -> Writer:
    """A writer of ``table`` as ``table.to_csv(path, float_format=float_format)`` writes it,
    byte for byte, its text made now (:func:`csv_text`)."""
    text = csv_text(table, float_format)

    def write(path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    return write


def csv_text(table: pd.DataFrame, float_format: str) -> str:
    """The text ``table.to_csv(path, float_format=float_format)`` writes.

    A table of float64 columns without NaN (the hourly tables) is formatted in one pass: the
    index and header as pandas writes them, the numbers with one ``%``-template over the whole
    array, five times faster than pandas' cell-by-cell formatting on a year of hours. Any other
    table (text columns, NaN, which pandas writes as an empty cell) goes to pandas.
    """
    values = table.to_numpy() if _plain_floats(table) else None
    if values is None or np.isnan(values).any():
        return table.to_csv(float_format=float_format)
    index = pd.DataFrame(index=table.index).to_csv(header=False).split(os.linesep)[:-1]
    if len(index) != len(table):  # an index label with a line break, quoted: leave it to pandas
        return table.to_csv(float_format=float_format)
    header = table.iloc[:0].to_csv()
    return header + rows_text([index], values, float_format, os.linesep)


def _plain_floats(table: pd.DataFrame) -> bool:
    return len(table.columns) > 0 and all(dt == np.float64 for dt in table.dtypes)


def write_results(
    ds: xr.Dataset,
    out_dir: str | Path,
    scenario_json: str | None = None,
    *,
    overwrite: bool = False,
) -> Path:
    """Write ``results.nc``, one CSV per summary table and the resolved scenario to ``out_dir``,
    atomically, with ``manifest.json`` last (:mod:`restvarme.results.folder`).

    The files of an earlier run into ``out_dir`` are replaced (and those this run does not write
    removed); other files named like outputs are refused with a
    :class:`~restvarme.results.folder.RunFolderError` unless ``overwrite``; files with other names
    are left alone.
    """
    with output_folder(out_dir, overwrite=overwrite) as folder:
        folder.commit(result_files(ds, scenario_json))
    return Path(out_dir)


def read_results(run_dir: str | Path) -> xr.Dataset:
    """Open the results of a run folder (or its ``results.nc``) fully into memory.

    The folder is checked against its ``manifest.json`` first (every file there, with its size
    and SHA-256): an interrupted or changed run folder raises
    :class:`~restvarme.results.folder.IncompleteRunFolderError` ("incomplete run folder: ...").
    """
    return read_run(run_dir)[0]


def read_run(run_dir: str | Path) -> tuple[xr.Dataset, dict | None]:
    """The results of a run folder and its resolved scenario (the ``scenario`` mapping of
    ``scenario.resolved.json``, None if the run was written without one), both checked against
    the folder's ``manifest.json`` as in :func:`read_results`."""
    path = Path(run_dir)
    manifest = verify_run_folder(path)
    folder = path if path.is_dir() else path.parent
    defer_dask()  # a report or comparison in a fresh process makes no dask object
    with _whole_file_lock():  # a server reads runs in threads
        opened = xr.open_dataset(folder / RESULTS_FILE, engine=NETCDF_ENGINE, lock=False)
        with opened as ds:
            loaded = ds.load()
    scenario = None
    if SCENARIO_FILE in manifest["files"]:
        text = (folder / SCENARIO_FILE).read_text(encoding="utf-8")
        scenario = json.loads(text)["scenario"]
    if manifest_files(folder) != manifest["files"]:  # replaced by a new run while we read
        raise IncompleteRunFolderError(
            str(run_dir), ["replaced by another run while it was read"], "Read it again."
        )
    return loaded, scenario


SOURCES_FILE = "SOURCES.md"
SOURCES_MAX_BYTES = 1_000_000
"""A SOURCES.md larger than this is not carried into the run folder (its report says so)."""


def resolved_scenario_json(sf: ScenarioFile) -> str:
    """The validated scenario with defaults filled in, its source file, and the text of the
    ``SOURCES.md`` beside it (if any, up to :data:`SOURCES_MAX_BYTES`), as JSON.

    The report shows the sources from here, so it never reads a path a run folder names (a run
    folder may come from someone else). In server mode the source file is named without the
    server's folders (:func:`restvarme.errors.show_path`).
    """
    from restvarme.errors import show_path

    data = sf.scenario.model_dump(mode="json")
    sources = None
    if sf.path is not None:
        path = Path(sf.path).parent / SOURCES_FILE
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= SOURCES_MAX_BYTES:
            sources = path.read_text(encoding="utf-8", errors="replace")
    source_file = None if sf.path is None else show_path(sf.path)
    record = {"source_file": source_file, "sources_md": sources, "scenario": data}
    return json.dumps(record, indent=2)
