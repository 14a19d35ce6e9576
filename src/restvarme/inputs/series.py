"""Read a scenario *series* value (constant or CSV column) into one value per snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from restvarme.errors import Problem, ScenarioError
from restvarme.scenario.schema import Series, SeriesFile

_TIME_NAMES = {"time", "timestamp", "datetime", "date", "snapshot", "hour", "utc"}


def load_series(
    value: Series,
    *,
    n: int,
    base_dir: Path,
    path: Sequence[str | int],
    scenario_file: Path | None = None,
) -> np.ndarray:
    """Return ``value`` as a float array of length ``n``.

    Parameters
    ----------
    value : float, str or SeriesFile
        A constant, a CSV path relative to ``base_dir``, or a file/column/scale mapping.
    n : int
        Number of snapshots; a CSV must have at least this many rows (extra rows are ignored).
    base_dir : Path
        Folder of the scenario file.
    path : sequence of str or int
        Key path of the value in the scenario, for error messages.
    """
    if isinstance(value, int | float):
        return np.full(n, float(value))
    ref = SeriesFile(file=value) if isinstance(value, str) else value

    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(message, tuple(path), file=scenario_file)])

    csv_path = (base_dir / ref.file).resolve()
    if not csv_path.is_file():
        raise fail(f"series file {ref.file!r} not found (looked for {csv_path})")
    try:
        frame = pd.read_csv(csv_path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read CSV {ref.file!r}: {exc}") from None
    if ref.column is not None:
        if ref.column not in frame.columns:
            raise fail(
                f"column {ref.column!r} not in {ref.file!r}; columns are {list(frame.columns)}"
            )
        column = ref.column
    else:
        candidates = [c for c in frame.columns if str(c).strip().lower() not in _TIME_NAMES]
        if len(candidates) != 1:
            raise fail(
                f"{ref.file!r} has columns {list(frame.columns)}; name the one to use with "
                f"`{{file: {ref.file}, column: NAME}}`"
            )
        column = candidates[0]
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    if len(values) < n:
        raise fail(f"{ref.file!r} column {column!r} has {len(values)} rows; expected {n} (one per hour)")
    values = values[:n] * ref.scale
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise fail(
            f"{ref.file!r} column {column!r} has {bad.size} missing or non-numeric value(s), "
            f"first at data row {bad[0] + 1} (file line {bad[0] + 2}); expected numbers"
        )
    return values
