"""Execute one stored run: what a worker process does (and ``restvarme run --store``).

:func:`execute_run` claims a queued run, writes its scenario version into a fresh folder of its
own, loads and solves it with :func:`restvarme.run` (phases recorded in the store as they start),
writes the run folder as ``restvarme run`` does (:func:`restvarme.results.folder.output_folder`,
:func:`restvarme.results.io.result_files`: the same files, atomically, manifest last), stores its
files by content hash and marks the run succeeded. A scenario or solver problem ends the run
failed with restvarme's located message; anything else ends it failed with the exception's type
only (the traceback goes to the worker's standard error, the server's log, never to a client).

The solver's log (HiGHS's output) is captured from the process's standard output while the run
solves, so workers must be processes of their own: a worker runs one run at a time.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

from restvarme.errors import RestvarmeError
from restvarme.store.models import RunStatus
from restvarme.store.runs import RunStore

_STORES: dict[tuple[str, str], RunStore] = {}
"""Stores opened by this worker process, kept open between runs (a warm worker)."""


class RunCancelled(Exception):
    """A cancel was asked for; raised at the next phase."""


def warm_up() -> None:
    """Import the numerical stack once, when a worker process starts, so that its runs do not
    pay for it (linopy, xarray, HiGHS: about two seconds)."""
    import restvarme.inputs.build
    import restvarme.model.build
    import restvarme.model.solve
    import restvarme.results.collect
    import restvarme.results.io  # noqa: F401


def _store(data_dir: str, url: str) -> RunStore:
    key = (data_dir, url)
    if key not in _STORES:
        _STORES[key] = RunStore(data_dir, url, migrate_schema=False)
    return _STORES[key]


@contextlib.contextmanager
def _captured_output(path: Path) -> Iterator[None]:
    """Send this process's standard output and error (file descriptors 1 and 2, where HiGHS
    writes) to ``path`` within the block."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "wb") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def _read_log(path: Path) -> str:
    if not path.is_file():
        return ""
    with open(path, "rb") as handle:
        size = path.stat().st_size
        handle.seek(max(0, size - 400_000))
        return handle.read().decode("utf-8", errors="replace")


def execute_run(data_dir: str, url: str, run_id: int, capture: bool = True) -> str:
    """Run the stored run ``run_id`` in this process; return its final status.

    ``capture``: record the solver's log (redirects standard output while solving; a worker
    does, a command-line process that prints its own progress does not).
    """
    import restvarme
    from restvarme.results.folder import output_folder
    from restvarme.results.io import resolved_scenario_json, result_files

    store = _store(data_dir, url)
    if not store.claim(run_id):
        return str(store.run(run_id)["status"])
    info = store.run(run_id)
    store.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"run-{run_id}-", dir=store.work_dir))
    log_path = work / "solver.log"

    def on_phase(name: str) -> None:
        if store.set_phase(run_id, name):
            raise RunCancelled

    try:
        scenario_file = store.materialise_version(info["version_id"], work / "scenario")
        options = {"output_flag": True} if capture and info["solver"] == "highs" else None
        out = work / "out"
        with (
            _captured_output(log_path) if capture else contextlib.nullcontext(),
            output_folder(out, purpose="restvarme worker") as folder,
        ):
            on_phase("load")
            sf = restvarme.load(scenario_file)
            ds = restvarme.run(sf, solver=info["solver"], solver_options=options, on_phase=on_phase)
            on_phase("write")
            folder.commit(result_files(ds, resolved_scenario_json(sf)))
            if info["report"]:  # as `restvarme run --report`: listed as derived
                from restvarme.cli_report import report_after_run

                on_phase("report")
                report_after_run(folder, ds, quiet=True)
        import ast

        store.finish(
            run_id,
            out,
            objective_eur=float(ds.attrs["objective_eur"]),
            timings=ast.literal_eval(str(ds.attrs.get("timings_s", "{}"))),
            solver_seconds=float(ds.attrs.get("solver_seconds", float("nan"))),
            solver_log=_read_log(log_path),
        )
        return RunStatus.succeeded.value
    except RunCancelled:
        store.end(run_id, RunStatus.cancelled, "cancelled while running", _read_log(log_path))
        return RunStatus.cancelled.value
    except RestvarmeError as error:
        store.end(run_id, RunStatus.failed, str(error), _read_log(log_path))
        return RunStatus.failed.value
    except Exception as error:
        traceback.print_exc()  # the server's log
        store.end(
            run_id,
            RunStatus.failed,
            f"internal error ({type(error).__name__}); the server's log has the details",
            _read_log(log_path),
        )
        return RunStatus.failed.value
    finally:
        store.remove_work(work)
