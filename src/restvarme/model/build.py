"""Build the linopy model of one scenario: the table of contents of the formulation.

:func:`build_model` builds every unit type of the registry (:mod:`restvarme.units.registry`)
that the scenario has, each adding its variables for all its units at once and returning its
ports (:mod:`restvarme.units.ports`), which :func:`restvarme.units.ports.connect` registers as
bus terms; then the market, the slacks and the targets. The balances are then built once here:

* heat, per network n and snapshot t::

      Σ heat into n from units  +  unserved[t,n]  =  load[t,n]

* electricity, per snapshot::

      grid import - grid export + Σ CHP, PV, wind and fuel-cell power
          + Σ battery (discharge - charge) - Σ heat-pump, electric-boiler, chiller,
          electrolyser and biogas-upgrading use  =  local electricity demand[t] + fleet[t]

  where fleet[t] is what electric fleets charge (``fleet_electricity_mw``, 0 without them);
  with ``electricity.connections``, each connection's meter adds its import less its export,
  and the units behind it balance through it (:mod:`restvarme.model.connections`)

* capacity groups (``capacity_groups``): the combined output or input of each group's units
  within its shared capacity, per snapshot (:mod:`restvarme.model.groups`)

* waste heat, per source s and snapshot::

      Σ heat drawn by heat exchangers, heat-pump evaporators, absorption chillers
          <= available[t,s] + Σ heat offered by electrolysers into s        (a pool)
      U[t,s]  <=  available[t,s] + Σ heat offered by electrolysers into s     (a stream)

  where a stream's use U[t,s] bounds what each route takes by the temperatures it cools the
  stream over (:mod:`restvarme.model.streams`); a source without a minimum or reference
  temperature is a pool

* cooling, per cooling network k and snapshot (only when the scenario has cooling networks)::

      Σ cooling into k from units  +  unserved_cooling[t,k]  =  cooling load[t,k]

* hydrogen, per snapshot (only when the scenario has a ``hydrogen`` section)::

      Σ η·P of electrolysers + Σ (discharge - charge) of hydrogen stores + import[t]
          - Σ P/η_el of fuel cells + unserved_hydrogen[t]  =  hydrogen demand[t]
          + hydrogen fleets[t]

* biogas and vehicle gas, per snapshot (only with a ``biogas`` section; see
  :mod:`restvarme.model.components.biogas`)::

      Σ production + Σ (discharge - charge) of biogas stores - flared - Σ upgrading input
          - Σ biogas burnt in boilers and CHPs  =  0
      Σ η·upgrading input + gas bought - gas sold + unserved_vehicle_gas[t]
          =  vehicle-gas demand[t] + biogas fleets[t]

The objective is the sum of every operating cost the builders register (EUR over the horizon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import linopy
import numpy as np
import xarray as xr

from restvarme.model.buses import BusTerms
from restvarme.model.components._common import present
from restvarme.model.components.biogas import BiogasBus, add_biogas_bus
from restvarme.model.components.fleets import Fleets, add_fleets
from restvarme.model.components.market import Grid, add_electricity_market
from restvarme.model.connections import Connections, add_connections
from restvarme.model.diagnose import ELASTIC_PENALTY_EUR_PER_MWH
from restvarme.model.groups import CapacityGroups, add_capacity_groups
from restvarme.model.linear import Term, add_constraint, add_variables, assemble, objective
from restvarme.model.streams import StreamUse, add_streams
from restvarme.model.targets import TargetHandles, add_targets
from restvarme.units.ports import Ports, connect
from restvarme.units.registry import REGISTRY

HEAT_BALANCE = "heat_balance"
ELECTRICITY_BALANCE = "electricity_balance"
WASTE_HEAT_LIMIT = "waste_heat_availability"
COOLING_BALANCE = "cooling_balance"
HYDROGEN_BALANCE = "hydrogen_balance"
BIOGAS_BALANCE = "biogas_balance"
VEHICLE_GAS_BALANCE = "vehicle_gas_balance"


@dataclass(frozen=True)
class Balances:
    heat: linopy.Constraint
    electricity: linopy.Constraint
    waste_heat: linopy.Constraint | None
    cooling: linopy.Constraint | None = None
    hydrogen: linopy.Constraint | None = None
    biogas: linopy.Constraint | None = None
    vehicle_gas: linopy.Constraint | None = None


@dataclass(frozen=True)
class HydrogenBus:
    """Slack and import on the hydrogen bus."""

    unserved_mw: linopy.Variable
    """Hydrogen demand not met [MW], dims (snapshot,)."""
    import_mw: linopy.Variable | None
    """Hydrogen bought from outside [MW], dims (snapshot,); None without an import price."""


@dataclass(frozen=True)
class BuiltModel:
    """A linopy model with typed handles to everything results need."""

    model: linopy.Model
    inputs: xr.Dataset
    units: dict[str, Ports]
    """The ports of every unit type the scenario has, by type name (restvarme.units.registry)."""
    grid: Grid
    unserved_heat_mw: linopy.Variable
    balances: Balances
    targets: TargetHandles
    elastic_slacks: dict[str, tuple[linopy.Variable, linopy.Variable]] = field(default_factory=dict)
    """Only in elastic builds: (surplus, deficit) slack per balance, to diagnose infeasibility."""
    unserved_cooling_mw: linopy.Variable | None = None
    """Cooling not delivered [MW], dims (snapshot, cooling_network); None without cooling."""
    hydrogen: HydrogenBus | None = None
    """The hydrogen bus's unserved demand and import; None without a ``hydrogen`` section."""
    biogas: BiogasBus | None = None
    """The biogas bus's plants, flare, gas grid and unserved vehicle gas; None without it."""
    fleets: Fleets | None = None
    """Fuel of diesel and petrol fleets; None without fleets."""
    groups: CapacityGroups | None = None
    """Shared capacities of units (restvarme.model.groups); None without ``capacity_groups``."""
    connections: Connections | None = None
    """Further electricity connections (restvarme.model.connections); None without any."""


def add_elastic_slacks(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> dict[str, tuple[linopy.Variable, linopy.Variable]]:
    """Surplus and deficit slacks on the heat and electricity balances (diagnosis only)."""
    w, cost_weight = inputs["snapshot_weight_h"], inputs["cost_weight"]
    out = {}
    balances = [
        (HEAT_BALANCE, inputs["heat_demand_mw"].coords, terms.add_heat),
        (ELECTRICITY_BALANCE, w.coords, terms.add_electricity),
    ]
    if present(inputs, "cooling_network"):
        balances.append((COOLING_BALANCE, inputs["cooling_demand_mw"].coords, terms.add_cooling))
    if "hydrogen_demand_mw" in inputs:
        balances.append((HYDROGEN_BALANCE, w.coords, terms.add_hydrogen))
    if "vehicle_gas_demand_mw" in inputs:
        balances.append((BIOGAS_BALANCE, w.coords, terms.add_biogas))
        balances.append((VEHICLE_GAS_BALANCE, w.coords, terms.add_vehicle_gas))
    for name, coords, register in balances:
        surplus = add_variables(m, lower=0, coords=coords, name=f"{name}_surplus")
        deficit = add_variables(m, lower=0, coords=coords, name=f"{name}_deficit")
        register(deficit - surplus)
        terms.add_linear_cost(surplus, cost_weight * ELASTIC_PENALTY_EUR_PER_MWH)
        terms.add_linear_cost(deficit, cost_weight * ELASTIC_PENALTY_EUR_PER_MWH)
        out[name] = (surplus, deficit)
    return out


def add_unserved_heat(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> linopy.Variable:
    """Slack U[t,n] >= 0 on each heat balance, priced at the unserved-heat penalty [EUR/MWh]."""
    coords = inputs["heat_demand_mw"].coords
    unserved = add_variables(m, lower=0, coords=coords, name="unserved_heat")
    terms.add_heat(unserved)
    terms.add_linear_cost(
        unserved, inputs["cost_weight"] * inputs["unserved_heat_penalty_eur_per_mwh"]
    )
    return unserved


def add_unserved_cooling(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms
) -> linopy.Variable | None:
    """Slack U[t,k] >= 0 on each cooling balance, priced at the unserved-cooling penalty."""
    if not present(inputs, "cooling_network"):
        return None
    unserved = add_variables(
        m, lower=0, coords=inputs["cooling_demand_mw"].coords, name="unserved_cooling"
    )
    terms.add_cooling(unserved)
    terms.add_linear_cost(
        unserved, inputs["cost_weight"] * inputs["unserved_cooling_penalty_eur_per_mwh"]
    )
    return unserved


def add_hydrogen_bus(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> HydrogenBus | None:
    """Unserved hydrogen U[t] >= 0 priced at its penalty, and import I[t] >= 0 at the import price
    [EUR/MWh] when the scenario gives one; both enter the hydrogen balance."""
    if "hydrogen_demand_mw" not in inputs:
        return None
    w, cost_weight = inputs["snapshot_weight_h"], inputs["cost_weight"]
    unserved = add_variables(m, lower=0, coords=w.coords, name="unserved_hydrogen")
    terms.add_hydrogen(unserved)
    terms.add_linear_cost(unserved, cost_weight * inputs["hydrogen_unserved_penalty_eur_per_mwh"])
    imported = None
    if "hydrogen_import_price_eur_per_mwh" in inputs:
        imported = add_variables(m, lower=0, coords=w.coords, name="hydrogen_import")
        terms.add_hydrogen(imported)
        terms.add_linear_cost(imported, cost_weight * inputs["hydrogen_import_price_eur_per_mwh"])
    return HydrogenBus(unserved, imported)


def electricity_load(inputs: xr.Dataset) -> xr.DataArray:
    """Right-hand side of the electricity balance [MW]: the local electricity demand (0 for
    inputs built without one)."""
    if "electricity_demand_mw" in inputs:
        return inputs["electricity_demand_mw"]
    return xr.zeros_like(inputs["snapshot_weight_h"])


def add_balances(
    m: linopy.Model, inputs: xr.Dataset, terms: BusTerms, streams: StreamUse | None = None
) -> Balances:
    """One balance constraint per bus family from the registered terms; ``streams``: the
    streams' use, which takes the place of their draws in the waste-heat balance."""

    def balance(
        parts: Sequence[Term], rhs: xr.DataArray, sign: str, name: str
    ) -> linopy.Constraint:
        lhs = assemble(m, parts, {d: rhs.indexes[d] for d in rhs.dims})
        return add_constraint(m, lhs, sign, rhs, name)

    heat = balance(terms.heat, inputs["heat_demand_mw"], "==", HEAT_BALANCE)
    load = electricity_load(inputs) + _fleet_demand(inputs, "fleet_electricity_mw")
    electricity = balance(terms.electricity, load, "==", ELECTRICITY_BALANCE)
    waste = cooling = hydrogen = None
    if terms.waste_heat:
        drawn: list[Term] = list(terms.waste_heat)
        if streams is not None:
            drawn = [streams.pools_only(d) for d in drawn] + [streams.use]
        drawn = drawn + [-1 * offered for offered in terms.waste_heat_offered]
        waste = balance(drawn, inputs["waste_heat_available_mw"], "<=", WASTE_HEAT_LIMIT)
    if terms.cooling:
        cooling = balance(terms.cooling, inputs["cooling_demand_mw"], "==", COOLING_BALANCE)
    if terms.hydrogen:
        demand = inputs["hydrogen_demand_mw"] + _fleet_demand(inputs, "fleet_hydrogen_mw")
        hydrogen = balance(terms.hydrogen, demand, "==", HYDROGEN_BALANCE)
    biogas = vehicle_gas = None
    if terms.biogas:
        zero = xr.zeros_like(inputs["snapshot_weight_h"])
        biogas = balance(terms.biogas, zero, "==", BIOGAS_BALANCE)
        demand = inputs["vehicle_gas_demand_mw"] + _fleet_demand(inputs, "fleet_vehicle_gas_mw")
        vehicle_gas = balance(terms.vehicle_gas, demand, "==", VEHICLE_GAS_BALANCE)
    return Balances(heat, electricity, waste, cooling, hydrogen, biogas, vehicle_gas)


def _fleet_demand(inputs: xr.Dataset, key: str) -> xr.DataArray | float:
    """What fleets take from one bus [MW] (restvarme.inputs.fleets), 0 if none do."""
    return inputs[key] if key in inputs else 0.0


def add_waste_heat_purchase(inputs: xr.Dataset, terms: BusTerms) -> None:
    """Cost of waste heat taken: Σ_t,s w[t] · (price[s] + carbon price · e[s]) · drawn[t,s]
    [EUR], and its emissions e[s] · drawn[t,s] [t CO2e/h] for the targets."""
    if terms.waste_heat:
        factor = inputs["waste_heat_emission_t_per_mwh"]
        price = inputs["waste_heat_price_eur_per_mwh"] + inputs["carbon_price_eur_per_t"] * factor
        for drawn in terms.waste_heat:
            terms.add_linear_cost(drawn, price * inputs["cost_weight"])
        if bool((factor > 0).any()):
            terms.add_emission(
                lambda: (
                    cast(linopy.LinearExpression, linopy.merge(terms.waste_heat)) * factor
                ).sum("waste_source")
            )


def add_units(m: linopy.Model, inputs: xr.Dataset, terms: BusTerms) -> dict[str, Ports]:
    """Every unit type of the registry that the inputs hold, built and connected in turn."""
    units = {}
    for name, unit_type in REGISTRY.items():
        if unit_type.present(inputs):
            ports = unit_type.build(m, inputs, terms)
            connect(ports, inputs, terms)
            units[name] = ports
    return units


def build_model(inputs: xr.Dataset, *, elastic: bool = False) -> BuiltModel:
    """Build the dispatch model for the given inputs (see the module docstring for equations).

    ``elastic=True`` adds priced slacks to every balance and a priced excess to the capacity
    groups' and connections' limits; the solver then always finds a solution and the slacks
    show which balance or limit cannot be met (used to explain infeasibility,
    :mod:`restvarme.model.diagnose`).
    """
    m = linopy.Model(force_dim_names=True)
    terms = BusTerms(
        needs_emissions=bool(np.isfinite(inputs["emission_cap_t"]).any()),
        needs_waste_heat_delivered=bool(np.isfinite(inputs["min_waste_heat_share"]).any()),
        needs_renewable_heat=bool(np.isfinite(inputs["min_renewable_share"]).any()),
    )
    units = add_units(m, inputs, terms)
    streams = add_streams(m, inputs, units)
    fleets = add_fleets(m, inputs, terms)
    grid = add_electricity_market(m, inputs, terms)
    groups = add_capacity_groups(m, inputs, terms, units, elastic=elastic)
    connections = add_connections(m, inputs, terms, units, elastic=elastic)
    unserved = add_unserved_heat(m, inputs, terms)
    unserved_cooling = add_unserved_cooling(m, inputs, terms)
    hydrogen = add_hydrogen_bus(m, inputs, terms)
    biogas = add_biogas_bus(m, inputs, terms)
    slacks = add_elastic_slacks(m, inputs, terms) if elastic else {}
    add_waste_heat_purchase(inputs, terms)
    targets = add_targets(m, inputs, terms)
    balances = add_balances(m, inputs, terms, streams)
    m.add_objective(objective(m, terms.cost))
    return BuiltModel(
        m,
        inputs,
        units,
        grid=grid,
        unserved_heat_mw=unserved,
        balances=balances,
        targets=targets,
        elastic_slacks=slacks,
        unserved_cooling_mw=unserved_cooling,
        hydrogen=hydrogen,
        biogas=biogas,
        fleets=fleets,
        groups=groups,
        connections=connections,
    )
