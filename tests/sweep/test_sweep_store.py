"""`restvarme sweep --store`: each case recorded as a run of the base scenario's version
(restvarme.sweep.record), in a SQLite store (a data folder)."""

from __future__ import annotations

import json

import pytest
from sweep_files import FACTORIAL, write_plan_base, write_sweep
from typer.testing import CliRunner

from restvarme.cli import app

pytest.importorskip("sqlalchemy")
pytest.importorskip("pyarrow")


@pytest.mark.slow  # a sweep into the run store (steps: test_sweep_execute, web/test_store)
def test_each_case_is_a_run_of_the_base_version(tmp_path):
    from restvarme.store import RunStore

    base = write_plan_base(tmp_path)
    write_sweep(tmp_path, FACTORIAL)
    store_dir, out = tmp_path / "store", tmp_path / "out"
    args = ["sweep", str(tmp_path / "sweep.yaml"), "--processes", "0", "-q", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "4 cases recorded as runs of scenario version" in result.output
    store = RunStore(store_dir)
    try:
        runs = sorted(store.runs(), key=lambda r: r["id"])
        assert len(runs) == 4
        assert {r["status"] for r in runs} == {"succeeded"}
        assert len({r["version_id"] for r in runs}) == 1
        version = store.version(runs[0]["version_id"])
        # the base scenario's own file, as restvarme run --store stores it
        files = {f["path"]: f["sha256"] for f in version["files"]}
        assert store.blobs.read_bytes(files["scenario.yaml"]) == base.read_bytes()
        assert version["message"] == "base of sweep sweep"
        by_key = json.loads((out / "store.json").read_text(encoding="utf-8"))
        cases = {
            json.loads((out / "cases" / f"{k}.json").read_text())["case"]: v
            for k, v in by_key.items()
        }
        # hand calculation in test_sweep_execute.hand_calculation: 600, 850, 920, 920 EUR,
        # the whole cost of each case, which is its objective (nothing unserved, no penalty)
        objectives = [store.run(cases[i])["objective_eur"] for i in range(4)]
        assert objectives == pytest.approx([600.0, 850.0, 920.0, 920.0], rel=1e-9)
        # each run's folder holds the case's scenario: case 3 is carbon 100, gas 30 EUR/MWh
        folder = store.run_folder(cases[3])
        resolved = json.loads((folder / "scenario.resolved.json").read_text(encoding="utf-8"))
        scenario = resolved.get("scenario", resolved)
        assert scenario["carbon_price_eur_per_t"] == 100
        assert scenario["fuels"]["gas"]["price_eur_per_mwh"] == 30
    finally:
        store.close()
    # running again runs and records nothing more
    again = CliRunner().invoke(app, [*args, "--store", str(store_dir)])
    assert again.exit_code == 0, again.output
    store = RunStore(store_dir)
    try:
        assert len(store.runs()) == 4
    finally:
        store.close()
