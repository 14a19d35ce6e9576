"""Command-line interface: ``restvarme run|validate|schema|examples|climates``.

Every restvarme error (bad scenario, solver failure) prints a located message and exits with
code 2, without a traceback.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from restvarme.cli_options import OutFolder, Overwrite, Quiet, Solver
from restvarme.cli_tables import frame_table, number, row_name, share, text

if TYPE_CHECKING:
    import pandas as pd
    import xarray as xr

    from restvarme.results.folder import OutputFolder
    from restvarme.scenario.load import ScenarioFile

from restvarme.errors import RestvarmeError

app = typer.Typer(
    help="restvarme: plan district heating and cooling on waste heat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # help texts are plain text: "[default: out/<name>]" and "[t CO2e/MWh]" are not rich markup
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from restvarme import __version__

        typer.echo(f"restvarme {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """restvarme: plan district heating and cooling on waste heat."""


def _register_extensions() -> None:
    """Commands kept in their own modules (accounting, reports)."""
    from restvarme.cli_accounts import register as register_accounts
    from restvarme.cli_report import register as register_report
    from restvarme.cli_serve import register as register_serve

    register_accounts(app)
    register_report(app)
    __import__("restvarme.cli_operate", fromlist=["register"]).register(app)  # `operate`
    register_serve(app)
    __import__("restvarme.cli_sweep", fromlist=["register"]).register(app)  # `sweep`


_register_extensions()
# Wide enough for the summary tables when output goes to a file or pipe (rich assumes 80).
console = Console(width=None if sys.stdout.isatty() else 132)
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2
ColdStart = Annotated[
    bool,
    typer.Option(
        "--cold-start",
        help="Solve hourly expansion from scratch, not from a plan on 8-hour blocks "
        "(same optimum; the warm start is usually several times faster).",
    ),
]
"""The ``--cold-start`` option of ``run`` and ``plan`` (restvarme.model.warm_start)."""
AllowPath = Annotated[
    list[Path] | None,
    typer.Option(
        "--allow-path",
        exists=True,
        help="Also read series files from this folder (repeat for more); by default only the "
        "scenario's own folder.",
    ),
]
"""The ``--allow-path`` option of ``run``, ``plan`` and ``validate`` (see
:func:`restvarme.inputs.series.allow_paths`)."""


def _fail(error: RestvarmeError) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {error}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


Timings = Annotated[
    bool,
    typer.Option(
        "--timings", help="Print the seconds of each phase (imports, load ... write) at the end."
    ),
]
"""The ``--timings`` option of ``run`` (:func:`print_timings`)."""


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario file, folder, or example name (lund).")],
    out: OutFolder = None,
    solver: Solver = "highs",
    quiet: Quiet = False,
    report: Annotated[
        bool, typer.Option("--report", help="Also write report.html into the output folder.")
    ] = False,
    cold_start: ColdStart = False,
    allow_path: AllowPath = None,
    overwrite: Overwrite = False,
    timings: Timings = False,
    store: Annotated[
        str | None,
        typer.Option(help="Also record the run in this store (data folder or database URL)."),
    ] = None,
) -> None:
    """Solve the hourly dispatch of SCENARIO and write results to an output folder.

    Scenarios with extendable units also choose what to build; scenarios with a `pathway` are
    planned over all their periods (as `restvarme plan`).
    """
    _run(
        scenario,
        out,
        solver,
        quiet,
        report=report,
        cold_start=cold_start,
        allow_path=allow_path or [],
        overwrite=overwrite,
        timings=timings,
        store=store,
    )


@app.command()
def plan(
    scenario: Annotated[str, typer.Argument(help="Scenario with a pathway or extendable units.")],
    out: OutFolder = None,
    solver: Solver = "highs",
    quiet: Quiet = False,
    check: Annotated[
        bool,
        typer.Option(
            help="With time aggregation, re-run the plan hour by hour and print the error."
        ),
    ] = True,
    report: Annotated[
        bool, typer.Option("--report", help="Also write report.html into the output folder.")
    ] = False,
    cold_start: ColdStart = False,
    allow_path: AllowPath = None,
    overwrite: Overwrite = False,
) -> None:
    """Plan what to build and when: capacity expansion over a pathway's periods, with targets."""
    _run(
        scenario,
        out,
        solver,
        quiet,
        require_plan=True,
        check=check,
        report=report,
        cold_start=cold_start,
        allow_path=allow_path or [],
        overwrite=overwrite,
    )


def _run(*args: Any, allow_path: list[Path], **options: Any) -> None:
    """``_run_allowed`` with series files also read from the ``--allow-path`` folders."""
    import time

    from restvarme._imports import import_for_run

    start = time.perf_counter()
    import_for_run(freeze=True)  # with the collector held, once (restvarme._imports)
    options["import_s"] = time.perf_counter() - start
    from restvarme.inputs.series import allow_paths

    with allow_paths(*allow_path):
        _run_allowed(*args, **options)


def _run_allowed(
    scenario: str,
    out: Path | None,
    solver: str,
    quiet: bool,
    require_plan: bool = False,
    check: bool = False,
    report: bool = False,
    cold_start: bool = False,
    overwrite: bool = False,
    timings: bool = False,
    store: str | None = None,
    import_s: float = 0.0,
) -> None:
    """Check and lock the output folder (before any work when ``--out`` is given, else right
    after reading the scenario, whose name it takes), solve, and write the results atomically.
    ``import_s``: the seconds the run's imports took before (``run --timings`` shows them)."""
    from contextlib import ExitStack

    from restvarme.results.folder import output_folder

    command = "restvarme plan" if require_plan else "restvarme run"
    try:
        with ExitStack() as stack:
            recorded = None
            if store:  # restvarme.cli_serve: recorded from the start, ended failed or succeeded
                from restvarme.cli_serve import recording

                recorded = stack.enter_context(recording(store, scenario, solver))

            def open_folder(path: Path) -> OutputFolder:
                return stack.enter_context(
                    output_folder(path, overwrite=overwrite, purpose=command)
                )

            folder = open_folder(out or default_out(scenario))
            options = (require_plan, check, report, cold_start)
            on_phase = recorded.on_phase if recorded else None
            _solve_into(
                folder,
                scenario,
                solver,
                quiet,
                *options,
                timings=timings,
                also_on_phase=on_phase,
                import_s=import_s,
            )
            if recorded:  # the complete folder, still locked
                recorded.succeeded(folder.path)
                if not quiet:
                    console.print(
                        f"Recorded as run {recorded.run_id} in the store {store}", markup=False
                    )
    except RestvarmeError as error:
        raise _fail(error) from None


def _solve_into(
    folder: OutputFolder,
    scenario: str,
    solver: str,
    quiet: bool,
    require_plan: bool,
    check: bool,
    report: bool,
    cold_start: bool,
    timings: bool = False,
    also_on_phase: Callable[[str], None] | None = None,
    import_s: float = 0.0,
) -> None:
    """Read, solve and write into ``folder``; ``also_on_phase``: told each phase as it starts
    (``load`` ... ``results``, ``write``), as ``restvarme run --store`` records it.
    ``import_s``: the seconds the imports took before, counted in the ``import`` phase and the
    total that ``--timings`` prints."""
    import time

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    import restvarme
    from restvarme.api import phase_seconds
    from restvarme.results.io import resolved_scenario_json, result_files

    clock = time.perf_counter()

    labels = {
        "load": "Reading and validating the scenario",
        "inputs": "Preparing weather, demand, temperatures and COP",
        "build": "Building the optimisation model",
        "warm_start": "Planning on blocks of hours to start the solve warm",
        "solve": "Solving",
        "results": "Collecting results",
    }
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    with progress:
        task = progress.add_task("Starting", total=len(labels) + 1)

        def on_phase(name: str) -> None:
            progress.update(task, description=labels[name], advance=1)
            if also_on_phase is not None:
                also_on_phase(name)

        on_phase("load")
        sf = restvarme.load(scenario)
        load_s = time.perf_counter() - clock
        if require_plan:
            _check_plannable(sf)
        ds = restvarme.run(
            sf, solver=solver, on_phase=on_phase, warm_start=False if cold_start else None
        )
        progress.update(task, description="Writing results", advance=1)
        if also_on_phase is not None:
            also_on_phase("write")
        start = time.perf_counter()
        files = result_files(ds, resolved_scenario_json(sf))
        folder.commit(files)
        tables = files.tables  # the summary printed below
        phases = phase_seconds(ds)
        imports_s = import_s + phases.pop("import", 0.0)
        seconds = {"import": imports_s, "load": load_s, **phases}
        seconds["write"] = time.perf_counter() - start
        total_s = time.perf_counter() - clock + import_s
        progress.update(task, description="Done", completed=len(labels) + 1)
    if not quiet:
        if "period" in ds.dims:
            print_plan_summary(ds, console)
        else:
            print_summary(ds, console, tables)
    horizon = sf.scenario.horizon
    if require_plan and check and (horizon.resolution_h > 1 or horizon.typical_days):
        from restvarme.api import full_year_check

        with (
            err_console.status(
                "Checking the plan hour by hour over the full year (one more solve)", spinner="dots"
            )
            if not quiet
            else contextlib.nullcontext()
        ):
            table = full_year_check(sf, ds, solver=solver)
        folder.add_derived(
            "aggregation_check.csv", lambda path: table.to_csv(path, float_format="%.6g")
        )
        if not quiet:
            print_aggregation_check(table, console)
    if not quiet:
        console.print(f"Results written to [bold]{folder.shown}[/]")
    if report:
        from restvarme.cli_report import report_after_run

        report_after_run(folder, ds, quiet)
    if timings:
        print_timings(seconds, total_s, float(ds.attrs["solver_seconds"]), console)


def print_timings(seconds: dict[str, float], total_s: float, solver_s: float, out: Console) -> None:
    """The seconds of each phase of a run (``run --timings``), in the order they ran, with
    HiGHS's own run time inside the solve, what no phase holds (progress display, the report
    later is not counted) and the total from the run's imports to the written folder (the
    interpreter's start and ``import restvarme.cli`` before them are not counted).

    Shown to the millisecond, phases rounded down and the total up, so that the phases shown
    never add up to more than the total shown."""
    import math

    from restvarme.api import PHASE_LABELS

    def ms(value: float, up: bool = False) -> str:
        return f"{(math.ceil if up else math.floor)(value * 1000) / 1000:.3f}"

    t = Table("phase", title="Timings", title_justify="left")
    t.add_column("seconds", justify="right")
    t.add_column("share", justify="right")
    for name, value in seconds.items():
        t.add_row(PHASE_LABELS.get(name, name), ms(value), f"{value / total_s:.0%}")
        if name == "solve":
            t.add_row("  of which HiGHS's own run time", ms(solver_s), "")
    other = total_s - sum(seconds.values())
    t.add_row("other (between phases)", ms(other), f"{other / total_s:.0%}")
    t.add_row("[bold]total[/]", f"[bold]{ms(total_s, up=True)}[/]", "100%")
    out.print(t)


def print_aggregation_check(table: pd.DataFrame, out: Console) -> None:
    """The aggregation error of a plan: expected vs full-year operating cost per period."""
    t = Table(
        "period",
        "aggregated MEUR/yr",
        "full year MEUR/yr",
        "difference",
        "unserved in full year MWh",
        title="Plan checked hour by hour (chosen capacities fixed)",
        title_justify="left",
    )
    for period, row in table.iterrows():
        t.add_row(
            str(period),
            f"{row['aggregated_operating_cost_eur'] / 1e6:,.3f}",
            f"{row['full_year_operating_cost_eur'] / 1e6:,.3f}",
            f"{row['difference']:+.1%}",
            f"{row['full_year_unserved_heat_mwh']:,.0f}",
        )
    out.print(t)


def _check_plannable(sf: ScenarioFile) -> None:
    from restvarme.errors import Problem, ScenarioError

    sc = sf.scenario
    if sc.pathway is None and not any(u.expansion is not None for u in sc.units):
        raise ScenarioError(
            [
                Problem(
                    "nothing to plan: add a `pathway` section or an `expansion` to a unit "
                    "(or use `restvarme run` for dispatch only)",
                    ("pathway",),
                    sf.path,
                )
            ]
        )


def print_plan_summary(ds: xr.Dataset, out: Console) -> None:
    """Per period: what is built, what it costs and emits, and whether the targets are met."""
    out.print(
        f"[bold]{ds.attrs.get('scenario', '')}[/]: periods {ds.attrs.get('periods', '')}, "
        f"discounted cost {ds.attrs['objective_eur'] / 1e6:,.3f} MEUR ({ds.attrs['status']})"
    )
    t = Table(
        "period",
        "built in period",
        "new capacity in service",
        "cost MEUR/yr",
        "emissions t/yr",
        "target",
        title="Plan by period",
        title_justify="left",
    )
    for p in ds["period"].values:
        d = ds.sel(period=p)
        built = d["capacity_built"] if "capacity_built" in d else d["capacity_new"] * 0
        built_text = "\n".join(
            f"{u} +{float(v):,.1f}" for u, v in built.to_series().items() if v > 1e-6
        )
        serving = "\n".join(
            f"{u} {float(v):,.1f}" for u, v in d["capacity_new"].to_series().items() if v > 1e-6
        )
        emitted = float(d["emissions_t"].sum())
        t.add_row(
            str(p),
            built_text or "-",
            serving or "-",
            f"{float(d['cost_eur'].sum()) / 1e6:,.3f}",
            f"{emitted:,.0f}",
            _target_status(d),
        )
    out.print(t)
    units = Table(
        "unit",
        *[str(p) for p in ds["period"].values],
        title="Heat by unit [GWh]",
        title_justify="left",
    )
    for u in ds["unit"].values:
        units.add_row(
            str(u), *[f"{float(v) / 1e3:,.1f}" for v in ds["heat_mwh"].sel(unit=u).values]
        )
    out.print(units)


def _target_status(d: xr.Dataset) -> str:
    import math

    cap, short = float(d["emission_cap_t"]), float(d["emission_shortfall_t"])
    parts = []
    if not math.isnan(cap):
        parts.append(
            f"[red]cap {cap:,.0f} t missed by {short:,.0f} t[/]"
            if short > 1e-6
            else f"[green]cap {cap:,.0f} t met[/]"
        )
    for kind, label in (("waste_heat", "waste-heat"), ("renewable", "renewable")):
        if f"min_{kind}_share" not in d:  # results written before the target existed
            continue
        share, short = float(d[f"min_{kind}_share"]), float(d[f"{kind}_shortfall_mwh"])
        if not math.isnan(share):
            parts.append(
                f"[red]{label} share {share:.0%} missed by {short:,.0f} MWh[/]"
                if short > 1e-6
                else f"[green]{label} share {share:.0%} met[/]"
            )
    return "; ".join(parts) or "no target"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_") or "run"


def default_out(scenario: str) -> Path:
    """The output folder of ``run`` and ``plan`` without ``--out``: ``out/<name>``, where the
    name is the one given: the example's (``lund`` -> ``out/lund``), the folder's
    (``cities/malmo`` -> ``out/malmo``), or the file's stem (``malmo_2035.yaml`` ->
    ``out/malmo_2035``; a file called ``scenario.yaml`` is named by its folder)."""
    path = Path(scenario)
    if path.is_file() and path.stem == "scenario" and path.resolve().parent.name:
        name = path.resolve().parent.name
    elif path.is_file():
        name = path.stem
    else:
        name = path.resolve().name if path.is_dir() else scenario
    return Path("out") / _slug(name)


def print_summary(
    ds: xr.Dataset, out: Console, tables: dict[str, pd.DataFrame] | None = None
) -> None:
    """Summary tables of one run: heat by unit, costs, emissions, waste heat, unserved heat
    (``tables``: its :func:`~restvarme.results.io.summary_tables`, computed if not given)."""
    from restvarme.accounting.costs import cost_item_label
    from restvarme.results.io import summary_tables
    from restvarme.results.roles import unit_roles

    tables = summary_tables(ds) if tables is None else tables
    out.print(
        f"[bold]{ds.attrs.get('scenario', '')}[/]: objective "
        f"{ds.attrs['objective_eur'] / 1e6:,.3f} MEUR ({ds.attrs['status']}, {ds.attrs['solver']})"
    )
    units = tables["units"]
    makes_heat = unit_roles(ds)["heat_unit"] | (units["heat_mwh"].abs() > 0.05)
    units = units[makes_heat.reindex(units.index).fillna(False).astype(bool)]
    total_heat = max(units["heat_mwh"].clip(lower=0).sum(), 1e-9)
    out.print(
        frame_table(
            units,
            {
                "unit": row_name,
                "type": unit_type,
                "network": text("sink"),
                "heat GWh": number("heat_mwh", 1e-3),
                "share": share("heat_mwh", total_heat),
                "electricity GWh": number("electricity_mwh", 1e-3),
                "fuel GWh": number("fuel_mwh", 1e-3),
            },
            title="Heat by unit",
        )
    )
    t = Table("cost item", "MEUR", title="Costs", title_justify="left")
    for item, row in tables["costs"].iterrows():
        if abs(row["eur"]) >= 0.5:
            t.add_row(cost_item_label(str(item)), f"{row['eur'] / 1e6:,.3f}")
    t.add_row("[bold]total[/]", f"[bold]{tables['costs']['eur'].sum() / 1e6:,.3f}[/]")
    out.print(t)
    t = Table("emission source", "t CO2e", title="Emissions by source", title_justify="left")
    for src, row in tables["emissions"].iterrows():
        if abs(row["t_co2e"]) >= 0.5:
            t.add_row(str(src).replace("_", " "), f"{row['t_co2e']:,.0f}")
    t.add_row("[bold]total[/]", f"[bold]{tables['emissions']['t_co2e'].sum():,.0f}[/]")
    out.print(t)
    if (status := _target_status(ds)) != "no target":
        out.print(f"Targets: {status}")
    if "mip_gap" in ds.attrs:  # unit commitment: solved as a MILP (restvarme.model.solve)
        out.print(
            f"Unit commitment (MIP to a relative gap of {ds.attrs['mip_rel_gap']:.2g}): LP "
            f"relaxation {ds.attrs['mip_relaxation_objective_eur'] / 1e6:,.3f} MEUR, gap "
            f"reached {ds.attrs['mip_gap']:.2g}"
        )
    if len(tables["waste_heat"]):
        routes = [  # the routes of the results; absorption chillers only with cooling networks
            str(c).removesuffix("_mwh")
            for c in tables["waste_heat"].columns
            if c != "available_mwh" and (c != "absorption_mwh" or "cooling_networks" in tables)
        ]
        t = Table(
            "waste-heat source",
            *(f"{r.replace('_', ' ')} GWh" for r in routes),
            "available GWh",
            title="Waste heat used",
            title_justify="left",
        )
        for src, row in tables["waste_heat"].iterrows():
            t.add_row(
                str(src),
                *(f"{row[c] / 1e3:,.1f}" for c in (*(f"{r}_mwh" for r in routes), "available_mwh")),
            )
        out.print(t)
    out.print(_network_table(tables["networks"], "heat", title="Networks"))
    # Every sector is shown: one the scenario lacks gets a line saying so.
    _print_cooling(ds, tables, out)
    _print_hydrogen(ds, out)
    _print_electricity(ds, out)
    _print_biogas(ds, out)
    _print_sector_emissions(ds, out, tables["emissions_by_sector"])
    _print_key_figures(tables["key_figures"], out)


def unit_type(_: object, row: pd.Series) -> str:
    """A table cell: the row's unit type by its registry label."""
    return type_label(row["type"])


def _network_table(
    table: pd.DataFrame, carrier: str, *, title: str, first: str = "network"
) -> Table:
    """Demand, unserved energy and mean marginal price per network of ``carrier`` (``heat`` or
    ``cooling``: the columns of :func:`~restvarme.results.io.summary_tables`' network tables)."""
    return frame_table(
        table,
        {
            first: row_name,
            "demand GWh": number(f"{carrier}_demand_mwh", 1e-3),
            "unserved MWh": number(f"unserved_{carrier}_mwh"),
            "mean marginal price EUR/MWh": number(
                f"mean_marginal_{carrier}_price_eur_per_mwh", spec=",.2f"
            ),
        },
        title=title,
    )


def _print_key_figures(table: pd.DataFrame, out: Console) -> None:
    """The headline figures as the report's cards show them (restvarme.report.figures)."""
    from restvarme.report.figures import FIGURE_LABELS, display_value

    t = Table("key figure", "value", "unit", title="Key figures", title_justify="left")
    for key, (_, unit) in FIGURE_LABELS.items():
        if key not in table.index or (
            key == "cooling_delivered_mwh" and table.loc[key, "value"] <= 0
        ):
            continue
        t.add_row(
            str(table.loc[key, "label"]), display_value(key, float(table.loc[key, "value"])), unit
        )
    out.print(t)


def type_label(unit_type: object) -> str:
    """How the tables name a unit type: its label in the registry."""
    from restvarme.results.roles import type_label as label

    return label(str(unit_type))


def _rows_by_type(
    ds: xr.Dataset, values: xr.DataArray, name: Callable[[str, list[str]], str]
) -> list[tuple[str, float]]:
    """``values`` [on ``unit``] summed per unit type (its registry label, named by ``name(label,
    units)``), in the registry's order; types none of whose units have a flow are left out."""
    from restvarme.results.roles import type_rank, unit_labels

    labels, kinds = unit_labels(ds), ds["unit_type"].to_series()
    series = values.to_series()
    rows = []
    for label in sorted(
        set(labels), key=lambda lab: min(type_rank(k) for k in kinds[labels == lab])
    ):
        units = list(labels.index[labels == label])
        rows.append((name(label, units), float(series[units].sum())))
    return rows


def _print_electricity(ds: xr.Dataset, out: Console) -> None:
    """The electricity bus of one run [GWh]: into the bus positive, out of it negative; the rows
    add up to zero (the balance). Units are summed per type, named by the registry's label
    (stores net: discharge less charge)."""
    from restvarme.results.roles import unit_roles

    w = ds["snapshot_weight_h"]
    rows = [
        ("grid import", float((ds["grid_import_mw"] * w).sum())),
        ("grid export", -float((ds["grid_export_mw"] * w).sum())),
    ]
    on_bus = (abs(ds["electricity_mw"]) > 1e-9).any("snapshot")
    if bool(on_bus.any()):
        stores = unit_roles(ds)["store"]
        mine = ds.sel(unit=ds["unit"].values[on_bus.values])
        by_type = _rows_by_type(
            mine,
            mine["electricity_mwh"],
            lambda label, units: f"{label} (net)" if stores[units].all() else label,
        )
        rows += sorted(by_type, key=lambda row: row[1] < 0)  # what feeds the bus first
    if "electricity_demand_mwh" in ds and float(ds["electricity_demand_mwh"]) != 0:
        rows.append(("local demand", -float(ds["electricity_demand_mwh"])))
    if "fleet_electricity_mw" in ds:  # electric fleets charge from the same bus
        rows.append(("electric fleets", -float((ds["fleet_electricity_mw"] * w).sum())))
    t = Table("electricity", "GWh", title="Electricity balance", title_justify="left")
    for label, mwh in rows:
        t.add_row(label, f"{mwh / 1e3:,.2f}")
    t.add_row("[bold]balance[/]", f"[bold]{sum(v for _, v in rows) / 1e3:,.2f}[/]")
    out.print(t)


def _print_biogas(ds: xr.Dataset, out: Console) -> None:
    """The biogas bus of one run: where its biogas comes from and goes, and its vehicle gas."""
    if "vehicle_gas_demand_mw" not in ds:
        out.print("Biogas: no biogas bus in this scenario")
        return
    w = ds["snapshot_weight_h"]

    def gwh(da: xr.DataArray) -> str:
        return f"{float((da * w).sum()) / 1e3:,.2f}"

    t = Table("biogas", "GWh", title="Biogas balance", title_justify="left")
    if "biogas_production_mw" in ds:
        for plant in ds["biogas_plant"].values:
            feedstock = str(ds["biogas_feedstock"].sel(biogas_plant=plant).values)
            t.add_row(
                f"production: {plant} ({feedstock})",
                gwh(ds["biogas_production_mw"].sel(biogas_plant=plant)),
            )
    # units on the biogas bus: those burning biogas and those with a biogas flow, per type
    from restvarme.results.roles import unit_roles

    burns = ds["unit_fuel"] == "biogas"
    on_bus = burns | (abs(ds["biogas_mw"]) > 1e-9).any("snapshot")
    if bool(on_bus.any()):
        mine = ds.sel(unit=ds["unit"].values[on_bus.values])
        stores, burners = unit_roles(ds)["store"], burns.to_series()
        flow = (mine["biogas_mw"] * w).sum("snapshot")

        def name(label: str, units: list) -> str:
            if stores[units].all():
                return f"{label} (discharge - charge)"
            if burners[units].all():
                return f"burnt in {label}"
            return f"to {label}" if float(flow.sel(unit=units).sum()) < 0 else f"from {label}"

        for label, mwh in _rows_by_type(mine, flow, name):
            t.add_row(label, f"{mwh / 1e3:,.2f}")
    t.add_row("flared", gwh(-ds["biogas_flared_mw"]))
    t.add_row("[bold]vehicle gas[/]", "")
    t.add_row("upgraded", gwh(ds["vehicle_gas_upgraded_mw"]))
    t.add_row("bought from the gas grid", gwh(ds["gas_grid_import_mw"]))
    t.add_row("sold to the gas grid", gwh(-ds["gas_grid_export_mw"]))
    t.add_row("unserved", gwh(ds["unserved_vehicle_gas_mw"]))
    t.add_row("demand (besides fleets)", gwh(-ds["vehicle_gas_demand_mw"]))
    if "fleet_vehicle_gas_mw" in ds:
        t.add_row("biogas fleets", gwh(-ds["fleet_vehicle_gas_mw"]))
    t.add_row(
        "mean marginal price EUR/MWh: biogas / vehicle gas",
        f"{float(ds['marginal_biogas_price_eur_per_mwh'].mean()):,.2f} / "
        f"{float(ds['marginal_vehicle_gas_price_eur_per_mwh'].mean()):,.2f}",
    )
    out.print(t)


def _print_sector_emissions(ds: xr.Dataset, out: Console, table: pd.DataFrame) -> None:
    """Emissions by sector (``table``, :func:`~restvarme.accounting.sectors.emissions_by_sector`),
    transport against its fossil baseline (and each fleet)."""
    from restvarme.accounting.sectors import fleet_emissions

    t = Table(
        "sector",
        "t CO2e",
        "baseline t CO2e",
        "avoided t CO2e",
        title="Emissions by sector",
        title_justify="left",
    )

    def num(v: float) -> str:
        return "-" if v != v else f"{v:,.0f}"  # NaN: no baseline

    for sector, row in table.iterrows():
        t.add_row(
            str(sector), num(row["emissions_t"]), num(row["baseline_t"]), num(row["avoided_t"])
        )
    t.add_row("[bold]total[/]", f"[bold]{table['emissions_t'].sum():,.0f}[/]", "", "")
    out.print(t)
    fleets = fleet_emissions(ds)
    if not len(fleets):
        out.print("Transport: no fleets in this scenario")
    else:
        t = Table(
            "fleet",
            "drive",
            "Mkm",
            "energy GWh",
            "t CO2e",
            "baseline t CO2e",
            "avoided t CO2e",
            title="Transport fleets against their baseline",
            title_justify="left",
        )
        for name, row in fleets.iterrows():
            t.add_row(
                str(name),
                row["drive"],
                f"{row['km'] / 1e6:,.2f}",
                f"{row['energy_mwh'] / 1e3:,.2f}",
                num(row["emissions_t"]),
                num(row["baseline_t"]),
                num(row["avoided_t"]),
            )
        out.print(t)


def _print_hydrogen(ds: xr.Dataset, out: Console) -> None:
    """The hydrogen bus of one run: what each unit makes or stores, and the balance."""
    if "hydrogen_demand_mw" not in ds:
        out.print("Hydrogen: no hydrogen bus in this scenario")
        return
    made = ds["hydrogen_mwh"].where(ds["hydrogen_mwh"] != 0, drop=True)
    if made.sizes["unit"] == 0:
        out.print("Hydrogen by unit: no unit makes, stores or uses hydrogen")
    else:
        t = Table(
            "unit",
            "type",
            "hydrogen GWh",
            "electricity GWh",
            title="Hydrogen by unit",
            title_justify="left",
        )
        for unit in made["unit"].values:
            t.add_row(
                str(unit),
                type_label(ds["unit_type"].sel(unit=unit).values),
                f"{float(made.sel(unit=unit)) / 1e3:,.2f}",
                f"{float(ds['electricity_mwh'].sel(unit=unit)) / 1e3:,.2f}",
            )
        out.print(t)
    w = ds["snapshot_weight_h"]
    fleets = "fleet_hydrogen_mw" in ds  # hydrogen fleets add to the demand
    t = Table(
        "demand GWh",
        *(["fleets GWh"] if fleets else []),
        "imported GWh",
        "unserved MWh",
        "mean marginal price EUR/MWh",
        title="Hydrogen balance",
        title_justify="left",
    )
    t.add_row(
        f"{float((ds['hydrogen_demand_mw'] * w).sum()) / 1e3:,.2f}",
        *([f"{float((ds['fleet_hydrogen_mw'] * w).sum()) / 1e3:,.2f}"] if fleets else []),
        f"{float((ds['hydrogen_import_mw'] * w).sum()) / 1e3:,.2f}",
        f"{float((ds['unserved_hydrogen_mw'] * w).sum()):,.1f}",
        f"{float(ds['marginal_hydrogen_price_eur_per_mwh'].mean()):,.2f}",
    )
    out.print(t)


def _print_cooling(ds: xr.Dataset, tables: dict[str, pd.DataFrame], out: Console) -> None:
    """Cooling by unit (units that made or took cooling, and cooling units: see
    :mod:`restvarme.results.roles`) and per cooling network (runs with cooling networks)."""
    from restvarme.results.roles import unit_roles

    if "cooling_networks" not in tables:
        out.print("Cooling: no cooling network in this scenario")
        return
    units = tables["units"]
    cooling_units = unit_roles(ds)["cooling"].reindex(units.index, fill_value=False)
    cooling = units[(units["cooling_mwh"].abs() > 1e-9) | cooling_units]
    total = max(cooling["cooling_mwh"].clip(lower=0).sum(), 1e-9)
    out.print(
        frame_table(
            cooling,
            {
                "unit": row_name,
                "type": unit_type,
                "cooling GWh": number("cooling_mwh", 1e-3),
                "share": share("cooling_mwh", total),
                "heat GWh": number("heat_mwh", 1e-3),
                "electricity GWh": number("electricity_mwh", 1e-3),
            },
            title="Cooling by unit",
        )
    )
    out.print(
        _network_table(
            tables["cooling_networks"], "cooling", title="Cooling networks", first="cooling network"
        )
    )


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario file, folder, or example name.")],
    allow_path: AllowPath = None,
) -> None:
    """Check a scenario file and its series without solving; a pathway's every period is built
    with its changes applied."""
    import restvarme
    from restvarme.api import located_build
    from restvarme.errors import ScenarioError
    from restvarme.inputs.build import build_inputs
    from restvarme.inputs.pathway import build_pathway_inputs
    from restvarme.inputs.series import allow_paths, check_all_series
    from restvarme.model.build import build_model

    try:
        with (
            allow_paths(*(allow_path or [])),
            err_console.status("Reading the scenario, its series and its inputs", spinner="dots"),
        ):
            sf = restvarme.load(scenario)
            if problems := check_all_series(sf):
                raise ScenarioError(problems)
            if sf.scenario.pathway is None:
                inputs = build_inputs(sf)
            else:
                inputs = build_pathway_inputs(sf)
            if sf.scenario.capacity_groups or sf.scenario.electricity.connections:
                # A group member's direction and a connection's users are known from the units'
                # ports, i.e. once the model is built (restvarme.model.groups, .connections)
                located_build(build_model, sf)(inputs)
    except RestvarmeError as error:
        raise _fail(error) from None
    sc = sf.scenario
    periods = ""
    if "period" in inputs.dims:
        years = ", ".join(str(y) for y in inputs["period"].values)
        periods = f"{inputs.sizes['period']} period(s) ({years}), each "
        inputs = inputs.isel(period=0)
    console.print(
        f"[green]ok[/] {sf.path}: {sc.name!r}, {len(sc.networks)} network(s), "
        f"{len(sc.units)} unit(s), {len(sc.waste_heat)} waste-heat source(s), "
        f"{periods}{_steps_text(inputs)}",
        soft_wrap=True,
    )
    if pools := [name for name, w in sc.waste_heat.items() if not w.is_stream]:
        console.print(
            f"note: waste_heat {', '.join(pools)}: no min_temperature_c or "
            "reference_temperature_c, so each is one pool of available_mw that every route "
            "draws on alike, whatever temperature it cools the stream to (docs/scenario.md, "
            "waste_heat)",
            soft_wrap=True,
            markup=False,
        )


def _steps_text(inputs: xr.Dataset) -> str:
    """How many snapshots the inputs have and how long each is: "8760 hourly snapshots",
    "288 snapshots of 4 h", "96 snapshots weighted to 8,760 h" (typical days)."""
    import numpy as np
    import pandas as pd

    n = inputs.sizes["snapshot"]
    weights = inputs["snapshot_weight_h"].to_numpy()
    if np.allclose(weights, 1.0):
        return f"{n} hourly snapshots"
    step = pd.Series(pd.DatetimeIndex(inputs["snapshot"].values)).diff().dropna()
    hours = step.dt.total_seconds().to_numpy() / 3600.0
    if len(hours) and np.allclose(hours, hours[0]) and np.allclose(weights, hours[0]):
        return f"{n} snapshots of {hours[0]:g} h"
    return f"{n} snapshots weighted to {weights.sum():,.0f} h"


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor validation)."""
    from restvarme.scenario.schema import Scenario

    sys.stdout.write(json.dumps(Scenario.model_json_schema(), indent=2) + "\n")


@app.command()
def examples() -> None:
    """List the built-in example scenarios."""
    import yaml

    from restvarme.examples import example_names, examples_dir

    t = Table("name", "scenario", "file")
    for name in example_names():
        path = examples_dir() / name / "scenario.yaml"
        title = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("name", "")
        t.add_row(name, str(title), str(path))
    console.print(t)


@app.command()
def init(
    name: Annotated[str, typer.Argument(help="Folder to create for the new scenario.")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from a built-in example (see `restvarme examples`) [default: "
            "the template of every section].",
        ),
    ] = None,
) -> None:
    """Write a ready-to-edit scenario folder (scenario.yaml, its series, SOURCES.md) that
    validates and runs as written."""
    from restvarme.errors import RestvarmeError
    from restvarme.scaffold import new_scenario_folder

    try:
        folder = new_scenario_folder(Path(name), example=from_)
    except RestvarmeError as error:
        raise _fail(error) from None
    console.print(
        f"Wrote [bold]{escape(str(folder))}[/]: edit scenario.yaml and SOURCES.md, then "
        f"`restvarme validate {escape(str(folder))}` and `restvarme run {escape(str(folder))}`."
    )


@app.command()
def climates() -> None:
    """List the built-in synthetic climates (monthly normals, daily cycle, persistence)."""
    from restvarme.inputs.weather import CLIMATES

    t = Table("name", "monthly mean °C (Jan..Dec)", "source")
    for name, c in CLIMATES.items():
        t.add_row(name, " ".join(f"{v:g}" for v in c.monthly_mean_c), c.source)
    console.print(t)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
