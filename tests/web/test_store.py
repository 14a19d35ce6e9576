"""The run store: migrations from an empty database, versions by content, recovery of runs
whose process is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text, update

import restvarme.store
from restvarme.store import RunStatus, RunStore
from restvarme.store.models import Base, Run


def test_migration_creates_the_schema_of_the_models_from_empty(tmp_path, store_url):
    store = RunStore(tmp_path, store_url)
    tables = set(inspect(store.engine).get_table_names())
    assert tables == {
        "alembic_version",
        "scenario",
        "scenario_version",
        "scenario_file",
        "run",
        "result_file",
        "app_user",
        "api_token",
        "web_session",
        "login_failure",
    }
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0004"
        # the migrated schema is the models' schema: autogenerate finds nothing to change
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    RunStore(tmp_path, store_url).close()  # opening it again applies nothing and keeps it
    store.close()


def test_migration_upgrades_a_store_of_the_previous_revision_keeping_its_runs(tmp_path, store_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from restvarme.store.runs import default_url

    url = store_url or default_url(tmp_path)
    engine = create_engine(url)
    config = Config()
    config.set_main_option(
        "script_location", str(Path(restvarme.store.__file__).parent / "migrations")
    )
    with engine.begin() as conn:  # a store as revision 0001 made it, with a finished run
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(
            text("insert into scenario (id, name, created_at) values (1, 'a', :t)"),
            {"t": "2030-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "insert into scenario_version (id, scenario_id, content_hash, author, message,"
                " created_at) values (1, 1, 'h', 'ana', '', :t)"
            ),
            {"t": "2030-01-01 00:00:00"},
        )
        conn.execute(
            text(
                "insert into run (id, version_id, status, phase, solver, cancel_requested,"
                " created_at, host, timings_json, solver_log, error, objective_eur) values"
                " (1, 1, 'succeeded', 'done', 'highs', false, :t, 'h', '{}', '', '', 1000.0)"
            ),
            {"t": "2030-01-01 00:00:00"},
        )
        assert "report" not in {c["name"] for c in inspect(conn).get_columns("run")}
    engine.dispose()
    store = RunStore(tmp_path, store_url)  # opening it upgrades it to the newest revision
    run = store.run(1)
    assert (run["scenario"], run["status"], run["objective_eur"]) == ("a", "succeeded", 1000.0)
    assert run["report"] is False  # the new column's default for old runs
    store.close()


def test_migration_upgrades_a_store_of_revision_0003_keeping_its_users(tmp_path, store_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from restvarme.store import users
    from restvarme.store.runs import default_url

    url = store_url or default_url(tmp_path)
    engine = create_engine(url)
    config = Config()
    config.set_main_option(
        "script_location", str(Path(restvarme.store.__file__).parent / "migrations")
    )
    with engine.begin() as conn:  # a store as revision 0003 made it, with a user
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.execute(
            text(
                "insert into app_user (id, name, password_hash, role, created_at)"
                " values (1, 'ana', :h, 'admin', :t)"
            ),
            {"h": users.hash_password("correct horse battery"), "t": "2030-01-01 00:00:00"},
        )
        assert "login_failure" not in inspect(conn).get_table_names()
    engine.dispose()
    store = RunStore(tmp_path, store_url)  # opening it upgrades it to 0004
    assert users.check_password(store, "ana", "correct horse battery").role == "admin"
    assert "login_failure" in inspect(store.engine).get_table_names()
    store.close()


def test_same_files_are_one_version_and_files_are_stored_by_hash(tmp_path, store_url):
    import hashlib

    store = RunStore(tmp_path, store_url)
    files = {"scenario.yaml": b"name: a\n", "series/x.csv": b"time,x\n"}
    first = store.add_version("a", files, "ana", "first")
    again = store.add_version("a", dict(reversed(files.items())), "bo", "again")
    other = store.add_version("a", {**files, "series/x.csv": b"time,y\n"}, "bo", "changed")
    assert first["created"] and not again["created"] and other["created"]
    assert again["id"] == first["id"] and other["id"] != first["id"]
    sha = hashlib.sha256(b"time,x\n").hexdigest()
    assert store.blobs.path(sha).read_bytes() == b"time,x\n"
    assert [f["sha256"] for f in first["files"] if f["path"] == "series/x.csv"] == [sha]


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_recover_fails_runs_whose_process_is_gone_and_keeps_live_ones(tmp_path, store_url):
    store = RunStore(tmp_path, store_url)
    version = store.add_version("a", {"scenario.yaml": b"name: a\n"})["id"]
    killed, queued, alive = (store.create_run(version) for _ in range(3))
    assert store.claim(killed) and store.claim(alive)  # running, in this (live) process
    store.set_phase(killed, "solve")
    dead = _dead_pid()
    with store.session() as s:
        s.execute(update(Run).where(Run.id.in_([killed, queued])).values(pid=dead))
    assert store.recover() == [killed, queued]
    assert store.run(killed)["status"] == RunStatus.failed
    assert store.run(killed)["error"].startswith(
        f"interrupted: the process that was running it (pid {dead}) ended during its solve phase"
    )
    assert store.run(queued)["status"] == RunStatus.failed
    assert "stopped before it started" in store.run(queued)["error"]
    assert store.run(alive)["status"] == RunStatus.running  # its process still runs


def test_recover_removes_what_a_killed_run_left_in_the_work_folder(tmp_path):
    store = RunStore(tmp_path)
    version = store.add_version("a", {"scenario.yaml": b"name: a\n"})["id"]
    killed = store.create_run(version)
    store.claim(killed)
    left = store.work_dir / f"run-{killed}-abc" / "out" / ".restvarme-staging-1-ff"
    left.mkdir(parents=True)
    other = store.work_dir / f"run-{killed + 1}-abc"
    other.mkdir()
    with store.session() as s:
        s.execute(update(Run).where(Run.id == killed).values(pid=_dead_pid()))
    assert store.recover() == [killed]
    assert not (store.work_dir / f"run-{killed}-abc").exists()
    assert other.exists()  # another run's


def test_concurrent_uploads_of_one_scenario_are_all_stored(tmp_path, store_url):
    """Clients storing versions of the same new scenario at once (the load test found a 500
    here): each gets its version, the same files are one version, nothing fails."""
    from concurrent.futures import ThreadPoolExecutor

    store = RunStore(tmp_path, store_url)
    contents = [{"scenario.yaml": f"name: a\n# {i % 4}\n".encode()} for i in range(16)]
    barrier = __import__("threading").Barrier(8)

    def add(files: dict) -> int:
        barrier.wait()
        return store.add_version("a", files, "load", "")["id"]

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(add, contents[:8]))
    assert len(set(ids)) == 4  # four different contents
    assert ids[:4] == ids[4:]  # the same files are the same version
    (scenario,) = store.scenarios()
    assert len(scenario["versions"]) == 4
    store.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_zombie_process_is_not_alive():
    # A child that has exited but is not reaped yet is a zombie: kill(pid, 0) still finds it, yet
    # it runs nothing (a worker killed with its server, left unreaped by a container's init).
    import time

    from restvarme.store.runs import _proc_state, pid_alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        end = time.monotonic() + 30
        while _proc_state(child.pid) != "Z" and time.monotonic() < end:
            time.sleep(0.02)
        assert _proc_state(child.pid) == "Z"
        assert not pid_alive(child.pid)
    finally:
        child.wait()
    assert not pid_alive(child.pid)  # reaped: gone
    assert pid_alive(os.getpid())
