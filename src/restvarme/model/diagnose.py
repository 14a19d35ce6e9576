"""What to look at when the solver cannot solve a model: the range of its numbers, and the
variables and constraints (hence the scenario keys) the extremes come from; and, for an
infeasible model, the limits that could not be kept.

**Infeasible models.** :func:`restvarme.model.solve.solve` re-solves an infeasible model as an
elastic build (``build_model(inputs, elastic=True)``): every balance gets a surplus and a deficit
slack, and every limit that is a constraint of its own (a capacity group's shared capacity,
an electricity connection's import and export limits) a priced excess (:func:`add_excess`), all
at :data:`ELASTIC_PENALTY_EUR_PER_MWH`. What the elastic optimum still needs of them is what
the scenario cannot meet: :func:`limits_exceeded` names each such limit, its scenario key and
the hours, e.g.::

    the import limit of connection 'site' (electricity.connections.site.import_capacity_mw,
    1 MW) is exceeded by 6 MWh over 4 snapshot(s): 2030-01-01 00:00, ...

**Numbers.**
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

from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, cast

import linopy
import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    from restvarme.model.build import BuiltModel
    from restvarme.model.buses import BusTerms

ELASTIC_PENALTY_EUR_PER_MWH = 1e7
"""Price of every elastic slack and excess [EUR/MWh]: far above any real cost, so the elastic
optimum uses them only where the scenario leaves no other way."""
EXCESS_TOL_MWH = 1e-6
"""An elastic excess counts from this much energy on [MWh]."""
HOURS_SHOWN = 4
"""How many of the hours a limit is exceeded in a message names."""

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
    "capacity_group": "capacity_groups",
    "connection": "electricity.connections",
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


def add_excess(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, like: xr.DataArray, name: str
) -> linopy.Variable:
    """An excess ``E >= 0`` [MW] on ``like``'s dimensions, priced at
    :data:`ELASTIC_PENALTY_EUR_PER_MWH` per MWh (elastic builds only, see the module docstring)."""
    excess = m.add_variables(lower=0, coords=like.coords, name=name)
    terms.add_linear_cost(excess, inputs["cost_weight"] * ELASTIC_PENALTY_EUR_PER_MWH)
    return excess


def limits_exceeded(elastic: BuiltModel) -> list[str]:
    """What each limit of a solved elastic build exceeds: one sentence per capacity group or
    connection whose limit the elastic optimum needs to exceed, naming it, its scenario key,
    the limit [MW], the energy over it [MWh] and the hours (see the module docstring)."""
    found = []
    for excess, what, key, limit in _elastic_limits(elastic):
        energy = excess.solution.fillna(0.0) * elastic.inputs["snapshot_weight_h"]
        dim = next(d for d in excess.dims if d not in _TIME)
        for name in excess.indexes[dim]:
            over = energy.sel({dim: name}).to_series()
            over = over[over > EXCESS_TOL_MWH]
            if over.empty:
                continue
            value = float(limit.sel({dim: name}).max())
            found.append(
                f"the {what} {name!r} ({key(str(name))}, {value:g} MW) is exceeded by "
                f"{float(over.sum()):.6g} MWh over {over.size} snapshot(s): {_hours(over.index)}"
            )
    return found


def _elastic_limits(
    built: BuiltModel,
) -> Iterator[tuple[linopy.Variable, str, Callable[[str], str], xr.DataArray]]:
    """(excess, what it limits, the scenario key of a name, the limit [MW]) of every elastic
    limit of a build; an extendable group's limit counts what the elastic optimum built."""
    x = built.inputs
    groups = built.groups
    if groups is not None and groups.excess_mw is not None:
        capacity = x["capacity_group_capacity_mw"]
        extendable = set()
        if groups.new_capacity is not None:
            new = groups.new_capacity.solution.fillna(0.0)
            capacity = capacity + (new.sum("build_period") if "build_period" in new.dims else new)
            ext = x["capacity_group_extendable"]
            ext = ext.isel(period=0) if "period" in ext.dims else ext
            extendable = {str(g) for g in x["capacity_group"].values[ext.values]}

        def group_key(name: str) -> str:
            also = f" and capacity_groups.{name}.expansion" if name in extendable else ""
            return f"capacity_groups.{name}.capacity_mw{also}"

        yield groups.excess_mw, "shared capacity of capacity group", group_key, capacity
    c = built.connections
    if c is None:
        return
    if c.import_excess_mw is not None:
        limit = x["connection_import_capacity_mw"]
        yield (
            c.import_excess_mw,
            "import limit of connection",
            lambda name: f"electricity.connections.{name}.import_capacity_mw",
            limit,
        )
    if c.export_excess_mw is not None:
        limit = x["connection_export_capacity_mw"]
        yield (
            c.export_excess_mw,
            "export limit of connection",
            lambda name: (
                f"electricity.connections.{name}.export_capacity_mw and electricity.export_allowed"
            ),
            limit,
        )


def _hours(index: pd.Index) -> str:
    """The first :data:`HOURS_SHOWN` hours of an index (snapshots, or period and snapshot)."""
    shown = [
        " ".join(_show(v) for v in (at if isinstance(at, tuple) else (at,)))
        for at in index[:HOURS_SHOWN]
    ]
    more = len(index) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
