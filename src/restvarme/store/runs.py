"""The run store: scenarios as content-hashed versions, runs with their status and results.

A store is a database (SQLite in the data folder by default, PostgreSQL or any SQLAlchemy URL
by choice) plus a data folder::

    <data>/restvarme.sqlite     the database (without a URL)
    <data>/blobs/ab/abcd…       every scenario and result file, named by its SHA-256
    <data>/work/                a run's scenario folder and output folder while it runs
    <data>/runs/<id>/           a finished run's folder, rebuilt from the blobs when asked for

Opening a store applies its Alembic migrations (:func:`migrate`), so an empty database gets the
schema and an older one is upgraded. :meth:`RunStore.recover` marks runs whose process is gone
(a worker killed, a server stopped) as failed, with the reason, so that no run stays "running"
for ever; a run's results are indexed only once its run folder is complete (its manifest
written, every file in the blob store), so a run is never "succeeded" with partial results.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from restvarme.errors import RestvarmeError
from restvarme.store.blobs import BlobStore
from restvarme.store.models import (
    ResultFile,
    Run,
    RunStatus,
    Scenario,
    ScenarioFileRow,
    ScenarioVersion,
    utcnow,
)

DATABASE_FILE = "restvarme.sqlite"
SCENARIO_FILE = "scenario.yaml"
NAME_PATTERN = re.compile(r"^[\w][\w.-]{0,63}$")
"""A scenario's name: letters of any script, digits, ``_``, ``.``, ``-``; at most 64 characters,
not starting with ``.`` or ``-`` (as names in a scenario, docs/security.md)."""
SOLVER_LOG_MAX_CHARS = 200_000
"""The solver log kept per run: its last this many characters."""


class StoreError(RestvarmeError):
    """A store request that cannot be met: an unknown scenario or run, a bad name."""


class NotFoundError(StoreError):
    """No scenario, version or run of that name or number."""


class ConflictError(StoreError):
    """A request the store's state refuses (HTTP 409): a name taken, the last admin removed."""


def default_url(data_dir: str | Path) -> str:
    """The SQLite database in the data folder."""
    return f"sqlite:///{Path(data_dir).resolve() / DATABASE_FILE}"


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema with the Alembic migrations shipped in
    ``restvarme/store/migrations`` (an empty database gets the whole schema)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine.

    A zombie (a process that has ended but whose parent has not reaped it) is not running: a
    worker killed with its server is reparented to the machine's init, and in a container whose
    init does not reap, it stays a zombie, which ``kill(pid, 0)`` still finds. Where ``/proc``
    exists (Linux) its state is read (proc(5): ``Z`` zombie, ``X`` dead).
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return _proc_state(pid) not in ("Z", "X")


def _proc_state(pid: int) -> str | None:
    """The process's state letter from ``/proc/<pid>/stat`` (the field after the command name in
    parentheses), or None where there is no such file."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :][:1] or None


def version_hash(files: Mapping[str, str]) -> str:
    """The SHA-256 of a version: of its sorted ``path<TAB>sha256`` lines."""
    text = "".join(f"{path}\t{sha}\n" for path, sha in sorted(files.items()))
    return hashlib.sha256(text.encode()).hexdigest()


class RunStore:
    """A run store: a database at ``url`` (default: SQLite in ``data_dir``) and the files in
    ``data_dir``. ``migrate``: apply the migrations first (the server and the CLI do; workers
    open a store that is already up to date)."""

    def __init__(
        self, data_dir: str | Path, url: str | None = None, *, migrate_schema: bool = True
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.url = url or default_url(self.data_dir)
        self.engine = _engine(self.url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.blobs = BlobStore(self.data_dir / "blobs")
        self.work_dir = self.data_dir / "work"
        self.runs_dir = self.data_dir / "runs"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose changes are committed when the block ends without an error."""
        with self._sessions() as session, session.begin():
            yield session

    # -- scenarios -----------------------------------------------------------------------------

    def add_version(
        self, name: str, files: Mapping[str, bytes], author: str = "", message: str = ""
    ) -> dict[str, Any]:
        """Store a scenario's files (relative POSIX path -> content) as a version of the scenario
        ``name`` (made if new). The same files stored again are the same version
        (``created``: False)."""
        if not NAME_PATTERN.match(name):
            raise StoreError(
                f"scenario name {name[:80]!r}: use letters, digits, _, . and - only (at most "
                "64 characters, not starting with . or -)"
            )
        if SCENARIO_FILE not in files:
            raise StoreError(f"a scenario needs a {SCENARIO_FILE} at the top of its folder")
        hashes = {path: self.blobs.put_bytes(data) for path, data in files.items()}
        digest = version_hash(hashes)
        for attempt in range(3):
            try:
                return self._add_version(name, hashes, files, author, message, digest)
            except IntegrityError:
                # another request stored this scenario or these files first: read theirs
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _add_version(
        self,
        name: str,
        hashes: dict[str, str],
        files: Mapping[str, bytes],
        author: str,
        message: str,
        digest: str,
    ) -> dict[str, Any]:
        with self.session() as s:
            scenario = s.scalar(select(Scenario).where(Scenario.name == name))
            if scenario is None:
                scenario = Scenario(name=name)
                s.add(scenario)
                s.flush()
            version = s.scalar(
                select(ScenarioVersion).where(
                    ScenarioVersion.scenario_id == scenario.id,
                    ScenarioVersion.content_hash == digest,
                )
            )
            created = version is None
            if version is None:
                version = ScenarioVersion(
                    scenario_id=scenario.id, content_hash=digest, author=author, message=message
                )
                s.add(version)
                s.flush()
                for path, sha in sorted(hashes.items()):
                    s.add(
                        ScenarioFileRow(
                            version_id=version.id, path=path, sha256=sha, bytes=len(files[path])
                        )
                    )
            return {**_version_dict(version, name, hashes, files), "created": created}

    def scenarios(self) -> list[dict[str, Any]]:
        """Every scenario with its versions (newest last)."""
        with self.session() as s:
            rows = s.scalars(select(Scenario).order_by(Scenario.name)).all()
            return [
                {
                    "name": sc.name,
                    "created_at": _iso(sc.created_at),
                    "versions": [
                        {
                            "id": v.id,
                            "content_hash": v.content_hash,
                            "author": v.author,
                            "message": v.message,
                            "created_at": _iso(v.created_at),
                        }
                        for v in sc.versions
                    ],
                }
                for sc in rows
            ]

    def version(self, version_id: int) -> dict[str, Any]:
        """A version with its files (path, sha256, bytes)."""
        with self.session() as s:
            v = s.get(ScenarioVersion, version_id)
            if v is None:
                raise NotFoundError(f"no scenario version {version_id}")
            return _version_dict(
                v,
                v.scenario.name,
                {f.path: f.sha256 for f in v.files},
                {f.path: f.bytes for f in v.files},
            )

    def latest_version(self, name: str) -> dict[str, Any]:
        with self.session() as s:
            sc = s.scalar(select(Scenario).where(Scenario.name == name))
            if sc is None or not sc.versions:
                raise NotFoundError(f"no scenario called {name[:80]!r}")
            version_id = sc.versions[-1].id
        return self.version(version_id)

    def materialise_version(self, version_id: int, folder: Path) -> Path:
        """Write a version's files into the new folder ``folder``; return its scenario file."""
        files = {f["path"]: f["sha256"] for f in self.version(version_id)["files"]}
        self.blobs.materialise(files, folder)
        return folder / SCENARIO_FILE

    # -- runs ----------------------------------------------------------------------------------

    def create_run(self, version_id: int, solver: str = "highs", report: bool = False) -> int:
        """Queue a run of a version; the calling process is its owner until a worker claims it.
        ``report``: write the HTML report with the results."""
        with self.session() as s:
            if s.get(ScenarioVersion, version_id) is None:
                raise NotFoundError(f"no scenario version {version_id}")
            run = Run(
                version_id=version_id,
                solver=solver,
                report=report,
                status=RunStatus.queued.value,
                host=socket.gethostname(),
                pid=os.getpid(),
            )
            s.add(run)
            s.flush()
            return run.id

    def claim(self, run_id: int) -> bool:
        """Mark a queued run running in this process; False if it is no longer queued (it was
        cancelled meanwhile, or another process took it)."""
        with self.session() as s:
            done = s.execute(
                update(Run)
                .where(Run.id == run_id, Run.status == RunStatus.queued.value)
                .values(
                    status=RunStatus.running.value,
                    started_at=utcnow(),
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    phase="start",
                )
            )
            return bool(getattr(done, "rowcount", 0))

    def set_phase(self, run_id: int, phase: str) -> bool:
        """Record the phase a running run has reached; True if a cancel has been asked for."""
        with self.session() as s:
            s.execute(update(Run).where(Run.id == run_id).values(phase=phase))
            return bool(s.scalar(select(Run.cancel_requested).where(Run.id == run_id)))

    def finish(
        self,
        run_id: int,
        folder: Path,
        *,
        objective_eur: float | None,
        timings: Mapping[str, float],
        solver_seconds: float | None,
        solver_log: str = "",
    ) -> None:
        """Store a complete run folder's files (those its manifest lists, the manifest, and
        its derived files) and mark the run succeeded, in one transaction."""
        from restvarme.results.folder import MANIFEST_FILE, verify_run_folder

        manifest = verify_run_folder(folder)
        names = [*manifest["files"], *manifest.get("derived", []), MANIFEST_FILE]
        stored = {}
        for name in names:
            path = folder / name
            if path.is_file() and not path.is_symlink():
                stored[name] = self.blobs.put_file(path)
        with self.session() as s:
            for name, (sha, size) in stored.items():
                s.add(ResultFile(run_id=run_id, name=name, sha256=sha, bytes=size))
            s.execute(
                update(Run)
                .where(Run.id == run_id)
                .values(
                    status=RunStatus.succeeded.value,
                    phase="done",
                    finished_at=utcnow(),
                    objective_eur=objective_eur,
                    timings_json=json.dumps({k: round(v, 4) for k, v in timings.items()}),
                    solver_seconds=solver_seconds,
                    solver_log=solver_log[-SOLVER_LOG_MAX_CHARS:],
                )
            )

    def end(self, run_id: int, status: RunStatus, error: str = "", solver_log: str = "") -> None:
        """End an unfinished run as failed or cancelled, with the reason."""
        with self.session() as s:
            s.execute(
                update(Run)
                .where(
                    Run.id == run_id,
                    Run.status.in_([RunStatus.queued.value, RunStatus.running.value]),
                )
                .values(
                    status=status.value,
                    finished_at=utcnow(),
                    error=error,
                    solver_log=solver_log[-SOLVER_LOG_MAX_CHARS:],
                )
            )

    def cancel(self, run_id: int) -> str:
        """Cancel a run: a queued run at once, a running one at its next phase (the worker
        checks between phases). Returns the run's status afterwards."""
        with self.session() as s:
            run = s.get(Run, run_id)
            if run is None:
                raise NotFoundError(f"no run {run_id}")
            if run.status == RunStatus.queued.value:
                run.status = RunStatus.cancelled.value
                run.finished_at = utcnow()
                run.error = "cancelled before it started"
            elif run.status == RunStatus.running.value:
                run.cancel_requested = True
            return run.status

    def run(self, run_id: int) -> dict[str, Any]:
        """A run: its status, phase, timings, error, log and result files."""
        with self.session() as s:
            run = s.get(Run, run_id)
            if run is None:
                raise NotFoundError(f"no run {run_id}")
            return _run_dict(run, with_files=True)

    def runs(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest runs first."""
        with self.session() as s:
            rows = s.scalars(select(Run).order_by(Run.id.desc()).limit(limit)).all()
            return [_run_dict(r) for r in rows]

    def recover(self) -> list[int]:
        """Mark failed every queued or running run whose process on this machine is gone (a
        worker killed, a server stopped or restarted), with the reason; return their ids.

        Runs of processes on other machines (a shared PostgreSQL store) are left to those.
        """
        host = socket.gethostname()
        failed = []
        with self.session() as s:
            rows = s.scalars(
                select(Run)
                .where(Run.status.in_([RunStatus.queued.value, RunStatus.running.value]))
                .order_by(Run.id)
            ).all()
            for run in rows:
                if run.host != host or (run.pid is not None and pid_alive(run.pid)):
                    continue
                was = run.status
                run.status = RunStatus.failed.value
                run.finished_at = utcnow()
                run.error = (
                    f"interrupted: the process that was running it (pid {run.pid}) ended "
                    f"during its {run.phase or 'start'} phase (a worker killed, or the server "
                    "stopped); run it again"
                    if was == RunStatus.running.value
                    else f"interrupted: the server that queued it (pid {run.pid}) stopped "
                    "before it started; run it again"
                )
                failed.append(run.id)
        for run_id in failed:  # what their processes left behind in the work folder
            for left in self.work_dir.glob(f"run-{run_id}-*"):
                self.remove_work(left)
        return failed

    def result_files(self, run_id: int) -> dict[str, dict[str, Any]]:
        """A succeeded run's files: name -> sha256, bytes."""
        info = self.run(run_id)
        if info["status"] != RunStatus.succeeded.value:
            raise StoreError(f"run {run_id} is {info['status']}, it has no results")
        return {f["name"]: f for f in info["files"]}

    def run_folder(self, run_id: int) -> Path:
        """The run folder of a succeeded run, as ``restvarme run`` wrote it (rebuilt from the
        blob store into ``<data>/runs/<id>`` the first time), checked against its manifest."""
        from restvarme.results.folder import RunFolderError, verify_run_folder

        files = self.result_files(run_id)
        folder = self.runs_dir / str(run_id)
        if folder.is_dir():
            try:
                verify_run_folder(folder)
                return folder
            except RunFolderError:  # damaged since (a disk, a hand): rebuilt from the blobs
                self.remove_work(folder)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.blobs.materialise({n: f["sha256"] for n, f in files.items()}, folder)
        verify_run_folder(folder)
        return folder

    def remove_work(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)


def _version_dict(
    v: ScenarioVersion, name: str, hashes: Mapping[str, str], sizes: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "id": v.id,
        "scenario": name,
        "content_hash": v.content_hash,
        "author": v.author,
        "message": v.message,
        "created_at": _iso(v.created_at or utcnow()),
        "files": [
            {
                "path": p,
                "sha256": hashes[p],
                "bytes": sizes[p] if isinstance(sizes[p], int) else len(sizes[p]),
            }
            for p in sorted(hashes)
        ],
    }


def _iso(t: _dt.datetime | None) -> str | None:
    """A time as ISO 8601 in UTC (SQLite gives times back without their zone)."""
    if t is None:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=_dt.UTC)).isoformat()


def _run_dict(run: Run, with_files: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": run.id,
        "version_id": run.version_id,
        "scenario": run.version.scenario.name,
        "status": run.status,
        "phase": run.phase,
        "solver": run.solver,
        "report": run.report,
        "cancel_requested": run.cancel_requested,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "objective_eur": run.objective_eur,
        "solver_seconds": run.solver_seconds,
        "timings_s": json.loads(run.timings_json or "{}"),
        "error": run.error,
    }
    if with_files:
        out["solver_log"] = run.solver_log
        out["files"] = [{"name": f.name, "sha256": f.sha256, "bytes": f.bytes} for f in run.results]
    return out
