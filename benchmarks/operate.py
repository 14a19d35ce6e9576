"""The Lund year operated on a rolling horizon: wall time, time per window, cost of foresight.

Runs :func:`restvarme.operate.operate` on the built-in Lund example (8,760 hours) with windows
of ``--horizon`` hours stepping ``--step`` hours (48/24 by default: 364 windows, the last
committing 48 hours), once per forecast asked for, and prints for each: the wall time; the
seconds of the perfect-foresight year and of the re-dispatch on the real series; the seconds
per window (median and mean, and of the mean the model build and HiGHS's own run; the rest is
the forecast, the hand-over and reading the levels); the objective of the rolling year against
the perfect-foresight year; the store levels off plan and the unserved heat.

Usage::

    python benchmarks/operate.py                                # perfect, persistence, noise
    python benchmarks/operate.py --forecast perfect --horizon 72 --step 24
    python benchmarks/operate.py --scenario path/to/scenario.yaml --hours 720
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import restvarme
from restvarme.operate import Operation, operate
from restvarme.scenario.load import ScenarioFile

LUND = Path(__file__).resolve().parents[1] / "examples" / "lund" / "scenario.yaml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=LUND)
    parser.add_argument("--horizon", type=int, default=48)
    parser.add_argument("--step", type=int, default=24)
    parser.add_argument("--forecast", nargs="+", default=["perfect", "persistence", "noise"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hours", type=int, default=None, help="Cut the horizon to this.")
    args = parser.parse_args(argv)
    sf = restvarme.load(args.scenario)
    if args.hours:
        horizon = sf.scenario.horizon.model_copy(update={"hours": args.hours})
        sf = ScenarioFile(sf.scenario.model_copy(update={"horizon": horizon}), sf.path, sf.base_dir)
    print(
        f"scenario {args.scenario}: {sf.scenario.horizon.hours} h, {len(sf.scenario.units)} "
        f"units; windows of {args.horizon} h stepping {args.step} h"
    )
    for name in args.forecast:
        start = time.perf_counter()
        op = operate(sf, horizon_h=args.horizon, step_h=args.step, forecast=name, seed=args.seed)
        wall = time.perf_counter() - start
        w, a = op.windows, op.results.attrs
        perfect, rolling, extra = op.foresight().loc["objective"]
        print(
            f"\nforecast {name}" + (f" (seed {args.seed})" if name == "noise" else "") + ":\n"
            f"  wall time                 {wall:8.1f} s  ({len(w)} windows)\n"
            f"  perfect-foresight year    {a['operate_perfect_foresight_seconds']:8.1f} s\n"
            f"  re-dispatch of the year   {a['operate_evaluation_seconds']:8.1f} s\n"
            f"  per window, median / mean {w['seconds'].median():8.3f} / "
            f"{w['seconds'].mean():.3f} s  (build {w['build_seconds'].mean():.3f} s, "
            f"HiGHS {w['solver_seconds'].mean():.3f} s)\n"
            f"  objective, perfect        {perfect / 1e6:12.4f} MEUR\n"
            f"  objective, rolling        {rolling / 1e6:12.4f} MEUR\n"
            f"  cost of foresight         {extra / 1e6:12.4f} MEUR ({extra / abs(perfect):+.3%})\n"
            f"  store levels off plan     {a['operate_off_plan_mwh']:12.1f} MWh "
            f"(penalty {_penalty(op) / 1e6:.4f} MEUR, in the rolling objective)\n"
            f"  unserved heat             {float(op.results['unserved_heat_mwh'].sum()):12.1f} MWh"
        )


def _penalty(op: Operation) -> float:
    """The schedule penalty of the rolling year [EUR] (0 without one)."""
    costs = op.results["cost_eur"]
    items = list(costs["cost_item"].values)
    return (
        float(costs.sel(cost_item="store_schedule_penalty"))
        if "store_schedule_penalty" in items
        else 0.0
    )


if __name__ == "__main__":
    main()
