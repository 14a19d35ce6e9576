"""The built-in Lund example end to end: seconds per phase, writing the results, peak memory.

The Lund example holds every sector restvarme models (heat, district cooling, electricity,
hydrogen, biogas and transport fleets), so this is also the all-sector benchmark: issue #5 asks
for its time outside the solver to stay within 1.5 s.

Runs in this (fresh) process what ``restvarme run lund`` does: load and validate the scenario,
build the inputs and the model, solve with HiGHS, collect the results and write the run folder
(``results.nc`` and the CSV summaries) to a temporary directory. Prints the seconds of each phase
(``timings_s``), the solver's own time and the hand-over around it, the write time and size, the
peak resident memory of the process, and the objective.

Usage::

    python benchmarks/lund_example.py
    python benchmarks/lund_example.py --scenario path/to/scenario.yaml
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import ast  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import restvarme  # noqa: E402

LUND = Path(__file__).resolve().parents[1] / "examples" / "lund" / "scenario.yaml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=LUND)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    sf = restvarme.load(args.scenario)
    load_s = time.perf_counter() - start
    ds = restvarme.run(sf)
    run_s = time.perf_counter() - start - load_s
    from restvarme.results.io import resolved_scenario_json, write_results

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = write_results(ds, Path(tmp) / "run", resolved_scenario_json(sf))
        write_s = time.perf_counter() - start
        size_mib = sum(f.stat().st_size for f in out.iterdir()) / 2**20
    phases = ast.literal_eval(ds.attrs["timings_s"])
    solver = float(ds.attrs["solver_seconds"])
    total = time.perf_counter() - T0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    sc = sf.scenario
    print(
        f"scenario {args.scenario}: {sc.horizon.hours} snapshots, {len(sc.units)} units, "
        f"{len(sc.networks)} networks"
    )
    sectors = ["heat", "electricity"]
    sectors += ["cooling"] if sc.cooling_networks else []
    sectors += ["hydrogen"] if sc.hydrogen is not None else []
    sectors += ["biogas"] if sc.biogas is not None else []
    sectors += [f"transport ({len(sc.fleets)} fleets)"] if sc.fleets else []
    print(f"  sectors: {', '.join(sectors)}")
    rows = [
        ("load and validate (with its lazy imports)", load_s),
        ("inputs", phases["inputs"]),
        ("build", phases["build"]),
        ("solve", phases["solve"]),
        ("  of which HiGHS's own run time", solver),
        ("  of which hand-over to HiGHS and back", phases["solve"] - solver),
        ("results", phases["results"]),
        ("run() in all (with its lazy imports)", run_s),
        (f"write run folder ({size_mib:.1f} MiB)", write_s),
        ("process from first import to the end", total),
        ("  outside the solver", total - solver),
    ]
    for label, seconds in rows:
        print(f"  {label:42s}{seconds:8.3f} s")
    print(f"  {'peak resident memory':42s}{peak_mib:8.0f} MiB")
    print(f"  {'objective':42s}{ds.attrs['objective_eur']:14.2f} EUR")


if __name__ == "__main__":
    main()
