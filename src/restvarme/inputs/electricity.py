"""Inputs of the electricity side: local demand.

Called from :func:`restvarme.inputs.build.build_inputs`, with the same conventions: hourly arrays
on ``snapshot``. The units on the electricity bus (``battery``, ``renewable`` for PV and wind
alike, ``fuel_cell``) build their own inputs in their modules of :mod:`restvarme.units`.

``electricity_demand_mw`` [MW] is always present (zero without ``electricity.demand``), so the
electricity balance always has the same right-hand side. An annual total is spread by its
relative profile p[t] normalised over the modelled hours::

    demand[t] = annual_gwh · 1000 / 8760 · p[t] / mean(p)

so a full year (8760 h) delivers exactly the annual total and a shorter horizon its share by
hours (the profile's shape inside the horizon is kept, its level is the annual mean).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import xarray as xr

from restvarme._dataset import labelled
from restvarme.inputs.build import _Reader
from restvarme.scenario import schema as s

HOURS_PER_YEAR = 8760.0


def electricity_inputs(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """The local electricity demand of a scenario (zero without ``electricity.demand``)."""
    return _demand(sc, read)


def _demand(sc: s.Scenario, read: _Reader) -> dict[str, xr.DataArray]:
    """Local electricity demand [MW] per snapshot (see the module docstring)."""
    d, n = sc.electricity.demand, len(read.index)
    where = ("electricity", "demand")
    if d is None:
        load = np.zeros(n)
    elif d.series_mw is not None:
        load = read(d.series_mw, *where, "series_mw", minimum=0.0)
    else:
        shape = read(d.profile, *where, "profile", minimum=0.0)
        if not shape.sum() > 0:
            raise read.problem(
                "the profile is zero in every modelled hour, so it cannot spread `annual_gwh`; "
                "expected a relative shape with some positive values",
                *where,
                "profile",
            )
        # the spec sets exactly one of annual_gwh and series_mw
        load = cast(float, d.annual_gwh) * 1000.0 / HOURS_PER_YEAR * shape / shape.mean()
    return {
        "electricity_demand_mw": labelled(
            np.asarray(load, dtype=float), {"snapshot": read.index}, {"units": "MW"}
        )
    }
