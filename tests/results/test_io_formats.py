"""How a run folder's files are written (issue 15, item 1): the hourly CSVs formatted from numpy
are what pandas writes, byte for byte; ``results.nc`` reads back identical; the sector tables
behind three CSVs are computed once; ``run --timings`` prints every phase."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from run_folders import HEAT
from typer.testing import CliRunner

import restvarme
from restvarme.api import PHASE_LABELS
from restvarme.cli import app
from restvarme.results.io import (
    COMPRESS_MIN_VALUES,
    NETCDF_ENGINE,
    csv_writer,
    netcdf_bytes,
    summary_tables,
)
from tiny_scenarios import GAS_BOILER, make_scenario

HOURS = pd.date_range("2030-01-01", periods=5, freq="h", name="snapshot")


@pytest.mark.parametrize(
    "table",
    [
        # a year's hourly table in small: signed values, -0.0, a huge and a tiny value, inf
        pd.DataFrame(
            {
                "boiler": [8.0, -0.0, 1e-9, 123456789.125, -2.5],
                "hx, west": [2.0, 0.00005, 0.00015, np.inf, 1 / 3],
            },
            index=HOURS,
        ),
        # a pathway's: a (period, snapshot) index
        pd.DataFrame(
            {"a": np.arange(6.0) / 7, "b": -np.arange(6.0)},
            index=pd.MultiIndex.from_product([[2026, 2030], HOURS[:3]]).set_names(
                ["period", "snapshot"]
            ),
        ),
        # what pandas must write itself: a NaN (an empty cell), a text column, no columns
        pd.DataFrame({"a": [1.0, np.nan]}, index=pd.Index(["x", "y"], name="unit")),
        pd.DataFrame({"a": [1.0, 2.0], "kind": ["boiler", "chp"]}),
        pd.DataFrame(index=HOURS),
    ],
)
@pytest.mark.parametrize("float_format", ["%.4f", "%.6g"])
def test_csv_files_are_what_pandas_writes(table, float_format, tmp_path):
    expected, written = tmp_path / "pandas.csv", tmp_path / "ours.csv"
    table.to_csv(expected, float_format=float_format)
    csv_writer(table, float_format)(written)
    assert written.read_bytes() == expected.read_bytes()


def test_a_run_folders_hourly_csv_is_what_pandas_writes(tmp_path):
    ds = restvarme.run(make_scenario(units=[GAS_BOILER]))
    hourly = ds["heat_mw"].to_series().unstack("unit")
    hourly.to_csv(tmp_path / "pandas.csv", float_format="%.4f")
    csv_writer(hourly, "%.4f")(tmp_path / "ours.csv")
    text = (tmp_path / "ours.csv").read_text()
    # 10 MW of demand for 4 hours, all from the boiler
    assert text.splitlines()[:2] == ["snapshot,gas_boiler", "2030-01-01 00:00:00,10.0000"]
    assert text == (tmp_path / "pandas.csv").read_text()


def test_results_nc_reads_back_identical_and_deflates_only_long_variables(tmp_path):
    n = COMPRESS_MIN_VALUES + 1
    ds = xr.Dataset(
        {
            "long_mw": ("snapshot", np.linspace(-1, 1, n) / 3),
            "short_mw": ("unit", [1 / 3, -0.0]),
            "flag": ("unit", [True, False]),
            "name": ("unit", ["boiler", "hx"]),
        },
        coords={"snapshot": pd.date_range("2030", periods=n, freq="h"), "unit": ["a", "b"]},
        attrs={"objective_eur": 1 / 7, "timings_s": "{'solve': 0.5}"},
    )
    ds["long_mw"].attrs["units"] = "MW"
    path = tmp_path / "results.nc"
    path.write_bytes(netcdf_bytes(ds))
    with xr.open_dataset(path, engine=NETCDF_ENGINE) as back:
        back.load()
        assert back.identical(ds)
        assert back["long_mw"].encoding["zlib"] is True
        assert back["long_mw"].encoding["shuffle"] is False  # faster and smaller here
        assert back["short_mw"].encoding["zlib"] is False
    with xr.open_dataset(path, engine="h5netcdf") as other:  # any netCDF-4 reader
        assert other.load().identical(ds)
    # and run folders written before (through h5netcdf) read as they were
    ds.to_netcdf(tmp_path / "earlier.nc", engine="h5netcdf")
    with xr.open_dataset(tmp_path / "earlier.nc", engine=NETCDF_ENGINE) as earlier:
        assert earlier.load().identical(ds)


WRITE_IN_A_FRESH_PROCESS = """
import sys
import numpy as np, xarray as xr
from pathlib import Path
from restvarme.results.io import netcdf_bytes
ds = xr.Dataset({"heat_mw": ("snapshot", np.arange(2000) / 7)}, attrs={"objective_eur": 1.5})
before = set(sys.modules)
Path(sys.argv[1]).write_bytes(netcdf_bytes(ds))
print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in ("dask", "distributed")))
enc = {"zlib": True, "complevel": 1, "shuffle": False}
ds.to_netcdf(sys.argv[2], engine="netcdf4", encoding={"heat_mw": enc})
"""


@pytest.mark.slow  # a process started for it (tests/conftest.py): seconds
def test_results_nc_is_to_netcdfs_file_without_importing_dask_distributed(tmp_path):
    """``netcdf_bytes`` writes through xarray's netCDF4 store, not ``to_netcdf``, which imports
    dask.distributed to ask for a scheduler (issue 15): the file holds what ``to_netcdf``'s
    holds, deflated the same way, and the write imports no dask module that was not there (a
    fresh process: other tests import dask). It is made in memory, so its bytes are not
    ``to_netcdf``'s: h5py, the HDF5 library's own reader, opens it too."""
    import subprocess
    import sys

    import h5py

    ours, theirs = tmp_path / "ours.nc", tmp_path / "theirs.nc"
    script = WRITE_IN_A_FRESH_PROCESS
    proc = subprocess.run(
        [sys.executable, "-c", script, str(ours), str(theirs)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == "[]"
    with (
        xr.open_dataset(ours, engine=NETCDF_ENGINE) as a,
        xr.open_dataset(theirs, engine=NETCDF_ENGINE) as b,
    ):
        assert a.load().identical(b.load())
        for key in ("zlib", "complevel", "shuffle", "chunksizes"):
            assert a["heat_mw"].encoding[key] == b["heat_mw"].encoding[key], key
    with h5py.File(ours, "r") as f:
        assert f["heat_mw"].compression == "gzip" and f["heat_mw"].shuffle is False
        assert np.array_equal(f["heat_mw"][:], np.arange(2000) / 7)


def test_results_are_encoded_one_at_a_time_in_threads(tmp_path):
    """``results.nc`` is encoded in a thread (:func:`result_files`), and more than one may be
    under way (a server's runs, a run whose folder was refused before its file was written):
    netCDF-C and HDF5 are not thread-safe and xarray's store makes some calls without its lock,
    so two encodings at once crashed the process (a segmentation fault in 14 runs of this test
    in 15) before each held the lock over its whole file. Here eight at once, each read back."""
    from concurrent.futures import ThreadPoolExecutor

    n = COMPRESS_MIN_VALUES * 8
    datasets = [
        xr.Dataset({f"v{k}": ("snapshot", np.arange(n) / (i + 3)) for k in range(20)})
        for i in range(8)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        images = list(pool.map(netcdf_bytes, datasets))
    for i, (image, ds) in enumerate(zip(images, datasets, strict=True)):
        (tmp_path / f"{i}.nc").write_bytes(image)
        with xr.open_dataset(tmp_path / f"{i}.nc", engine=NETCDF_ENGINE) as back:
            assert back.load().identical(ds)


def test_run_folders_are_read_in_threads_at_once(tmp_path):
    """A server reads run folders in threads (FastAPI runs its endpoints' functions in a pool):
    two reads at once crashed the process (a segmentation fault, or "NetCDF: Can't open HDF5
    attribute") before :func:`read_run` held xarray's netCDF lock over the whole file."""
    from concurrent.futures import ThreadPoolExecutor

    from restvarme.results.io import read_results, write_results

    ds = restvarme.run(make_scenario(units=[GAS_BOILER]))
    folders = [write_results(ds, tmp_path / f"run{i}") for i in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        read = list(pool.map(read_results, folders * 6))
    assert len(read) == 24 and all(r["heat_mw"].equals(ds["heat_mw"]) for r in read)


def test_the_sector_tables_are_computed_once_per_folder(monkeypatch):
    """costs_by_sector.csv, emissions_by_sector.csv and key_figures.csv rest on one table each
    (before: cost_by_sector twice, emissions_by_sector twice, its fleet pass twice more)."""
    import restvarme.accounting.costs as costs
    import restvarme.accounting.sectors as sectors

    ds = restvarme.run(make_scenario(units=[GAS_BOILER]))
    calls: list[str] = []
    for module, name in ((costs, "cost_by_unit"), (sectors, "_sector_and_fleet_t")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a)
        )
    tables = summary_tables(ds)
    assert sorted(calls) == ["_sector_and_fleet_t", "cost_by_unit"]
    # the key figures agree with the tables they were given: 40 MWh of heat from the boiler
    # at 80 % burn 50 MWh of gas at 20 EUR/MWh = 1,000 EUR, emitting 50 * 0.2 = 10 t
    figures = tables["key_figures"]["value"]
    assert figures["heat_cost_eur"] == pytest.approx(tables["costs_by_sector"].loc["heat", "eur"])
    assert figures["heat_cost_eur"] == pytest.approx(1000.0)
    assert figures["heat_emissions_t"] == pytest.approx(
        tables["emissions_by_sector"].loc["heat", "emissions_t"]
    )
    assert figures["heat_emissions_t"] == pytest.approx(10.0)


def test_run_timings_prints_every_phase_and_they_add_up_to_at_most_the_total(tmp_path):
    scenario = tmp_path / "heat.yaml"
    scenario.write_text(HEAT)
    argv = ["run", str(scenario), "--out", str(tmp_path / "out"), "--timings", "-q"]
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    rows = dict(re.findall(r"│ +(\S[^│]*?) +│ +([0-9.]+) +│", result.output))
    phases = ["import", "load", "inputs", "build", "solve", "results", "write"]
    shown = [label for label in rows if label in PHASE_LABELS.values()]
    assert shown == [PHASE_LABELS[name] for name in phases], result.output  # in the order run
    assert "of which HiGHS's own run time" in rows
    ms = {label: round(float(value) * 1000) for label, value in rows.items()}  # as printed
    assert sum(ms[PHASE_LABELS[n]] for n in phases) + ms["other (between phases)"] <= ms["total"]
    assert ms["of which HiGHS's own run time"] <= ms[PHASE_LABELS["solve"]]
