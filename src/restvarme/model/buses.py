"""Bus terms that component builders register, and the balances built from them.

Each builder adds its variables and then registers linear expressions here: heat into a network,
electricity into (positive) or out of (negative) the grid bus, heat drawn from (or offered to) a
waste-heat source, hydrogen into the hydrogen bus, and its operating cost.
:func:`restvarme.model.build.build_model` turns the registered terms into one balance constraint
per bus family, built once (with :mod:`restvarme.model.linear`, straight from label arrays).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import linopy

from restvarme.model.linear import Coeff, FlatSum, Term, to_buses, weighted_sum

__all__ = ["BusTerms", "to_buses"]


@dataclass
class BusTerms:
    """Terms registered by the component builders, collected for the balances and objective."""

    heat: list[Term] = field(default_factory=list)
    """Heat into each network [MW], dims (snapshot, network)."""
    electricity: list[Term] = field(default_factory=list)
    """Electricity into the grid bus [MW] (consumption negative), dims (snapshot,)."""
    waste_heat: list[linopy.LinearExpression] = field(default_factory=list)
    """Heat drawn from each waste-heat source [MW], dims (snapshot, waste_source)."""
    cooling: list[Term] = field(default_factory=list)
    """Cooling into each cooling network [MW], dims (snapshot, cooling_network)."""
    hydrogen: list[Term] = field(default_factory=list)
    """Hydrogen into the hydrogen bus [MW, LHV] (consumption negative), dims (snapshot,)."""
    biogas: list[Term] = field(default_factory=list)
    """Raw biogas into the biogas bus [MW, LHV] (consumption negative), dims (snapshot,)."""
    vehicle_gas: list[Term] = field(default_factory=list)
    """Vehicle gas into the vehicle-gas side of the biogas bus [MW, LHV], dims (snapshot,)."""
    waste_heat_offered: list[linopy.LinearExpression] = field(default_factory=list)
    """Heat units add to each waste-heat source [MW] (electrolysers), dims (snapshot,
    waste_source): it raises the source's availability."""
    cost: list[FlatSum | linopy.LinearExpression] = field(default_factory=list)
    """Operating cost [EUR], scalar: flat sums (:func:`weighted_sum`) or linear expressions."""
    emission: list[linopy.LinearExpression] = field(default_factory=list)
    """Emissions [t CO2e/h], dims (snapshot,) (and period in pathway runs)."""
    waste_heat_delivered: list[linopy.LinearExpression] = field(default_factory=list)
    """Network heat of waste-heat origin [MW], dims (snapshot,) (restvarme.units.ports.ORIGINS)."""
    renewable_heat: list[linopy.LinearExpression] = field(default_factory=list)
    """Network heat counted renewable [MW], dims (snapshot,) (see restvarme.model.targets)."""
    return_occupancy: list[linopy.LinearExpression] = field(default_factory=list)
    """Return water that units lift from preheat levels takes from each preheating exchanger's
    level [MW], dims (snapshot, heat_exchanger): heat pumps register it (built first), the heat
    exchangers' preheat cascade adds it to its rows (restvarme.units.heat_pump). Where heat
    stores sit on the network it also holds, negative, the share of the level that the water
    they charge adds (or, discharging, takes away) at the plant: the row's limit counts the
    plant's water, not the load's (:func:`restvarme.units.heat_pump.add_levels`)."""
    plant_store_charge: linopy.Variable | None = None
    """S[t,n] [MW]: the net charge Σ (charge - discharge) of the heat stores on each network,
    dims (snapshot, network), masked to where rows counting the plant's water need it; made by
    the first such row (:func:`restvarme.units._store.plant_store_charge`) and defined by the
    heat stores' builder, built after it. None when no row needs it."""

    def add_heat(self, expr: Term) -> None:
        self.heat.append(expr)

    def add_cooling(self, expr: Term) -> None:
        self.cooling.append(expr)

    def add_electricity(self, expr: Term) -> None:
        self.electricity.append(expr)

    def add_waste_heat_draw(self, expr: linopy.LinearExpression) -> None:
        self.waste_heat.append(expr)

    def add_hydrogen(self, expr: Term) -> None:
        self.hydrogen.append(expr)

    def add_biogas(self, expr: Term) -> None:
        self.biogas.append(expr)

    def add_vehicle_gas(self, expr: Term) -> None:
        self.vehicle_gas.append(expr)

    def add_waste_heat_offered(self, expr: linopy.LinearExpression) -> None:
        self.waste_heat_offered.append(expr)

    def add_cost(self, expr: FlatSum | linopy.LinearExpression) -> None:
        self.cost.append(expr)

    def add_linear_cost(self, x: Term, coeff: Coeff) -> None:
        """Register the cost Σ coeff · x [EUR] over all of ``x``'s dimensions."""
        self.cost.append(weighted_sum(x, coeff))

    needs_emissions: bool = True
    """Whether a target needs the emission terms (they are only built then)."""
    needs_waste_heat_delivered: bool = True
    """Whether a target needs the waste-heat-delivered terms."""
    needs_renewable_heat: bool = True
    """Whether a target needs the renewable-heat terms."""

    def add_emission(self, make: Callable[[], linopy.LinearExpression]) -> None:
        """Register emissions [t CO2e/h]; ``make`` runs only when a target needs them."""
        if self.needs_emissions:
            self.emission.append(make())

    def add_waste_heat_delivered(self, make: Callable[[], linopy.LinearExpression]) -> None:
        """Register heat from waste heat [MW]; ``make`` runs only when a target needs it."""
        if self.needs_waste_heat_delivered:
            self.waste_heat_delivered.append(make())

    def add_renewable_heat(self, make: Callable[[], linopy.LinearExpression]) -> None:
        """Register heat counted renewable [MW]; ``make`` runs only when a target needs it."""
        if self.needs_renewable_heat:
            self.renewable_heat.append(make())
