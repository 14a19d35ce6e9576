"""Importing the numerical stack without the cyclic garbage collector's passes.

A run's first import brings in some 1,700 modules (numpy, pandas, xarray, linopy, scipy,
polars, pydantic...). Their objects are long-lived, yet each of them counts towards the
collector's thresholds, so the collector walks the whole growing heap several times while they
are imported: measured with ``python -X importtime`` over ``restvarme run`` of a tiny scenario,
module bodies that merely happen to be running then (``restvarme.results.collect``,
``xarray.backends.common``, ``pandas.core.dtypes.generic``) took 60-260 ms each instead of
0.3-10 ms. Imports create almost no garbage cycles worth collecting, so the collector is held
while they run and restored afterwards. Everything allocated meanwhile is then young, so the
collector's first pass after the hold walks it all once; the CLI, whose process is its own,
freezes it instead (:func:`import_for_run`), and a fresh ``restvarme run`` of a tiny scenario
spends 0.03 CPU s in the collector instead of 0.50 (``benchmarks/README.md``, "phases.py").

Where dask is installed (linopy requires it, so in every install), xarray imports dask and
``dask.array`` on the first DataArray a process makes, to check every new array against dask's
types; a run that makes no dask object does not need them (0.25 s of each fresh process:
:func:`defer_dask`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.util
import sys
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def collector_held() -> Iterator[None]:
    """Hold the cyclic garbage collector inside the block (imports); restore it as it was.

    Nesting and a collector already disabled by the caller are respected: it is enabled again
    only if it was enabled when the block started. Reference counting still frees everything
    that is not in a cycle; cycles made inside the block are collected on a later pass.

    If the block imported modules (:data:`SETTLE_AFTER_MODULES` or more: a process's first
    run), one full pass settles what they made in the oldest generation before the collector is
    back; left young, it would be walked by the next young pass, then the middle one, then a
    full one.
    """
    enabled = gc.isenabled()
    modules = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if len(sys.modules) - modules >= SETTLE_AFTER_MODULES:
                gc.collect()
            gc.enable()


SETTLE_AFTER_MODULES = 100
"""Modules a held block must have imported for :func:`collector_held` to settle them."""


RUN_MODULES = (
    "restvarme.scenario.load",
    "restvarme.inputs.build",
    "restvarme.inputs.pathway",
    "restvarme.model.build",
    "restvarme.model.solve",
    "restvarme.model.warm_start",
    "restvarme.results.collect",
    "restvarme.results.io",
)
"""The modules every ``restvarme run`` imports (with them pandas, xarray, linopy, highspy)."""


def import_for_run(*, freeze: bool = False) -> None:
    """Import what a run needs with the collector held, and make the first DataArray (xarray's
    first-use work) without importing dask (:func:`defer_dask`).

    ``freeze``: then move every object alive to the collector's permanent generation
    (:func:`gc.freeze`), so that no later full pass (nor the one at the interpreter's exit)
    walks the imported modules' objects again. Only for a process that is restvarme's own (the
    CLI): in a library user's process it would keep their garbage cycles alive for good.
    """
    with collector_held():
        for name in RUN_MODULES:
            importlib.import_module(name)
        import xarray as xr

        defer_dask()
        xr.DataArray([0.0])
        if freeze:  # before the collector is back: its first pass would walk them all once more
            gc.freeze()


def defer_dask() -> bool:
    """Have xarray import dask when a dask object exists, not to learn that none does.

    Where dask is installed, xarray imports it in two checks it makes of every new array, and
    keeps what it learnt for the process: whether the array is of dask's array type
    (``xarray.namedarray.pycompat.array_type("dask")`` imports ``dask.array``) and whether it
    is a dask collection (``xarray.namedarray.utils.is_dask_collection`` imports ``dask.base``,
    and with it dask, toolz, jinja2 and psutil). A run makes no dask object, and the imports
    took 0.19 s and 0.06 s of each fresh ``restvarme run`` (``python -X importtime``; after
    ``import xarray``, ``import dask.array`` alone takes 0.19 s). Both checks now answer
    without the import where the answer cannot depend on it, exactly as dask would:

    - the array type is empty until ``dask.array.core`` is imported (no dask array can exist
      before), and dask's own from then on (:func:`_dask_on_import`);
    - an object without a ``__dask_graph__`` is no dask collection (dask's own first test, in
      ``dask.base.is_dask_collection``); any other object is asked of dask, as before.

    Returns whether xarray now waits; False where it already knows dask's type, where dask is
    not installed, or where xarray keeps these elsewhere (another xarray: then it imports dask
    as before).
    """
    try:
        from xarray.namedarray import pycompat, utils

        known = pycompat._cached_duck_array_modules
        record = pycompat.DuckArrayModule
        ask_dask = utils.is_dask_collection
    except (ImportError, AttributeError):  # pragma: no cover - another xarray
        return False
    if "dask" in known or not _dask_installed():
        return False
    known["dask"] = _dask_on_import(record)

    def is_dask_collection(x: object) -> bool:
        return hasattr(x, "__dask_graph__") and bool(ask_dask(x))

    utils.is_dask_collection = is_dask_collection  # type: ignore[assignment]
    return True


@functools.cache
def _dask_installed() -> bool:
    """Whether dask can be imported (looked up once: :func:`defer_dask` is called on every
    read of a run folder)."""
    return importlib.util.find_spec("dask") is not None


def _dask_on_import(record: type) -> Any:
    """xarray's record of dask (a ``DuckArrayModule``) whose array type is empty until
    ``dask.array.core`` is imported; anything else it is asked (the module, its version)
    imports dask.array as xarray's own record would."""

    class DaskOnImport(record):
        def __init__(self) -> None:  # xarray's __init__ imports dask.array: not called
            self._imported: Any = None

        def _record(self) -> Any:
            if self._imported is None:
                self._imported = record("dask")
            return self._imported

        @property
        def type(self) -> tuple[type, ...]:
            core = sys.modules.get("dask.array.core")
            if self._imported is None and getattr(core, "Array", None) is None:
                return ()
            return tuple(self._record().type)

        module = property(lambda self: self._record().module)
        version = property(lambda self: self._record().version)
        available = property(lambda self: self._record().available)

    return DaskOnImport()
