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


def _store_runs(path):
    from restvarme.store import RunStore

    store = RunStore(path)
    try:
        return store, [store.run(r["id"]) for r in store.runs()]
    finally:
        store.close()


def test_an_invalid_scenario_is_recorded_failed_in_its_load_phase(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "typo"
    folder.mkdir()
    text = yaml_bytes(boiler_scenario()).decode() + "unitz: []\n"
    (folder / "scenario.yaml").write_text(text)
    runner = CliRunner()
    failed = runner.invoke(app, ["run", str(folder), "--store", "data", "-q"])
    assert failed.exit_code == 2
    assert "unitz" in failed.output
    store, (run,) = _store_runs(tmp_path / "data")
    assert (run["scenario"], run["status"], run["phase"]) == ("tiny", "failed", "load")
    line = text.splitlines().index("unitz: []") + 1
    assert f"scenario.yaml:{line}: unitz:" in run["error"]  # the located message, as printed
    assert run["finished_at"] is not None and run["files"] == []
    files = {f["path"] for f in store.version(run["version_id"])["files"]}
    assert files == {"scenario.yaml"}  # what it ran, to fix and run again
    listed = runner.invoke(app, ["runs", "list", "--store", "data"])
    assert "│ 1   │ tiny     │ 1       │ failed │ load  │" in listed.output


def test_an_infeasible_scenario_is_recorded_failed_in_its_solve_phase(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "infeasible"
    folder.mkdir()
    # the 20 MW boiler is on at the start, must stay on for the 4 hours and, while on, run at
    # its full 20 MW (min_load_share 1): 20 MW of heat into a network that takes 10 MW and can
    # put nothing elsewhere (the unserved-heat slack only adds heat): no solution
    boiler = {
        **boiler_scenario()["units"][0],
        "commitment": {
            "min_load_share": 1.0,
            "min_up_time_h": 4,
            "initial_state": "on",
            "initial_hours_in_state_h": 0,
        },
    }
    (folder / "scenario.yaml").write_bytes(yaml_bytes(boiler_scenario(units=[boiler])))
    runner = CliRunner()
    failed = runner.invoke(app, ["run", str(folder), "--store", "data", "-q"])
    assert failed.exit_code == 2, failed.output
    _store, (run,) = _store_runs(tmp_path / "data")
    assert (run["status"], run["phase"]) == ("failed", "solve")
    assert "heat balance at network main cannot be met" in run["error"]
    assert run["objective_eur"] is None and run["files"] == []
    assert not (tmp_path / "out" / "infeasible").exists()  # nor a partial folder on disk
    listed = runner.invoke(app, ["runs", "list", "--store", "data"])
    assert "│ failed │ solve │" in listed.output


def test_an_interrupted_run_is_recorded_failed_with_its_phase(tmp_path, monkeypatch):
    import restvarme

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "scenario.yaml").write_bytes(yaml_bytes(boiler_scenario()))

    def interrupted(*_args, on_phase, **_options):
        on_phase("inputs")
        raise KeyboardInterrupt  # Ctrl-C while the inputs are built

    monkeypatch.setattr(restvarme, "run", interrupted)
    done = CliRunner().invoke(app, ["run", str(folder), "--store", "data", "-q"])
    assert done.exit_code == 130  # click's "Aborted!", 128 + SIGINT
    _store, (run,) = _store_runs(tmp_path / "data")
    assert (run["status"], run["phase"]) == ("failed", "inputs")
    assert run["error"] == "interrupted (Ctrl-C) during its inputs phase; run it again"


def test_runs_list_marks_failed_a_run_whose_process_was_killed(tmp_path):
    import subprocess
    import sys

    from sqlalchemy import update

    from restvarme.store import RunStore
    from restvarme.store.models import Run

    store = RunStore(tmp_path / "data")
    version = store.add_version("tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    run_id = store.create_run(version)
    store.claim(run_id)
    store.set_phase(run_id, "solve")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended
    gone.wait()
    with store.session() as s:  # as a `restvarme run --store` killed with SIGKILL leaves it
        s.execute(update(Run).where(Run.id == run_id).values(pid=gone.pid))
    store.close()
    listed = CliRunner().invoke(app, ["runs", "list", "--store", str(tmp_path / "data")])
    assert listed.exit_code == 0
    assert f"Marked failed: run(s) {run_id}, whose process had ended" in listed.output
    assert "│ failed │ solve │" in listed.output
    _store, (run,) = _store_runs(tmp_path / "data")
    assert run["error"].startswith(f"interrupted: the process that was running it (pid {gone.pid})")


def test_a_series_read_from_an_allowed_folder_is_stored_inside_the_version(tmp_path, monkeypatch):
    from restvarme.inputs.series import check_all_series
    from restvarme.scenario.load import load_scenario

    monkeypatch.chdir(tmp_path)
    (tmp_path / "prices").mkdir()
    (tmp_path / "prices" / "spot.csv").write_text("hour,price\n0,40\n1,40\n2,40\n3,40\n")
    folder = tmp_path / "tiny"
    folder.mkdir()
    data = boiler_scenario()
    data["electricity"] = {"price_eur_per_mwh": "../prices/spot.csv", "export_allowed": False}
    (folder / "scenario.yaml").write_bytes(yaml_bytes(data))
    args = ["run", str(folder), "--allow-path", "prices", "--store", "data", "-q"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    store, (run,) = _store_runs(tmp_path / "data")
    assert run["status"] == "succeeded"
    files = {f["path"] for f in store.version(run["version_id"])["files"]}
    assert files == {"scenario.yaml", "imported/prices/spot.csv"}
    copy = tmp_path / "copy"  # the version on its own, without --allow-path: it reads its copy
    scenario = store.materialise_version(run["version_id"], copy)
    sf = load_scenario(scenario)
    assert sf.scenario.electricity.price_eur_per_mwh == "imported/prices/spot.csv"
    assert check_all_series(sf) == []
    store.close()


@pytest.mark.slow  # a process started for it (tests/conftest.py): seconds
def test_a_run_stopped_with_sigterm_is_recorded_failed(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "scenario.yaml").write_bytes(yaml_bytes(boiler_scenario()))
    # a process of its own (SIGTERM's default would end it at once): its solve stops itself
    script = f"""
import os, signal, time
import restvarme
from restvarme.cli import app

def run(*_args, on_phase, **_options):
    on_phase("inputs")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(60)  # not reached: the signal interrupts the sleep

restvarme.run = run
app(["run", {str(folder)!r}, "--store", {str(tmp_path / "data")!r}, "-q"])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 130, done.stderr  # as Ctrl-C
    _store, (run,) = _store_runs(tmp_path / "data")
    assert (run["status"], run["phase"]) == ("failed", "inputs")
    assert run["error"] == "interrupted (SIGTERM) during its inputs phase; run it again"


def test_a_cancel_asked_for_in_the_store_stops_the_cli_run_at_its_next_phase(tmp_path, monkeypatch):
    import restvarme
    from restvarme.store import RunStore

    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "scenario.yaml").write_bytes(yaml_bytes(boiler_scenario()))

    def cancelled_meanwhile(*_args, on_phase, **_options):
        on_phase("inputs")
        web = RunStore(tmp_path / "data")  # as the web app's Cancel button does
        assert web.cancel(1) == "running"
        web.close()
        on_phase("build")
        raise AssertionError("not reached: the cancel stops the run as the build starts")

    monkeypatch.setattr(restvarme, "run", cancelled_meanwhile)
    done = CliRunner().invoke(app, ["run", str(folder), "--store", "data", "-q"])
    assert done.exit_code == 2
    assert "run 1 cancelled from the store before its build phase" in done.output
    _store, (run,) = _store_runs(tmp_path / "data")
    assert (run["status"], run["phase"]) == ("cancelled", "build")
    assert run["error"] == "cancelled from the store before its build phase"
