"""The Lund 2030 pathway planned hour by hour: what the warm start makes of a three-period plan.

``examples/lund_2030`` plans 2026, 2028 and 2030 on 12 typical days. This script plans it on all
8760 hours of each period (3 × 8760 snapshots in one LP, with the 2030 neutrality target) and
prints restvarme's phases, the solver's own time, the CPU time of the process, the objective and
what is built in each period. By default the solve starts warm from the plan on day blocks
(:mod:`restvarme.model.warm_start`, :mod:`restvarme.model.pathway_solve`); ``--cold-start``
solves from scratch for comparison. ``--hours`` takes the first hours of each period only, a
shorter variant for development (warm-started whatever its length); ``--threads`` sets the
threads of the periods' fixed-plan dispatch; ``--refine-rounds`` the cutting-plane steps on the
plan before the boxes (0: none, the boxes around the coarse plan); ``--set NAME=VALUE`` sets
another of :mod:`restvarme.model.pathway_solve`'s numeric constants (e.g. ``REFINE_MAX_SCALE=2``,
as for the tries in benchmarks/README.md); ``--verbose`` prints each HiGHS run's simplex
iterations, each cut step and each box round; ``--highs-log FILE`` writes HiGHS's own log there;
``--no-targets`` leaves out the periods' ``targets.*`` changes (the 2030 neutrality target), a
second LP of the same size whose box rounds end otherwise (benchmarks/README.md).

Usage::

    python benchmarks/hourly_pathway.py                 # warm start (restvarme's default)
    python benchmarks/hourly_pathway.py --cold-start    # from scratch
    python benchmarks/hourly_pathway.py --hours 2184 --verbose --threads 1
    python benchmarks/hourly_pathway.py --hours 2184 --verbose --refine-rounds 0
    python benchmarks/hourly_pathway.py --hours 2184 --verbose --set REFINE_MAX_SCALE=2
    python benchmarks/hourly_pathway.py --verbose --no-targets
"""

from __future__ import annotations

import argparse
import ast
import logging
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import yaml

import restvarme

ROOT = Path(__file__).resolve().parents[1]
LUND_2030 = ROOT / "examples" / "lund_2030" / "scenario.yaml"


def hourly_scenario(folder: Path, hours: int = 8760, targets: bool = True) -> Path:
    """The Lund 2030 pathway with the first ``hours`` hours of each period (without the
    periods' ``targets.*`` changes unless ``targets``), written to ``folder`` with a copy of its
    price series (series are read from the scenario's own folder only)."""
    data = yaml.safe_load(LUND_2030.read_text(encoding="utf-8"))
    data["horizon"] = {"hours": hours}
    if not targets:
        for period in data["pathway"]["periods"]:
            changes = period.get("changes") or {}
            for key in [k for k in changes if k.startswith("targets.")]:
                del changes[key]
    price = data["electricity"]["price_eur_per_mwh"]
    if isinstance(price, str):
        source = (LUND_2030.parent / price).resolve()
        shutil.copy(source, folder / source.name)
        data["electricity"]["price_eur_per_mwh"] = source.name
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _cpu_seconds() -> float:
    """User and system CPU time of this process, all threads [s]."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-start", action="store_true", help="solve from scratch")
    parser.add_argument("--hours", type=int, default=8760, help="hours of each period")
    parser.add_argument("--threads", type=int, default=None, help="threads for the periods")
    parser.add_argument(
        "--refine-rounds",
        type=int,
        default=None,
        help="cutting-plane steps on the plan before the boxes (0: none; default the module's)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a numeric constant of restvarme.model.pathway_solve (repeatable)",
    )
    parser.add_argument("--verbose", action="store_true", help="each HiGHS run's iterations")
    parser.add_argument("--highs-log", type=Path, default=None, help="HiGHS's log file")
    parser.add_argument(
        "--no-targets", action="store_true", help="without the periods' targets.* changes"
    )
    args = parser.parse_args(argv)
    if args.verbose:
        logging.basicConfig(format="  %(relativeCreated)9.0f ms %(name)s: %(message)s")
        logging.getLogger("restvarme.model").setLevel(logging.DEBUG)
    from restvarme.model import pathway_solve

    if args.threads is not None:
        pathway_solve.THREADS = args.threads
    if args.refine_rounds is not None:
        pathway_solve.REFINE_ROUNDS = args.refine_rounds
    for setting in args.set:
        name, _, value = setting.partition("=")
        current = getattr(pathway_solve, name, None)
        if not name.isupper() or not isinstance(current, int | float):
            parser.error(f"--set {setting}: {name} is not a numeric constant of pathway_solve")
        try:
            setattr(pathway_solve, name, type(current)(float(value)))
        except (ValueError, OverflowError):
            parser.error(f"--set {setting}: expected {name}=<number>")
    options = None
    if args.highs_log is not None:
        options = {"output_flag": True, "log_to_console": False, "log_file": str(args.highs_log)}
    warm = False if args.cold_start else (None if args.hours >= 2000 else True)
    load_before = os.getloadavg()
    cpu_before = _cpu_seconds()
    with tempfile.TemporaryDirectory() as tmp:
        path = hourly_scenario(Path(tmp), args.hours, targets=not args.no_targets)
        start = time.perf_counter()
        ds = restvarme.run(path, warm_start=warm, solver_options=options)
        wall = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    phases = ast.literal_eval(ds.attrs["timings_s"])
    built = ds["capacity_built"].to_series()
    start_kind = "cold" if args.cold_start else "warm"
    without = ", without the periods' targets" if args.no_targets else ""
    print(f"Lund 2030 pathway, 3 periods x {args.hours} h{without}, {start_kind} start")
    print(
        f"  run() {wall:.1f} s wall, {cpu:.1f} s CPU (user + sys, all threads); "
        f"solver's own time {ds.attrs['solver_seconds']:.1f} s"
    )
    print(
        "  load average (1 min) before/after: "
        f"{load_before[0]:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print("  phases: " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print(f"  objective {ds.attrs['objective_eur']:.12e} EUR (discounted)")
    print("  built [MW; MWh for stores]:")
    for (period, unit), value in built[built.abs() > 1e-6].items():
        print(f"    {period} {unit:20} {value:12.3f}")


if __name__ == "__main__":
    main()
