"""CLI commands ``restvarme report`` and ``restvarme compare``; added to the main app by
:func:`register`.

``report RUN_DIR`` writes the HTML report (or the charts as PNG/SVG); ``compare RUN_DIR ...``
prints the key figures of several runs side by side and writes an HTML page; ``screenshot
RUN_DIR ...`` saves the first screen of each run's report as PNG (headless Chromium).
``--json`` prints machine-readable output for scripts, ``--quiet`` only errors.
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from restvarme.cli_options import Quiet

if TYPE_CHECKING:
    import xarray as xr

    from restvarme.report.images import ImageSet
    from restvarme.results.folder import OutputFolder

console = Console(width=None if sys.stdout.isatty() else 132)  # as restvarme.cli: piped, wide
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2


class Format(StrEnum):
    html = "html"
    png = "png"
    svg = "svg"


def _check_run_dir(path: Path) -> None:
    """Exit 2 with the reason unless ``path`` is a complete run folder (or its results.nc)."""
    from restvarme.errors import RestvarmeError
    from restvarme.results.folder import verify_run_folder

    try:
        verify_run_folder(path)
    except RestvarmeError as error:
        raise _fail(error) from None


def _fail(error: object) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


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
    quiet: Quiet = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write the report of RUN_DIR: one self-contained HTML file, or the charts as images."""
    from restvarme.errors import RestvarmeError

    _check_run_dir(run_dir)
    what = "the report" if fmt is Format.html else f"the charts as {fmt.value.upper()} images"
    waiting = (
        contextlib.nullcontext()
        if quiet or as_json
        else err_console.status(f"Writing {what}", spinner="dots")
    )
    try:
        with waiting:
            written = _write_report_or_images(run_dir, fmt, out, width, engine, chart)
    except RestvarmeError as error:
        raise _fail(error) from None
    except ValueError as error:
        if fmt is Format.html:
            raise
        raise _fail(error) from None  # an unknown chart, engine or format
    if fmt is Format.html:
        path = cast(Path, written)  # html: the report's path
        info = {"report": str(path), "bytes": path.stat().st_size}
        if as_json:
            typer.echo(json.dumps(info))
        elif not quiet:
            console.print(f"Report written to [bold]{path}[/] ({path.stat().st_size / 1e6:.1f} MB)")
        return
    images = cast("ImageSet", written)
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


def _write_report_or_images(
    run_dir: Path,
    fmt: Format,
    out: Path | None,
    width: int,
    engine: str,
    chart: list[str] | None,
) -> Path | ImageSet:
    """The report (its path) or the images (an ImageSet) of a run folder; into the folder itself
    (no ``--out``) under its lock, listed as derived in its manifest."""
    from restvarme.results.folder import add_derived

    folder = run_dir if run_dir.is_dir() else run_dir.parent
    if fmt is Format.html:
        from restvarme.report.html import REPORT_FILE, write_report

        if out is not None:
            return write_report(run_dir, out)
        return add_derived(
            folder,
            REPORT_FILE,
            lambda path: write_report(run_dir, path),
            purpose="restvarme report",
        )
    from restvarme.report.images import write_images

    def images_into(target: Path) -> ImageSet:
        return write_images(
            run_dir, target, fmt=fmt.value, width=width, engine=engine, charts=chart or None
        )

    if out is not None:
        return images_into(out)
    made: list[ImageSet] = []
    add_derived(
        folder,
        "figures",
        lambda path: made.append(images_into(path)),
        directory=True,
        purpose="restvarme report",
    )
    return made[0]


def compare(
    run_dirs: Annotated[list[Path], typer.Argument(help="Two or more run folders.")],
    out: Annotated[Path | None, typer.Option(help="HTML page [default: compare.html].")] = None,
    no_html: Annotated[bool, typer.Option("--no-html", help="Print the table only.")] = False,
    quiet: Quiet = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Print key figures of several runs side by side and write an HTML comparison page."""
    for d in run_dirs:
        _check_run_dir(d)
    from restvarme.errors import RestvarmeError
    from restvarme.report.compare import compare_runs, write_comparison

    waiting = (
        contextlib.nullcontext()
        if quiet or as_json
        else err_console.status(f"Comparing {len(run_dirs)} runs", spinner="dots")
    )
    with waiting:
        try:
            comparison = compare_runs(run_dirs)
        except RestvarmeError as error:  # a folder replaced by a run since it was checked
            raise _fail(error) from None
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


def screenshot(
    run_dirs: Annotated[list[Path], typer.Argument(help="One or more run folders.")],
    out: Annotated[
        Path, typer.Option(help="Folder for the images, one RUN_FOLDER_NAME.png per run.")
    ] = Path("screenshots"),
    width: Annotated[int, typer.Option(help="Window width [px].")] = 1400,
    height: Annotated[int, typer.Option(help="Window height [px].")] = 1000,
    browser: Annotated[
        str | None,
        typer.Option(help="Chromium to use, a path or a name [default: chromium on the path]."),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Save the first screen of each run's report (header, key figures, summary) as PNG, drawn
    by a headless Chromium; the run folders are not written to."""
    from restvarme.errors import RestvarmeError
    from restvarme.report.screenshot import find_browser, screenshot_report

    for d in run_dirs:
        _check_run_dir(d)
    names = [(d if d.is_dir() else d.parent).resolve().name for d in run_dirs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(
            f"two run folders named {', '.join(repeated)}: their images would have the same "
            "name; take their screenshots one at a time with different --out folders."
        )
    try:
        find_browser(browser)
    except RestvarmeError as error:
        raise _fail(error) from None
    for d, name in zip(run_dirs, names, strict=True):
        waiting = (
            contextlib.nullcontext()
            if quiet
            else err_console.status(f"Screenshot of {escape(str(d))}", spinner="dots")
        )
        try:
            with waiting:
                png = screenshot_report(
                    d, out / f"{name}.png", width=width, height=height, browser=browser
                )
        except (RestvarmeError, ValueError) as error:
            raise _fail(error) from None
        if not quiet:
            console.print(f"Screenshot written to [bold]{escape(str(png))}[/]")


def report_after_run(
    run_dir: Path | OutputFolder, results: xr.Dataset, quiet: bool = False
) -> Path:
    """Write ``RUN_DIR/report.html`` for ``restvarme run --report`` and say where.

    ``run_dir``: the run folder, or the locked :class:`~restvarme.results.folder.OutputFolder`
    the run has just written (the report is listed as derived in its manifest).
    """
    from restvarme.report.html import REPORT_FILE, write_report
    from restvarme.results.folder import OutputFolder, add_derived

    def write(path: Path) -> None:
        write_report(folder_path, path, results=results)

    if isinstance(run_dir, OutputFolder):
        folder_path = run_dir.path
        path = run_dir.add_derived(REPORT_FILE, write)
    else:
        folder_path = Path(run_dir)
        path = add_derived(folder_path, REPORT_FILE, write, purpose="restvarme report")
    if not quiet:
        console.print(f"Report written to [bold]{path}[/] ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def register(app: typer.Typer) -> None:
    """Add ``report``, ``compare`` and ``screenshot`` to the main ``restvarme`` app."""
    app.command("report")(report)
    app.command("compare")(compare)
    app.command("screenshot")(screenshot)
