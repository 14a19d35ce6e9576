"""Write and read a run's output folder: netCDF results, CSV summaries, the resolved scenario."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xarray as xr

from restvarme.results.folder import (
    IncompleteRunFolderError,
    Writer,
    manifest_files,
    output_folder,
    verify_run_folder,
)

if TYPE_CHECKING:
    from restvarme.scenario.load import ScenarioFile

RESULTS_FILE = "results.nc"
SCENARIO_FILE = "scenario.resolved.json"


def summary_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Annual summaries as tables: per unit, per network, per waste-heat source, costs, emissions
    (by source and by sector), targets, and per cooling network where there are any. Pathway
    results get one block per period (a ``period`` index level).

    Each table is written as ``<name>.csv``; a new name must be added to
    :data:`restvarme.results.folder.OUTPUT_NAMES`, which says what a run may replace."""
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
    return {
        "units": units,
        "networks": networks,
        **cooling,
        "waste_heat": waste,
        "costs": ds["cost_eur"].to_series().rename("eur").to_frame(),
        "emissions": ds["emissions_t"].to_series().rename("t_co2e").to_frame(),
        "emissions_by_sector": emissions_by_sector(ds),
        "costs_by_sector": cost_by_sector(ds).to_frame(),
        "key_figures": key_figures_table(ds),
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


def result_files(ds: xr.Dataset, scenario_json: str | None = None) -> dict[str, Writer]:
    """The files of a run folder, name -> writer: ``results.nc``, one CSV per summary table,
    the hourly heat (and cooling) and, if given, the resolved scenario."""
    files: dict[str, Writer] = {
        RESULTS_FILE: lambda path: ds.to_netcdf(path, engine="h5netcdf"),
    }
    for name, table in summary_tables(ds).items():
        files[f"{name}.csv"] = partial(table.to_csv, float_format="%.6g")
    hourly = ds["heat_mw"].to_series().unstack("unit")
    files["hourly_heat_mw.csv"] = partial(hourly.to_csv, float_format="%.4f")
    if "cooling_demand_mw" in ds:
        cooling = ds["cooling_mw"].to_series().unstack("unit")
        files["hourly_cooling_mw.csv"] = partial(cooling.to_csv, float_format="%.4f")
    if scenario_json is not None:
        files[SCENARIO_FILE] = lambda path: path.write_text(scenario_json, encoding="utf-8")
    return files


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
    with xr.open_dataset(folder / RESULTS_FILE, engine="h5netcdf") as ds:
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
