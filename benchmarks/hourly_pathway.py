"""The Lund 2030 pathway planned hour by hour: what the warm start makes of a three-period plan.

``examples/lund_2030`` plans 2026, 2028 and 2030 on 12 typical days. This script plans it on all
8760 hours of each period (3 × 8760 snapshots in one LP, with the 2030 neutrality target) and
prints restvarme's phases, the solver's own time, the objective and what is built in each
period. By default the solve starts warm from the plan on 8-hour blocks
(:mod:`restvarme.model.warm_start`); ``--cold-start`` solves from scratch for comparison.

Usage::

    python benchmarks/hourly_pathway.py                 # warm start (restvarme's default)
    python benchmarks/hourly_pathway.py --cold-start    # from scratch
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import tempfile
import time
from pathlib import Path

import yaml

import restvarme

ROOT = Path(__file__).resolve().parents[1]
LUND_2030 = ROOT / "examples" / "lund_2030" / "scenario.yaml"


def hourly_scenario(folder: Path) -> Path:
    """The Lund 2030 pathway with every hour of each period, written to ``folder`` with a copy
    of its price series (series are read from the scenario's own folder only)."""
    data = yaml.safe_load(LUND_2030.read_text(encoding="utf-8"))
    data["horizon"] = {"hours": 8760}
    price = data["electricity"]["price_eur_per_mwh"]
    if isinstance(price, str):
        source = (LUND_2030.parent / price).resolve()
        shutil.copy(source, folder / source.name)
        data["electricity"]["price_eur_per_mwh"] = source.name
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-start", action="store_true", help="solve from scratch")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = hourly_scenario(Path(tmp))
        start = time.perf_counter()
        ds = restvarme.run(path, warm_start=False if args.cold_start else None)
        wall = time.perf_counter() - start
    phases = ast.literal_eval(ds.attrs["timings_s"])
    built = ds["capacity_built"].to_series()
    print(f"Lund 2030 pathway, 3 periods x 8760 h, {'cold' if args.cold_start else 'warm'} start")
    print(f"  run() {wall:.1f} s; solver's own time {ds.attrs['solver_seconds']:.1f} s")
    print(
        "  load average (1 min) before/after: "
        f"{load_before[0]:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print("  phases: " + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()))
    print(f"  objective {ds.attrs['objective_eur']:.6e} EUR (discounted)")
    print("  built [MW; MWh for stores]:")
    for (period, unit), value in built[built.abs() > 1e-6].items():
        print(f"    {period} {unit:20} {value:12.3f}")


if __name__ == "__main__":
    main()
