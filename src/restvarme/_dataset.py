"""Datasets and DataArrays built without xarray's per-call set-up, where it would change nothing.

:func:`dataset`: one Dataset from many DataArrays that already share their coordinates.

``xr.Dataset(data)`` aligns every array with every other (an outer join of each dimension's
index) and merges their coordinates before it builds the Dataset: a fixed cost per array that
made up a large part of a small run (``benchmarks/small_run.py`` prints both). The inputs
and results of a run are built on one set of coordinates (the snapshots, one index per unit type,
bus family and table axis), so that alignment changes nothing. :func:`dataset` checks that
cheaply and then builds the Dataset from the arrays' variables; anything else goes through
``xr.Dataset`` as it is.

:func:`labelled`: ``xr.DataArray(values, coords)`` for the tables of a run, whose coordinates
(the snapshots, the units of a type, the networks, the fuels) repeat from array to array. xarray
builds a pandas index and its coordinate variable for every array it is given a list of names
for (about 0.25 ms each, pandas' string inference included, where copying a template with new
data takes a fifth of that); a run builds hundreds of such arrays. Inside
:func:`shared_coordinates` (the building of one run's inputs or results) arrays on the same
coordinates share them, as the variables of one Dataset do: the template lives as long as that
scope, so no index object passes from one run to the next (a pandas index is mutable: its
``name`` set on a table made from one run's array would otherwise show in every later run's
arrays). Outside such a scope :func:`labelled` is ``xr.DataArray``.

:func:`coordinates`: ``xr.Coordinates`` on index objects an array already has (its own
dimensions' indexes, reused as they are rather than rebuilt from their values).

:func:`get`: ``Dataset.get`` without the cost of a miss (xarray's message for a missing name
looks for close matches among every name with difflib: a few milliseconds on a run's inputs).

``tests/test_dataset.py`` pins :func:`dataset` to ``xr.Dataset`` (``identical``, with the
variables in the same order) on the inputs and results of real runs, and checks that arrays
which need aligning or whose coordinates conflict take xarray's own path; and :func:`labelled`
to ``xr.DataArray`` on every kind of values and coordinates a run gives it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from xarray.core.indexes import Index

_Templates = dict[tuple, tuple[tuple[Any, ...], xr.DataArray]]
_templates: ContextVar[_Templates | None] = ContextVar("restvarme_templates", default=None)


def dataset(data: Mapping[Hashable, Any], attrs: Mapping[str, Any] | None = None) -> xr.Dataset:
    """``xr.Dataset(data, attrs=attrs)``, without the alignment when it would change nothing.

    The fast path is taken when every value is a DataArray, each dimension's index is a
    single-level index equal (``pandas.Index.equals``, as xarray's alignment compares them) in
    every array that has it, and each coordinate without an index (a unit's type beside the
    ``unit`` index, say) has the same dims and values in every array that carries it. The
    first array with a coordinate gives it, as xarray's merge does, and the variables come in
    the order xarray gives them: each array's new coordinates before the array.
    """
    variables = _variables_in_order(data)
    if variables is None:
        return xr.Dataset(data, attrs=attrs)
    ds = xr.Dataset(variables, attrs=attrs)
    aux = [name for name, var in variables.items() if name not in data and name not in var.dims]
    return ds.set_coords(aux) if aux else ds


def _variables_in_order(data: Mapping[Hashable, Any]) -> dict[Hashable, xr.Variable] | None:
    """The Dataset's variables, coordinates included, or None if the arrays need aligning (or
    their coordinates conflict, which xarray reports)."""
    variables: dict[Hashable, xr.Variable] = {}
    indexes: dict[Hashable, pd.Index] = {}
    for name, da in data.items():
        if not isinstance(da, xr.DataArray) or name in indexes:
            return None
        own = da.xindexes
        for coord, var in da.coords.variables.items():
            if coord in own:
                if coord not in da.dims:
                    return None
                index = own[coord].to_pandas_index()
                if isinstance(index, pd.MultiIndex):
                    return None
                seen = indexes.get(coord)
                if seen is None:
                    indexes[coord] = index
                    variables[coord] = var
                elif seen is not index and not seen.equals(index):
                    return None
            elif coord in data or coord in da.dims:
                return None
            elif coord not in variables:
                variables[coord] = var
            elif not variables[coord].equals(var):
                return None
        variables[name] = da.variable
    return variables


@contextmanager
def shared_coordinates() -> Iterator[None]:
    """Within this scope :func:`labelled` builds each set of coordinates once and copies it to
    every array on it; the templates are dropped when the scope ends. Scopes nest (each has its
    own templates) and are per thread (a ``ContextVar``)."""
    token = _templates.set({})
    try:
        yield
    finally:
        _templates.reset(token)


def labelled(
    values: Any,
    coords: Mapping[str, Sequence[Hashable] | pd.Index],
    attrs: Mapping[str, Any] | None = None,
) -> xr.DataArray:
    """``xr.DataArray(values, coords, dims=tuple(coords), attrs=attrs)``, identical to it; inside
    :func:`shared_coordinates`, the coordinates are built once and copied to each array
    (``DataArray.copy(deep=False, data=values)``).

    A coordinate given as a list or tuple of names is known again by its names; one given as a
    ``pandas.Index`` (the snapshots) by the object itself, so that a run's own index, passed
    from array to array, is built into coordinates once. ``values`` is taken as xarray takes it
    (a list becomes an array; an array is not copied).
    """
    plain = {dim: list(a) if isinstance(a, tuple) else a for dim, a in coords.items()}
    templates = _templates.get()
    if templates is None:
        return xr.DataArray(values, coords=plain, dims=tuple(coords), attrs=attrs)
    key = tuple(
        (dim, id(axis)) if isinstance(axis, pd.Index) else (dim, tuple(axis))
        for dim, axis in coords.items()
    )
    axes = tuple(coords.values())
    entry = templates.get(key)
    if entry is None or any(
        isinstance(a, pd.Index) and a is not b for a, b in zip(axes, entry[0], strict=True)
    ):
        shape = tuple(len(axis) for axis in axes)
        zeros = np.broadcast_to(np.float64(0), shape)
        entry = templates[key] = (axes, xr.DataArray(zeros, coords=plain, dims=tuple(coords)))
    out = entry[1].copy(deep=False, data=values)
    if attrs:
        out.attrs = dict(attrs)
    return out


def coordinates(indexes: Mapping[Hashable, Index]) -> xr.Coordinates:
    """Coordinates made of the given indexes (each a single dimension's, by its name), in that
    order, without building them anew from their values."""
    variables = {d: index.create_variables()[d] for d, index in indexes.items()}
    return xr.Coordinates(variables, indexes=indexes)


def get(ds: xr.Dataset, name: Hashable, default: Any = None) -> Any:
    """``ds.get(name, default)``: the variable if ``ds`` holds it, else ``default``, asked with
    ``in`` first, so that a missing name costs no KeyError (whose message xarray builds by
    comparing the name with every other, ``difflib.get_close_matches``)."""
    return ds[name] if name in ds else default
