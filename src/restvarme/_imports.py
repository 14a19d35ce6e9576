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
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator


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
    """Import what a run needs with the collector held, xarray's lazy import of dask.array on
    the first DataArray included (when dask is installed, xarray checks every new array against
    dask's type: ``xarray.namedarray.pycompat``).

    ``freeze``: then move every object alive to the collector's permanent generation
    (:func:`gc.freeze`), so that no later full pass (nor the one at the interpreter's exit)
    walks the imported modules' objects again. Only for a process that is restvarme's own (the
    CLI): in a library user's process it would keep their garbage cycles alive for good.
    """
    import importlib

    with collector_held():
        for name in RUN_MODULES:
            importlib.import_module(name)
        import xarray as xr

        xr.DataArray([0.0])
        if freeze:  # before the collector is back: its first pass would walk them all once more
            gc.freeze()
