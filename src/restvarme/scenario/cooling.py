"""District cooling networks and their demand."""

from __future__ import annotations

from pydantic import Field, model_validator

from restvarme.scenario.base import Fraction, NonNegative, Series, _Strict


class CoolingDemand(_Strict):
    """Cooling demand at the customers: an annual total spread by cooling degree hours plus a flat
    base load, or an hourly series."""

    annual_gwh: NonNegative | None = Field(None, description="Delivered cooling per year [GWh].")
    base_load_share: Fraction = Field(
        0.3, description="Share of the annual total that is flat (process and IT cooling)."
    )
    cooling_limit_c: float = Field(
        18.0, description="Outdoor temperature above which space cooling is needed [°C]."
    )
    series_mw: Series | None = Field(None, description="Hourly demand [MW]; replaces the above.")

    @model_validator(mode="after")
    def _one_way(self) -> CoolingDemand:
        if (self.annual_gwh is None) == (self.series_mw is None):
            raise ValueError("give exactly one of `annual_gwh` or `series_mw`")
        return self


class CoolingNetwork(_Strict):
    """A district cooling network: one cooling bus with its own supply and return temperatures."""

    supply_temperature_c: Series = Field(description="Chilled-water supply temperature [°C].")
    return_temperature_c: Series = Field(description="Return temperature [°C], above the supply.")
    demand: CoolingDemand
    heat_gain_share: Fraction = Field(
        0.0, description="Heat the pipes gain, as a share of delivered cooling, added to demand."
    )

    @model_validator(mode="after")
    def _supply_below_return(self) -> CoolingNetwork:
        sup, ret = self.supply_temperature_c, self.return_temperature_c
        if isinstance(sup, float | int) and isinstance(ret, float | int) and sup >= ret:
            raise ValueError("supply_temperature_c must be below return_temperature_c")
        return self
