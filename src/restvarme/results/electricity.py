"""Electricity-side figures of a solved model: local demand, PV and wind curtailment, batteries.

Used by :mod:`restvarme.results.collect`. Signs as there: electricity into the bus positive (PV
and wind generation, fuel-cell power, a battery's discharge less its charge), consumed negative;
a fuel cell's ``hydrogen_mw`` is negative (drawn from the hydrogen bus) and its ``heat_mw``
positive (into its network). PV and wind units keep their own ``unit_type`` (``pv``, ``wind``)
although the model holds them on one ``renewable`` dimension.
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme.model.build import BuiltModel
from restvarme.model.capacity import in_service


def electricity_results(b: BuiltModel, pick: Callable) -> dict[str, xr.DataArray]:
    """Local demand, PV and wind generation and curtailment, battery levels; annual totals."""
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    demand = x["electricity_demand_mw"] if "electricity_demand_mw" in x else xr.zeros_like(w)
    out = {"electricity_demand_mw": demand, "electricity_demand_mwh": (demand * w).sum("snapshot")}
    if (renewables := b.units.get("renewable")) is not None:
        generation = pick(renewables.handles["generation_mw"].solution)
        available = x["renewable_capacity_factor"] * x["renewable_capacity_mw"]
        if renewables.new_capacity is not None:
            new = in_service(x, "renewable", renewables.new_capacity.solution.fillna(0.0))
            available = available + x["renewable_capacity_factor"] * new
        out.update(
            renewable_kind=x["renewable_kind"],
            renewable_capacity_factor=x["renewable_capacity_factor"],
            renewable_available_mw=available,
            renewable_generation_mw=generation,
            renewable_curtailment_mw=(available - generation).clip(min=0.0),
        )
        for key in ("renewable_available", "renewable_generation", "renewable_curtailment"):
            out[f"{key}_mwh"] = (out[f"{key}_mw"] * w).sum("snapshot")
    if (batteries := b.units.get("battery")) is not None:
        for key in ("charge", "discharge"):
            flow = pick(batteries.handles[key].solution)
            out[f"battery_{key}_mwh"] = (flow * w).sum("snapshot")
    return out
