"""CPU and wall seconds of the HTML report: ``build_report`` and ``write_report`` of a tiny run
and of two weeks of the Lund example.

The two runs are solved once (not timed, with this checkout's ``src``) and written as run
folders. Then each child process,
alternating between the ``--src`` folders (e.g. main's and a branch's), ``--repeat`` times each,
reads the run folders, builds one report of each to warm up (imports, plotly's first figure),
and times one ``build_report`` of the Dataset in memory and one ``write_report`` of the run
folder (which reads ``results.nc`` back and writes ``report.html``). The medians over the
children are printed, with the machine's load average before and after.

Usage::

    python benchmarks/report_build.py                                  # src/, median of 5
    python benchmarks/report_build.py --src /work/main/src src --repeat 5
    python benchmarks/report_build.py --src /work/main/src src --repeat 3 --year  # + 8,760 h
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

sys.path.insert(0, str(HERE.parent / "tests"))
from tiny_scenarios import BASE, TINY_COOLING  # noqa: E402 (the tests' scenario data)

TINY = {**BASE, **TINY_COOLING}
"""The tiny run: tests/tiny_scenarios.py's TINY_COOLING (heat, cooling, a waste-heat source and
every accounting table), as the report tests' ``tiny_run`` solves it."""

LUND_HOURS = 336
"""The Lund run: the example's first two weeks (as tests/report/conftest.py's ``short_runs``)."""

SOLVE = r"""
import json, sys
from pathlib import Path
import restvarme
from restvarme.results.io import resolved_scenario_json, write_results
from restvarme.scenario.load import ScenarioFile
from restvarme.scenario.schema import Scenario

out, tiny, hours, year = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
(out / "tiny_src").mkdir(parents=True, exist_ok=True)
sf = ScenarioFile(Scenario.model_validate(tiny), None, out / "tiny_src")
write_results(restvarme.run(sf), out / "tiny", resolved_scenario_json(sf))
sf = restvarme.load("lund")
sc = sf.scenario.model_copy(
    update={
        "name": "Lund 2 weeks",
        "horizon": sf.scenario.horizon.model_copy(update={"hours": hours}),
    }
)
sf = ScenarioFile(sc, sf.path, sf.base_dir)
write_results(restvarme.run(sf), out / "lund", resolved_scenario_json(sf))
if year == "year":
    sf = restvarme.load("lund")
    write_results(restvarme.run(sf), out / "year", resolved_scenario_json(sf))
"""

CHILD = r"""
import os, sys, time
from pathlib import Path
from restvarme.report.html import build_report, write_report
from restvarme.results.io import read_results

out = Path(sys.argv[1])
for name in sys.argv[2:]:
    folder = out / name
    ds = read_results(folder)
    build_report(ds)  # warm-up: imports, plotly's first figure
    wall, cpu = time.perf_counter(), time.process_time()
    build_report(ds)
    build = (time.process_time() - cpu, time.perf_counter() - wall)
    wall, cpu = time.perf_counter(), time.process_time()
    write_report(folder, out / f"{name}-{os.getpid()}.html")
    write = (time.process_time() - cpu, time.perf_counter() - wall)
    print(name, *build, *write)
"""

RUNS = ("tiny", "lund")
"""The runs timed; ``--year`` adds ``year``, the whole Lund example (8,760 h)."""


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` shows them."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def child(src: Path, out: Path, runs: tuple[str, ...]) -> dict[str, tuple[float, ...]]:
    """One child's (build CPU s, build wall s, write CPU s, write wall s) by run."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), *runs],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
    )
    rows = (line.split() for line in proc.stdout.splitlines())
    return {r[0]: tuple(float(v) for v in r[1:]) for r in rows}


def main(argv: list[str] | None = None) -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, nargs="+", default=[HERE.parent / "src"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", action="store_true", help="also the whole Lund year")
    args = parser.parse_args(argv)
    names = (*RUNS, "year") if args.year else RUNS
    runs: dict[Path, list[dict[str, tuple[float, ...]]]] = {src: [] for src in args.src}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        year = "year" if args.year else ""
        subprocess.run(
            [sys.executable, "-c", SOLVE, str(out), json.dumps(TINY), str(LUND_HOURS), year],
            env={**os.environ, "PYTHONPATH": str(HERE.parent / "src")},  # finds examples/lund
            check=True,
        )
        print(f"load average before: {load_average()}")
        for _ in range(args.repeat):
            for src in args.src:
                runs[src].append(child(src, out, names))
        print(f"load average after:  {load_average()}")
    head = ["build CPU s", "build wall s", "write CPU s", "write wall s"]
    print(f"{'src':40s}{'run':>6s}" + "".join(f"{h:>14s}" for h in head))
    for src, rows in runs.items():
        for run in names:
            med = [statistics.median(r[run][j] for r in rows) for j in range(len(head))]
            print(f"{src!s:40s}{run:>6s}" + "".join(f"{m:14.3f}" for m in med))
    print(
        f"median of {args.repeat} fresh processes each, alternating; tiny = 6 h, "
        f"lund = the Lund example's first {LUND_HOURS} h"
    )


if __name__ == "__main__":
    main()
