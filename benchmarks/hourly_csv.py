"""Time the hourly CSV files of a run folder (restvarme.results.hourly) on a full year.

    python benchmarks/hourly_csv.py                 # solves the Lund example once
    python benchmarks/hourly_csv.py out/lund        # a run folder written before

Prints the median over ``--repeat`` runs of making the three tables and of writing them, and the
sizes of the files. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from restvarme.results.hourly import hourly_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", nargs="?", help="run folder [default: solve lund]")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.run_dir:
        from restvarme.results.io import read_results

        ds = read_results(args.run_dir)
    else:
        import restvarme

        ds = restvarme.run("lund")
    make, write = [], []
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            files = hourly_files(ds)
            t1 = time.perf_counter()
            for name, writer in files.items():
                writer(Path(tmp) / name)
            t2 = time.perf_counter()
            make.append(t1 - t0)
            write.append(t2 - t1)
        sizes = {name: (Path(tmp) / name).stat().st_size for name in files}
    print(f"snapshots: {ds.sizes['snapshot']:,}; files: {len(sizes)}")
    for name, size in sizes.items():
        print(f"  {name}: {size / 1e6:.2f} MB")
    print(f"make tables: {statistics.median(make):.3f} s (median of {args.repeat})")
    print(f"write files: {statistics.median(write):.3f} s")
    total = statistics.median(m + w for m, w in zip(make, write, strict=True))
    print(f"total:       {total:.3f} s")


if __name__ == "__main__":
    main()
