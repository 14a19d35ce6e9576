"""The web app: a REST API over the run store (:func:`create_app`), served by ``restvarme serve``.

::

    /api/scenarios            upload (zip or files), list          /api/examples   built-in ones
    /api/versions/{id}        a stored version, its files; /validate: located problems (422)
    /api/runs                 start (202; 429 + Retry-After when the queue is full), list
    /api/runs/{id}            status, phase, timings, error; /cancel; /events (server-sent events)
    /api/runs/{id}/results    files (results.nc, CSVs, manifest); /summary: tables as JSON
    /api/runs/{id}/report     the HTML report;   /accounts   indicators, emissions, cost of heat
    /api/runs/{id}/waste-heat-value[/{source}]   value per source, a source's price list
    /api/compare?run=1&run=2  key figures side by side (and /api/compare/page: the HTML page)
    /api/users, /api/tokens   users, roles and API tokens (admins; the /users page for browsers)

The OpenAPI description is at ``/openapi.json`` and browsable at ``/docs``. Errors are JSON:
``{"detail": ...}``, with ``problems`` (file, line, key path, message) for a scenario's; a request
the app cannot serve is never answered with a traceback.

The app sets server mode (:func:`restvarme.errors.server_mode`): messages name files relative to
the scenario folder, never by their path on the server.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from restvarme.errors import SERVER_MODE_ENV, RestvarmeError, ScenarioError
from restvarme.store.logins import LoginLimits
from restvarme.store.models import utcnow
from restvarme.store.runs import ConflictError, NotFoundError, RunStore, StoreError
from restvarme.web.auth import LoginRequired
from restvarme.web.figures import FigureRequestError
from restvarme.web.queue import QueueFull, RunQueue
from restvarme.web.upload import MAX_UPLOAD_BYTES, UploadError

log = logging.getLogger("restvarme.web")


def create_app(
    data_dir: str | Path,
    db_url: str | None = None,
    *,
    workers: int = 1,
    max_waiting: int = 8,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    auth: bool = False,
    secure_cookies: bool = False,
    login_limits: LoginLimits | None = None,
    clock: Callable[[], _dt.datetime] = utcnow,
) -> FastAPI:
    """The app over the store in ``data_dir`` (database ``db_url``, default SQLite there), with
    ``workers`` worker processes and at most ``max_waiting`` runs waiting for one.

    ``auth``: every route needs a user with the right role (:mod:`restvarme.web.auth`);
    without it, every request acts as the local user (for loopback only: ``restvarme serve``
    refuses another address without ``--auth``). ``secure_cookies``: the login cookie is sent
    over HTTPS only, also when the app sees plain HTTP (behind a proxy that ends TLS).
    ``login_limits``: failed logins that lock a user name or an address out (default
    :class:`~restvarme.store.logins.LoginLimits`: 5 per name, 20 per address in 15 minutes);
    ``clock``: what "now" is for them (UTC; tests pass one they move by hand).

    Opening it (its lifespan: ``uvicorn``, or ``with TestClient(app)``) applies the store's
    migrations and marks runs whose process is gone as failed (:meth:`RunStore.recover`).
    """
    os.environ[SERVER_MODE_ENV] = "1"

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = RunStore(data_dir, db_url)
        if failed := store.recover():
            log.warning("runs interrupted by a stop or a killed worker, marked failed: %s", failed)
        queue = RunQueue(store, workers=workers, max_waiting=max_waiting)
        app.state.store, app.state.queue = store, queue
        try:
            yield
        finally:
            queue.shutdown(wait=False)
            store.close()

    from restvarme import __version__

    app = FastAPI(
        title="restvarme",
        version=__version__,
        description="Plan district heating and cooling on waste heat: scenarios, runs and their "
        "results, reports, accounts and waste-heat price lists (docs/web.md).",
        lifespan=lifespan,
        max_body_size=max_upload_bytes,
    )
    app.state.auth, app.state.secure_cookies = auth, secure_cookies
    app.state.login_limits, app.state.clock = login_limits or LoginLimits(), clock
    _add_error_handlers(app)
    app.middleware("http")(refuse_cross_site)
    from restvarme.web.api import public, router
    from restvarme.web.auth import admin_only, authorised, login_router, users_router
    from restvarme.web.pages import router as pages
    from restvarme.web.users_page import router as users_page

    app.include_router(public)
    app.include_router(login_router)
    app.include_router(users_router)
    app.include_router(router, dependencies=[authorised])
    app.include_router(pages, dependencies=[authorised])
    app.include_router(users_page, dependencies=[admin_only])
    app.add_api_route("/favicon.ico", _no_icon, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _no_icon() -> Response:
    """No icon (204), rather than a 404 in every browser's console."""
    return Response(status_code=204)


async def refuse_cross_site(request: Request, call_next: Any) -> Any:
    """Refuse a request that changes something (POST, ...) sent by a page of another site: its
    ``Origin`` names another host, or ``Sec-Fetch-Site`` says ``cross-site`` (OWASP's check of
    standard headers against cross-site request forgery). Clients that are not browsers send
    neither header and are let through."""
    if request.method not in SAFE_METHODS:
        origin = request.headers.get("origin")
        host = request.headers.get("host", "")
        fetch_site = request.headers.get("sec-fetch-site", "")
        foreign_origin = origin is not None and origin.split("://", 1)[-1] != host
        if foreign_origin or fetch_site == "cross-site":
            return JSONResponse(
                {"detail": "refused: a request from another site (Origin or Sec-Fetch-Site)"},
                status_code=403,
            )
    return await call_next(request)


def problems_json(error: ScenarioError, folder: Path | None) -> list[dict[str, Any]]:
    """A scenario's problems as JSON: file (relative to the scenario folder), line, key path,
    message, suggestion, and the text as the CLI prints it."""
    from restvarme.errors import format_key_path

    out = []
    for p in error.problems:
        file = None
        if p.file is not None:
            path = Path(p.file)
            try:
                file = path.resolve().relative_to(folder.resolve()).as_posix() if folder else None
            except (ValueError, OSError):
                file = None
            file = file or path.name
        key = format_key_path(p.path)
        where = (file or "<scenario>") + (f":{p.line}" if p.line is not None else "")
        text = f"{where}: {key}: {p.message}"
        if p.suggestion:
            text += f" (did you mean {p.suggestion!r}?)"
        out.append(
            {
                "file": file,
                "line": p.line,
                "key_path": key,
                "path": list(p.path),
                "message": p.message,
                "suggestion": p.suggestion,
                "text": text,
            }
        )
    return out


def _add_error_handlers(app: FastAPI) -> None:
    def error(status: int, detail: str, **extra: Any) -> JSONResponse:
        return JSONResponse({"detail": detail, **extra}, status_code=status)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            response = error(401, "log in: send Authorization: Bearer <token>")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)

    @app.exception_handler(QueueFull)
    async def _queue_full(_request: Request, exc: QueueFull) -> JSONResponse:
        response = error(429, str(exc), retry_after_s=exc.retry_after_s)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(UploadError)
    async def _upload(_request: Request, exc: UploadError) -> JSONResponse:
        return error(exc.status_code, str(exc), where=exc.where)

    @app.exception_handler(NotFoundError)
    async def _not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(ConflictError)
    async def _conflict(_request: Request, exc: ConflictError) -> JSONResponse:
        return error(409, str(exc))

    @app.exception_handler(StoreError)
    async def _store(_request: Request, exc: StoreError) -> JSONResponse:
        return error(409 if "has no results" in str(exc) else 422, str(exc))

    @app.exception_handler(ScenarioError)
    async def _scenario(_request: Request, exc: ScenarioError) -> JSONResponse:
        return error(422, str(exc), problems=problems_json(exc, None))

    @app.exception_handler(FigureRequestError)
    async def _figures(_request: Request, exc: FigureRequestError) -> JSONResponse:
        return error(422, str(exc))

    @app.exception_handler(RestvarmeError)
    async def _restvarme(_request: Request, exc: RestvarmeError) -> JSONResponse:
        return error(422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "loc": [str(part) for part in e.get("loc", ())],
                "message": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return error(422, "the request is not valid", problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = error(exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")  # the traceback goes to the server's log only
        return error(500, f"internal error ({type(exc).__name__}); the server's log has more")
