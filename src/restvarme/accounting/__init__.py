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
