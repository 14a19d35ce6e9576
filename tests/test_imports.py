"""What ``restvarme run`` imports, and the collector held while it imports (restvarme._imports).

A run must not pay for what it does not use: the web app (FastAPI), the store (SQLAlchemy),
plotly's charts and Dask's distributed scheduler are imported by the commands that need them
only. Checked in a fresh interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import restvarme
from restvarme._imports import collector_held
from tiny_scenarios import GAS_BOILER, SCENARIO_YAML

NOT_FOR_A_RUN = (
    "plotly",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "distributed",
    "tornado",
)


def _fresh_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -c CODE ARGS`` in a fresh interpreter that imports this restvarme."""
    src = str(Path(restvarme.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )


def _boiler_scenario(folder: Path) -> Path:
    """A one-boiler scenario written to ``folder/scenario.yaml``."""
    scenario = folder / "scenario.yaml"
    boiler = "".join(f"\n    {k}: {v}" for k, v in GAS_BOILER.items() if k != "name")
    unit = f"units:\n  - name: {GAS_BOILER['name']}{boiler}\n"
    scenario.write_text(SCENARIO_YAML + unit, encoding="utf-8")
    return scenario


RUN_IN_A_FRESH_PROCESS = """
import gc, json, sys
from restvarme.cli import app
try:
    app(["run", sys.argv[1], "--out", sys.argv[2], "-q"])
except SystemExit as exit:
    if exit.code:
        raise
print(json.dumps({
    "modules": sorted(sys.modules), "gc_enabled": gc.isenabled(), "frozen": gc.get_freeze_count()
}))
"""


@pytest.mark.slow  # a fresh interpreter that checks what an import loads (tests/conftest.py)
def test_restvarme_run_imports_no_web_store_charts_or_distributed(tmp_path: Path) -> None:
    scenario = _boiler_scenario(tmp_path)
    out = _fresh_python(RUN_IN_A_FRESH_PROCESS, str(scenario), str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert (tmp_path / "out" / "manifest.json").is_file()  # the run did write its folder
    assert "restvarme.results.io" in seen["modules"]  # and the check sees what it imported
    assert [m for m in seen["modules"] if m.split(".")[0] in NOT_FOR_A_RUN] == []
    assert "dask.distributed" not in seen["modules"]
    assert [m for m in seen["modules"] if m.split(".")[0] == "dask"] == []  # _imports.defer_dask
    ours_not_for_a_run = [
        m
        for m in seen["modules"]
        if m.startswith(
            ("restvarme.store", "restvarme.web", "restvarme.sweep", "restvarme.operate")
        )
        or m in ("restvarme.report.charts", "restvarme.accounting.waste_heat_value")
    ]
    assert ours_not_for_a_run == []
    assert seen["gc_enabled"] is True  # held while importing only
    assert seen["frozen"] > 100_000  # the imported modules' objects, out of the collector's way


VALIDATE_IN_A_FRESH_PROCESS = """
import json, sys
from restvarme.cli import app
try:
    app(["validate", sys.argv[1]])
except SystemExit as exit:
    if exit.code:
        raise
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.slow  # a fresh interpreter
def test_restvarme_validate_imports_no_dask(tmp_path: Path) -> None:
    """``validate`` reads the series and builds the inputs without ``restvarme.run``: the
    scenario's load keeps xarray from importing dask there too (restvarme._imports.defer_dask)."""
    out = _fresh_python(VALIDATE_IN_A_FRESH_PROCESS, str(_boiler_scenario(tmp_path)))
    assert out.returncode == 0, out.stderr
    modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert "restvarme.inputs.build" in modules  # it did build the inputs
    assert [m for m in modules if m.split(".")[0] == "dask"] == []


def test_collector_held_restores_the_state_it_found() -> None:
    assert gc.isenabled()
    with collector_held():
        assert not gc.isenabled()
        with collector_held():  # nested: the inner block leaves it held
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # a caller that holds the collector itself keeps it held
    try:
        with collector_held():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_held_restores_it_after_an_error() -> None:
    try:
        with collector_held():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()


def test_collector_held_settles_what_a_block_imported(monkeypatch, tmp_path: Path) -> None:
    """A block that imported modules ends with one full pass (the generation 2 collection),
    so that their objects are not walked by the young passes after it; a block that imported
    nothing ends with none."""
    import restvarme._imports as imports

    monkeypatch.setattr(imports, "SETTLE_AFTER_MODULES", 1)
    (tmp_path / "restvarme_test_module_never_imported.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    passes: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        with collector_held():
            pass
        nothing = list(passes)
        with collector_held():
            import restvarme_test_module_never_imported  # noqa: F401
        imported = passes[len(nothing) :]
    finally:
        gc.callbacks.remove(seen)
        sys.modules.pop("restvarme_test_module_never_imported", None)
    assert 2 not in nothing
    assert imported[:1] == [2]


DASK_ARRAY_AFTER_A_RUN = """
import sys
import numpy as np
import xarray as xr
from restvarme._imports import defer_dask

assert defer_dask()
(xr.DataArray(np.arange(3.0), dims="x") + 1).sum()  # xarray's checks, no dask object
assert "dask" not in sys.modules, "xarray imported dask"
assert not defer_dask()  # once per process

import dask
import dask.array as da
from xarray.namedarray.pycompat import array_type, is_duck_dask_array

assert array_type("dask") == (da.Array,)
lazy = xr.DataArray(da.ones(5, chunks=2), dims="x")
assert lazy.chunks == ((2, 2, 1),) and is_duck_dask_array(lazy.data)
assert not is_duck_dask_array(np.ones(3))
from xarray.namedarray.utils import is_dask_collection

assert is_dask_collection(dask.delayed(1)) and not is_dask_collection(np.ones(3))
masked = da.ma.masked_equal(da.from_array(np.array([1.0, 2.0, 3.0]), chunks=2), 2.0)
print(*xr.DataArray(masked, dims="x").values.tolist())
"""


@pytest.mark.slow  # a fresh interpreter (dask.array must not be imported yet)
def test_xarray_learns_dask_arrays_once_dask_is_imported() -> None:
    """restvarme keeps xarray from importing dask for runs that make no dask object; a dask
    array made afterwards is still one to xarray: chunked, a dask array to its checks, and
    masked values turned into NaN as xarray's ``as_compatible_data`` does for a masked dask
    array."""
    pytest.importorskip("dask.array")
    out = _fresh_python(DASK_ARRAY_AFTER_A_RUN)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1.0", "nan", "3.0"]
