"""CLI commands of the web app and the run store: ``restvarme serve`` and ``restvarme runs``;
added to the main app by :func:`register`. ``restvarme run --store`` records a run's folder in a
store with :func:`record_run`.

A *store* is named by its data folder (``restvarme-data``: SQLite inside it) or by a database
URL (``postgresql+psycopg://user@host/db``), whose files then go to the data folder given by
``--data`` (default ``restvarme-data``). See docs/web.md.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from restvarme.scenario.load import ScenarioFile
    from restvarme.store.runs import RunStore

console = Console(width=None if sys.stdout.isatty() else 132)  # as restvarme.cli: piped, wide
err_console = Console(stderr=True)
EXIT_BAD_INPUT = 2
DEFAULT_DATA = Path("restvarme-data")

runs_app = typer.Typer(help="Runs in a store.", no_args_is_help=True, rich_markup_mode=None)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def open_store(store: str | None, data: Path | None = None) -> RunStore:
    """The store named by a data folder or a database URL (module doc); the ``web`` extra must
    be installed."""
    try:
        from restvarme.store import RunStore
    except ImportError as error:
        raise _fail(str(error)) from None
    from restvarme.errors import RestvarmeError

    try:
        if store is not None and "://" in store:
            return RunStore(data or DEFAULT_DATA, store)
        return RunStore(Path(store) if store else (data or DEFAULT_DATA))
    except RestvarmeError as error:
        raise _fail(str(error)) from None
    except Exception as error:  # the database cannot be reached or read: say which and why
        from sqlalchemy.engine import make_url

        shown = store or str(data or DEFAULT_DATA)
        if "://" in shown:
            shown = make_url(shown).render_as_string(hide_password=True)
        first = str(error).splitlines()[0][:200] if str(error) else ""
        raise _fail(f"cannot open the store {shown}: {type(error).__name__}: {first}") from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL, e.g. postgresql+psycopg://user@host/db [default: SQLite "
            "in the data folder]."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes that run scenarios.")] = 1,
    max_waiting: Annotated[
        int, typer.Option(min=0, help="Runs that may wait for a worker; more are refused (429).")
    ] = 8,
    data: Annotated[
        Path, typer.Option(help="Data folder: the files of scenarios and results (and SQLite).")
    ] = DEFAULT_DATA,
) -> None:
    """Start the web app and its REST API (OpenAPI at /docs) over a run store."""
    if not _is_loopback(host):
        raise _fail(
            f"--host {host}: the app has no login yet, so it listens on this machine only "
            "(127.0.0.1, ::1 or localhost); put an authenticating proxy in front of it to share it."
        )
    try:
        import uvicorn

        from restvarme.web.app import create_app
    except ImportError as error:
        raise _fail(
            f"restvarme serve needs the web extra: pip install 'restvarme[web]' "
            f"({error.name} is missing)"
        ) from None
    open_store(db, data).close()  # migrate now, and fail here if the database is unreachable
    app = create_app(data, db, workers=workers, max_waiting=max_waiting)
    console.print(f"restvarme serving on http://{host}:{port} (API documentation: /docs)")
    uvicorn.run(app, host=host, port=port, log_level="info")


@runs_app.command("list")
def list_runs(
    store: Annotated[
        str | None, typer.Option(help="Data folder or database URL of the store.")
    ] = None,
    data: Annotated[Path | None, typer.Option(help="Data folder of a store named by URL.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs, newest first.")] = 50,
) -> None:
    """List the runs of a store, newest first."""
    runs = open_store(store, data).runs(limit)
    t = Table(
        "run",
        "scenario",
        "version",
        "status",
        "phase",
        "objective MEUR",
        "finished",
        title="Runs",
        title_justify="left",
    )
    for r in runs:
        objective = "" if r["objective_eur"] is None else f"{r['objective_eur'] / 1e6:,.3f}"
        t.add_row(
            str(r["id"]),
            escape(r["scenario"]),
            str(r["version_id"]),
            r["status"],
            r["phase"],
            objective,
            (r["finished_at"] or "")[:19],
        )
    console.print(t)


def scenario_files(sf: ScenarioFile) -> dict[str, bytes]:
    """A scenario's files as a store keeps them: its YAML as ``scenario.yaml``, the series files
    it names inside its folder, and the SOURCES.md beside it."""
    from restvarme.inputs.series import iter_series

    if sf.path is None:
        raise _fail("--store needs a scenario file, not a scenario built in Python")
    base = Path(sf.base_dir).resolve()
    files = {"scenario.yaml": Path(sf.path).read_bytes()}
    named = [v if isinstance(v, str) else v.file for _, v in iter_series(sf.scenario)]
    for name in [*named, "SOURCES.md"]:
        path = (base / name).resolve()
        if base in path.parents and path.is_file():
            files[path.relative_to(base).as_posix()] = path.read_bytes()
    return files


def record_run(store: str, data: Path | None, sf: ScenarioFile, folder: Path) -> int:
    """Record a complete run folder written by ``restvarme run`` in a store, as a succeeded run
    of the scenario's version; return the run's id."""
    import ast

    import xarray as xr

    from restvarme.cli import _slug

    s = open_store(store, data)
    try:
        name = _slug(sf.scenario.name)[:64]
        version = s.add_version(name, scenario_files(sf), "restvarme run", "")
        run_id = s.create_run(version["id"])
        s.claim(run_id)
        with xr.open_dataset(folder / "results.nc", engine="h5netcdf") as ds:
            attrs = dict(ds.attrs)
        s.finish(
            run_id,
            folder,
            objective_eur=float(attrs["objective_eur"]),
            timings=ast.literal_eval(str(attrs.get("timings_s", "{}"))),
            solver_seconds=float(attrs.get("solver_seconds", float("nan"))),
        )
        return run_id
    finally:
        s.close()


def record_after_run(store: str, scenario: str, folder: Path, quiet: bool) -> None:
    """``restvarme run --store``: record the run folder just written, and say so."""
    import restvarme

    run_id = record_run(store, None, restvarme.load(scenario), folder)
    if not quiet:
        console.print(f"Recorded as run {run_id} in the store {escape(store)}")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``runs`` to the main ``restvarme`` app."""
    app.command("serve")(serve)
    app.add_typer(runs_app, name="runs")
