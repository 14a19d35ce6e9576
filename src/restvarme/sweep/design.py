"""The cases of a sweep as a pandas table: one row per case, one column per parameter.

- ``factorial``: every combination of the parameters' levels (:meth:`Parameter.levels`), the
  first parameter varying slowest, in the order the file lists them;
- ``latin_hypercube``: ``cases`` points of :class:`scipy.stats.qmc.LatinHypercube` in [0, 1)^d
  (d = number of parameters), seeded: each parameter's range is cut into ``cases`` equal strata
  and every stratum holds exactly one case; each coordinate is then mapped to a value by
  :meth:`Parameter.from_unit` (a distribution's quantile function, a range scaled, a list cut
  into equal strata);
- ``monte_carlo``: ``cases`` independent uniform points from ``numpy.random.default_rng(seed)``,
  mapped the same way.

The same file and seed give the same table on any machine (scipy's and numpy's generators are
stable for a given seed). :func:`case_key` names each case by a hash of what decides its result
(the base scenario, its series files and the case's values), so results written under that key
belong to that case and to no other.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from restvarme.sweep.spec import Sweep, SweepSpec

CASE_INDEX = "case"
"""Name of the case table's index (0, 1, ...)."""


def unit_sample(spec: SweepSpec) -> np.ndarray:
    """The points in [0, 1)^d of a sampled design, shape (cases, parameters)."""
    from scipy.stats import qmc

    d = len(spec.parameters)
    n = spec.design.cases
    assert n is not None
    if spec.design.kind == "latin_hypercube":
        return np.asarray(qmc.LatinHypercube(d=d, seed=spec.design.seed).random(n))
    return np.random.default_rng(spec.design.seed).random((n, d))


def case_table(spec: SweepSpec) -> pd.DataFrame:
    """The cases of a sweep: index ``case`` (0, 1, ...), one column per parameter (its key path
    as written in the sweep file), values as the scenario takes them (numbers, or texts for
    series files)."""
    names = list(spec.parameters)
    if spec.design.kind == "factorial":
        levels = [spec.parameters[k].levels() or [] for k in names]
        rows = list(itertools.product(*levels))
        table = pd.DataFrame(rows, columns=names)
    else:
        u = unit_sample(spec)
        table = pd.DataFrame(
            {k: spec.parameters[k].from_unit(u[:, j]) for j, k in enumerate(names)}
        )
        for k, p in spec.parameters.items():
            texts = p.series or (p.values if p.values and isinstance(p.values[0], str) else None)
            if texts is None:
                table[k] = table[k].astype(float)
    table.index.name = CASE_INDEX
    return table


def base_digest(sweep: Sweep) -> str:
    """SHA-256 of what every case shares: the base scenario as validated, and the bytes of every
    series file it or a ``series`` parameter names (a changed CSV changes every result)."""
    from restvarme.inputs.series import iter_series
    from restvarme.scenario.base import SeriesFile

    h = hashlib.sha256()
    h.update(json.dumps(sweep.base_data, sort_keys=True, default=str).encode())
    files = {
        (v.file if isinstance(v, SeriesFile) else v) for _, v in iter_series(sweep.base.scenario)
    }
    for p in sweep.spec.parameters.values():
        files |= set(p.series or [])
    for file in sorted(files):
        path = Path(sweep.base.base_dir) / file
        h.update(file.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    return h.hexdigest()


def case_key(digest: str, values: dict[str, Any]) -> str:
    """The key of one case (16 hex digits): a hash of the base digest and the case's values."""
    text = json.dumps({k: _plain(v) for k, v in sorted(values.items())}, sort_keys=True)
    return hashlib.sha256(f"{digest}\n{text}".encode()).hexdigest()[:16]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def case_values(table: pd.DataFrame, case: int) -> dict[str, Any]:
    """One case's parameter values as plain Python values."""
    row = table.loc[case]
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
