"""Ports: what the units of one type exchange with the rest of the system.

A unit type's ``build`` adds its variables and constraints and returns :class:`Ports`: its flows
per carrier as linear terms on ``(snapshot, <type>)`` (and ``period`` in pathway runs), the bus
each unit's flow goes to, its cost terms, and the origin of the heat it delivers. Everything
else reads the ports and never the type:

* :func:`connect` registers every port with the bus balances, the objective and the emission
  term of the targets (:mod:`restvarme.model.buses`);
* :mod:`restvarme.results.collect` reads each port's solution into the per-unit flows of the
  results, and each cost term into its cost item;
* :func:`restvarme.model.targets.add_targets` and :mod:`restvarme.accounting.indicators` count
  waste heat, ambient heat and renewable heat from the same :data:`ORIGINS`, so the model's
  targets and the accounting's shares cannot disagree.

Signs, as the results report them: ``heat``, ``cooling``, ``electricity``, ``hydrogen``,
``biogas`` and ``vehicle_gas`` are positive into their bus (produced) and negative out of it
(consumed); ``fuel`` is fuel burnt and ``source_heat`` heat drawn from the unit's source (a
waste-heat stream or an ambient source), both positive; ``offered_heat`` is heat a unit adds to
a waste-heat source (an electrolyser's). Every flow is in MW.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import linopy
import numpy as np
import xarray as xr

from restvarme._dataset import coordinates
from restvarme.model.buses import BusTerms
from restvarme.model.linear import Term, sum_units, to_buses

__all__ = [
    "CARRIERS",
    "ORIGINS",
    "ROUTES",
    "Cost",
    "Flow",
    "Ports",
    "connect",
]

CARRIERS = (
    "heat",
    "cooling",
    "electricity",
    "fuel",
    "source_heat",
    "offered_heat",
    "hydrogen",
    "biogas",
    "vehicle_gas",
)
"""Every carrier a port can have (see the module docstring for signs)."""

ORIGINS = ("fuel", "electricity", "waste_heat", "ambient", "hydrogen", "solar")
"""Where the heat a unit delivers comes from. Heat of ``fuel`` origin is renewable where the
unit's fuel is (``fuels.<name>.renewable``) and fossil otherwise; ``ambient`` (heat pumps on air,
ground or water, RED II Annex VII) and ``solar`` heat are renewable; ``electricity`` is counted
renewable by a stated share of grid electricity; ``waste_heat`` is neither (RED II Art. 24 counts
it beside renewables); ``hydrogen`` (a fuel cell's heat) is neither."""


ROUTES = ("direct", "preheat", "heat_pump", "absorption")
"""The routes waste heat takes to the networks: a heat exchanger feeding the supply line
(direct) or preheating the return, a heat pump's evaporator, an absorption chiller's generator."""


@dataclass(frozen=True)
class Flow:
    """A signed flow of every unit of a type, ``coeff · term`` [MW].

    ``term`` is a variable or linear expression with dims (snapshot, <type>) (period first in
    pathway runs); ``coeff`` a number or DataArray over some of those dims. Keeping the two apart
    lets :func:`connect` register the flow with the same label arrays a hand-written builder
    would (:func:`restvarme.model.linear.to_buses`), and the results evaluate it exactly.
    """

    term: Term
    coeff: float | xr.DataArray = 1.0

    def solution(
        self, pick: Callable[[xr.DataArray], xr.DataArray] = lambda da: da
    ) -> xr.DataArray:
        """The flow's value in the solved model [MW]; ``pick`` selects e.g. one period first."""
        coeff = pick(self.coeff) if isinstance(self.coeff, xr.DataArray) else self.coeff
        return pick(self.term.solution) * coeff


@dataclass(frozen=True)
class Cost:
    """An operating cost item of a type: ``Σ_t w[t] · coeff · term`` [EUR]."""

    item: str
    """Cost item of the results' ``cost_eur`` (e.g. ``variable_om``, ``heat_rejection``)."""
    flow: Flow
    """``coeff`` in EUR/MWh (EUR per MW and hour)."""


@dataclass(frozen=True)
class Ports:
    """The flows, costs and heat origins of all units of one type (see the module docstring)."""

    dim: str
    """The type's dimension in the inputs and model (e.g. ``heat_pump``)."""
    flows: Mapping[str, Flow]
    """Flow per carrier (keys among :data:`CARRIERS`); a carrier the type lacks is absent."""
    buses: Mapping[str, xr.DataArray] = field(default_factory=dict)
    """Per carrier with several buses (heat: ``network``; cooling: ``cooling_network``;
    source_heat and offered_heat: a source of ``waste_source``; fuel: ``fuel``), the bus of each
    unit, a DataArray of names on ``dim``. A unit whose name is not among that carrier's buses
    (e.g. a heat pump on an ambient source) belongs to none of them."""
    costs: tuple[Cost, ...] = ()
    """Operating costs other than fuel, electricity and waste heat (which follow from the
    flows and the buses' prices)."""
    origins: Mapping[str, Flow] = field(default_factory=dict)
    """The heat the type delivers to its networks split by origin (keys among :data:`ORIGINS`);
    the origins sum to the heat it produces. Stores and consumers of heat have none."""
    routes: Mapping[str, Flow] = field(default_factory=dict)
    """The source heat split by the route it takes (``direct``, ``preheat``, ``heat_pump``,
    ``absorption``: :data:`ROUTES`), for units on waste-heat sources."""
    new_capacity: linopy.Variable | None = None
    """New capacity of the extendable units (see restvarme.model.capacity)."""
    results: Mapping[str, Term | xr.DataArray | Callable[..., xr.DataArray]] = field(
        default_factory=dict
    )
    """Further hourly variables the results report under these names (store levels, heat
    rejected, ...): a term, whose solution is reported, a DataArray, reported as it is, or a
    function ``(pick, inputs) ->
    DataArray`` of the solved model (``pick`` selects one pathway period of a solution)."""
    handles: Mapping[str, Any] = field(default_factory=dict)
    """The type's own variables by name, for code that needs one (e.g. a store's levels)."""


BUS_DIMS = {
    "heat": "network",
    "cooling": "cooling_network",
    "source_heat": "waste_source",
    "offered_heat": "waste_source",
    "fuel": "fuel",
}
"""The bus dimension of each carrier that has several buses."""


def units_on(ports: Ports, carrier: str, inputs: xr.Dataset) -> xr.DataArray:
    """Which units of the type have a bus of ``carrier`` among the inputs' buses (bool on dim)."""
    labels = ports.buses[carrier]
    buses: np.ndarray | list[str] = (
        inputs[BUS_DIMS[carrier]].values if BUS_DIMS[carrier] in inputs.dims else []
    )
    return labels.isin(list(buses))


def fuel_factor(inputs: xr.Dataset, labels: xr.DataArray, name: str) -> xr.DataArray:
    """A fuel property per unit (``fuel_<name>``) from each unit's fuel label.

    ``inputs[f"fuel_{name}"].sel(fuel=labels).drop_vars("fuel")``, taken in numpy where the
    property lies on ``fuel`` last with only its dimensions' indexes (per fuel, or hourly) and
    every label is a fuel: the same values, layout (numpy's ``a[..., positions]``, as xarray
    indexes), coordinates, name and attributes (``tests/units/test_ports.py``)."""
    da = inputs[f"fuel_{name}"]
    dim = labels.dims[0] if labels.ndim == 1 else None
    plain = (
        dim is not None
        and da.dims[-1:] == ("fuel",)
        and dim not in da.dims
        and set(da.coords) == set(da.dims)
        and set(labels.coords) == {dim}
    )
    positions = da.xindexes["fuel"].to_pandas_index().get_indexer(labels.values) if plain else None
    if positions is None or (positions < 0).any():
        return da.sel(fuel=labels).drop_vars("fuel")
    indexes = {d: da.xindexes[d] for d in da.dims[:-1]} | {dim: labels.xindexes[dim]}
    return xr.DataArray(
        da.values[..., positions],
        coords=coordinates(indexes),
        dims=(*da.dims[:-1], dim),
        name=da.name,
        attrs=da.attrs,
    )


def fuel_cost(inputs: xr.Dataset, labels: xr.DataArray) -> tuple[xr.DataArray, xr.DataArray]:
    """What one MWh of each unit's fuel costs and emits, from each unit's fuel label: the price
    plus the carbon price times the emission factor [EUR/MWh], and the emission factor
    [t CO2e/MWh] (:func:`fuel_factor`)."""
    price = fuel_factor(inputs, labels, "price_eur_per_mwh")
    emission = fuel_factor(inputs, labels, "emission_t_per_mwh")
    return price + inputs["carbon_price_eur_per_t"] * emission, emission


def connect(ports: Ports, inputs: xr.Dataset, terms: BusTerms) -> None:
    """Register one type's ports with the bus terms, the objective and the targets.

    * heat, cooling: into the bus each unit names (``ports.buses``);
    * electricity, hydrogen, biogas, vehicle gas: into the one bus of the carrier;
    * fuel F[t,u]: cost Σ w·(price + carbon price·e)·F, emissions e·F for the targets, and,
      for units burning ``biogas`` with a biogas section, -F on the biogas bus;
    * source heat S[t,u]: drawn from the unit's waste-heat source (ambient sources have no
      bus); offered heat: added to a source's availability;
    * each :class:`Cost`: Σ w·coeff·term;
    * origins: waste heat delivered, and renewable heat (fuel heat where the fuel is
      renewable, ambient and solar heat, electricity-based heat times
      ``target_electricity_renewable_share``) for the minimum-share targets.
    """
    from restvarme.model.components._common import operating_cost
    from restvarme.model.components.biogas import add_biogas_burnt, has_biogas_bus

    dim, flows = ports.dim, ports.flows
    for carrier, add in (("heat", terms.add_heat), ("cooling", terms.add_cooling)):
        if carrier in flows and bool(units_on(ports, carrier, inputs).any()):
            f = flows[carrier]
            add(to_buses(f.term, ports.buses[carrier], inputs[BUS_DIMS[carrier]], f.coeff))
    for carrier, add in (
        ("electricity", terms.add_electricity),
        ("hydrogen", terms.add_hydrogen),
        ("biogas", terms.add_biogas),
        ("vehicle_gas", terms.add_vehicle_gas),
    ):
        if carrier in flows:
            add(sum_units(flows[carrier].term, dim, flows[carrier].coeff))
    if "source_heat" in flows and bool(units_on(ports, "source_heat", inputs).any()):
        f = flows["source_heat"]
        terms.add_waste_heat_draw(
            to_buses(f.term, ports.buses["source_heat"], inputs["waste_source"], f.coeff)
        )
    if "offered_heat" in flows:
        f = flows["offered_heat"]
        terms.add_waste_heat_offered(
            to_buses(f.term, ports.buses["offered_heat"], inputs["waste_source"], f.coeff)
        )
    if "fuel" in flows:
        f, labels = flows["fuel"], ports.buses["fuel"]
        per_fuel, emission = fuel_cost(inputs, labels)
        terms.add_emission(lambda: sum_units(f.term, dim, f.coeff * emission))
        terms.add_cost(operating_cost(f.term, f.coeff * per_fuel, inputs))
        if has_biogas_bus(inputs):  # f.term * f.coeff is linopy arithmetic: only when needed
            add_biogas_burnt(inputs, terms, f.term * f.coeff, dim)
    for cost in ports.costs:
        terms.add_cost(operating_cost(cost.flow.term, cost.flow.coeff, inputs))
    _connect_origins(ports, inputs, terms)


def renewable_weight(ports: Ports, inputs: xr.Dataset, origin: str) -> xr.DataArray | float:
    """Share of heat of one origin that counts renewable [-], per unit where it depends on it."""
    if origin == "fuel":
        return fuel_factor(inputs, ports.buses["fuel"], "renewable").astype(float)
    if origin in ("ambient", "solar"):
        return 1.0
    if origin == "electricity":
        return inputs["target_electricity_renewable_share"]
    return 0.0


def _connect_origins(ports: Ports, inputs: xr.Dataset, terms: BusTerms) -> None:
    """Heat of waste-heat origin and heat counted renewable [MW], dims (snapshot,), for the
    minimum-share targets."""
    dim = ports.dim
    if "waste_heat" in ports.origins:
        f = ports.origins["waste_heat"]
        terms.add_waste_heat_delivered(lambda: sum_units(f.term, dim, f.coeff))
    if not terms.needs_renewable_heat:  # no target counts renewable heat
        return
    for origin, f in ports.origins.items():
        weight = renewable_weight(ports, inputs, origin)
        if isinstance(weight, float) and weight == 0.0:
            continue

        def renewable(
            f: Flow = f, weight: xr.DataArray | float = weight
        ) -> linopy.LinearExpression:
            return sum_units(f.term, dim, f.coeff * weight)

        terms.add_renewable_heat(renewable)
