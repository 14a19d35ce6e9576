"""Transport fleets: distance, energy per km, when they charge or fuel, and the fossil fleet
they are compared with."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from pydantic import Field, model_validator

from restvarme.scenario.base import NonNegative, SeriesFile, _Strict


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
        # without annual_km, _distance requires both
        return float(cast(int, self.vehicles)) * float(cast(float, self.km_per_vehicle_year))

    @property
    def fuel_name(self) -> str | None:
        """The ``fuels`` key a diesel or petrol fleet buys; None for the other drives."""
        if self.drive in ("diesel", "petrol"):
            return self.fuel or self.drive
        return None
