"""Collect a solved model into one :class:`xarray.Dataset` of results with ``units`` attributes.

Per-unit flows share one ``unit`` dimension (with ``unit_type``, ``unit_sink``, ``unit_source``,
``unit_fuel`` and ``unit_cooling_network`` coordinates) so that reports and accounting can treat
every unit alike. Signs: heat, cooling, hydrogen and electricity produced are positive, consumed
negative (an absorption chiller driven by network heat has negative ``heat_mw``; a cold store's
``cooling_mw`` is its discharge less its charge; see :mod:`restvarme.results.hydrogen`).

Marginal prices are the duals of the balances divided by the snapshot weight: the cost of one
more MWh of demand at that bus in that hour [EUR/MWh]. The value of a waste-heat source is the
dual of its availability limit: what one more MWh offered in that hour would save.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.model.build import BuiltModel
from restvarme.model.capacity import CAPACITY_KINDS, horizon_years
from restvarme.model.solve import SolveResult
from restvarme.results.biogas import (
    add_biogas_burnt,
    biogas_and_fleet_costs,
    biogas_and_fleet_emissions,
    biogas_blocks,
    biogas_results,
    biogas_vom,
)
from restvarme.results.electricity import (
    electricity_blocks,
    electricity_results,
    electricity_vom,
)
from restvarme.results.hydrogen import (
    hydrogen_blocks,
    hydrogen_costs,
    hydrogen_results,
    hydrogen_vom,
    waste_heat_offered_mw,
)

ROUTES = ("direct", "preheat", "heat_pump", "absorption")

INPUTS_KEPT = (
    "snapshot_weight_h",
    "outdoor_temperature_c",
    "supply_temperature_c",
    "return_temperature_c",
    "waste_heat_temperature_c",
    "waste_heat_price_eur_per_mwh",
    "waste_heat_emission_t_per_mwh",
    "heat_pump_cop",
    "electricity_price_eur_per_mwh",
    "electricity_emission_t_per_mwh",
    "fuel_price_eur_per_mwh",
    "fuel_emission_t_per_mwh",
    "fuel_renewable",
    "carbon_price_eur_per_t",
    "grid_fee_eur_per_mwh",
    "unserved_heat_penalty_eur_per_mwh",
)
"""Inputs copied into the results, so that accounting works on results alone."""

COOLING_INPUTS_KEPT = (
    "cooling_supply_temperature_c",
    "cooling_return_temperature_c",
    "unserved_cooling_penalty_eur_per_mwh",
)
"""Inputs copied into the results of runs with cooling networks."""
COOLING_DIMS = (
    "chiller",
    "free_cooling",
    "absorption_chiller",
    "cold_storage",
    "heat_recovery_heat_pump",
)


class _Selected:
    """A variable, expression or constraint seen through a selection (one pathway period)."""

    def __init__(self, item, period):
        self._item, self._period = item, period

    def _pick(self, da: xr.DataArray) -> xr.DataArray:
        return da.sel(period=self._period) if "period" in da.dims else da

    @property
    def solution(self) -> xr.DataArray:
        return self._pick(self._item.solution)

    @property
    def dual(self) -> xr.DataArray:
        return self._pick(self._item.dual)

    @property
    def dims(self):
        return self.solution.dims


def _period_view(b: BuiltModel, period) -> BuiltModel:
    """The built model as collect sees one period of a pathway: every handle selected."""

    def view(item):
        if item is None or isinstance(item, dict | xr.Dataset):
            return item
        if dataclasses.is_dataclass(item):
            return dataclasses.replace(
                item, **{f.name: view(getattr(item, f.name)) for f in dataclasses.fields(item)}
            )
        return _Selected(item, period)

    fields = {
        f.name: view(getattr(b, f.name))
        for f in dataclasses.fields(b)
        if f.name not in ("model", "inputs", "elastic_slacks")
    }
    return dataclasses.replace(b, inputs=b.inputs.sel(period=period), **fields)


FLOW_KEYS = (
    "heat_mw",
    "electricity_mw",
    "fuel_mw",
    "source_heat_mw",
    "cooling_mw",
    "hydrogen_mw",
    "biogas_mw",
)
"""Per-unit flows every unit type reports (0 where a type has none) [MW]."""


def _unit_block(kind: str, dim: str, inputs: xr.Dataset, **flows: xr.DataArray) -> xr.Dataset:
    """Flows of one component type, moved onto the common ``unit`` dimension."""
    names = inputs[dim].values
    template = next(iter(flows.values()))
    lead = [d for d in template.dims if d != dim]
    shape = (*(template.sizes[d] for d in lead), len(names))
    values = {k: np.zeros(shape) for k in FLOW_KEYS}
    for key, flow in flows.items():
        values[key] = np.broadcast_to(
            flow.broadcast_like(template).transpose(*lead, dim).values, shape
        )
    label = {}
    for role in ("sink", "source", "fuel", "network", "cooling_network"):
        var = f"{dim}_{role}"
        label[role] = inputs[var].values if var in inputs else np.full(len(names), "")
    coords = {
        **{d: template.indexes[d] for d in lead if d in template.indexes},
        "unit": names,
        "unit_type": ("unit", np.full(len(names), kind)),
        "unit_sink": (
            "unit",
            label["network"] if dim in ("storage", "cold_storage") else label["sink"],
        ),
        "unit_source": ("unit", label["source"]),
        "unit_fuel": ("unit", label["fuel"]),
        "unit_cooling_network": ("unit", _cooling_network_of(dim, label)),
    }
    dims = (*lead, "unit")
    return xr.Dataset({k: (dims, v) for k, v in values.items()}, coords=coords)


def _concat_units(blocks: list[xr.Dataset]) -> xr.Dataset:
    """The blocks of :func:`_unit_block` side by side on ``unit`` (what ``xr.concat`` does for
    blocks that share every other coordinate, without its alignment)."""
    first = blocks[0]
    dims = first[FLOW_KEYS[0]].dims
    unit_coords = [c for c in first.coords if first[c].dims == ("unit",)]
    data = {
        k: (dims, np.concatenate([b[k].values for b in blocks], axis=-1)) for k in first.data_vars
    }
    coords = {d: first.indexes[d] for d in dims if d != "unit" and d in first.indexes}
    coords.update({c: ("unit", np.concatenate([b[c].values for b in blocks])) for c in unit_coords})
    return xr.Dataset(data, coords=coords)


def _cooling_network_of(dim: str, label: dict[str, np.ndarray]) -> np.ndarray:
    """The cooling network each unit of a type serves ("" for heat-only types)."""
    if dim == "cold_storage":
        return label["network"]
    if dim in COOLING_DIMS and dim != "heat_recovery_heat_pump":
        return label["sink"]
    return label["cooling_network"]


def _cooling_blocks(b: BuiltModel) -> list[xr.Dataset]:
    """Flows of the cooling unit types (see the module docstring for signs)."""
    x, blocks = b.inputs, []
    if b.chillers:
        c = b.chillers.cooling_mw.solution
        blocks.append(
            _unit_block("chiller", "chiller", x, cooling_mw=c, electricity_mw=-c / x["chiller_eer"])
        )
    if b.free_coolers:
        c = b.free_coolers.cooling_mw.solution
        blocks.append(
            _unit_block(
                "free_cooling",
                "free_cooling",
                x,
                cooling_mw=c,
                electricity_mw=-c * x["free_cooling_electricity_mwh_per_mwh"],
            )
        )
    if b.absorption_chillers:
        c = b.absorption_chillers.cooling_mw.solution
        drive = c / x["absorption_chiller_thermal_cop"]
        on_network = x["absorption_chiller_source"].isin(x["network"].values)
        blocks.append(
            _unit_block(
                "absorption_chiller",
                "absorption_chiller",
                x,
                cooling_mw=c,
                heat_mw=-drive.where(on_network, 0.0),
                source_heat_mw=drive,
                electricity_mw=-c * x["absorption_chiller_electricity_mwh_per_mwh"],
            )
        )
    if b.cold_stores:
        s = b.cold_stores
        blocks.append(
            _unit_block(
                "cold_storage",
                "cold_storage",
                x,
                cooling_mw=s.discharge_mw.solution - s.charge_mw.solution,
            )
        )
    if b.heat_recovery_heat_pumps:
        h = b.heat_recovery_heat_pumps
        q, cop = h.condenser_heat_mw.solution, x["heat_recovery_heat_pump_cop"]
        blocks.append(
            _unit_block(
                "heat_recovery_heat_pump",
                "heat_recovery_heat_pump",
                x,
                heat_mw=q - h.rejected_heat_mw.solution,
                cooling_mw=q * (1 - 1 / cop),
                electricity_mw=-q / cop,
            )
        )
    return blocks


def _unit_flows(b: BuiltModel) -> xr.Dataset:
    x = b.inputs
    blocks = []
    if b.heat_pumps:
        q, cop = b.heat_pumps.heat_mw.solution, x["heat_pump_cop"]
        blocks.append(
            _unit_block(
                "heat_pump",
                "heat_pump",
                x,
                heat_mw=q,
                electricity_mw=-q / cop,
                source_heat_mw=q * (1 - 1 / cop),
            )
        )
    if b.heat_exchangers:
        h = b.heat_exchangers.heat_mw.solution
        blocks.append(
            _unit_block("heat_exchanger", "heat_exchanger", x, heat_mw=h, source_heat_mw=h)
        )
    if b.chps:
        blocks.append(
            _unit_block(
                "chp",
                "chp",
                x,
                heat_mw=b.chps.heat_mw.solution,
                electricity_mw=b.chps.power_mw.solution,
                fuel_mw=b.chps.fuel_mw.solution,
            )
        )
    if b.boilers:
        q = b.boilers.heat_mw.solution
        blocks.append(
            _unit_block("boiler", "boiler", x, heat_mw=q, fuel_mw=q / x["boiler_efficiency"])
        )
    if b.electric_boilers:
        q = b.electric_boilers.heat_mw.solution
        blocks.append(
            _unit_block(
                "electric_boiler",
                "electric_boiler",
                x,
                heat_mw=q,
                electricity_mw=-q / x["electric_boiler_efficiency"],
            )
        )
    if b.stores:
        s = b.stores
        blocks.append(
            _unit_block(
                "storage", "storage", x, heat_mw=s.discharge_mw.solution - s.charge_mw.solution
            )
        )
    blocks += _cooling_blocks(b)
    blocks += hydrogen_blocks(b, _unit_block)
    blocks += electricity_blocks(b, _unit_block)
    blocks += biogas_blocks(b, _unit_block)
    if not blocks:
        empty = xr.DataArray(
            np.zeros((x.sizes["snapshot"], 0)),
            coords={"snapshot": x["snapshot"]},
            dims=("snapshot", "unit"),
        )
        return xr.Dataset({k: empty for k in FLOW_KEYS})
    flows = add_biogas_burnt(_concat_units(blocks).sel(unit=b.inputs["unit_order"].values))
    vom = {
        str(u): float(v)
        for d in (
            "heat_pump",
            "heat_exchanger",
            "chp",
            "boiler",
            "electric_boiler",
            "storage",
            *COOLING_DIMS,
        )
        if d in x.sizes
        for u, v in zip(x[d].values, x[f"{d}_vom_eur_per_mwh"].values, strict=True)
    }
    flows["unit_vom_eur_per_mwh"] = xr.DataArray(
        [vom.get(str(u), 0.0) for u in flows["unit"].values],
        dims="unit",
        attrs={"units": "EUR/MWh"},
    )
    return flows.transpose("snapshot", "unit")


def _waste_heat_routes(b: BuiltModel, flows: xr.Dataset) -> xr.DataArray:
    """Waste heat taken per source and route [MW], dims (snapshot, waste_source, route)."""
    x = b.inputs
    sources = x["waste_source"].values
    out = np.zeros((x.sizes["snapshot"], len(sources), len(ROUTES)))
    col = {s: i for i, s in enumerate(sources)}
    if b.heat_exchangers:
        h = b.heat_exchangers.heat_mw.solution.transpose("snapshot", "heat_exchanger").values
        direct = x["heat_exchanger_direct"].transpose("snapshot", "heat_exchanger").values
        for j, src in enumerate(x["heat_exchanger_source"].values):
            out[:, col[src], 0] += np.where(direct[:, j], h[:, j], 0.0)
            out[:, col[src], 1] += np.where(direct[:, j], 0.0, h[:, j])
    if b.heat_pumps:
        drawn = flows["source_heat_mw"].where(flows["unit_type"] == "heat_pump", drop=True)
        for name in drawn["unit"].values:
            src = str(drawn["unit_source"].sel(unit=name).values)
            if src in col:
                out[:, col[src], 2] += drawn.sel(unit=name).values
    if b.absorption_chillers:
        drawn = flows["source_heat_mw"].where(flows["unit_type"] == "absorption_chiller", drop=True)
        for name in drawn["unit"].values:
            src = str(drawn["unit_source"].sel(unit=name).values)
            if src in col:
                out[:, col[src], 3] += drawn.sel(unit=name).values
    return xr.DataArray(
        out,
        coords={"snapshot": x["snapshot"], "waste_source": sources, "route": list(ROUTES)},
        dims=("snapshot", "waste_source", "route"),
    )


def _capacities(b: BuiltModel) -> tuple[xr.DataArray, xr.DataArray, float]:
    """Existing and new rated capacity per unit (heat MW; MWh for stores), and their yearly cost
    over the horizon [EUR] (annuity plus fixed O&M of new capacity)."""
    x = b.inputs
    order = x["unit_order"].values
    existing = xr.DataArray(np.zeros(len(order)), coords={"unit": order}, dims="unit")
    new = existing.copy()
    cost = 0.0
    years = horizon_years(x)
    for dim, kind in CAPACITY_KINDS.items():
        handle, capacity = kind.handle, f"{dim}_{kind.rating}"
        if dim not in x.sizes or not x.sizes[dim]:
            continue
        names = x[dim].values
        existing.loc[names] = x[capacity].values
        var = getattr(getattr(b, handle), kind.new_attr)
        if var is not None:
            built = var.solution.fillna(0.0)
            if "build_period" in built.dims:  # pathway: capacity in service in this period
                year = int(x["period"])
                life = x[f"{dim}_lifetime_years"]
                serving = (built["build_period"] <= year) & (year < built["build_period"] + life)
                built = (built * serving).sum("build_period")
            new.loc[names] = built.values
            cost += years * float((built * x[f"{dim}_capacity_cost_eur_per_year"]).sum())
    attrs = {"units": "MW (MWh for storage)"}
    return existing.assign_attrs(attrs), new.assign_attrs(attrs), cost


def _annual(da: xr.DataArray, w: xr.DataArray) -> xr.DataArray:
    return (da * w).sum("snapshot")


def _costs_and_emissions(b: BuiltModel, flows: xr.Dataset, waste: xr.DataArray, res: dict):
    """Cost breakdown [EUR] and emissions by source [t CO2e] over the horizon."""
    x = b.inputs
    w = x["snapshot_weight_h"]
    cp = float(x["carbon_price_eur_per_t"])
    fuel_of = flows["unit_fuel"]
    has_fuel = fuel_of != ""
    fuel_mwh_t = flows["fuel_mw"].where(has_fuel, drop=True)
    fuels = list(x["fuel"].values)
    fuel_use = {f: fuel_mwh_t.where(fuel_mwh_t["unit_fuel"] == f, 0).sum("unit") for f in fuels}
    imp = res["grid_import_mw"]
    exp = res["grid_export_mw"]
    ef_el = x["electricity_emission_t_per_mwh"]
    emissions = {
        f: float(_annual(fuel_use[f], w)) * float(x["fuel_emission_t_per_mwh"].sel(fuel=f))
        for f in fuels
    }
    emissions["electricity"] = float(_annual(imp * ef_el, w))
    emissions.update(biogas_and_fleet_emissions(b))
    waste_factor = x["waste_heat_emission_t_per_mwh"] if "waste_heat_emission_t_per_mwh" in x else 0
    waste_t = float(_annual(waste.sum("route") * waste_factor, w).sum())
    if waste_t > 0:
        emissions["waste_heat"] = waste_t
    fuel_cost = sum(
        float(_annual(fuel_use[f] * x["fuel_price_eur_per_mwh"].sel(fuel=f), w)) for f in fuels
    )
    vom = 0.0
    for dim in ("heat_pump", "heat_exchanger", "chp", "boiler", "electric_boiler"):
        if x.sizes.get(dim):
            heat = flows["heat_mw"].sel(unit=x[dim].values).rename(unit=dim)
            vom += float(_annual(heat * x[f"{dim}_vom_eur_per_mwh"], w).sum())
    if b.stores:
        vom += float(
            _annual(b.stores.discharge_mw.solution * x["storage_vom_eur_per_mwh"], w).sum()
        )
    vom += _cooling_vom(b, flows) + hydrogen_vom(b) + electricity_vom(b) + biogas_vom(b)
    spot = x["electricity_price_eur_per_mwh"]
    costs = {
        "fuel": fuel_cost,
        "carbon": cp * sum(emissions.values()),
        "electricity_purchase": float(_annual(imp * spot, w)),
        "grid_fee": float(_annual(imp, w)) * float(x["grid_fee_eur_per_mwh"]),
        "electricity_sales": -float(_annual(exp * spot, w)),
        "waste_heat": float(
            _annual(waste.sum("route") * x["waste_heat_price_eur_per_mwh"], w).sum()
        ),
        "variable_om": vom,
        "unserved_heat_penalty": float(_annual(res["unserved_heat_mw"], w).sum())
        * float(x["unserved_heat_penalty_eur_per_mwh"]),
        "capital": _capacities(b)[2],
        "target_shortfall_penalty": _shortfall(b)[3],
    }
    costs.update(_cooling_costs(b))
    costs.update(hydrogen_costs(b))
    costs.update(biogas_and_fleet_costs(b))
    cost = xr.DataArray(
        list(costs.values()),
        coords={"cost_item": list(costs)},
        dims="cost_item",
        attrs={"units": "EUR"},
    )
    emis = xr.DataArray(
        list(emissions.values()),
        coords={"emission_source": list(emissions)},
        dims="emission_source",
        attrs={"units": "t CO2e"},
    )
    return cost, emis


def _typical_day_levels(b: BuiltModel) -> tuple[xr.DataArray, xr.DataArray]:
    """Absolute store levels in typical-day runs: on each typical hour, the level on the real
    day the typical day is (its medoid), S[d]·κ^(h+1) + ΔL[k,h]; and S[d] for every real day."""
    x = b.inputs
    start = b.stores.level_day_start_mwh.solution
    medoid = x["cluster_medoid_day"].values[x["snapshot_cluster"].values]
    start_on = start.isel(day=xr.DataArray(medoid, dims="snapshot")).drop_vars("day")
    kappa = 1 - x["storage_standing_loss_per_hour"]
    level = start_on.assign_coords(snapshot=x["snapshot"]) * kappa ** (x["snapshot_hour"] + 1)
    return level + b.stores.level_mwh.solution, start


def _cooling_vom(b: BuiltModel, flows: xr.Dataset) -> float:
    """Variable O&M of the cooling types [EUR]: per MWh of cooling (a cold store's discharge; a
    heat-recovery heat pump's condenser heat)."""
    x, w, vom = b.inputs, b.inputs["snapshot_weight_h"], 0.0
    for dim in ("chiller", "free_cooling", "absorption_chiller"):
        if x.sizes.get(dim):
            cooling = flows["cooling_mw"].sel(unit=x[dim].values).rename(unit=dim)
            vom += float(_annual(cooling * x[f"{dim}_vom_eur_per_mwh"], w).sum())
    if b.cold_stores:
        d = b.cold_stores.discharge_mw.solution
        vom += float(_annual(d * x["cold_storage_vom_eur_per_mwh"], w).sum())
    if b.heat_recovery_heat_pumps:
        q = b.heat_recovery_heat_pumps.condenser_heat_mw.solution
        vom += float(_annual(q * x["heat_recovery_heat_pump_vom_eur_per_mwh"], w).sum())
    return vom


def _cooling_costs(b: BuiltModel) -> dict[str, float]:
    """Cost items of runs with cooling networks [EUR]: heat rejected by heat-recovery heat pumps,
    and the unserved-cooling penalty."""
    if b.unserved_cooling_mw is None:
        return {}
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    rejection = 0.0
    if b.heat_recovery_heat_pumps:
        r = b.heat_recovery_heat_pumps.rejected_heat_mw.solution
        price = x["heat_recovery_heat_pump_heat_rejection_cost_eur_per_mwh"]
        rejection = float(_annual(r * price, w).sum())
    unserved = float(_annual(b.unserved_cooling_mw.solution, w).sum())
    return {
        "heat_rejection": rejection,
        "unserved_cooling_penalty": unserved * float(x["unserved_cooling_penalty_eur_per_mwh"]),
    }


def _cooling_results(b: BuiltModel) -> dict[str, xr.DataArray]:
    """Cooling networks' balances and prices, and the cooling units' own hourly figures."""
    if b.unserved_cooling_mw is None:
        return {}
    x = b.inputs
    out = {
        "cooling_demand_mw": x["cooling_demand_mw"],
        "unserved_cooling_mw": b.unserved_cooling_mw.solution,
        "marginal_cooling_price_eur_per_mwh": b.balances.cooling.dual / x["cost_weight"],
        **{key: x[key] for key in COOLING_INPUTS_KEPT},
    }
    if b.chillers:
        out["chiller_eer"] = x["chiller_eer"]
    if b.heat_recovery_heat_pumps:
        out["heat_recovery_heat_pump_cop"] = x["heat_recovery_heat_pump_cop"]
        out["heat_rejection_mw"] = b.heat_recovery_heat_pumps.rejected_heat_mw.solution
    if b.cold_stores:
        out["cold_storage_level_mwh"] = b.cold_stores.level_mwh.solution
        out["cold_storage_charge_mw"] = b.cold_stores.charge_mw.solution
        out["cold_storage_discharge_mw"] = b.cold_stores.discharge_mw.solution
    return out


def _shortfall(b: BuiltModel) -> tuple[float, float, float, float]:
    """Emission shortfall [t], waste-heat and renewable-heat shortfalls [MWh] and their penalty
    [EUR] (per year)."""
    t = b.targets

    def total(var) -> float:
        return float(var.solution.fillna(0).sum()) if var is not None else 0.0

    short_t, short_wh = total(t.emission_shortfall_t), total(t.waste_heat_shortfall_mwh)
    short_re = total(t.renewable_shortfall_mwh)
    penalty = (short_t + short_wh + short_re) * float(b.inputs["target_penalty_eur_per_t"])
    return short_t, short_wh, short_re, penalty


def _targets(b: BuiltModel) -> dict[str, xr.DataArray]:
    """Target figures: cap, emissions, shortfall, and the shadow carbon price of the cap."""
    x, t = b.inputs, b.targets
    short_t, short_wh, short_re, _ = _shortfall(b)
    out = {
        "emission_cap_t": x["emission_cap_t"],
        "emission_shortfall_t": xr.DataArray(short_t),
        "min_waste_heat_share": x["min_waste_heat_share"],
        "waste_heat_shortfall_mwh": xr.DataArray(short_wh),
        "min_renewable_share": x["min_renewable_share"],
        "renewable_shortfall_mwh": xr.DataArray(short_re),
    }
    if t.emission_cap is not None:
        weight = float(x["period_discounted_years"]) if "period_discounted_years" in x else 1.0
        dual = t.emission_cap.dual.fillna(0)
        out["shadow_carbon_price_eur_per_t"] = -dual / weight
    return out


def collect_results(b: BuiltModel, solved: SolveResult) -> xr.Dataset:
    """Hourly flows, levels, prices and annual totals of a solved model.

    Pathway runs get a ``period`` dimension: every figure is per period and per representative
    year, undiscounted; ``discounted_cost_eur`` weights each period's costs by its discounted
    years (``period_discounted_years``) and sums to the objective.
    """
    if "period" not in b.inputs.dims:
        return _collect_one(b, solved)
    periods = b.inputs["period"].values
    parts = [
        _collect_one(_period_view(b, p), solved).drop_vars("period", errors="ignore")
        for p in periods
    ]
    ds = xr.concat(
        parts,
        dim=pd.Index(periods, name="period"),
        data_vars="all",
        coords="minimal",
        compat="override",
        combine_attrs="override",
    )
    weight = b.inputs["period_discounted_years"]
    ds.attrs["year"] = int(periods[-1])
    ds.attrs["periods"] = " ".join(str(p) for p in periods)
    ds["period_discounted_years"] = weight
    ds["discounted_cost_eur"] = (ds["cost_eur"] * weight).sum("period").assign_attrs(units="EUR")
    for dim, kind in CAPACITY_KINDS.items():
        var = getattr(getattr(b, kind.handle) or object(), kind.new_attr, None)
        if var is not None:
            built = var.solution.fillna(0.0).rename(build_period="period", **{dim: "unit"})
            ds["capacity_built"] = ds.get("capacity_built", xr.zeros_like(ds["capacity_new"]))
            ds["capacity_built"].loc[{"unit": built["unit"].values}] = built.transpose(
                "period", "unit"
            ).values
    if "capacity_built" in ds:
        ds["capacity_built"].attrs["units"] = "MW (MWh for storage), built in the period"
    return ds


def _collect_one(b: BuiltModel, solved: SolveResult) -> xr.Dataset:
    """Results of a one-year run, or of one pathway period seen through :func:`_period_view`."""
    x = b.inputs
    w, cw = x["snapshot_weight_h"], x["cost_weight"]
    flows = _unit_flows(b)
    zero_t = xr.zeros_like(w)
    res: dict[str, xr.DataArray] = {
        "grid_import_mw": b.grid.import_mw.solution,
        "grid_export_mw": b.grid.export_mw.solution if b.grid.export_mw is not None else zero_t,
        "unserved_heat_mw": b.unserved_heat_mw.solution,
        "heat_demand_mw": x["heat_demand_mw"],
        "marginal_heat_price_eur_per_mwh": b.balances.heat.dual / cw,
        "marginal_electricity_price_eur_per_mwh": b.balances.electricity.dual / cw,
    }
    waste = _waste_heat_routes(b, flows)
    res["waste_heat_used_mw"] = waste
    res["waste_heat_available_mw"] = x["waste_heat_available_mw"]
    if (offered := waste_heat_offered_mw(b)) is not None:
        res["waste_heat_offered_mw"] = offered
        res["waste_heat_available_mw"] = x["waste_heat_available_mw"] + offered
    if b.balances.waste_heat is not None:
        res["waste_heat_value_eur_per_mwh"] = -b.balances.waste_heat.dual / cw
    if b.stores and b.stores.level_day_start_mwh is not None:
        res["storage_level_mwh"], res["storage_level_day_start_mwh"] = _typical_day_levels(b)
        res["storage_charge_mw"] = b.stores.charge_mw.solution
        res["storage_discharge_mw"] = b.stores.discharge_mw.solution
    elif b.stores:
        res["storage_level_mwh"] = b.stores.level_mwh.solution
        res["storage_charge_mw"] = b.stores.charge_mw.solution
        res["storage_discharge_mw"] = b.stores.discharge_mw.solution
    for key in INPUTS_KEPT:
        res[key] = x[key]
    res.update(_cooling_results(b))
    res.update(hydrogen_results(b))
    res.update(electricity_results(b))
    res.update(biogas_results(b))
    cost, emis = _costs_and_emissions(b, flows, waste, res)
    ds = xr.Dataset({**{k: flows[k] for k in flows.data_vars}, **res})
    ds["heat_mwh"] = _annual(flows["heat_mw"], w)
    ds["electricity_mwh"] = _annual(flows["electricity_mw"], w)
    ds["fuel_mwh"] = _annual(flows["fuel_mw"], w)
    ds["unserved_heat_mwh"] = _annual(res["unserved_heat_mw"], w)
    ds["cooling_mwh"] = _annual(flows["cooling_mw"], w)
    ds["hydrogen_mwh"] = _annual(flows["hydrogen_mw"], w)
    ds["biogas_mwh"] = _annual(flows["biogas_mw"], w)
    if "cooling_demand_mw" in res:
        ds["cooling_demand_mwh"] = _annual(res["cooling_demand_mw"], w)
        ds["unserved_cooling_mwh"] = _annual(res["unserved_cooling_mw"], w)
        ds.attrs["unserved_cooling_penalty_eur_per_mwh"] = float(
            x["unserved_cooling_penalty_eur_per_mwh"]
        )
    ds["heat_demand_mwh"] = _annual(x["heat_demand_mw"], w)
    ds["waste_heat_used_mwh"] = _annual(waste, w)
    ds["capacity_existing"], ds["capacity_new"], _ = _capacities(b)
    ds["cost_eur"] = cost
    ds["emissions_t"] = emis
    for key, value in _targets(b).items():
        ds[key] = value
    _set_units(ds)
    for key in (
        "carbon_price_eur_per_t",
        "grid_fee_eur_per_mwh",
        "unserved_heat_penalty_eur_per_mwh",
    ):
        ds.attrs[key] = float(x[key])
    ds.attrs.update(
        scenario=x.attrs.get("scenario", ""),
        year=x.attrs.get("year", 0),
        objective_eur=solved.objective_eur,
        solver=solved.solver,
        status=solved.status.value,
        solve_seconds=solved.solve_seconds,
    )
    return ds


def _set_units(ds: xr.Dataset) -> None:
    suffixes = {
        "_mwh": "MWh",
        "_mw": "MW",
        "_eur_per_mwh": "EUR/MWh",
        "_c": "°C",
        "_eur": "EUR",
        "_t": "t CO2e",
        "_t_per_mwh": "t CO2e/MWh",
        "_h": "h",
        "_eur_per_t": "EUR/t CO2e",
    }
    for name, var in ds.data_vars.items():
        for suffix, unit in sorted(suffixes.items(), key=lambda kv: -len(kv[0])):
            if name.endswith(suffix):
                var.attrs["units"] = unit
                break
        else:
            var.attrs.setdefault("units", "-")
