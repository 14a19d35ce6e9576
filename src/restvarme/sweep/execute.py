"""Run the cases of a sweep: in local worker processes, or on Dask; resumable.

Each case is a full restvarme run (:func:`restvarme.api.run`) of the base scenario with the
case's values set (:func:`restvarme.sweep.spec.apply_case`), validated as a scenario file is, so
its figures equal those of a single run of the same scenario. Where the cases run:

- ``processes=N`` (default: the machine's cores): a pool of N local worker processes
  (:class:`concurrent.futures.ProcessPoolExecutor`, started by ``spawn``), each leaving HiGHS
  its share of the cores (:func:`share_cores`); ``processes=0`` runs every case in this
  process, one after another;
- ``workers=N``: a Dask :class:`distributed.LocalCluster` of N single-threaded worker processes
  on this machine (its scheduler on 127.0.0.1, no dashboard; Dask starts each with
  ``OMP_NUM_THREADS=1``, so HiGHS runs on one core there);
- ``scheduler=ADDRESS``: an existing Dask cluster (``tcp://host:8786``); its workers must have
  restvarme installed and see the base scenario's folder at the same path.

The out folder holds::

    sweep.json            the sweep: name, design, parameters, base digest, case count
    cases.parquet         the case table (the design), with each case's key
    cases/<key>.json      one file per finished case, written atomically as it finishes
    results.parquet       the table of every finished case (restvarme.sweep.results)
    runs/<key>/           with ``run_folders`` (``--store``): each case's run folder
    store.json            with ``--store``: each recorded case's run id (restvarme.sweep.record)
    stochastic.parquet    with a two-stage plan: the plans compared (restvarme.sweep.stochastic)

A case's key (:func:`restvarme.sweep.design.case_key`) is a hash of the base scenario, its series
files and the case's values. A case whose file is there is not run again, so a sweep that was
interrupted (Ctrl-C, a lost machine) resumes where it stopped when run again; a changed sweep
file, base scenario or series file changes the keys, so no old result is silently reused (the
old files stay, ignored). A case that fails (an invalid combination, an infeasible model, a
worker lost) is recorded with its error and the sweep goes on; ``retry_failed=True`` runs the
failed cases again.
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from restvarme.sweep.design import base_digest, case_key, case_table, case_values
from restvarme.sweep.spec import Sweep, apply_case

Record = dict[str, Any]


@dataclass(frozen=True)
class CaseTask:
    """Everything a worker needs to run one case (picklable, no open files)."""

    case: int
    key: str
    values: dict[str, Any]
    data: dict
    """The scenario mapping with the case's values set."""
    scenario_path: str | None
    base_dir: str
    allowed: tuple[str, ...] = ()
    """Folders series files may also be read from (``allow_paths`` of the caller)."""
    solver: str = "highs"
    resolve: bool = False
    """Re-solve in this process's HiGHS instance, changed in place (restvarme.sweep.resolve)."""
    run_dir: str | None = None
    """Write the case's run folder here, as ``restvarme run`` writes one (for ``--store``)."""


def run_case(task: CaseTask) -> Record:
    """Run one case and return its record: ``status`` ``ok`` with its figures, or ``failed``
    with the error (any exception is the case's, not the sweep's)."""
    start = time.perf_counter()
    record: Record = {"case": task.case, "key": task.key, "values": task.values}
    try:
        figures, solver_seconds, objective = _solve_case(task)
    except Exception as exc:  # recorded with the case; the sweep goes on
        from restvarme.errors import RestvarmeError

        known = isinstance(exc, RestvarmeError)
        text = str(exc) if known else "".join(traceback.format_exception_only(exc)).strip()
        record.update(status="failed", error=f"{type(exc).__name__}: {text}", figures={})
    else:
        record.update(
            status="ok",
            error=None,
            figures=figures,
            solver_seconds=solver_seconds,
            objective_eur=objective,
        )
    record["seconds"] = time.perf_counter() - start
    return record


def _solve_case(task: CaseTask) -> tuple[dict[str, float], float, float]:
    """The case's figures, the solver's own time [s] and the objective [EUR]; its run folder
    written into ``task.run_dir`` if given."""
    from pydantic import ValidationError

    import restvarme.api
    from restvarme.errors import ScenarioError
    from restvarme.inputs.series import allow_paths
    from restvarme.scenario.load import ScenarioFile, validation_problems, value_problems
    from restvarme.scenario.references import check_references
    from restvarme.scenario.schema import Scenario
    from restvarme.sweep.results import case_figures

    path = Path(task.scenario_path) if task.scenario_path else None
    try:
        scenario = Scenario.model_validate(task.data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, task.data)) from None
    problems = check_references(scenario) + value_problems(scenario, task.data)
    if problems:
        raise ScenarioError(problems)
    sf = ScenarioFile(scenario, path, Path(task.base_dir))
    with allow_paths(*task.allowed):
        if task.resolve and task.solver == "highs" and scenario.pathway is None:
            from restvarme.sweep.resolve import run_resolved

            ds = run_resolved(sf)
        else:
            ds = restvarme.api.run(sf, solver=task.solver)
    if task.run_dir is not None:
        from restvarme.results.folder import output_folder
        from restvarme.results.io import resolved_scenario_json, result_files

        with output_folder(task.run_dir, overwrite=True, purpose="restvarme sweep") as folder:
            folder.commit(result_files(ds, resolved_scenario_json(sf)))
    extendable = [u.name for u in scenario.units if getattr(u, "expansion", None) is not None]
    return (
        case_figures(ds, extendable),
        float(ds.attrs.get("solver_seconds", float("nan"))),
        float(ds.attrs.get("objective_eur", float("nan"))),
    )


@dataclass
class SweepRun:
    """The outcome of :func:`run_sweep`."""

    out: Path
    cases: pd.DataFrame
    """The case table with its ``key`` column."""
    ran: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False
    lost: int = 0
    """Cases whose local worker process died (the pool broke): not recorded, they run again
    when the sweep is run again."""
    ignored_files: int = 0
    """Case files in the folder that belong to no case of this sweep (an earlier version)."""
    records: dict[str, Record] = field(default_factory=dict)


def plan_cases(sweep: Sweep) -> pd.DataFrame:
    """The case table of ``sweep`` with each case's key (column ``key``)."""
    table = case_table(sweep.spec)
    digest = base_digest(sweep)
    table["key"] = [case_key(digest, case_values(table, int(i))) for i in table.index]
    return table


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write JSON to ``path`` through a temporary file in the same folder and ``os.replace``:
    a reader sees the old file or the whole new one, never a part."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=1, default=_plain), encoding="utf-8")
    os.replace(tmp, path)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def read_records(out: Path) -> dict[str, Record]:
    """The record of every case file in ``out/cases`` by key (unreadable files are skipped:
    the case runs again)."""
    records = {}
    folder = out / "cases"
    if folder.is_dir():
        for file in folder.glob("*.json"):
            try:
                record = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(record, dict) and record.get("key") == file.stem:
                records[file.stem] = record
    return records


def run_sweep(
    sweep: Sweep,
    out: Path,
    *,
    processes: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    retry_failed: bool = False,
    solver: str = "highs",
    resolve: bool = False,
    on_record: Callable[[Record], None] | None = None,
    progress: bool = True,
    run_folders: bool = False,
) -> SweepRun:
    """Run every case of ``sweep`` not yet in ``out`` and write the sweep table.

    ``processes``, ``workers`` and ``scheduler`` choose where cases run (module docstring); at
    most one of ``workers`` and ``scheduler``. ``on_record`` is called with each new record as
    it is written. ``resolve``: one-year cases on HiGHS are solved in each worker's HiGHS
    instance, changed in place from the last case (:mod:`restvarme.sweep.resolve`: the same
    objective; where the optimum is not unique, hourly values and duals may be another optimal
    vertex's than a single run reports). ``run_folders``: each case also writes its run folder
    (``out/runs/<key>``, as ``restvarme run`` writes one), for a run store. Ctrl-C stops the
    sweep after writing what finished: the result has ``interrupted`` set, and running it again
    resumes.
    """
    from restvarme.inputs.series import allowed_roots
    from restvarme.sweep.results import sweep_table

    if workers is not None and scheduler is not None:
        raise ValueError("give a Dask scheduler address or a number of workers, not both")
    out.mkdir(parents=True, exist_ok=True)
    (out / "cases").mkdir(exist_ok=True)
    cases = plan_cases(sweep)
    records = read_records(out)
    keys = set(cases["key"])
    result = SweepRun(out, cases, ignored_files=len(set(records) - keys))
    _write_plan(sweep, cases, out)
    todo = []
    allowed = tuple(str(p) for p in allowed_roots(sweep.base.base_dir)[1:])
    for case, row in cases.iterrows():
        record = records.get(row["key"])
        if record is not None and (record.get("status") == "ok" or not retry_failed):
            result.skipped += 1
            continue
        values = case_values(cases.drop(columns="key"), int(case))
        todo.append(
            CaseTask(
                case=int(case),
                key=str(row["key"]),
                values=values,
                data=apply_case(sweep, values),
                scenario_path=str(sweep.base.path) if sweep.base.path else None,
                base_dir=str(sweep.base.base_dir),
                allowed=allowed,
                solver=solver,
                resolve=resolve,
                run_dir=str(out / "runs" / str(row["key"])) if run_folders else None,
            )
        )

    def finished(record: Record) -> None:
        if record["status"] == "lost":  # not the case's fault: not written, runs on resume
            result.lost += 1
            return
        write_json_atomic(out / "cases" / f"{record['key']}.json", record)
        records[record["key"]] = record
        result.ran += 1
        result.failed += record["status"] != "ok"
        if on_record is not None:
            on_record(record)

    if workers is not None or scheduler is not None:
        runner = _run_dask(todo, workers, scheduler)
    else:
        runner = _run_local(todo, (os.cpu_count() or 1) if processes is None else processes)
    with _progress(len(cases), result.skipped, progress) as advance:
        try:
            for record in runner:
                finished(record)
                advance(record)
        except KeyboardInterrupt:
            result.interrupted = True
        finally:
            close = getattr(runner, "close", None)
            if close is not None:
                close()
    result.records = {k: v for k, v in records.items() if k in keys}
    table = sweep_table(cases, result.records)
    _write_parquet(table, out / "results.parquet")
    return result


def _write_parquet(table: pd.DataFrame, path: Path) -> None:
    """Write a table atomically (temporary file in the same folder, then ``os.replace``)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    table.to_parquet(tmp)
    os.replace(tmp, path)


def _write_plan(sweep: Sweep, cases: pd.DataFrame, out: Path) -> None:
    _write_parquet(cases, out / "cases.parquet")
    write_json_atomic(
        out / "sweep.json",
        {
            "name": sweep.name,
            "sweep_file": sweep.path.name,
            "base": sweep.spec.base,
            "design": sweep.spec.design.model_dump(),
            "parameters": {
                k: p.model_dump(exclude_defaults=True) for k, p in sweep.spec.parameters.items()
            },
            "cases": len(cases),
        },
    )


def _run_local(tasks: list[CaseTask], processes: int) -> Iterator[Record]:
    """Records as cases finish, from ``processes`` local processes (0: this process)."""
    if processes <= 0 or not tasks:
        for task in tasks:
            yield run_case(task)
        return
    import multiprocessing

    workers = min(processes, len(tasks))
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=share_cores,
        initargs=(workers,),
    )
    futures: dict[Future[Record], CaseTask] = {pool.submit(run_case, t): t for t in tasks}
    try:
        for future in as_completed(futures):
            yield _result(future, futures[future])
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def share_cores(workers: int) -> None:
    """In one of ``workers`` local worker processes: leave HiGHS this worker's share of the
    cores (``OMP_NUM_THREADS``, which :func:`restvarme.model.highs.cores` reads), as Dask's
    nanny gives each of its workers one, so that cases side by side do not split their
    iterations over cores another case is using."""
    from restvarme.model.highs import cores

    os.environ["OMP_NUM_THREADS"] = str(max(1, cores() // max(1, workers)))


def _run_dask(
    tasks: list[CaseTask], workers: int | None, scheduler: str | None
) -> Iterator[Record]:
    """Records as cases finish, from a Dask cluster (an address, or a LocalCluster)."""
    from restvarme.errors import MissingExtraError

    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise MissingExtraError(
            "Dask sweeps need the `sweep` extra: python -m pip install 'restvarme[sweep]'"
        ) from None
    if not tasks:
        return
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # the cluster is ours: its workers' shutdown chatter (heartbeats to a closed
            # scheduler) is not the user's business; a case's own error is in its record
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {
            client.submit(run_case, t, key=f"restvarme-case-{t.key}", pure=False): t for t in tasks
        }
        for future in dask_completed(list(futures)):
            yield _result(future, futures[future])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future: Any, task: CaseTask) -> Record:
    """The record a future holds; if the worker running it was lost, a ``failed`` record (Dask's
    KilledWorker, raised once Dask's own retries are spent) or a ``lost`` one (a local process
    pool broken by a dying process: which case killed it is unknown, so none is blamed)."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return dict(future.result())
    except Exception as exc:
        return {
            "case": task.case,
            "key": task.key,
            "values": task.values,
            "status": "lost" if isinstance(exc, BrokenProcessPool) else "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "figures": {},
            "seconds": float("nan"),
        }


@contextmanager
def _progress(total: int, done: int, show: bool) -> Iterator[Callable[[Record], None]]:
    """A rich progress bar over cases (on standard error), advanced once per record."""
    if not show:
        yield lambda _record: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    failed = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("cases", total=total, completed=done)

        def advance(record: Record) -> None:
            nonlocal failed
            failed += record["status"] != "ok"
            bar.update(
                task, advance=1, description=f"cases ({failed} failed)" if failed else "cases"
            )

        yield advance
