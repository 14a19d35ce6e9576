"""Sweep throughput on the Lund example: cases per minute by rebuild and by re-solve, and on Dask.

Builds a sweep of N Lund dispatch cases that differ only in the carbon price (a cost-only
change: every case's model has the same structure) and runs it

* by rebuild: every case a full ``restvarme.run`` (inputs, model, hand-over, HiGHS from
  scratch), one after another in this process;
* by re-solve: the same, but each case changes the held HiGHS model in place and continues from
  the last case's basis (:mod:`restvarme.sweep.resolve`);
* with ``--dask``: by rebuild on a Dask LocalCluster of 1 and of 2 workers;
* or any list of ways with ``--ways``: ``rebuild`` and ``resolve`` (one process),
  ``local2`` and ``local2-resolve`` (a pool of 2 local processes), ``dask1``, ``dask2``,
  ``dask1-resolve`` and ``dask2-resolve`` (a Dask LocalCluster of 1 or 2 workers).

Prints, for each, the wall time, cases per minute, the workers' idle share (1 - the seconds the
cases took, summed, over workers × wall time: start-up of the pool or cluster, hand-over and
waiting for the last case count as idle), the seconds of the first case and the mean of the
others, each with the solver's own seconds (the first re-solved case of a worker is solved from
scratch, the others from the last basis), the load average of the machine (1 minute) before
and after, and the largest relative difference of the re-solved total cost from the rebuilt one.

Usage::

    python benchmarks/sweep.py                 # 6 cases
    python benchmarks/sweep.py --cases 40 --dask
    python benchmarks/sweep.py --cases 40 --ways resolve local2-resolve dask2-resolve rebuild
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def sweep_file(folder: Path, cases: int) -> Path:
    path = folder / "sweep.yaml"
    prices = ", ".join(f"{p:g}" for p in np.linspace(40, 160, cases))
    path.write_text(
        f"base: lund\nparameters:\n  carbon_price_eur_per_t: {{values: [{prices}]}}\n",
        encoding="utf-8",
    )
    return path


WAYS = {
    "rebuild": ("rebuild, 1 process", 1, {"processes": 0}),
    "resolve": ("re-solve, 1 process", 1, {"processes": 0, "resolve": True}),
    "local2": ("rebuild, 2 local processes", 2, {"processes": 2}),
    "local2-resolve": ("re-solve, 2 local processes", 2, {"processes": 2, "resolve": True}),
    "dask1": ("rebuild, Dask 1 worker", 1, {"workers": 1}),
    "dask2": ("rebuild, Dask 2 workers", 2, {"workers": 2}),
    "dask1-resolve": ("re-solve, Dask 1 worker", 1, {"workers": 1, "resolve": True}),
    "dask2-resolve": ("re-solve, Dask 2 workers", 2, {"workers": 2, "resolve": True}),
}
"""Each way to run the sweep: its label, the number of workers and run_sweep's options."""


def idle_share(seconds: np.ndarray, workers: int, wall: float) -> float:
    """1 - Σ case seconds / (workers · wall): the share of the workers' time spent on no case."""
    return 1.0 - float(np.nansum(seconds)) / (workers * wall)


def timed(label: str, folder: Path, slots: int = 1, **kwargs: object) -> pd.DataFrame:
    from restvarme.sweep.execute import read_records, run_sweep
    from restvarme.sweep.spec import load_sweep

    sweep = load_sweep(folder / "sweep.yaml")
    out = folder / label.replace(" ", "_").replace(",", "")
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = run_sweep(sweep, out, progress=False, **kwargs)  # type: ignore[arg-type]
    wall = time.perf_counter() - start
    records = sorted(read_records(out).values(), key=lambda r: r["case"])
    seconds = np.array([r["seconds"] for r in records])
    solver = np.array([r.get("solver_seconds", np.nan) for r in records])
    n = len(done.cases)
    print(
        f"{label:<28} {wall:7.1f} s {60 * n / wall:7.2f} cases/min  idle "
        f"{100 * idle_share(seconds, slots, wall):4.1f} %   per case: first "
        f"{seconds[0]:5.1f} s (solver {solver[0]:5.1f} s), others {seconds[1:].mean():5.1f} s "
        f"(solver {solver[1:].mean():5.1f} s)   failed {done.failed}   load "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return pd.read_parquet(out / "results.parquet")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=6)
    parser.add_argument("--dask", action="store_true", help="also 1 and 2 Dask workers")
    parser.add_argument("--ways", nargs="+", choices=list(WAYS), help="the ways to run, in order")
    args = parser.parse_args(argv)
    ways = args.ways or ["rebuild", "resolve", *(["dask1", "dask2"] if args.dask else [])]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sweep_file(folder, args.cases)
        print(
            f"Lund dispatch, {args.cases} cases differing in the carbon price only; "
            f"{os.cpu_count()} cores",
            flush=True,
        )
        tables = {}
        for way in ways:
            label, slots, options = WAYS[way]
            tables[way] = timed(label, folder, slots, **options)
        if "rebuild" in tables:
            cost = tables["rebuild"]["total_cost_eur"]
            for way, table in tables.items():
                diff = (table["total_cost_eur"] / cost - 1).abs().max()
                print(f"{WAYS[way][0]}: largest relative cost difference {float(diff):.1e}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
