"""Electricity-side figures of a solved model that belong to no unit: local demand.

Used by :mod:`restvarme.results.collect`. What units add to the electricity bus is read from
their ports like every other flow (``electricity_mw``, signed as there: into the bus positive);
the unit types' own figures come from their ports' ``results``: PV and wind's available,
generated and curtailed electricity (:mod:`restvarme.units.renewable`), a store's charge,
discharge and level with their annual totals (:mod:`restvarme.units._store`).
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme.model.build import BuiltModel


def electricity_results(b: BuiltModel, pick: Callable) -> dict[str, xr.DataArray]:
    """Local electricity demand [MW] and its annual total [MWh] (0 without a demand)."""
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    demand = x["electricity_demand_mw"] if "electricity_demand_mw" in x else xr.zeros_like(w)
    return {"electricity_demand_mw": demand, "electricity_demand_mwh": (demand * w).sum("snapshot")}
