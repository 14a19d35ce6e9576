"""CLI commands ``restvarme report`` and ``restvarme compare``; added to the main app by
:func:`register`.

``report RUN_DIR`` writes the HTML report (or the charts as PNG/SVG); ``compare RUN_DIR ...``
prints the key figures of several runs side by side and writes an HTML page. ``--json`` prints
machine-readable output for scripts, ``--quiet`` only errors.
"""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2


class Format(StrEnum):
    html = "html"
    png = "png"
    svg = "svg"


def _check_run_dir(path: Path) -> None:
    from restvarme.results.io import RESULTS_FILE

    if not (path / RESULTS_FILE).is_file() and not (path.is_file() and path.suffix == ".nc"):
        err_console.print(
            f"[bold red]error:[/] {path}: no {RESULTS_FILE} here; give a folder "
            "written by `restvarme run SCENARIO --out FOLDER`.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_BAD_INPUT)


def report(
    run_dir: Annotated[Path, typer.Argument(help="Run folder with results.nc.")],
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="html, or png/svg images.")
    ] = Format.html,
    out: Annotated[
        Path | None,
        typer.Option(
            help="HTML file, or folder for images [default: RUN_DIR/report.html, RUN_DIR/figures]."
        ),
    ] = None,
    width: Annotated[int, typer.Option(help="Image width [px] (png/svg).")] = 1200,
    engine: Annotated[
        str, typer.Option(help="Image engine: auto, kaleido or matplotlib.")
    ] = "auto",
    chart: Annotated[
        list[str] | None,
        typer.Option(
            help="Only this chart (repeatable), e.g. dispatch_main, sankey [default: all]."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write the report of RUN_DIR: one self-contained HTML file, or the charts as images."""
    _check_run_dir(run_dir)
    if fmt is Format.html:
        from restvarme.report.html import write_report

        path = write_report(run_dir, out)
        info = {"report": str(path), "bytes": path.stat().st_size}
        if as_json:
            typer.echo(json.dumps(info))
        elif not quiet:
            console.print(f"Report written to [bold]{path}[/] ({path.stat().st_size / 1e6:.1f} MB)")
        return
    from restvarme.report.images import write_images

    try:
        images = write_images(
            run_dir, out, fmt=fmt.value, width=width, engine=engine, charts=chart or None
        )
    except ValueError as error:
        err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "engine": images.engine,
                    "images": [str(p) for p in images.paths],
                    "skipped": images.skipped,
                }
            )
        )
    elif not quiet:
        where = images.paths[0].parent if images.paths else out
        console.print(
            f"{len(images.paths)} {fmt.value.upper()} images written to [bold]{where}[/] "
            f"with {images.engine}"
            + (f"; left out: {', '.join(images.skipped)}" if images.skipped else "")
        )


def compare(
    run_dirs: Annotated[list[Path], typer.Argument(help="Two or more run folders.")],
    out: Annotated[Path | None, typer.Option(help="HTML page [default: compare.html].")] = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Print the table only.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Print key figures of several runs side by side and write an HTML comparison page."""
    for d in run_dirs:
        _check_run_dir(d)
    from restvarme.report.compare import compare_runs, write_comparison

    comparison = compare_runs(run_dirs)
    path = None if no_html else write_comparison(comparison, out or Path("compare.html"))
    if as_json:
        data = {
            label: {
                k: (None if isinstance(v, float) and math.isnan(v) else v)
                for k, v in comparison.table[label].items()
            }
            for label in comparison.labels
        }
        for label in comparison.labels:
            data[label]["mix_mwh"] = comparison.mix[label].to_dict()
        typer.echo(json.dumps({"runs": data, "html": str(path) if path else None}))
        return
    if quiet:
        return
    display = comparison.display_table()
    table = Table("indicator", title="Comparison", title_justify="left")
    for column in display.columns:
        table.add_column(str(column), justify="right")
    for idx, row in display.iterrows():
        table.add_row(escape(str(idx)), *(escape(str(v)) for v in row.tolist()))
    console.print(table)
    if path:
        console.print(f"Comparison written to [bold]{path}[/]")


def report_after_run(run_dir: Path, results, quiet: bool = False) -> Path:
    """Write ``RUN_DIR/report.html`` for ``restvarme run --report`` and say where."""
    from restvarme.report.html import write_report

    path = write_report(run_dir, results=results)
    if not quiet:
        console.print(f"Report written to [bold]{path}[/] ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``compare`` to the main ``restvarme`` app."""
    app.command("report")(report)
    app.command("compare")(compare)
