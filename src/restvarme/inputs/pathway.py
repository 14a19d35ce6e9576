"""Pathway inputs: one scenario per investment period, stacked along a ``period`` dimension.

Each period is the base scenario with its ``year`` set to the period's year and the period's
``changes`` applied (dotted key paths; units addressed by name). Every period is operated over
the same hours of a representative year, so the periods share the first period's ``snapshot``
coordinate.

Costs of period ``p`` count for the years it stands for, discounted to the base year::

    D[p] = Σ_{k=0}^{n_p - 1} (1 + r)^-(y_p + k - y_base)

with ``n_p`` the years until the next period (the last period: ``last_period_years``, default
the gap before it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr
from pydantic import ValidationError

from restvarme.economics import discount_factor
from restvarme.errors import Problem, ScenarioError
from restvarme.inputs.aggregate import aggregate_inputs
from restvarme.inputs.build import build_inputs
from restvarme.scenario.load import ScenarioFile, key_line
from restvarme.scenario.pathway import apply_change, apply_changes
from restvarme.scenario.schema import Pathway, Scenario


def period_years(pathway: Pathway) -> np.ndarray:
    """Years each period stands for."""
    years = [p.year for p in pathway.periods]
    gaps = list(np.diff(years))
    last = pathway.last_period_years or (gaps[-1] if gaps else 1)
    return np.asarray([*gaps, last], dtype=int)


def discounted_years(pathway: Pathway, discount_rate: float) -> np.ndarray:
    """D[p]: the discounted number of years period p stands for (see module docstring)."""
    base = pathway.base_year if pathway.base_year is not None else pathway.periods[0].year
    out = []
    for period, n in zip(pathway.periods, period_years(pathway), strict=True):
        out.append(float(np.sum(discount_factor(discount_rate, period.year + np.arange(n) - base))))
    return np.asarray(out)


def period_scenarios(sf: ScenarioFile) -> list[ScenarioFile]:
    """One validated scenario per period; a bad change is a located :class:`ScenarioError`."""
    sc = sf.scenario
    if sc.pathway is None:
        return [sf]
    base = sc.model_dump(mode="python", exclude={"pathway"}, exclude_none=False)
    out = []
    for i, period in enumerate(sc.pathway.periods):
        where = ("pathway", "periods", i, "changes")
        try:
            data = apply_changes({**base, "year": period.year}, period.changes)
        except KeyError as exc:
            raise ScenarioError(
                [Problem(f"no key {exc.args[0]!r} to change", (*where, exc.args[0]), sf.path)]
            ) from None
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:
            problems = [
                Problem(f"{'.'.join(map(str, e['loc']))}: {e['msg']}", where, sf.path)
                for e in exc.errors()
            ]
            raise ScenarioError(problems) from None
        out.append(ScenarioFile(scenario, sf.path, sf.base_dir))
    return out


def _change_targets(sf: ScenarioFile, i: int) -> dict[str, tuple[str | int, ...]]:
    """The scenario key path each change of period ``i`` sets (units by index)."""
    sc = sf.scenario
    assert sc.pathway is not None
    data = sc.model_dump(mode="python", exclude={"pathway"}, exclude_none=False)
    return {
        dotted: apply_change(data, dotted, v) for dotted, v in sc.pathway.periods[i].changes.items()
    }


def _at_change(sf: ScenarioFile, i: int, problem: Problem, names: Sequence[str] = ()) -> Problem:
    """A problem found while building period ``i``, located at the change (file, line, key
    path) that caused it: the change whose key path is the problem's or starts it, or that
    addresses one of ``names`` (units or sources); else, with ``names``, at the period's
    ``changes``, and without, where the problem was found (it is about the base scenario)."""
    assert sf.scenario.pathway is not None
    year = sf.scenario.pathway.periods[i].year
    where: tuple[str | int, ...] = ("pathway", "periods", i, "changes")
    targets = _change_targets(sf, i)
    path = tuple(problem.path)

    def related(dotted: str) -> bool:
        n = min(len(targets[dotted]), len(path))
        return (n > 0 and targets[dotted][:n] == path[:n]) or dotted.split(".")[1:2] in [
            [name] for name in names
        ]

    hits = [dotted for dotted in targets if related(dotted)]
    message = f"in {year}: {problem.message}"
    if not hits and not names:
        return Problem(message, path, problem.file, problem.line, problem.suggestion)
    key = (*where, hits[0]) if hits else where
    line = key_line(sf.path, key) if sf.path is not None else None
    return Problem(message, key, sf.path, line, problem.suggestion)


def _differing(a: xr.DataArray, b: xr.DataArray) -> list[str]:
    """Names along the first dimension (units, sources) where two labels differ."""
    if not a.dims or a.shape != b.shape:
        return []
    rows = np.asarray(a.values != b.values).reshape(a.shape[0], -1).any(axis=1)
    return [str(n) for n in a[a.dims[0]].values[rows]]


def _stack(sf: ScenarioFile, parts: Sequence[xr.Dataset], years: Sequence[int]) -> xr.Dataset:
    index = parts[0]["snapshot"].to_index()
    parts = [p.assign_coords(snapshot=index) for p in parts]
    numeric = [k for k, v in parts[0].data_vars.items() if v.dtype.kind not in "OUS"]
    for k, v in parts[0].data_vars.items():
        if v.dtype.kind not in "OUS":
            continue
        for i, p in enumerate(parts[1:], start=1):
            if p[k].equals(v):
                continue
            names = _differing(v, p[k])
            message = (
                f"'{k}' of {', '.join(names) or 'the scenario'} differs from the first "
                "period's; a pathway may change values, not which network, fuel or source a "
                "unit is connected to"
            )
            raise ScenarioError([_at_change(sf, i, Problem(message), names)])
    return xr.concat(
        parts,
        dim=pd.Index(list(years), name="period"),
        data_vars=numeric,
        coords="minimal",
        compat="override",
        join="override",
        combine_attrs="drop_conflicts",
    )


def build_pathway_inputs(sf: ScenarioFile) -> xr.Dataset:
    """Inputs of every period, stacked on ``period``, with discounted cost weights."""
    sc = sf.scenario
    if sc.pathway is None:
        raise ValueError("the scenario has no `pathway` section")
    scenarios = period_scenarios(sf)
    years = [p.year for p in sc.pathway.periods]
    parts = []
    for i, period in enumerate(scenarios):
        try:
            parts.append(build_inputs(period, aggregate=False))
        except ScenarioError as exc:
            if i == 0 and not sc.pathway.periods[0].changes:
                raise
            raise ScenarioError([_at_change(sf, i, p) for p in exc.problems]) from None
    ds = _stack(sf, parts, years)
    weight = xr.DataArray(
        discounted_years(sc.pathway, sc.discount_rate),
        coords={"period": years},
        dims="period",
        attrs={"units": "yr"},
    )
    ds["period_discounted_years"] = weight
    ds["period_years"] = xr.DataArray(
        period_years(sc.pathway), coords={"period": years}, dims="period", attrs={"units": "yr"}
    )
    ds["cost_weight"] = (ds["snapshot_weight_h"] * weight).assign_attrs(units="h·yr")
    ds.attrs["foresight"] = sc.pathway.foresight
    return aggregate_inputs(ds, sc.horizon)
