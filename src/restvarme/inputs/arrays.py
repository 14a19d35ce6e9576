"""Cheap repeated reads of an inputs Dataset's variables, for the model's builders.

``inputs[name]`` on an :class:`xarray.Dataset` builds a new DataArray on each call, gathering
the coordinates of that variable from all of the Dataset's: about 0.2 ms on the Lund year's
inputs (245 variables), and a build reads some 1,100 of them (``benchmarks/README.md``,
"phases.py", fifth pass). :class:`InputArrays` reads each variable once and hands out the same
DataArray after that.

The DataArrays handed out are shared: treat them as read-only, as the inputs are (an in-place
change would show in every later read, as it would in the Dataset's own arrays, which they
share). A name the Dataset lacks raises the Dataset's own ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping

import xarray as xr

__all__ = ["InputArrays"]


class InputArrays(Mapping[Hashable, xr.DataArray]):
    """The variables (and coordinates) of an inputs Dataset by name, each read once.

    ``arrays[name]`` is ``dataset[name]`` (the first time; the same object after that), ``name
    in arrays`` is ``name in dataset``, and iterating gives the data variables' names."""

    def __init__(self, dataset: xr.Dataset) -> None:
        self.dataset = dataset
        self._read: dict[Hashable, xr.DataArray] = {}

    def __getitem__(self, name: Hashable) -> xr.DataArray:
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = self.dataset[name]
        return found

    def __contains__(self, name: object) -> bool:
        return name in self.dataset

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.dataset.data_vars)

    def __len__(self) -> int:
        return len(self.dataset.data_vars)
