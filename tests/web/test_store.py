"""The run store: migrations from an empty database, versions by content, recovery of runs
whose process is gone."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("sqlalchemy")

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text, update

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
    }
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0001"
        # the migrated schema is the models' schema: autogenerate finds nothing to change
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    RunStore(tmp_path, store_url).close()  # opening it again applies nothing and keeps it
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
