"""Pydantic models of a restvarme scenario file.

Every model forbids unknown keys, so a typo is an error that names its key path. Quantities carry
their unit in the key name (``capacity_mw``, ``price_eur_per_mwh``, ``temperature_c``).

A *series* value is either a constant number or a reference to a CSV file holding one value per
snapshot: a path string (``series/spot.csv``, relative to the scenario file) or a mapping
``{file: series/spot.csv, column: SE4, scale: 1.0}``. See ``docs/scenario.md`` for every key.

The models live beside this module, by sector: :mod:`~restvarme.scenario.base` (what all parts
share), :mod:`~restvarme.scenario.heat`, :mod:`~restvarme.scenario.cooling`,
:mod:`~restvarme.scenario.market`, :mod:`~restvarme.scenario.hydrogen`,
:mod:`~restvarme.scenario.biogas`, :mod:`~restvarme.scenario.fleets`,
:mod:`~restvarme.scenario.targets`, :mod:`~restvarme.scenario.pathway` and
:mod:`~restvarme.scenario.solver` (where the solver may stop); the spec of each unit
type lives in its module of :mod:`restvarme.units`. This module composes :class:`Scenario` from
them, builds the ``Unit`` union from the unit registry, and re-exports every public name
(``__all__``).
"""

from __future__ import annotations

import functools
import operator
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from restvarme.scenario.base import (
    BIOGAS_FUEL,
    DateTime,
    Efficiency,
    Expansion,
    Fraction,
    Name,
    NonNegative,
    Series,
    SeriesFile,
    StorageExpansion,
    _Strict,
    _Unit,
)
from restvarme.scenario.biogas import NATURAL_GAS_EMISSION_T_PER_MWH, Biogas, BiogasPlant, GasGrid
from restvarme.scenario.cooling import CoolingDemand, CoolingNetwork
from restvarme.scenario.fleets import Fleet, FleetBaseline
from restvarme.scenario.groups import CapacityGroup, Connection
from restvarme.scenario.heat import (
    AmbientSource,
    Demand,
    HeatNetwork,
    Outage,
    TemperatureCurve,
    WasteHeatSource,
)
from restvarme.scenario.hydrogen import Hydrogen
from restvarme.scenario.market import Electricity, ElectricityDemand, Fuel
from restvarme.scenario.pathway import Pathway, Period
from restvarme.scenario.solver import SolverSettings
from restvarme.scenario.targets import Targets

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
    "CapacityGroup",
    "Chiller",
    "Chp",
    "ColdStorage",
    "Connection",
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
    "SolverSettings",
    "Storage",
    "StorageExpansion",
    "Targets",
    "TemperatureCurve",
    "Unit",
    "WasteHeatSource",
    "Wind",
]


class Horizon(_Strict):
    """Which hours to model: ``hours`` hourly snapshots from ``start``."""

    start: DateTime | None = Field(None, description="First snapshot; default 1 January of `year`.")
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
    fuels: dict[Name, Fuel] = Field(default_factory=dict)
    networks: dict[Name, HeatNetwork] = Field(min_length=1)
    cooling_networks: dict[Name, CoolingNetwork] = Field(default_factory=dict)
    waste_heat: dict[Name, WasteHeatSource] = Field(default_factory=dict)
    ambient: dict[Name, AmbientSource] = Field(default_factory=dict)
    hydrogen: Hydrogen | None = Field(None, description="The hydrogen bus (electrolysers need it).")
    biogas: Biogas | None = Field(None, description="The biogas bus and its vehicle-gas side.")
    fleets: dict[Name, Fleet] = Field(default_factory=dict, description="Transport fleets.")
    units: list[Unit] = Field(default_factory=list)
    capacity_groups: dict[Name, CapacityGroup] = Field(
        default_factory=dict,
        description="Units sharing one output (or input) capacity (restvarme.scenario.groups).",
    )
    targets: Targets = Field(default_factory=Targets)
    pathway: Pathway | None = None
    solver: SolverSettings = Field(
        default_factory=SolverSettings,
        description="Where the solver may stop: a MIP's relative gap, a time limit "
        "(restvarme.scenario.solver).",
    )

    def units_of(self, kind: type[_Unit] | tuple[type[_Unit], ...]) -> list:
        """Units of one type (or of any of several spec classes), in file order."""
        return [u for u in self.units if isinstance(u, kind)]
