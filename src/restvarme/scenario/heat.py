"""Heat networks and the heat they draw on: demand, supply temperature, waste-heat streams
and ambient sources."""

from __future__ import annotations

import itertools
from typing import Literal

from pydantic import Field, model_validator

from restvarme.scenario.base import DateTime, Fraction, NonNegative, Series, SeriesFile, _Strict


class TemperatureCurve(_Strict):
    """Piecewise-linear curve of network supply temperature over outdoor temperature.

    Points are ``[outdoor_temperature_c, supply_temperature_c]``; outside the first and last point
    the curve is held flat (the usual practice for a weather-compensated supply temperature).
    """

    curve: list[tuple[float, float]] = Field(min_length=2)

    @model_validator(mode="after")
    def _increasing_outdoor(self) -> TemperatureCurve:
        xs = [p[0] for p in self.curve]
        if any(b <= a for a, b in itertools.pairwise(xs)):
            raise ValueError("curve points must have strictly increasing outdoor temperatures")
        return self


class Demand(_Strict):
    """Heat demand at the customers: an annual total with a profile method, or an hourly series."""

    annual_gwh: NonNegative | None = Field(None, description="Delivered heat per year [GWh].")
    profile: Literal["degree_hours", "bdew"] = Field(
        "degree_hours", description="How the annual total is spread over hours."
    )
    hot_water_share: Fraction = Field(0.15, description="Share of the annual total that is flat.")
    heating_limit_c: float = Field(
        15.0, description="Outdoor temperature above which no space heating is needed [°C]."
    )
    series_mw: Series | None = Field(None, description="Hourly demand [MW]; replaces the above.")

    @model_validator(mode="after")
    def _one_way(self) -> Demand:
        if (self.annual_gwh is None) == (self.series_mw is None):
            raise ValueError("give exactly one of `annual_gwh` or `series_mw`")
        return self


class HeatNetwork(_Strict):
    """A district heating network: one heat bus with its own temperatures."""

    supply_temperature_c: float | str | SeriesFile | TemperatureCurve = Field(
        description="Supply temperature [°C]: constant, series, or a curve over outdoor "
        "temperature."
    )
    return_temperature_c: Series = Field(description="Return temperature [°C].")
    demand: Demand
    heat_loss_share: Fraction = Field(
        0.0, description="Network heat losses as a share of delivered heat, added to the demand."
    )

    @model_validator(mode="after")
    def _supply_above_return(self) -> HeatNetwork:
        sup, ret = self.supply_temperature_c, self.return_temperature_c
        if isinstance(sup, float | int) and isinstance(ret, float | int) and sup <= ret:
            raise ValueError("supply_temperature_c must be above return_temperature_c")
        return self


class Outage(_Strict):
    """A period with no waste heat available (inclusive start, exclusive end)."""

    start: DateTime
    end: DateTime
    every_year: bool = Field(
        False, description="Repeat on the same dates in every modelled year (e.g. a summer stop)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Outage:
        if (self.start.utcoffset() is None) != (self.end.utcoffset() is None):
            return self  # one end with a UTC offset: a problem of its own (load.value_problems)
        if self.end <= self.start:
            raise ValueError("outage end must be after its start")
        return self


class WasteHeatSource(_Strict):
    """A stream of waste heat at a temperature: its own low-temperature bus.

    Two ways to give it:

    * **a stream** (with ``min_temperature_c`` or ``reference_temperature_c``): water (or any
      fluid) arriving at ``temperature_c`` with a heat capacity flow C [MW/K], given directly
      (``heat_capacity_flow_mw_per_k``) or as ``available_mw``, the heat it gives when cooled
      from ``temperature_c`` down to ``reference_temperature_c`` (default
      ``min_temperature_c``)::

          C[t] = available_mw[t] / (temperature_c[t] - reference_temperature_c)

      Each route cools it only as far as its own temperatures allow (a heat exchanger to the
      network's return plus its approach, a heat pump by its source cooling, never below
      ``min_temperature_c``): see :mod:`restvarme.model.streams`.
    * **a pool** (neither temperature given; the format before streams): ``available_mw`` MW
      that every route draws on alike, whatever temperature it cools the stream to.
    """

    available_mw: Series | None = Field(
        None,
        description="Heat that can be taken [MW]; for a stream, counted from temperature_c down "
        "to reference_temperature_c.",
    )
    heat_capacity_flow_mw_per_k: Series | None = Field(
        None,
        description="Heat capacity flow of the stream, mass flow times specific heat [MW/K]; "
        "instead of available_mw.",
    )
    temperature_c: Series = Field(description="Temperature at which it is offered [°C].")
    min_temperature_c: float | None = Field(
        None, description="Lowest temperature any route may cool the stream to [°C]."
    )
    reference_temperature_c: float | None = Field(
        None,
        description="Temperature available_mw is counted down to [°C]; default: min_temperature_c.",
    )
    price_eur_per_mwh: NonNegative = Field(0.0, description="Price paid per MWh taken.")
    emission_t_per_mwh: NonNegative = Field(
        0.0,
        description="Emissions charged per MWh taken (e.g. 0.011 for waste-incineration heat by "
        "one method); 0 treats recovered heat as free of burden.",
    )
    outages: list[Outage] = Field(default_factory=list)
    description: str = ""

    @property
    def is_stream(self) -> bool:
        """Whether it is a stream with temperatures (else one pool of ``available_mw``)."""
        return self.min_temperature_c is not None or self.reference_temperature_c is not None

    @property
    def counted_down_to_c(self) -> float | None:
        """The temperature its ``available_mw`` is counted down to [°C] (None for a pool)."""
        if self.reference_temperature_c is not None:
            return self.reference_temperature_c
        return self.min_temperature_c

    @model_validator(mode="after")
    def _one_way(self) -> WasteHeatSource:
        if self.available_mw is None and self.heat_capacity_flow_mw_per_k is None:
            raise ValueError(
                "give `available_mw` [MW] (or heat_capacity_flow_mw_per_k [MW/K] with a "
                "min_temperature_c or reference_temperature_c)"
            )
        if self.available_mw is not None and self.heat_capacity_flow_mw_per_k is not None:
            raise ValueError(
                "`heat_capacity_flow_mw_per_k` and available_mw both given; give one of them "
                "(available_mw is C times the cooling from temperature_c to "
                "reference_temperature_c)"
            )
        if self.heat_capacity_flow_mw_per_k is not None and not self.is_stream:
            raise ValueError(
                "`heat_capacity_flow_mw_per_k` needs min_temperature_c or "
                "reference_temperature_c: the temperature the stream's heat is counted down to"
            )
        t = self.temperature_c
        if isinstance(t, float | int):
            for key in ("reference_temperature_c", "min_temperature_c"):
                low = getattr(self, key)
                if low is not None and not low < t:
                    raise ValueError(
                        f"`{key}` ({low:g} °C) must be below temperature_c ({t:g} °C): the "
                        "stream is cooled from temperature_c down"
                    )
        return self


class AmbientSource(_Strict):
    """An unlimited ambient heat source (sea, lake, ground) with a temperature series."""

    temperature_c: Series = Field(description="Source temperature [°C].")
    description: str = ""
