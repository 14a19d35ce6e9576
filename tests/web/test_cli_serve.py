"""The store's commands: ``restvarme run --store``, ``restvarme runs list``, ``restvarme serve``'s
refusal to listen beyond this machine."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner
from web_helpers import boiler_scenario, yaml_bytes

from restvarme.cli import app

pytest.importorskip("sqlalchemy")


def test_run_with_store_records_the_cli_run_and_runs_list_shows_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "tiny"
    (folder / "series").mkdir(parents=True)
    data = boiler_scenario()
    data["electricity"] = {"price_eur_per_mwh": "series/spot.csv", "export_allowed": False}
    (folder / "scenario.yaml").write_bytes(yaml_bytes(data))
    (folder / "series" / "spot.csv").write_text("hour,price\n0,40\n1,40\n2,40\n3,40\n")
    (folder / "notes.txt").write_text("not part of the scenario")
    runner = CliRunner()
    done = runner.invoke(app, ["run", str(folder), "--out", "out/tiny", "--store", "data", "-q"])
    assert done.exit_code == 0, done.output
    from restvarme.store import RunStore

    store = RunStore(tmp_path / "data")
    (run,) = store.runs()
    assert (run["status"], run["objective_eur"]) == ("succeeded", 1000.0)  # 50 MWh gas x 20
    files = {f["path"] for f in store.version(run["version_id"])["files"]}
    assert files == {"scenario.yaml", "series/spot.csv"}  # what it reads, not notes.txt
    stored = {f["name"]: f["sha256"] for f in store.run(run["id"])["files"]}
    import hashlib

    for name in ("units.csv", "results.nc", "manifest.json"):
        local = hashlib.sha256((tmp_path / "out" / "tiny" / name).read_bytes()).hexdigest()
        assert stored[name] == local, name
    listed = runner.invoke(app, ["runs", "list", "--store", "data"])
    assert listed.exit_code == 0
    assert "│ 1   │ tiny     │ 1       │ succeeded │ done  │ 0.001" in listed.output


def test_serve_refuses_to_listen_beyond_this_machine():
    refused = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 2
    assert "without login the app listens on this machine only" in refused.output
