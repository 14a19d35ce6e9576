"""A real server killed (SIGKILL, with its workers) while a run is in progress: after a restart
the run is reported failed with the reason, and nothing of it is served as a result."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from web_helpers import boiler_scenario, yaml_bytes

pytestmark = pytest.mark.slow  # two server starts and a year's run: seconds


def _serve(data: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-m", "restvarme.cli", "serve", "--port", str(port), "--data", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the server and its workers
    )


def _wait(check, timeout_s: float = 120.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            if (value := check()) is not None:
                return value
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_run_in_progress_when_the_server_is_killed_is_failed_after_restart(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = _serve(tmp_path / "data", port)
    try:
        _wait(lambda: httpx.get(f"{base}/api/health").json())
        year = boiler_scenario(horizon={"hours": 8760})
        sent = httpx.post(
            f"{base}/api/scenarios",
            data={"name": "year"},
            files=[("files", ("scenario.yaml", yaml_bytes(year)))],
            timeout=60,
        )
        assert sent.status_code == 201
        run_id = httpx.post(f"{base}/api/runs", json={"scenario": "year"}).json()["id"]
        _wait(
            lambda: (
                None
                if httpx.get(f"{base}/api/runs/{run_id}").json()["status"] == "queued"
                else True
            )
        )
        os.killpg(server.pid, signal.SIGKILL)  # the server and its worker, mid-run
        server.wait()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    restarted = _serve(tmp_path / "data", port)
    try:
        info = _wait(lambda: httpx.get(f"{base}/api/runs/{run_id}").json())
        assert info["status"] == "failed"
        assert info["error"].startswith("interrupted: the process that was running it (pid ")
        assert info["files"] == []
        assert httpx.get(f"{base}/api/runs/{run_id}/results").status_code == 409
    finally:
        os.killpg(restarted.pid, signal.SIGKILL)
        restarted.wait()
