"""Write and read a run's output folder: netCDF results, CSV summaries, the resolved scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import xarray as xr

RESULTS_FILE = "results.nc"
SCENARIO_FILE = "scenario.resolved.json"


def summary_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Annual summaries as tables: per unit, per network, per waste-heat source, costs, emissions
    (by source and by sector), targets, and per cooling network where there are any. Pathway
    results get one block per period (a ``period`` index level)."""
    from restvarme.accounting.sectors import emissions_by_sector

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
        "targets": pd.DataFrame(
            {
                "emissions_t": [float(ds["emissions_t"].sum())],
                "emission_cap_t": [float(ds["emission_cap_t"])],
                "emission_shortfall_t": [float(ds["emission_shortfall_t"])],
                "min_waste_heat_share": [float(ds["min_waste_heat_share"])],
                "waste_heat_shortfall_mwh": [float(ds["waste_heat_shortfall_mwh"])],
                "min_renewable_share": [float(ds["min_renewable_share"])],
                "renewable_shortfall_mwh": [float(ds["renewable_shortfall_mwh"])],
            }
        ),
    }


def write_results(ds: xr.Dataset, out_dir: str | Path, scenario_json: str | None = None) -> Path:
    """Write ``results.nc``, one CSV per summary table and the resolved scenario to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(out / RESULTS_FILE, engine="h5netcdf")
    for name, table in summary_tables(ds).items():
        table.to_csv(out / f"{name}.csv", float_format="%.6g")
    hourly = ds["heat_mw"].to_series().unstack("unit")
    hourly.to_csv(out / "hourly_heat_mw.csv", float_format="%.4f")
    if "cooling_demand_mw" in ds:
        hourly = ds["cooling_mw"].to_series().unstack("unit")
        hourly.to_csv(out / "hourly_cooling_mw.csv", float_format="%.4f")
    if scenario_json is not None:
        (out / SCENARIO_FILE).write_text(scenario_json, encoding="utf-8")
    return out


def read_results(run_dir: str | Path) -> xr.Dataset:
    """Open the results of a run folder (or a ``results.nc`` path) fully into memory."""
    path = Path(run_dir)
    if path.is_dir():
        path = path / RESULTS_FILE
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def resolved_scenario_json(sf) -> str:
    """The validated scenario with defaults filled in, and its source file, as JSON."""
    data = sf.scenario.model_dump(mode="json")
    return json.dumps({"source_file": str(sf.path), "scenario": data}, indent=2)
