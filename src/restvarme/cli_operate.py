"""``restvarme operate``: a scenario's year operated on a rolling horizon (restvarme.operate).

Writes a run folder like ``restvarme run`` (the same files, read unchanged by ``report``,
``accounts`` and ``compare``) and, beside them:

* ``operate_foresight.csv`` — each cost item of the perfect-foresight year and of the rolling
  year, and their difference (the cost of imperfect foresight) [EUR];
* ``operate_windows.csv`` — per window: start, hours planned and committed, planned objective
  [EUR], seconds and CPU seconds (of them the build and HiGHS's run), and with unit
  commitment the LP relaxation and the gap reached;
* ``operate_day_ahead_plan.csv`` / ``.json`` and ``operate_call_off.csv`` — the plan of one
  window's committed hours per unit and hour, and what each waste-heat supplier is asked to
  deliver (restvarme.operate.export).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from restvarme.cli_options import OutFolder, Overwrite, Quiet, Solver

if TYPE_CHECKING:
    import pandas as pd

    from restvarme.operate.rolling import Operation, Window
    from restvarme.results.folder import OutputFolder


class ForecastName(StrEnum):
    perfect = "perfect"
    persistence = "persistence"
    noise = "noise"


def operate(
    scenario: Annotated[str, typer.Argument(help="Scenario file, folder, or example name (lund).")],
    horizon: Annotated[int, typer.Option(help="Hours planned per window.", min=1)] = 48,
    step: Annotated[
        int, typer.Option(help="Hours committed per window (the next window starts after).", min=1)
    ] = 24,
    forecast: Annotated[
        ForecastName,
        typer.Option(help="What windows decide on: the real series, yesterday's, or noisy."),
    ] = ForecastName.perfect,
    seed: Annotated[int, typer.Option(help="Seed of the noise forecast.")] = 0,
    initial_level_share: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Stores' level at the start as a share of their energy [default: where the "
            "perfect-foresight year starts].",
        ),
    ] = None,
    day_ahead: Annotated[
        str | None,
        typer.Option(
            help="Export the plan of the window committing this hour (e.g. 2030-01-15) "
            "[default: the first window]."
        ),
    ] = None,
    mip_gap: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Relative gap HiGHS's MIP stops at, for units with a `commitment` block, "
            "over the scenario's solver.mip_rel_gap [default: the scenario's, else "
            "HiGHS's 1e-4].",
        ),
    ] = None,
    out: OutFolder = None,
    solver: Solver = "highs",
    quiet: Quiet = False,
    overwrite: Overwrite = False,
) -> None:
    """Operate SCENARIO on a rolling horizon: plan HORIZON hours on a forecast, commit STEP
    hours, roll on; compare the year with perfect foresight (docs/operate.md)."""
    from restvarme.cli import _fail, default_out
    from restvarme.errors import RestvarmeError
    from restvarme.results.folder import output_folder

    if step > horizon:
        raise typer.BadParameter(f"the step ({step} h) exceeds the horizon ({horizon} h)")
    try:
        target = out or default_out(scenario)
        with output_folder(target, overwrite=overwrite, purpose="restvarme operate") as folder:
            op = _operate_into(
                folder, scenario, horizon, step, forecast, seed, initial_level_share, day_ahead,
                solver, quiet, mip_gap,
            )  # fmt: skip
            shown = folder.shown
    except RestvarmeError as error:
        raise _fail(error) from None
    if not quiet:
        from restvarme.cli import console, print_summary

        print_summary(op.results, console)
        print_foresight(op, console)
        console.print(f"Results written to [bold]{shown}[/]")


def _operate_into(
    folder: OutputFolder,
    scenario: str,
    horizon: int,
    step: int,
    forecast: ForecastName,
    seed: int,
    initial_level_share: float | None,
    day_ahead: str | None,
    solver: str,
    quiet: bool,
    mip_gap: float | None = None,
) -> Operation:
    """Solve the rolling year and commit its files into ``folder`` (an OutputFolder)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    import restvarme
    from restvarme.cli import err_console
    from restvarme.inputs.build import snapshots
    from restvarme.operate import export
    from restvarme.operate.rolling import check_operable, windows
    from restvarme.operate.rolling import operate as run_operation
    from restvarme.results.io import resolved_scenario_json, result_files

    sf = restvarme.load(scenario)
    check_operable(sf)
    index = snapshots(sf.scenario)
    planned = windows(len(index), horizon, step)
    chosen = _day_ahead_window(planned, index, day_ahead)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
    )
    with progress:
        task = progress.add_task("Perfect-foresight year, then windows", total=len(planned))

        def on_window(w: Window, total: int) -> None:
            progress.update(task, description="Operating window by window", advance=1)

        op = run_operation(
            sf,
            horizon_h=horizon,
            step_h=step,
            forecast=forecast.value,
            seed=seed,
            initial_level_share=initial_level_share,
            solver=solver,
            mip_rel_gap=mip_gap,
            keep_plans=(chosen.index,),
            on_window=on_window,
        )
    plan = export.committed(op.plans[chosen.index], chosen.commit - chosen.start)
    about = {
        "scenario": sf.scenario.name,
        "forecast": forecast.value,
        "seed": seed if forecast is ForecastName.noise else None,
        "window": chosen.index,
        "window_start": index[chosen.start].isoformat(),
        "horizon_h": horizon,
        "committed_h": chosen.commit - chosen.start,
    }
    files = result_files(op.results, resolved_scenario_json(sf))
    files.update(
        {
            "operate_foresight.csv": _csv(op.foresight(), "%.6f"),
            "operate_windows.csv": _csv(op.windows, "%.6g"),
            "operate_day_ahead_plan.csv": _csv(export.day_ahead_plan(plan), "%.6f"),
            "operate_call_off.csv": _csv(export.call_off(plan), "%.6f"),
            "operate_day_ahead_plan.json": lambda p: p.write_text(
                export.day_ahead_json(plan, about), encoding="utf-8"
            ),
        }
    )
    folder.commit(files)
    return op


def _csv(table: pd.DataFrame, float_format: str) -> Callable[[Path], object]:
    return lambda path: table.to_csv(path, float_format=float_format)


def _day_ahead_window(planned: list[Window], index: pd.DatetimeIndex, day: str | None) -> Window:
    """The window whose committed hours hold ``day`` (the first without it)."""
    import pandas as pd

    if day is None:
        return planned[0]
    try:
        when = pd.Timestamp(day)
    except ValueError:
        raise typer.BadParameter(
            f"{day!r} is not a date or time", param_hint="--day-ahead"
        ) from None
    for w in planned:
        if index[w.start] <= when < index[w.commit - 1] + pd.Timedelta(hours=1):
            return w
    raise typer.BadParameter(
        f"{day} is not within the horizon ({index[0]} to {index[-1]})", param_hint="--day-ahead"
    )


def print_foresight(op: Operation, out: Console) -> None:
    """One line: the rolling year's cost, perfect foresight's, and the difference."""
    table = op.foresight()
    perfect, rolling, extra = table.loc["objective"]
    a = op.results.attrs
    share = extra / abs(perfect) if perfect else float("nan")
    out.print(
        f"Operated on {a['operate_windows']} windows of {a['operate_horizon_h']} h stepping "
        f"{a['operate_step_h']} h, forecast {a['operate_forecast']}: "
        f"{rolling / 1e6:,.4f} MEUR against {perfect / 1e6:,.4f} MEUR with perfect foresight; "
        f"cost of imperfect foresight {extra / 1e6:,.4f} MEUR ({share:+.2%})"
    )
    off = float(a.get("operate_off_plan_mwh", 0.0))
    if off > 1e-6:
        penalty = float(table.loc["store_schedule_penalty", "rolling_eur"])
        out.print(
            f"of which {penalty / 1e6:,.4f} MEUR is the penalty on {off:,.1f} MWh of store level "
            "the real hours could not keep on plan (docs/operate.md)"
        )
    if "operate_windows_max_mip_gap" in a:
        out.print(
            f"Unit commitment (MIP to a relative gap of {a['operate_mip_rel_gap']:.2g}): the "
            f"perfect-foresight year's LP relaxation "
            f"{a['perfect_foresight_relaxation_objective_eur'] / 1e6:,.4f} MEUR, gap reached "
            f"{a['perfect_foresight_mip_gap']:.2g}; the windows planned "
            f"{a['operate_windows_planned_objective_eur'] / 1e6:,.4f} MEUR against "
            f"{a['operate_windows_relaxation_objective_eur'] / 1e6:,.4f} MEUR relaxed, "
            f"largest gap reached {a['operate_windows_max_mip_gap']:.2g}"
        )


def register(app: typer.Typer) -> None:
    """Add ``operate`` to the main ``restvarme`` app."""
    app.command("operate")(operate)
