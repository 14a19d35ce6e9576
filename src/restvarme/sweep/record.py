"""Record a sweep's cases in a run store (``restvarme sweep SWEEP.yaml --store URL``).

The base scenario's files are stored once as a version of the scenario (as ``restvarme run
--store`` stores them; the same files are the same version). Each case that finishes becomes a
run of that version:

- a case that ran: a ``succeeded`` run whose files are the case's run folder (written by the
  worker into ``<out>/runs/<key>``, as ``restvarme run`` writes one: results, tables, the
  resolved scenario with the case's values, the manifest), with its objective, timings and the
  solver's seconds;
- a case that failed: a ``failed`` run with the case's error.

``<out>/store.json`` maps each case's key to its run id, so a resumed sweep records only the
cases it runs now, and running it again records nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from restvarme.store.runs import RunStore

STORE_MAP = "store.json"
"""Case key -> run id of the cases recorded, in the sweep's out folder."""


class StoreRecorder:
    """Records each new case record of a sweep as a run of the base scenario's version."""

    def __init__(
        self,
        store: RunStore,
        out: Path,
        name: str,
        files: Mapping[str, bytes],
        sweep_name: str,
        solver: str = "highs",
    ) -> None:
        self.store = store
        self.out = out
        self.solver = solver
        version = store.add_version(name, files, "restvarme sweep", f"base of sweep {sweep_name}")
        self.version_id = int(version["id"])
        self.recorded: dict[str, int] = _read_map(out / STORE_MAP)

    def __call__(self, record: Mapping[str, Any]) -> None:
        """Record one case (a record of :func:`restvarme.sweep.execute.run_case`), unless it
        was recorded before; its run id goes into :attr:`recorded`."""
        from restvarme.store.models import RunStatus

        key = str(record["key"])
        if key in self.recorded:
            return
        run_id = self.store.create_run(self.version_id, solver=self.solver)
        self.store.claim(run_id)
        folder = self.out / "runs" / key
        if record.get("status") == "ok" and folder.is_dir():
            self.store.finish(
                run_id,
                folder,
                objective_eur=float(record.get("objective_eur", float("nan"))),
                timings={"case": float(record.get("seconds", 0.0))},
                solver_seconds=float(record.get("solver_seconds", float("nan"))),
            )
        else:
            error = str(record.get("error") or "the case left no run folder")
            self.store.end(run_id, RunStatus.failed, error=f"case {record['case']}: {error}")
        self.recorded[key] = run_id
        from restvarme.sweep.execute import write_json_atomic

        write_json_atomic(self.out / STORE_MAP, self.recorded)


def _read_map(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}
