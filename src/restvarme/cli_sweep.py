"""Command-line scenario sweeps: ``restvarme sweep SWEEP.yaml`` (docs/sweep.md).

A thin shell over :mod:`restvarme.sweep`: check the sweep file, run its cases (local processes,
a Dask LocalCluster or a Dask scheduler), write the table and the report, print a summary.
Wire it into the main app with ``register(app)``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from restvarme.cli_options import Solver

if TYPE_CHECKING:
    from restvarme.sweep.record import StoreRecorder
    from restvarme.sweep.spec import Sweep

console = Console(width=None if sys.stdout.isatty() else 132)  # as restvarme.cli: piped, wide
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
"""Exit code of a sweep stopped by Ctrl-C (what it finished is kept: run it again to resume)."""


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="The sweep file (SWEEP.yaml).")],
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a Dask scheduler to run the cases on (tcp://host:8786)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Run the cases on a Dask LocalCluster of this many workers."),
    ] = None,
    processes: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Local worker processes when no Dask option is given [default: the cores]; "
            "0 runs the cases in this process.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder [default: out/<sweep file name>].")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run the cases that failed before again.")
    ] = False,
    solver: Solver = "highs",
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="Solve each one-year case in the worker's HiGHS model, changed in place, from "
            "the last case's basis (same objective; see docs/sweep.md).",
        ),
    ] = False,
    stochastic: Annotated[
        bool,
        typer.Option(
            "--stochastic",
            help="Also choose one plan for all cases as scenarios (two-stage, one LP) and compare "
            "it with each case's own plan; on by default when the sweep file has `stochastic:`.",
        ),
    ] = False,
    store: Annotated[
        str | None,
        typer.Option(
            help="Also record each case as a run of the base scenario in this store (data "
            "folder or database URL); each case then writes its run folder."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run a scenario sweep: every case a full run; resumes where an interrupted one stopped."""
    from restvarme.errors import RestvarmeError
    from restvarme.sweep.execute import run_sweep
    from restvarme.sweep.report import write_sweep_report
    from restvarme.sweep.results import figure_columns
    from restvarme.sweep.spec import SweepError, load_sweep, stochastic_problems

    if scheduler is not None and workers is not None:
        raise _fail("give --scheduler or --workers, not both")
    try:
        spec = load_sweep(sweep_file)
        two_stage = stochastic or spec.spec.stochastic is not None
        if two_stage:
            problems = stochastic_problems(spec.spec, spec.base.scenario, asked=True)
            if problems:
                raise SweepError([replace(p, file=sweep_file) for p in problems])
        target = out or Path("out") / sweep_file.stem
        recorder = _recorder(store, spec, target, solver) if store else None
        done = run_sweep(
            spec,
            target,
            processes=processes,
            workers=workers,
            scheduler=scheduler,
            retry_failed=retry_failed,
            solver=solver,
            resolve=resolve,
            progress=not quiet,
            on_record=recorder,
            run_folders=recorder is not None,
        )
        plans = None
        if two_stage and not done.interrupted:
            from restvarme.sweep.stochastic import run_stochastic, summary

            err_console.print("two-stage plan over the cases as scenarios ...")
            comparison = run_stochastic(spec, target, solver=solver)
            risk = {"cvar_weight": comparison.risk.lam, "cvar_alpha": comparison.risk.alpha}
            plans = (comparison.table(), {**summary(comparison), **risk})
    except RestvarmeError as error:
        raise _fail(str(error)) from None
    import pandas as pd

    table = pd.read_parquet(target / "results.parquet")
    design = spec.spec.design
    what = design.kind.replace("_", " ") + (
        f", {design.cases} cases, seed {design.seed}" if design.cases else ""
    )
    report = write_sweep_report(
        target, table, name=spec.name, base=spec.spec.base, design=what, stochastic=plans
    )
    if done.ignored_files:
        console.print(
            f"{done.ignored_files} case files in {escape(str(target / 'cases'))} belong to an "
            "earlier version of the sweep (base scenario, series or values changed): not used."
        )
    _print_summary(table, figure_columns(table))
    if plans is not None:
        _print_plans(*plans)
    console.print(
        f"{len(done.cases)} cases: {done.ran} run now, {done.skipped} done before, "
        f"{int((table['status'] != 'ok').sum())} failed. Table: {escape(str(target))}"
        f"/results.parquet; report: {escape(str(report))}",
        highlight=False,
    )
    if recorder is not None:
        recorder.store.close()
        console.print(
            f"{len(recorder.recorded)} cases recorded as runs of scenario version "
            f"{recorder.version_id} in the store {escape(str(store))}",
            highlight=False,
        )
    if done.lost:
        err_console.print(
            f"{done.lost} cases were lost with a worker process that died; they are not "
            "recorded: run the same command again to run them"
        )
    if done.interrupted:
        err_console.print(
            f"interrupted after {len(table)} of {len(done.cases)} cases; run the same command "
            "again to resume"
        )
        raise typer.Exit(EXIT_INTERRUPTED)


def _print_summary(table: object, figures: list[str]) -> None:
    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    ok = table[table["status"] == "ok"]
    if not len(ok):
        return
    grid = Table("figure", "mean", "min", "max", title="Figures over the cases that ran")
    for name in figures:
        values = ok[name].astype(float)
        grid.add_row(
            escape(name), *(f"{v:,.2f}" for v in (values.mean(), values.min(), values.max()))
        )
    console.print(grid)
    for i, error in table.loc[table["status"] != "ok", "error"].items():
        err_console.print(f"case {i} failed: {escape(str(error))}", highlight=False, soft_wrap=True)


def _recorder(store: str, spec: Sweep, target: Path, solver: str) -> StoreRecorder:
    """The run store's recorder of the sweep's cases (restvarme.sweep.record)."""
    from restvarme.cli import _slug
    from restvarme.cli_serve import open_store, scenario_files
    from restvarme.sweep.record import StoreRecorder

    target.mkdir(parents=True, exist_ok=True)
    opened = open_store(store)
    name = _slug(spec.base.scenario.name)[:64]
    return StoreRecorder(opened, target, name, scenario_files(spec.base), spec.name, solver)


def _print_plans(plans: object, headline: dict[str, float]) -> None:
    import pandas as pd

    from restvarme.sweep.report import STOCHASTIC_HEADLINES

    assert isinstance(plans, pd.DataFrame)
    grid = Table("plan", *[c for c in plans.columns if not c.startswith("cost_eur.case_")])
    grid.title = "Two-stage plan beside each case's own plan [EUR over the horizon]"
    for plan, row in plans.iterrows():
        grid.add_row(
            escape(str(plan)),
            *(f"{row[c]:,.2f}" for c in plans.columns if not c.startswith("cost_eur.case_")),
        )
    console.print(grid)
    for key, label in STOCHASTIC_HEADLINES.items():
        console.print(f"{label}: {headline[key]:,.2f} EUR", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the main ``restvarme`` app."""
    app.command("sweep")(sweep)
