"""Capacity groups: units whose combined output (or input) shares one capacity.

A group g lists units of any types (:mod:`restvarme.scenario.groups`). Its flow is read from
the units' ports (:mod:`restvarme.units.ports`), never from their type::

    output:  F[t,g] = Σ_u∈g  positive part of heat[t,u] and cooling[t,u]
    input:   F[t,g] = Σ_u∈g  negative part of electricity[t,u] (electricity used)
                             + fuel[t,u] + source_heat[t,u]

limited to one carrier where the group names ``carrier``. The *positive part* of a port is its
terms with a positive coefficient (every variable of a port is non-negative), so a store's heat
port ``discharge - charge`` counts its discharge, and a heat pump's electricity port
``-Q/COP`` is used electricity ``Q/COP``. Then, per hour::

    F[t,g] <= K[g] + N[g]                         (one-year runs)
    F[p,t,g] <= K[p,g] + Σ_b A[b,p,g] · N[b,g]    (pathways: vintages, restvarme.model.capacity)

with ``N`` the group's new capacity, built and priced exactly like a unit's
(:func:`restvarme.model.capacity.add_new_capacity`: annuity plus fixed O&M per MW, per year of
horizon, by vintage in pathways).

In the elastic build that explains an infeasible model (:mod:`restvarme.model.diagnose`) the
limit gets a priced excess ``E[t,g] >= 0`` on its right-hand side, ``F <= K + N + E``: a group's
capacity that its units' flows cannot stay within is then named with its hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme.errors import Problem, ScenarioError
from restvarme.model.buses import BusTerms
from restvarme.model.capacity import active, add_new_capacity, static
from restvarme.model.diagnose import add_excess
from restvarme.model.linear import _arrays, _expression, assemble, to_buses, values_like
from restvarme.scenario.groups import INPUT_CARRIERS, OUTPUT_CARRIERS
from restvarme.units.ports import Flow, Ports

DIM = "capacity_group"

SIGN = {"heat": 1.0, "cooling": 1.0, "electricity": -1.0, "fuel": 1.0, "source_heat": 1.0}
"""Which part of each carrier's port a group counts: +1 the positive part (produced heat and
cooling, fuel burnt, source heat drawn), -1 the negative part turned positive (electricity
used)."""


@dataclass(frozen=True)
class CapacityGroups:
    """The groups' shared flows, limits and new capacity."""

    flow_mw: linopy.LinearExpression
    """F[t,g] [MW], dims (snapshot, capacity_group) (period first in pathways)."""
    limit: linopy.Constraint
    """F <= K + N, on the same dims."""
    new_capacity: linopy.Variable | None
    """N[g] (N[build_period, g] in pathways); None when no group is extendable."""
    excess_mw: linopy.Variable | None = None
    """E[t,g] [MW], the flow above the limit; only in elastic builds (diagnosis), else None."""


def signed_part(flow: Flow, sign: float) -> linopy.LinearExpression:
    """``sign ·`` the terms of ``coeff · term`` whose coefficient has the sign ``sign`` [MW]:
    the positive part of a port (``sign=1``) or its negative part made positive (``-1``);
    the other terms are dropped (their variable label set to -1)."""
    v, c, k = _arrays(flow.term)
    scale = values_like(flow.coeff, v.isel(_term=0, drop=True))
    coeffs = c.values * scale[..., None] * sign
    keep = coeffs > 0
    dims = tuple(d for d in v.dims if d != "_term")
    return _expression(
        flow.term.model,
        np.where(keep, v.values, -1),
        np.where(keep, coeffs, 0.0),
        None if k is None else np.zeros(k.shape),
        dims,
        {d: v.indexes[d] for d in dims if d in v.indexes},
    )


def _carriers(inputs: xr.Dataset) -> xr.DataArray:
    """(capacity_group, carrier) True where a group limits a carrier."""
    names = list(OUTPUT_CARRIERS + INPUT_CARRIERS)
    output = static(inputs, "capacity_group_output")
    only = static(inputs, "capacity_group_carrier")
    per = xr.DataArray(names, dims="carrier", coords={"carrier": names})
    of_direction = xr.where(output, per.isin(OUTPUT_CARRIERS), per.isin(INPUT_CARRIERS))
    return of_direction & ((only == "") | (only == per))


def group_flows(inputs: xr.Dataset, units: Mapping[str, Ports]) -> linopy.LinearExpression:
    """F[t,g] [MW] (see the module docstring). A member unit whose ports have no flow the group
    limits is a :class:`~restvarme.errors.ScenarioError` at the group's key path."""
    groups = inputs[DIM]
    order = [str(u) for u in static(inputs, "unit_order").values]
    member = static(inputs, "capacity_group_member").transpose(DIM, "unit").values
    carriers = _carriers(inputs)
    found = np.zeros_like(member)
    parts = []
    for ports in units.values():
        names = [str(u) for u in inputs[ports.dim].values]
        at = [order.index(n) for n in names]
        for carrier, flow in ports.flows.items():
            if carrier not in SIGN:
                continue
            limited = member[:, at] & carriers.sel(carrier=carrier).values[:, None]
            if not limited.any():
                continue
            found[:, at] |= limited
            # one group per unit and carrier (restvarme.scenario.groups.one_group_per_direction)
            label = np.where(limited.any(axis=0), groups.values[limited.argmax(axis=0)], "")
            labels = xr.DataArray(label, coords={ports.dim: names}, dims=ports.dim)
            parts.append(to_buses(signed_part(flow, SIGN[carrier]), labels, groups))
    _check_found(inputs, order, member, found)
    like = inputs["snapshot_weight_h"]
    coords = {**{d: like.indexes[d] for d in like.dims}, DIM: groups.to_index()}
    return assemble(parts[0].model, parts, coords)


def _check_found(
    inputs: xr.Dataset, order: list[str], member: np.ndarray, found: np.ndarray
) -> None:
    """Every member has a flow in its group's direction, or a located error."""
    problems = []
    for g, group in enumerate(inputs[DIM].values):
        output = bool(static(inputs, "capacity_group_output").values[g])
        direction = "output" if output else "input"
        carrier = str(static(inputs, "capacity_group_carrier").values[g])
        what = carrier or " or ".join(OUTPUT_CARRIERS if output else INPUT_CARRIERS)
        for i in np.flatnonzero(member[g] & ~found[g]):
            problems.append(
                Problem(
                    f"unit {order[i]!r} has no {direction} the group can limit (its ports have "
                    f"no {what}); expected units with a flow of {what} (a group of "
                    f"`direction: {direction}` limits {_limits(output)}), or another "
                    "`direction` or `carrier`",
                    ("capacity_groups", str(group), "units"),
                )
            )
    if problems:
        raise ScenarioError(problems)


def _limits(output: bool) -> str:
    """What a group of a direction limits, in words."""
    if output:
        return "the heat and cooling its units deliver"
    return "the electricity its units use, the fuel they burn and the source heat they draw"


def add_capacity_groups(
    m: linopy.Model,
    inputs: xr.Dataset,
    terms: BusTerms,
    units: Mapping[str, Ports],
    *,
    elastic: bool = False,
) -> CapacityGroups | None:
    """The groups' limits and new capacity (see the module docstring); None without groups.
    ``elastic``: with a priced excess on every limit (diagnosis only)."""
    if DIM not in inputs.dims or inputs.sizes[DIM] == 0:
        return None
    flow = group_flows(inputs, units)
    excess = add_excess(m, inputs, terms, flow.const, "capacity_group_excess") if elastic else None
    limited = flow if excess is None else flow - excess
    existing = inputs["capacity_group_capacity_mw"]
    new = add_new_capacity(m, inputs, terms, DIM)
    if new is None:
        limit = m.add_constraints(limited <= existing, name="capacity_group_limit")
    elif "build_period" in new.dims:
        serving = (new * active(inputs, DIM)).sum("build_period")
        limit = m.add_constraints(limited - serving <= existing, name="capacity_group_limit")
    else:
        limit = m.add_constraints(limited - new <= existing, name="capacity_group_limit")
    return CapacityGroups(flow, limit, new, excess)
