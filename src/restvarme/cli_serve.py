"""CLI commands of the web app and the run store: ``restvarme serve``, ``restvarme runs`` and
``restvarme users``;
added to the main app by :func:`register`. ``restvarme run --store`` records its run in a store
from the start, failed or succeeded (:func:`recording`).

A *store* is named by its data folder (``restvarme-data``: SQLite inside it) or by a database
URL (``postgresql+psycopg://user@host/db``), whose files then go to the data folder given by
``--data`` (default ``restvarme-data``). See docs/web.md.
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

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
    """List the runs of a store, newest first (runs whose process has ended without ending them,
    a `restvarme run --store` killed, are marked failed first)."""
    opened = open_store(store, data)
    try:
        recover_runs(opened)
        runs = opened.runs(limit)
    finally:
        opened.close()
    t = Table(
        "run",
        "scenario",
        "version",
        "status",
        "phase",
        "objective MEUR",
        "finished",
        "error",
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
            escape(_first_line(r["error"], 80)),
        )
    console.print(t)


def _first_line(text: str, chars: int) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= chars else line[: chars - 1] + "…"


def scenario_files(sf: ScenarioFile) -> dict[str, bytes]:
    """A scenario's files as a store keeps them (:func:`restvarme.store.bundle.scenario_files`):
    its YAML as ``scenario.yaml``, the series files it names, and the SOURCES.md beside it."""
    from restvarme.store.bundle import scenario_files as files_of
    from restvarme.store.runs import StoreError

    try:
        return files_of(sf)
    except StoreError as error:
        raise _fail(str(error)) from None


class CancelledFromStore(Exception):
    """A cancel was asked for in the store (the web app's Cancel) while ``run --store`` ran."""


class RecordedRun:
    """``restvarme run --store``: a run recorded in the store from its start (:func:`recording`),
    its phase kept as it goes, ended succeeded with its folder, failed with the reason, or
    cancelled when the web app asks (checked as each phase starts, as a worker does)."""

    def __init__(self, store: RunStore, run_id: int) -> None:
        self.store, self.run_id = store, run_id
        self.phase = "start"
        self.signal: str | None = None

    def on_phase(self, name: str) -> None:
        """Record the phase the run has reached (``load``, ``inputs``, ..., ``write``)."""
        self.phase = name
        if self.store.set_phase(self.run_id, name):
            raise CancelledFromStore(f"cancelled from the store before its {name} phase")

    def succeeded(self, folder: Path) -> None:
        """Store the complete run folder's files and mark the run succeeded."""
        import ast

        import xarray as xr

        with xr.open_dataset(folder / "results.nc", engine="h5netcdf") as ds:
            attrs = dict(ds.attrs)
        self.store.finish(
            self.run_id,
            folder,
            objective_eur=float(attrs["objective_eur"]),
            timings=ast.literal_eval(str(attrs.get("timings_s", "{}"))),
            solver_seconds=float(attrs.get("solver_seconds", float("nan"))),
        )

    def reason(self, error: BaseException) -> str:
        """Why the run failed, as the store keeps it (with the phase it failed in, its own
        column)."""
        from restvarme.errors import RestvarmeError

        if isinstance(error, RestvarmeError):
            return str(error)
        if isinstance(error, KeyboardInterrupt):
            return (
                f"interrupted ({self.signal or 'Ctrl-C'}) during its {self.phase} phase; "
                "run it again"
            )
        if isinstance(error, typer.Exit | SystemExit):
            code = getattr(error, "exit_code", getattr(error, "code", None))
            return f"the command stopped during its {self.phase} phase (exit code {code})"
        return (
            f"internal error ({type(error).__name__}) during its {self.phase} phase; the "
            "command's output has the details"
        )


def _store_name(path: Path) -> str:
    """The store's name of a scenario that cannot be loaded: its ``name`` if the YAML has one,
    else its folder's (a ``scenario.yaml``) or its file's."""
    from restvarme.cli import _slug

    name = None
    try:
        import yaml

        data = yaml.safe_load(path.read_bytes()[:1_000_000])
        name = data.get("name") if isinstance(data, dict) else None
    except Exception:  # unreadable or not YAML: named by its file
        pass
    if not isinstance(name, str) or not name.strip():
        resolved = path.resolve()
        name = resolved.parent.name if resolved.name == "scenario.yaml" else resolved.stem
    return _slug(name)[:64]


def version_of(scenario: str) -> tuple[str, dict[str, bytes]]:
    """The store's name and files of a scenario given to ``restvarme run``: those of the loaded
    scenario (:func:`scenario_files`) or, for one that does not load, its file as it is (and
    SOURCES.md), so that the failed run is recorded with what it ran. Raises
    :class:`~restvarme.errors.ScenarioError` if there is no scenario file at all."""
    from restvarme.cli import _slug
    from restvarme.errors import ScenarioError
    from restvarme.examples import resolve_scenario
    from restvarme.scenario.load import load_scenario

    path = resolve_scenario(scenario)
    try:
        sf = load_scenario(path)
    except ScenarioError as error:
        try:
            files = {"scenario.yaml": path.read_bytes()}
        except OSError:
            raise error from None  # unreadable: its ScenarioError says so; nothing to store
        sources = path.parent / "SOURCES.md"
        if sources.is_file() and not sources.is_symlink():
            files["SOURCES.md"] = sources.read_bytes()
        return _store_name(path), files
    return _slug(sf.scenario.name)[:64], scenario_files(sf)


@contextlib.contextmanager
def _signals_interrupt(run: RecordedRun) -> Iterator[None]:
    """Within the block, SIGTERM (and SIGHUP) interrupt the run as Ctrl-C does, so that it is
    recorded failed, not left running (the main thread only; elsewhere signals are left as
    they are). A SIGKILL cannot be caught: the store marks such a run failed when it is next
    opened by ``restvarme serve`` or ``restvarme runs list`` (:meth:`RunStore.recover`)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, _frame: Any) -> None:
        run.signal = signal.Signals(signum).name
        raise KeyboardInterrupt

    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    saved = {name: signal.signal(getattr(signal, name), interrupt) for name in wanted}
    try:
        yield
    finally:
        for name, handler in saved.items():
            signal.signal(getattr(signal, name), handler)


@contextlib.contextmanager
def recording(store: str, scenario: str, solver: str = "highs") -> Iterator[RecordedRun]:
    """``restvarme run --store``: record the run in ``store`` before it starts (running, in
    this process), its phases as they come, and its end: succeeded when the block calls
    :meth:`RecordedRun.succeeded`, failed with the reason and the phase it reached when the
    block raises (an invalid scenario, an infeasible model, Ctrl-C, SIGTERM) or ends without
    results. The store is opened first, so an unreachable one stops the run before any work.
    A scenario that does not exist is not recorded: there is nothing to store."""
    from restvarme.errors import RestvarmeError
    from restvarme.store.models import RunStatus

    s = open_store(store)
    try:
        name, files = version_of(scenario)
        try:
            version = s.add_version(name, files, "restvarme run", "")
        except RestvarmeError as error:
            raise _fail(f"--store {store}: {error}") from None
        run_id = s.create_run(version["id"], solver)
        s.claim(run_id)
        run = RecordedRun(s, run_id)
        try:
            with _signals_interrupt(run):
                yield run
        except CancelledFromStore as error:
            s.end(run_id, RunStatus.cancelled, str(error))
            raise _fail(f"run {run_id} {error}") from None
        except BaseException as error:
            s.end(run_id, RunStatus.failed, run.reason(error))
            raise
        s.end(run_id, RunStatus.failed, f"ended during its {run.phase} phase without results")
    finally:
        s.close()


def recover_runs(s: RunStore) -> None:
    """Mark failed the runs whose process is gone (a ``restvarme run --store`` killed), and say
    which."""
    if failed := s.recover():
        ids = ", ".join(str(i) for i in failed)
        err_console.print(f"Marked failed: run(s) {ids}, whose process had ended", highlight=False)


users_app = typer.Typer(
    help="Users of the web app, their roles and API tokens.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
StoreOption = Annotated[str | None, typer.Option(help="Data folder or database URL of the store.")]
DataOption = Annotated[Path | None, typer.Option(help="Data folder of a store named by URL.")]
PasswordStdinOption = Annotated[
    bool, typer.Option(help="Read the password from the first line of standard input.")
]


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
    password_stdin: PasswordStdinOption = False,
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
    password_stdin: PasswordStdinOption = False,
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
