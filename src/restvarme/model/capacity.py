"""Capacity of units: fixed, or extendable at an annuitised cost.

For a component type with dimension ``u``, existing capacity ``K[u]`` and new capacity
``N[u]`` (a variable only for extendable units, ``N_min <= N <= N_max``)::

    flow[t,u] <= K[u] + k[u] · N[u]          a constraint for extendable units,
                                             a variable bound (K) for the others

where ``k`` is how much of this flow's limit each unit of new capacity brings (1 for the rated
flow; the fuel per heat capacity of a CHP; the power per MWh of a store).
    cost      += years · c[u] · N[u]           c = capital · annuity factor + fixed O&M [EUR/yr]

``years`` is the modelled horizon in years (Σ snapshot weights / 8760), so a shorter horizon pays
its share of a year's capital cost.

In pathway runs (inputs with a ``period`` dimension) new capacity is indexed by the period it is
built in, ``N[b,u]`` (a vintage), and serves every period whose first year falls inside its
lifetime, for the whole of that period::

    flow[p,t,u] <= K[p,u] + k[u] · Σ_b A[b,p,u] · N[b,u]   A = 1 if y_b <= y_p < y_b + life[b,u]
    N_min[u] <= Σ_b N[b,u] <= N_max[u],     N[b,u] = 0 for y_b < build_from_year[u]
    cost += Σ_b,u N[b,u] · c[b,u] · Σ_p A[b,p,u] · D[p] · years

with ``D[p]`` the discounted years period ``p`` stands for (see restvarme.inputs.pathway). A
vintage keeps what its build period states: its lifetime ``life[b,u]`` and its yearly cost
``c[b,u]`` (annuity at that lifetime plus fixed O&M); a period that changes them changes only the
capacity built in it. Results report each period's capital cost the same way
(:func:`vintage_cost_eur_per_year`).
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import numpy as np
import xarray as xr

from restvarme._dataset import coordinates
from restvarme.model.buses import BusTerms
from restvarme.model.linear import add_constraint, add_variables, combination, expression

HOURS_PER_YEAR = 8760.0


@dataclass(frozen=True)
class CapacityKind:
    """How one unit type is sized: its capacity inputs and what grows with new capacity."""

    scaled: tuple[tuple[str, str | None], ...]
    """Capacity inputs (``<dim>_<key>``), each with the input giving what one unit of new
    capacity adds to it (None: one to one). The first is the rating."""
    stored: bool = False
    """A store: rated in MWh of energy."""
    per: str = ""
    """What one unit of capacity is, as the expansion's keys name it (``min_<per>``,
    ``capital_cost_eur_per_<per>``, ...): ``mw`` (default), ``mwh`` for stores, ``m2`` for an
    area."""
    limits: tuple[str, ...] = ()
    """Further inputs (``<dim>_<key>``) that are limits set by the capacity (a heat exchanger's
    hourly maximum): zero, like the capacity, while a unit is not in service."""

    @property
    def rating(self) -> str:
        return self.scaled[0][0]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every capacity input key (``capacity_mw``; ``energy_mwh``, ``charge_mw``, ...) and
        the limits set by it."""
        return (*(key for key, _ in self.scaled), *self.limits)

    @property
    def key(self) -> str:
        """The expansion keys' unit: ``mw``, ``mwh`` or ``m2``."""
        return self.per or ("mwh" if self.stored else "mw")

    @property
    def unit(self) -> str:
        """The rating's unit: MW, MWh or m²."""
        return {"mw": "MW", "mwh": "MWh", "m2": "m²"}[self.key]


MW = (("capacity_mw", None),)
"""A type rated by one power in MW."""
STORE = (
    ("energy_mwh", None),
    ("charge_mw", "charge_mw_per_mwh"),
    ("discharge_mw", "charge_mw_per_mwh"),
)
"""A store: rated by its energy in MWh; charge and discharge power grow with it."""


def extendable(inputs: xr.Dataset, dim: str) -> xr.DataArray:
    """Which units of a type may be extended (boolean on ``dim``)."""
    return inputs[f"{dim}_extendable"]


def flow_bound(
    inputs: xr.Dataset, dim: str, capacity: xr.DataArray, like: xr.DataArray
) -> xr.DataArray:
    """Upper bound of a flow variable: the capacity, or +inf where a constraint limits it.

    ``xr.where(extendable, inf, capacity).broadcast_like(like)``, whose coordinates (``dim``
    first, then ``like``'s) give the variable its dimension order (restvarme.model.linear's
    ``add_variables``). Where the capacity is per unit on ``dim`` and ``like`` carries only its
    dimensions' indexes, the same array is built in numpy (``tests/model/test_linear.py``,
    ``test_flow_bound_is_xarrays_where_and_broadcast``); anything else goes through xarray."""
    extendable = static(inputs, f"{dim}_extendable")
    plain = (
        capacity.dims == (dim,)
        and extendable.dims == (dim,)
        and set(capacity.coords) == {dim}
        and set(extendable.coords) == {dim}
        and set(like.coords) == set(like.dims)
        and capacity.xindexes[dim].equals(extendable.xindexes[dim])
        and (dim not in like.dims or capacity.xindexes[dim].equals(like.xindexes[dim]))
    )
    if not plain:
        return xr.where(extendable, np.inf, capacity).broadcast_like(like)
    per_unit = np.where(extendable.values, np.inf, capacity.values)
    dims = (*like.dims, dim) if dim not in like.dims else like.dims
    shape = tuple(like.sizes[d] if d in like.dims else per_unit.size for d in dims)
    at = tuple(slice(None) if d == dim else None for d in dims)
    indexes = {dim: capacity.xindexes[dim]} | {d: like.xindexes[d] for d in like.dims if d != dim}
    data = np.broadcast_to(per_unit[at], shape)  # a read-only view, as broadcast_like's
    # named as xr.where names its result: after its first argument
    return xr.DataArray(data, coords=coordinates(indexes), dims=dims, name=extendable.name)


def horizon_years(inputs: xr.Dataset) -> float:
    """Share of a year one period's snapshots stand for (Σ weights / 8760)."""
    w = inputs["snapshot_weight_h"]
    if "period" in w.dims:
        w = w.isel(period=0)
    return float(w.sum()) / HOURS_PER_YEAR


def by_vintage(inputs: xr.Dataset, name: str) -> xr.DataArray:
    """A unit parameter as each build period states it, on ``build_period`` (what a vintage
    keeps: its lifetime, its yearly capacity cost). Inputs of one period seen through
    :func:`with_vintages` carry it as ``vintage_<name>``."""
    if f"vintage_{name}" in inputs:
        return inputs[f"vintage_{name}"]
    da = inputs[name]
    return da.rename(period="build_period") if "period" in da.dims else da


VINTAGE_KEYS = ("lifetime_years", "capacity_cost_eur_per_year")
"""The unit parameters (``<dim>_<key>``) a vintage keeps from its build period."""


def with_vintages(inputs: xr.Dataset) -> xr.Dataset:
    """Pathway inputs with every vintage parameter also on ``build_period`` (``vintage_<name>``),
    so that one period selected from them still knows what earlier vintages were built with."""
    if "period" not in inputs.dims:
        return inputs
    names = [
        n
        for n in inputs.data_vars
        if str(n).endswith(VINTAGE_KEYS) and not str(n).startswith("vintage_")
    ]
    return inputs.assign({f"vintage_{n}": by_vintage(inputs, str(n)) for n in names})


def serving(inputs: xr.Dataset, dim: str, built: xr.DataArray) -> xr.DataArray:
    """1 where a vintage of ``built`` (on ``build_period``) serves the period of ``inputs`` (one
    period, seen through :func:`with_vintages`): built in it or earlier, and the period's first
    year is before the end of the lifetime the vintage was built with."""
    year, life = int(inputs["period"]), by_vintage(inputs, f"{dim}_lifetime_years")
    return ((built["build_period"] <= year) & (year < built["build_period"] + life)).astype(float)


def in_service(inputs: xr.Dataset, dim: str, built: xr.DataArray) -> xr.DataArray:
    """New capacity serving one period [MW or MWh], dims (<dim>,): all of it in a one-year run;
    in a pathway period (``inputs`` of that one period, see :func:`with_vintages`), the vintages
    built in it or earlier that have not reached their lifetime."""
    if "build_period" not in built.dims:
        return built
    return (built * serving(inputs, dim, built)).sum("build_period")


def vintage_cost_eur_per_year(inputs: xr.Dataset, dim: str, built: xr.DataArray) -> xr.DataArray:
    """Yearly cost of the new capacity serving one period [EUR/yr], dims (<dim>,): each vintage
    in service at the yearly cost (annuity plus fixed O&M) of its own build period, as the
    objective charges it. A one-year run: the new capacity at the year's cost."""
    cost = by_vintage(inputs, f"{dim}_capacity_cost_eur_per_year")
    if "build_period" not in built.dims:
        return built * cost
    return (built * serving(inputs, dim, built) * cost).sum("build_period")


def static(inputs: xr.Dataset, name: str) -> xr.DataArray:
    """A unit parameter as the first period states it (expansion limits and whether a unit is
    extendable are set once for the whole pathway)."""
    da = inputs[name]
    return da.isel(period=0, drop=True) if "period" in da.dims else da


def active(inputs: xr.Dataset, dim: str) -> xr.DataArray:
    """A[build_period, period, u]: whether capacity built in one period serves another (its
    build period's lifetime has not ended by the other's first year)."""
    years = inputs["period"]
    built = years.rename(period="build_period")
    life = by_vintage(inputs, f"{dim}_lifetime_years")
    return ((built <= years) & (years < built + life)).astype(float)


def add_new_capacity(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, dim: str
) -> linopy.Variable | None:
    """New capacity for the extendable units of one type, and its cost.

    One-year runs: ``N[u]`` in [min, max]. Pathway runs: ``N[build_period, u] >= 0`` with the
    bounds on the sum over build periods.
    """
    ext = static(inputs, f"{dim}_extendable")
    if not bool(ext.any()):
        return None
    per_year = inputs[f"{dim}_capacity_cost_eur_per_year"]
    if "period" not in inputs.dims:
        # units that are not extendable get N fixed at 0 (removed by presolve), not a masked
        # slot, so the expressions below stay dense
        new = add_variables(
            m,
            lower=inputs[f"{dim}_new_min"].where(ext, 0.0),
            upper=inputs[f"{dim}_new_max"].where(ext, 0.0),
            name=f"{dim}_new_capacity",
        )
        terms.add_linear_cost(new, horizon_years(inputs) * per_year)
        return new
    build = inputs["period"].rename(period="build_period")
    per_year = per_year.rename(period="build_period") if "period" in per_year.dims else per_year
    allowed = build >= static(inputs, f"{dim}_build_from_year")
    new = add_variables(
        m,
        lower=xr.zeros_like(build * static(inputs, f"{dim}_new_min")),
        upper=xr.where(allowed & ext, np.inf, 0.0),
        name=f"{dim}_new_capacity",
    )
    total = new.sum("build_period")
    new_min, new_max = static(inputs, f"{dim}_new_min"), static(inputs, f"{dim}_new_max")
    m.add_constraints(total >= new_min, name=f"{dim}_new_capacity_min", mask=ext)
    bounded = ext & np.isfinite(new_max)
    if bool(bounded.any()):
        m.add_constraints(
            total <= new_max.where(bounded, 0), name=f"{dim}_new_capacity_max", mask=bounded
        )
    served = (active(inputs, dim) * inputs["period_discounted_years"]).sum("period")
    terms.add_linear_cost(new, per_year * served * horizon_years(inputs))
    return new


def add_capacity_limit(
    m: linopy.Model,
    inputs: xr.Dataset,
    dim: str,
    flow: linopy.Variable | linopy.LinearExpression,
    new: linopy.Variable | linopy.LinearExpression | None,
    existing: xr.DataArray,
    name: str,
    per_new: xr.DataArray | float = 1.0,
    where: xr.DataArray | None = None,
) -> None:
    """``flow <= existing + per_new·new`` for the extendable units of a type (and, if given,
    only ``where`` it holds: elsewhere the flow's own bound must keep it at zero).

    Built from label arrays (restvarme.model.linear), without linopy's alignment; the tests
    that hold it to linopy's arithmetic are ``test_capacity_limit_equals_linopys_arithmetic``
    (one year) and ``test_pathway_capacity_limit_equals_linopys_arithmetic`` (the vintages of a
    pathway) in tests/model/test_linear.py."""
    if new is None:
        return
    mask = static(inputs, f"{dim}_extendable").broadcast_like(inputs["snapshot_weight_h"])
    if where is not None:
        mask = mask & where
    assert isinstance(new, linopy.Variable)  # N[u], or N[build_period, u] in a pathway
    like = flow.labels if isinstance(flow, linopy.Variable) else flow.data["const"]
    if "build_period" in new.dims:
        # Σ_b A[b, period, u] · N[b, u]: one term per vintage, as (new * A).sum("build_period")
        # gives it, zero coefficients kept
        serving = vintages_in_service(new, active(inputs, dim), like)
        lhs = combination((flow, 1.0), (serving, -per_new), keep_zeros=True)
    else:
        # new capacity N[u] repeats along the flow's other dimensions
        per_unit = new.labels.broadcast_like(like).transpose(*like.dims)
        lhs = combination((flow, 1.0), (per_unit, -per_new))
    add_constraint(m, lhs, "<=", existing, name, mask=mask)


def vintages_in_service(
    new: linopy.Variable, serves: xr.DataArray, like: xr.DataArray
) -> linopy.LinearExpression:
    """``(new * serves).sum("build_period")`` on the dims of ``like`` (a flow's labels, with
    ``period`` and the unit dim): the new capacity of every vintage ``N[build_period, u]``
    weighted by whether it serves the period (``serves[build_period, period, u]``, from
    :func:`active`), one term per vintage in build-period order."""
    terms = [*like.dims, "build_period"]
    labels = new.labels.broadcast_like(like).transpose(*terms)
    coeffs = serves.broadcast_like(labels).transpose(*terms)
    data = xr.Dataset(
        {"vars": labels.rename(build_period="_term"), "coeffs": coeffs.rename(build_period="_term")}
    ).drop_vars("_term")
    data["const"] = xr.zeros_like(like, dtype=float)
    return expression(data, new.model)
