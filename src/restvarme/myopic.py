"""Myopic pathway runs: plan one period at a time, carrying what was built forward.

Each period is solved on its own, knowing nothing of later periods. New capacity it builds joins
the existing capacity of every later period until its lifetime ends (flows that scale with a
unit's size scale with it: a CHP's fuel capacity, a store's charge and discharge power), and the
expansion limits of later periods shrink by what was already built. Each period's decision sees
the annuity of new capacity for its own years only, as in myopic capacity-expansion practice;
the reported capital cost of a period includes the annuities of capacity built earlier and still
in service, so ``discounted_cost_eur`` is what the whole plan costs.

Capacity groups (:mod:`restvarme.model.groups`) are carried the same way: a group's new shared
capacity joins its existing capacity (``capacity_group_capacity_mw``) in every later period
until the lifetime of the period it was built in ends, and its expansion limits shrink by it.

Compared with perfect foresight (the default), a myopic plan can only be as cheap or dearer: it
shows what a city that decides period by period would build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.model.capacity import MW, CapacityKind
from restvarme.units.registry import REGISTRY

if TYPE_CHECKING:
    from restvarme.model.build import BuiltModel
    from restvarme.model.solve import SolveResult


GROUP = "capacity_group"
"""The dimension of capacity groups, sized like a unit type rated in MW."""


def _sized() -> dict[str, CapacityKind]:
    """Every dimension whose new capacity is carried: the unit types and the capacity groups."""
    return {**{dim: t.capacity for dim, t in REGISTRY.items()}, GROUP: CapacityKind(MW)}


def _serving(inputs: xr.Dataset, dim: str, builds: list[tuple[int, np.ndarray]], year: int) -> Any:
    """Capacity of earlier builds serving ``year``: each vintage until the lifetime its build
    period states (what a later period changes applies to its own builds only)."""
    life = inputs[f"{dim}_lifetime_years"]
    return sum(n * ((b <= year) & (year < b + life.sel(period=b).values)) for b, n in builds)


def _with_carried(
    x: xr.Dataset,
    built: dict[str, list[tuple[int, np.ndarray]]],
    inputs: xr.Dataset | None = None,
) -> xr.Dataset:
    """One period's inputs with earlier builds added to existing capacity and taken off the
    expansion limits, and the inputs a type's capacity sets recomputed
    (:attr:`~restvarme.units.unit_type.UnitType.capacity_limits`). ``inputs``: every period's,
    for what earlier vintages were built with (default: ``x``)."""
    inputs = x if inputs is None else inputs
    year = int(x["period"].values[0])
    x = x.copy()
    for dim, kind in _sized().items():
        if dim not in x.sizes or not x.sizes[dim] or not built.get(dim):
            continue
        serving = _serving(inputs, dim, built[dim], year)
        total = sum(n for _, n in built[dim])
        for key, per_new in kind.scaled:
            scale = (
                1.0 if per_new is None else x[f"{dim}_{per_new}"].isel(period=0, drop=True).values
            )
            name = f"{dim}_{key}"
            x[name] = x[name] + xr.DataArray(serving * scale, dims=dim)
        x[f"{dim}_new_min"] = np.maximum(x[f"{dim}_new_min"] - total, 0.0)
        x[f"{dim}_new_max"] = np.maximum(x[f"{dim}_new_max"] - total, 0.0)
    for unit_type in REGISTRY.values():
        if unit_type.capacity_limits is not None and unit_type.present(x):
            for name, value in unit_type.capacity_limits(x).items():
                x[name] = value
    return x


def solve_myopic(
    inputs: xr.Dataset,
    solve_period: Callable[[xr.Dataset], tuple[BuiltModel, SolveResult]],
    collect: Callable[[BuiltModel, SolveResult], xr.Dataset],
) -> xr.Dataset:
    """Solve a stacked pathway period by period.

    Parameters
    ----------
    inputs : pathway inputs with a ``period`` dimension (restvarme.inputs.pathway)
    solve_period : builds and solves one period's inputs, returning (built model, solve result)
    collect : turns them into that period's results
    """
    periods = inputs["period"].values
    built: dict[str, list[tuple[int, np.ndarray]]] = {dim: [] for dim in _sized()}
    parts, objectives = [], []
    for i, year in enumerate(periods):
        x = _with_carried(inputs.isel(period=[i]), built, inputs)
        model, solved = solve_period(x)
        ds = collect(model, solved)
        objectives.append(float(solved.objective_eur))
        news = {dim: ports.new_capacity for dim, ports in model.units.items()}
        if model.groups is not None:
            news[GROUP] = model.groups.new_capacity
        for dim, variable in news.items():
            if variable is not None:
                new = variable.solution.fillna(0.0)
                new = new.isel(build_period=0, drop=True) if "build_period" in new.dims else new
                built[dim].append((int(year), new.values))
        parts.append(
            ds.isel(period=0, drop=True).drop_vars(
                [
                    "period_discounted_years",
                    "discounted_cost_eur",
                    "capacity_built",
                    "capacity_group_built_mw",
                ],
                errors="ignore",
            )
        )
    return _combine(inputs, parts, built, objectives)


_UNIT_RESULTS = ("capacity_existing", "capacity_new", "capacity_built", "unit")
_GROUP_RESULTS = (
    "capacity_group_existing_mw",
    "capacity_group_new_mw",
    "capacity_group_built_mw",
    GROUP,
)
"""Where a dimension's capacities are reported: existing, in service new, built in the period,
and the results' dimension they are on."""
_UNITS = {
    "capacity_new": "MW (MWh for storage)",
    "capacity_built": "MW (MWh for storage), built in the period",
    "capacity_group_new_mw": "MW",
    "capacity_group_built_mw": "MW, built in the period",
}


def _combine(
    inputs: xr.Dataset,
    parts: list[xr.Dataset],
    built: dict[str, list[tuple[int, np.ndarray]]],
    objectives: list[float],
) -> xr.Dataset:
    """Concatenate the periods; restate capacity and capital cost against the original inputs."""
    periods = inputs["period"].values
    ds = xr.concat(
        parts,
        dim=pd.Index(periods, name="period"),
        data_vars="all",
        coords="minimal",
        compat="override",
        combine_attrs="override",
    )
    capital = np.zeros(len(periods))
    years = float(inputs["snapshot_weight_h"].isel(period=0).sum()) / 8760.0
    existing_units = ds["capacity_existing"].copy()
    tables = {
        "capacity_existing": existing_units,
        "capacity_new": xr.zeros_like(existing_units),
        "capacity_built": xr.zeros_like(existing_units),
    }
    for dim, builds in built.items():
        if not builds:
            continue
        existing, new, built_in, along = _GROUP_RESULTS if dim == GROUP else _UNIT_RESULTS
        if existing not in tables:
            tables[existing] = ds[existing].copy()
            tables[new] = xr.zeros_like(tables[existing])
            tables[built_in] = xr.zeros_like(tables[existing])
        at = {along: inputs[dim].values}
        cost = inputs[f"{dim}_capacity_cost_eur_per_year"]
        for i, year in enumerate(periods):
            serving = _serving(inputs, dim, builds, int(year))
            tables[existing].loc[{"period": year, **at}] -= serving - builds[i][1]
            tables[new].loc[{"period": year, **at}] = serving
            tables[built_in].loc[{"period": year, **at}] = builds[i][1]
            # earlier vintages still in service, each at its own build period's yearly cost
            for b, n in builds[:i]:
                alive = _serving(inputs, dim, [(b, n)], int(year))
                capital[i] += years * float(np.sum(alive * cost.sel(period=b).values))
    for name, table in tables.items():
        ds[name] = table.assign_attrs(**({"units": _UNITS[name]} if name in _UNITS else {}))
    ds["cost_eur"].loc[{"cost_item": "capital"}] = ds["cost_eur"].sel(cost_item="capital") + capital
    weight = inputs["period_discounted_years"]
    ds["period_discounted_years"] = weight
    ds["discounted_cost_eur"] = (ds["cost_eur"] * weight).sum("period").assign_attrs(units="EUR")
    ds.attrs.update(
        foresight="myopic",
        periods=" ".join(str(p) for p in periods),
        year=int(periods[-1]),
        objective_eur=float(ds["discounted_cost_eur"].sum()),
        period_objectives_eur=" ".join(f"{o:.6g}" for o in objectives),
    )
    return ds
