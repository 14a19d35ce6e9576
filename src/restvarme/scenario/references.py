"""Cross-reference checks of a scenario: the rules a per-key schema cannot express.

One small function per rule, each returning the problems it finds with the key path of the
offending entry (no file, no line: :func:`~restvarme.scenario.load.load_scenario` fills those in).
:func:`check_references` runs them all, in the order of :data:`RULES`.

What a unit must name is declared by its unit type, not here: each
:class:`~restvarme.units.unit_type.UnitType` lists its ``references`` (a key of its spec and what
it must name, :class:`~restvarme.units.unit_type.Reference`) and the sections it ``requires``
(its bus, :class:`~restvarme.units.unit_type.Requires`); :func:`unit_references` checks them for
every unit over the registry. The rules here that name no unit type are about the scenario's
own sections (unique names, fleets, the climate).

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
from restvarme.scenario.base import BIOGAS_FUEL, _Unit
from restvarme.scenario.groups import GROUP_RULES
from restvarme.scenario.schema import Scenario
from restvarme.units._commitment import commitment_in_pathway
from restvarme.units.registry import unit_type_of
from restvarme.units.unit_type import Reference

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


_TARGETS: dict[str, tuple[Callable[[Scenario], list[str]], str]] = {
    "network": (lambda sc: [*sc.networks], "network"),
    "heat_network": (lambda sc: [*sc.networks], "heat network"),
    "cooling_network": (lambda sc: [*sc.cooling_networks], "cooling network"),
    "waste_heat": (lambda sc: [*sc.waste_heat], "waste_heat source"),
    "heat_source": (lambda sc: [*sc.waste_heat, *sc.ambient, AIR], "heat source"),
    "ambient": (lambda sc: [*sc.ambient, AIR], "ambient source"),
    "driving_heat": (
        lambda sc: [*sc.networks, *sc.waste_heat],
        "heat network or waste_heat source",
    ),
    "fuel": (lambda sc: [*sc.fuels], "fuel"),
}
"""What a :class:`~restvarme.units.unit_type.Reference` may name (its ``to``): the valid names
in a scenario, and how an error calls them."""

_SECTION_MESSAGES = {
    "hydrogen": "{type} {name!r} needs a hydrogen bus; add a `hydrogen:` section with `demand_mw`",
    "biogas": "{type} {name!r} needs a biogas bus; add a `biogas:` section with `plants`",
}
"""The error of a unit whose type requires a missing section, unless the type gives its own."""


def unit_references(scenario: Scenario) -> list[Problem]:
    """Every unit's references and required sections, as its unit type declares them
    (:attr:`~restvarme.units.unit_type.UnitType.references` and ``requires``), unit by unit:

    - a required section (``hydrogen``, ``biogas``: the unit's bus) must be present;
    - each reference must name one of what it refers to (a network, a cooling network, a
      waste_heat or ambient source, ``air``, a fuel), or it is an unknown name with the valid
      ones listed and the nearest suggested; a unit that takes heat from where only waste heat
      may be named is told that ambient heat needs a heat pump;
    - a ``fuel`` of ``biogas`` is burnt from the biogas bus: without a ``biogas`` section it
      must be a key of ``fuels``.
    """
    problems: list[Problem] = []
    for i, unit in enumerate(scenario.units):
        unit_type = unit_type_of(unit.type)
        if unit_type is None:
            continue
        for need in unit_type.requires:
            if getattr(scenario, need.section) is None:
                message = need.message or _SECTION_MESSAGES[need.section]
                problems.append(
                    Problem(message.format(type=unit.type, name=unit.name), ("units", i, "type"))
                )
        for ref in unit_type.references:
            name = getattr(unit, ref.key)
            if name is not None:
                problems += _reference(scenario, unit, ref, name, ("units", i, ref.key))
    return problems


def _reference(
    scenario: Scenario, unit: _Unit, ref: Reference, name: str, path: tuple[str | int, ...]
) -> list[Problem]:
    """The problems of one reference ``ref`` of ``unit``, naming ``name``."""
    valid_of, what = _TARGETS[ref.to]
    valid = valid_of(scenario)
    if ref.to == "fuel" and name == BIOGAS_FUEL:
        if scenario.biogas is None and BIOGAS_FUEL not in scenario.fuels:
            message = (
                f"unit {unit.name!r} burns biogas but the scenario has no `biogas` section; "
                "add one (biogas plants feeding the bus) or a fuel named `biogas` under `fuels`"
            )
            return [Problem(message, path)]
        return []
    if name in valid:
        return []
    if ref.to == "waste_heat" and ref.takes_heat and (name in scenario.ambient or name == AIR):
        message = (
            f"{unit.type.replace('_', ' ')} {unit.name!r} takes from {name!r}, which is not a "
            "waste_heat source; ambient heat needs a heat_pump"
        )
        return [Problem(message, path)]
    return [_unknown(name, valid, what, path, unit.name)]


def waste_heat_has_route(scenario: Scenario) -> list[Problem]:
    """Each waste_heat source feeds at least one unit that takes heat from it (a heat exchanger,
    a heat pump, an absorption chiller: a reference with ``takes_heat``)."""
    used = set()
    for unit in scenario.units:
        unit_type = unit_type_of(unit.type)
        for ref in unit_type.references if unit_type is not None else ():
            if ref.takes_heat:
                used.add(getattr(unit, ref.key))
    return [
        Problem(
            f"waste heat source {name!r} has no route to any network; add a heat_exchanger or "
            f"heat_pump with `source: {name}`",
            ("waste_heat", name),
        )
        for name in scenario.waste_heat
        if name not in used
    ]


def biogas_fuel_is_the_bus(scenario: Scenario) -> list[Problem]:
    """With a ``biogas`` section, ``biogas`` is the bus's fuel: ``fuels`` may not also define
    ``biogas`` (which one would a unit burn?)."""
    if scenario.biogas is None or BIOGAS_FUEL not in scenario.fuels:
        return []
    return [
        Problem(
            f"fuel {BIOGAS_FUEL!r} is also the biogas bus (section `biogas`); rename the fuel "
            "(e.g. `biogas_bought`) or drop it",
            ("fuels", BIOGAS_FUEL),
        )
    ]


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


def groups_and_connections(scenario: Scenario) -> list[Problem]:
    """The rules of capacity groups and electricity connections
    (:data:`restvarme.scenario.groups.GROUP_RULES`): units named exist, one group per unit and
    direction, a group's carrier fits its direction, a unit behind one meter, no empty meter."""
    problems: list[Problem] = []
    for rule in GROUP_RULES:
        problems += rule(scenario)
    return problems


def commitment_where_modelled(scenario: Scenario) -> list[Problem]:
    """Unit commitment only in one-year scenarios: a ``commitment`` block (or a period change to
    one) in a pathway is refused at its key path (the unit type's rule,
    :func:`restvarme.units._commitment.commitment_in_pathway`)."""
    return commitment_in_pathway(scenario)


RULES: tuple[Callable[[Scenario], list[Problem]], ...] = (
    unit_names_unique,
    place_names_unique,
    unit_references,
    waste_heat_has_route,
    biogas_fuel_is_the_bus,
    fleet_references,
    climate_known,
    groups_and_connections,
    commitment_where_modelled,
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
