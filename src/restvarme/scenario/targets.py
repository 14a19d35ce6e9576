"""Targets a run must meet (emission cap, climate neutrality, waste-heat and renewable shares)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from restvarme.scenario.base import Fraction, NonNegative, _Strict


class Targets(_Strict):
    """Targets a run must meet; a target that cannot be met is reported with its shortfall."""

    emission_cap_t: NonNegative | None = Field(
        None,
        description="Emissions per year at most [t CO2e/yr]; a shorter horizon gets its share.",
    )
    neutral: bool = Field(
        False, description="Climate neutral: emissions at most `residual_emissions_t`."
    )
    residual_emissions_t: NonNegative = Field(
        0.0, description="Emissions left and compensated when `neutral` [t CO2e/yr]."
    )
    compensation: str = Field(
        "", description="How the residual is compensated (stated, not modelled)."
    )
    min_waste_heat_share: Fraction | None = Field(
        None, description="Share of delivered heat from waste heat at least [-]."
    )
    min_renewable_share: Fraction | None = Field(
        None,
        description="Share of delivered heat from renewable sources at least [-]: heat from "
        "renewable fuels, ambient heat lifted by heat pumps, and heat from electricity times "
        "`electricity_renewable_share`.",
    )
    electricity_renewable_share: Fraction = Field(
        0.0,
        description="Share of grid electricity counted renewable for `min_renewable_share` [-].",
    )
    shortfall_penalty_eur_per_t: Annotated[float, Field(gt=0)] = Field(
        10_000.0, description="Price of missing a target by one tonne (or MWh) in the optimum."
    )
