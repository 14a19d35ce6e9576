"""The write of a run folder on its own (issue 15, target 1): what ``restvarme run`` does after
the run, timed apart from everything else.

Runs the scenario once, then writes its run folder ``--repeat`` times into new folders
(``output_folder`` + ``result_files`` + ``commit``, as ``restvarme run --out`` does) and prints
the medians, wall and CPU seconds, and where the time goes: making the files (``result_files``:
the summary tables and the CSVs' text, while ``results.nc`` is made in its thread), the
``results.nc`` thread (from the start of ``result_files`` until the file is made), and the commit
(waiting for the file, writing, flushing, renaming)::

    python benchmarks/write_folder.py                      # Lund, 9 writes
    python benchmarks/write_folder.py --synthetic          # the ten-unit heat system of phases.py
    python benchmarks/write_folder.py --scenario path/to/scenario.yaml --repeat 15

Run it once per source tree (``PYTHONPATH=/other/checkout/src``) to compare, alternating; a tree
from before ``results.nc`` was made in a thread prints the wall and CPU seconds only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="lund", help="scenario file or example name")
    parser.add_argument("--synthetic", action="store_true", help="the ten-unit heat system")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            from _synthetic import write_scenario

            args.scenario = str(write_scenario(Path(tmp) / "synthetic", hours=8760, units=10))
        measure(args.scenario, args.repeat)


def measure(scenario: str, repeat: int) -> None:
    """Run ``scenario`` once, write its folder ``repeat`` times; print the medians."""
    import restvarme
    from restvarme.results import io
    from restvarme.results.folder import output_folder

    sf = restvarme.load(scenario)
    ds = restvarme.run(sf)
    scenario_json = io.resolved_scenario_json(sf)
    made_at: list[float] = []
    encode = getattr(io, "netcdf_bytes", None)  # None: a tree from before the thread

    def timed_netcdf(data):  # the end of results.nc's thread
        image = encode(data)
        made_at.append(time.perf_counter())
        return image

    if encode is not None:
        io.netcdf_bytes = timed_netcdf
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            out = Path(tmp) / f"run{i}"
            cpu0, t0 = os.times(), time.perf_counter()
            with output_folder(out) as folder:
                t1 = time.perf_counter()
                files = io.result_files(ds, scenario_json)
                t2 = time.perf_counter()
                folder.commit(files)
                t3 = time.perf_counter()
            t4, cpu1 = time.perf_counter(), os.times()
            cpu = (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)
            made = made_at[-1] - t1 if made_at else float("nan")
            rows.append((t4 - t0, cpu, t2 - t1, made, t3 - t2))
            shutil.rmtree(out)
    print(f"restvarme from {Path(restvarme.__file__).parent}")
    print(f"{scenario}: {ds.sizes['snapshot']} snapshots, median of {repeat} writes")
    labels = (
        "write, wall s",
        "write, CPU s",
        "  result_files (tables, CSV text)",
        "  results.nc thread",
        "  commit",
    )
    for k, label in enumerate(labels if encode is not None else labels[:2]):
        print(f"  {label:<36} {statistics.median(r[k] for r in rows):.3f}")


if __name__ == "__main__":
    main()
