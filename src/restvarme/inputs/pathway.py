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
from restvarme.scenario.load import ScenarioFile
from restvarme.scenario.pathway import apply_changes
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


def _stack(parts: Sequence[xr.Dataset], years: Sequence[int]) -> xr.Dataset:
    index = parts[0]["snapshot"].to_index()
    parts = [p.assign_coords(snapshot=index) for p in parts]
    numeric = [k for k, v in parts[0].data_vars.items() if v.dtype.kind not in "OUS"]
    for k, v in parts[0].data_vars.items():
        if v.dtype.kind in "OUS" and any(not p[k].equals(v) for p in parts[1:]):
            raise ScenarioError(
                [
                    Problem(
                        f"'{k}' changes between periods; a pathway may change values, "
                        "not which network, "
                        "fuel or source a unit is connected to",
                        ("pathway",),
                    )
                ]
            )
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
    ds = _stack([build_inputs(p, aggregate=False) for p in scenarios], years)
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
