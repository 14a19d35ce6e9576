"""What the scenario schema and the unit specs share: strict models, the number types, series,
capacity expansion, and the fields every unit and every store has.

The spec of each unit type lives in its module of :mod:`restvarme.units`, the rest of the schema
in :mod:`restvarme.scenario.schema` (composed from the sector modules beside it); both build on
this module, which imports neither of them nor the unit registry, so that a unit module can be
loaded before the schema that collects the unit specs into its ``Unit`` union.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

NonNegative = Annotated[float, Field(ge=0)]


Fraction = Annotated[float, Field(ge=0, le=1)]


Efficiency = Annotated[float, Field(gt=0, le=1)]
NAME_PATTERN = r"^[\w][\w.\-]*$"
r"""A name of a unit, network, source, fuel or fleet: letters of any script (``värmepump``),
digits, ``_``, ``.`` and ``-``, starting with a letter, digit or ``_``. Names become results'
labels, file names and HTML ids, so markup and path characters (``<>&"'`/\ ``) are not allowed."""
Name = Annotated[
    str,
    Field(
        pattern=NAME_PATTERN,
        max_length=64,
        description="Letters (any script), digits, `_ . -`; no spaces or markup; at most 64.",
    ),
]


def _not_a_number(value: Any) -> Any:
    """Pydantic reads a number as seconds since 1970 (UTC); in a scenario it is a mistake."""
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime")
    return value


DateTime = Annotated[datetime, BeforeValidator(_not_a_number)]
"""A date and time as written (``2030-06-01T00:00``); a number (``start: 90``) is an error, not
90 seconds after 1970-01-01 UTC."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeriesFile(_Strict):
    """A column of a CSV file with one row per snapshot."""

    file: str = Field(description="CSV path, relative to the scenario file.")
    column: str | None = Field(
        None, description="Column to read; default: the only numeric column that is not a time."
    )
    scale: float = Field(1.0, description="Factor applied to every value (e.g. 0.001 for kW->MW).")


Series = float | str | SeriesFile
"""A constant, a CSV path, or a :class:`SeriesFile`."""


class Expansion(_Strict):
    """Let the optimiser build new capacity of a unit, at an annuitised capital cost.

    Capacity is the unit's main rating: heat output [MW] for converters, energy [MWh] for stores
    (see :class:`StorageExpansion`).
    """

    min_mw: NonNegative = Field(0.0, description="New capacity to build at least [MW].")
    max_mw: NonNegative | None = Field(None, description="New capacity to build at most [MW].")
    capital_cost_eur_per_mw: NonNegative = Field(description="Overnight investment [EUR/MW].")
    fixed_om_eur_per_mw_year: NonNegative = Field(0.0, description="Fixed O&M [EUR/MW/yr].")
    lifetime_years: Annotated[int, Field(gt=0)] = Field(25, description="Economic life [yr].")
    discount_rate: Fraction | None = Field(None, description="Default: the scenario's [-].")
    build_from_year: int | None = Field(
        None, description="In a pathway, the first period year new capacity may be built."
    )

    @model_validator(mode="after")
    def _bounds(self) -> Expansion:
        if self.max_mw is not None and self.max_mw < self.min_mw:
            raise ValueError("max_mw must not be below min_mw")
        return self


class StorageExpansion(_Strict):
    """Let the optimiser build more storage energy; charge/discharge power comes with it."""

    min_mwh: NonNegative = Field(0.0, description="New energy capacity to build at least [MWh].")
    max_mwh: NonNegative | None = Field(None, description="New energy capacity at most [MWh].")
    capital_cost_eur_per_mwh: NonNegative = Field(
        description="Investment per MWh stored [EUR/MWh]."
    )
    fixed_om_eur_per_mwh_year: NonNegative = Field(0.0, description="Fixed O&M [EUR/MWh/yr].")
    charge_mw_per_mwh: Annotated[float, Field(gt=0)] = Field(
        description="Charge (and discharge) power built with each MWh [MW/MWh]."
    )
    lifetime_years: Annotated[int, Field(gt=0)] = Field(40, description="Economic life [yr].")
    discount_rate: Fraction | None = Field(None, description="Default: the scenario's [-].")
    build_from_year: int | None = Field(
        None, description="In a pathway, the first period year new capacity may be built."
    )

    @model_validator(mode="after")
    def _bounds(self) -> StorageExpansion:
        if self.max_mwh is not None and self.max_mwh < self.min_mwh:
            raise ValueError("max_mwh must not be below min_mwh")
        return self


class _Unit(_Strict):
    name: Name
    vom_eur_per_mwh: NonNegative = Field(0.0, description="Variable O&M per MWh of heat output.")
    description: str = ""
    expansion: Expansion | None = Field(None, description="Make the unit extendable.")
    commissioned_year: int | None = Field(
        None, description="First year its existing capacity is available (default: always)."
    )
    retired_year: int | None = Field(
        None, description="First year its existing capacity is gone (default: never)."
    )

    @model_validator(mode="after")
    def _service_years(self) -> _Unit:
        first, gone = self.commissioned_year, self.retired_year
        if first is not None and gone is not None and gone <= first:
            raise ValueError(
                f"`retired_year` {gone} must be after commissioned_year {first} (the first year "
                "its capacity is gone comes after the first year it is there); as written the "
                "unit never runs"
            )
        return self

    if TYPE_CHECKING:
        # Each unit spec declares `type` as its own Literal (the discriminator); stated here for
        # type checkers, which see the schema's run-time `Unit` union as `_Unit`.
        type: str


class _Store(_Unit):
    """Fields every store shares, whatever its carrier (heat, cooling, electricity, hydrogen,
    biogas); each type names the bus it sits on."""

    energy_mwh: NonNegative = Field(description="Energy capacity [MWh].")
    charge_mw: NonNegative = Field(description="Maximum charging power [MW].")
    discharge_mw: NonNegative | None = Field(None, description="Default: `charge_mw` [MW].")
    efficiency_charge: Efficiency = 1.0
    efficiency_discharge: Efficiency = 1.0
    standing_loss_per_hour: Fraction = Field(0.0, description="Share of the level lost per hour.")
    # a narrower spec than _Unit.expansion: pydantic fields may be narrowed, mypy calls it unsafe
    expansion: StorageExpansion | None = Field(  # type: ignore[assignment]
        None, description="Make the store extendable."
    )


BIOGAS_FUEL = "biogas"
"""A boiler or CHP whose ``fuel`` is this burns from the biogas bus (with a ``biogas`` section)."""
