"""The README's picture of the web app, taken as a user would see it.

    python docs/web_screenshot.py [--out docs/images/web_run.png] [--scenario lund]

Starts ``restvarme serve`` on a free loopback port with a fresh data folder, stores the built-in
example as a scenario and starts a run of it through the REST API (``POST /api/examples/{name}``,
``POST /api/runs``), waits for it to finish, and saves the
run's page (``/runs/{id}``) as a headless Chromium draws it
(:func:`restvarme.report.screenshot.screenshot_page`). Needs the ``web`` extra and Chromium
(``apt-get install chromium``); the server is stopped and its data folder removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from restvarme.report.screenshot import screenshot_page

RUN_TIMEOUT_S = 900.0
"""How long the run may take (a full year of the example on a busy machine)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(client: httpx.Client, path: str, timeout_s: float) -> httpx.Response:
    """GET ``path`` until the server answers 200 (it is starting), or raise after ``timeout_s``."""
    end = time.monotonic() + timeout_s
    while True:
        try:
            answer = client.get(path)
            if answer.status_code == 200:
                return answer
        except httpx.TransportError:
            pass
        if time.monotonic() > end:
            raise TimeoutError(f"{path}: no answer in {timeout_s:.0f} s")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images/web_run.png"))
    parser.add_argument("--scenario", default="lund")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="restvarme-web-") as data:
        server = subprocess.Popen(
            [sys.executable, "-m", "restvarme.cli", "serve", "--port", str(port), "--data", data],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # the server and its workers stop together
        )
        try:
            with httpx.Client(base_url=base, timeout=30.0) as client:
                wait_for(client, "/api/health", 60.0)
                stored = client.post(f"/api/examples/{args.scenario}")
                stored.raise_for_status()
                version = stored.json()["id"]
                started = client.post("/api/runs", json={"version_id": version, "report": True})
                started.raise_for_status()
                run_id = started.json()["id"]
                end = time.monotonic() + RUN_TIMEOUT_S
                while (run := client.get(f"/api/runs/{run_id}").json())["status"] in {
                    "queued",
                    "running",
                }:
                    if time.monotonic() > end:
                        raise TimeoutError(f"run {run_id} not done in {RUN_TIMEOUT_S:.0f} s")
                    time.sleep(1.0)
                if run["status"] != "succeeded":
                    raise RuntimeError(f"run {run_id} ended {run['status']}: {run.get('error')}")
            png = screenshot_page(
                f"{base}/runs/{run_id}", args.out, width=args.width, height=args.height
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    print(f"{png} ({png.stat().st_size / 1e3:,.0f} kB): run {run_id} of {args.scenario}")


if __name__ == "__main__":
    main()
