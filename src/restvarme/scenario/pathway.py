"""Pathways: investment periods planned together or one after another."""

from __future__ import annotations

import copy
import itertools
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from restvarme.scenario.base import _Strict


class Period(_Strict):
    """One investment period of a pathway and what changes in it."""

    year: int = Field(ge=1900, le=2200)
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="Dotted key paths and new values, e.g. `waste_heat.ess_28c.available_mw: 8` "
        "or `units.ortofta_chp.capacity_mw: 0`; units are addressed by name.",
    )


class Pathway(_Strict):
    """Investment periods planned together (perfect foresight) or one after another (myopic)."""

    periods: list[Period] = Field(min_length=1)
    base_year: int | None = Field(
        None, description="Year costs are discounted to (default: first)."
    )
    last_period_years: Annotated[int, Field(gt=0)] | None = Field(
        None, description="Years the last period stands for (default: the gap before it)."
    )
    foresight: Literal["perfect", "myopic"] = "perfect"

    @model_validator(mode="after")
    def _increasing(self) -> Pathway:
        years = [p.year for p in self.periods]
        if any(b <= a for a, b in itertools.pairwise(years)):
            raise ValueError("period years must be strictly increasing")
        if self.base_year is not None and self.base_year > years[0]:
            raise ValueError(
                f"`base_year` {self.base_year} is after the first period ({years[0]}); costs are "
                "discounted to the base year, so it must be the first period's year or before"
            )
        return self


class ChangeKeyError(KeyError):
    """A period's change names a key that does not exist: ``prefix`` (dotted, as far as it
    goes) and the keys (or unit names) that do exist there."""

    def __init__(self, prefix: str, options: list[str]):
        super().__init__(prefix)
        self.prefix = prefix
        self.options = options


def apply_change(data: dict, dotted: str, value: Any) -> tuple[str | int, ...]:
    """Set ``dotted`` (a period's change key) to ``value`` in the scenario mapping ``data``, in
    place; return the key path it set (units by index).

    ``units.<name>.<key>`` addresses a unit by its name; every other segment is a mapping key;
    a missing mapping just above the last key is created (``targets.neutral`` without a
    ``targets`` section). Raises :class:`ChangeKeyError` (a ``KeyError``) naming the first
    segment that does not exist.
    """
    parts = dotted.split(".")
    path: list[str | int] = []
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        if isinstance(node, list):  # units, by name
            match = [j for j, u in enumerate(node) if isinstance(u, dict) and u.get("name") == part]
            if not match:
                names = [str(u.get("name")) for u in node if isinstance(u, dict)]
                raise ChangeKeyError(".".join(parts[: i + 1]), names)
            path.append(match[0])
            node = node[match[0]]
        elif isinstance(node, dict) and part in node and node[part] is not None:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and i == len(parts) - 2 and parts[-1]:
            path.append(part)
            node = node.setdefault(part, {})
        else:
            options = [str(k) for k in node] if isinstance(node, dict) else []
            raise ChangeKeyError(".".join(parts[: i + 1]), options)
    if not isinstance(node, dict):
        raise ChangeKeyError(dotted, [])
    node[parts[-1]] = value
    return (*path, parts[-1])


def apply_changes(data: dict, changes: dict[str, Any]) -> dict:
    """A deep copy of a scenario mapping with a period's dotted-path changes applied (see
    :func:`apply_change`). Raises ``KeyError`` naming the first segment that does not exist."""
    out = copy.deepcopy(data)
    for dotted, value in changes.items():
        apply_change(out, dotted, value)
    return out
