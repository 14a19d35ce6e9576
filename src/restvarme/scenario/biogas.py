"""The city's biogas bus: digesters, the vehicle-gas side and its gas-grid connection
(upgrading and gas holders are unit types; a boiler or CHP burns from the bus with ``fuel:
biogas``, :data:`restvarme.scenario.base.BIOGAS_FUEL`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from restvarme.scenario.base import Name, NonNegative, Series, _Strict


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

    plants: dict[Name, BiogasPlant] = Field(default_factory=dict)
    vehicle_gas_demand_mw: Series = Field(
        0.0, description="Vehicle gas used besides the scenario's fleets [MW], constant or hourly."
    )
    gas_grid: GasGrid | None = Field(None, description="Gas grid on the vehicle-gas side.")
    unserved_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = Field(
        5000.0, description="Penalty per MWh of vehicle gas demand not met [EUR/MWh]."
    )
