"""The Lund year operated on a rolling horizon: wall time, time per window, cost of foresight.

Runs :func:`restvarme.operate.operate` on the built-in Lund example (8,760 hours) with windows
of ``--horizon`` hours stepping ``--step`` hours (48/24 by default: 364 windows, the last
committing 48 hours), once per forecast asked for, and prints for each: the wall time; the
seconds of the perfect-foresight year and of the re-dispatch on the real series; the seconds
per window (median and mean, and of the mean the model build and HiGHS's own run; the rest is
the forecast, the hand-over and reading the levels) and the CPU seconds per window (which hold
up on a loaded machine; ``--reuse`` solves the LP windows in one HiGHS instance changed in
place instead of handing each to a new one, restvarme's default); the objective of the rolling
year against the perfect-foresight year; the store levels off plan and the unserved heat.

``--commitment`` runs each forecast twice: as the scenario is (an LP), then with unit
commitment (a MILP per window, HiGHS to ``--mip-gap``) on the CHPs and fuel boilers, with the
blocks of :data:`COMMITMENT` (benchmark assumptions, not data: a wood-chip CHP that runs at
least 40 % of its fuel input, 6 h up and 4 h down once it changes, 2,000 EUR per start; fuel
boilers at least 20-30 % of capacity, 2 h up, 100-300 EUR per start). It then also prints the
LP relaxations and gaps reached.

``--pypsa`` also runs PyPSA's ``optimize_with_rolling_horizon`` (horizon = ``--horizon``,
overlap = horizon - step) on the same inputs translated by ``restvarme_peers`` (with the same
commitment, when asked: committable Generators and Links), and prints its wall time and the
year's operating cost, which is not restvarme's rolling objective: PyPSA's windows keep the
peer's cyclic stores (each window ends where it started) instead of restvarme's end-of-window
rule, and it re-dispatches nothing on the real series (perfect forecasts only). The peer does
not map waste-heat streams with temperatures, so ``--pypsa`` runs every case, restvarme's
too, on the scenario with its waste-heat sources as pools (``min_temperature_c`` and
``reference_temperature_c`` removed: :func:`as_pools`).

``--windows-only`` times the windows alone (no perfect-foresight year, no re-dispatch; stores
start half full), in CPU seconds per window; it runs on an older restvarme too, so a change is
timed before and after with one script (``PYTHONPATH=<checkout>/src``).

Usage::

    python benchmarks/operate.py                                # perfect, persistence, noise
    python benchmarks/operate.py --forecast perfect --horizon 72 --step 24
    python benchmarks/operate.py --scenario path/to/scenario.yaml --hours 720
    python benchmarks/operate.py --forecast perfect --commitment --pypsa
    python benchmarks/operate.py --forecast perfect --hours 504 --windows-only --commitment
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import restvarme
from restvarme.operate import Operation, operate
from restvarme.scenario.load import ScenarioFile
from restvarme.units._commitment import Commitment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "peers"))  # restvarme_peers

COMMITMENT = {
    "chp": Commitment(
        min_load_share=0.4, startup_cost_eur=2000, min_up_time_h=6, min_down_time_h=4
    ),
    "boiler": Commitment(min_load_share=0.3, startup_cost_eur=300, min_up_time_h=2),
    "bio_oil": Commitment(min_load_share=0.2, startup_cost_eur=100, min_up_time_h=2),
}
"""The commitment blocks ``--commitment`` gives (benchmark assumptions, module docstring): the
CHPs, the fuel boilers, and those burning bio_oil (the peak boilers)."""

LUND = Path(__file__).resolve().parents[1] / "examples" / "lund" / "scenario.yaml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=LUND)
    parser.add_argument("--horizon", type=int, default=48)
    parser.add_argument("--step", type=int, default=24)
    parser.add_argument("--forecast", nargs="+", default=["perfect", "persistence", "noise"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hours", type=int, default=None, help="Cut the horizon to this.")
    parser.add_argument("--commitment", action="store_true", help="Also with unit commitment.")
    parser.add_argument("--mip-gap", type=float, default=1e-3)
    parser.add_argument(
        "--time-limit-s",
        type=float,
        default=None,
        help="HiGHS's time limit for each solve (a MIP keeps its incumbent and its gap).",
    )
    parser.add_argument("--pypsa", action="store_true", help="Also PyPSA's rolling horizon.")
    parser.add_argument("--no-lp", action="store_true", help="With --commitment: only that.")
    parser.add_argument(
        "--reuse",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="Solve the LP windows in one HiGHS instance changed in place (default: one each).",
    )
    parser.add_argument(
        "--windows-only",
        action="store_true",
        help="Time the windows alone (CPU per window), stores starting half full.",
    )
    args = parser.parse_args(argv)
    sf = restvarme.load(args.scenario)
    if args.hours:
        horizon = sf.scenario.horizon.model_copy(update={"hours": args.hours})
        sf = ScenarioFile(sf.scenario.model_copy(update={"horizon": horizon}), sf.path, sf.base_dir)
    print(
        f"scenario {args.scenario}: {sf.scenario.horizon.hours} h, {len(sf.scenario.units)} "
        f"units; windows of {args.horizon} h stepping {args.step} h"
    )
    if args.pypsa:
        sf = as_pools(sf)
        print("waste-heat sources as pools (no stream temperatures), as the PyPSA peer maps them")
    cases = [] if args.no_lp and args.commitment else [("LP", sf)]
    if args.commitment:
        cases.append(("unit commitment", with_commitment(sf)))
    for label, case in cases:
        for name in args.forecast:
            if args.windows_only:
                _windows_only(case, label, name, args)
            else:
                _operate(case, label, name, args)
        if args.pypsa:
            _pypsa_rolling(case, label, args)


def as_pools(sf: ScenarioFile) -> ScenarioFile:
    """The scenario with every waste-heat source a pool (no stream temperatures)."""
    pools = {
        name: source.model_copy(update={"min_temperature_c": None, "reference_temperature_c": None})
        for name, source in sf.scenario.waste_heat.items()
    }
    scenario = sf.scenario.model_copy(update={"waste_heat": pools})
    return ScenarioFile(scenario, sf.path, sf.base_dir)


def with_commitment(sf: ScenarioFile) -> ScenarioFile:
    """The scenario with :data:`COMMITMENT` on its CHPs and fuel boilers."""
    units = []
    for unit in sf.scenario.units:
        block = None
        if unit.type == "chp":
            block = COMMITMENT["chp"]
        elif unit.type == "boiler":
            block = COMMITMENT["bio_oil" if unit.fuel == "bio_oil" else "boiler"]
        units.append(unit if block is None else unit.model_copy(update={"commitment": block}))
    scenario = sf.scenario.model_copy(update={"units": units})
    return ScenarioFile(scenario, sf.path, sf.base_dir)


def _operate(sf: ScenarioFile, label: str, name: str, args: argparse.Namespace) -> None:
    start, start_cpu = time.perf_counter(), time.process_time()
    op = operate(
        sf,
        horizon_h=args.horizon,
        step_h=args.step,
        forecast=name,
        seed=args.seed,
        mip_rel_gap=args.mip_gap if label != "LP" else None,
        solver_options=None if args.time_limit_s is None else {"time_limit": args.time_limit_s},
        reuse=args.reuse,
    )
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    w, a = op.windows, op.results.attrs
    perfect, rolling, extra = op.foresight().loc["objective"]
    print(
        f"\n{label}, forecast {name}" + (f" (seed {args.seed})" if name == "noise" else "") + ":\n"
        f"  wall time                 {wall:8.1f} s  ({len(w)} windows; CPU {cpu:.1f} s)\n"
        f"  perfect-foresight year    {a['operate_perfect_foresight_seconds']:8.1f} s\n"
        f"  re-dispatch of the year   {a['operate_evaluation_seconds']:8.1f} s\n"
        f"  per window, median / mean {w['seconds'].median():8.3f} / "
        f"{w['seconds'].mean():.3f} s  (build {w['build_seconds'].mean():.3f} s, "
        f"HiGHS {w['solver_seconds'].mean():.3f} s)\n"
        f"  per window, CPU median / mean {w['cpu_seconds'].median():.3f} / "
        f"{w['cpu_seconds'].mean():.3f} s  ({a['operate_reused_windows']} of {len(w)} windows "
        "solved in the held HiGHS instance)\n"
        f"  objective, perfect        {perfect / 1e6:12.4f} MEUR\n"
        f"  objective, rolling        {rolling / 1e6:12.4f} MEUR\n"
        f"  cost of foresight         {extra / 1e6:12.4f} MEUR ({extra / abs(perfect):+.3%})\n"
        f"  store levels off plan     {a['operate_off_plan_mwh']:12.1f} MWh "
        f"(penalty {_penalty(op) / 1e6:.4f} MEUR, in the rolling objective)\n"
        f"  unserved heat             {float(op.results['unserved_heat_mwh'].sum()):12.1f} MWh"
    )
    if "operate_windows_max_mip_gap" in a:
        starts = float(op.results["cost_eur"].sel(cost_item="startup"))
        relaxed = a["perfect_foresight_relaxation_objective_eur"]
        print(
            f"  perfect year: LP relaxation {relaxed / 1e6:.4f} MEUR, gap reached "
            f"{a['perfect_foresight_mip_gap']:.2g} (asked "
            f"{a['operate_mip_rel_gap']:.2g}"
            + ("" if args.time_limit_s is None else f", time limit {args.time_limit_s:g} s")
            + ")\n"
            f"  windows: planned {a['operate_windows_planned_objective_eur'] / 1e6:.4f} MEUR, "
            f"LP relaxations {a['operate_windows_relaxation_objective_eur'] / 1e6:.4f} MEUR, "
            f"largest gap {a['operate_windows_max_mip_gap']:.2g}\n"
            f"  start-up cost, rolling    {starts / 1e6:12.4f} MEUR"
        )


def _windows_only(sf: ScenarioFile, label: str, name: str, args: argparse.Namespace) -> None:
    """The windows alone, timed in CPU seconds (which hold up on a loaded machine): the
    sequence of windows of :func:`restvarme.operate.rolling.operate` without the
    perfect-foresight year and the re-dispatch, every store starting half full, after one
    window run to warm up. Runs on an older restvarme too (one without ``reuse``), so that a
    change can be timed before and after with this one script."""
    from restvarme.inputs.build import build_inputs
    from restvarme.operate import rolling
    from restvarme.operate.forecast import forecast_by_name

    options = {"mip_rel_gap": args.mip_gap} if label != "LP" else None
    real = build_inputs(sf)
    planned = rolling.windows(real.sizes["snapshot"], args.horizon, args.step)
    start = rolling._year_start(real, None, rolling.store_types(real), 0.5)
    predict = forecast_by_name(name, args.seed)
    reusing = args.reuse and hasattr(rolling, "_resolver")
    extra = (rolling._resolver("highs", options),) if reusing else ()
    rolling._roll(real, planned[:1], predict, start, "highs", options, (), None, *extra)
    extra = (rolling._resolver("highs", options),) if reusing else ()
    began, began_cpu = time.perf_counter(), time.process_time()
    rows = rolling._roll(real, planned, predict, start, "highs", options, (), None, *extra)[2]
    wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    w = pd.DataFrame(rows)
    print(
        f"\n{label}, forecast {name}, windows only ({len(w)} windows, "
        f"{'one HiGHS instance' if reusing else 'a HiGHS instance each'} for LP windows):\n"
        f"  CPU per window            {cpu / len(w):8.3f} s  (wall {wall / len(w):.3f} s)\n"
        f"  of the wall: build / HiGHS {w['build_seconds'].mean():.3f} / "
        f"{w['solver_seconds'].mean():.3f} s\n"
        f"  planned objectives, sum   {w['planned_objective_eur'].sum() / 1e6:12.6f} MEUR"
    )


def _pypsa_rolling(sf: ScenarioFile, label: str, args: argparse.Namespace) -> None:
    """PyPSA's ``optimize_with_rolling_horizon`` on the same inputs (module docstring)."""
    from restvarme.inputs.build import build_inputs
    from restvarme_peers import pypsa_network as peer

    for name in ("pypsa", "linopy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    start = time.perf_counter()
    try:
        n = peer.to_pypsa(build_inputs(sf))
    except ValueError as error:
        print(f"\n{label}, PyPSA rolling horizon: not mapped ({error})")
        return
    built = time.perf_counter() - start
    n.optimize.optimize_with_rolling_horizon(
        horizon=args.horizon,
        overlap=args.horizon - args.step,
        solver_name="highs",
        extra_functionality=_windowed(peer),
        include_objective_constant=True,
        mip_rel_gap=args.mip_gap,
        log_to_console=False,
    )
    wall = time.perf_counter() - start
    rolling = float(n.statistics.opex().sum())
    start = time.perf_counter()
    whole = peer.to_pypsa(build_inputs(sf))
    peer.optimize(whole, mip_rel_gap=args.mip_gap, log_to_console=False)
    whole_s = time.perf_counter() - start
    perfect = float(whole.statistics.opex().sum())
    extra = rolling - perfect
    print(
        f"\n{label}, PyPSA optimize_with_rolling_horizon ({args.horizon} h, overlap "
        f"{args.horizon - args.step} h):\n"
        f"  wall time                 {wall:8.1f} s  (translation {built:.1f} s)\n"
        f"  perfect-foresight year    {whole_s:8.1f} s  (n.optimize, translation included)\n"
        f"  objective, perfect        {float(whole.objective) / 1e6:12.4f} MEUR (n.objective)\n"
        f"  opex, perfect             {perfect / 1e6:12.4f} MEUR (n.statistics.opex)\n"
        f"  opex, rolling             {rolling / 1e6:12.4f} MEUR (n.statistics.opex)\n"
        f"  cost of foresight         {extra / 1e6:12.4f} MEUR ({extra / abs(perfect):+.3%})"
    )


def _windowed(peer: Any) -> Callable[[Any, pd.Index], None]:
    """The peer's ``extra_functionality`` on one window: its hourly data in ``n.meta`` (arrays
    over the year's snapshots) cut to the window's snapshots while it adds its rows."""
    key = peer.META_KEY

    def extra(n: Any, snapshots: pd.Index) -> None:
        full, hours = n.meta[key], len(n.snapshots)
        where = n.snapshots.get_indexer(snapshots)

        def cut(value: Any) -> Any:
            if isinstance(value, dict):
                return {k: cut(v) for k, v in value.items()}
            if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == hours:
                return value[where]
            return value

        n.meta[key] = cut(full)
        try:
            peer.extra_functionality(n, snapshots)
        finally:
            n.meta[key] = full

    return extra


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
