"""Pydantic models of a restvarme scenario file.

Every model forbids unknown keys, so a typo is an error that names its key path. Quantities carry
their unit in the key name (``capacity_mw``, ``price_eur_per_mwh``, ``temperature_c``).

A *series* value is either a constant number or a reference to a CSV file holding one value per
snapshot: a path string (``series/spot.csv``, relative to the scenario file) or a mapping
``{file: series/spot.csv, column: SE4, scale: 1.0}``. See ``docs/scenario.md`` for every key.
"""

from __future__ import annotations

import functools
import itertools
import operator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

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
    _Strict,
    _Unit,
)

# The unit specs live in their unit modules (restvarme.units.<type>); restvarme's own code
# imports a spec from there. They are re-exported here, in this one place, so that
# `schema.HeatPump` and `from restvarme.scenario.schema import HeatPump` keep working in
# scripts, notebooks and tests. A new unit type need not be added here: the `Unit` union
# below is built from the registry.
from restvarme.units.absorption_chiller import AbsorptionChiller
from restvarme.units.battery import BATTERY_EFFICIENCY, Battery
from restvarme.units.biogas_storage import BiogasStorage
from restvarme.units.biogas_upgrading import BiogasUpgrading
from restvarme.units.boiler import Boiler
from restvarme.units.chiller import Chiller
from restvarme.units.chp import Chp
from restvarme.units.cold_storage import ColdStorage
from restvarme.units.electric_boiler import ElectricBoiler
from restvarme.units.electrolyser import HYDROGEN_HEAT_LOSS_SHARE, Electrolyser
from restvarme.units.free_cooling import FreeCooling
from restvarme.units.fuel_cell import FuelCell
from restvarme.units.heat_exchanger import HeatExchanger
from restvarme.units.heat_pump import HeatPump
from restvarme.units.heat_recovery_heat_pump import HeatRecoveryHeatPump
from restvarme.units.hydrogen_storage import HydrogenStorage
from restvarme.units.registry import REGISTRY
from restvarme.units.renewable import Pv, Renewable, Wind
from restvarme.units.storage import Storage

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


class Hydrogen(_Strict):
    """The city's hydrogen bus: a demand, an optional import, and unserved hydrogen penalised."""

    demand_mw: Series = Field(0.0, description="Hydrogen demand [MW, LHV], constant or hourly.")
    import_price_eur_per_mwh: Series | None = Field(
        None, description="Price of hydrogen bought from outside [EUR/MWh]; default: no import."
    )
    unserved_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = Field(
        5000.0, description="Penalty per MWh of hydrogen demand not met [EUR/MWh]."
    )


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


if TYPE_CHECKING:
    Unit = _Unit  # the union is known at run time only, from the registry
else:
    Unit = Annotated[
        functools.reduce(operator.or_, (spec for t in REGISTRY.values() for spec in t.specs)),
        Field(discriminator="type"),
    ]
"""One entry of ``units``: a discriminated union, on ``type``, of the spec of every registered unit
type (:data:`restvarme.units.registry.REGISTRY`), in registry order."""


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
