"""Helpers of the web app's tests (kept out of conftest.py, which other test folders also
have, so that ``import`` finds these by a name of their own)."""

from __future__ import annotations

import copy
import io
import time
import zipfile
from typing import TYPE_CHECKING

import yaml

from tiny_scenarios import BASE, GAS_BOILER

if TYPE_CHECKING:  # FastAPI loads with the app (conftest.py), not where this module is collected
    from fastapi.testclient import TestClient


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
