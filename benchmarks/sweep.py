"""Sweep throughput on the Lund example: cases per minute by rebuild and by re-solve, and on Dask.

Builds a sweep of N Lund dispatch cases that differ only in the carbon price (a cost-only
change: every case's model has the same structure) and runs it

* by rebuild: every case a full ``restvarme.run`` (inputs, model, hand-over, HiGHS from
  scratch), one after another in this process;
* by re-solve: the same, but each case changes the held HiGHS model in place and continues from
  the last case's basis (:mod:`restvarme.sweep.resolve`);
* with ``--dask``: by rebuild on a Dask LocalCluster of 1 and of 2 workers.

Prints, for each, the wall time, cases per minute, and the seconds of the first case and the
mean of the others, each with the solver's own seconds (the first re-solved case is solved from
scratch, the others from the last basis), and the largest relative difference of the re-solved
total cost from the rebuilt one.

Usage::

    python benchmarks/sweep.py                 # 6 cases
    python benchmarks/sweep.py --cases 40 --dask
"""

from __future__ import annotations

import argparse
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


def timed(label: str, folder: Path, **kwargs: object) -> pd.DataFrame:
    from restvarme.sweep.execute import read_records, run_sweep
    from restvarme.sweep.spec import load_sweep

    sweep = load_sweep(folder / "sweep.yaml")
    out = folder / label.replace(" ", "_")
    start = time.perf_counter()
    done = run_sweep(sweep, out, progress=False, **kwargs)  # type: ignore[arg-type]
    wall = time.perf_counter() - start
    records = sorted(read_records(out).values(), key=lambda r: r["case"])
    seconds = np.array([r["seconds"] for r in records])
    solver = np.array([r.get("solver_seconds", np.nan) for r in records])
    n = len(done.cases)
    print(
        f"{label:<16} {wall:7.1f} s {60 * n / wall:7.2f} cases/min   per case: first "
        f"{seconds[0]:5.1f} s (solver {solver[0]:5.1f} s), others {seconds[1:].mean():5.1f} s "
        f"(solver {solver[1:].mean():5.1f} s)   failed {done.failed}"
    )
    return pd.read_parquet(out / "results.parquet")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=6)
    parser.add_argument("--dask", action="store_true", help="also 1 and 2 Dask workers")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sweep_file(folder, args.cases)
        print(f"Lund dispatch, {args.cases} cases differing in the carbon price only")
        rebuilt = timed("rebuild", folder, processes=0)
        resolved = timed("re-solve", folder, processes=0, resolve=True)
        diff = (resolved["total_cost_eur"] / rebuilt["total_cost_eur"] - 1).abs().max()
        print(f"largest relative cost difference {float(diff):.1e}")
        if args.dask:
            timed("dask 1 worker", folder, workers=1)
            timed("dask 2 workers", folder, workers=2)


if __name__ == "__main__":
    main()
