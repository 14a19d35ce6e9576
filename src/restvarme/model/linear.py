"""Linear expressions assembled straight from linopy's label and coefficient arrays.

A linopy expression is a Dataset of variable labels ``vars`` and coefficients ``coeffs`` along a
``_term`` dimension, plus a constant ``const``. Every variable of a restvarme model lives on the
coordinates of the inputs (snapshot, period, one dimension per unit type, one per bus family),
so sums, sums into buses and linear combinations can be formed by concatenating and reshaping
those arrays with numpy. That gives the same expressions as linopy's arithmetic
(``c1 * x + c2 * y``, ``linopy.merge``, ``(x * c).sum()``, ``groupby().sum()``) without its
coordinate alignment, which is most of the time a model build takes (see
``benchmarks/size_sweep.py``). The functions fall back to xarray where coordinates differ.

* :func:`combination` — Σ_k c_k · x_k of terms on the same coordinates;
* :func:`to_buses` — Σ of a unit type's terms into the bus each unit feeds;
* :func:`sum_units` — Σ over a unit dimension;
* :func:`assemble` — the left-hand side of a balance from the registered terms;
* :func:`weighted_sum`, :func:`objective` — scalar costs and the objective as flat arrays.

linopy internals used, which is why pyproject.toml bounds linopy above (``<0.11``): the layout of
``LinearExpression.data`` (``vars``, ``coeffs`` on ``_term``, ``const``; label -1 for "no
variable"), building ``LinearExpression`` and ``Constraint`` from such a Dataset (with ``sign``
and ``rhs``), and ``linopy.constants.sign_replace_dict``. Guarded by tests/model/test_linear.py,
each comparing a helper with linopy's own arithmetic term by term:
``test_combination_equals_linopy_sum_of_products``,
``test_coefficients_are_matched_by_label_not_position``,
``test_combination_with_rolled_labels_is_the_previous_snapshot``,
``test_combination_keeps_constants``,
``test_to_buses_equals_groupby_sum_and_leaves_out_other_buses``,
``test_sum_units_and_weighted_sum_equal_linopy_sums``,
``test_weighted_sum_repeats_a_static_variable_over_periods``,
``test_objective_sums_flat_and_linopy_costs``,
``test_assemble_broadcasts_missing_dims_and_reindexes`` and
``test_add_constraint_moves_the_constant_to_the_right``. Run them before moving the bound.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

import linopy
import numpy as np
import pandas as pd
import xarray as xr
from linopy.constants import sign_replace_dict

Term = Union[linopy.Variable, linopy.LinearExpression]  # noqa: UP007 (a runtime alias)
"""A variable or a linear expression."""

Coeff = Union[float, xr.DataArray]  # noqa: UP007 (a runtime alias)
"""A coefficient: a number or a DataArray over some of a term's dims."""


def _arrays(x: Term) -> tuple[xr.DataArray, xr.DataArray, xr.DataArray | None]:
    """(vars, coeffs, const) of a variable or expression; vars and coeffs end in ``_term``."""
    if isinstance(x, linopy.Variable):
        labels = x.labels.expand_dims("_term", axis=-1)
        return labels, xr.ones_like(labels, dtype=float), None
    data = x.data
    dims = data["const"].dims
    return (
        data["vars"].transpose(*dims, "_term"),
        data["coeffs"].transpose(*dims, "_term"),
        data["const"],
    )


def _expression(
    model: linopy.Model,
    vars_: np.ndarray,
    coeffs: np.ndarray,
    const: np.ndarray | xr.DataArray | None,
    dims: tuple[Hashable, ...],
    coords: Mapping[Hashable, Any],
) -> linopy.LinearExpression:
    """A linopy expression from arrays; ``dims`` excludes ``_term``."""
    data = {
        "vars": ((*dims, "_term"), vars_),
        "coeffs": ((*dims, "_term"), coeffs),
        "const": (dims, np.zeros(vars_.shape[:-1]) if const is None else const),
    }
    return linopy.LinearExpression(xr.Dataset(data, coords=coords), model)


def _coords(da: xr.DataArray) -> dict[Hashable, pd.Index]:
    return {d: da.indexes[d] for d in da.dims if d in da.indexes}


@dataclass(frozen=True)
class FlatSum:
    """A scalar linear expression Σ_i coeffs[i] · x[vars[i]] + const as flat arrays."""

    vars: np.ndarray
    """Variable labels (-1: no variable)."""
    coeffs: np.ndarray
    const: float = 0.0


def values_like(coeff: Coeff, like: xr.DataArray) -> np.ndarray:
    """``coeff`` (a number or a DataArray over some of ``like``'s dims) as an array of
    ``like``'s shape. Coefficients are matched to ``like`` by label, as linopy's arithmetic
    does; the reindex is skipped when the shared coordinates are already identical."""
    if not isinstance(coeff, xr.DataArray) or coeff.ndim == 0:
        return np.broadcast_to(np.asarray(coeff, dtype=float), like.shape)
    if not set(coeff.dims) <= set(like.dims):
        raise ValueError(f"coefficient dims {coeff.dims} are not among the term's {like.dims}")
    differ = {
        d: like.indexes[d]
        for d in coeff.dims
        if d in coeff.indexes and not coeff.indexes[d].equals(like.indexes[d])
    }
    if differ:
        coeff = coeff.reindex(differ)
    order = [d for d in like.dims if d in coeff.dims]
    values = coeff.transpose(*order).values
    expand = tuple(slice(None) if d in coeff.dims else None for d in like.dims)
    return np.broadcast_to(values[expand], like.shape)


def weighted_sum(x: Term, coeff: Coeff) -> FlatSum:
    """Σ over every dimension of ``coeff · x``, the same as ``(x * coeff).sum()``.

    ``coeff`` is a number or a DataArray whose dims are among ``x``'s; a coefficient with a
    dimension ``x`` lacks (e.g. ``period`` on a static variable) repeats ``x`` along it, as
    linopy's broadcasting does.
    """
    if isinstance(x, linopy.Variable):
        labels = x.labels
        if isinstance(coeff, xr.DataArray) and not set(coeff.dims) <= set(labels.dims):
            labels, coeff = xr.broadcast(labels, coeff)
        return FlatSum(labels.values.ravel(), values_like(coeff, labels).ravel())
    data = x.data
    if isinstance(coeff, xr.DataArray) and not set(coeff.dims) <= set(data["const"].dims):
        data = data.broadcast_like(coeff)
    scale = values_like(coeff, data["const"])
    coeffs = data["coeffs"].transpose(*data["const"].dims, "_term").values * scale[..., None]
    vars_ = data["vars"].transpose(*data["const"].dims, "_term").values
    const = float((data["const"].values * scale).sum())
    return FlatSum(vars_.ravel(), coeffs.ravel(), const)


def combination(*pairs: tuple[Term | xr.DataArray, Coeff]) -> linopy.LinearExpression:
    """Σ_k coeff_k · x_k for variables or expressions on the same coordinates.

    The same as ``coeff_1 * x_1 + coeff_2 * x_2 + ...`` in linopy; ``x_k`` may also be a
    DataArray of variable labels (e.g. ``level.labels.roll(snapshot=1)``, the level one snapshot
    earlier). A coefficient is a number or a DataArray over some of the terms' dims.
    """
    model = next(x.model for x, _ in pairs if not isinstance(x, xr.DataArray))
    parts: list[tuple[xr.DataArray, xr.DataArray, xr.DataArray | None, Coeff]] = []
    for x, coeff in pairs:
        if isinstance(x, xr.DataArray):
            v = x.expand_dims("_term", axis=-1)
            parts.append((v, xr.ones_like(v, dtype=float), None, coeff))
        else:
            parts.append((*_arrays(x), coeff))
    first = parts[0][0]
    dims = tuple(d for d in first.dims if d != "_term")
    coords = _coords(first)
    if any(
        v.dims != first.dims or any(not v.indexes[d].equals(coords[d]) for d in coords)
        for v, *_ in parts[1:]
    ):  # not on the same coordinates: let linopy align them
        out: Any = 0  # linopy's operators, loosely typed
        for x, coeff in pairs:
            out = out + coeff * x
        return out
    shape = first.shape[:-1]
    vars_ = np.concatenate([v.values for v, *_ in parts], axis=-1)
    scales = [values_like(coeff, v.isel(_term=0, drop=True)) for v, _, _, coeff in parts]
    coeffs = np.concatenate(
        [c.values * s[..., None] for (_, c, _, _), s in zip(parts, scales, strict=True)], axis=-1
    )
    vars_ = np.where(coeffs == 0, -1, vars_)  # a zero coefficient is no term
    const = np.zeros(shape)
    for (_, _, k, _), s in zip(parts, scales, strict=True):
        if k is not None:
            const = const + k.values * s
    return _expression(model, vars_, coeffs, const, dims, coords)


def to_buses(
    x: Term, labels: xr.DataArray, buses: xr.DataArray, coeff: Coeff = 1.0
) -> linopy.LinearExpression:
    """Σ of ``coeff · x`` over a unit dimension into the bus each unit feeds.

    This is ``(coeff * x).groupby(labels).sum()`` reindexed to every bus: each bus gathers the
    terms of its units along ``_term`` (padded with linopy's "no variable" label -1). Units whose
    label is not among ``buses`` are left out (e.g. heat pumps on ambient sources when summing
    into waste-heat buses). The only Python loop is over the buses.

    Parameters
    ----------
    x : variable or expression with dims (snapshot, <unit>), possibly (period, snapshot, ...)
    labels : DataArray on <unit> naming the bus of each unit
    buses : DataArray of all bus names (the target dimension, e.g. ``network``)
    coeff : number or DataArray over some of ``x``'s dims

    Returns
    -------
    LinearExpression with dims (..., <bus dim>), the leading dims (period, snapshot) kept;
    buses no unit feeds hold no terms.
    """
    comp, dim = labels.dims[0], buses.dims[0]
    v, c, k = _arrays(x)
    lead = [d for d in v.dims if d not in (comp, "_term")]
    v, c = v.transpose(*lead, comp, "_term"), c.transpose(*lead, comp, "_term")
    scale = values_like(coeff, v.isel(_term=0, drop=True))
    shape = tuple(v.sizes[d] for d in lead)
    n_lead, n_comp, n_term = int(np.prod(shape)), v.sizes[comp], v.sizes["_term"]
    vars_ = v.values.reshape(n_lead, n_comp, n_term)
    coeffs = (c.values * scale[..., None]).reshape(n_lead, n_comp, n_term)
    consts = (
        np.zeros((n_lead, n_comp))
        if k is None
        else (k.transpose(*lead, comp).values * scale).reshape(n_lead, n_comp)
    )
    members = [np.flatnonzero(labels.values == bus) for bus in buses.values]
    width = max(1, max(len(m) for m in members) * n_term)
    out_vars = np.full((n_lead, len(members), width), -1, dtype=vars_.dtype)
    out_coeffs = np.zeros((n_lead, len(members), width))
    const = np.zeros((n_lead, len(members)))
    for j, idx in enumerate(members):
        n = len(idx) * n_term
        out_vars[:, j, :n] = vars_[:, idx, :].reshape(n_lead, n)
        out_coeffs[:, j, :n] = coeffs[:, idx, :].reshape(n_lead, n)
        const[:, j] = consts[:, idx].sum(axis=1)
    full = (*shape, len(members))
    coords = {**{d: v.indexes[d] for d in lead if d in v.indexes}, dim: buses.values}
    return _expression(
        x.model,
        out_vars.reshape(*full, width),
        out_coeffs.reshape(*full, width),
        const.reshape(full),
        (*lead, dim),
        coords,
    )


def sum_units(x: Term, dim: str, coeff: Coeff = 1.0) -> linopy.LinearExpression:
    """Σ over ``dim`` of ``coeff · x``, the same as ``(coeff * x).sum(dim)``."""
    v, c, k = _arrays(x)
    lead = [d for d in v.dims if d not in (dim, "_term")]
    v, c = v.transpose(*lead, dim, "_term"), c.transpose(*lead, dim, "_term")
    scale = values_like(coeff, v.isel(_term=0, drop=True))
    shape = tuple(v.sizes[d] for d in lead)
    width = v.sizes[dim] * v.sizes["_term"]
    const = None if k is None else (k.transpose(*lead, dim).values * scale).sum(axis=-1)
    return _expression(
        x.model,
        v.values.reshape(*shape, width),
        (c.values * scale[..., None]).reshape(*shape, width),
        const,
        tuple(lead),
        {d: v.indexes[d] for d in lead if d in v.indexes},
    )


def assemble(
    model: linopy.Model, terms: Sequence[Term], coords: Mapping[Hashable, Any]
) -> linopy.LinearExpression:
    """Σ of ``terms`` on the coordinates ``coords`` (dim -> index), the same as
    ``linopy.merge(terms)`` when every term lives on (a subset of) these coordinates.

    Terms are concatenated along ``_term``; a term without one of the dimensions repeats along
    it. A term whose coordinates differ from ``coords`` is reindexed (absent rows get no term).
    """
    dims = tuple(coords)
    shape = tuple(len(coords[d]) for d in dims)
    vars_parts, coeff_parts = [], []
    const = np.zeros(shape)
    for term in terms:
        v, c, k = _arrays(term)
        if any(d in v.indexes and not v.indexes[d].equals(coords[d]) for d in dims):
            target = {d: coords[d] for d in dims if d in v.dims}
            v = v.reindex(target, fill_value=-1)
            c = c.reindex(target, fill_value=0.0)
            k = None if k is None else k.reindex(target, fill_value=0.0)
        order = [d for d in dims if d in v.dims]
        extra = [d for d in v.dims if d not in dims and d != "_term"]
        if extra:
            raise ValueError(f"term has dims {extra} that the balance on {dims} does not have")
        expand = (*(slice(None) if d in v.dims else None for d in dims), slice(None))
        n = v.sizes["_term"]
        vars_parts.append(np.broadcast_to(v.transpose(*order, "_term").values[expand], (*shape, n)))
        coeff_parts.append(
            np.broadcast_to(c.transpose(*order, "_term").values[expand], (*shape, n))
        )
        if k is not None:
            const = const + k.transpose(*order).values[expand[:-1]]
    full_dims = (*dims, "_term")
    ds = xr.Dataset(
        {
            "vars": (full_dims, np.concatenate(vars_parts, axis=-1)),
            "coeffs": (full_dims, np.concatenate(coeff_parts, axis=-1)),
            "const": (dims, const),
        },
        coords=coords,
    )
    return linopy.LinearExpression(ds, model)


def objective(
    model: linopy.Model, costs: list[FlatSum | linopy.LinearExpression]
) -> linopy.LinearExpression:
    """The objective Σ of all registered costs, one flat expression along ``_term``."""
    flats = [c if isinstance(c, FlatSum) else weighted_sum(c, 1.0) for c in costs]
    vars_ = np.concatenate([f.vars for f in flats])
    coeffs = np.concatenate([f.coeffs for f in flats])
    keep = vars_ != -1
    ds = xr.Dataset(
        {
            "vars": (("_term",), vars_[keep]),
            "coeffs": (("_term",), coeffs[keep]),
            "const": ((), sum(f.const for f in flats)),
        }
    )
    return linopy.LinearExpression(ds, model)


def add_constraint(
    model: linopy.Model,
    lhs: linopy.LinearExpression,
    sign: str,
    rhs: Coeff,
    name: str,
    mask: xr.DataArray | None = None,
) -> linopy.Constraint:
    """Add ``lhs sign rhs`` to the model, the constant of ``lhs`` moved to the right-hand side.

    The same as ``model.add_constraints(lhs <sign> rhs)`` for an ``rhs`` (number or DataArray)
    on ``lhs``'s coordinates, without linopy's alignment of the two sides.
    """
    const = lhs.data["const"]
    values = values_like(rhs, const) - const.values
    data = lhs.data[["coeffs", "vars"]].assign(
        sign=xr.DataArray(sign_replace_dict.get(sign, sign)),
        rhs=(const.dims, np.ascontiguousarray(values)),
    )
    return model.add_constraints(linopy.Constraint(data, model), name=name, mask=mask)
