"""Results of capacity groups and electricity connections (restvarme.model.groups,
restvarme.model.connections), for :mod:`restvarme.results.collect`.

A run without groups or connections gets none of these variables.

Capacity groups, on ``capacity_group``: ``capacity_group_existing_mw``, ``_new_mw`` (in service
in the period) and ``_total_mw`` [MW], as a unit's capacity is reported; the hourly shared flow
``capacity_group_flow_mw`` [MW] and its annual ``capacity_group_flow_mwh``.

Connections, on ``connection``: hourly ``connection_import_mw``, ``connection_export_mw``, the
signed electricity of the units behind each meter ``connection_units_mw`` and what they use
``connection_gross_use_mw``; the price of electricity behind each meter
``marginal_connection_price_eur_per_mwh`` (the main balance's dual plus the meter's: the units
behind a meter are in both, restvarme.model.connections); ``connection_peak_import_mw``; the
costs by connection ``connection_fee_eur`` and ``connection_peak_fee_eur``; and
``grid_emission_basis_mw`` (snapshot): the electricity charged at the grid's emission factor,
by each meter's rule (the main connection's import, each net connection's import, each gross
connection's use).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from restvarme.model.build import BuiltModel
from restvarme.model.capacity import (
    horizon_years,
    in_service,
    static,
    vintage_cost_eur_per_year,
)

GROUP = "capacity_group"


def group_results(b: BuiltModel) -> tuple[dict[str, xr.DataArray], float]:
    """The groups' capacities and shared flows, and the yearly cost of their new capacity over
    the horizon [EUR] (0 without groups)."""
    if b.groups is None:
        return {}, 0.0
    x = b.inputs
    existing = x["capacity_group_capacity_mw"]
    new, cost = xr.zeros_like(existing), 0.0
    if b.groups.new_capacity is not None:
        built = b.groups.new_capacity.solution.fillna(0.0)
        new = in_service(x, GROUP, built)
        cost = horizon_years(x) * float(vintage_cost_eur_per_year(x, GROUP, built).sum())
    flow = b.groups.flow_mw.solution
    out = {
        "capacity_group_existing_mw": existing,
        "capacity_group_new_mw": new,
        "capacity_group_total_mw": existing + new,
        "capacity_group_flow_mw": flow,
        "capacity_group_flow_mwh": (flow * x["snapshot_weight_h"]).sum("snapshot"),
    }
    return out, cost


def _zero(x: xr.Dataset) -> xr.DataArray:
    return xr.zeros_like(x["snapshot_weight_h"] * xr.zeros_like(x["connection"], dtype=float))


def connection_results(b: BuiltModel, pick: Callable) -> dict[str, xr.DataArray]:
    """The connections' hourly exchange, use and costs (empty without connections)."""
    c = b.connections
    if c is None:
        return {}
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    bought = c.import_mw.solution
    sold = c.export_mw.solution if c.export_mw is not None else _zero(x)
    use = c.gross_use_mw.solution
    peak = c.peak_mw.solution if c.peak_mw is not None else xr.zeros_like(x["connection"], float)
    gross = x["connection_gross"]
    fee = (bought * w).sum("snapshot") * x["connection_fee_eur_per_mwh"]
    return {
        "connection_import_mw": bought,
        "connection_export_mw": sold,
        "connection_units_mw": c.units_mw.solution,
        # the units behind a meter are in both balances: their price is the sum of the duals
        "marginal_connection_price_eur_per_mwh": (b.balances.electricity.dual + c.balance.dual)
        / x["cost_weight"],
        "connection_gross_use_mw": use,
        "connection_peak_import_mw": peak,
        "connection_fee_eur": fee,
        "connection_peak_fee_eur": peak
        * x["connection_peak_fee_eur_per_mw_year"]
        * horizon_years(x),
        "connection_fee_eur_per_mwh": x["connection_fee_eur_per_mwh"],
        "connection_gross": gross,
        "unit_connection": _unit_connection(x),
    }


def _unit_connection(x: xr.Dataset) -> xr.DataArray:
    """The connection each unit is behind ("" for the main connection), on ``unit``."""
    member = static(x, "connection_member").transpose("connection", "unit").to_numpy()
    order = static(x, "unit_order").to_numpy()
    label = np.where(member.any(axis=0), x["connection"].to_numpy()[member.argmax(axis=0)], "")
    return xr.DataArray(label.astype(str), coords={"unit": order}, dims="unit")


def with_connections(res: dict[str, xr.DataArray], main_import: xr.DataArray) -> None:
    """Make ``grid_import_mw`` and ``grid_export_mw`` the totals over every meter (the main
    connection's and each connection's), and add ``grid_emission_basis_mw``; in place."""
    if "connection_import_mw" not in res:
        return
    gross = res["connection_gross"]
    bought, use = res["connection_import_mw"], res["connection_gross_use_mw"]
    res["grid_import_mw"] = main_import + bought.sum("connection")
    res["grid_export_mw"] = res["grid_export_mw"] + res["connection_export_mw"].sum("connection")
    charged = xr.where(gross, use, bought).sum("connection")
    res["grid_emission_basis_mw"] = main_import + charged


def main_fee_eur(res: dict[str, xr.DataArray], x: xr.Dataset) -> float:
    """The main connection's fee over the horizon [EUR]: its fee times what it bought."""
    w = x["snapshot_weight_h"]
    main = res["grid_import_mw"]
    if "connection_import_mw" in res:
        main = main - res["connection_import_mw"].sum("connection")
    return float((main * w).sum()) * float(x["grid_fee_eur_per_mwh"])


def connection_costs(res: dict[str, xr.DataArray]) -> dict[str, float]:
    """Cost items of the connections [EUR]: their fees (added to ``grid_fee``) and peak fees."""
    if "connection_fee_eur" not in res:
        return {}
    return {
        "grid_fee": float(res["connection_fee_eur"].sum()),
        "grid_peak_fee": float(np.sum(res["connection_peak_fee_eur"].values)),
    }


def group_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """The run folder's ``capacity_groups.csv`` (existing, new and total capacity [MW], in a
    pathway also what was built in the period, and the shared flow over the horizon [MWh],
    per group) and ``connections.csv`` (bought, sold, used
    [MWh], peak import [MW], fees [EUR] and emission rule, per connection), for runs that have
    them (restvarme.results.io.summary_tables)."""
    out = {}
    if "capacity_group_total_mw" in ds:
        table = pd.DataFrame(
            {
                "existing_mw": ds["capacity_group_existing_mw"].to_series(),
                "new_mw": ds["capacity_group_new_mw"].to_series(),
                "total_mw": ds["capacity_group_total_mw"].to_series(),
                "flow_mwh": ds["capacity_group_flow_mwh"].to_series(),
            }
        )
        if "capacity_group_built_mw" in ds:  # pathways: built in the period, as for units
            table["built_mw"] = ds["capacity_group_built_mw"].to_series()
        table.index.name = "capacity_group"
        out["capacity_groups"] = table
    if "connection_import_mw" in ds:
        w = ds["snapshot_weight_h"]
        table = pd.DataFrame(
            {
                "emission_rule": np.where(ds["connection_gross"].values, "gross", "net"),
                "import_mwh": (ds["connection_import_mw"] * w).sum("snapshot").to_series(),
                "export_mwh": (ds["connection_export_mw"] * w).sum("snapshot").to_series(),
                "gross_use_mwh": (ds["connection_gross_use_mw"] * w).sum("snapshot").to_series(),
                "peak_import_mw": ds["connection_peak_import_mw"].to_series(),
                "fee_eur": ds["connection_fee_eur"].to_series(),
                "peak_fee_eur": ds["connection_peak_fee_eur"].to_series(),
            },
            index=ds["connection"].to_index(),
        )
        out["connections"] = table
    return out
