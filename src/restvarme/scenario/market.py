"""What the city buys and sells: electricity at spot (with the local electricity demand on its
bus) and fuels."""

from __future__ import annotations

from pydantic import Field, model_validator

from restvarme.scenario.base import Name, NonNegative, Series, _Strict
from restvarme.scenario.groups import Connection


class ElectricityDemand(_Strict):
    """Local electricity demand on the city's electricity bus (buildings, industry): an annual
    total spread by a relative profile, or an hourly series."""

    annual_gwh: NonNegative | None = Field(None, description="Electricity per year [GWh].")
    profile: Series = Field(
        1.0, description="Relative hourly shape of the annual total [-]; constant: flat."
    )
    series_mw: Series | None = Field(None, description="Hourly demand [MW]; replaces the above.")

    @model_validator(mode="after")
    def _one_way(self) -> ElectricityDemand:
        if (self.annual_gwh is None) == (self.series_mw is None):
            raise ValueError("give exactly one of `annual_gwh` or `series_mw`")
        if self.series_mw is not None and self.profile != 1.0:
            raise ValueError("`profile` shapes `annual_gwh`; it does not apply to `series_mw`")
        return self


class Electricity(_Strict):
    """Connection to the electricity market."""

    price_eur_per_mwh: Series = Field(description="Spot price [EUR/MWh], constant or hourly.")
    grid_fee_eur_per_mwh: NonNegative = Field(0.0, description="Fee on bought electricity.")
    export_allowed: bool = Field(True, description="Whether electricity may be sold at spot.")
    emission_t_per_mwh: Series = Field(0.0, description="Emission factor of bought electricity.")
    import_capacity_mw: NonNegative | None = Field(None, description="Grid import limit [MW].")
    export_capacity_mw: NonNegative | None = Field(None, description="Grid export limit [MW].")
    demand: ElectricityDemand | None = Field(
        None, description="Local electricity demand met through the bus (default: none)."
    )
    connections: dict[Name, Connection] = Field(
        default_factory=dict,
        description="Further connection points, each with its units, fees, limits and emission "
        "rule (restvarme.scenario.groups); units on none are behind the main connection.",
    )


class Fuel(_Strict):
    """A purchasable fuel."""

    price_eur_per_mwh: Series = Field(description="Fuel price per MWh of fuel energy (LHV).")
    emission_t_per_mwh: NonNegative = Field(0.0, description="t CO2e per MWh of fuel (LHV).")
    renewable: bool = Field(False, description="Counted as renewable in indicators.")
