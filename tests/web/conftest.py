"""Fixtures of the web app's tests: an app over a store in a temporary folder (SQLite), opened
with FastAPI's TestClient (which runs its lifespan: migrations, recovery, the run queue)."""

from __future__ import annotations

import copy
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

from fastapi.testclient import TestClient  # noqa: E402

from restvarme.errors import SERVER_MODE_ENV  # noqa: E402
from restvarme.web.app import create_app  # noqa: E402
from tiny_scenarios import BASE, GAS_BOILER  # noqa: E402

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClientFactory]:
    """``make_client(**create_app options)``: a TestClient over the store in ``tmp_path/data``
    (the same store for every client of a test, as a restarted server)."""
    monkeypatch.setenv(SERVER_MODE_ENV, "1")  # restored after the test (the app sets it)
    opened: list[TestClient] = []

    def make(**options: object) -> TestClient:
        client = TestClient(create_app(tmp_path / "data", **options))  # type: ignore[arg-type]
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in reversed(opened):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client(workers=1, max_waiting=2)


def boiler_scenario(**changes: object) -> dict:
    """The tiny scenario with the 20 MW gas boiler at 80 %: 10 MW of demand for 4 hours."""
    data = copy.deepcopy(BASE)
    data["units"] = [copy.deepcopy(GAS_BOILER)]
    data.update(changes)
    return data


def yaml_bytes(data: dict) -> bytes:
    return yaml.safe_dump(data, sort_keys=False).encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def upload(client: TestClient, name: str, files: dict[str, bytes]) -> dict:
    """Upload files one by one; the answer must be 201."""
    response = client.post(
        "/api/scenarios",
        data={"name": name, "author": "test", "message": "for a test"},
        files=[("files", (path, data)) for path, data in files.items()],
    )
    assert response.status_code == 201, response.text
    return response.json()


def wait_finished(client: TestClient, run_id: int, timeout_s: float = 180.0) -> dict:
    """Poll a run until it has finished (a guard against hanging, not a timed assertion)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        info = client.get(f"/api/runs/{run_id}").json()
        if info["status"] in ("succeeded", "failed", "cancelled"):
            return info
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish: {info}")
