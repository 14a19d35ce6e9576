"""Runs through the queue's worker processes: the same results as restvarme.run and the CLI's
run folder, a bounded queue (429), killed workers and restarts marked failed with the reason.

The tests that start a worker process (spawned, it imports restvarme, linopy and HiGHS) or a
database server are marked ``slow``; the fast loop checks the bound with runs no worker has taken,
restarts and cancelling."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from web_helpers import boiler_scenario, upload, wait_finished, yaml_bytes

import restvarme
from restvarme.store.models import Run
from tiny_scenarios import make_scenario


@pytest.mark.slow  # a worker process (spawned: it imports restvarme, linopy, HiGHS): seconds
def test_a_run_through_a_worker_equals_restvarme_run_and_the_cli_folder(client, tmp_path):
    from restvarme.results.io import resolved_scenario_json, write_results

    version = upload(client, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})
    started = client.post("/api/runs", json={"version_id": version["id"], "report": True})
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    events = []
    with client.stream("GET", f"/api/runs/{started.json()['id']}/events") as stream:
        events = [line for line in stream.iter_lines() if line.startswith("event:")]
    assert events[-1] == "event: end"
    info = wait_finished(client, started.json()["id"])
    assert info["status"] == "succeeded", info["error"]
    # 10 MW for 4 h from a gas boiler at 80 %: 40 / 0.8 = 50 MWh of gas at 20 EUR/MWh
    assert info["objective_eur"] == 1000.0
    local = restvarme.run(make_scenario(tmp_path, units=boiler_scenario()["units"]))
    assert info["objective_eur"] == local.attrs["objective_eur"]
    assert "Optimal" in client.get(f"/api/runs/{info['id']}/log").text  # HiGHS's own log
    # the run folder holds what `restvarme run` writes, the tables byte for byte
    cli = write_results(
        local, tmp_path / "cli", resolved_scenario_json(restvarme.load(_scenario_file(tmp_path)))
    )
    names = {f["name"] for f in client.get(f"/api/runs/{info['id']}/results").json()}
    # and the report, written by the worker as `restvarme run --report` does
    assert names == {p.name for p in cli.iterdir() if not p.name.startswith(".")} | {"report.html"}
    for name in ("units.csv", "costs.csv", "networks.csv", "key_figures.csv"):
        served = client.get(f"/api/runs/{info['id']}/results/{name}")
        assert served.content == (cli / name).read_bytes(), name
    summary = client.get(f"/api/runs/{info['id']}/summary").json()
    assert summary["objective_eur"] == 1000.0
    assert "tiny: objective 0.001 MEUR (optimal, highs)" in summary["text"]
    # requests at once, each reading results.nc in the app's thread pool: before read_run held
    # xarray's netCDF lock over the whole file, two reads at once crashed the server
    with ThreadPoolExecutor(max_workers=8) as pool:
        url = f"/api/runs/{info['id']}/summary"
        answers = list(pool.map(lambda _: client.get(url), range(24)))
    assert all(a.status_code == 200 and a.json()["objective_eur"] == 1000.0 for a in answers)
    report = client.get(f"/api/runs/{info['id']}/report")
    assert report.status_code == 200 and report.text.startswith("<!DOCTYPE html>")


def _scenario_file(tmp_path):
    path = tmp_path / "scn" / "scenario.yaml"
    path.parent.mkdir()
    path.write_bytes(yaml_bytes(boiler_scenario()))
    return path


@pytest.mark.slow  # a worker process: seconds (without one: the test after this one)
def test_a_full_queue_answers_429_with_retry_after(make_client):
    client = make_client(workers=1, max_waiting=0)  # one run at a time, none waiting
    version = upload(client, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    first = client.post("/api/runs", json={"version_id": version})
    # the worker process is still starting (spawn, imports): its slot is taken
    full = client.post("/api/runs", json={"scenario": "tiny"})
    assert first.status_code == 202
    assert full.status_code == 429
    assert full.headers["Retry-After"] == str(full.json()["retry_after_s"])
    assert [r["id"] for r in client.get("/api/runs").json()] == [first.json()["id"]]
    assert wait_finished(client, first.json()["id"])["status"] == "succeeded"
    end = time.monotonic() + 60  # the worker hands the finished run back to the queue
    while client.get("/api/health").json()["in_flight"] and time.monotonic() < end:
        time.sleep(0.05)
    again = client.post("/api/runs", json={"scenario": "tiny"})
    assert again.status_code == 202  # a slot is free again


def test_the_bound_counts_waiting_runs_and_answers_429(make_client, monkeypatch):
    # The bound without a worker process (the fast loop's test of it): runs that no worker has
    # taken yet (as while a worker is still starting) fill the workers' slots and the waiting
    # places: 1 + 1 here; the next start is refused with 429 and its Retry-After.
    from restvarme.web.queue import RunQueue

    monkeypatch.setattr(RunQueue, "_dispatch", lambda self: None)  # no run reaches a worker
    client = make_client(workers=1, max_waiting=1)
    version = upload(client, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    taken = [client.post("/api/runs", json={"version_id": version}) for _ in range(2)]
    assert [r.status_code for r in taken] == [202, 202]
    full = client.post("/api/runs", json={"scenario": "tiny"})
    assert full.status_code == 429
    assert full.headers["Retry-After"] == str(full.json()["retry_after_s"]) == "10"  # the default
    ids = {r.json()["id"] for r in taken}
    assert {r["id"] for r in client.get("/api/runs").json()} == ids  # the refused one is not made
    health = client.get("/api/health").json()
    assert (health["in_flight"], health["capacity"]) == (2, 2)


def _running_pid(store, run_id: int) -> int:
    """Wait until a worker has claimed the run; its process id."""
    end = time.monotonic() + 120
    while time.monotonic() < end:
        with store.session() as s:
            run = s.scalar(select(Run).where(Run.id == run_id))
            status, pid = run.status, run.pid
        if status != "queued":
            assert status == "running"
            return int(pid)
        time.sleep(0.01)
    raise AssertionError(f"run {run_id} was not started")


@pytest.mark.slow  # two workers and three year-long runs: seconds
def test_a_killed_worker_fails_its_run_only_and_the_queue_goes_on(make_client):
    client = make_client(workers=2, max_waiting=1)
    long = boiler_scenario(horizon={"hours": 8760})  # a year: long enough to be killed in
    version = upload(client, "year", {"scenario.yaml": yaml_bytes(long)})["id"]
    killed, other = (
        client.post("/api/runs", json={"version_id": version}).json()["id"] for _ in range(2)
    )
    store = client.app.state.store
    pid = _running_pid(store, killed)
    os.kill(pid, signal.SIGSTOP)  # held mid-run, so that it cannot finish before the kill
    other_pid = _running_pid(store, other)
    os.kill(other_pid, signal.SIGSTOP)  # and the other run too, in its own worker
    assert other_pid != pid
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)  # let the queue see the death while the other run is still unfinished
    os.kill(other_pid, signal.SIGCONT)
    info = wait_finished(client, killed)
    assert info["status"] == "failed"
    assert info["error"].startswith("the worker process running it ended during its ")
    assert info["error"].endswith("phase (killed, or out of memory); run it again")
    assert info["files"] == []  # nothing served as results
    assert client.get(f"/api/runs/{killed}/results").status_code == 409
    # the other worker's run is not taken down with it
    assert wait_finished(client, other)["status"] == "succeeded"
    # and a new worker takes the next run
    after = client.post("/api/runs", json={"version_id": version}).json()["id"]
    assert wait_finished(client, after)["status"] == "succeeded"


def test_a_restart_fails_runs_left_running_by_the_previous_server(make_client):
    import subprocess
    import sys

    from sqlalchemy import update

    first = make_client(workers=1, max_waiting=1)
    version = upload(first, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    store = first.app.state.store
    running, queued = store.create_run(version), store.create_run(version)
    store.claim(running)
    store.set_phase(running, "solve")
    gone = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    with store.session() as s:  # as if their processes (a worker, the server) were killed
        s.execute(update(Run).where(Run.id.in_([running, queued])).values(pid=gone))
    restarted = make_client(workers=1, max_waiting=1)
    info = restarted.get(f"/api/runs/{running}").json()
    assert info["status"] == "failed"
    assert info["error"].startswith("interrupted: the process that was running it")
    assert "during its solve phase" in info["error"]
    assert restarted.get(f"/api/runs/{queued}").json()["status"] == "failed"


def test_cancel_a_queued_run(client):
    version = upload(client, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    store = client.app.state.store
    run_id = store.create_run(version)  # queued, not given to a worker
    answer = client.post(f"/api/runs/{run_id}/cancel").json()
    assert (answer["status"], answer["error"]) == ("cancelled", "cancelled before it started")


@pytest.mark.slow  # a database server and a worker process
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_a_run_on_a_postgresql_store(make_client, store_url):
    """The same run through a worker, with the store in PostgreSQL."""
    client = make_client(store_url, workers=1, max_waiting=1)
    version = upload(client, "tiny", {"scenario.yaml": yaml_bytes(boiler_scenario())})["id"]
    run_id = client.post("/api/runs", json={"version_id": version}).json()["id"]
    info = wait_finished(client, run_id)
    assert (info["status"], info["objective_eur"]) == ("succeeded", 1000.0)  # as above
    assert client.app.state.store.engine.dialect.name == ("postgresql" if store_url else "sqlite")
