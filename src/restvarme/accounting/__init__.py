"""Accounting on results: emissions by method, costs, indicators, waste-heat value, targets.

Pure functions on a results Dataset (:func:`restvarme.results.collect.collect_results`, or
:func:`restvarme.results.io.read_results` of a run folder): numbers in, numbers out, units in the
names. No solving here, except :func:`candidate_supplier_value`, which solves the scenario again
with a candidate supplier added to measure what it saves.

=====================  =========================================================================
module                 what it answers
=====================  =========================================================================
``chp_allocation``     how a CHP's fuel, emissions, primary energy split between heat and power
``emissions``          emissions by unit, fuel and network; accounting vs decision perspective
``sectors``            emissions by sector; transport fleets against their fossil baseline
``indicators``         per-network g CO2e/kWh, primary energy factor, renewable/fossil/waste shares
``costs``              cost per unit, network and counterparty; annuity, LCOH, NPV
``waste_heat_value``   value of waste heat per source and hour; supplier price list; candidates
``targets``            neutrality tracking over the periods of a pathway
=====================  =========================================================================
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from restvarme.accounting.chp_allocation import CHP_METHODS, allocate_chp, chp_flows
    from restvarme.accounting.costs import (
        annuity_eur_per_year,
        annuity_factor,
        cost_by_counterparty,
        cost_by_network,
        cost_by_unit,
        electricity_revenue,
        levelised_cost_of_heat,
        npv_eur,
    )
    from restvarme.accounting.emissions import (
        Perspective,
        accounting_perspective,
        decision_perspective,
        emissions_by_unit,
        network_heat_emissions_t,
        system_emissions_t,
    )
    from restvarme.accounting.indicators import (
        PrimaryEnergyFactors,
        indicator_table,
        network_indicators,
    )
    from restvarme.accounting.sectors import SECTORS, emissions_by_sector, fleet_emissions
    from restvarme.accounting.targets import (
        emission_shares,
        emissions_table,
        linear_trajectory_t,
        neutrality_table,
        residual_emissions,
    )
    from restvarme.accounting.waste_heat_value import (
        HeatPumpAssumptions,
        PriceList,
        candidate_supplier_value,
        delivery_value_eur_per_mwh,
        heat_pump_route_value_eur_per_mwh,
        price_list,
        supplier_price_list,
        waste_heat_value_eur_per_mwh,
    )

_LAZY = {
    "CHP_METHODS": "chp_allocation",
    "HeatPumpAssumptions": "waste_heat_value",
    "Perspective": "emissions",
    "PriceList": "waste_heat_value",
    "PrimaryEnergyFactors": "indicators",
    "SECTORS": "sectors",
    "accounting_perspective": "emissions",
    "allocate_chp": "chp_allocation",
    "annuity_eur_per_year": "costs",
    "annuity_factor": "costs",
    "candidate_supplier_value": "waste_heat_value",
    "chp_flows": "chp_allocation",
    "cost_by_counterparty": "costs",
    "cost_by_network": "costs",
    "cost_by_unit": "costs",
    "decision_perspective": "emissions",
    "delivery_value_eur_per_mwh": "waste_heat_value",
    "electricity_revenue": "costs",
    "emission_shares": "targets",
    "emissions_by_sector": "sectors",
    "emissions_by_unit": "emissions",
    "emissions_table": "targets",
    "fleet_emissions": "sectors",
    "heat_pump_route_value_eur_per_mwh": "waste_heat_value",
    "indicator_table": "indicators",
    "levelised_cost_of_heat": "costs",
    "linear_trajectory_t": "targets",
    "network_heat_emissions_t": "emissions",
    "network_indicators": "indicators",
    "neutrality_table": "targets",
    "npv_eur": "costs",
    "price_list": "waste_heat_value",
    "residual_emissions": "targets",
    "supplier_price_list": "waste_heat_value",
    "system_emissions_t": "emissions",
    "waste_heat_value_eur_per_mwh": "waste_heat_value",
}
"""Each public name -> the module of this package that defines it, imported on first use: a run
writes its summary tables with ``costs`` and ``sectors`` only, and does not pay for the
waste-heat value, the indicators or the targets (restvarme._imports)."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CHP_METHODS",
    "SECTORS",
    "HeatPumpAssumptions",
    "Perspective",
    "PriceList",
    "PrimaryEnergyFactors",
    "accounting_perspective",
    "allocate_chp",
    "annuity_eur_per_year",
    "annuity_factor",
    "candidate_supplier_value",
    "chp_flows",
    "cost_by_counterparty",
    "cost_by_network",
    "cost_by_unit",
    "decision_perspective",
    "delivery_value_eur_per_mwh",
    "electricity_revenue",
    "emission_shares",
    "emissions_by_sector",
    "emissions_by_unit",
    "emissions_table",
    "fleet_emissions",
    "heat_pump_route_value_eur_per_mwh",
    "indicator_table",
    "levelised_cost_of_heat",
    "linear_trajectory_t",
    "network_heat_emissions_t",
    "network_indicators",
    "neutrality_table",
    "npv_eur",
    "price_list",
    "residual_emissions",
    "supplier_price_list",
    "system_emissions_t",
    "waste_heat_value_eur_per_mwh",
]
