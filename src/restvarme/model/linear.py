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
* :func:`weighted_sum`, :func:`objective` — scalar costs and the objective as flat arrays;
* :func:`expression`, :func:`add_constraint` (:func:`add_rows`), :func:`add_variables` —
  linopy's expression, constraint and variable objects built straight from such arrays, without
  its constructors' broadcasts and Dataset copies (a fixed cost per call that made up most of
  a 48-hour operating window's build): the Datasets are those linopy's constructors give, and
  anything not already on its coordinates goes through them.

linopy internals used, which is why pyproject.toml bounds linopy above (``<0.11``): the layout of
``LinearExpression.data`` (``vars``, ``coeffs`` on ``_term``, ``const``; label -1 for "no
variable"), of a constraint's (``coeffs``, ``vars``, ``sign``, ``rhs``, ``labels``,
``scaling``; attributes ``name`` and ``label_range``) and of a variable's (``lower``,
``upper``, ``scaling``, ``labels``; attributes ``label_range``, ``name``, ``binary``,
``integer``, ``semi_continuous``) Dataset; ``LinearExpression``'s slots ``_data``, ``_model``
and ``_csr``; ``Constraint`` and ``Variable`` with ``skip_broadcast=True``,
``Model.constraints.add`` and ``Model.variables.add``; the model's label counters and checks
(``_resolve_constraint_name``, ``_allocate_constraint_labels``, ``_allocate_labels``,
``_xCounter``, ``check_force_dim_names``, ``_check_valid_dim_names``, ``freeze_constraints``,
``chunk``, ``auto_mask``); ``linopy.model._check_infinities``; and
``linopy.constants.sign_replace_dict`` and ``HELPER_DIMS``. Guarded by
tests/model/test_linear.py, each comparing a helper with linopy's own arithmetic term by term,
or with the Dataset linopy's constructor gives:
``test_combination_equals_linopy_sum_of_products``,
``test_coefficients_are_matched_by_label_not_position``,
``test_combination_with_rolled_labels_is_the_previous_snapshot``,
``test_combination_keeps_constants``,
``test_combination_of_terms_in_another_dim_order_and_keeping_zeros``,
``test_to_buses_equals_groupby_sum_and_leaves_out_other_buses``,
``test_sum_units_and_weighted_sum_equal_linopy_sums``,
``test_weighted_sum_repeats_a_static_variable_over_periods``,
``test_objective_sums_flat_and_linopy_costs``,
``test_assemble_broadcasts_missing_dims_and_reindexes``,
``test_add_constraint_moves_the_constant_to_the_right``,
``test_expression_is_the_dataset_linopys_constructor_gives``,
``test_add_constraint_gives_linopys_constraint_with_masks_and_missing_rhs`` and
``test_add_variables_gives_linopys_variable``; and, for whole models, by
``benchmarks/_lp_fingerprint.py`` (the LP HiGHS receives, before and after). Run them before
moving the bound.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union, cast

import linopy
import numpy as np
import pandas as pd
import xarray as xr
from linopy.constants import HELPER_DIMS, sign_replace_dict
from linopy.constraints import Constraint
from linopy.model import _check_infinities

Term = Union[linopy.Variable, linopy.LinearExpression]  # noqa: UP007 (a runtime alias)
"""A variable or a linear expression."""

Coeff = Union[float, xr.DataArray]  # noqa: UP007 (a runtime alias)
"""A coefficient: a number or a DataArray over some of a term's dims."""


def _ones(shape: tuple[int, ...]) -> np.ndarray:
    """Ones of ``shape`` held as one number (a read-only broadcast view): the scaling of an
    unscaled variable or constraint, which linopy only reads. On the all-sector Lund year the
    full arrays took 6.0 MiB through the solve."""
    return np.broadcast_to(np.float64(1.0), shape)


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


@dataclass(frozen=True)
class _Raw:
    """A term's arrays in numpy: ``vars`` and ``coeffs`` of shape (*dims, terms), ``const`` of
    shape dims (None for a variable), with the indexes of its dims."""

    vars: np.ndarray
    coeffs: np.ndarray
    const: np.ndarray | None
    dims: tuple[Hashable, ...]
    indexes: dict[Hashable, pd.Index]

    @property
    def shape(self) -> tuple[int, ...]:
        return self.vars.shape[:-1]


def _raw(x: Term | xr.DataArray) -> _Raw:
    """:class:`_Raw` of a variable, an expression or a DataArray of variable labels, without
    building DataArrays (the arrays are views where numpy allows)."""
    if isinstance(x, linopy.Variable | xr.DataArray):
        labels = x.labels if isinstance(x, linopy.Variable) else x
        values = labels.values[..., None]
        indexes = {d: labels.indexes[d] for d in labels.dims if d in labels.indexes}
        return _Raw(values, np.ones(values.shape), None, labels.dims, indexes)
    data = x.data
    const = data.variables["const"]
    dims = const.dims
    v, c = data.variables["vars"], data.variables["coeffs"]
    order = (*dims, "_term")
    vars_ = v.values if v.dims == order else v.transpose(*order).values
    coeffs = c.values if c.dims == order else c.transpose(*order).values
    indexes = {d: data.indexes[d] for d in dims if d in data.indexes}
    return _Raw(vars_, coeffs, const.values, dims, indexes)


def _in_order(r: _Raw, dims: tuple[Hashable, ...]) -> _Raw:
    """``r`` with its dims in the order ``dims``, if they are the same dims."""
    if r.dims == dims or set(r.dims) != set(dims) or len(r.dims) != len(dims):
        return r
    axes = [r.dims.index(d) for d in dims]
    return _Raw(
        r.vars.transpose(*axes, len(axes)),
        r.coeffs.transpose(*axes, len(axes)),
        None if r.const is None else r.const.transpose(axes),
        dims,
        r.indexes,
    )


def _values_on(coeff: Coeff, raw: _Raw) -> np.ndarray:
    """:func:`values_like` on a :class:`_Raw` term's rows."""
    if not isinstance(coeff, xr.DataArray) or coeff.ndim == 0:
        return np.broadcast_to(np.asarray(coeff, dtype=float), raw.shape)
    if all(
        d in raw.indexes and d in coeff.indexes and raw.indexes[d].equals(coeff.indexes[d])
        for d in coeff.dims
    ):
        order = [d for d in raw.dims if d in coeff.dims]
        if len(order) == coeff.ndim:
            expand = tuple(slice(None) if d in coeff.dims else None for d in raw.dims)
            values = coeff.values if tuple(order) == coeff.dims else coeff.transpose(*order).values
            return np.broadcast_to(values[expand], raw.shape)
    like = xr.DataArray(np.empty(raw.shape, dtype=bool), coords=raw.indexes, dims=raw.dims)
    return values_like(coeff, like)


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
    return expression(xr.Dataset(data, coords=coords), model)


_HELPER_DIMS = frozenset(HELPER_DIMS)


def expression(ds: xr.Dataset, model: linopy.Model) -> linopy.LinearExpression:
    """``linopy.LinearExpression(ds, model)`` for a Dataset already in the form linopy's
    constructor gives, without the constructor's broadcasts and copies.

    That form: ``vars`` (integer labels) and ``coeffs`` (float) on the same dims ending in
    ``_term``, ``const`` (float) on those dims without ``_term``, every other dim with an index
    and no further dims or attributes. The constructor leaves such a Dataset as it is but for
    the attribute ``name=None`` (and the order of the data variables); anything else goes
    through the constructor. (An expression's own Dataset, changed by ``assign``, is in it.)
    """
    if _canonical_expression(ds):
        out = linopy.LinearExpression.__new__(linopy.LinearExpression)
        out._model = model
        out._data = ds.assign_attrs(name=None)
        out._csr = None  # dense, as the constructor leaves it
        return out
    return linopy.LinearExpression(ds, model)


def _canonical_expression(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is in the form :func:`expression` takes as it is."""
    if set(ds.data_vars) != {"vars", "coeffs", "const"} or ds.attrs not in ({}, {"name": None}):
        return False
    v, c, k = ds.variables["vars"], ds.variables["coeffs"], ds.variables["const"]
    dims = k.dims
    return (
        v.dims == (*dims, "_term")
        and c.dims == v.dims
        and set(ds.dims) == set(v.dims)
        and v.dtype.kind == "i"
        and c.dtype.kind == "f"
        and k.dtype.kind == "f"
        and all(d in ds.indexes for d in dims)
        and not _HELPER_DIMS.intersection(dims)
        and not _HELPER_DIMS.intersection(ds.coords)
    )


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


def combination(
    *pairs: tuple[Term | xr.DataArray, Coeff], keep_zeros: bool = False
) -> linopy.LinearExpression:
    """Σ_k coeff_k · x_k for variables or expressions on the same coordinates.

    The same as ``coeff_1 * x_1 + coeff_2 * x_2 + ...`` in linopy; ``x_k`` may also be a
    DataArray of variable labels (e.g. ``level.labels.roll(snapshot=1)``, the level one snapshot
    earlier). A coefficient is a number or a DataArray over some of the terms' dims. A term
    whose coefficient is 0 is dropped (label -1), unless ``keep_zeros``: then the arrays are
    those linopy's ``+`` and ``*`` give.
    """
    model = next(x.model for x, _ in pairs if not isinstance(x, xr.DataArray))
    parts = [_raw(x) for x, _ in pairs]
    first = parts[0]
    coords = first.indexes
    parts = [first, *(_in_order(r, first.dims) for r in parts[1:])]
    if any(
        r.dims != first.dims
        or r.indexes.keys() != coords.keys()
        or any(not r.indexes[d].equals(coords[d]) for d in coords)
        for r in parts[1:]
    ):  # not on the same coordinates: let linopy align them
        out: Any = 0  # linopy's operators, loosely typed
        for x, coeff in pairs:
            out = out + coeff * x
        return out
    scales = [_values_on(coeff, r) for r, (_, coeff) in zip(parts, pairs, strict=True)]
    vars_ = np.concatenate([r.vars for r in parts], axis=-1)
    coeffs = np.concatenate(
        [r.coeffs * s[..., None] for r, s in zip(parts, scales, strict=True)], axis=-1
    )
    if not keep_zeros:
        vars_ = np.where(coeffs == 0, -1, vars_)  # a zero coefficient is no term
    const = np.zeros(first.shape)
    for r, s in zip(parts, scales, strict=True):
        if r.const is not None:
            const = const + r.const * s
    return _expression(model, vars_, coeffs, const, first.dims, coords)


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
    r = _raw(x)
    lead = [d for d in r.dims if d != comp]
    axes = [*(r.dims.index(d) for d in lead), r.dims.index(comp)]
    scale = _values_on(coeff, r)
    shape = tuple(r.shape[r.dims.index(d)] for d in lead)
    n_lead, n_comp, n_term = int(np.prod(shape)), r.shape[axes[-1]], r.vars.shape[-1]
    vars_ = r.vars.transpose(*axes, len(axes)).reshape(n_lead, n_comp, n_term)
    coeffs = (r.coeffs * scale[..., None]).transpose(*axes, len(axes))
    coeffs = coeffs.reshape(n_lead, n_comp, n_term)
    consts = (
        np.zeros((n_lead, n_comp))
        if r.const is None
        else (r.const * scale).transpose(*axes).reshape(n_lead, n_comp)
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
    coords = {**{d: r.indexes[d] for d in lead if d in r.indexes}, dim: buses.values}
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
    r = _raw(x)
    lead = [d for d in r.dims if d != dim]
    axes = [*(r.dims.index(d) for d in lead), r.dims.index(dim)]
    scale = _values_on(coeff, r)
    shape = tuple(r.shape[r.dims.index(d)] for d in lead)
    width = r.shape[axes[-1]] * r.vars.shape[-1]
    vars_ = r.vars.transpose(*axes, len(axes)).reshape(*shape, width)
    coeffs = (r.coeffs * scale[..., None]).transpose(*axes, len(axes)).reshape(*shape, width)
    const = None if r.const is None else (r.const * scale).transpose(*axes).sum(axis=-1)
    return _expression(
        x.model,
        vars_,
        coeffs,
        const,
        tuple(lead),
        {d: r.indexes[d] for d in lead if d in r.indexes},
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
        r = _raw(term)
        if all(d not in r.indexes or r.indexes[d].equals(coords[d]) for d in dims):
            order = [d for d in dims if d in r.dims]
            extra = [d for d in r.dims if d not in dims]
            if extra:
                raise ValueError(f"term has dims {extra} that the balance on {dims} does not have")
            axes = [*(r.dims.index(d) for d in order), len(r.dims)]
            expand = (*(slice(None) if d in r.dims else None for d in dims), slice(None))
            n = r.vars.shape[-1]
            vars_parts.append(np.broadcast_to(r.vars.transpose(axes)[expand], (*shape, n)))
            coeff_parts.append(np.broadcast_to(r.coeffs.transpose(axes)[expand], (*shape, n)))
            if r.const is not None:
                const = const + r.const.transpose(axes[:-1])[expand[:-1]]
            continue
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
    return expression(ds, model)


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
    on ``lhs``'s coordinates, without linopy's alignment of the two sides: the constraint's
    Dataset (``coeffs``, ``vars``, ``sign``, ``rhs``, ``labels``, ``scaling``) is built here as
    ``Model.add_constraints`` builds it for a dense, unscaled constraint (rows whose right-hand
    side is NaN masked), and registered with the model's own label allocation. A model that
    freezes or chunks its constraints, or masks them itself, goes through
    ``Model.add_constraints``.
    """
    const = lhs.data["const"]
    values = values_like(rhs, const) - const.values
    sign = sign_replace_dict.get(sign, sign)
    if model.freeze_constraints or model.chunk or model.auto_mask or not _on(mask, const):
        data = lhs.data[["coeffs", "vars"]].assign(
            sign=xr.DataArray(sign),
            rhs=(const.dims, np.ascontiguousarray(values)),
        )
        return model.add_constraints(Constraint(data, model), name=name, mask=mask)
    return add_rows(model, lhs.data, sign, values, name, mask)


def _on(mask: xr.DataArray | None, like: xr.DataArray) -> bool:
    """Whether ``mask`` (if any) lies on some of ``like``'s dims with the same coordinates."""
    if mask is None:
        return True
    return set(mask.dims) <= set(like.dims) and all(
        d not in mask.indexes or mask.indexes[d].equals(like.indexes[d]) for d in mask.dims
    )


def add_rows(
    model: linopy.Model,
    data: xr.Dataset,
    sign: str,
    rhs: np.ndarray,
    name: str,
    mask: xr.DataArray | np.ndarray | None = None,
) -> linopy.Constraint:
    """Register the rows ``data.vars``/``data.coeffs`` (dims ``(*rows, "_term")``) ``sign``
    ``rhs`` (an array on the rows) as the constraint ``name``, as ``Model.add_constraints``
    does for a dense, unscaled constraint of an unfrozen, unchunked model (see
    :func:`add_constraint`), without its broadcasts and Dataset copies, and with the rows'
    empty term slots cut (:func:`compact_terms`)."""
    name = model._resolve_constraint_name(name)
    var_rows, coeff_rows = data.variables["vars"], data.variables["coeffs"]
    dims = tuple(d for d in var_rows.dims if d != "_term")
    order = (*dims, "_term")
    v, c = compact_terms(var_rows.transpose(*order).values, coeff_rows.transpose(*order).values)
    shape = v.shape[:-1]
    rhs = np.broadcast_to(np.asarray(rhs, dtype=float), shape)
    keep = None
    if isinstance(mask, xr.DataArray):
        indexes = {d: data.indexes[d] for d in dims if d in data.indexes}
        like = xr.DataArray(np.empty(shape, dtype=bool), coords=indexes, dims=dims)
        keep = values_like(mask, like).astype(bool)
    elif mask is not None:
        keep = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
    missing = np.isnan(rhs)
    if missing.any():
        rhs = np.where(missing, 0.0, rhs)
        keep = ~missing if keep is None else keep & ~missing
    _check_infinities(sign, rhs, name)
    start = model._cCounter
    end = start + int(np.prod(shape))
    labels = model._allocate_labels(start, end).reshape(shape)
    if keep is not None:
        labels = np.where(keep, labels, -1)
    ds = xr.Dataset(
        {
            "coeffs": (order, c),
            "vars": (order, v),
            "sign": (dims, np.broadcast_to(np.array(sign), shape)),
            "rhs": (dims, np.ascontiguousarray(rhs)),
            "labels": (dims, labels),
            "scaling": (dims, _ones(shape)),
        },
        coords={k: x for k, x in data.coords.items() if k not in _HELPER_DIMS},
        attrs={"name": name, "label_range": (start, end)},
    )
    model.check_force_dim_names(ds)
    model._cCounter = end
    con = Constraint(ds, name=name, model=model, skip_broadcast=True)
    return cast(linopy.Constraint, model.constraints.add(con, False))


CUT_TERMS_FROM = 0.75
""":func:`compact_terms` cuts a constraint's ``_term`` axis if the most terms a row has are at
most this share of its slots [-]."""


def compact_terms(vars_: np.ndarray, coeffs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``vars_``/``coeffs`` (``_term`` last) with each row's terms moved to the front,
    in their order, and the ``_term`` axis cut to the most terms a row has: the same rows (an
    empty slot holds label -1 and coefficient 0).

    A sum assembled from several parts (units feeding a bus, routes of a stream) has on every
    row a slot for each part's terms, used or not (label -1). On the all-sector Lund year
    1.66 of 3.25 million slots were empty. Rows are cut only where a quarter or more of the
    slots go (:data:`CUT_TERMS_FROM`): there 0.66 million slots, 7.6 MiB held through the
    solve, for 19 ms of the build (every cut: 0.81 million, 9.3 MiB, 34 ms). Other arrays are
    returned as they are. (linopy's ``LinearExpression.densify_terms`` does the like on an
    expression's Dataset, but keeps only non-zero coefficients: it would also drop the terms
    kept at coefficient 0 (:func:`combination` with ``keep_zeros``, as linopy's own arithmetic
    keeps them), and so change the entries handed to the solver.)"""
    used = vars_ != -1
    count = used.sum(axis=-1)
    width = max(int(count.max(initial=0)), 1)
    if width > CUT_TERMS_FROM * vars_.shape[-1]:
        return vars_, coeffs
    kept = np.arange(width) < count[..., None]  # a row's first `count` slots, row by row
    out_vars = np.full((*vars_.shape[:-1], width), -1, dtype=vars_.dtype)
    out_coeffs = np.zeros((*coeffs.shape[:-1], width), dtype=coeffs.dtype)
    out_vars[kept] = vars_[used]  # both masks run in C order: each row's terms in order
    out_coeffs[kept] = coeffs[used]
    return out_vars, out_coeffs


Bound = Union[float, xr.DataArray]  # noqa: UP007 (a runtime alias)
"""A variable's bound: a number or a DataArray."""


def add_variables(
    model: linopy.Model,
    *,
    lower: Bound = -np.inf,
    upper: Bound = np.inf,
    coords: Sequence[pd.Index] | Mapping[Hashable, pd.Index] | None = None,
    name: str,
    mask: xr.DataArray | None = None,
) -> linopy.Variable:
    """``model.add_variables(lower=..., upper=..., coords=..., name=..., mask=...)`` for
    continuous variables, without linopy's broadcasts where the bounds already lie on the
    variable's coordinates.

    The variable's coordinates are ``coords`` (named indexes), or else those of the bound that
    is a DataArray (both, if both are, on the same coordinates). Its Dataset (``lower``,
    ``upper``, ``scaling``, ``labels``) and labels are then those ``Model.add_variables``
    gives; a bound or mask on other coordinates (another order, extra coordinates, a dimension
    of its own), or a model that chunks or masks by itself, goes through
    ``Model.add_variables``.
    """
    frame = _frame(coords, (lower, upper), mask)
    if frame is None or model.chunk or model.auto_mask:
        return model.add_variables(lower=lower, upper=upper, coords=coords, name=name, mask=mask)
    if name in model.variables:
        raise ValueError(f"Variable '{name}' already assigned to model")
    dims, indexes = frame
    shape = tuple(len(indexes[d]) for d in dims)
    start = model._xCounter
    end = start + int(np.prod(shape))
    labels = model._allocate_labels(start, end).reshape(shape)
    if mask is not None:
        labels = np.where(_on_dims(mask, dims, shape).astype(bool), labels, -1)
    data = xr.Dataset(
        {
            "lower": (dims, np.array(_on_dims(lower, dims, shape), dtype=float)),
            "upper": (dims, np.array(_on_dims(upper, dims, shape), dtype=float)),
            "scaling": (dims, _ones(shape)),
            "labels": (dims, labels),
        },
        coords=indexes,
    )
    model.check_force_dim_names(data)
    model._check_valid_dim_names(data)
    model._xCounter = end
    data = data.assign_attrs(
        label_range=(start, end),
        name=name,
        binary=False,
        integer=False,
        semi_continuous=False,
    )
    variable = linopy.Variable(data, name=name, model=model, skip_broadcast=True)
    model.variables.add(variable)
    return variable


def _on_dims(value: Bound, dims: tuple[Hashable, ...], shape: tuple[int, ...]) -> np.ndarray:
    """``value`` (a number, or a DataArray on some of ``dims`` with their coordinates, as
    :func:`_frame` checked) as an array of ``shape``."""
    if not isinstance(value, xr.DataArray):
        return np.broadcast_to(np.asarray(value), shape)
    order = [d for d in dims if d in value.dims]
    expand = tuple(slice(None) if d in value.dims else None for d in dims)
    return np.broadcast_to(value.transpose(*order).values[expand], shape)


def _frame(
    coords: Sequence[pd.Index] | Mapping[Hashable, pd.Index] | None,
    bounds: tuple[Bound, Bound],
    mask: xr.DataArray | None,
) -> tuple[tuple[Hashable, ...], dict[Hashable, pd.Index]] | None:
    """The dims and indexes of a variable (:func:`add_variables`), or None where linopy's own
    alignment is needed.

    Without ``coords`` linopy's variable takes its dims in the order the bound's Dataset lists
    them, which is the order of the bound's coordinates (not always that of its dims)."""
    given = [a for a in bounds if isinstance(a, xr.DataArray)]
    if coords is None:
        if not given:
            return None
        first = given[0]
        if set(first.coords) != set(first.dims):
            return None
        dims = tuple(first.coords)
        indexes = {d: first.indexes[d] for d in dims}
        if any(tuple(a.coords) != dims for a in given[1:]):
            return None
    elif isinstance(coords, xr.core.coordinates.DataArrayCoordinates):
        if set(coords) != set(coords.dims):  # a coordinate off the dims
            return None
        dims = tuple(coords.dims)
        indexes = {d: coords[d].to_index() for d in dims}
    elif type(coords) is dict and all(isinstance(i, pd.Index) for i in coords.values()):
        indexes = dict(coords)
        dims = tuple(indexes)
    elif not isinstance(coords, Mapping) and all(
        isinstance(i, pd.Index) and i.name is not None for i in coords
    ):
        indexes = {i.name: i for i in coords}
        dims = tuple(indexes)
    else:
        return None
    if len(indexes) != len(dims) or any(isinstance(i, pd.MultiIndex) for i in indexes.values()):
        return None
    for a in (*bounds, mask):
        if not isinstance(a, xr.DataArray):
            if a is not None and np.ndim(a) != 0:
                return None
            continue
        if set(a.coords) != set(a.dims) or not set(a.dims) <= set(dims):
            return None
        if any(not a.indexes[d].equals(indexes[d]) for d in a.dims):
            return None
    for d, index in indexes.items():
        if index.name != d:
            indexes[d] = index.rename(d)
    return dims, indexes
