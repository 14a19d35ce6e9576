"""Fixtures of the web app's tests: an app over a store in a temporary folder (SQLite), opened
with FastAPI's TestClient (which runs its lifespan: migrations, recovery, the run queue)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from restvarme.errors import SERVER_MODE_ENV

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

WEB_EXTRA = ("fastapi", "uvicorn", "sqlalchemy", "alembic", "multipart", "httpx", "jinja2")
if any(importlib.util.find_spec(name) is None for name in WEB_EXTRA):
    collect_ignore_glob = ["test_*.py"]  # without the web extra (pip install -e ".[web]")

ClientFactory = Callable[..., "TestClient"]


def _postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs, if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


POSTGRES_ENV = "RESTVARME_TEST_POSTGRES"
"""Set to ``host=/run/postgresql port=5432`` (a running server that trusts the ``postgres``
user on that socket) to test against it rather than start one; set to ``required`` to fail,
not skip, where no server can be started (CI, so that the PostgreSQL tests cannot quietly not
run)."""


def _no_postgres(reason: str) -> None:
    import os

    if os.environ.get(POSTGRES_ENV, "") == "required":
        pytest.fail(f"{POSTGRES_ENV}=required, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[dict]:
    """A throwaway PostgreSQL server (Debian's package) in a temporary folder, reached by its
    Unix socket there, for this test session; skipped where PostgreSQL is not installed. As root
    it runs as the ``postgres`` user (PostgreSQL refuses to run as root). A server named by
    ``RESTVARME_TEST_POSTGRES`` (:data:`POSTGRES_ENV`) is used instead, if set."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    given = os.environ.get(POSTGRES_ENV, "")
    if given.startswith("host="):
        pytest.importorskip("psycopg")
        parts = dict(part.split("=", 1) for part in given.split())
        yield {"host": parts["host"], "port": int(parts.get("port", 5432))}
        return
    if importlib.util.find_spec("psycopg") is None:
        _no_postgres("psycopg is not installed (pip install 'restvarme[web]')")
    bin_dir = _postgres_bin()
    if bin_dir is None:
        _no_postgres("PostgreSQL is not installed (apt-get install postgresql)")
        return
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="restvarme-pg-"))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    with socket.socket() as s:  # a free port number (the socket file is named by it)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = folder / "data"
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True)  # noqa: E731
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(folder / "log"),
            "start",
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        _no_postgres(f"cannot start a PostgreSQL server: {error}")
    try:
        yield {"host": str(folder), "port": port}
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


_databases = iter(range(1, 1_000_000))


@pytest.fixture(
    params=[
        "sqlite",
        # a database server (started once per session, then a database per test): slow
        pytest.param("postgresql", marks=pytest.mark.slow),
    ]
)
def store_url(request: pytest.FixtureRequest) -> str | None:
    """The database of a store: SQLite in its data folder (None), or a new, empty database on
    the session's PostgreSQL server (marked ``slow``: the fast loop runs the SQLite case)."""
    if request.param == "sqlite":
        return None
    import os

    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"restvarme_test_{os.getpid()}_{next(_databases)}"  # unique on a shared server
    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://postgres@/{name}?host={server['host']}&port={server['port']}"


@pytest.fixture(autouse=True)
def _cheap_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed with argon2id at its lowest cost in the tests (one pass over 8 KiB, one
    lane: well under a millisecond), not at RFC 9106's second recommended option that the store
    uses (64 MiB, 3 passes, 4 lanes: about 0.2 CPU s a hash and as much a check, seconds in a
    test of the login limits). What the tests check does not depend on the cost: a hash still
    is an argon2id PHC string with its salt, and a check verifies it. The parameters the store
    uses are pinned by the test marked ``real_password_hashes``, which keeps them."""
    if request.node.get_closest_marker("real_password_hashes") is not None:
        return
    if importlib.util.find_spec("argon2") is None:
        return
    from argon2 import PasswordHasher

    from restvarme.store import users

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    monkeypatch.setattr(users, "_DUMMY_HASH", [])  # an unknown name's check: a cheap hash too


@pytest.fixture
def make_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClientFactory]:
    """``make_client(**create_app options)``: a TestClient over the store in ``tmp_path/data``
    (the same store for every client of a test, as a restarted server)."""
    monkeypatch.setenv(SERVER_MODE_ENV, "1")  # restored after the test (the app sets it)
    opened: list[TestClient] = []

    from fastapi.testclient import TestClient

    from restvarme.web.app import create_app

    def make(db_url: str | None = None, **options: object) -> TestClient:
        app = create_app(tmp_path / "data", db_url, **options)  # type: ignore[arg-type]
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in reversed(opened):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client(workers=1, max_waiting=2)
