"""The city's hydrogen bus (electrolysers, hydrogen stores and fuel cells are unit types)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from restvarme.scenario.base import Series, _Strict


class Hydrogen(_Strict):
    """The city's hydrogen bus: a demand, an optional import, and unserved hydrogen penalised."""

    demand_mw: Series = Field(0.0, description="Hydrogen demand [MW, LHV], constant or hourly.")
    import_price_eur_per_mwh: Series | None = Field(
        None, description="Price of hydrogen bought from outside [EUR/MWh]; default: no import."
    )
    unserved_penalty_eur_per_mwh: Annotated[float, Field(gt=0)] = Field(
        5000.0, description="Penalty per MWh of hydrogen demand not met [EUR/MWh]."
    )
