"""Collect a solved model into one :class:`xarray.Dataset` of results with ``units`` attributes.

Per-unit flows share one ``unit`` dimension (with ``unit_type``, ``unit_sink``, ``unit_source``,
``unit_fuel`` and ``unit_cooling_network`` coordinates) so that reports and accounting can treat
every unit alike. Signs: heat, cooling, hydrogen and electricity produced are positive, consumed
negative (an absorption chiller driven by network heat has negative ``heat_mw``; a cold store's
``cooling_mw`` is its discharge less its charge; see :mod:`restvarme.results.hydrogen`).

Marginal prices are the duals of the balances divided by the snapshot weight: the cost of one
more MWh of demand at that bus in that hour [EUR/MWh]. The value of a waste-heat source is the
dual of its availability limit: what one more MWh offered in that hour would save.

linopy internals used (which is why pyproject.toml bounds linopy ``<0.11``): a
``LinearExpression``'s ``data`` (``vars``, ``coeffs``, ``const``, the term dimension last) and
``_csr``, and the variables' ``labels`` and ``solution``, in :class:`_Solutions`; guarded by
``tests/results/test_collect_paths.py``, which compares its solutions with linopy's own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable
from typing import Any

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import dataset, get, labelled, shared_coordinates
from restvarme.accounting.outputs import xarray_nansum
from restvarme.model.build import BuiltModel
from restvarme.model.capacity import (
    horizon_years,
    in_service,
    vintage_cost_eur_per_year,
    with_vintages,
)
from restvarme.model.linear import values_like
from restvarme.model.solve import SolveResult
from restvarme.results.biogas import (
    add_biogas_burnt,
    biogas_and_fleet_costs,
    biogas_and_fleet_emissions,
    biogas_results,
)
from restvarme.results.electricity import electricity_results
from restvarme.results.groups import (
    connection_costs,
    connection_results,
    group_results,
    main_fee_eur,
    with_connections,
)
from restvarme.results.hydrogen import hydrogen_costs, hydrogen_results, waste_heat_offered_mw
from restvarme.units.ports import ORIGINS, ROUTES, Flow, Ports
from restvarme.units.registry import REGISTRY

INPUTS_KEPT = (
    "snapshot_weight_h",
    "outdoor_temperature_c",
    "supply_temperature_c",
    "return_temperature_c",
    "waste_heat_temperature_c",
    "waste_heat_price_eur_per_mwh",
    "waste_heat_emission_t_per_mwh",
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


class _Selected:
    """A variable, expression or constraint seen through a selection (one pathway period)."""

    def __init__(self, item: Any, period: int) -> None:
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
    def dims(self) -> tuple[Hashable, ...]:
        return self.solution.dims


Pick = Callable[[xr.DataArray], xr.DataArray]
"""Selects what collect reads of a solution: one period of a pathway, or all of a one-year run."""


def _keep(da: xr.DataArray) -> xr.DataArray:
    return da


def _period_pick(period: int) -> Pick:
    return lambda da: da.sel(period=period) if "period" in da.dims else da


def _period_view(b: BuiltModel, period: int) -> BuiltModel:
    """The built model as collect sees one period of a pathway: every handle selected."""

    def view(item: Any) -> Any:
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
    return dataclasses.replace(b, inputs=with_vintages(b.inputs).sel(period=period), **fields)


FLOW_KEYS = (
    "heat_mw",
    "electricity_mw",
    "fuel_mw",
    "source_heat_mw",
    "cooling_mw",
    "hydrogen_mw",
    "biogas_mw",
    "vehicle_gas_mw",
)
"""Per-unit flows every unit type reports (0 where a type has none) [MW]: the solutions of the
ports of :mod:`restvarme.units.ports` of the same carrier."""


UNIT_LABELS = ("unit_type", "unit_sink", "unit_source", "unit_fuel", "unit_cooling_network")
"""Per-unit coordinates: the results' type label, the network (or cooling network) a unit
feeds, its source, its fuel and the cooling network it serves ("" where it has none)."""


class _Solutions:
    """The solution of a variable or expression, for :func:`_unit_block`.

    linopy's ``LinearExpression.solution`` gathers the solution of every variable of the model
    into one array indexed by label on each call (``_label_solution``, about 3 ms on the Lund
    year, for each of a dozen expressions); here it is gathered once, and each dense
    expression's solution computed from it with the numpy operations linopy's xarray code runs
    (``(coeffs * values).sum("_term") + const``: the same bits). Sparse expressions (linopy's
    CSR-backed ones) and any other term are read through linopy."""

    def __init__(self, model: linopy.Model) -> None:
        self.model = model
        self._by_label: np.ndarray | None = None

    def by_label(self) -> np.ndarray:
        """Every variable's solution by label, NaN where none, and a last NaN that label -1
        reads (what linopy's ``_label_solution`` gives)."""
        if self._by_label is None:
            variables = list(self.model.variables.data.values())
            size = 1 + max((int(v.labels.values.max(initial=-1)) for v in variables), default=-1)
            values = np.full(size + 1, np.nan)
            for var in variables:
                values[var.labels.values] = var.solution.values
            values[-1] = np.nan
            self._by_label = values
        return self._by_label

    def of(self, term: Any) -> xr.DataArray:
        if not isinstance(term, linopy.LinearExpression) or getattr(term, "_csr", None) is not None:
            return term.solution
        data = term.data
        vars_, coeffs, const = data["vars"], data["coeffs"], data["const"]
        if coeffs.dims != vars_.dims or const.dims != vars_.dims[:-1]:
            return term.solution
        values = self.by_label()[vars_.values]
        product = coeffs.values * values
        total = xarray_nansum(product, -1)
        # const's coordinates, shared rather than built again (xr.DataArray deep-copies each
        # index it is given); none lies on the term dimension, which const lacks
        out = const.copy(deep=False, data=total + const.values)
        out.name, out.attrs = "solution", {}
        return out


def _unit_block(b: BuiltModel, ports: Ports, pick: Pick, solutions: _Solutions) -> dict[str, Any]:
    """Flows, heat by origin, source heat by route, cost items [EUR] and labels of one unit
    type as numpy arrays, the unit axis after (period,) snapshot."""
    x, dim = b.inputs, ports.dim
    n = x.sizes[dim]
    lead = list(x["snapshot_weight_h"].dims)
    shape = (*(x.sizes[d] for d in lead), n)

    solved: dict[int, xr.DataArray] = {}  # flows share terms: read each solution once

    def values(flow: Flow) -> np.ndarray:
        key = id(flow.term)
        if key not in solved:
            solved[key] = pick(solutions.of(flow.term)).transpose(*lead, dim)
        coeff = pick(flow.coeff) if isinstance(flow.coeff, xr.DataArray) else flow.coeff
        return solved[key].values * values_like(coeff, solved[key])

    out = {k: np.zeros(shape) for k in FLOW_KEYS}
    for carrier, flow in ports.flows.items():
        if f"{carrier}_mw" in out:
            out[f"{carrier}_mw"] = values(flow)
    for key, names, parts in (
        ("heat_origin_mw", ORIGINS, ports.origins),
        ("source_heat_route_mw", ROUTES, ports.routes),
    ):
        out[key] = np.zeros((*shape, len(names)))
        for k, name in enumerate(names):
            if name in parts:
                out[key][..., k] = values(parts[name])
    w = x["snapshot_weight_h"].transpose(*lead).values
    out["unit_cost_eur"] = {}
    for c in ports.costs:
        cost = np.tensordot(w, values(c.flow), axes=len(lead))
        out["unit_cost_eur"][c.item] = out["unit_cost_eur"].get(c.item, 0.0) + cost

    def label(*candidates: str) -> np.ndarray:
        for var in candidates:
            if var in x:
                return x[var].values.astype(str)
        return np.full(n, "")

    def bus(carrier: str) -> np.ndarray:
        return ports.buses[carrier].values.astype(str) if carrier in ports.buses else label()

    out["unit"] = x[dim].values
    out["unit_type"] = REGISTRY[dim].labels(x).values.astype(str)
    out["unit_sink"] = label(f"{dim}_sink", f"{dim}_network")
    out["unit_source"] = label(f"{dim}_source")
    out["unit_fuel"] = bus("fuel")
    out["unit_cooling_network"] = bus("cooling")
    vom = f"{dim}_vom_eur_per_mwh"
    out["unit_vom_eur_per_mwh"] = x[vom].values if vom in x else np.zeros(n)
    return out


def _unit_flows(b: BuiltModel, pick: Pick) -> xr.Dataset:
    """Every unit's flows, heat by origin, source heat by route and cost items, on one ``unit``
    dimension in the scenario's order (see the module docstring for signs)."""
    x = b.inputs
    lead = list(x["snapshot_weight_h"].dims)
    solutions = _Solutions(b.model)
    blocks = [_unit_block(b, ports, pick, solutions) for ports in b.units.values()]
    names = np.concatenate([blk["unit"] for blk in blocks]) if blocks else np.array([], str)
    where = {str(u): i for i, u in enumerate(names)}
    order = np.asarray([where[str(u)] for u in x["unit_order"].values], dtype=int)
    shape = tuple(x.sizes[d] for d in lead)

    at = np.argsort(order)  # where each block's units go on the unit axis
    lead_all = (slice(None),) * len(lead)

    def stacked(key: str, extra: tuple[int, ...] = ()) -> np.ndarray:
        # the blocks' units copied straight to their places: the values of concatenating the
        # blocks and reordering them (``np.concatenate(...)[..., order]``), one large array made
        # instead of two, laid out as that fancy index lays it out (the unit axis outermost in
        # memory), since sums over the hours depend on the layout
        out = np.moveaxis(np.empty((len(names), *shape, *extra)), 0, len(lead))
        start = 0
        for blk in blocks:
            n = blk[key].shape[len(lead)]
            place: tuple[Any, ...] = (*lead_all, at[start : start + n])
            out[place] = blk[key]
            start += n
        return out

    dims = (*lead, "unit")
    data: dict[str, tuple] = {k: (dims, stacked(k)) for k in FLOW_KEYS}
    data["heat_origin_mw"] = ((*dims, "origin"), stacked("heat_origin_mw", (len(ORIGINS),)))
    data["source_heat_route_mw"] = (
        (*dims, "route"),
        stacked("source_heat_route_mw", (len(ROUTES),)),
    )
    items = sorted({item for blk in blocks for item in blk["unit_cost_eur"]})
    cost = np.zeros((len(names), len(items)))
    start = 0
    for blk in blocks:
        n = len(blk["unit"])
        for item, value in blk["unit_cost_eur"].items():
            cost[start : start + n, items.index(item)] = value
        start += n
    data["unit_cost_eur"] = (("unit", "unit_cost_item"), cost[order])
    vom = np.concatenate([blk["unit_vom_eur_per_mwh"] for blk in blocks]) if blocks else []
    data["unit_vom_eur_per_mwh"] = (
        "unit",
        np.asarray(vom, dtype=float)[order],
        {"units": "EUR/MWh"},
    )
    coords = {
        **{d: x.indexes[d] for d in lead},
        "unit": names[order],
        "origin": list(ORIGINS),
        "route": list(ROUTES),
        "unit_cost_item": items,
    }
    for key in UNIT_LABELS:
        column = np.concatenate([blk[key] for blk in blocks]) if blocks else np.array([], str)
        coords[key] = ("unit", column[order])
    return add_biogas_burnt(xr.Dataset(data, coords=coords))


def _waste_heat_routes(b: BuiltModel, flows: xr.Dataset) -> xr.DataArray:
    """Waste heat taken per source and route [MW], dims (snapshot, waste_source, route)."""
    x = b.inputs
    sources = x["waste_source"].values
    by_route = flows["source_heat_route_mw"]
    parts = [by_route.where(flows["unit_source"] == s, 0.0).sum("unit") for s in sources]
    if not parts:
        return xr.DataArray(
            np.zeros((x.sizes["snapshot"], 0, len(ROUTES))),
            coords={"snapshot": x["snapshot"], "waste_source": sources, "route": list(ROUTES)},
            dims=("snapshot", "waste_source", "route"),
        )
    out = xr.concat(parts, dim=pd.Index(sources, name="waste_source"))
    return out.transpose("snapshot", "waste_source", "route")


def _capacities(b: BuiltModel) -> tuple[xr.DataArray, xr.DataArray, float]:
    """Existing and new rated capacity per unit (heat MW; MWh for stores), and their yearly cost
    over the horizon [EUR] (annuity plus fixed O&M of new capacity; in a pathway period, of each
    vintage in service at its own build period's cost)."""
    x = b.inputs
    order = x["unit_order"].values
    existing = labelled(np.zeros(len(order)), {"unit": order})
    new = existing.copy()
    cost = 0.0
    years = horizon_years(x)
    for dim, ports in b.units.items():
        names = x[dim].values
        existing.loc[names] = x[f"{dim}_{REGISTRY[dim].capacity.rating}"].values
        if ports.new_capacity is not None:
            built = ports.new_capacity.solution.fillna(0.0)
            new.loc[names] = in_service(x, dim, built).values
            cost += years * float(vintage_cost_eur_per_year(x, dim, built).sum())
    attrs = {"units": "MW (MWh for storage; each unit's in capacity_unit)"}
    return existing.assign_attrs(attrs), new.assign_attrs(attrs), cost


def _capacity_units(b: BuiltModel) -> xr.DataArray:
    """The unit each unit's capacity is rated in (MW, MWh, m²), on ``unit``."""
    order = b.inputs["unit_order"].values
    of = {str(u): REGISTRY[dim].capacity.unit for dim in b.units for u in b.inputs[dim].values}
    return labelled([of[str(u)] for u in order], {"unit": order})


def _annual(da: xr.DataArray, w: xr.DataArray) -> xr.DataArray:
    """Σ_t w[t] · da[t, ...]: ``(da * w).sum("snapshot")``, in numpy when ``da`` is on ``w``'s
    snapshots (the same operations xarray's would run, NaN counted as 0)."""
    if (
        w.dims != ("snapshot",)
        or "snapshot" not in da.dims
        or not da.indexes["snapshot"].equals(w.indexes["snapshot"])
    ):
        return (da * w).sum("snapshot")
    axis = da.dims.index("snapshot")
    weight = w.values.reshape([-1 if d == "snapshot" else 1 for d in da.dims])
    product = da.values * weight
    total = xarray_nansum(product, axis)
    kept = {k: v for k, v in da.coords.variables.items() if "snapshot" not in v.dims}
    coords = xr.Coordinates(kept, indexes={k: i for k, i in da.xindexes.items() if k in kept})
    return xr.DataArray(total, coords=coords, dims=[d for d in da.dims if d != "snapshot"])


def _costs_and_emissions(
    b: BuiltModel,
    flows: xr.Dataset,
    waste: xr.DataArray,
    res: dict[str, xr.DataArray],
    capital_eur: float,
) -> tuple[xr.DataArray, xr.DataArray]:
    """Cost breakdown [EUR] and emissions by source [t CO2e] over the horizon (``capital_eur``:
    the yearly cost of new capacity over the horizon, from :func:`_capacities`)."""
    x = b.inputs
    w = x["snapshot_weight_h"]
    cp = float(x["carbon_price_eur_per_t"])
    fuel_of = flows["unit_fuel"]
    has_fuel = fuel_of != ""
    fuel_mwh_t = flows["fuel_mw"].isel(unit=np.flatnonzero(has_fuel.values))
    fuels = list(x["fuel"].values)
    fuel_use = {f: fuel_mwh_t.where(fuel_mwh_t["unit_fuel"] == f, 0).sum("unit") for f in fuels}
    imp = res["grid_import_mw"]
    exp = res["grid_export_mw"]
    ef_el = x["electricity_emission_t_per_mwh"]
    emissions = {
        f: float(_annual(fuel_use[f], w)) * float(x["fuel_emission_t_per_mwh"].sel(fuel=f))
        for f in fuels
    }
    basis = res.get("grid_emission_basis_mw", imp)  # by each connection's rule
    emissions["electricity"] = float(_annual(basis * ef_el, w))
    emissions.update(biogas_and_fleet_emissions(b))
    waste_factor = x["waste_heat_emission_t_per_mwh"] if "waste_heat_emission_t_per_mwh" in x else 0
    waste_t = float(_annual(waste.sum("route") * waste_factor, w).sum())
    if waste_t > 0:
        emissions["waste_heat"] = waste_t
    fuel_cost = sum(
        float(_annual(fuel_use[f] * x["fuel_price_eur_per_mwh"].sel(fuel=f), w)) for f in fuels
    )
    unit_cost = flows["unit_cost_eur"].sum("unit")
    vom = (
        float(unit_cost.sel(unit_cost_item="variable_om"))
        if "variable_om" in unit_cost["unit_cost_item"]
        else 0.0
    )
    spot = x["electricity_price_eur_per_mwh"]
    costs = {
        "fuel": fuel_cost,
        "carbon": cp * sum(emissions.values()),
        "electricity_purchase": float(_annual(imp * spot, w)),
        "grid_fee": float(_annual(imp, w)) * float(x["grid_fee_eur_per_mwh"])
        if "connection_import_mw" not in res
        else main_fee_eur(res, x),
        "electricity_sales": -float(_annual(exp * spot, w)),
        "waste_heat": float(
            _annual(waste.sum("route") * x["waste_heat_price_eur_per_mwh"], w).sum()
        ),
        "variable_om": vom,
        "unserved_heat_penalty": float(_annual(res["unserved_heat_mw"], w).sum())
        * float(x["unserved_heat_penalty_eur_per_mwh"]),
        "capital": capital_eur,
        "target_shortfall_penalty": _shortfall(b)[3],
    }
    for item, value in connection_costs(res).items():
        costs[item] = costs.get(item, 0.0) + value
    if "startup" in unit_cost["unit_cost_item"]:  # unit commitment (units/_commitment.py)
        costs["startup"] = float(unit_cost.sel(unit_cost_item="startup"))
    costs.update(_cooling_costs(b, unit_cost))
    costs.update(hydrogen_costs(b))
    costs.update(biogas_and_fleet_costs(b))
    cost = labelled(list(costs.values()), {"cost_item": list(costs)}, {"units": "EUR"})
    emis = labelled(
        list(emissions.values()), {"emission_source": list(emissions)}, {"units": "t CO2e"}
    )
    return cost, emis


def _cooling_costs(b: BuiltModel, unit_cost: xr.DataArray) -> dict[str, float]:
    """Cost items of runs with cooling networks [EUR]: heat rejected to ambient (the units'
    ``heat_rejection`` cost), and the unserved-cooling penalty."""
    if b.unserved_cooling_mw is None:
        return {}
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    items = unit_cost["unit_cost_item"].values
    rejection = (
        float(unit_cost.sel(unit_cost_item="heat_rejection")) if "heat_rejection" in items else 0.0
    )
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
    return out


def _unit_results(b: BuiltModel, pick: Pick) -> dict[str, xr.DataArray]:
    """The units' own hourly figures their ports name (store levels, heat rejected, COPs)."""
    out = {}
    for ports in b.units.values():
        for name, item in ports.results.items():
            if callable(item):
                out[name] = item(pick, b.inputs)
            elif isinstance(item, xr.DataArray):
                out[name] = pick(item)
            else:
                out[name] = pick(item.solution)
    return out


def _shortfall(b: BuiltModel) -> tuple[float, float, float, float]:
    """Emission shortfall [t], waste-heat and renewable-heat shortfalls [MWh] and their penalty
    [EUR] (per year)."""
    t = b.targets

    def total(var: linopy.Variable | None) -> float:
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


@shared_coordinates()  # its tables share their coordinates (restvarme._dataset)
def collect_results(b: BuiltModel, solved: SolveResult) -> xr.Dataset:
    """Hourly flows, levels, prices and annual totals of a solved model.

    Pathway runs get a ``period`` dimension: every figure is per period and per representative
    year, undiscounted; ``discounted_cost_eur`` weights each period's costs by its discounted
    years (``period_discounted_years``) and sums to the objective.
    """
    if "period" not in b.inputs.dims:
        return _collect_one(b, solved, _keep)
    periods = b.inputs["period"].values
    parts = [
        _collect_one(_period_view(b, p), solved, _period_pick(p)).drop_vars(
            "period", errors="ignore"
        )
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
    for dim, ports in b.units.items():
        if ports.new_capacity is not None:
            built = ports.new_capacity.solution.fillna(0.0)
            built = built.rename(build_period="period", **{dim: "unit"})
            ds["capacity_built"] = get(ds, "capacity_built", xr.zeros_like(ds["capacity_new"]))
            ds["capacity_built"].loc[{"unit": built["unit"].values}] = built.transpose(
                "period", "unit"
            ).values
    if "capacity_built" in ds:
        ds["capacity_built"].attrs["units"] = "MW (MWh for storage), built in the period"
    if b.groups is not None and b.groups.new_capacity is not None:
        built = b.groups.new_capacity.solution.fillna(0.0).rename(build_period="period")
        ds["capacity_group_built_mw"] = built.assign_attrs(units="MW, built in the period")
    return ds


def _collect_one(b: BuiltModel, solved: SolveResult, pick: Pick) -> xr.Dataset:
    """Results of a one-year run, or of one pathway period seen through :func:`_period_view`
    (``pick`` selects that period of the units' solutions)."""
    x = b.inputs
    w, cw = x["snapshot_weight_h"], x["cost_weight"]
    flows = _unit_flows(b, pick)
    zero_t = xr.zeros_like(w)
    res: dict[str, xr.DataArray] = {
        "grid_import_mw": b.grid.import_mw.solution,
        "grid_export_mw": b.grid.export_mw.solution if b.grid.export_mw is not None else zero_t,
        "unserved_heat_mw": b.unserved_heat_mw.solution,
        "heat_demand_mw": x["heat_demand_mw"],
        "heat_loss_mw": x["heat_loss_mw"]
        if "heat_loss_mw" in x
        else xr.zeros_like(x["heat_demand_mw"]),
        "marginal_heat_price_eur_per_mwh": b.balances.heat.dual / cw,
        "marginal_electricity_price_eur_per_mwh": b.balances.electricity.dual / cw,
    }
    waste = _waste_heat_routes(b, flows)
    res["waste_heat_used_mw"] = waste
    res["waste_heat_available_mw"] = x["waste_heat_available_mw"]
    if (offered := waste_heat_offered_mw(b, pick)) is not None:
        res["waste_heat_offered_mw"] = offered
        res["waste_heat_available_mw"] = x["waste_heat_available_mw"] + offered
    if b.balances.waste_heat is not None:
        res["waste_heat_value_eur_per_mwh"] = -b.balances.waste_heat.dual / cw
    res.update(_unit_results(b, pick))
    for key in INPUTS_KEPT:
        res[key] = x[key]
    res.update(_cooling_results(b))
    res.update(hydrogen_results(b))
    res.update(electricity_results(b, pick))
    res.update(biogas_results(b, pick))
    res.update(connection_results(b, pick))
    with_connections(res, res["grid_import_mw"])
    groups, group_capital_eur = group_results(b)
    res.update(groups)
    existing, new, capital_eur = _capacities(b)
    capital_eur += group_capital_eur
    cost, emis = _costs_and_emissions(b, flows, waste, res, capital_eur)
    data: dict[Hashable, Any] = {k: flows[k] for k in flows.data_vars}
    data.update(res)
    for key in ("heat", "electricity", "fuel"):
        data[f"{key}_mwh"] = _annual(flows[f"{key}_mw"], w)
    data["unserved_heat_mwh"] = _annual(res["unserved_heat_mw"], w)
    for key in ("cooling", "hydrogen", "biogas", "vehicle_gas"):
        data[f"{key}_mwh"] = _annual(flows[f"{key}_mw"], w)
    if "cooling_demand_mw" in res:
        data["cooling_demand_mwh"] = _annual(res["cooling_demand_mw"], w)
        data["unserved_cooling_mwh"] = _annual(res["unserved_cooling_mw"], w)
    data["heat_demand_mwh"] = _annual(x["heat_demand_mw"], w)
    data["heat_loss_mwh"] = _annual(res["heat_loss_mw"], w)  # network losses, part of the demand
    data["waste_heat_used_mwh"] = _annual(waste, w)
    data["capacity_existing"], data["capacity_new"] = existing, new
    data["capacity_unit"] = _capacity_units(b)
    data["cost_eur"] = cost
    data["emissions_t"] = emis
    data.update(_targets(b))
    # one Dataset built at once: each assignment to a Dataset aligns it whole again, and the
    # arrays share their coordinates, so none is aligned (restvarme._dataset)
    ds = dataset(data)
    if "cooling_demand_mw" in res:
        ds.attrs["unserved_cooling_penalty_eur_per_mwh"] = float(
            x["unserved_cooling_penalty_eur_per_mwh"]
        )
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
    if solved.mip is not None:  # unit commitment: the LP relaxation and the gap reached
        ds.attrs.update(
            mip_relaxation_objective_eur=solved.mip.relaxation_objective_eur,
            mip_gap=solved.mip.gap,
            mip_rel_gap=solved.mip.mip_rel_gap,
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
    for name in ds.data_vars:
        var = ds.variables[name]  # the Variable itself: its attrs are the Dataset's
        for suffix, unit in sorted(suffixes.items(), key=lambda kv: -len(kv[0])):
            if name.endswith(suffix):
                var.attrs["units"] = unit
                break
        else:
            var.attrs.setdefault("units", "-")
