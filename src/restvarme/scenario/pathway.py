"""Pathways: investment periods planned together or one after another."""

from __future__ import annotations

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
