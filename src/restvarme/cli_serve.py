"""CLI commands of the web app and the run store: ``restvarme serve``, ``restvarme runs`` and
``restvarme users``;
added to the main app by :func:`register`. ``restvarme run --store`` records a run's folder in a
store with :func:`record_run`.

A *store* is named by its data folder (``restvarme-data``: SQLite inside it) or by a database
URL (``postgresql+psycopg://user@host/db``), whose files then go to the data folder given by
``--data`` (default ``restvarme-data``). See docs/web.md.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

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

T = TypeVar("T")

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
    auth: Annotated[
        bool,
        typer.Option(
            "--auth/--no-auth",
            help="Require a login (users and API tokens: restvarme users); needed beyond loopback.",
        ),
    ] = False,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Send the login cookie over HTTPS only (behind a proxy that ends TLS) "
            "[default: on beyond loopback].",
        ),
    ] = False,
) -> None:
    """Start the web app and its REST API (OpenAPI at /docs) over a run store."""
    loopback = _is_loopback(host)
    if not loopback and not auth:
        raise _fail(
            f"--host {host}: without login the app listens on this machine only "
            "(127.0.0.1, ::1 or localhost); add --auth (and an admin: restvarme users add NAME "
            "--role admin) to share it."
        )
    try:
        import uvicorn

        from restvarme.web.app import create_app
    except ImportError as error:
        raise _fail(
            f"restvarme serve needs the web extra: pip install 'restvarme[web]' "
            f"({error.name} is missing)"
        ) from None
    store = open_store(db, data)  # migrate now, and fail here if the database is unreachable
    try:
        from restvarme.store import users
        from restvarme.store.models import Role

        admins = users.count_users(store, Role.admin)
    finally:
        store.close()
    if auth and admins == 0:
        raise _fail(
            "--auth: the store has no admin to log in as; add one first: restvarme users add "
            "NAME --role admin" + (f" --store {db}" if db else f" --store {data}")
        )
    app = create_app(
        data,
        db,
        workers=workers,
        max_waiting=max_waiting,
        auth=auth,
        secure_cookies=secure_cookies or not loopback,
    )
    login = "login required" if auth else "no login: this machine only"
    console.print(f"restvarme serving on http://{host}:{port} ({login}; API documentation: /docs)")
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


users_app = typer.Typer(
    help="Users of the web app, their roles and API tokens.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
StoreOption = Annotated[str | None, typer.Option(help="Data folder or database URL of the store.")]
DataOption = Annotated[Path | None, typer.Option(help="Data folder of a store named by URL.")]


def _users_call(store: str | None, data: Path | None, call: Callable[[RunStore], T]) -> T:
    from restvarme.store.runs import StoreError

    s = open_store(store, data)
    try:
        return call(s)
    except StoreError as error:
        raise _fail(str(error)) from None
    finally:
        s.close()


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from the first line of standard input.")
    ] = False,
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Add a user (asks for their password; hashed with argon2id)."""
    from restvarme.store import users

    password = _read_password(password_stdin)
    added = _users_call(store, data, lambda s: users.add_user(s, name, password, role))
    console.print(f"Added {escape(added['name'])} ({added['role']})")


@users_app.command("list")
def users_list(store: StoreOption = None, data: DataOption = None) -> None:
    """List the users, their roles and their API tokens."""
    from restvarme.store import users

    found, tokens = _users_call(store, data, lambda s: (users.users(s), users.tokens(s)))
    t = Table("user", "role", "tokens", "created", title="Users", title_justify="left")
    for u in found:
        mine = [f"{tok['id']} {tok['label']}".strip() for tok in tokens if tok["user"] == u["name"]]
        t.add_row(escape(u["name"]), u["role"], escape(", ".join(mine)), u["created_at"][:19])
    console.print(t)


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin.")],
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Change a user's role."""
    from restvarme.store import users

    changed = _users_call(store, data, lambda s: users.set_role(s, name, role))
    console.print(f"{escape(changed['name'])} is now {changed['role']}")


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from the first line of standard input.")
    ] = False,
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Set a user's password (ends their browser sessions)."""
    from restvarme.store import users

    password = _read_password(password_stdin)
    _users_call(store, data, lambda s: users.set_password(s, name, password))
    console.print(f"Password of {escape(name)} changed")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Remove a user with their tokens and sessions (never the last admin)."""
    from restvarme.store import users

    _users_call(store, data, lambda s: users.remove_user(s, name))
    console.print(f"Removed {escape(name)}")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    revoke: Annotated[int | None, typer.Option(help="Revoke the token of this id instead.")] = None,
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Make an API token for a user and print it (shown this once; the store keeps its hash)."""
    from restvarme.store import users

    if revoke is not None:
        _users_call(store, data, lambda s: users.revoke_token(s, revoke))
        console.print(f"Revoked token {revoke}")
        return
    made = _users_call(store, data, lambda s: users.make_token(s, name, label))
    sys.stdout.write(made["token"] + "\n")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``runs`` and ``users`` to the main ``restvarme`` app."""
    app.command("serve")(serve)
    app.add_typer(runs_app, name="runs")
    app.add_typer(users_app, name="users")
