"""Biogas and fleet figures of a solved model: unit flows, the bus's balances and prices, costs,
emissions, and what fleets take.

Used by :mod:`restvarme.results.collect`. Signs as there: ``biogas_mw`` per unit is raw biogas
into the bus (a store's discharge less its charge; upgrading and burning units negative).
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr

from restvarme._dataset import get
from restvarme.model.build import BuiltModel
from restvarme.scenario.base import BIOGAS_FUEL
from restvarme.units.ports import fuel_factor


def add_biogas_burnt(flows: xr.Dataset) -> xr.Dataset:
    """Biogas burnt by boilers and CHPs on the bus, as their (negative) ``biogas_mw``."""
    burning = flows["unit_fuel"] == BIOGAS_FUEL
    if not bool(burning.any()):  # subtracting zeros would change no value
        return flows
    flows["biogas_mw"] = flows["biogas_mw"] - flows["fuel_mw"].where(burning, 0.0)
    return flows


def biogas_and_fleet_emissions(b: BuiltModel) -> dict[str, float]:
    """Emissions [t CO2e]: gas bought from the gas grid, and fuel burnt by diesel and petrol
    fleets (tank to wheel). Biogas itself is biogenic: 0."""
    x, w, out = b.inputs, b.inputs["snapshot_weight_h"], {}
    if b.biogas is not None and b.biogas.gas_grid_import_mw is not None:
        bought = b.biogas.gas_grid_import_mw.solution
        out["gas_grid"] = float((bought * w).sum()) * float(x["gas_grid_emission_t_per_mwh"])
    if b.fleets is not None and b.fleets.fuel_mw is not None:
        out["transport"] = float((_fleet_fuel_t(b) * w).sum())
    return out


def _fleet_fuel_t(b: BuiltModel) -> xr.DataArray:
    """Tank-to-wheel emissions of diesel and petrol fleets [t CO2e/h], dims (snapshot, fleet)."""
    assert b.fleets is not None and b.fleets.fuel_mw is not None  # its callers check
    fuel = b.fleets.fuel_mw.solution
    labels = b.inputs["fleet_fuel"].sel(fleet=fuel["fleet"].values)
    return fuel * fuel_factor(b.inputs, labels, "emission_t_per_mwh")


def biogas_and_fleet_costs(b: BuiltModel) -> dict[str, float]:
    """Cost items [EUR]: biogas production, gas bought and sold, unserved vehicle gas, and fuel
    of diesel and petrol fleets (their carbon is in the ``carbon`` item)."""
    x, w, out = b.inputs, b.inputs["snapshot_weight_h"], {}
    if b.biogas is not None:
        bus = b.biogas
        made = 0.0
        if bus.production_mw is not None:
            cost = x["biogas_production_cost_eur_per_mwh"]
            made = float((bus.production_mw.solution * cost * w).sum())
        out["biogas_production"] = made
        if bus.gas_grid_import_mw is not None:
            price = x["gas_grid_import_price_eur_per_mwh"]
            out["gas_grid_purchase"] = float((bus.gas_grid_import_mw.solution * price * w).sum())
        if bus.gas_grid_export_mw is not None:
            price = x["gas_grid_export_price_eur_per_mwh"]
            out["gas_grid_sales"] = -float((bus.gas_grid_export_mw.solution * price * w).sum())
        unserved = float((bus.unserved_vehicle_gas_mw.solution * w).sum())
        out["unserved_vehicle_gas_penalty"] = unserved * float(
            x["vehicle_gas_unserved_penalty_eur_per_mwh"]
        )
    if b.fleets is not None and b.fleets.fuel_mw is not None:
        fuel = b.fleets.fuel_mw.solution
        labels = x["fleet_fuel"].sel(fleet=fuel["fleet"].values)
        price = fuel_factor(x, labels, "price_eur_per_mwh")
        out["transport_fuel"] = float((fuel * price * w).sum())
    return out


FLEET_KEPT = (
    "fleet_energy_mw",
    "fleet_energy_kwh_per_km",
    "fleet_baseline_kwh_per_km",
    "fleet_baseline_emission_t_per_mwh",
    "fleet_drive",
    "fleet_vehicle",
    "fleet_fuel",
    "fleet_electricity_mw",
    "fleet_hydrogen_mw",
    "fleet_vehicle_gas_mw",
)
"""Fleet inputs copied into the results (accounting compares fleets with their baseline)."""


def biogas_results(b: BuiltModel, pick: Callable) -> dict[str, xr.DataArray]:
    """The biogas bus's hourly balance and marginal prices, store levels, and fleet figures."""
    x, w = b.inputs, b.inputs["snapshot_weight_h"]
    out: dict[str, xr.DataArray] = {k: x[k] for k in FLEET_KEPT if k in x}
    if "fleet_energy_mw" in x:
        out["fleet_energy_mwh"] = (x["fleet_energy_mw"] * w).sum("snapshot")
        out["fleet_km"] = out["fleet_energy_mwh"] * 1000.0 / x["fleet_energy_kwh_per_km"]
        out["fleet_km"].attrs["units"] = "km"
        if b.fleets is not None and b.fleets.fuel_mw is not None:
            out["fleet_fuel_t"] = (
                (_fleet_fuel_t(b) * w)
                .sum("snapshot")
                .reindex(fleet=x["fleet"].values, fill_value=0.0)
            )
    bus = b.biogas
    if bus is None:
        return out
    balances = b.balances
    assert balances.biogas is not None and balances.vehicle_gas is not None  # built with the bus
    zero = xr.zeros_like(w)
    made = zero.copy()
    if bus.production_mw is not None:
        out["biogas_production_mw"] = bus.production_mw.solution
        out["biogas_feedstock"] = x["biogas_feedstock"]
        out["biogas_production_cost_eur_per_mwh"] = x["biogas_production_cost_eur_per_mwh"]
        made = bus.production_mw.solution.sum("biogas_plant")
    upgraded = zero
    for ports in b.units.values():
        if "vehicle_gas" in ports.flows:
            upgraded = upgraded + ports.flows["vehicle_gas"].solution(pick).sum(ports.dim)
    out.update(
        {
            "biogas_made_mw": made,
            "biogas_flared_mw": bus.flared_mw.solution,
            "vehicle_gas_upgraded_mw": upgraded,
            "vehicle_gas_demand_mw": x["vehicle_gas_demand_mw"],
            "unserved_vehicle_gas_mw": bus.unserved_vehicle_gas_mw.solution,
            "gas_grid_import_mw": (
                bus.gas_grid_import_mw.solution if bus.gas_grid_import_mw is not None else zero
            ),
            "gas_grid_export_mw": (
                bus.gas_grid_export_mw.solution if bus.gas_grid_export_mw is not None else zero
            ),
            "gas_grid_emission_t_per_mwh": get(x, "gas_grid_emission_t_per_mwh", xr.DataArray(0.0)),
            "vehicle_gas_unserved_penalty_eur_per_mwh": x[
                "vehicle_gas_unserved_penalty_eur_per_mwh"
            ],
            "marginal_biogas_price_eur_per_mwh": balances.biogas.dual / x["cost_weight"],
            "marginal_vehicle_gas_price_eur_per_mwh": balances.vehicle_gas.dual / x["cost_weight"],
        }
    )
    for key in (
        "biogas_made",
        "biogas_flared",
        "vehicle_gas_upgraded",
        "vehicle_gas_demand",
        "unserved_vehicle_gas",
        "gas_grid_import",
        "gas_grid_export",
    ):
        out[f"{key}_mwh"] = (out[f"{key}_mw"] * w).sum("snapshot")
    for key in ("gas_grid_import_price_eur_per_mwh", "gas_grid_export_price_eur_per_mwh"):
        if key in x:
            out[key] = x[key]
    return out
