"""Capacity groups and electricity connections: the scenario sections that couple units.

* ``capacity_groups``: units (of one type or several) whose combined output, or input, is
  limited per hour by one capacity, which may be extended as one investment (the keys of a
  unit's ``expansion``). The documented example is one heat-pump station taking heat from
  several sources, each unit its own source and hourly COP, within one machine's output.
* ``electricity.connections``: named connection points to the grid, each behind its own meter
  with its own fee per MWh bought, an optional fee per MW of the year's peak import, import and
  export limits, and the rule its grid emissions are counted by (``net`` exchange or ``gross``
  use of the units behind it). Units not listed on any connection are behind the main
  connection, which the keys of ``electricity`` describe as before.

The cross-reference rules (:data:`GROUP_RULES`) are run with the scenario's other rules by
:func:`restvarme.scenario.references.check_references`; each returns problems located by key
path. Whether a unit's ports have a flow in its group's direction is only known once the model
is built (:mod:`restvarme.model.groups` reports it with the same key path).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from restvarme.errors import Problem
from restvarme.scenario.base import Expansion, Name, NonNegative, _Strict

if TYPE_CHECKING:
    from restvarme.scenario.schema import Scenario

__all__ = ["GROUP_RULES", "CapacityGroup", "Connection"]

OUTPUT_CARRIERS = ("heat", "cooling")
"""What a group of ``direction: output`` limits: heat and cooling delivered (the positive part of
the units' heat and cooling ports, restvarme.units.ports)."""
INPUT_CARRIERS = ("electricity", "fuel", "source_heat")
"""What a group of ``direction: input`` limits: electricity used (the negative part of the
electricity port), fuel burnt and source heat drawn."""


class CapacityGroup(_Strict):
    """Units whose combined output (or input) is limited by one capacity, per hour [MW]:
    Σ_u∈group flow[t,u] <= capacity_mw + new capacity."""

    units: list[Name] = Field(min_length=1, description="The units sharing the capacity.")
    direction: Literal["output", "input"] = Field(
        "output",
        description="output: heat and cooling delivered; input: electricity used, fuel burnt "
        "and source heat drawn.",
    )
    carrier: Literal["heat", "cooling", "electricity", "fuel", "source_heat"] | None = Field(
        None, description="Limit only this carrier of the direction (default: all of them)."
    )
    capacity_mw: NonNegative = Field(0.0, description="Existing shared capacity [MW].")
    expansion: Expansion | None = Field(
        None, description="Make the shared capacity extendable, as one investment [per MW]."
    )
    description: str = ""

    @property
    def carriers(self) -> tuple[str, ...]:
        """The port carriers the group limits."""
        if self.carrier is not None:
            return (self.carrier,)
        return OUTPUT_CARRIERS if self.direction == "output" else INPUT_CARRIERS


class Connection(_Strict):
    """A connection point to the electricity grid with its own meter, fees, limits and rule.

    The units listed exchange electricity with the grid through it only: per hour,
    ``import - export + Σ_u electricity of u = 0`` (their own generation is used behind the
    meter first).
    """

    units: list[Name] = Field(description="The units behind this connection's meter.")
    fee_eur_per_mwh: NonNegative = Field(0.0, description="Fee on electricity bought [EUR/MWh].")
    peak_fee_eur_per_mw: NonNegative = Field(
        0.0, description="Fee per MW of the year's peak import [EUR/MW/yr]."
    )
    import_capacity_mw: NonNegative | None = Field(None, description="Import limit [MW].")
    export_capacity_mw: NonNegative | None = Field(None, description="Export limit [MW].")
    emission_rule: Literal["net", "gross"] = Field(
        "net",
        description="net: grid emissions on the electricity bought; gross: on all the "
        "electricity the units behind the meter use, not netted against their generation.",
    )
    description: str = ""


def _unit_names(scenario: Scenario) -> list[str]:
    return [u.name for u in scenario.units]


def _unknown_unit(name: str, names: list[str], path: tuple[str | int, ...]) -> Problem:
    match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    valid = ", ".join(names) if names else "no unit is defined"
    return Problem(
        f"unknown unit {name!r}; expected the name of a unit under `units` (valid: {valid})",
        path,
        suggestion=match[0] if match else None,
    )


def group_units_known(scenario: Scenario) -> list[Problem]:
    """Every unit a capacity group names is a unit of the scenario, named once in the group."""
    names, problems = _unit_names(scenario), []
    for group, spec in scenario.capacity_groups.items():
        seen: set[str] = set()
        for i, unit in enumerate(spec.units):
            path: tuple[str | int, ...] = ("capacity_groups", group, "units", i)
            if unit not in names:
                problems.append(_unknown_unit(unit, names, path))
            elif unit in seen:
                problems.append(Problem(f"unit {unit!r} is listed twice in the group", path))
            seen.add(unit)
    return problems


def one_group_per_direction(scenario: Scenario) -> list[Problem]:
    """A unit is in at most one group per direction and carrier (two limits on the same flow
    would be two groups' capacities competing for one unit: join them into one group)."""
    first: dict[tuple[str, str], str] = {}
    problems = []
    for group, spec in scenario.capacity_groups.items():
        for i, unit in enumerate(dict.fromkeys(spec.units)):
            for carrier in spec.carriers:
                key = (unit, carrier)
                if key in first and first[key] != group:
                    problems.append(
                        Problem(
                            f"unit {unit!r} is already in capacity group {first[key]!r} for its "
                            f"{spec.direction} ({carrier}); a unit may be in one group per "
                            "direction: merge the two groups or list the unit in one of them",
                            ("capacity_groups", group, "units", i),
                        )
                    )
                    break
                first.setdefault(key, group)
    return problems


def carrier_matches_direction(scenario: Scenario) -> list[Problem]:
    """A group's ``carrier`` is one of its direction's carriers."""
    problems = []
    for group, spec in scenario.capacity_groups.items():
        allowed = OUTPUT_CARRIERS if spec.direction == "output" else INPUT_CARRIERS
        if spec.carrier is not None and spec.carrier not in allowed:
            problems.append(
                Problem(
                    f"carrier {spec.carrier!r} is not an {spec.direction} of a unit; expected "
                    f"one of {', '.join(allowed)} (or change `direction`)",
                    ("capacity_groups", group, "carrier"),
                )
            )
    return problems


def connection_units_known(scenario: Scenario) -> list[Problem]:
    """Every unit a connection names is a unit of the scenario; a unit is behind one connection
    only; a connection has units behind it (one nobody uses is a mistake: its fee and rule
    would apply to nothing)."""
    names, problems = _unit_names(scenario), []
    owner: dict[str, str] = {}
    for conn, spec in scenario.electricity.connections.items():
        base: tuple[str | int, ...] = ("electricity", "connections", conn)
        if not spec.units:
            problems.append(
                Problem(
                    f"connection {conn!r} has no units behind it; list the units it supplies "
                    "under `units`, or remove the connection",
                    (*base, "units"),
                )
            )
        for i, unit in enumerate(spec.units):
            path = (*base, "units", i)
            if unit not in names:
                problems.append(_unknown_unit(unit, names, path))
            elif unit in owner:
                problems.append(
                    Problem(
                        f"unit {unit!r} is already behind connection {owner[unit]!r}; a unit is "
                        "behind one meter",
                        path,
                    )
                )
            else:
                owner[unit] = conn
    return problems


GROUP_RULES: tuple[Callable[[Scenario], list[Problem]], ...] = (
    group_units_known,
    carrier_matches_direction,
    one_group_per_direction,
    connection_units_known,
)
"""The rules of this module, run by :func:`restvarme.scenario.references.check_references`."""
