"""Unit commitment: on/off status, start-ups, minimum load and minimum up and down times.

Opt-in per unit with a ``commitment:`` block on a CHP, heat pump or boiler; the three types'
specs take the field (:class:`Commitment`), their ``inputs`` add :func:`commitment_inputs` and
their ``build`` calls :func:`add_commitment` on the flow their capacity rates. Without any
``commitment`` block nothing here is added and the model stays an LP.

For a committed unit u, with status s[t,u] ∈ {0, 1}, start-up y[t,u] ∈ {0, 1}, shut-down
z[t,u] ∈ {0, 1}, the load L[t,u] its capacity C[u] rates (heat for boilers and heat pumps, fuel
for CHPs, so that an extraction CHP cannot run in condensing mode while off) and its minimum
load share p[u]::

    p[u]·C[u]·s[t,u]  <=  L[t,u]  <=  C[u]·s[t,u]
    s[t,u] - s[t-1,u]  =  y[t,u] - z[t,u]              (s[-1,u]: the initial state)
    Σ_{τ: h(t) - h(τ) < UT[u], τ <= t} y[τ,u]  <=  s[t,u]          (minimum up time UT [h])
    Σ_{τ: h(t) - h(τ) < DT[u], τ <= t} z[τ,u]  <=  1 - s[t,u]      (minimum down time DT [h])
    s[t,u] = 1  where h(t) < UT[u] - h0[u] and the unit starts on   (it started h0 hours ago)
    s[t,u] = 0  where h(t) < DT[u] - h0[u] and the unit starts off
    cost  Σ_t SU[u]·y[t,u]                               (start-up cost SU [EUR per start])

where h(t) is the hours from the first snapshot to the start of snapshot t (the running sum
of the snapshot weights), so the times are in hours at any resolution. The minimum up and down
times are the "turn on/turn off" inequalities of Rajan and Takriti (2005), *Minimum up/down
polytopes of the unit commitment problem with start-up costs*, IBM Research Report RC23628,
which describe the convex hull of the up/down constraints alone. A unit's initial state and the
hours it has been in it (``initial_state``, ``initial_hours_in_state_h``) carry the times across
the start; the rolling horizon (:mod:`restvarme.operate.rolling`) sets them per window from the
committed hours before it.

Units with capacity expansion and a ``commitment`` block are refused when the scenario is
loaded: a status times a capacity variable is not linear, and the big-M form (capacity bounded
by its largest expansion) is not offered. So is a ``commitment`` block in a pathway
(:func:`commitment_in_pathway`, at the block's key path and line): a pathway's periods are
planned over representative hours, where no status is modelled; commitment is for one-year
dispatch (``restvarme run``, ``restvarme operate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import linopy
import numpy as np
import xarray as xr
from pydantic import Field

from restvarme.errors import Problem
from restvarme.model.linear import Term, add_constraint, combination
from restvarme.scenario.base import Fraction, NonNegative, _Strict
from restvarme.units.ports import Cost, Flow

__all__ = [
    "Commitment",
    "Committed",
    "add_commitment",
    "check_commitment",
    "commitment_in_pathway",
    "commitment_inputs",
    "committed_types",
]

COMMITMENT_TYPES = ("chp", "heat_pump", "boiler")
"""The unit types that take a ``commitment`` block."""


class Commitment(_Strict):
    """On/off operation of one unit, solved as a mixed-integer programme (HiGHS's MIP)."""

    min_load_share: Fraction = Field(
        0.0, description="Least load while on, as a share of capacity (CHPs: of fuel input) [-]."
    )
    startup_cost_eur: NonNegative = Field(0.0, description="Cost of each start [EUR].")
    min_up_time_h: NonNegative = Field(0.0, description="Hours a unit stays on once started [h].")
    min_down_time_h: NonNegative = Field(
        0.0, description="Hours a unit stays off once shut down [h]."
    )
    initial_state: Literal["on", "off"] = Field(
        "off", description="Status before the first snapshot."
    )
    initial_hours_in_state_h: Annotated[float, Field(ge=0)] | None = Field(
        None,
        description="Hours it has been in that state before the first snapshot [h]; default: "
        "long enough that no minimum time binds.",
    )


def check_commitment(unit: Any) -> None:
    """Refuse a ``commitment`` block on an extendable unit (module docstring); the spec's
    validator calls it, so the error names the unit's place in the scenario file."""
    if getattr(unit, "commitment", None) is not None and unit.expansion is not None:
        raise ValueError(
            "`commitment` is for units of fixed capacity: an on/off status times a capacity "
            "to choose is not linear. Plan the capacity first (`restvarme plan`), then give it "
            "as the unit's capacity and drop `expansion`"
        )


def commitment_in_pathway(scenario: Any) -> list[Problem]:
    """Refuse unit commitment in a pathway, located at each ``commitment`` block (and at each
    period change that would add or change one): a pathway's periods are planned together
    over representative hours with capacities to choose, where an on/off status is not modelled;
    commitment is for one-year dispatch (``restvarme run``, ``restvarme operate``).

    A cross-reference rule (:data:`restvarme.scenario.references.RULES`)."""
    if scenario.pathway is None:
        return []
    advice = (
        "unit commitment is for one-year dispatch (`restvarme run`, `restvarme operate`), "
        "not for a pathway's periods; remove the block to plan, then run or operate a "
        "period's year, with the capacities the plan chose, with the block"
    )
    problems = []
    for i, unit in enumerate(scenario.units):
        if getattr(unit, "commitment", None) is not None:
            message = f"unit {unit.name!r} has a `commitment` block in a pathway: {advice}"
            problems.append(Problem(message, ("units", i, "commitment")))
    for p, period in enumerate(scenario.pathway.periods):
        for dotted in period.changes:
            parts = str(dotted).split(".")
            if parts[0] == "units" and "commitment" in parts[2:3]:
                where = ("pathway", "periods", p, "changes", dotted)
                message = f"in {period.year}: a change to a `commitment` block: {advice}"
                problems.append(Problem(message, where))
    return problems


def committed_types(inputs: xr.Dataset) -> list[str]:
    """The types whose inputs hold units with commitment (``<type>_committed``)."""
    return [
        d
        for d in COMMITMENT_TYPES
        if f"{d}_committed" in inputs and bool(inputs[f"{d}_committed"].any())
    ]


def commitment_inputs(units: list, dim: str) -> dict[str, xr.DataArray]:
    """Commitment parameters on ``dim`` (none if no unit has a ``commitment`` block):
    ``<dim>_committed`` (bool), minimum load share [-], start-up cost [EUR], minimum up and down
    times [h], the initial status (bool, on) and hours in it [h] (inf: long enough)."""
    blocks = [getattr(u, "commitment", None) for u in units]
    if all(b is None for b in blocks):
        return {}
    coords = {dim: [u.name for u in units]}

    def array(values: list[Any], unit: str | None = None) -> xr.DataArray:
        return xr.DataArray(np.asarray(values), coords, attrs={"units": unit} if unit else {})

    off = Commitment()
    got = [b if b is not None else off for b in blocks]
    return {
        f"{dim}_committed": array([b is not None for b in blocks]),
        f"{dim}_min_load_share": array([float(b.min_load_share) for b in got], "-"),
        f"{dim}_startup_cost_eur": array([float(b.startup_cost_eur) for b in got], "EUR"),
        f"{dim}_min_up_time_h": array([float(b.min_up_time_h) for b in got], "h"),
        f"{dim}_min_down_time_h": array([float(b.min_down_time_h) for b in got], "h"),
        f"{dim}_initial_on": array([b.initial_state == "on" for b in got]),
        f"{dim}_initial_hours_h": array(
            [
                np.inf if b.initial_hours_in_state_h is None else b.initial_hours_in_state_h
                for b in got
            ],
            "h",
        ),
    }


@dataclass(frozen=True)
class Committed:
    """What :func:`add_commitment` adds to a type's ports."""

    costs: tuple[Cost, ...] = ()
    results: dict[str, Term] = field(default_factory=dict)
    handles: dict[str, linopy.Variable] = field(default_factory=dict)


def add_commitment(
    m: linopy.Model, inputs: xr.Dataset, dim: str, load: Term, capacity_mw: xr.DataArray
) -> Committed:
    """Add the status, start-ups and shut-downs of the type's committed units and their
    constraints on ``load`` [MW] rated by ``capacity_mw`` (module docstring); nothing if the
    inputs hold no commitment for the type."""
    if f"{dim}_committed" not in inputs or not bool(inputs[f"{dim}_committed"].any()):
        return Committed()
    w = inputs["snapshot_weight_h"]
    if w.dims != ("snapshot",):
        raise ValueError(
            "unit commitment is for one-year runs (run, operate); a pathway's periods are not "
            "committed: remove the units' `commitment` blocks to plan"
        )
    on = inputs[f"{dim}_committed"]
    dims = load.labels.dims if isinstance(load, linopy.Variable) else load.data["const"].dims
    coords = [inputs.indexes[d] for d in dims]  # the load's order, for one flat combination
    mask = on.broadcast_like(w).transpose(*dims)
    status = m.add_variables(binary=True, coords=coords, mask=mask, name=f"{dim}_status")
    start = m.add_variables(binary=True, coords=coords, mask=mask, name=f"{dim}_start")
    stop = m.add_variables(binary=True, coords=coords, mask=mask, name=f"{dim}_stop")
    cap = capacity_mw.where(on, 0.0)
    least = (inputs[f"{dim}_min_load_share"] * cap).where(on, 0.0)
    add_constraint(m, combination((load, 1.0), (status, -cap)), "<=", 0, f"{dim}_on_max", mask=mask)
    add_constraint(
        m, combination((load, 1.0), (status, -least)), ">=", 0, f"{dim}_on_min", mask=mask
    )
    first = xr.DataArray(np.arange(w.sizes["snapshot"]) == 0, {"snapshot": inputs["snapshot"]})
    initial = inputs[f"{dim}_initial_on"].astype(float)
    before = status.labels.shift(snapshot=1, fill_value=-1)  # s[t-1]; none at t = 0
    change = combination((status, 1.0), (before, -1.0), (start, -1.0), (stop, 1.0))
    add_constraint(m, change, "=", initial.where(first, 0.0), f"{dim}_status_change", mask=mask)
    hours_h = w.cumsum("snapshot") - w  # h(t): hours from the first snapshot to t's start
    for times, events in (("up", start), ("down", stop)):
        lasting = inputs[f"{dim}_min_{times}_time_h"]
        recent = _recent_sum(events, hours_h, lasting)
        # up: Σ y <= s;  down: Σ z <= 1 - s
        sign, rhs = (-1.0, 0.0) if times == "up" else (1.0, 1.0)
        lhs = combination(*recent, (status, sign))
        add_constraint(m, lhs, "<=", rhs, f"{dim}_min_{times}", mask=mask)
        state_on = inputs[f"{dim}_initial_on"] if times == "up" else ~inputs[f"{dim}_initial_on"]
        held = (mask & state_on & (hours_h < lasting - inputs[f"{dim}_initial_hours_h"])).transpose(
            *dims
        )
        if bool(held.any()):
            held_to = 1.0 if times == "up" else 0.0
            add_constraint(
                m, combination((status, 1.0)), "=", held_to, f"{dim}_min_{times}_initial", mask=held
            )
    per_start = (inputs[f"{dim}_startup_cost_eur"] / w).where(on, 0.0)
    costs = (Cost("startup", Flow(start, per_start)),)
    return Committed(
        costs=costs if bool((inputs[f"{dim}_startup_cost_eur"].where(on, 0.0) > 0).any()) else (),
        results={f"{dim}_status": status, f"{dim}_start": start},
        handles={"status": status, "start": start, "stop": stop},
    )


def _recent_sum(
    events: linopy.Variable, hours_h: xr.DataArray, lasting_h: xr.DataArray
) -> list[tuple[xr.DataArray, float]]:
    """The terms of Σ events[τ,u] over the snapshots τ <= t that began less than
    ``lasting_h[u]`` hours before t began (t itself always), per (t, u), as label arrays for
    :func:`~restvarme.model.linear.combination`: one shifted copy of ``events`` per lag, up to
    the longest time in snapshots, never a loop over hours."""
    labels = events.labels
    terms = [(labels, 1.0)]
    for lag in range(1, hours_h.sizes["snapshot"]):
        gap = hours_h - hours_h.shift(snapshot=lag)  # NaN for the first `lag` snapshots
        within = (gap < lasting_h).transpose(*labels.dims)
        if not bool(within.any()):
            break
        shifted = labels.shift(snapshot=lag, fill_value=-1)
        terms.append((shifted.where(within, -1), 1.0))
    return terms
