"""Run ``restvarme run`` and SIGKILL it at one step of writing its output folder.

    python kill_run.py SCENARIO JOBS

``JOBS`` is a JSON list of jobs ``{"out": OUT, "n": N, "log": LOG}``. For each a child process
(forked from this one once the numerical stack is imported, so that each run costs a fraction of
a second) runs ``restvarme run SCENARIO --out OUT -q`` in full, reading and solving the
scenario, and kills itself with SIGKILL just before the N-th step that changes the file system
while the run folder is written: before each file is written, with that file half written,
before each rename and before each removal. ``N = 0`` kills at no step: the run finishes, and
``LOG`` lists every step (with ``N > 0``, the steps up to N). Prints one JSON line per child: its
``out``, ``n``, whether it was ``killed``, its ``exit`` code, and the ``step`` it was killed at.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path


def child(scenario: str, out: str, n: int, log: Path) -> None:
    from restvarme.cli import app
    from restvarme.results import folder

    count = 0
    steps = log.open("w", encoding="utf-8")

    def step(label: str) -> None:
        nonlocal count
        count += 1
        steps.write(label + "\n")
        steps.flush()
        if count == n:
            os.kill(os.getpid(), signal.SIGKILL)

    write_new, move, delete = folder._write_new, folder._move, folder._delete

    def killable_write_new(path: Path, write) -> None:
        step(f"write {path.name}")
        if count + 1 == n:  # the next step: killed with the file half written
            write(path)
            os.truncate(path, path.stat().st_size // 2)
        step(f"write {path.name} (half written)")
        write_new(path, write)

    def killable_move(src: Path, dst: Path) -> None:
        step(f"rename {src.name} into place")
        move(src, dst)

    def killable_delete(path: Path) -> None:
        step(f"remove {path.name}")
        delete(path)

    folder._write_new, folder._move, folder._delete = (
        killable_write_new,
        killable_move,
        killable_delete,
    )
    try:
        app(["run", scenario, "--out", out, "-q"], prog_name="restvarme")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    else:
        code = 0
    steps.close()
    sys.stdout.flush()
    os._exit(code)


def main() -> None:
    scenario, jobs = sys.argv[1], json.loads(sys.argv[2])
    # Import what a run imports before forking (no solver thread runs yet), so that each child
    # only reads, solves and writes.
    import linopy  # noqa: F401
    import xarray  # noqa: F401

    import restvarme.cli
    import restvarme.inputs.build
    import restvarme.inputs.pathway
    import restvarme.model.build
    import restvarme.model.solve
    import restvarme.model.warm_start
    import restvarme.results.collect
    import restvarme.results.io  # noqa: F401

    for job in jobs:
        out, n, step_log = job["out"], int(job["n"]), Path(job["log"])
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            child(scenario, out, n, step_log)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        lines = step_log.read_text(encoding="utf-8").splitlines() if step_log.exists() else []
        print(
            json.dumps(
                {
                    "out": out,
                    "n": n,
                    "killed": killed,
                    "exit": None if killed else os.waitstatus_to_exitcode(status),
                    "step": lines[-1] if killed and lines else None,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
