"""Time aggregation: solve-time speed-up and objective error of coarser planning runs.

restvarme's ``horizon.resolution_h`` merges blocks of hours into one snapshot, and
``horizon.typical_days`` represents the year by tsam typical days with stores linked across the
real sequence of days (:mod:`restvarme.inputs.aggregate`). This script plans the one-year Lund
expansion system (``_expansion.py``: 8760 h, six extendable options) at each resolution and
number of typical days and measures:

* the speed-up of the planning run over the hourly one solved from scratch ("1 h (cold)"): the
  solver's own time, and restvarme's whole ``run`` (inputs, build, solve, results; the one-off
  lazy imports left out). "1 h (warm)" is the same hourly plan started from restvarme's
  8-hour-block plan (:mod:`restvarme.model.warm_start`), which is what ``restvarme.run`` does
  by default;
* the objective error, the honest way: the capacities chosen at that resolution are made
  existing (no expansion) and dispatched over the full hourly year; that dispatch cost plus the
  plan's capital cost is compared with the hourly plan's optimum. The coarse run's own objective
  (what it believes the plan costs) and the unserved heat of the hourly re-run are printed too.

Typical days are measured only where restvarme's scenario schema has ``horizon.typical_days``;
otherwise the output says they are not implemented.

Usage::

    python benchmarks/aggregation.py                        # 1 2 4 8 h and 8 16 32 typical days
    python benchmarks/aggregation.py --resolutions 1 4 24 --typical-days
"""

from __future__ import annotations

import argparse
import ast
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _expansion import lund_expansion_dict, with_capacities, write_scenario

import restvarme

NOTE = (
    "tsam typical periods are not implemented in this restvarme (no horizon.typical_days): "
    "only uniform down-sampling (resolution_h) is measured."
)


def typical_days_supported() -> bool:
    from restvarme.scenario.schema import Horizon

    return "typical_days" in Horizon.model_fields


def _seconds(ds) -> float:
    """restvarme's run time without the one-off lazy imports [s]."""
    phases = ast.literal_eval(ds.attrs["timings_s"])
    return sum(v for k, v in phases.items() if k != "import")


def plan_and_check(label: str, horizon: dict, folder: Path, warm: bool | None = None) -> dict:
    """Plan on the aggregated ``horizon``, then dispatch the chosen capacities hourly.

    ``warm`` is passed to ``restvarme.run(warm_start=...)``: the hourly reference is solved cold
    (from scratch), and once more warm (from restvarme's 8-hour-block plan) for comparison.
    """
    data = lund_expansion_dict(1)
    data["horizon"] = {"hours": 8760, **horizon}
    tag = label.replace(" ", "_").replace("(", "").replace(")", "")
    plan = restvarme.run(write_scenario(data, folder / f"plan_{tag}"), warm_start=warm)
    built = {str(k): float(v) for k, v in plan["capacity_new"].to_series().items()}
    capital = float(plan["cost_eur"].sel(cost_item="capital"))
    hourly = with_capacities(lund_expansion_dict(1), built)
    check = restvarme.run(write_scenario(hourly, folder / f"check_{tag}"))
    return {
        "label": label,
        "snapshots": plan.sizes["snapshot"],
        "solver_s": float(plan.attrs["solver_seconds"]),
        "run_s": _seconds(plan),
        "own_objective": plan.attrs["objective_eur"],
        "rerun_cost": check.attrs["objective_eur"] + capital,
        "unserved_mwh": float(check["unserved_heat_mwh"].sum()),
        "built": {k: v for k, v in built.items() if abs(v) > 1e-6},
    }


def table(rows: list[dict], typical_note: str = "") -> str:
    base = rows[0]  # the hourly plan
    best = base["rerun_cost"]
    lines = [
        f"{'aggregation':>15}{'snapshots':>10}{'solver [s]':>11}{'run [s]':>9}{'speed-up':>9}"
        f"{'(run)':>7}{'own obj [MEUR]':>15}{'own err':>9}{'hourly re-run [MEUR]':>21}"
        f"{'error':>9}{'unserved [MWh]':>15}",
    ]
    for r in rows:
        lines.append(
            f"{r['label']:>15}{r['snapshots']:>10}{r['solver_s']:>11.2f}{r['run_s']:>9.2f}"
            f"{base['solver_s'] / r['solver_s']:>8.1f}x{base['run_s'] / r['run_s']:>6.1f}x"
            f"{r['own_objective'] / 1e6:>15.4f}{(r['own_objective'] - best) / best:>+9.2%}"
            f"{r['rerun_cost'] / 1e6:>21.4f}{(r['rerun_cost'] - best) / best:>+9.3%}"
            f"{r['unserved_mwh']:>15.1f}"
        )
    units = sorted({u for r in rows for u in r["built"]})
    lines += [
        "",
        "capacity built [MW; MWh for stores]",
        f"{'aggregation':>15}" + "".join(f"{u:>18}" for u in units),
    ]
    for r in rows:
        lines.append(
            f"{r['label']:>15}" + "".join(f"{r['built'].get(u, 0.0):>18.2f}" for u in units)
        )
    lines += [
        "",
        "error: (hourly dispatch of the plan's capacities + the plan's capital cost - the hourly "
        "plan's optimum) / that optimum; own err: the coarse run's own objective against it.",
    ]
    if typical_note:
        lines.append(typical_note)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--resolutions",
        type=int,
        nargs="+",
        default=[1, 2, 4, 8],
        help="hours per block (1 is always run: the reference)",
    )
    parser.add_argument(
        "--typical-days",
        type=int,
        nargs="*",
        default=[8, 16, 32],
        help="numbers of typical days (none: skip)",
    )
    args = parser.parse_args(argv)
    cases = [("1 h (cold)", {"resolution_h": 1}, False), ("1 h (warm)", {"resolution_h": 1}, None)]
    cases += [(f"{r} h", {"resolution_h": r}, None) for r in sorted(set(args.resolutions) - {1})]
    note = ""
    if args.typical_days and typical_days_supported():
        cases += [(f"{d} typical days", {"typical_days": d}, None) for d in args.typical_days]
    elif args.typical_days:
        note = NOTE
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, horizon, warm in cases:
            rows.append(plan_and_check(label, horizon, Path(tmp), warm))
            r = rows[-1]
            print(
                f"  {label}: planned in {r['run_s']:.1f} s (solver {r['solver_s']:.1f} s), "
                f"re-run hourly",
                flush=True,
            )
    print(
        f"\nOne-year Lund expansion system (8760 h, 6 extendable options), HiGHS default "
        f"settings\n\n{table(rows, note)}"
    )


if __name__ == "__main__":
    main()
