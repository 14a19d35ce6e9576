"""Pydantic models of a restvarme scenario file.

Every model forbids unknown keys, so a typo is an error that names its key path. Quantities carry
their unit in the key name (``capacity_mw``, ``price_eur_per_mwh``, ``temperature_c``).

A *series* value is either a constant number or a reference to a CSV file holding one value per
snapshot: a path string (``series/spot.csv``, relative to the scenario file) or a mapping
``{file: series/spot.csv, column: SE4, scale: 1.0}``. See ``docs/scenario.md`` for every key.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from restvarme.scenario.base import (
    BIOGAS_FUEL,
    Efficiency,
    Expansion,
    Fraction,
    NonNegative,
    Series,
    SeriesFile,
    StorageExpansion,
    _Store,
    _Strict,
    _Unit,
)

__all__ = [
    "BATTERY_EFFICIENCY",
    "BIOGAS_FUEL",
    "HYDROGEN_HEAT_LOSS_SHARE",
    "NATURAL_GAS_EMISSION_T_PER_MWH",
    "AbsorptionChiller",
    "AmbientSource",
    "Battery",
    "Biogas",
    "BiogasPlant",
    "BiogasStorage",
    "BiogasUpgrading",
    "Boiler",
    "Chiller",
    "Chp",
    "ColdStorage",
    "CoolingDemand",
    "CoolingNetwork",
    "Demand",
    "Efficiency",
    "ElectricBoiler",
    "Electricity",
    "ElectricityDemand",
    "Electrolyser",
    "Expansion",
    "Fleet",
    "FleetBaseline",
    "Fraction",
    "FreeCooling",
    "Fuel",
    "FuelCell",
    "GasGrid",
    "HeatExchanger",
    "HeatNetwork",
    "HeatPump",
    "HeatRecoveryHeatPump",
    "Horizon",
    "Hydrogen",
    "HydrogenStorage",
    "Location",
    "NonNegative",
    "Outage",
    "Pathway",
    "Period",
    "Pv",
    "Renewable",
    "Scenario",
    "Series",
    "SeriesFile",
    "Storage",
    "StorageExpansion",
    "Targets",
    "TemperatureCurve",
    "Unit",
    "WasteHeatSource",
    "Wind",
]

HYDROGEN_HEAT_LOSS_SHARE = 0.05
"""Share of an electrolyser's electricity lost as unrecoverable heat, by default [-]."""


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


class Horizon(_Strict):
    """Which hours to model: ``hours`` hourly snapshots from ``start``."""

    start: datetime | None = Field(None, description="First snapshot; default 1 January of `year`.")
    hours: int = Field(8760, gt=0, le=8784, description="Number of hourly snapshots [h].")
    resolution_h: int = Field(
        1, ge=1, le=24, description="Merge this many hours into one snapshot (planning runs) [h]."
    )

    typical_days: int | None = Field(
        None,
        ge=2,
        le=366,
        description="Represent the horizon by this many typical days (tsam), seasonal storage "
        "linked across the real sequence of days.",
    )

    @model_validator(mode="after")
    def _blocks(self) -> Horizon:
        if self.hours % self.resolution_h:
            raise ValueError(
                f"hours ({self.hours}) must be a multiple of resolution_h ({self.resolution_h})"
            )
        if self.typical_days is not None:
            if self.resolution_h != 1:
                raise ValueError("use either typical_days or resolution_h, not both")
            if self.hours % 24 or self.typical_days >= self.hours // 24:
                raise ValueError("typical_days needs whole days and fewer typical days than days")
        return self


class Location(_Strict):
    """Where the system is, and where its outdoor temperature comes from."""

    name: str
    climate: str | None = Field(
        None, description="Built-in synthetic reference year (see `restvarme climates`)."
    )
    outdoor_temperature_c: Series | None = Field(
        None, description="Hourly outdoor temperature [°C]; overrides `climate`."
    )

    @model_validator(mode="after")
    def _one_source(self) -> Location:
        if self.climate is None and self.outdoor_temperature_c is None:
            raise ValueError("give either `climate` (a built-in name) or `outdoor_temperature_c`")
        return self


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


class Fuel(_Strict):
    """A purchasable fuel."""

    price_eur_per_mwh: Series = Field(description="Fuel price per MWh of fuel energy (LHV).")
    emission_t_per_mwh: NonNegative = Field(0.0, description="t CO2e per MWh of fuel (LHV).")
    renewable: bool = Field(False, description="Counted as renewable in indicators.")


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


class Outage(_Strict):
    """A period with no waste heat available (inclusive start, exclusive end)."""

    start: datetime
    end: datetime
    every_year: bool = Field(
        False, description="Repeat on the same dates in every modelled year (e.g. a summer stop)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Outage:
        if self.end <= self.start:
            raise ValueError("outage end must be after its start")
        return self


class WasteHeatSource(_Strict):
    """A stream of waste heat at a temperature: its own low-temperature bus."""

    available_mw: Series = Field(description="Heat that can be taken [MW].")
    temperature_c: Series = Field(description="Temperature at which it is offered [°C].")
    price_eur_per_mwh: NonNegative = Field(0.0, description="Price paid per MWh taken.")
    emission_t_per_mwh: NonNegative = Field(
        0.0,
        description="Emissions charged per MWh taken (e.g. 0.011 for waste-incineration heat by "
        "one method); 0 treats recovered heat as free of burden.",
    )
    outages: list[Outage] = Field(default_factory=list)
    description: str = ""


class AmbientSource(_Strict):
    """An unlimited ambient heat source (sea, lake, ground) with a temperature series."""

    temperature_c: Series = Field(description="Source temperature [°C].")
    description: str = ""


class HeatPump(_Unit):
    """Electric heat pump lifting heat from a source to a network.

    COP(t) = quality_grade · Carnot (or Lorenz) COP of the condensing and evaporating
    temperatures, capped at ``max_cop``.
    """

    type: Literal["heat_pump"]
    source: str = Field(description="A waste_heat source, an ambient source, or 'air'.")
    sink: str = Field(description="Heat network it delivers to.")
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    quality_grade: Efficiency = Field(0.5, description="Share of the ideal COP reached [-].")
    cop_method: Literal["carnot", "lorenz"] = "carnot"
    condenser_approach_k: NonNegative = Field(4.0, description="Condensing above supply [K].")
    evaporator_approach_k: NonNegative = Field(5.0, description="Evaporating below source [K].")
    source_cooling_k: Annotated[float, Field(gt=0)] = Field(
        5.0, description="Cooling of the source stream, for the Lorenz glide [K]."
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")


class HeatExchanger(_Unit):
    """Direct use of waste heat: a heat exchanger into a network's supply or return line."""

    type: Literal["heat_exchanger"]
    source: str = Field(description="A waste_heat source.")
    sink: str = Field(description="Heat network it delivers to.")
    capacity_mw: NonNegative
    approach_k: NonNegative = Field(5.0, description="Temperature difference across it [K].")
    allow_preheat: bool = Field(True, description="Preheat return water when too cold to supply.")


class Chp(_Unit):
    """Combined heat and power plant burning a fuel.

    ``back_pressure``: fixed power-to-heat ratio. ``extraction``: a PQ region with the power loss
    coefficient ``cv`` and the back-pressure line ``cb``.
    """

    type: Literal["chp"]
    fuel: str
    sink: str
    mode: Literal["back_pressure", "extraction"] = "back_pressure"
    heat_capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency_el: Efficiency = Field(
        description="Electric efficiency (back-pressure: at the fixed ratio; extraction: in "
        "condensing mode) [-]."
    )
    efficiency_heat: Efficiency | None = Field(
        None, description="Heat efficiency, back-pressure mode only [-]."
    )
    fuel_capacity_mw: NonNegative | None = Field(
        None, description="Maximum fuel input, extraction mode only [MW]."
    )
    cv: NonNegative | None = Field(None, description="Power lost per unit heat extracted [-].")
    cb: NonNegative | None = Field(None, description="Back-pressure power-to-heat ratio [-].")

    @model_validator(mode="after")
    def _mode_fields(self) -> Chp:
        if self.mode == "back_pressure":
            if self.efficiency_heat is None:
                raise ValueError("back_pressure mode needs `efficiency_heat`")
            if self.efficiency_heat + self.efficiency_el > 1.2:
                raise ValueError("efficiency_el + efficiency_heat above 1.2 (LHV) is not physical")
            for key in ("fuel_capacity_mw", "cv", "cb"):
                if getattr(self, key) is not None:
                    raise ValueError(f"`{key}` is only for mode: extraction")
        else:
            missing = [k for k in ("fuel_capacity_mw", "cv", "cb") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"extraction mode needs {', '.join(f'`{k}`' for k in missing)}")
            if self.efficiency_heat is not None:
                raise ValueError("`efficiency_heat` is only for mode: back_pressure")
            if self.expansion is not None and self.heat_capacity_mw == 0:
                raise ValueError(
                    "an extendable extraction CHP needs heat_capacity_mw > 0: its fuel and heat "
                    "capacities are scaled together from that reference design"
                )
        return self


class Boiler(_Unit):
    """Fuel-fired heat-only boiler."""

    type: Literal["boiler"]
    fuel: str
    sink: str
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency: Annotated[float, Field(gt=0, le=1.1)] = Field(0.9, description="Heat per fuel.")


class ElectricBoiler(_Unit):
    """Electrode or resistance boiler."""

    type: Literal["electric_boiler"]
    sink: str
    capacity_mw: NonNegative = Field(description="Maximum heat output [MW].")
    efficiency: Efficiency = 0.99


class Storage(_Store):
    """Thermal store on a heat network (tank or pit).

    level[t] = level[t-1]·(1 - standing_loss_per_hour) + efficiency_charge·charge[t]
               - discharge[t]/efficiency_discharge, cyclic over the horizon.
    """

    type: Literal["storage"]
    network: str


class Chiller(_Unit):
    """Electric compression chiller serving a cooling network.

    EER(t) = quality_grade · T_evap / (T_cond - T_evap) in kelvin, with T_evap = cooling supply -
    evaporator_approach_k and T_cond = condenser medium + condenser_approach_k, capped at
    ``max_eer``. Capacity and ``vom_eur_per_mwh`` are per MW(h) of cooling.
    """

    type: Literal["chiller"]
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    condenser: str = Field("air", description="Where its heat goes: 'air' or an ambient source.")
    quality_grade: Efficiency = Field(0.45, description="Share of the ideal EER reached [-].")
    evaporator_approach_k: NonNegative = Field(4.0, description="Evaporating below supply [K].")
    condenser_approach_k: NonNegative = Field(5.0, description="Condensing above the medium [K].")
    max_eer: Annotated[float, Field(gt=0)] = Field(15.0, description="Upper cap on EER [-].")


class FreeCooling(_Unit):
    """Free cooling from a cold ambient source (sea, lake, ground or air) through a heat exchanger,
    in the hours the source is at least ``approach_k`` colder than the cooling supply."""

    type: Literal["free_cooling"]
    source: str = Field(description="An ambient source or 'air'.")
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    available_mw: Series | None = Field(
        None, description="Cooling the source can give each hour [MW]; default: unlimited."
    )
    approach_k: NonNegative = Field(
        2.0, description="The source must be this much colder than the supply [K]."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.02, description="Pumping electricity per MWh of cooling [MWh/MWh]."
    )


class AbsorptionChiller(_Unit):
    """Absorption chiller driven by heat from a heat network or a waste-heat source."""

    type: Literal["absorption_chiller"]
    source: str = Field(description="Heat network or waste_heat source that drives it.")
    sink: str = Field(description="Cooling network it serves.")
    capacity_mw: NonNegative = Field(description="Maximum cooling output [MW].")
    thermal_cop: Annotated[float, Field(gt=0, le=2)] = Field(
        0.7, description="Cooling per driving heat [-] (single effect about 0.7)."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.01, description="Electricity (pumps) per MWh of cooling [MWh/MWh]."
    )
    min_driving_temperature_c: float | None = Field(
        None, description="No cooling in hours the driving heat is colder than this [°C]."
    )


class ColdStorage(_Store):
    """Cold store (chilled water or ice) on a cooling network; the same balance as ``storage``."""

    type: Literal["cold_storage"]
    network: str = Field(description="Cooling network it charges from and discharges to.")
    medium: Literal["water", "ice"] = Field("water", description="Stored medium (for reports).")
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of cooling].")


class HeatRecoveryHeatPump(_Unit):
    """One machine cooling a cooling network (evaporator) and heating a heat network (condenser).

    Condenser heat Q, cooling Qc = Q·(1 - 1/COP), electricity P = Q/COP, with COP(t) the heating
    COP between the two networks' supply temperatures. Heat the heat network does not take may be
    rejected to ambient at ``heat_rejection_cost_eur_per_mwh``. ``capacity_mw`` and
    ``vom_eur_per_mwh`` are per MW(h) of condenser heat.
    """

    type: Literal["heat_recovery_heat_pump"]
    cooling_network: str = Field(description="Cooling network its evaporator serves.")
    heat_network: str = Field(description="Heat network its condenser delivers to.")
    capacity_mw: NonNegative = Field(description="Maximum condenser heat output [MW].")
    quality_grade: Efficiency = Field(0.5, description="Share of the ideal COP reached [-].")
    condenser_approach_k: NonNegative = Field(4.0, description="Condensing above heat supply [K].")
    evaporator_approach_k: NonNegative = Field(
        4.0, description="Evaporating below cooling supply [K]."
    )
    max_cop: Annotated[float, Field(gt=1)] = Field(10.0, description="Upper cap on COP [-].")
    heat_rejection: bool = Field(
        True, description="Whether heat the heat network does not take may go to ambient."
    )
    heat_rejection_cost_eur_per_mwh: NonNegative = Field(
        0.0, description="Cost of rejecting one MWh of heat to ambient [EUR/MWh]."
    )


class Electrolyser(_Unit):
    """Electrolyser on the city's hydrogen bus; its waste heat feeds a waste_heat source.

    Electricity P [MW] in, hydrogen η·P [MW, LHV] out, heat h·P offered to the waste_heat source
    ``waste_heat`` (added to that source's availability, so its heat exchangers and heat pumps
    can use it). ``capacity_mw`` and an ``expansion`` are per MW of electricity input;
    ``vom_eur_per_mwh`` is per MWh of hydrogen.
    """

    type: Literal["electrolyser"]
    capacity_mw: NonNegative = Field(description="Maximum electricity input [MW].")
    efficiency: Efficiency = Field(0.65, description="Hydrogen (LHV) per electricity [-].")
    heat_share: Fraction | None = Field(
        None, description="Recoverable heat per electricity [-]; default 1 - efficiency - 0.05."
    )
    waste_heat: str = Field(description="The waste_heat source its heat is offered to.")
    waste_heat_temperature_c: Series = Field(
        description="Temperature of its heat [°C], at least the source's temperature."
    )

    @model_validator(mode="after")
    def _energy(self) -> Electrolyser:
        if self.efficiency + self.recoverable_heat_share > 1:
            raise ValueError("efficiency + heat_share above 1 is not physical")
        return self

    @property
    def recoverable_heat_share(self) -> float:
        """``heat_share``, or 1 - efficiency - 0.05 (stack and balance-of-plant losses)."""
        if self.heat_share is not None:
            return self.heat_share
        return max(0.0, 1.0 - self.efficiency - HYDROGEN_HEAT_LOSS_SHARE)


class HydrogenStorage(_Store):
    """Hydrogen store (tank or cavern) on the hydrogen bus; the same balance as ``storage``."""

    type: Literal["hydrogen_storage"]
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of H2, LHV].")


BATTERY_EFFICIENCY = 0.92
"""Default charge and discharge efficiency of a battery [-]: 0.92² = 0.85 round trip, the
round-trip efficiency of utility-scale lithium-ion storage in NREL's Annual Technology Baseline
(Cole, Ramasamy & Turan 2023, Cost Projections for Utility-Scale Battery Storage: 2023 Update,
NREL/TP-6A40-85332)."""


class Battery(_Store):
    """Battery on the electricity bus; the balance of ``storage``, cyclic over the horizon.

    level[t] = level[t-1]·(1 - standing_loss_per_hour) + efficiency_charge·charge[t]
               - discharge[t]/efficiency_discharge. ``vom_eur_per_mwh`` is per MWh discharged.
    """

    type: Literal["battery"]
    efficiency_charge: Efficiency = Field(BATTERY_EFFICIENCY, description="Stored per taken [-].")
    efficiency_discharge: Efficiency = Field(
        BATTERY_EFFICIENCY, description="Given back per stored [-]."
    )
    expansion: StorageExpansion | None = Field(None, description="Make the battery extendable.")


class Renewable(_Unit):
    """Variable renewable generation on the electricity bus (``type: pv`` or ``type: wind``).

    generation[t] <= capacity_mw · capacity_factor[t]; what is not generated is curtailed.
    ``vom_eur_per_mwh`` is per MWh generated; an ``expansion`` is in MW of rated capacity.
    """

    capacity_mw: NonNegative = Field(description="Rated (AC) capacity [MW].")
    capacity_factor: Series = Field(
        description="Output per rated capacity [-], in [0, 1], constant or hourly."
    )


class Pv(Renewable):
    """Solar photovoltaics (see :class:`Renewable`)."""

    type: Literal["pv"]


class Wind(Renewable):
    """Wind turbines (see :class:`Renewable`)."""

    type: Literal["wind"]


class FuelCell(_Unit):
    """Fuel cell: hydrogen from the hydrogen bus to electricity, its heat into a heat network.

    Electricity P [MW] out, hydrogen P/efficiency_el in, heat P·efficiency_heat/efficiency_el into
    ``sink``. ``capacity_mw``, an ``expansion`` and ``vom_eur_per_mwh`` are per MW(h) of
    electricity.
    """

    type: Literal["fuel_cell"]
    capacity_mw: NonNegative = Field(description="Maximum electricity output [MW].")
    efficiency_el: Efficiency = Field(0.5, description="Electricity per hydrogen (LHV) [-].")
    efficiency_heat: Fraction = Field(
        0.0, description="Recovered heat per hydrogen (LHV) [-]; 0: none recovered."
    )
    sink: str | None = Field(None, description="Heat network its heat goes to.")

    @model_validator(mode="after")
    def _energy(self) -> FuelCell:
        if self.efficiency_el + self.efficiency_heat > 1:
            raise ValueError("efficiency_el + efficiency_heat above 1 is not physical")
        if self.efficiency_heat > 0 and self.sink is None:
            raise ValueError("a fuel cell with `efficiency_heat` > 0 needs a `sink` heat network")
        return self


class Hydrogen(_Strict):
    """The city's hydrogen bus: a demand, an optional import, and unserved hydrogen penalised."""

    demand_mw: Series = Field(0.0, description="Hydrogen demand [MW, LHV], constant or hourly.")
    import_price_eur_per_mwh: Series | None = Field(
        None, description="Price of hydrogen bought from outside [EUR/MWh]; default: no import."
    )
    unserved_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = Field(
        5000.0, description="Penalty per MWh of hydrogen demand not met [EUR/MWh]."
    )


class BiogasUpgrading(_Unit):
    """Upgrading of raw biogas to vehicle gas (biomethane, about 97 % methane) on the biogas bus.

    Raw biogas G [MW, LHV of its methane] in, vehicle gas η·G out, electricity e·η·G drawn from
    the electricity bus (scrubbing and compression). ``capacity_mw`` and an ``expansion`` are per
    MW of raw biogas in; ``vom_eur_per_mwh`` per MWh of vehicle gas.
    """

    type: Literal["biogas_upgrading"]
    capacity_mw: NonNegative = Field(description="Maximum raw biogas input [MW].")
    efficiency: Efficiency = Field(
        0.98, description="Vehicle gas per raw biogas [-] (1 - methane slip)."
    )
    electricity_mwh_per_mwh: NonNegative = Field(
        0.05, description="Electricity per MWh of vehicle gas [MWh/MWh]."
    )


class BiogasStorage(_Store):
    """Raw-biogas store (gas holder) on the biogas bus; the same balance as ``storage``."""

    type: Literal["biogas_storage"]
    energy_mwh: NonNegative = Field(description="Energy capacity [MWh of methane, LHV].")


class BiogasPlant(_Strict):
    """A digester making biogas from one feedstock: a constant or hourly production, or an annual
    total spread flat or by a CSV shape."""

    feedstock: Literal[
        "sewage_sludge",
        "food_waste",
        "manure",
        "crop_residues",
        "industrial_waste",
        "landfill",
        "other",
    ] = Field(description="What is digested (for reports).")
    production_mw: Series | None = Field(
        None, description="Biogas made [MW, LHV of its methane], constant or hourly."
    )
    annual_gwh: NonNegative | None = Field(None, description="Biogas made per year [GWh].")
    shape: Series | None = Field(
        None, description="With `annual_gwh`: relative hourly shape (CSV); default flat."
    )
    production_cost_eur_per_mwh: NonNegative = Field(
        0.0, description="Cost per MWh of biogas made [EUR/MWh]."
    )
    description: str = ""

    @model_validator(mode="after")
    def _one_way(self) -> BiogasPlant:
        if (self.production_mw is None) == (self.annual_gwh is None):
            raise ValueError("give exactly one of `production_mw` or `annual_gwh`")
        if self.shape is not None and self.annual_gwh is None:
            raise ValueError("`shape` goes with `annual_gwh`")
        return self


NATURAL_GAS_EMISSION_T_PER_MWH = 0.202
"""Natural gas, 56 100 kg CO2/TJ (IPCC 2006 Guidelines, Vol. 2, Table 2.2) [t CO2/MWh LHV]."""


class GasGrid(_Strict):
    """Connection of the vehicle-gas side of the biogas bus to a gas grid."""

    import_price_eur_per_mwh: Series | None = Field(
        None, description="Price of gas bought [EUR/MWh]; default: no purchase."
    )
    export_price_eur_per_mwh: Series | None = Field(
        None, description="Price of upgraded biogas sold [EUR/MWh]; default: no sale."
    )
    emission_t_per_mwh: NonNegative = Field(
        NATURAL_GAS_EMISSION_T_PER_MWH, description="Emission factor of gas bought [t CO2e/MWh]."
    )
    import_capacity_mw: NonNegative | None = Field(None, description="Purchase limit [MW].")
    export_capacity_mw: NonNegative | None = Field(None, description="Sale limit [MW].")


class Biogas(_Strict):
    """The city's biogas bus (raw biogas) and its vehicle-gas side (upgraded biogas)."""

    plants: dict[str, BiogasPlant] = Field(default_factory=dict)
    vehicle_gas_demand_mw: Series = Field(
        0.0, description="Vehicle gas used besides the scenario's fleets [MW], constant or hourly."
    )
    gas_grid: GasGrid | None = Field(None, description="Gas grid on the vehicle-gas side.")
    unserved_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = Field(
        5000.0, description="Penalty per MWh of vehicle gas demand not met [EUR/MWh]."
    )


class FleetBaseline(_Strict):
    """The fossil fleet a fleet is compared with (accounting only)."""

    drive: Literal["diesel", "petrol"] = "diesel"
    energy_kwh_per_km: Annotated[float, Field(gt=0)] | None = Field(
        None, description="Fuel per km [kWh/km]; default by vehicle and drive."
    )
    emission_t_per_mwh: NonNegative | None = Field(
        None, description="Tank-to-wheel factor [t CO2/MWh]; default by drive."
    )


class Fleet(_Strict):
    """A transport fleet: its yearly distance, energy per km and when it charges or fuels."""

    vehicle: Literal["bus", "car", "truck"] = Field(description="Kind of vehicle.")
    drive: Literal["diesel", "petrol", "biogas", "electric", "hydrogen"]
    vehicles: Annotated[int, Field(ge=0)] | None = Field(None, description="Number of vehicles.")
    km_per_vehicle_year: NonNegative | None = Field(
        None, description="Distance per vehicle [km/yr]."
    )
    annual_km: NonNegative | None = Field(
        None, description="Distance of the whole fleet [km/yr]; replaces the two above."
    )
    energy_kwh_per_km: Annotated[float, Field(gt=0)] | None = Field(
        None,
        description="Energy per km at the charger or pump [kWh/km]; default by vehicle and drive.",
    )
    profile: Literal["flat", "overnight", "daytime"] | str | SeriesFile = Field(
        "flat", description="When it charges or fuels: a built-in profile or a CSV shape."
    )
    fuel: str | None = Field(
        None, description="Diesel and petrol fleets: the key of `fuels` bought (default: drive)."
    )
    baseline: FleetBaseline = Field(default_factory=FleetBaseline)
    description: str = ""

    @model_validator(mode="after")
    def _distance(self) -> Fleet:
        per_vehicle = self.vehicles is not None or self.km_per_vehicle_year is not None
        if (self.annual_km is not None) == per_vehicle:
            raise ValueError("give either `annual_km` or both `vehicles` and `km_per_vehicle_year`")
        if per_vehicle and (self.vehicles is None or self.km_per_vehicle_year is None):
            raise ValueError("`vehicles` and `km_per_vehicle_year` go together")
        if self.fuel is not None and self.drive not in ("diesel", "petrol"):
            raise ValueError("`fuel` is only for diesel and petrol fleets")
        return self

    @property
    def km_per_year(self) -> float:
        """Distance of the fleet [km/yr]."""
        if self.annual_km is not None:
            return self.annual_km
        return float(self.vehicles) * float(self.km_per_vehicle_year)

    @property
    def fuel_name(self) -> str | None:
        """The ``fuels`` key a diesel or petrol fleet buys; None for the other drives."""
        if self.drive in ("diesel", "petrol"):
            return self.fuel or self.drive
        return None


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
        return self


Unit = Annotated[
    HeatPump
    | HeatExchanger
    | Chp
    | Boiler
    | ElectricBoiler
    | Storage
    | Chiller
    | FreeCooling
    | AbsorptionChiller
    | ColdStorage
    | HeatRecoveryHeatPump
    | Electrolyser
    | HydrogenStorage
    | Battery
    | Pv
    | Wind
    | FuelCell
    | BiogasUpgrading
    | BiogasStorage,
    Field(discriminator="type"),
]


class Scenario(_Strict):
    """A whole scenario: what the system is and what it faces over one year of hours."""

    name: str
    year: int = Field(2030, ge=1900, le=2200)
    description: str = ""
    horizon: Horizon = Field(default_factory=Horizon)
    location: Location
    carbon_price_eur_per_t: NonNegative = 0.0
    discount_rate: Fraction = Field(0.05, description="Real discount rate for annuities [-].")
    unserved_heat_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = 5000.0
    unserved_cooling_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = 5000.0
    electricity: Electricity
    fuels: dict[str, Fuel] = Field(default_factory=dict)
    networks: dict[str, HeatNetwork] = Field(min_length=1)
    cooling_networks: dict[str, CoolingNetwork] = Field(default_factory=dict)
    waste_heat: dict[str, WasteHeatSource] = Field(default_factory=dict)
    ambient: dict[str, AmbientSource] = Field(default_factory=dict)
    hydrogen: Hydrogen | None = Field(None, description="The hydrogen bus (electrolysers need it).")
    biogas: Biogas | None = Field(None, description="The biogas bus and its vehicle-gas side.")
    fleets: dict[str, Fleet] = Field(default_factory=dict, description="Transport fleets.")
    units: list[Unit] = Field(default_factory=list)
    targets: Targets = Field(default_factory=Targets)
    pathway: Pathway | None = None

    def units_of(self, kind: type[_Unit] | tuple[type[_Unit], ...]) -> list:
        """Units of one type (or of any of several spec classes), in file order."""
        return [u for u in self.units if isinstance(u, kind)]
