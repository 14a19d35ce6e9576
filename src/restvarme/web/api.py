"""The REST API's routes (``/api/...``); see :mod:`restvarme.web.app` for the map."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from restvarme.errors import RestvarmeError, ScenarioError
from restvarme.store.models import RunStatus
from restvarme.store.runs import SCENARIO_FILE, NotFoundError, RunStore, StoreError
from restvarme.web import figures
from restvarme.web.params import DbId, RunIds
from restvarme.web.queue import RunQueue
from restvarme.web.upload import UploadError, from_files, from_zip

router = APIRouter(prefix="/api")
"""The API's routes: a viewer reads (GET), an editor changes (POST) when the app has login."""
public = APIRouter(prefix="/api")
"""Routes open to anyone: the health check."""

MEDIA_TYPES = {
    ".nc": "application/x-netcdf",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}


# -- models ------------------------------------------------------------------------------------


class FileOut(BaseModel):
    path: str = Field(description="Path in the scenario folder (POSIX)")
    sha256: str
    bytes: int


class Problem(BaseModel):
    """A located problem of a scenario, as ``restvarme validate`` prints it."""

    file: str | None = Field(description="File, relative to the scenario folder")
    line: int | None
    key_path: str = Field(description="Key path in scenario terms, e.g. units[3].capacity_mw")
    path: list[str | int]
    message: str
    suggestion: str | None
    text: str = Field(description="The problem as one line, as the CLI prints it")


class Validation(BaseModel):
    ok: bool
    summary: str = Field("", description="What validate prints when the scenario is fine")
    notes: list[str] = []
    problems: list[Problem] = []


class VersionOut(BaseModel):
    id: int
    scenario: str
    content_hash: str = Field(description="SHA-256 of the version's sorted file list")
    author: str
    message: str
    created_at: str
    files: list[FileOut]
    created: bool | None = Field(None, description="Upload: False if these files were stored")
    validation: Validation | None = None


class VersionBrief(BaseModel):
    id: int
    content_hash: str
    author: str
    message: str
    created_at: str


class ScenarioOut(BaseModel):
    name: str
    created_at: str
    versions: list[VersionBrief]


class RunRequest(BaseModel):
    version_id: DbId | None = Field(None, description="The version to run")
    scenario: str | None = Field(None, description="Or: the newest version of this scenario")
    solver: str = Field("highs", pattern=r"^[a-z][a-z0-9_]{0,31}$")
    report: bool = Field(False, description="Also write the HTML report, as run --report")


class ResultFileOut(BaseModel):
    name: str
    sha256: str
    bytes: int


class RunOut(BaseModel):
    id: int
    version_id: DbId
    scenario: str
    status: RunStatus
    phase: str = Field(
        description="load, inputs, build, warm_start, solve, results, write, report, done"
    )
    solver: str
    report: bool = Field(description="The HTML report is written with the results")
    cancel_requested: bool
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    objective_eur: float | None
    solver_seconds: float | None
    timings_s: dict[str, float]
    error: str
    files: list[ResultFileOut] | None = None


class Error(BaseModel):
    detail: str


def _store(request: Request) -> RunStore:
    store: RunStore = request.app.state.store
    return store


def _queue(request: Request) -> RunQueue:
    queue: RunQueue = request.app.state.queue
    return queue


# -- scenarios ---------------------------------------------------------------------------------


def _validate(
    store: RunStore,
    version_id: DbId,
    replace: dict[str, bytes] | None = None,
    *,
    inputs: bool = True,
) -> Validation:
    """Validate a version as ``restvarme validate`` does, in a folder of its own; ``replace``:
    with these files in place of the version's (an edit not yet saved); ``inputs=False``: check
    the scenario and its series files but build no inputs (the editor's quick check, a tenth of
    the time for Lund)."""
    from restvarme.cli import _steps_text
    from restvarme.inputs.build import build_inputs
    from restvarme.inputs.pathway import build_pathway_inputs
    from restvarme.inputs.series import check_all_series
    from restvarme.scenario.load import load_scenario
    from restvarme.web.app import problems_json

    store.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="validate-", dir=store.work_dir))
    folder = work / "scenario"
    try:
        path = store.materialise_version(version_id, folder)
        for name, content in (replace or {}).items():
            (folder / name).write_bytes(content)  # a path of the version: checked by the caller
        try:
            sf = load_scenario(path)
            if problems := check_all_series(sf):
                raise ScenarioError(problems)
            sc = sf.scenario
            if not inputs:
                return Validation(ok=True, summary=f"{sc.name!r}: scenario and series checked")
            built = build_inputs(sf) if sc.pathway is None else build_pathway_inputs(sf)
        except ScenarioError as error:
            found = problems_json(error, folder)
            return Validation(ok=False, problems=[Problem(**p) for p in found])
        except RestvarmeError as error:
            text = str(error)
            message = Problem(
                file=None, line=None, key_path="", path=[], message=text, suggestion=None, text=text
            )
            return Validation(ok=False, problems=[message])
        periods = ""
        if "period" in built.dims:
            years = ", ".join(str(y) for y in built["period"].values)
            periods = f"{built.sizes['period']} period(s) ({years}), each "
            built = built.isel(period=0)
        summary = (
            f"{sc.name!r}, {len(sc.networks)} network(s), {len(sc.units)} unit(s), "
            f"{len(sc.waste_heat)} waste-heat source(s), {periods}{_steps_text(built)}"
        )
        return Validation(ok=True, summary=summary)
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def _read_upload(upload: UploadFile) -> bytes:
    from restvarme.web.upload import MAX_UNPACKED_BYTES

    data = await upload.read(MAX_UNPACKED_BYTES + 1)
    if len(data) > MAX_UNPACKED_BYTES:
        raise UploadError(upload.filename or "(file)", "too large", status_code=413)
    return data


@router.post(
    "/scenarios",
    response_model=VersionOut,
    status_code=201,
    responses={413: {"model": Error}, 422: {"model": Error}},
    tags=["scenarios"],
)
async def upload_scenario(
    request: Request,
    name: Annotated[str, Form(description="Scenario name: letters, digits, _ . -")],
    archive: Annotated[
        UploadFile | None, File(description="The scenario folder as a zip archive")
    ] = None,
    files: Annotated[
        list[UploadFile] | None,
        File(description="Or the folder's files, each named by its path in the folder"),
    ] = None,
    author: Annotated[str, Form(max_length=200)] = "",
    message: Annotated[str, Form(max_length=10_000)] = "",
) -> VersionOut:
    """Store a scenario folder (``scenario.yaml`` and its series) as a new version of ``name``
    and validate it: the answer holds the version and its validation (located problems)."""
    return await store_upload(_store(request), name, archive, files, author, message)


async def store_upload(
    store: RunStore,
    name: str,
    archive: UploadFile | None,
    files: list[UploadFile] | None,
    author: str,
    message: str,
) -> VersionOut:
    """Check an upload (:mod:`restvarme.web.upload`), store it as a version and validate it."""
    files = [f for f in files or [] if f.filename]  # a browser sends an empty file input
    if archive is not None and not archive.filename:
        archive = None
    if (archive is None) == (not files):
        raise UploadError("(upload)", "send either an archive or files, not both or neither")
    if archive is not None:
        content = from_zip(await _read_upload(archive), archive.filename or "archive")
    else:
        content = from_files([(f.filename or "", await _read_upload(f)) for f in files])
    version = await run_in_threadpool(store.add_version, name, content, author, message)
    validation = await run_in_threadpool(_validate, store, version["id"])
    return VersionOut(**version, validation=validation)


@router.get("/scenarios", response_model=list[ScenarioOut], tags=["scenarios"])
def list_scenarios(request: Request) -> list[dict[str, Any]]:
    """Every stored scenario with its versions (oldest first)."""
    return _store(request).scenarios()


@router.get("/scenarios/{name}", response_model=VersionOut, tags=["scenarios"])
def get_scenario(request: Request, name: str) -> dict[str, Any]:
    """The newest version of a scenario."""
    return _store(request).latest_version(name)


@router.get("/examples", tags=["scenarios"])
def list_examples() -> list[str]:
    """The built-in examples (``POST /api/examples/{name}`` stores one as a scenario)."""
    from restvarme.examples import example_names

    return example_names()


@router.post("/examples/{name}", response_model=VersionOut, status_code=201, tags=["scenarios"])
def store_example(request: Request, name: str) -> VersionOut:
    """Store a built-in example's folder as a version of the scenario of that name (a series it
    reads from another example's folder is copied in, under ``imported/``)."""
    store = _store(request)
    content = example_files(name)
    version = store.add_version(name, content, "restvarme", "built-in example")
    return VersionOut(**version, validation=_validate(store, version["id"]))


def example_files(name: str) -> dict[str, bytes]:
    """A built-in example's files as a version: every file of its folder, with the series it
    reads from elsewhere (``lund_2030`` reads ``../lund/series``) copied in and its
    ``scenario.yaml`` rewritten to read them there (:mod:`restvarme.store.bundle`), so that the
    stored version validates on its own."""
    from restvarme.examples import example_names, examples_dir
    from restvarme.scenario.load import load_scenario
    from restvarme.store.bundle import scenario_files

    if name not in example_names():
        raise NotFoundError(f"no built-in example {name[:64]!r}")
    folder = examples_dir() / name
    content = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not p.is_symlink()
        and not p.name.startswith(".")
        and "__pycache__" not in p.parts
    }
    content.update(scenario_files(load_scenario(folder / SCENARIO_FILE)))
    return content


@router.get("/versions/{version_id}", response_model=VersionOut, tags=["scenarios"])
def get_version(request: Request, version_id: DbId) -> dict[str, Any]:
    """A stored version and its files."""
    return _store(request).version(version_id)


@router.get("/versions/{version_id}/files/{path:path}", tags=["scenarios"])
def get_version_file(request: Request, version_id: DbId, path: str) -> Response:
    """One file of a version, as stored (as text)."""
    store = _store(request)
    files = {f["path"]: f["sha256"] for f in store.version(version_id)["files"]}
    if path not in files:
        raise NotFoundError(f"version {version_id} has no file {path[:80]!r}")
    return Response(
        store.blobs.read_bytes(files[path]),
        media_type="text/plain; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )


class Edit(BaseModel):
    """Files of a version changed in the editor: their text by path (paths of the version)."""

    files: dict[str, str] = Field(
        description="New text of files of the version, by path, e.g. {'scenario.yaml': '...'}",
        max_length=20,
    )
    quick: bool = Field(
        False, description="Check the scenario and its series only, building no inputs"
    )


class SaveEdit(BaseModel):
    files: dict[str, str] = Field(description="New text of files of the version", max_length=20)
    author: str = Field("", max_length=200, description="Without login: who saves it")
    message: str = Field("", max_length=10_000, description="What changed, and why")


def _edited(store: RunStore, version_id: DbId, files: dict[str, str]) -> dict[str, bytes]:
    """The edited files as bytes, each a file of the version within the upload limits."""
    from restvarme.web.upload import size_limit

    known = {f["path"] for f in store.version(version_id)["files"]}
    out = {}
    for path, text in files.items():
        if path not in known:
            raise UploadError(path[:80], f"not a file of version {version_id}")
        data = text.encode("utf-8")
        if len(data) > size_limit(path):
            raise UploadError(path, "too large", status_code=413)
        out[path] = data
    return out


@router.post(
    "/versions/{version_id}/validate",
    response_model=Validation,
    responses={422: {"model": Validation, "description": "The located problems"}},
    tags=["scenarios"],
)
def validate_version(request: Request, version_id: DbId, body: Edit | None = None) -> Any:
    """Check a version as ``restvarme validate`` does: 200 if it is fine, 422 with every located
    problem (file, line, key path) if not. With a body: check the version with the files it
    holds in place of the stored ones, storing nothing (the editor's live validation)."""
    store = _store(request)
    replace = _edited(store, version_id, body.files) if body else None
    result = _validate(store, version_id, replace, inputs=not (body and body.quick))
    if not result.ok:
        return JSONResponse(result.model_dump(), status_code=422)
    return result


@router.post(
    "/versions/{version_id}/edit",
    response_model=VersionOut,
    status_code=201,
    responses={413: {"model": Error}, 422: {"model": Error}},
    tags=["scenarios"],
)
def save_edit(request: Request, version_id: DbId, body: SaveEdit) -> VersionOut:
    """Store a version's files with the edited ones in their place as a new version of its
    scenario (author: the user logged in, or ``author`` without login), and validate it."""
    from restvarme.web.auth import LOCAL

    store = _store(request)
    base = store.version(version_id)
    content = {f["path"]: store.blobs.read_bytes(f["sha256"]) for f in base["files"]}
    content.update(_edited(store, version_id, body.files))
    who = getattr(request.state, "principal", LOCAL)
    author = body.author if who is LOCAL else who.name
    version = store.add_version(base["scenario"], content, author, body.message)
    return VersionOut(**version, validation=_validate(store, version["id"]))


@router.get("/schema", tags=["scenarios"])
def scenario_schema() -> dict[str, Any]:
    """The scenario file's JSON Schema (``restvarme schema``), for editors that check YAML
    against one; the validate endpoint checks the same model and more (series, references)."""
    from restvarme.scenario.schema import Scenario

    return Scenario.model_json_schema()


# -- runs --------------------------------------------------------------------------------------


@router.post(
    "/runs",
    response_model=RunOut,
    status_code=202,
    responses={429: {"model": Error, "description": "The queue is full; see Retry-After"}},
    tags=["runs"],
)
def start_run(request: Request, body: RunRequest) -> dict[str, Any]:
    """Queue a run of a version (or of a scenario's newest version); a worker process runs it.
    Answers 429 with a ``Retry-After`` header when the queue is full."""
    store = _store(request)
    if (body.version_id is None) == (body.scenario is None):
        raise StoreError("give either version_id or scenario")
    version_id = body.version_id
    if version_id is None:
        version_id = int(store.latest_version(str(body.scenario))["id"])
    store.version(version_id)  # 404 if there is none
    run_id = _queue(request).start(lambda: store.create_run(version_id, body.solver, body.report))
    return store.run(run_id)


@router.get("/runs", response_model=list[RunOut], tags=["runs"])
def list_runs(
    request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """The newest runs first."""
    return _store(request).runs(limit)


@router.get("/runs/{run_id}", response_model=RunOut, tags=["runs"])
def get_run(request: Request, run_id: DbId) -> dict[str, Any]:
    """A run's status, phase, timings, objective, error and result files."""
    return _store(request).run(run_id)


@router.get("/runs/{run_id}/log", tags=["runs"])
def get_run_log(request: Request, run_id: DbId) -> Response:
    """The solver's log of a run (its last 200,000 characters)."""
    text = str(_store(request).run(run_id)["solver_log"])
    return Response(text, media_type="text/plain; charset=utf-8")


@router.post("/runs/{run_id}/cancel", response_model=RunOut, tags=["runs"])
def cancel_run(request: Request, run_id: DbId) -> dict[str, Any]:
    """Cancel a run: a queued run at once, a running one when it reaches its next phase."""
    store = _store(request)
    store.cancel(run_id)
    return store.run(run_id)


@router.get(
    "/runs/{run_id}/events",
    tags=["runs"],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def run_events(request: Request, run_id: DbId) -> StreamingResponse:
    """Server-sent events: ``event: run`` with the run's status and phase at every change, until
    it has finished (the last event is ``event: end``)."""
    store = _store(request)
    await run_in_threadpool(store.run, run_id)  # 404 before the stream starts

    async def stream() -> Any:
        last = None
        idle = 0.0
        while True:
            info = await run_in_threadpool(store.run, run_id)
            state = (info["status"], info["phase"])
            if state != last:
                last = state
                brief = {k: v for k, v in info.items() if k not in ("solver_log", "files")}
                yield f"event: run\ndata: {json.dumps(brief)}\n\n"
                idle = 0.0
            if RunStatus(info["status"]).finished:
                yield f"event: end\ndata: {json.dumps({'status': info['status']})}\n\n"
                return
            if await request.is_disconnected():
                return
            await asyncio.sleep(0.2)
            idle += 0.2
            if idle >= 15:
                yield ": still running\n\n"
                idle = 0.0

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


@router.get("/runs/{run_id}/results", response_model=list[ResultFileOut], tags=["results"])
def list_results(request: Request, run_id: DbId) -> list[dict[str, Any]]:
    """The files of a succeeded run's folder: results.nc, the CSV tables, manifest.json."""
    return list(_store(request).result_files(run_id).values())


@router.get("/runs/{run_id}/results/{name}", tags=["results"])
def get_result(request: Request, run_id: DbId, name: str) -> FileResponse:
    """One file of a run's folder (``results.nc`` as netCDF, the tables as CSV)."""
    store = _store(request)
    files = store.result_files(run_id)
    if name not in files:
        raise NotFoundError(f"run {run_id} has no result file {name[:80]!r}")
    media = MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")
    return FileResponse(
        store.blobs.path(files[name]["sha256"]),
        media_type=media,
        filename=name,
        headers={"X-Content-Type-Options": "nosniff"},
    )


@router.get("/runs/{run_id}/summary", tags=["results"])
def get_summary(request: Request, run_id: DbId) -> dict[str, Any]:
    """What ``restvarme run`` prints and writes as CSV, as JSON (tables as records) and, under
    ``text``, the printed tables."""
    return figures.summary(_store(request).run_folder(run_id))


@router.get("/runs/{run_id}/report", response_class=HTMLResponse, tags=["results"])
def get_report(request: Request, run_id: DbId) -> FileResponse:
    """The HTML report of a run (``restvarme report``): the one its worker wrote (a run started
    with ``report``), or written now, once, and kept."""
    from restvarme.report.html import REPORT_FILE, write_report
    from restvarme.results.folder import add_derived

    store = _store(request)
    files = store.result_files(run_id)
    headers = {"X-Content-Type-Options": "nosniff"}
    if REPORT_FILE in files:
        path = store.blobs.path(files[REPORT_FILE]["sha256"])
        return FileResponse(path, media_type="text/html; charset=utf-8", headers=headers)
    folder = store.run_folder(run_id)
    target = folder / REPORT_FILE
    if not target.is_file():
        add_derived(
            folder, REPORT_FILE, lambda path: write_report(folder, path), purpose="restvarme serve"
        )
    return FileResponse(
        target, media_type="text/html; charset=utf-8", headers={"X-Content-Type-Options": "nosniff"}
    )


@router.get("/runs/{run_id}/accounts", tags=["results"])
def get_accounts(
    request: Request,
    run_id: DbId,
    method: str = "reference_efficiency",
    perspective: Literal["accounting", "decision"] = "accounting",
    marginal_factor: Annotated[float, Query(ge=0, le=10)] = 0.7,
    electricity_factor: Annotated[float | None, Query(ge=0, le=10)] = None,
    heat_temperature: Literal["log_mean", "mean", "supply"] = "log_mean",
    ambient_c: Annotated[float | None, Query(ge=-100, le=100)] = None,
    renewable_electricity_share: Annotated[float, Query(ge=0, le=1)] = 0.0,
    fossil_electricity_share: Annotated[float, Query(ge=0, le=1)] = 0.0,
    period: int | None = None,
) -> dict[str, Any]:
    """``restvarme accounts``: indicators per network (g CO2e/kWh, primary energy factor,
    shares), emissions by unit and the cost of heat, with the CHP method named."""
    return figures.accounts(
        _store(request).run_folder(run_id),
        method=method,
        perspective=perspective,
        marginal_factor=marginal_factor,
        electricity_factor=electricity_factor,
        heat_temperature=heat_temperature,
        ambient_c=ambient_c,
        renewable_electricity_share=renewable_electricity_share,
        fossil_electricity_share=fossil_electricity_share,
        period=period,
    )


@router.get("/runs/{run_id}/waste-heat-value", tags=["results"])
def get_waste_heat_value(
    request: Request, run_id: DbId, period: int | None = None
) -> dict[str, Any]:
    """``restvarme waste-heat-value``: the value of each waste-heat source."""
    return figures.waste_heat_sources(_store(request).run_folder(run_id), period)


@router.get("/runs/{run_id}/waste-heat-value/{source}", tags=["results"])
def get_price_list(
    request: Request,
    run_id: DbId,
    source: str,
    temperatures: Annotated[
        str, Query(max_length=200, description="Delivery temperatures [°C], comma separated")
    ] = "25,40,55,70,85",
    supplier_mw: Annotated[float, Query(gt=0, le=100_000)] = 1.0,
    period: int | None = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """``restvarme waste-heat-value --source``: a supplier's price list (outdoor temperature band
    x delivery temperature), as JSON or as the CSV the command writes."""
    try:
        temps = [float(x) for x in temperatures.split(",") if x.strip()]
    except ValueError:
        raise figures.FigureRequestError(
            "temperatures must be numbers separated by commas"
        ) from None
    if not temps or len(temps) > 20 or any(not -50 <= t <= 200 for t in temps):
        raise figures.FigureRequestError("give 1 to 20 temperatures between -50 and 200 °C")
    answer, table = figures.price_list(
        _store(request).run_folder(run_id),
        source,
        temperatures_c=temps,
        supplier_mw=supplier_mw,
        period=period,
    )
    if format == "csv":
        return Response(
            table.to_csv(index=False, float_format="%.4f"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="price_list_{run_id}.csv"'},
        )
    return answer


def _folders(store: RunStore, runs: list[int]) -> list[Path]:
    if not 1 <= len(runs) <= 12:
        raise StoreError("compare 1 to 12 runs: ?run=1&run=2")
    return [store.run_folder(r) for r in runs]


@router.get("/compare", tags=["results"])
def compare(
    request: Request, run: Annotated[RunIds, Query(description="Run ids")]
) -> dict[str, Any]:
    """``restvarme compare --json``: key figures and heat mix of several runs side by side."""
    return figures.compare(_folders(_store(request), run), run)


@router.get("/compare/page", response_class=HTMLResponse, tags=["results"])
def compare_page(
    request: Request, run: Annotated[RunIds, Query(description="Run ids")]
) -> HTMLResponse:
    """The HTML comparison page ``restvarme compare`` writes."""
    from restvarme.report.compare import compare_runs, comparison_html

    page = comparison_html(compare_runs(_folders(_store(request), run)))
    return HTMLResponse(page, headers={"X-Content-Type-Options": "nosniff"})


@public.get("/health", tags=["server"])
def health(request: Request) -> dict[str, Any]:
    """Whether the app runs, and how full its queue is."""
    queue = _queue(request)
    return {"ok": True, "in_flight": queue.in_flight(), "capacity": queue.capacity}


__all__ = ["SCENARIO_FILE", "public", "router"]
