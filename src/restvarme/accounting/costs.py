"""Economics of a run: costs per unit, network and counterparty, levelised cost of heat, NPV.

The model's objective is a sum of cost items (``ds["cost_eur"]``: fuel, carbon, electricity
purchase, grid fee, electricity sales, waste heat, variable O&M, unserved-heat penalty, ...).
:func:`cost_by_unit` rebuilds every item unit by unit from the hourly flows, so that the table
adds up, item by item, to what the model minimised:

* fuel and its carbon: the unit's fuel * price and * emission factor * carbon price;
* waste heat: heat the unit takes from a waste-heat source * that source's price;
* variable O&M and heat rejection: the unit's own cost terms as the model charged them (the
  results' ``unit_cost_eur``, from the units' ports: heat, cooling, hydrogen or discharge times
  the unit's rate);
* the grid connection (purchase, grid fee, carbon of imported electricity, sales): each hour's
  cost of each item is shared among the units in proportion to their electricity, net of the
  hour: share_u = -e_u / (import - export). In an hour of net import a consumer pays the buy
  price (spot + fee + carbon) and a CHP is credited the same; in an hour of net export both are
  valued at the spot price. The shares add to one, so each item is split exactly.

The biogas bus and transport fleets get rows of their own: ``biogas`` (production, gas bought
and sold with the carbon of gas bought, unserved vehicle gas) and ``fleet:<name>`` (fuel and its
carbon for diesel and petrol fleets; an electric fleet's share of the grid items by the rule
above, its charging counted as consumption). Their ``network`` is ``biogas`` and ``transport``.

What cannot be placed on a unit (the unserved-heat penalty, and any item these rules do not
know) gets its own row, so the table always adds up to the run's cost items: for a one-year run
their sum is ``attrs["objective_eur"]``. A pathway run's results have a ``period`` dimension; select
one period first (``ds.sel(period=2030)``): its items add up to that period's ``cost_eur``.

References
----------
.. [1] W. Short, D. J. Packey, T. Holt, "A Manual for the Economic Evaluation of Energy Efficiency
   and Renewable Energy Technologies", NREL/TP-462-5173, 1995: capital recovery factor (eq. 4-5),
   present value, levelised cost (section 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.accounting.emissions import require_one_period
from restvarme.accounting.outputs import (
    OUTPUTS,
    delivered_heat_mw,
    unit_fuel_values,
    xarray_nansum,
)
from restvarme.economics import annuity_factor

__all__ = [
    "COST_ITEM_LABELS",
    "PENALTY_ITEMS",
    "SECTOR_ROWS",
    "annuity_eur_per_year",
    "annuity_factor",
    "cost_by_counterparty",
    "cost_by_network",
    "cost_by_sector",
    "cost_by_unit",
    "cost_item_label",
    "electricity_revenue",
    "levelised_cost_of_heat",
    "npv_eur",
]

HOURS_PER_YEAR = 8760.0
GRID_ITEMS = ("electricity_purchase", "grid_fee", "electricity_sales", "grid_peak_fee")


def annuity_eur_per_year(investment_eur: Any, discount_rate: Any, lifetime_years: Any) -> Any:
    """Constant yearly payment that repays ``investment_eur`` over its life [EUR/yr]."""
    return investment_eur * annuity_factor(discount_rate, lifetime_years)


def npv_eur(
    cash_flows_eur: Mapping[int, float] | pd.Series,
    discount_rate: float,
    base_year: int | None = None,
) -> float:
    r"""Net present value of yearly amounts [EUR]: :math:`\sum_y C_y (1 + r)^{-(y - y_0)}`.

    Parameters
    ----------
    cash_flows_eur : mapping or Series year -> amount [EUR] (costs positive, as the model counts)
    discount_rate : real discount rate r [-]
    base_year : y_0, default the first year
    """
    flows = pd.Series(cash_flows_eur, dtype=float).sort_index()
    y0 = flows.index.min() if base_year is None else base_year
    years = np.asarray(flows.index, dtype=float) - float(y0)
    return float((flows.to_numpy() * (1.0 + discount_rate) ** -years).sum())


def _w(ds: xr.Dataset) -> xr.DataArray:
    return ds["snapshot_weight_h"]


def _scalar(ds: xr.Dataset, key: str) -> float:
    """A scalar price of the run: the data variable if the results carry one (per period in a
    pathway), else the attribute of the same name, else 0."""
    if key in ds.data_vars and ds[key].ndim == 0:
        return float(ds[key])
    return float(ds.attrs.get(key, 0.0))


def _or_zero(ds: xr.Dataset, key: str) -> xr.DataArray | float:
    """``ds[key]``, or 0 where the results lack it (``ds.get`` costs milliseconds on a missing
    key: its KeyError suggests the nearest names)."""
    return ds[key] if key in ds else 0.0


def _grid_items(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Hourly cost of each grid item [EUR per snapshot]."""
    w, spot = _w(ds), ds["electricity_price_eur_per_mwh"]
    imp, exp = ds["grid_import_mw"], ds["grid_export_mw"]
    cp = ds.attrs.get("carbon_price_eur_per_t", 0.0)
    items = {
        "electricity_purchase": imp * spot * w,
        "grid_fee": imp * _scalar(ds, "grid_fee_eur_per_mwh") * w,
        "carbon": imp * ds["electricity_emission_t_per_mwh"] * cp * w,
        "electricity_sales": -exp * spot * w,
    }
    if "connection_import_mw" in ds:
        items.update(_connection_items(ds, cp))
    return items


def _connection_items(ds: xr.Dataset, cp: float) -> dict[str, xr.DataArray]:
    """Hourly grid fees and grid carbon with electricity connections
    (restvarme.model.connections) [EUR per snapshot]: the main connection's fee on what it
    bought and each connection's own fee on its import; carbon on the electricity each meter's
    emission rule charges (``grid_emission_basis_mw``); each connection's peak fee spread over
    the hours by its import."""
    w, bought = _w(ds), ds["connection_import_mw"]
    main = ds["grid_import_mw"] - bought.sum("connection")
    fee = main * _scalar(ds, "grid_fee_eur_per_mwh") + (
        bought * ds["connection_fee_eur_per_mwh"]
    ).sum("connection")
    total = (bought * w).sum("snapshot")
    share = (bought * w / total.where(total > 0, 1.0)).where(total > 0, 0.0)
    peak = (share * ds["connection_peak_fee_eur"]).sum("connection")
    basis = ds["grid_emission_basis_mw"]
    return {
        "grid_fee": fee * w,
        "grid_peak_fee": peak,
        "carbon": basis * ds["electricity_emission_t_per_mwh"] * cp * w,
    }


_HOURLY_UNIT = ("fuel_mw", "source_heat_mw", "electricity_mw")
_HOURLY = ("snapshot_weight_h", "grid_import_mw", "grid_export_mw", "electricity_price_eur_per_mwh")


def _unit_items_in_numpy(ds: xr.Dataset) -> dict[str, np.ndarray] | None:
    """:func:`_unit_items` in numpy, each item an array on ``ds["unit"]``: the same operations
    on the same arrays in the same order as xarray's, so the same bits, without xarray's cost per
    operation (about 0.5 ms each, most of the summary tables' time). None where the results are
    not laid out as a one-year run's results are (hourly flows on (snapshot, unit), prices on
    snapshot or scalar) or have electricity connections: then xarray's operations run."""
    if "unit_connection" in ds or "connection_import_mw" in ds:
        return None
    if any(ds[k].dims != ("snapshot", "unit") for k in _HOURLY_UNIT):
        return None
    if any(ds[k].dims != ("snapshot",) for k in _HOURLY):
        return None
    if ds["electricity_emission_t_per_mwh"].dims not in ((), ("snapshot",)):
        return None
    if ds["waste_heat_price_eur_per_mwh"].dims != ("waste_source",):
        return None
    w = ds["snapshot_weight_h"].values
    cp = _scalar(ds, "carbon_price_eur_per_t")
    fuel = ds["fuel_mw"].values * w[:, None]
    # xarray's own reindex, so that the arrays are laid out as the xarray path's are (numpy's
    # products and sums over the hours follow the operands' layout)
    fuel_price = unit_fuel_values(ds, "fuel_price_eur_per_mwh").values
    fuel_factor = unit_fuel_values(ds, "fuel_emission_t_per_mwh").values
    items = {
        "fuel": xarray_nansum(fuel * fuel_price, 0),
        "carbon": xarray_nansum(fuel * fuel_factor * cp, 0),
    }
    price = ds["waste_heat_price_eur_per_mwh"]
    by_source = dict(zip(map(str, price["waste_source"].values), price.values, strict=True))
    src_price = np.array([float(by_source.get(str(s), 0.0)) for s in ds["unit_source"].values])
    items["waste_heat"] = xarray_nansum(ds["source_heat_mw"].values * w[:, None] * src_price, 0)
    unit_cost = ds["unit_cost_eur"].transpose("unit", "unit_cost_item").values
    for k, item in enumerate(ds["unit_cost_item"].values):
        items[str(item)] = unit_cost[:, k]
    imp, exp = ds["grid_import_mw"].values, ds["grid_export_mw"].values
    net = imp - exp
    placed = abs(net) > 1e-9
    share = np.where(
        placed[:, None],
        -ds["electricity_mw"].values / np.where(placed, net, 1.0)[:, None],
        0.0,
    )
    spot = ds["electricity_price_eur_per_mwh"].values
    factor = ds["electricity_emission_t_per_mwh"].values
    grid = {
        "electricity_purchase": imp * spot * w,
        "grid_fee": imp * _scalar(ds, "grid_fee_eur_per_mwh") * w,
        "carbon": imp * factor * ds.attrs.get("carbon_price_eur_per_t", 0.0) * w,
        "electricity_sales": -exp * spot * w,
    }
    for item, hourly in grid.items():
        part = xarray_nansum(share * hourly[:, None], 0)
        items[item] = items[item] + part if item in items else part
    return items


def _unit_items(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Cost items charged to each unit over the horizon [EUR], each dims (unit,)."""
    w = _w(ds)
    cp = _scalar(ds, "carbon_price_eur_per_t")
    fuel = ds["fuel_mw"] * w
    items = {
        "fuel": (fuel * unit_fuel_values(ds, "fuel_price_eur_per_mwh")).sum("snapshot"),
        "carbon": (fuel * unit_fuel_values(ds, "fuel_emission_t_per_mwh") * cp).sum("snapshot"),
    }
    price = ds["waste_heat_price_eur_per_mwh"]
    src_price = xr.DataArray(
        [
            float(price.sel(waste_source=s)) if s in price["waste_source"] else 0.0
            for s in ds["unit_source"].values
        ],
        coords={"unit": ds["unit"]},
        dims="unit",
    )
    items["waste_heat"] = (ds["source_heat_mw"] * w * src_price).sum("snapshot")
    for item in ds["unit_cost_item"].values:
        items[str(item)] = ds["unit_cost_eur"].sel(unit_cost_item=item, drop=True)
    net = ds["grid_import_mw"] - ds["grid_export_mw"]
    placed = abs(net) > 1e-9
    share = (-ds["electricity_mw"] / net.where(placed, 1.0)).where(placed, 0.0)
    for item, hourly in _grid_items(ds).items():
        part = (share * hourly).sum("snapshot")
        items[item] = items[item] + part if item in items else part
    if "unit_connection" in ds:
        items.update(_connection_fees_by_unit(ds))
    return items


def _connection_fees_by_unit(ds: xr.Dataset) -> dict[str, xr.DataArray]:
    """Fees by unit with electricity connections [EUR], dims (unit,): each connection's fee
    and peak fee go to the units behind it by their share of the electricity used there each
    hour; the main connection's fee to the others by their share of its net exchange."""
    w, behind = _w(ds), ds["unit_connection"]
    use = (-ds["electricity_mw"]).clip(min=0)
    bought = ds["connection_import_mw"]
    total = (bought * w).sum("snapshot")
    spread = (bought * w / total.where(total > 0, 1.0)).where(total > 0, 0.0)
    energy = bought * ds["connection_fee_eur_per_mwh"] * w
    peak_hourly = spread * ds["connection_peak_fee_eur"]
    fee, peak = xr.zeros_like(use), xr.zeros_like(use)
    for conn in ds["connection"].values:
        users = use.where(behind == conn, 0.0)
        all_use = users.sum("unit")
        share = (users / all_use.where(all_use > 0, 1.0)).where(all_use > 0, 0.0)
        fee = fee + share * energy.sel(connection=conn, drop=True)
        peak = peak + share * peak_hourly.sel(connection=conn, drop=True)
    main_import = ds["grid_import_mw"] - bought.sum("connection")
    main_export = ds["grid_export_mw"] - ds["connection_export_mw"].sum("connection")
    on_main = (behind == "").astype(float)
    net = main_import - main_export
    placed = abs(net) > 1e-9
    share = (-ds["electricity_mw"] * on_main / net.where(placed, 1.0)).where(placed, 0.0)
    fee = fee + share * main_import * _scalar(ds, "grid_fee_eur_per_mwh") * w
    return {"grid_fee": fee.sum("snapshot"), "grid_peak_fee": peak.sum("snapshot")}


def cost_by_unit(ds: xr.Dataset) -> pd.DataFrame:
    """Each cost item of the objective, unit by unit [EUR] (see the module docstring).

    Columns are the run's cost items (``ds["cost_eur"]``) plus ``total``, ``heat_mwh`` and
    ``cost_eur_per_mwh_heat``. Extra rows: ``unserved:<network>`` for the unserved-heat penalty,
    and ``unattributed`` for whatever the rules do not place (variable O&M without rates,
    capital cost, grid costs in hours with no net exchange, items unknown to this function).
    The ``total`` column adds up to the cost items (``attrs["objective_eur"]`` for a one-year run).

    Parameters
    ----------
    ds : results Dataset
    """
    ds = require_one_period(ds)
    fast = _unit_items_in_numpy(ds)
    if fast is not None:
        table = pd.DataFrame(fast, index=ds["unit"].to_index())
    else:
        table = pd.DataFrame({k: v.to_series() for k, v in _unit_items(ds).items()})
    reported = ds["cost_eur"].to_series()
    table = table.reindex(columns=list(reported.index), fill_value=0.0)
    table.index = pd.Index([str(u) for u in table.index], name="unit")
    penalty = _scalar(ds, "unserved_heat_penalty_eur_per_mwh")
    unserved = (ds["unserved_heat_mw"] * _w(ds)).sum("snapshot") * penalty
    rows = []
    for net, value in unserved.to_series().items():
        row = pd.Series(0.0, index=table.columns, name=f"unserved:{net}")
        if "unserved_heat_penalty" in row.index:
            row["unserved_heat_penalty"] = value
        rows.append(row)
    rows += _bus_and_fleet_rows(ds, table.columns)
    rest = reported - table.sum() - sum((r for r in rows), pd.Series(0.0, index=table.columns))
    rows.append(rest.rename("unattributed"))
    table = pd.concat([table, pd.DataFrame(rows)])
    table["total"] = table[list(reported.index)].sum(axis=1)
    heat = ds["heat_mwh"].to_series()
    table["heat_mwh"] = heat.reindex(table.index).fillna(0.0)
    table["cost_eur_per_mwh_heat"] = table["total"] / table["heat_mwh"].where(table["heat_mwh"] > 0)
    sinks = dict(zip(map(str, ds["unit"].values), map(str, ds["unit_sink"].values), strict=True))
    table.insert(
        0, "network", [sinks.get(u, u.split(":", 1)[1] if ":" in u else "") for u in table.index]
    )
    table.loc[table.index.str.startswith("fleet:"), "network"] = "transport"
    if "biogas" in table.index and "biogas" not in sinks:
        table.loc["biogas", "network"] = "biogas"
    return table


def _bus_and_fleet_rows(ds: xr.Dataset, columns: pd.Index) -> list[pd.Series]:
    """Rows of the biogas bus and of each fleet [EUR] (see the module docstring)."""
    w, cp = _w(ds), _scalar(ds, "carbon_price_eur_per_t")
    rows = []
    if "vehicle_gas_demand_mw" in ds:
        row = pd.Series(0.0, index=columns, name="biogas")
        bought = float((ds["gas_grid_import_mw"] * w).sum())
        items = {
            "biogas_production": float(
                (ds["biogas_production_mw"] * w * ds["biogas_production_cost_eur_per_mwh"]).sum()
            )
            if "biogas_production_mw" in ds
            else 0.0,
            "gas_grid_purchase": float(
                (
                    ds["gas_grid_import_mw"] * w * _or_zero(ds, "gas_grid_import_price_eur_per_mwh")
                ).sum()
            ),
            "gas_grid_sales": -float(
                (
                    ds["gas_grid_export_mw"] * w * _or_zero(ds, "gas_grid_export_price_eur_per_mwh")
                ).sum()
            ),
            "unserved_vehicle_gas_penalty": float((ds["unserved_vehicle_gas_mw"] * w).sum())
            * _scalar(ds, "vehicle_gas_unserved_penalty_eur_per_mwh"),
            "carbon": bought * float(ds["gas_grid_emission_t_per_mwh"]) * cp,
        }
        for item, value in items.items():
            if item in row.index:
                row[item] += value
        rows.append(row)
    if "fleet_energy_mw" not in ds:
        return rows
    net = ds["grid_import_mw"] - ds["grid_export_mw"]
    placed = abs(net) > 1e-9
    charging = ds["fleet_energy_mw"].where(ds["fleet_drive"] == "electric", 0.0)
    share = (charging / net.where(placed, 1.0)).where(placed, 0.0)
    grid = {item: (share * hourly).sum("snapshot") for item, hourly in _grid_items(ds).items()}
    fuel_mwh = (ds["fleet_energy_mw"] * w).where(ds["fleet_fuel"] != "", 0.0)
    labels = [str(f) or None for f in ds["fleet_fuel"].values]
    for i, fleet in enumerate(map(str, ds["fleet"].values)):
        row = pd.Series(0.0, index=columns, name=f"fleet:{fleet}")
        for item, total in grid.items():
            if item in row.index:
                row[item] += float(total.sel(fleet=fleet))
        if labels[i] is not None and "transport_fuel" in row.index:
            price = ds["fuel_price_eur_per_mwh"].sel(fuel=labels[i])
            row["transport_fuel"] += float((fuel_mwh.sel(fleet=fleet) * price).sum())
            row["carbon"] += float(ds["fleet_fuel_t"].sel(fleet=fleet)) * cp
        rows.append(row)
    return rows


def cost_by_network(ds: xr.Dataset) -> pd.DataFrame:
    """Operating cost per network [EUR]: the units feeding it (CHP power credited), its unserved
    heat, and an ``unattributed`` row; the ``total`` column adds up to the objective."""
    table = cost_by_unit(ds)
    numeric = table.drop(columns=["network", "heat_mwh", "cost_eur_per_mwh_heat"])
    keys = table["network"].replace("", "unattributed")
    out = numeric.groupby(keys).sum()
    out.index.name = "network"
    return out


SECTOR_ROWS = (
    "heat",
    "cooling",
    "heat_and_cooling_unplaced",
    "electricity",
    "hydrogen",
    "biogas",
    "transport",
    "penalties",
)
"""Rows of :func:`cost_by_sector`, in table order."""

_OUTPUT_SECTOR = {
    "heat": "heat",
    "cooling": "cooling",
    "hydrogen": "hydrogen",
    "vehicle_gas": "biogas",
}
PENALTY_ITEMS = (
    "unserved_heat_penalty",
    "unserved_cooling_penalty",
    "target_shortfall_penalty",
    "unserved_hydrogen_penalty",
    "unserved_vehicle_gas_penalty",
)
"""Cost items that are modelling devices (slack penalties), not money anyone pays."""
_HYDROGEN_ITEMS = ("hydrogen_import",)


def cost_by_sector(ds: xr.Dataset) -> pd.Series:
    """The run's cost items by the sector they serve [EUR]; adds up to the cost items.

    Built on :func:`cost_by_unit`, row by row:

    * a unit's row goes to the sectors of its useful outputs (heat, cooling, hydrogen, vehicle
      gas: biogas) in proportion to their energy over the horizon, the rule
      :mod:`restvarme.accounting.outputs` uses for emissions; a unit with no useful output goes
      to electricity if it serves the electricity, hydrogen or biogas buses (PV, wind, a
      battery: :func:`restvarme.results.roles.other_sector_units`), else to cooling if it feeds a
      cooling network, else to heat;
    * ``biogas`` and ``fleet:<name>`` rows: biogas and transport;
    * penalty items wherever they stand (unserved heat, cooling, hydrogen and vehicle gas; missed
      targets): ``penalties``, a modelling device, not money anyone pays;
    * the rest of the ``unattributed`` row: hydrogen import to hydrogen; everything else (capital
      of new capacity, which is not yet placed per unit, and items no rule places) to
      ``heat_and_cooling_unplaced``.

    Returns a Series over :data:`SECTOR_ROWS` named ``eur``.
    """
    from restvarme.results.roles import unit_roles

    ds = require_one_period(ds)
    table = cost_by_unit(ds)
    items = list(ds["cost_item"].values.astype(str))
    penalties = [i for i in items if i in PENALTY_ITEMS]
    running = [i for i in items if i not in PENALTY_ITEMS]
    out = pd.Series(0.0, index=list(SECTOR_ROWS), name="eur")
    out["penalties"] = float(table[penalties].to_numpy().sum())
    units = [str(u) for u in ds["unit"].values]
    energy = _outputs_mwh(ds)  # (unit, output) in OUTPUTS' order
    roles = unit_roles(ds)
    other, cooling = roles["other_sector"].to_numpy(), roles["cooling"].to_numpy()
    # row by row in numpy, added up unit by unit in the order and with the operations the
    # per-unit pandas lookups had (the same bits: each row a 1-D numpy sum, as Series.sum)
    costs = np.ascontiguousarray(table.loc[units, running].to_numpy(dtype=float))
    costs = np.where(np.isnan(costs), 0.0, costs)
    sector = [_OUTPUT_SECTOR[o] for o in OUTPUTS]
    for k in range(len(units)):
        cost = float(costs[k].sum())
        made = energy[k]
        made_mwh = made.sum()
        if made_mwh > 0:
            for name, mwh in zip(sector, made, strict=True):
                out[name] += cost * mwh / made_mwh
        elif other[k]:
            out["electricity"] += cost
        elif cooling[k]:
            out["cooling"] += cost
        else:
            out["heat"] += cost
    rest = table.drop(index=units)
    for row, values in rest[running].iterrows():
        if row == "biogas":
            out["biogas"] += float(values.sum())
        elif str(row).startswith("fleet:"):
            out["transport"] += float(values.sum())
        else:  # unserved:<network> rows carry penalties only; "unattributed"
            hydrogen = float(values.reindex(list(_HYDROGEN_ITEMS)).fillna(0.0).sum())
            out["hydrogen"] += hydrogen
            out["heat_and_cooling_unplaced"] += float(values.sum()) - hydrogen
    out.index.name = "sector"
    return out


def _outputs_mwh(ds: xr.Dataset) -> np.ndarray:
    """Each unit's useful outputs over the horizon [MWh], (unit, output) in ``OUTPUTS``' order:
    ``(ds[f"{o}_mw"].clip(min=0) * w).sum("snapshot")`` (0 where the results lack it), in
    numpy where the flows are on (snapshot, unit)."""
    w = _w(ds)
    columns = []
    for o in OUTPUTS:
        key = f"{o}_mw"
        if key not in ds:
            columns.append(np.zeros(ds.sizes["unit"]))
        elif ds[key].dims == ("snapshot", "unit") and w.dims == ("snapshot",):
            columns.append(xarray_nansum(np.clip(ds[key].values, 0, None) * w.values[:, None], 0))
        else:
            total = (ds[key].clip(min=0) * w).sum("snapshot")
            columns.append(total.transpose("unit").values)
    return np.stack(columns, axis=1)


COST_ITEM_LABELS = {
    "fuel": "fuel",
    "carbon": "carbon",
    "electricity_purchase": "electricity bought",
    "grid_fee": "grid fee",
    "grid_peak_fee": "grid peak fee",
    "electricity_sales": "electricity sold",
    "waste_heat": "waste heat bought",
    "variable_om": "variable O&M",
    "capital": "capital (annuities of new capacity)",
    "heat_rejection": "heat rejection",
    "hydrogen_import": "hydrogen import",
    "biogas_production": "biogas production",
    "gas_grid_purchase": "gas grid purchase",
    "gas_grid_sales": "gas grid sales",
    "transport_fuel": "transport fuel",
    "unserved_heat_penalty": "penalty: unserved heat",
    "unserved_cooling_penalty": "penalty: unserved cooling",
    "unserved_hydrogen_penalty": "penalty: unserved hydrogen",
    "unserved_vehicle_gas_penalty": "penalty: unserved vehicle gas",
    "target_shortfall_penalty": "penalty: missed targets",
}
"""How tables name each cost item of ``ds["cost_eur"]``."""


def cost_item_label(item: str) -> str:
    """The human name of a cost item (:data:`COST_ITEM_LABELS`; else its key with spaces)."""
    return COST_ITEM_LABELS.get(str(item), str(item).replace("_", " "))


def cost_by_counterparty(ds: xr.Dataset) -> pd.Series:
    """Who is paid what [EUR]: each fuel's supplier, the electricity market (purchases less
    sales), the grid operator (fees), carbon, each waste-heat supplier, and every other cost item
    on a line of its own (variable O&M, capital, biogas production, the gas grid, transport fuel,
    hydrogen import, penalties). Adds up to the cost items (the objective of a one-year run)."""
    w = _w(require_one_period(ds))
    fuel = ds["fuel_mw"] * w * unit_fuel_values(ds, "fuel_price_eur_per_mwh")
    out: dict[str, float] = {}
    for f in ds["fuel"].values:
        out[f"fuel: {f}"] = float(fuel.where(ds["unit_fuel"] == f, 0.0).sum())
    reported = ds["cost_eur"].to_series()
    out["electricity market (purchases - sales)"] = float(
        reported.get("electricity_purchase", 0.0) + reported.get("electricity_sales", 0.0)
    )
    out["grid operator (fees)"] = float(
        reported.get("grid_fee", 0.0) + reported.get("grid_peak_fee", 0.0)
    )
    out["carbon"] = float(reported.get("carbon", 0.0))
    if "waste_heat_used_mw" in ds:
        paid = (ds["waste_heat_used_mw"].sum("route") * w).sum("snapshot") * ds[
            "waste_heat_price_eur_per_mwh"
        ]
        for src, value in paid.to_series().items():
            out[f"waste heat: {src}"] = float(value)
    placed = {"fuel", "electricity_purchase", "electricity_sales", "grid_fee", "carbon"}
    placed |= {"grid_peak_fee"}
    placed |= {"waste_heat"} if "waste_heat_used_mw" in ds else set()
    for item, value in reported.items():  # every other item on a line of its own
        if item not in placed:
            out[cost_item_label(str(item))] = float(value)
    series = pd.Series(out, name="eur")
    series = series[series.abs() >= 0.005]  # lines of 0.00 EUR say nothing
    series.index.name = "paid_to"
    return series


def electricity_revenue(ds: xr.Dataset) -> pd.DataFrame:
    """Electricity produced and what it earns, per producing unit and for the grid sales [EUR].

    Rows: each unit that produces electricity (CHP), with ``electricity_mwh`` and
    ``value_eur`` = Σ_t w·P·λ_el (its power at the hour's marginal electricity price, which is
    the spot price when selling and the buy price when it saves a purchase); and ``grid sales``
    with the exported MWh and Σ_t w·export·spot (the ``electricity_sales`` item, sign turned).
    """
    w = _w(ds)
    power = ds["electricity_mw"].clip(min=0)
    producing = (power * w).sum("snapshot") > 0
    units = ds["unit"].values[producing.values]
    value = (power * ds["marginal_electricity_price_eur_per_mwh"] * w).sum("snapshot")
    table = pd.DataFrame(
        {
            "electricity_mwh": (power * w).sum("snapshot").sel(unit=units).to_series(),
            "value_eur": value.sel(unit=units).to_series(),
        }
    )
    exported = ds["grid_export_mw"] * w
    table.loc["grid sales"] = [
        float(exported.sum()),
        float((exported * ds["electricity_price_eur_per_mwh"]).sum()),
    ]
    table["eur_per_mwh"] = table["value_eur"] / table["electricity_mwh"].where(
        table["electricity_mwh"] > 0
    )
    table.index.name = "unit"
    return table


def levelised_cost_of_heat(
    ds: xr.Dataset,
    *,
    capital: pd.DataFrame | None = None,
    discount_rate: float = 0.05,
) -> pd.DataFrame:
    r"""Levelised cost of heat per network [EUR/MWh delivered].

    .. math:: LCOH_n = \frac{C^{op}_n + \sum_{u \to n} (I_u \, a(r, L_u) + F_u)\,h/8760}{D_n}

    with :math:`C^{op}_n` the operating cost of the units feeding n (:func:`cost_by_network`,
    CHP power sales credited, unserved-heat penalty excluded), :math:`I_u` investment [EUR],
    :math:`L_u` lifetime [yr], :math:`F_u` fixed O&M [EUR/yr], scaled to the horizon of h hours,
    and :math:`D_n` the delivered heat [MWh] [1]_.

    Parameters
    ----------
    capital : DataFrame indexed by unit with ``investment_eur``, ``lifetime_years`` and
        optionally ``fixed_om_eur_per_year``; units absent carry no capital cost (sunk).
    discount_rate : real discount rate for the annuity [-].
    """
    by_net = cost_by_network(ds)
    opex = by_net["total"] - by_net.get("unserved_heat_penalty", 0.0)
    nets = [str(n) for n in ds["network"].values]
    years = float(_w(ds).sum()) / HOURS_PER_YEAR
    capex = pd.Series(0.0, index=nets)
    if capital is not None and len(capital):
        sinks = pd.Series(ds["unit_sink"].values, index=ds["unit"].values)
        fixed = capital.get("fixed_om_eur_per_year", pd.Series(0.0, index=capital.index))
        yearly = (
            annuity_eur_per_year(
                capital["investment_eur"], discount_rate, capital["lifetime_years"]
            )
            + fixed
        )
        capex = capex.add(
            (yearly * years).groupby(sinks.reindex(capital.index)).sum(), fill_value=0
        )
    delivered = (delivered_heat_mw(ds) * _w(ds)).sum("snapshot").to_series()
    table = pd.DataFrame(
        {
            "delivered_mwh": delivered.reindex(nets),
            "operating_cost_eur": opex.reindex(nets).fillna(0.0),
            "capital_cost_eur": capex.reindex(nets),
        }
    )
    table["lcoh_eur_per_mwh"] = (table["operating_cost_eur"] + table["capital_cost_eur"]) / table[
        "delivered_mwh"
    ]
    table.index.name = "network"
    return table
