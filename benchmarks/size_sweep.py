"""How restvarme's own cost grows with the size of the system: hours x units (issue 15, target 5).

For each size a synthetic scenario (``benchmarks/_synthetic.py``: units cycled through every
component type, about 15 units per heat network by default, so 300 units are 20 networks) is
loaded, its inputs built and its model built in a fresh child process that has imported the
numerical stack and built a one-day model first (so that no import is counted). Per size it
prints the seconds of

* ``load``: read and validate ``scenario.yaml``,
* ``inputs``: scenario -> inputs Dataset (series, profiles, COP),
* ``build``: inputs -> linopy model,

the model's size (variables, constraint rows, terms in the rows, zero coefficients included),
the memory the three phases took (peak resident set of the child minus its resident set before
loading [MiB]), and the build time [µs] and memory [bytes] per hour·unit. With ``--solve`` the
child also solves and collects the results (``hand-over`` = the solve phase minus HiGHS's own
run time; HiGHS's time is printed for scale only).

Growth is summed up twice: a least-squares line ``seconds = fixed + slope · hours·units`` (the
fixed part is the per-operation overhead of xarray and linopy), and the exponent ``b`` of
``cost ∝ (hours·units)^b`` fitted on log-log over the sizes of at least ``--fit-from`` hour·units,
overall and along each axis (hours at the most units, units at the most hours): ``b ≈ 1`` is
linear growth, ``b > 1`` superlinear.

Usage::

    python benchmarks/size_sweep.py                          # 730 2190 8760 h x 15 60 150 300 units
    python benchmarks/size_sweep.py --hours 720 8760 --units 12 24 --networks 2   # two networks
    python benchmarks/size_sweep.py --no-preheat             # exchangers do not preheat returns
    python benchmarks/size_sweep.py --solve --units 12 24    # also solve and collect
    python benchmarks/size_sweep.py --units --scenario lund lund_2030   # examples as they are
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, os, resource, sys, time
import numpy, pandas, xarray, linopy, highspy, pydantic, yaml  # the numerical stack
import restvarme
from restvarme.inputs.build import build_inputs
from restvarme.inputs.pathway import build_pathway_inputs
from restvarme.model.build import build_model

warm_up, scenario, solve = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
restvarme.run(warm_up)  # every lazy import of the run happens here, on one day


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


clock = time.process_time if sys.argv[4] == "cpu" else time.perf_counter
before = rss_mib()
times = {}
start = clock()
sf = restvarme.load(scenario)
times["load"] = clock() - start
start = clock()
inputs = (build_pathway_inputs if sf.scenario.pathway is not None else build_inputs)(sf)
times["inputs"] = clock() - start
start = clock()
built = build_model(inputs)
times["build"] = clock() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
m = built.model
size = {
    "variables": int(m.nvars),
    "constraints": int(m.ncons),
    "terms": sum(int((m.constraints[c].vars.values != -1).sum()) for c in m.constraints),
}
out = {"times": times, "memory_mib": peak - before, "size": size}
out["snapshots"] = int(inputs.sizes["snapshot"]) * int(inputs.sizes.get("period", 1))
out["units"] = len(sf.scenario.units)
if solve:
    from restvarme.model.solve import solve as solve_model
    from restvarme.results.collect import collect_results

    start = time.perf_counter()  # wall: HiGHS's own time is wall time
    solved = solve_model(built, "highs")
    out["times"]["hand-over"] = time.perf_counter() - start - solved.solver_seconds
    out["times"]["solver"] = solved.solver_seconds
    start = clock()
    collect_results(built, solved)
    out["times"]["results"] = clock() - start
print("@@SIZE@@" + json.dumps(out))
"""


def measure(warm_up: Path, scenario: Path | str, solve: bool, clock: str) -> dict:
    """One size in a fresh child process: phase seconds (``clock``: "cpu" or "wall"), memory
    [MiB] and model size."""
    src = HERE.parent / "src"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(src), os.environ.get("PYTHONPATH")))),
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(warm_up), str(scenario), "1" if solve else "0", clock],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@SIZE@@")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{scenario}: the child failed\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("@@SIZE@@"))


def exponent(x: np.ndarray, y: np.ndarray) -> float:
    """The exponent ``b`` of ``y ∝ x^b``, least squares on log-log (NaN with fewer than two
    distinct sizes)."""
    if len(np.unique(x)) < 2:
        return float("nan")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def linear_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares ``y = fixed + slope·x``; returns fixed, slope and the largest |residual|."""
    slope, fixed = np.polyfit(x, y, 1)
    return float(fixed), float(slope), float(np.abs(y - (fixed + slope * x)).max())


def networks_for(units: int, per_network: int, fixed: int | None) -> int:
    """The heat networks of a size: ``fixed`` if given, else one per ``per_network`` units."""
    return fixed if fixed is not None else max(1, round(units / per_network))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, nargs="+", default=[730, 2190, 8760])
    parser.add_argument("--units", type=int, nargs="*", default=[15, 60, 150, 300])
    parser.add_argument("--units-per-network", type=int, default=15)
    parser.add_argument("--networks", type=int, help="the same number of networks at every size")
    parser.add_argument(
        "--no-preheat",
        action="store_true",
        help="heat exchangers do not preheat network returns (no heat-pump preheat levels)",
    )
    parser.add_argument("--solve", action="store_true", help="also solve and collect results")
    parser.add_argument(
        "--scenario",
        nargs="+",
        default=[],
        help="also measure these scenarios (an example's name or a scenario.yaml) as they are",
    )
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="seconds of CPU (default: steady on a shared machine; the phases are single-threaded)"
        " or of the wall clock",
    )
    parser.add_argument(
        "--fit-from",
        type=float,
        default=1e5,
        help="fit the exponents on sizes of at least this many hour·units (default 1e5)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    from _synthetic import write_scenario

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm_up = write_scenario(tmp / "warm-up", hours=24, units=12)
        columns = ["load", "inputs", "build"] + (
            ["hand-over", "results", "solver"] if args.solve else []
        )
        head = (
            f"{'hours':>6}{'units':>6}{'nets':>5}"
            + "".join(f"{c:>10}" for c in columns)
            + f"{'vars':>11}{'rows':>11}{'terms':>12}{'MiB':>8}"
            + f"{'build µs/h·u':>14}{'bytes/h·u':>11}"
        )
        print(head)
        print("-" * len(head))
        for name in args.scenario:
            r = measure(warm_up, name, args.solve, args.clock)
            _line(r, r["snapshots"], r["units"], "-", columns)
            print(f"  ^ {name}")
        rows = []
        for units in args.units:
            nets = networks_for(units, args.units_per_network, args.networks)
            for hours in args.hours:
                folder = tmp / f"{hours}x{units}x{nets}"
                path = write_scenario(folder, hours=hours, units=units, networks=nets)
                if args.no_preheat:
                    _no_preheat(path)
                r = measure(warm_up, path, args.solve, args.clock)
                rows.append((hours, units, hours * units, r["times"], r["memory_mib"]))
                _line(r, hours, units, nets, columns)
        if not rows:
            return
    print(
        f"{args.clock} seconds per phase (hand-over and solver: wall); MiB: the child's peak "
        "resident set minus its resident set before load"
    )
    _summary(rows, args.fit_from)


def _line(r: dict, hours: int, units: int, nets: int | str, columns: list[str]) -> None:
    """One measured size as a line of the table."""
    t, s, hu = r["times"], r["size"], hours * units
    print(
        f"{hours:6d}{units:6d}{nets:>5}"
        + "".join(f"{t[c]:10.3f}" for c in columns)
        + f"{s['variables']:11d}{s['constraints']:11d}{s['terms']:12d}"
        + f"{r['memory_mib']:8.0f}{t['build'] / hu * 1e6:14.2f}"
        + f"{r['memory_mib'] * 2**20 / hu:11.0f}",
        flush=True,
    )


def _no_preheat(path: Path) -> None:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for unit in data["units"]:
        if unit["type"] == "heat_exchanger":
            unit["allow_preheat"] = False
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _summary(rows: list[tuple[int, int, int, dict, float]], fit_from: float) -> None:
    """The linear fit and the growth exponents of build time and memory."""
    hu = np.array([r[2] for r in rows], float)
    series = {
        "build [s]": np.array([r[3]["build"] for r in rows]),
        "load+inputs+build [s]": np.array(
            [r[3]["load"] + r[3]["inputs"] + r[3]["build"] for r in rows]
        ),
        "memory [MiB]": np.array([max(r[4], 1e-3) for r in rows]),
    }
    big = hu >= fit_from
    most_units = max(r[1] for r in rows)
    most_hours = max(r[0] for r in rows)
    along_hours = np.array([r[1] == most_units for r in rows]) & big
    along_units = np.array([r[0] == most_hours for r in rows]) & big
    print(f"\ngrowth in hour·units (exponents fitted on sizes >= {fit_from:g} hour·units)")
    for label, y in series.items():
        fixed, slope, worst = linear_fit(hu, y)
        print(
            f"  {label:22s} line: {fixed:8.3f} + {slope * 1e6:8.3f}e-6 per hour·unit "
            f"(largest residual {worst:.3f});  exponent overall {exponent(hu[big], y[big]):.2f}, "
            f"in hours at {most_units} units {exponent(hu[along_hours], y[along_hours]):.2f}, "
            f"in units at {most_hours} h {exponent(hu[along_units], y[along_units]):.2f}"
        )


if __name__ == "__main__":
    main()
