"""restvarme's own time per phase (issue 15, target 1), for Lund and a ten-unit heat system.

"Own time" is everything in the process except the interpreter's start, the import of the
numerical stack and HiGHS's own run time: loading and validating the scenario, the inputs,
building the model, the hand-over to HiGHS and back, collecting the results and writing the run
folder (``results.nc``, the CSVs, the resolved scenario, the manifest) as ``restvarme run``
does. Each scenario runs in a fresh child process that first imports the numerical stack and runs
the scenario's first day (so that every lazy import is done and not counted) and then runs the
full scenario once; the median of ``--repeat`` children is printed
per phase, beside the targets (≤ 0.5 s for about ten units over 8,760 h, ≤ 1.0 s for Lund).

Usage::

    python benchmarks/phases.py                 # Lund and the synthetic heat system, 3 each
    python benchmarks/phases.py --repeat 5
    python benchmarks/phases.py --scenario path/to/scenario.yaml
    python benchmarks/phases.py --src /path/to/older/checkout/src    # before and after

CPU seconds (user + system of the child) are printed beside the wall time, since a shared
machine stretches the wall time of every phase.

``--fresh`` measures instead what the warm-up hides: whole fresh processes running
``restvarme run SCENARIO --out FOLDER -q`` through the CLI, alternating between the ``--src``
folders given (e.g. main's and a branch's), ``--repeat`` times each. Printed per folder, median:
the process's CPU seconds (interpreter start, every import, the run, the write and the exit
included), the CPU seconds the cyclic garbage collector took (``gc.callbacks``; the pass at the
interpreter's exit included) and the modules imported; then, from a second plain CLI process
each round, the target's own time taken literally: the process's wall time, less the
interpreter's start (the wall time of ``python -c pass``), less the import of the numerical
stack (:data:`STACK`, timed inside a process of its own) and less HiGHS's own run time (the
run's ``solver_seconds``), each measured in the same round. restvarme's own imports, its
first-use work and the interpreter's exit are in it, which the warm-up above leaves out.
The children run without ``PYTHONDONTWRITEBYTECODE`` (after one untimed run per folder), so that
restvarme's modules load from their bytecode as in an installed copy. Last, from a third
process each round, where the own time goes: the stack imported first, then the CLI run with
``import_for_run``, ``result_files`` and the folder's commit timed, beside the run's phases
from its ``results.nc``; the rest (the interpreter's exit, and what differs between the
processes) is the round's own time less these parts::

    python benchmarks/phases.py --fresh --scenario lund --src /work/main/src src
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS_S = {"lund": 1.0, "synthetic": 0.5}
PHASES = ("load", "inputs", "build", "warm_start", "solve", "results", "write")

STACK = "import numpy, pandas, xarray, linopy, highspy, netCDF4, h5netcdf, pydantic, yaml"
"""The numerical stack, whose import the target leaves out of restvarme's own time."""

CHILD = (
    f"import ast, json, os, sys, time\n{STACK}  # numerical stack\n"
    + r"""
import restvarme
from restvarme.results.io import resolved_scenario_json, result_files
import restvarme.accounting, restvarme.inputs.build, restvarme.model.build, restvarme.model.solve
import restvarme.results.collect, restvarme.report.figures, restvarme.scenario.load

scenario, out = sys.argv[1], sys.argv[2]
from restvarme.results.folder import output_folder
from restvarme.results.io import write_results
from restvarme.scenario.load import ScenarioFile

# Warm up on the first day of the same scenario: every lazy import of its sectors happens here
# (the day's series rows are other text than the year's, so no file is parsed ahead).
sf = restvarme.load(scenario)
day = sf.scenario.horizon.model_copy(update={"hours": 24})
short = ScenarioFile(sf.scenario.model_copy(update={"horizon": day}), sf.path, sf.base_dir)
write_results(restvarme.run(short), out + "-warm-up")

def _cpu():
    t = os.times()
    return t.user + t.system


cpu0, clock = os.times(), time.perf_counter()
cpu_start = _cpu()
with output_folder(out) as folder:  # as `restvarme run --out` does: checked before any work
    start = time.perf_counter()
    sf = restvarme.load(scenario)
    load_s = time.perf_counter() - start
    load_cpu = _cpu() - cpu_start
    marks = []  # (phase, CPU seconds at its start)
    ds = restvarme.run(sf, on_phase=lambda name: marks.append((name, _cpu())))
    marks.append(("end", _cpu()))
    start = time.perf_counter()
    folder.commit(result_files(ds, resolved_scenario_json(sf)))
    write_s = time.perf_counter() - start
    write_cpu = _cpu() - marks[-1][1]
total_s = time.perf_counter() - clock
cpu1 = os.times()
phases = {"load": load_s, **ast.literal_eval(ds.attrs["timings_s"]), "write": write_s}
cpu = {"load": load_cpu, "write": write_cpu}
for (name, at), (_, until) in zip(marks, marks[1:]):
    cpu[name] = cpu.get(name, 0.0) + until - at
print(json.dumps({
    "phases": phases,
    "cpu": cpu,
    "solver_s": float(ds.attrs["solver_seconds"]),
    "total_s": total_s,
    "cpu_s": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
    "snapshots": int(ds.sizes["snapshot"]),
    "units": int(ds.sizes["unit"]),
    "objective_eur": float(ds.attrs["objective_eur"]),
}))
"""
)


FRESH_CHILD = r"""
import atexit, gc, json, os, sys, time
collector = {"cpu": 0.0, "start": 0.0}

def _on_pass(phase, info):
    if phase == "start":
        collector["start"] = time.process_time()
    else:
        collector["cpu"] += time.process_time() - collector["start"]

gc.callbacks.append(_on_pass)

def _report():  # after the interpreter's last collection: os._exit skips nothing we count
    gc.collect()  # what the interpreter's exit does (once more here, measured)
    t = os.times()
    print(json.dumps({"cpu_s": t.user + t.system, "gc_cpu_s": collector["cpu"], "modules": n}))
    sys.stdout.flush()
    os._exit(0)

from restvarme.cli import app
try:
    app(["run", sys.argv[1], "--out", sys.argv[2], "-q"])
except SystemExit as done:
    if done.code:
        raise
n = len(sys.modules)
atexit.register(_report)
"""

BREAKDOWN_CHILD = (
    f"import json, sys, time\nstart = time.perf_counter()\n{STACK}  # numerical stack\n"
    + r"""
stack = time.perf_counter()
from restvarme.cli import app
cli = time.perf_counter()
import restvarme._imports, restvarme.results.io
from restvarme.results.folder import OutputFolder

spans = {}

def timed(owner, name):  # the CLI looks each of these up when it calls it
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spans[name] = (begun, time.perf_counter())
    setattr(owner, name, wrapper)

timed(restvarme._imports, "import_for_run")
timed(restvarme.results.io, "result_files")
timed(OutputFolder, "commit")
try:
    app(["run", sys.argv[1], "--out", sys.argv[2], "-q"])
except SystemExit as done:
    if done.code:
        raise
end = time.perf_counter()
print(json.dumps({"stack": stack, "cli": cli, "end": end, **spans}))
"""
)


def fresh(label: str, scenario: str, srcs: list[Path], repeat: int, tmp: Path) -> None:
    """Whole fresh ``restvarme run`` processes, alternating between ``srcs``; medians."""
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs: dict[Path, list[dict]] = {src: [] for src in srcs}
    breakdowns: dict[Path, list[dict[str, float]]] = {src: [] for src in srcs}
    for k, src in enumerate(srcs):  # once, untimed: the modules' bytecode written
        _cli_wall(scenario, tmp / f"bytecode-{k}", {**base_env, "PYTHONPATH": str(src)})
    for i in range(repeat):
        start_s = _wall(["pass"], base_env)
        stack_s = _stack_import_s(base_env)
        for k, src in enumerate(srcs):
            env = {**base_env, "PYTHONPATH": str(src)}
            row = _last_json(_python([FRESH_CHILD, scenario, str(tmp / f"fresh-{i}-{k}")], env))
            wall_s, highs_s = _cli_wall(scenario, tmp / f"wall-{i}-{k}", env)
            row.update(wall_s=wall_s, start_s=start_s, stack_s=stack_s, highs_s=highs_s)
            row["own_s"] = wall_s - start_s - stack_s - highs_s
            parts = _breakdown(scenario, tmp / f"parts-{i}-{k}", env)
            parts["rest"] = row["own_s"] - sum(parts.values())
            runs[src].append(row)
            breakdowns[src].append(parts)
    print(f"\n{label}: {scenario}: fresh `restvarme run` processes, median of {repeat} each")
    print(
        f"  {'src':32s}{'CPU s':>7s}{'of it GC':>9s}{'modules':>8s}"
        f"{'wall s':>8s}{'start s':>8s}{'stack s':>8s}{'HiGHS s':>8s}{'own s':>7s}"
    )
    for src, rows in runs.items():
        med = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        print(
            f"  {str(src)[-32:]:32s}{med['cpu_s']:7.3f}{med['gc_cpu_s']:9.3f}"
            f"{med['modules']:8.0f}{med['wall_s']:8.3f}{med['start_s']:8.3f}{med['stack_s']:8.3f}"
            f"{med['highs_s']:8.3f}{med['own_s']:7.3f}"
        )
    target = TARGETS_S.get(label)
    goal = f" (target <= {target:.1f} s)" if target else ""
    print(f"  own s: wall - start - stack - HiGHS, each of the same round{goal}")
    print("  where the own time goes (a third process each round, the stack imported first), s:")
    print(f"  {'part':58s}" + "".join(f"{str(src)[-16:]:>17s}" for src in srcs))
    for part, words in BREAKDOWN.items():
        cells = "".join(
            f"{statistics.median(b[part] for b in breakdowns[src]):17.3f}" for src in srcs
        )
        print(f"  {words:58s}{cells}")


BREAKDOWN = {
    "cli": "import restvarme.cli (typer, rich)",
    "typer": "typer: the command built, the arguments parsed",
    "import_for_run": "import_for_run: restvarme's modules and models",
    "load_and_between": "loading the scenario, and between the phases",
    "inputs": "inputs",
    "build": "build",
    "hand_over": "hand-over to HiGHS and back",
    "results": "results",
    "result_files": "result files: tables, CSV text, results.nc encoded",
    "commit": "the folder's commit (files written, fsync, manifest)",
    "after": "after the commit (the CLI's last lines)",
    "rest": "rest: the exit, and what differs between the processes",
}
"""The parts of the own time :func:`_breakdown` measures, and their words in the table."""


def _breakdown(scenario: str, out: Path, env: dict[str, str]) -> dict[str, float]:
    """The parts of a fresh ``restvarme run``'s own time [s] (:data:`BREAKDOWN` but the rest):
    a process that imports the numerical stack first, then runs the CLI with
    ``import_for_run``, ``result_files`` and the folder's commit timed, and the run's phases
    from its ``results.nc``."""
    marks = _last_json(_python([BREAKDOWN_CHILD, scenario, str(out)], env))
    phases, highs_s = _run_times(out)
    for_run_at, for_run_end = marks["import_for_run"]
    files_at, files_end = marks["result_files"]
    commit_at, commit_end = marks["commit"]
    timed = {
        "inputs": phases["inputs"],
        "build": phases["build"],
        "hand_over": phases["solve"] - highs_s,
        "results": phases["results"],
    }
    run_s = files_at - for_run_end - highs_s  # result_files is called once the run is done
    return {
        "cli": marks["cli"] - marks["stack"],
        "typer": for_run_at - marks["cli"],
        "import_for_run": for_run_end - for_run_at,
        "load_and_between": run_s - sum(timed.values()),
        **timed,
        "result_files": files_end - files_at,
        "commit": commit_end - commit_at,
        "after": marks["end"] - commit_end,
    }


def _python(args: list[str], env: dict[str, str]) -> str:
    """The standard output of ``python -c ARGS[0] ARGS[1:]`` in a fresh process; its error
    output ends the benchmark if it fails."""
    proc = subprocess.run(
        [sys.executable, "-c", *args], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return proc.stdout


def _last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def _wall(args: list[str], env: dict[str, str]) -> float:
    """The wall seconds of :func:`_python` ``(args, env)``, process start and exit included."""
    start = time.perf_counter()
    _python(args, env)
    return time.perf_counter() - start


def _stack_import_s(env: dict[str, str]) -> float:
    """Seconds a fresh process takes to import the numerical stack (:data:`STACK`), timed
    inside it: a process that imports it and exits would count its exit too."""
    code = f"import time; t = time.perf_counter(); {STACK}; print(time.perf_counter() - t)"
    return float(_python([code], env))


def _cli_wall(scenario: str, out: Path, env: dict[str, str]) -> tuple[float, float]:
    """The wall seconds of a plain ``restvarme run SCENARIO --out OUT -q`` process (the console
    script's entry point), and HiGHS's own run time in it [s]."""
    cli = "from restvarme.cli import app; app()"
    wall_s = _wall([cli, "run", scenario, "--out", str(out), "-q"], env)
    return wall_s, _run_times(out)[1]


def _run_times(out: Path) -> tuple[dict[str, float], float]:
    """The phases' seconds (``timings_s``) and HiGHS's own run time [s] of the run in ``out``."""
    import xarray as xr

    with xr.open_dataset(out / "results.nc") as ds:
        return ast.literal_eval(ds.attrs["timings_s"]), float(ds.attrs["solver_seconds"])


def _child(scenario: str, out: Path, src: Path) -> dict:
    return _last_json(_python([CHILD, scenario, str(out)], {**os.environ, "PYTHONPATH": str(src)}))


def measure(label: str, scenario: str, repeat: int, tmp: Path, src: Path) -> None:
    runs = [_child(scenario, tmp / f"{label}-{i}", src) for i in range(repeat)]
    first = runs[0]
    med = statistics.median
    print(
        f"\n{label}: {scenario} ({first['snapshots']} snapshots, {first['units']} units), "
        f"median of {repeat} fresh processes, objective {first['objective_eur']:,.2f} EUR"
    )
    print(f"  {'phase':34s}{'wall s':>9s}{'CPU s':>9s}")
    for phase in PHASES:
        if phase not in first["phases"]:
            continue
        wall = med([r["phases"][phase] for r in runs])
        print(f"  {phase:34s}{wall:9.3f}{med([r['cpu'][phase] for r in runs]):9.3f}")
        if phase == "solve":
            hand_over = med([r["phases"]["solve"] - r["solver_s"] for r in runs])
            print(
                f"  {'  of which HiGHS own run time':34s}{med([r['solver_s'] for r in runs]):9.3f}"
            )
            print(f"  {'  of which hand-over to HiGHS':34s}{hand_over:9.3f}")
    print(f"  {'import (lazy, inside run)':34s}{med([r['phases']['import'] for r in runs]):9.3f}")
    print(
        f"  {'run and write in all':34s}{med([r['total_s'] for r in runs]):9.3f}"
        f"{med([r['cpu_s'] for r in runs]):9.3f}"
    )
    own = [sum(r["phases"].get(p, 0.0) for p in PHASES) - r["solver_s"] for r in runs]
    target = TARGETS_S.get(label)
    goal = f"   target <= {target:.1f} s" if target else ""
    print(f"  {'restvarme own time (wall)':34s}{med(own):9.3f}{goal}")
    own_cpu = [
        sum(v for p, v in r["cpu"].items() if p not in ("solve", "warm_start")) for r in runs
    ]
    print(f"  {'own CPU, solve phases left out':34s}{'':9s}{med(own_cpu):9.3f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenario", help="one scenario instead of Lund and the synthetic one")
    parser.add_argument(
        "--src",
        type=Path,
        nargs="+",
        default=[HERE.parent / "src"],
        help="the restvarme source folder to measure (e.g. an older checkout's src, to compare); "
        "with --fresh, several, measured alternately",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="whole fresh `restvarme run` processes (imports, collector, exit), no phases",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.fresh:
            for label, scenario in _scenarios(args.scenario, tmp):
                fresh(label, scenario, args.src, args.repeat, tmp)
            return
        if len(args.src) > 1:
            raise SystemExit("several --src folders are measured with --fresh only")
        args.src = args.src[0]
        print(f"restvarme from {args.src.resolve()}")
        for label, scenario in _scenarios(args.scenario, tmp):
            measure(label, scenario, args.repeat, tmp, args.src)


def _scenarios(given: str | None, tmp: Path) -> list[tuple[str, str]]:
    """(label, scenario) to measure: the one given, else Lund and the ten-unit heat system."""
    if given:
        return [("lund" if given == "lund" else "scenario", given)]
    sys.path.insert(0, str(HERE))
    from _synthetic import write_scenario

    synthetic = write_scenario(tmp / "synthetic", hours=8760, units=10)
    return [("lund", "lund"), ("synthetic", str(synthetic))]


if __name__ == "__main__":
    main()
