"""Server-rendered pages over the API (Jinja2 templates in ``restvarme/web/templates``; no
CDN, nothing fetched from elsewhere, works offline): pick an example or upload a folder, see its
validation with located problems, start a run and watch it (server-sent events), read the
report and summary, compare runs.

Templates escape every value (Jinja2's autoescape); forms post to this app only (the app
refuses cross-site posts, :func:`restvarme.web.app.refuse_cross_site`) and, with login, carry
the session's CSRF token (:mod:`restvarme.web.auth`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from restvarme.store.runs import SCENARIO_FILE, NotFoundError, StoreError
from restvarme.web import api, figures
from restvarme.web.params import DbId, RunIds
from restvarme.web.queue import QueueFull
from restvarme.web.upload import UploadError

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with who is logged in and the CSRF token for its forms."""
    from restvarme.web.auth import csrf_token

    who = getattr(request.state, "principal", None)
    context = {"user": who, "csrf_token": csrf_token(request), **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _index(request: Request, error: str = "", status_code: int = 200) -> HTMLResponse:
    from restvarme.examples import example_names

    store = api._store(request)
    return page(
        request,
        "index.html",
        status_code,
        examples=example_names(),
        scenarios=store.scenarios(),
        runs=store.runs(50),
        error=error,
    )


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return _index(request)


@router.post("/examples/{name}")
def store_example(request: Request, name: str) -> Response:
    version = api.store_example(request, name)
    return RedirectResponse(f"/scenarios/{version.scenario}?version={version.id}", 303)


@router.post("/scenarios")
async def upload(
    request: Request,
    name: Annotated[str, Form()],
    archive: Annotated[UploadFile | None, File()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
    author: Annotated[str, Form(max_length=200)] = "",
    message: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    try:
        version = await api.store_upload(api._store(request), name, archive, files, author, message)
    except (UploadError, StoreError) as error:
        status = getattr(error, "status_code", 422)
        return await run_in_threadpool(_index, request, str(error), status)
    return RedirectResponse(f"/scenarios/{version.scenario}?version={version.id}", 303)


def _scenario_page(
    request: Request, name: str, version_id: int | None, error: str = "", status_code: int = 200
) -> HTMLResponse:
    store = api._store(request)
    version = store.version(version_id) if version_id else store.latest_version(name)
    validation = api._validate(store, int(version["id"]))
    return page(
        request,
        "scenario.html",
        status_code,
        version=version,
        validation=validation,
        error=error,
    )


@router.get("/scenarios/{name}", response_class=HTMLResponse)
def scenario(
    request: Request, name: str, version: Annotated[int | None, Query()] = None
) -> HTMLResponse:
    return _scenario_page(request, name, version)


@router.get("/scenarios/{name}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    name: str,
    version: Annotated[int | None, Query()] = None,
    file: Annotated[str, Query(max_length=512)] = SCENARIO_FILE,
) -> HTMLResponse:
    """Edit a file of a version (its ``scenario.yaml`` by default) with live validation: the
    script (``static/editor.js``) sends the text to the validate endpoint as one types and
    shows each located problem beside its line; saving stores a new version."""
    from restvarme.web.auth import LOCAL

    store = api._store(request)
    info = store.version(version) if version else store.latest_version(name)
    files = {f["path"]: f["sha256"] for f in info["files"]}
    if file not in files:
        raise NotFoundError(f"version {info['id']} has no file {file[:80]!r}")
    raw = store.blobs.read_bytes(files[file])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreError(f"{file[:80]} is not UTF-8 text; edit it elsewhere") from None
    who = getattr(request.state, "principal", LOCAL)
    return page(
        request,
        "edit.html",
        version=info,
        file=file,
        text=text,
        author="" if who is LOCAL else who.name,
        editable=sorted(p for p in files if p.endswith((".yaml", ".yml", ".csv", ".md"))),
    )


@router.post("/versions/{version_id}/run")
def start_run(request: Request, version_id: DbId) -> Response:
    store = api._store(request)
    version = store.version(version_id)
    try:
        run_id = api._queue(request).start(lambda: store.create_run(version_id, report=True))
    except QueueFull as error:
        return _scenario_page(request, version["scenario"], version_id, str(error), 429)
    return RedirectResponse(f"/runs/{run_id}", 303)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run(request: Request, run_id: DbId) -> HTMLResponse:
    store = api._store(request)
    info = store.run(run_id)
    summary = ""
    if info["status"] == "succeeded":
        summary = figures.summary(store.run_folder(run_id))["text"]
    return page(request, "run.html", run=info, summary=summary)


def _waste_heat_page(request: Request, run_id: DbId, source: str | None) -> HTMLResponse:
    store = api._store(request)
    info = store.run(run_id)
    context: dict[str, Any] = {"run": info, "sources": [], "price_list": None, "error": ""}
    try:
        folder = store.run_folder(run_id)
        context["sources"] = figures.waste_heat_sources(folder)["sources"]
        if source is not None:
            context["price_list"] = figures.price_list(folder, source)[0]
    except (figures.FigureRequestError, StoreError) as error:
        context["error"] = str(error)
        return page(request, "waste_heat.html", 422, **context)
    return page(request, "waste_heat.html", **context)


@router.get("/runs/{run_id}/waste-heat", response_class=HTMLResponse)
def waste_heat(request: Request, run_id: DbId) -> HTMLResponse:
    """A supplier's view: what each waste-heat source is worth in this run."""
    return _waste_heat_page(request, run_id, None)


@router.get("/runs/{run_id}/waste-heat/{source}", response_class=HTMLResponse)
def price_list(request: Request, run_id: DbId, source: str) -> HTMLResponse:
    """A supplier's price list: outdoor temperature band x delivery temperature."""
    return _waste_heat_page(request, run_id, source)


@router.post("/runs/{run_id}/cancel")
def cancel(request: Request, run_id: DbId) -> Response:
    api._store(request).cancel(run_id)
    return RedirectResponse(f"/runs/{run_id}", 303)


@router.get("/compare")
def compare(request: Request, run: Annotated[RunIds | None, Query()] = None) -> Response:
    if not run:
        return _index(request, "tick the runs to compare", 422)
    query = "&".join(f"run={r}" for r in run)
    return RedirectResponse(f"/api/compare/page?{query}", 303)
