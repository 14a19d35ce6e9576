"""How restvarme's own cost grows with the size of the system: hours x units.

For each synthetic scenario (``benchmarks/_synthetic.py``: two networks, up to three waste-heat
sources, units cycled through every component type) this runs ``restvarme.run`` in one warm
process and prints, per size, the seconds of each phase:

* ``inputs``: scenario -> inputs Dataset (series, profiles, COP),
* ``build``: inputs -> linopy model,
* ``hand-over``: the solve phase minus the solver's own run time (linopy -> HiGHS and back),
* ``solver``: HiGHS's own run time (not ours; printed for scale),
* ``results``: solution -> results Dataset,

and the build cost per hour and unit [µs]. A least-squares line ``seconds = fixed + slope · hours ·
units`` over all sizes then splits our cost into a fixed part and a marginal cost per hour·unit:
growth is linear when the line fits (the residual is printed). The first run (a tiny scenario)
only warms up imports and is not printed.

Usage::

    python benchmarks/size_sweep.py                  # hours 720 2190 4380 8760 x units 6 12 24
    python benchmarks/size_sweep.py --hours 720 8760 --units 6 24 --repeat 3
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
from _synthetic import write_scenario

import restvarme


def measure(path: Path, repeat: int) -> dict[str, float]:
    """Median phase seconds of ``repeat`` runs of one scenario."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        ds = restvarme.run(path)
        total = time.perf_counter() - start
        phases = ast.literal_eval(ds.attrs["timings_s"])
        solver = float(ds.attrs["solver_seconds"])
        runs.append(
            {
                "inputs": phases["load"] + phases["inputs"],
                "build": phases["build"],
                "hand-over": phases["solve"] - solver,
                "solver": solver,
                "results": phases["results"],
                "total": total,
            }
        )
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, nargs="+", default=[720, 2190, 4380, 8760])
    parser.add_argument("--units", type=int, nargs="+", default=[6, 12, 24])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median printed)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        restvarme.run(write_scenario(Path(tmp) / "warm-up", hours=24, units=6))
        head = (
            f"{'hours':>6}{'units':>6}{'inputs':>9}{'build':>9}{'hand-over':>11}"
            f"{'results':>9}{'ours':>8}{'solver':>9}   build per hour·unit"
        )
        print(head)
        print("-" * len(head))
        sizes, build, ours_all = [], [], []
        for units in args.units:
            for hours in args.hours:
                path = write_scenario(Path(tmp) / f"{hours}x{units}", hours=hours, units=units)
                t = measure(path, args.repeat)
                ours = t["inputs"] + t["build"] + t["hand-over"] + t["results"]
                per = t["build"] / (hours * units) * 1e6
                sizes.append(hours * units)
                build.append(t["build"])
                ours_all.append(ours)
                print(
                    f"{hours:6d}{units:6d}{t['inputs']:9.3f}{t['build']:9.3f}"
                    f"{t['hand-over']:11.3f}{t['results']:9.3f}{ours:8.3f}{t['solver']:9.3f}"
                    f"   {per:8.2f} µs",
                    flush=True,
                )
    print(
        "seconds; 'ours' = inputs + build + hand-over + results (everything but the solver); "
        f"median of {args.repeat} run(s)"
    )
    for label, y in (("build", build), ("ours", ours_all)):
        fixed, slope, worst = linear_fit(np.asarray(sizes, float), np.asarray(y))
        print(
            f"{label:>5}: {fixed:.3f} s fixed + {slope * 1e6:.3f} µs per hour·unit "
            f"(largest residual {worst:.3f} s)"
        )


def linear_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares ``y = fixed + slope·x``; returns fixed, slope and the largest |residual|."""
    slope, fixed = np.polyfit(x, y, 1)
    return float(fixed), float(slope), float(np.abs(y - (fixed + slope * x)).max())


if __name__ == "__main__":
    main()
