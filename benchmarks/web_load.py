"""A bounded load test of the web app on loopback (issue 16): N clients upload scenarios, start
runs and poll them at once for a fixed time against a real ``restvarme serve``; then, with the
worker warm, the time from submitting Lund to its result, against ``restvarme run lund``.

    python benchmarks/web_load.py                       # 20 clients for 60 s, then Lund
    python benchmarks/web_load.py --clients 5 --seconds 20 --no-lund

Every request goes to 127.0.0.1 on a port of its own; each client's loop is bounded in time and
in count, and the server is stopped at the end. Prints requests/s, latency percentiles per kind
of request, the share of run starts refused with 429, the queue's largest use against its
capacity, answers 5xx (must be 0) and lost runs (accepted, then never finished or gone; must be
0). Asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import yaml

MAX_REQUESTS_PER_CLIENT = 20_000
"""A bound on each client's loop, besides its time."""


def tiny_scenario(demand_mw: float) -> bytes:
    """A 24-hour scenario with one gas boiler: a run takes well under a second of solving."""
    data = {
        "name": "load",
        "year": 2030,
        "horizon": {"hours": 24},
        "location": {"name": "Testby", "outdoor_temperature_c": 0.0},
        "electricity": {"price_eur_per_mwh": 40.0, "export_allowed": False},
        "fuels": {"gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2}},
        "networks": {
            "main": {
                "supply_temperature_c": 70.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": demand_mw},
            }
        },
        "units": [
            {
                "name": "boiler",
                "type": "boiler",
                "fuel": "gas",
                "sink": "main",
                "capacity_mw": 50,
                "efficiency": 0.9,
            }
        ],
    }
    return yaml.safe_dump(data, sort_keys=False).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data: Path, port: int, workers: int, max_waiting: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "restvarme.cli", "serve", "--port", str(port)]
    cmd += ["--data", str(data), "--workers", str(workers), "--max-waiting", str(max_waiting)]
    return subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the server and its workers
    )


def wait_up(base: str, timeout_s: float = 120.0) -> None:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            if httpx.get(f"{base}/api/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


class Record:
    """What the clients saw: latencies by kind, status codes, the runs accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency_s: dict[str, list[float]] = defaultdict(list)
        self.codes: Counter[tuple[str, int]] = Counter()
        self.accepted: list[int] = []
        self.errors: list[str] = []
        self.most_in_flight = 0
        self.capacity = 0

    def add(self, kind: str, seconds: float, code: int) -> None:
        with self.lock:
            self.latency_s[kind].append(seconds)
            self.codes[(kind, code)] += 1


def client_loop(base: str, number: int, until: float, rec: Record) -> None:
    """One client: upload a version now and then, start runs, poll its runs and the list."""
    rng = random.Random(number)
    mine: list[int] = []
    with httpx.Client(base_url=base, timeout=120) as http:
        for step in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= until:
                return
            choice = rng.random()
            try:
                if step == 0 or choice < 0.1:
                    files = {"scenario.yaml": tiny_scenario(rng.choice([5.0, 10.0, 15.0, 20.0]))}
                    kind, t0 = "upload", time.perf_counter()
                    r = http.post(
                        "/api/scenarios",
                        data={"name": f"load{number % 4}", "author": f"client{number}"},
                        files=[("files", (p, b)) for p, b in files.items()],
                    )
                elif choice < 0.35:
                    kind, t0 = "start run", time.perf_counter()
                    r = http.post("/api/runs", json={"scenario": f"load{number % 4}"})
                    if r.status_code == 202:
                        mine.append(r.json()["id"])
                        with rec.lock:
                            rec.accepted.append(r.json()["id"])
                elif choice < 0.85 and mine:
                    kind, t0 = "run status", time.perf_counter()
                    r = http.get(f"/api/runs/{rng.choice(mine)}")
                else:
                    kind, t0 = "list runs", time.perf_counter()
                    r = http.get("/api/runs", params={"limit": 50})
                rec.add(kind, time.perf_counter() - t0, r.status_code)
                if r.status_code == 429:
                    time.sleep(min(float(r.headers.get("Retry-After", "1")), 1.0) * rng.random())
                else:
                    time.sleep(0.05 * rng.random())
            except httpx.HTTPError as error:
                with rec.lock:
                    rec.errors.append(f"{type(error).__name__}: {error}")


def watch_queue(base: str, until: float, rec: Record) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < until:
            try:
                health = http.get("/api/health").json()
                with rec.lock:
                    rec.most_in_flight = max(rec.most_in_flight, health["in_flight"])
                    rec.capacity = health["capacity"]
            except httpx.HTTPError:
                pass
            time.sleep(0.2)


def percentiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    if not ms:
        return ""
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0]] * 99
    return f"{q[49]:8.1f} {q[89]:8.1f} {q[98]:8.1f} {ms[-1]:8.1f}"


def settle(base: str, runs: list[int], timeout_s: float) -> Counter[str]:
    """Wait (bounded) until every accepted run has finished; count their final status."""
    end = time.monotonic() + timeout_s
    final: dict[int, str] = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < end and len(final) < len(runs):
            for run_id in runs:
                if run_id in final:
                    continue
                r = http.get(f"/api/runs/{run_id}")
                if r.status_code == 404:
                    final[run_id] = "gone"
                elif r.json()["status"] in ("succeeded", "failed", "cancelled"):
                    final[run_id] = r.json()["status"]
            time.sleep(0.5)
    counts = Counter(final.values())
    counts["never finished"] = len(runs) - len(final)
    return counts


def lund_submit_to_result(base: str) -> tuple[float, float]:
    """Submit Lund to the warm worker and wait for its result: (seconds to succeeded, solver's)."""
    with httpx.Client(base_url=base, timeout=600) as http:
        http.post("/api/examples/lund").raise_for_status()
        t0 = time.perf_counter()
        while True:  # the queue is empty now: retry only if it is not
            r = http.post("/api/runs", json={"scenario": "lund"})
            if r.status_code != 429:
                break
            time.sleep(1)
        run_id = r.json()["id"]
        while (info := http.get(f"/api/runs/{run_id}").json())["status"] not in (
            "succeeded",
            "failed",
            "cancelled",
        ):
            time.sleep(0.1)
        elapsed = time.perf_counter() - t0
    if info["status"] != "succeeded":
        raise SystemExit(f"Lund run {run_id} {info['status']}: {info['error']}")
    return elapsed, float(info["solver_seconds"] or float("nan"))


def lund_cli(out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "restvarme.cli", "run", "lund", "--out", str(out), "-q"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--max-waiting", type=int, default=8)
    parser.add_argument("--no-lund", action="store_true", help="Skip the Lund comparison")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="restvarme-web-load-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve(Path(tmp) / "data", port, args.workers, args.max_waiting)
        try:
            wait_up(base)
            rec = Record()
            t0 = time.monotonic()
            until = t0 + args.seconds
            threads = [
                threading.Thread(target=client_loop, args=(base, n, until, rec))
                for n in range(args.clients)
            ]
            threads.append(threading.Thread(target=watch_queue, args=(base, until, rec)))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.monotonic() - t0
            final = settle(base, rec.accepted, timeout_s=300)
            lund = None if args.no_lund else lund_submit_to_result(base)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        cli = None if args.no_lund else lund_cli(Path(tmp) / "cli-lund")

    total = sum(rec.codes.values())
    print(
        f"web load: {args.clients} clients for {args.seconds:.0f} s, {args.workers} worker(s), "
        f"queue capacity {rec.capacity} (workers + --max-waiting {args.max_waiting})"
    )
    print(f"requests: {total} in {wall:.1f} s = {total / wall:.1f} requests/s")
    print(f"{'request':<12} {'count':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in sorted(rec.latency_s.items()):
        print(f"{kind:<12} {len(values):>6} {percentiles(values)}")
    codes = ", ".join(f"{k} {c}: {n}" for (k, c), n in sorted(rec.codes.items()))
    print(f"answers: {codes}")
    starts = sum(n for (k, _c), n in rec.codes.items() if k == "start run")
    refused = rec.codes[("start run", 429)]
    print(f"run starts refused with 429: {refused} of {starts} ({refused / max(starts, 1):.0%})")
    print(f"queue: at most {rec.most_in_flight} in flight of a capacity of {rec.capacity}")
    server_errors = sum(n for (_k, c), n in rec.codes.items() if c >= 500)
    print(f"answers 5xx: {server_errors}; client errors (transport): {len(rec.errors)}")
    for error in sorted(set(rec.errors))[:5]:
        print(f"  {error[:200]}")
    lost = final["never finished"] + final["gone"]
    done = ", ".join(f"{k} {n}" for k, n in sorted(final.items()) if n)
    print(f"runs accepted: {len(rec.accepted)}; at the end: {done}; lost: {lost}")
    if lund is not None and cli is not None:
        print(
            f"Lund, submit to result with a warm worker: {lund[0]:.1f} s (solver {lund[1]:.1f} s); "
            f"restvarme run lund (a fresh process): {cli:.1f} s"
        )


if __name__ == "__main__":
    main()
