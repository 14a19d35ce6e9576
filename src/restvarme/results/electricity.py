"""Electricity-side figures of a solved model: PV, wind, batteries, fuel cells, local demand.

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

ELECTRICITY_DIMS = ("battery", "renewable", "fuel_cell")


def electricity_blocks(b: BuiltModel, unit_block: Callable[..., xr.Dataset]) -> list[xr.Dataset]:
    """Flows of the electricity unit types, through collect's ``_unit_block``."""
    x, blocks = b.inputs, []
    if b.renewables:
        block = unit_block(
            "renewable", "renewable", x, electricity_mw=b.renewables.generation_mw.solution
        )
        blocks.append(block.assign_coords(unit_type=("unit", x["renewable_kind"].values)))
    if b.batteries:
        s = b.batteries
        blocks.append(
            unit_block(
                "battery",
                "battery",
                x,
                electricity_mw=s.discharge_mw.solution - s.charge_mw.solution,
            )
        )
    if b.fuel_cells:
        p, eta_el = b.fuel_cells.power_mw.solution, x["fuel_cell_efficiency_el"]
        blocks.append(
            unit_block(
                "fuel_cell",
                "fuel_cell",
                x,
                electricity_mw=p,
                heat_mw=p * x["fuel_cell_efficiency_heat"] / eta_el,
                hydrogen_mw=-p / eta_el,
            )
        )
    return blocks


def electricity_vom(b: BuiltModel) -> float:
    """Variable O&M of the electricity types [EUR]: per MWh generated (PV, wind, fuel cells) or
    discharged (batteries)."""
    x, w, vom = b.inputs, b.inputs["snapshot_weight_h"], 0.0
    for handle, flow, dim in (
        ("renewables", "generation_mw", "renewable"),
        ("batteries", "discharge_mw", "battery"),
        ("fuel_cells", "power_mw", "fuel_cell"),
    ):
        if (units := getattr(b, handle)) is not None:
            out = getattr(units, flow).solution
            vom += float((out * x[f"{dim}_vom_eur_per_mwh"] * w).sum())
    return vom


def electricity_results(b: BuiltModel) -> dict[str, xr.DataArray]:
    """Local demand, PV and wind generation and curtailment, battery levels; annual totals."""
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    demand = x["electricity_demand_mw"] if "electricity_demand_mw" in x else xr.zeros_like(w)
    out = {"electricity_demand_mw": demand, "electricity_demand_mwh": (demand * w).sum("snapshot")}
    if b.renewables:
        generation = b.renewables.generation_mw.solution
        available = x["renewable_capacity_factor"] * x["renewable_capacity_mw"]
        if b.renewables.new_capacity_mw is not None:
            new = b.renewables.new_capacity_mw.solution.fillna(0.0)
            if "build_period" in new.dims:  # pathway: capacity in service in this period
                year, life = int(x["period"]), x["renewable_lifetime_years"]
                serving = (new["build_period"] <= year) & (year < new["build_period"] + life)
                new = (new * serving).sum("build_period")
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
    if b.batteries:
        s = b.batteries
        out.update(
            battery_level_mwh=s.level_mwh.solution,
            battery_charge_mw=s.charge_mw.solution,
            battery_discharge_mw=s.discharge_mw.solution,
        )
        for key in ("battery_charge", "battery_discharge"):
            out[f"{key}_mwh"] = (out[f"{key}_mw"] * w).sum("snapshot")
    return out
