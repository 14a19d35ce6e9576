"""The biogas bus: plants, flaring, the gas grid, unserved vehicle gas, and biogas burnt in units.

Two balances per snapshot, in MW of methane (LHV), built in :mod:`restvarme.model.build`:

* raw biogas: plant production + store discharge - store charge - flared - upgrading input
  - biogas burnt in boilers and CHPs = 0;
* vehicle gas: upgraded gas + gas bought - gas sold + unserved = vehicle-gas demand (the
  section's own and that of biogas fleets).
"""

from __future__ import annotations

from dataclasses import dataclass

import linopy
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.components._common import operating_cost, present
from restvarme.model.linear import combination, sum_units
from restvarme.scenario.base import BIOGAS_FUEL

BUS_KEY = "vehicle_gas_demand_mw"
"""Input present exactly when the scenario has a ``biogas`` section."""


@dataclass(frozen=True)
class BiogasBus:
    """Variables of the biogas bus that are not units."""

    production_mw: linopy.Variable | None
    """Biogas made by each plant [MW], fixed at its production, dims (snapshot, biogas_plant);
    a variable so that its cost is part of the objective. None without plants."""
    flared_mw: linopy.Variable
    """Raw biogas flared [MW], dims (snapshot,)."""
    unserved_vehicle_gas_mw: linopy.Variable
    """Vehicle-gas demand not met [MW], dims (snapshot,)."""
    gas_grid_import_mw: linopy.Variable | None
    """Gas bought from the gas grid [MW], dims (snapshot,); None without an import price."""
    gas_grid_export_mw: linopy.Variable | None
    """Upgraded gas sold to the gas grid [MW], dims (snapshot,); None without an export price."""


def has_biogas_bus(inputs: xr.Dataset) -> bool:
    """Whether the scenario has a ``biogas`` section (and so the two biogas balances)."""
    return BUS_KEY in inputs


def add_biogas_bus(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> BiogasBus | None:
    """Add the bus's own variables: plant production, flaring, unserved vehicle gas and the gas
    grid. With snapshot weight w [h]::

        G[t,p] = production[t,p]  (fixed);  cost Σ w·c[p]·G             -> raw biogas: + Σ_p G
        0 <= flare[t]                                                     -> raw biogas: - flare
        0 <= U[t];  cost Σ w·penalty·U                                    -> vehicle gas: + U
        0 <= I[t] <= I_max;  cost Σ w·(price_in + carbon price·e_gas)·I   -> vehicle gas: + I
        0 <= X[t] <= X_max;  cost -Σ w·price_out·X                        -> vehicle gas: - X
    """
    if not has_biogas_bus(inputs):
        return None
    w, cw = inputs["snapshot_weight_h"], inputs["cost_weight"]
    production = None
    if present(inputs, "biogas_plant"):
        made = inputs["biogas_production_mw"]
        production = m.add_variables(lower=made, upper=made, name="biogas_production")
        terms.add_biogas(sum_units(production, "biogas_plant"))
        terms.add_cost(
            operating_cost(production, inputs["biogas_production_cost_eur_per_mwh"], inputs)
        )
    flared = m.add_variables(lower=0, coords=w.coords, name="biogas_flare")
    terms.add_biogas(combination((flared, -1.0)))
    unserved = m.add_variables(lower=0, coords=w.coords, name="unserved_vehicle_gas")
    terms.add_vehicle_gas(unserved)
    penalty = inputs["vehicle_gas_unserved_penalty_eur_per_mwh"]
    terms.add_linear_cost(unserved, cw * penalty)
    bought = sold = None
    if "gas_grid_import_price_eur_per_mwh" in inputs:
        bought = _grid_flow(m, inputs, "import")
        factor = inputs["gas_grid_emission_t_per_mwh"]
        price = (
            inputs["gas_grid_import_price_eur_per_mwh"] + inputs["carbon_price_eur_per_t"] * factor
        )
        terms.add_vehicle_gas(bought)
        terms.add_linear_cost(bought, price * cw)
        terms.add_emission(lambda: bought * factor)
    if "gas_grid_export_price_eur_per_mwh" in inputs:
        sold = _grid_flow(m, inputs, "export")
        terms.add_vehicle_gas(combination((sold, -1.0)))
        terms.add_linear_cost(sold, -inputs["gas_grid_export_price_eur_per_mwh"] * cw)
    return BiogasBus(production, flared, unserved, bought, sold)


def _grid_flow(m: linopy.Model, inputs: xr.Dataset, side: str) -> linopy.Variable:
    """Gas bought or sold [MW], bounded by the connection's capacity (+inf without a limit)."""
    like = inputs[f"gas_grid_{side}_price_eur_per_mwh"].broadcast_like(inputs["snapshot_weight_h"])
    upper = xr.zeros_like(like) + inputs[f"gas_grid_{side}_capacity_mw"]
    return m.add_variables(lower=0, upper=upper, name=f"gas_grid_{side}")


def add_biogas_burnt(
    inputs: xr.Dataset,
    terms: BusTerms,
    fuel_mw: linopy.LinearExpression | linopy.Variable,
    dim: str,
) -> None:
    """Fuel F[t,u] of the units of one type whose ``fuel`` is ``biogas`` is drawn from the
    biogas bus (-F); their fuel price and emission factor are 0 (restvarme.inputs.biogas)."""
    if not has_biogas_bus(inputs):
        return
    labels = inputs[f"{dim}_fuel"]
    burning = labels[dim].values[(labels == BIOGAS_FUEL).values]
    if len(burning):
        terms.add_biogas(-fuel_mw.sel({dim: burning}).sum(dim))
