"""Heat networks and the heat they draw on: demand, supply temperature, waste-heat streams
and ambient sources."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

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


class NetworkHeatLoss(_Strict):
    """Heat lost by a network's pipes each hour, from its temperatures:
    ``UA · max(0, (supply + return) / 2 - ground)`` [MW]
    (:func:`restvarme.physics.losses.network_heat_loss_mw`).

    UA [MW/K] is given in exactly one of three ways: directly
    (``heat_loss_coefficient_mw_per_k``); from the trench length and a loss coefficient per
    trench metre (``trench_length_km`` and ``loss_coefficient_w_per_m_k``); or calibrated to a
    stated loss over the modelled hours (``annual_loss_gwh`` or ``loss_share_of_supply``), at
    the modelled mean water temperature or at ``calibration_mean_temperature_c``.
    """

    ground_temperature_c: Series = Field(
        description="Undisturbed ground temperature at pipe depth [°C]; about the annual mean "
        "air temperature."
    )
    heat_loss_coefficient_mw_per_k: NonNegative | None = Field(
        None, description="The network's UA [MW/K]."
    )
    trench_length_km: NonNegative | None = Field(None, description="Trench length [km].")
    loss_coefficient_w_per_m_k: NonNegative | None = Field(
        None,
        description="Heat loss per trench metre and kelvin, supply and return pipe together "
        "[W/(m·K)].",
    )
    annual_loss_gwh: NonNegative | None = Field(
        None, description="A stated loss per year to calibrate UA to [GWh/yr]."
    )
    loss_share_of_supply: Annotated[float, Field(ge=0, lt=1)] | None = Field(
        None,
        description="A stated loss as a share of the heat fed in (delivered + lost) to "
        "calibrate UA to [-].",
    )
    calibration_mean_temperature_c: float | None = Field(
        None,
        description="Mean water temperature (supply + return) / 2 at which the stated loss "
        "holds, averaged over the year [°C]; default: the modelled hours' mean.",
    )

    @model_validator(mode="after")
    def _one_way(self) -> NetworkHeatLoss:
        length, per_metre = self.trench_length_km, self.loss_coefficient_w_per_m_k
        if (length is None) != (per_metre is None):
            raise ValueError(
                "give trench_length_km and loss_coefficient_w_per_m_k together (UA = length × "
                "coefficient)"
            )
        ways = [
            self.heat_loss_coefficient_mw_per_k is not None,
            length is not None,
            self.annual_loss_gwh is not None,
            self.loss_share_of_supply is not None,
        ]
        if sum(ways) != 1:
            raise ValueError(
                "give exactly one of heat_loss_coefficient_mw_per_k, trench_length_km with "
                "loss_coefficient_w_per_m_k, annual_loss_gwh or loss_share_of_supply"
            )
        calibrated = self.annual_loss_gwh is not None or self.loss_share_of_supply is not None
        if self.calibration_mean_temperature_c is not None and not calibrated:
            raise ValueError(
                "calibration_mean_temperature_c only applies with annual_loss_gwh or "
                "loss_share_of_supply"
            )
        return self


class HeatNetwork(_Strict):
    """A district heating network: one heat bus with its own temperatures.

    Its load is the customers' demand plus the network's heat loss: a fixed share of the demand
    (``heat_loss_share``) or a loss from the temperatures (``heat_loss``), not both.
    """

    supply_temperature_c: float | str | SeriesFile | TemperatureCurve = Field(
        description="Supply temperature [°C]: constant, series, or a curve over outdoor "
        "temperature."
    )
    return_temperature_c: Series = Field(description="Return temperature [°C].")
    demand: Demand
    heat_loss_share: Fraction = Field(
        0.0, description="Network heat losses as a share of delivered heat, added to the demand."
    )
    heat_loss: NetworkHeatLoss | None = Field(
        None, description="Network heat losses from the temperatures; replaces heat_loss_share."
    )

    @model_validator(mode="after")
    def _supply_above_return(self) -> HeatNetwork:
        sup, ret = self.supply_temperature_c, self.return_temperature_c
        if isinstance(sup, float | int) and isinstance(ret, float | int) and sup <= ret:
            raise ValueError("supply_temperature_c must be above return_temperature_c")
        return self

    @model_validator(mode="after")
    def _one_loss_model(self) -> HeatNetwork:
        if self.heat_loss is not None and "heat_loss_share" in self.model_fields_set:
            raise ValueError(
                "give either heat_loss_share (losses as a fixed share of the demand) or "
                "heat_loss (losses from the temperatures), not both"
            )
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
