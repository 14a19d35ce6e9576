"""Rows over groups of units (a network's heat pumps, its preheat levels, its exchangers) built
straight from label arrays, so that a row holds the terms of its own group only.

A row per network that sums ``(x * on).sum(unit)`` over an incidence ``on[unit, network]``
carries every unit of every network (most with coefficient 0): its terms, and the arrays that
build it, grow with units × networks. Here each row gathers its members through an index array
``index[row, w]`` (-1 past the group's size), so the terms grow with the members that exist
(issue 15, target 5; ``benchmarks/size_sweep.py``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import linopy
import numpy as np
import xarray as xr

from restvarme.model.linear import expression

Part = tuple[np.ndarray, np.ndarray, Any]
"""(labels (*lead, K), index (row, w) into K with -1 for no term, coefficients broadcastable
to (*lead, row, w))."""


def members(group: np.ndarray, n: int) -> np.ndarray:
    """(n, w): for each group g < n the positions i with ``group[i] == g``, in order, -1 past
    their number (w: the largest group, at least 1). No loop."""
    group = np.asarray(group, dtype=int)
    counts = np.bincount(group, minlength=n)
    out = np.full((n, max(1, int(counts.max(initial=0)))), -1)
    order = np.argsort(group, kind="stable")
    start = np.cumsum(counts) - counts
    g = group[order]
    out[g, np.arange(len(g)) - start[g]] = order
    return out


def gathered(
    model: linopy.Model,
    dims: tuple[Hashable, ...],
    coords: Mapping[Hashable, Any],
    parts: Sequence[Part],
    order: Sequence[Hashable] | None = None,
) -> linopy.LinearExpression:
    """Σ over the parts of Σ_w coeffs[..., r, w] · x[labels[..., index[r, w]]] for each row r:
    a linear expression on ``dims`` (the labels' leading dims, then the row dimension). A term
    with index -1, label -1 (a masked variable) or coefficient 0 is no term. With ``order`` (a
    permutation of ``dims``) the expression's dims come in that order (linopy numbers a
    constraint's rows in its dims' order)."""
    vars_, coeffs = [], []
    for labels, index, coeff in parts:
        valid = index >= 0
        v = labels[..., np.where(valid, index, 0)]
        c = np.broadcast_to(np.asarray(coeff, dtype=float), v.shape)
        keep = valid & (v != -1) & (c != 0)
        vars_.append(np.where(keep, v, -1))
        coeffs.append(np.where(keep, c, 0.0))
    v, c = np.concatenate(vars_, axis=-1), np.concatenate(coeffs, axis=-1)
    if order is not None:
        axes = [*(list(dims).index(d) for d in order), len(dims)]
        v, c, dims = v.transpose(axes), c.transpose(axes), tuple(order)
        coords = {d: coords[d] for d in (*dims, *(k for k in coords if k not in dims))}
    data = {
        "vars": ((*dims, "_term"), v),
        "coeffs": ((*dims, "_term"), c),
        "const": (dims, np.zeros(v.shape[:-1])),
    }
    return expression(xr.Dataset(data, coords=coords), model)
