"""Cross-reference checks of a scenario: the rules a per-key schema cannot express.

One small function per rule, each returning the problems it finds with the key path of the
offending entry (no file, no line: :func:`~restvarme.scenario.load.load_scenario` fills those in).
:func:`check_references` runs them all, in the order of :data:`RULES`.

Names live in one namespace per kind:

- *places heat comes from or goes to*: ``networks``, ``cooling_networks``, ``waste_heat``,
  ``ambient`` and the built-in source ``air`` share one namespace,
  so ``source: x`` or ``sink: x`` is never ambiguous;
- *units*: unit names are unique among units;
- *fuels*: the keys of ``fuels``, and ``biogas`` (burnt from the biogas bus) when the scenario
  has a ``biogas`` section.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from restvarme.errors import Problem
from restvarme.scenario.base import BIOGAS_FUEL
from restvarme.scenario.schema import Scenario
from restvarme.units.absorption_chiller import AbsorptionChiller
from restvarme.units.battery import Battery
from restvarme.units.biogas_storage import BiogasStorage
from restvarme.units.biogas_upgrading import BiogasUpgrading
from restvarme.units.chiller import Chiller
from restvarme.units.cold_storage import ColdStorage
from restvarme.units.electrolyser import Electrolyser
from restvarme.units.free_cooling import FreeCooling
from restvarme.units.fuel_cell import FuelCell
from restvarme.units.heat_exchanger import HeatExchanger
from restvarme.units.heat_pump import HeatPump
from restvarme.units.heat_recovery_heat_pump import HeatRecoveryHeatPump
from restvarme.units.hydrogen_storage import HydrogenStorage
from restvarme.units.renewable import Renewable

AIR = "air"
"""Built-in heat source: outdoor air at the location's outdoor temperature."""


def check_references(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem of ``scenario``, as problems located by key path."""
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(scenario)
    return problems


def unit_names_unique(scenario: Scenario) -> list[Problem]:
    """Two units may not share a name (results and reports are keyed by it)."""
    first: dict[str, int] = {}
    problems = []
    for i, unit in enumerate(scenario.units):
        if unit.name in first:
            message = f"unit name {unit.name!r} is already used by units[{first[unit.name]}]"
            problems.append(Problem(message, ("units", i, "name")))
        else:
            first[unit.name] = i
    return problems


def place_names_unique(scenario: Scenario) -> list[Problem]:
    """Networks, waste-heat and ambient sources share one namespace; ``air`` is built in."""
    owner: dict[str, str] = {}
    problems = []
    for section, names in _places(scenario):
        for name in names:
            if name == AIR:
                message = f"{AIR!r} is the built-in outdoor-air source; choose another name"
                problems.append(Problem(message, (section, name)))
            elif name in owner:
                message = (
                    f"name {name!r} is also used in `{owner[name]}`; networks, waste_heat and "
                    "ambient sources need distinct names"
                )
                problems.append(Problem(message, (section, name)))
            else:
                owner[name] = section
    return problems


def sinks_are_networks(scenario: Scenario) -> list[Problem]:
    """Every unit's ``sink`` (or a storage's ``network``) names a defined network."""
    problems = []
    for i, unit in enumerate(scenario.units):
        if isinstance(unit, COOLING_UNITS + HYDROGEN_UNITS + ELECTRICITY_UNITS + BIOGAS_UNITS):
            continue
        key = "network" if unit.type == "storage" else "sink"
        name = getattr(unit, key)
        if name not in scenario.networks:
            problems.append(
                _unknown(name, scenario.networks, "network", ("units", i, key), unit.name)
            )
    return problems


def fuels_defined(scenario: Scenario) -> list[Problem]:
    """Every ``fuel`` of a boiler or CHP is a key of ``fuels`` (``biogas``: see
    :func:`biogas_references`)."""
    problems = []
    for i, unit in enumerate(scenario.units):
        fuel = getattr(unit, "fuel", None)
        if fuel is not None and fuel not in scenario.fuels and fuel != BIOGAS_FUEL:
            problems.append(_unknown(fuel, scenario.fuels, "fuel", ("units", i, "fuel"), unit.name))
    return problems


def heat_pump_sources_exist(scenario: Scenario) -> list[Problem]:
    """A heat pump lifts heat from a waste_heat source, an ambient source or ``air``."""
    valid = [*scenario.waste_heat, *scenario.ambient, AIR]
    problems = []
    for i, unit in enumerate(scenario.units):
        if isinstance(unit, HeatPump) and unit.source not in valid:
            path = ("units", i, "source")
            problems.append(_unknown(unit.source, valid, "heat source", path, unit.name))
    return problems


def heat_exchanger_sources_are_waste_heat(scenario: Scenario) -> list[Problem]:
    """Direct use needs a waste_heat source: ambient heat (and air) is too cold without a pump."""
    problems = []
    for i, unit in enumerate(scenario.units):
        if not isinstance(unit, HeatExchanger) or unit.source in scenario.waste_heat:
            continue
        path = ("units", i, "source")
        if unit.source in scenario.ambient or unit.source == AIR:
            message = (
                f"heat exchanger {unit.name!r} takes from {unit.source!r}, which is not a "
                "waste_heat source; ambient heat needs a heat_pump"
            )
            problems.append(Problem(message, path))
        else:
            problems.append(
                _unknown(unit.source, scenario.waste_heat, "waste_heat source", path, unit.name)
            )
    return problems


def waste_heat_has_route(scenario: Scenario) -> list[Problem]:
    """Each waste_heat source feeds at least one heat exchanger or heat pump."""
    used = {
        u.source
        for u in scenario.units
        if isinstance(u, HeatExchanger | HeatPump | AbsorptionChiller)
    }
    return [
        Problem(
            f"waste heat source {name!r} has no route to any network; add a heat_exchanger or "
            f"heat_pump with `source: {name}`",
            ("waste_heat", name),
        )
        for name in scenario.waste_heat
        if name not in used
    ]


COOLING_UNITS = (Chiller, FreeCooling, AbsorptionChiller, ColdStorage, HeatRecoveryHeatPump)


def cooling_references(scenario: Scenario) -> list[Problem]:
    """Cooling units name a cooling network they serve, and what drives or cools them: a
    chiller's ``condenser`` and free cooling's ``source`` are ambient sources or ``air``; an
    absorption chiller's ``source`` is a heat network or a waste_heat source; a heat-recovery
    heat pump's ``heat_network`` is a heat network."""
    cooling, heat = list(scenario.cooling_networks), list(scenario.networks)
    ambient = [*scenario.ambient, AIR]
    rules = {  # unit type -> (key, valid names, what they are)
        Chiller: (("sink", cooling, "cooling network"), ("condenser", ambient, "ambient source")),
        FreeCooling: (("sink", cooling, "cooling network"), ("source", ambient, "ambient source")),
        AbsorptionChiller: (
            ("sink", cooling, "cooling network"),
            ("source", [*heat, *scenario.waste_heat], "heat network or waste_heat source"),
        ),
        ColdStorage: (("network", cooling, "cooling network"),),
        HeatRecoveryHeatPump: (
            ("cooling_network", cooling, "cooling network"),
            ("heat_network", heat, "heat network"),
        ),
    }
    problems = []
    for i, unit in enumerate(scenario.units):
        for key, valid, what in rules.get(type(unit), ()):
            name = getattr(unit, key)
            if name not in valid:
                problems.append(_unknown(name, valid, what, ("units", i, key), unit.name))
    return problems


HYDROGEN_UNITS = (Electrolyser, HydrogenStorage)


def hydrogen_references(scenario: Scenario) -> list[Problem]:
    """Hydrogen units need the ``hydrogen`` section (their bus); an electrolyser's
    ``waste_heat`` names a waste_heat source."""
    problems = []
    for i, unit in enumerate(scenario.units):
        if isinstance(unit, HYDROGEN_UNITS) and scenario.hydrogen is None:
            problems.append(
                Problem(
                    f"{unit.type} {unit.name!r} needs a hydrogen bus; add a `hydrogen:` section "
                    "with `demand_mw`",
                    ("units", i, "type"),
                )
            )
        if isinstance(unit, Electrolyser) and unit.waste_heat not in scenario.waste_heat:
            path = ("units", i, "waste_heat")
            problems.append(
                _unknown(unit.waste_heat, scenario.waste_heat, "waste_heat source", path, unit.name)
            )
    return problems


ELECTRICITY_UNITS = (Battery, Renewable, FuelCell)


def fuel_cell_references(scenario: Scenario) -> list[Problem]:
    """A fuel cell draws from the hydrogen bus, so it needs the ``hydrogen`` section; its
    ``sink`` (if any) names a heat network."""
    problems = []
    for i, unit in enumerate(scenario.units):
        if not isinstance(unit, FuelCell):
            continue
        if scenario.hydrogen is None:
            message = (
                f"fuel_cell {unit.name!r} needs a hydrogen bus to draw from; add a "
                "`hydrogen:` section (with `import_price_eur_per_mwh`, or electrolysers)"
            )
            problems.append(Problem(message, ("units", i, "type")))
        if unit.sink is not None and unit.sink not in scenario.networks:
            problems.append(
                _unknown(unit.sink, scenario.networks, "network", ("units", i, "sink"), unit.name)
            )
    return problems


BIOGAS_UNITS = (BiogasUpgrading, BiogasStorage)


def biogas_references(scenario: Scenario) -> list[Problem]:
    """Biogas units, and boilers and CHPs whose ``fuel`` is ``biogas``, need the ``biogas``
    section (their bus) unless ``fuels`` defines a purchasable ``biogas``; ``fuels`` may not also
    define ``biogas`` when the bus exists (which one would a unit burn?)."""
    problems = []
    has_bus = scenario.biogas is not None
    if has_bus and BIOGAS_FUEL in scenario.fuels:
        problems.append(
            Problem(
                f"fuel {BIOGAS_FUEL!r} is also the biogas bus (section `biogas`); rename the fuel "
                "(e.g. `biogas_bought`) or drop it",
                ("fuels", BIOGAS_FUEL),
            )
        )
    for i, unit in enumerate(scenario.units):
        if isinstance(unit, BIOGAS_UNITS) and not has_bus:
            problems.append(
                Problem(
                    f"{unit.type} {unit.name!r} needs a biogas bus; add a `biogas:` section with "
                    "`plants`",
                    ("units", i, "type"),
                )
            )
        burns = getattr(unit, "fuel", None) == BIOGAS_FUEL
        if burns and not has_bus and BIOGAS_FUEL not in scenario.fuels:
            problems.append(
                Problem(
                    f"unit {unit.name!r} burns biogas but the scenario has no `biogas` section; "
                    "add one (biogas plants feeding the bus) or a fuel named `biogas` under "
                    "`fuels`",
                    ("units", i, "fuel"),
                )
            )
    return problems


def fleet_references(scenario: Scenario) -> list[Problem]:
    """Electric fleets charge from the electricity bus (always there); hydrogen fleets need the
    ``hydrogen`` section, biogas fleets the ``biogas`` section, and diesel and petrol fleets
    buy their ``fuel`` (default: the drive's name) from ``fuels``."""
    problems = []
    for name, fleet in scenario.fleets.items():
        if fleet.drive == "hydrogen" and scenario.hydrogen is None:
            problems.append(
                Problem(
                    f"hydrogen fleet {name!r} needs a hydrogen bus; add a `hydrogen:` section",
                    ("fleets", name, "drive"),
                )
            )
        if fleet.drive == "biogas" and scenario.biogas is None:
            problems.append(
                Problem(
                    f"biogas fleet {name!r} needs a biogas bus (its vehicle gas); add a `biogas:` "
                    "section",
                    ("fleets", name, "drive"),
                )
            )
        fuel = fleet.fuel_name
        if fuel is not None and fuel not in scenario.fuels:
            key = "fuel" if fleet.fuel is not None else "drive"
            problems.append(_unknown(fuel, scenario.fuels, "fuel", ("fleets", name, key), None))
    return problems


def climate_known(scenario: Scenario) -> list[Problem]:
    """``location.climate`` names a built-in climate (skipped if the weather module is absent)."""
    climate = scenario.location.climate
    if climate is None:
        return []
    try:
        from restvarme.inputs.weather import climate_names
    except ImportError:
        return []
    names = sorted(climate_names())
    if climate.strip().lower() in {n.lower() for n in names}:  # looked up case-insensitively
        return []
    return [_unknown(climate, names, "built-in climate", ("location", "climate"), None)]


RULES: tuple[Callable[[Scenario], list[Problem]], ...] = (
    unit_names_unique,
    place_names_unique,
    sinks_are_networks,
    fuels_defined,
    heat_pump_sources_exist,
    heat_exchanger_sources_are_waste_heat,
    waste_heat_has_route,
    cooling_references,
    hydrogen_references,
    fuel_cell_references,
    biogas_references,
    fleet_references,
    climate_known,
)
"""The rules :func:`check_references` runs, in order."""


def _places(scenario: Scenario) -> list[tuple[str, Iterable[str]]]:
    return [
        ("networks", scenario.networks),
        ("cooling_networks", scenario.cooling_networks),
        ("waste_heat", scenario.waste_heat),
        ("ambient", scenario.ambient),
    ]


def _unknown(
    name: str, valid: Iterable[str], what: str, path: tuple[str | int, ...], unit: str | None
) -> Problem:
    """``name`` is not one of ``valid``: say so, list the valid ones, suggest the nearest."""
    valid = list(dict.fromkeys(valid))
    message = f"unknown {what} {name!r}"
    if unit is not None:
        message += f" in unit {unit!r}"
    message += f"; valid: {', '.join(valid)}" if valid else f"; no {what} is defined"
    matches = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return Problem(message, path, suggestion=matches[0] if matches else None)
