"""What to look at when the solver cannot solve a model: the range of its numbers, and the
variables and constraints (hence the scenario keys) the extremes come from.

A linear program is solved reliably when its numbers stay within a few orders of magnitude of
each other. HiGHS refuses a model outright when a constraint coefficient exceeds its
``large_matrix_value`` (1e15) or a value is not a number, treats bounds and right-hand sides from
its ``infinite_bound`` (1e20) as infinite, and runs into numeric trouble (an "unknown" end, or a
wrong optimum) when the coefficients of one model span more than about 1e9-1e12. Validation keeps
a scenario's values within physical limits (:mod:`restvarme.scenario.limits`), so such a model is
rare; when it happens, :func:`number_ranges` says which numbers are the largest and smallest and
where they come from, e.g.::

    right-hand sides: largest 1e+301 at heat_balance[main, 2030-01-01 00:00] (networks.main);
    smallest 5 at ...
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, cast

import linopy
import numpy as np
import pandas as pd

HIGHS_LARGE_MATRIX_VALUE = 1e15
"""Largest constraint coefficient HiGHS accepts (its ``large_matrix_value`` option)."""
HIGHS_INFINITE_BOUND = 1e20
"""Bounds and right-hand sides from this size on are infinite to HiGHS (``infinite_bound``)."""

_SECTION = {
    "network": "networks",
    "cooling_network": "cooling_networks",
    "waste_source": "waste_heat",
    "fuel": "fuels",
    "fleet": "fleets",
    "biogas_plant": "biogas.plants",
}
"""Model dimensions whose coordinates are names in a scenario section."""
_TIME = {"snapshot", "period", "day", "hour"}


def number_ranges(model: linopy.Model) -> str:
    """The largest and smallest (non-zero, in magnitude) constraint coefficients, objective
    coefficients, variable bounds and right-hand sides of ``model``, each with the variable or
    constraint it sits in and the scenario key that names it; and any value that is not a
    number. One line per kind, for an error message."""
    try:
        mats = model.matrices
        assert mats.A is not None  # a model without constraints is caught below
        a = mats.A.tocoo()
        vlabels, clabels = np.asarray(mats.vlabels), np.asarray(mats.clabels)
        c, lb, ub, b = (np.asarray(x, dtype=float) for x in (mats.c, mats.lb, mats.ub, mats.b))
    except Exception:  # the diagnosis must never hide the failure it explains
        return "(the model's numbers could not be read)"

    def var(i: int) -> str:
        return _describe(model.variables, int(vlabels[i]))

    def con(i: int) -> str:
        return _describe(model.constraints, int(clabels[i]))

    bounds = np.concatenate([lb, ub])
    n = lb.size
    kinds: list[tuple[str, np.ndarray, Callable[[int], str], bool]] = [
        ("constraint coefficients", a.data, lambda k: f"{var(a.col[k])} in {con(a.row[k])}", True),
        ("objective coefficients", c, var, True),
        ("variable bounds", bounds, lambda k: var(k % n), False),
        ("right-hand sides", b, con, False),
    ]
    lines = []
    for kind, values, where, inf_is_wrong in kinds:
        values = np.asarray(values, dtype=float)
        bad = np.isnan(values) | (np.isinf(values) if inf_is_wrong else False)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            lines.append(f"{kind}: {int(bad.sum())} not a number, first {values[k]} ({where(k)})")
        finite = np.isfinite(values) & (values != 0)
        if not finite.any():
            continue
        idx = np.flatnonzero(finite)
        mag = np.abs(values[idx])
        hi, lo = int(idx[np.argmax(mag)]), int(idx[np.argmin(mag)])
        if mag.max() == mag.min():
            lines.append(f"{kind}: all {values[hi]:.3g} in magnitude, e.g. {where(hi)}")
            continue
        lines.append(
            f"{kind}: largest {values[hi]:.3g} at {where(hi)}; smallest {values[lo]:.3g} at "
            f"{where(lo)}"
        )
    return "\n".join(f"    {line}" for line in lines)


def _describe(items: linopy.Variables | linopy.Constraints, label: int) -> str:
    """``heat_balance[main, 2030-01-01 00:00] (networks.main)`` for a label."""
    try:
        # one label gives one (name, coords) pair (linopy types every form it takes)
        name, coords = cast(tuple[str | None, dict[str, Any]], items.get_label_position(label))
    except Exception:
        return f"label {label}"
    if name is None:
        return f"label {label}"
    at = [_show(v) for d, v in coords.items() if d not in _TIME]
    at += [_show(v) for d, v in coords.items() if d in _TIME]
    keys = [k for d, v in coords.items() if (k := _key(d, v))]
    return name + (f"[{', '.join(at)}]" if at else "") + (f" ({', '.join(keys)})" if keys else "")


def _key(dim: Hashable, value: object) -> str | None:
    """The scenario key a model coordinate names: a unit, a network, a source, a fuel."""
    from restvarme.units.registry import REGISTRY

    if dim in _TIME:
        return None
    if dim in _SECTION:
        return f"{_SECTION[dim]}.{value}"
    if dim in REGISTRY or dim == "unit":
        return f"units.{value}"
    return None


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp | np.datetime64):
        return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")
    return str(value)
