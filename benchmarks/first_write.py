"""The first write of a run folder in a fresh process: its CPU seconds and the modules it imports.

``benchmarks/phases.py`` warms its children up before timing them, so it does not see what the
write imports on a fresh process's first run (as every ``restvarme run`` is). Here each child
imports the numerical stack (and dask.array, which xarray imports on a run's first DataArray),
loads a results Dataset and times ``write_results`` into a new folder: CPU seconds, wall seconds
and the number of modules the write imported. Children alternate between the ``--src`` folders
(e.g. main's and a branch's), ``--repeat`` times each; the medians are printed.

Usage::

    python benchmarks/first_write.py --results out/lund/results.nc
    python benchmarks/first_write.py --results out/lund/results.nc --src /work/main/src src
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

CHILD = r"""
import sys, time
import numpy, pandas, xarray as xr, linopy, highspy, netCDF4, pydantic, yaml  # numerical stack
import dask.array  # imported by xarray on the first DataArray of any run
with xr.open_dataset(sys.argv[1]) as opened:
    ds = opened.load()
for var in ds.variables.values():
    var.encoding = {}
before = len(sys.modules)
wall, cpu = time.perf_counter(), time.process_time()
from restvarme.results.io import write_results
write_results(ds, sys.argv[2], "{}")
print(time.process_time() - cpu, time.perf_counter() - wall, len(sys.modules) - before)
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True, help="a run folder's results.nc")
    parser.add_argument("--src", type=Path, nargs="+", default=[HERE.parent / "src"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs: dict[Path, list[tuple[float, float, int]]] = {src: [] for src in args.src}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for k, src in enumerate(args.src):
                proc = subprocess.run(
                    [sys.executable, "-c", CHILD, str(args.results), f"{tmp}/{i}-{k}"],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "PYTHONPATH": str(src)},
                    check=True,
                )
                cpu, wall, modules = proc.stdout.split()
                runs[src].append((float(cpu), float(wall), int(modules)))
    print(f"{'src':50s}{'CPU s':>8s}{'wall s':>8s}{'modules':>9s}")
    for src, rows in runs.items():
        med = [statistics.median(r[j] for r in rows) for j in range(3)]
        print(f"{src!s:50s}{med[0]:8.3f}{med[1]:8.3f}{med[2]:9.0f}")
    print(f"median of {args.repeat} fresh processes each, alternating")


if __name__ == "__main__":
    main()
