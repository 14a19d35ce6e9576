"""Physical and plausible ranges of scenario values, by the unit their key names.

A scenario key carries its unit in its name (``capacity_mw``, ``annual_gwh``,
``temperature_c``), so the range a value may take follows from that name (:func:`limit_for`).
Constants are checked when the scenario is loaded (:func:`restvarme.scenario.load.value_problems`)
and the values of series files when they are read (:func:`restvarme.inputs.series.load_series`),
each a located problem.

Why these limits. Temperatures must lie above absolute zero (−273.15 °C): below it there is no
temperature, and the COP formulas divide by kelvin (Lorenz fails, Carnot silently gives COP 1).
Every other limit is far beyond any district energy system, so that no real scenario meets it,
but low enough that the optimisation model stays well conditioned: HiGHS treats bounds from
1e20 as infinite and loses precision long before (a model whose coefficients span more than
about 1e12 is numerically unsafe), and ``annual_gwh: 1e300`` once made HiGHS refuse the model.
A value beyond a limit is a typo or a unit mix-up (kW for MW, EUR for MEUR), and the message says
which limit and why.

==============================  =================  ============================================
key ends with                   allowed            why
==============================  =================  ============================================
``_c`` (temperature)            > −273.15, ≤ 1000  absolute zero; hotter than any heat source
``_k`` (temperature difference) ≤ 1000 K           beyond any approach, lift or glide
``_gwh`` (energy a year)        ≤ 1,000,000 GWh    1,000 TWh: all the heat Germany uses a year
``_mw`` (power)                 ≤ 100,000 MW       the largest power station is 22.5 GW
``_mwh`` (stored energy)        ≤ 1e9 MWh          1,000 TWh: about the EU's gas storage
``_m2`` (collector area)        ≤ 1e8 m²           the largest solar heat field is 0.16 km²
``_eur_per_mwh`` (price, cost)  ≤ 1e7 EUR/MWh      10,000 EUR/kWh; EU day-ahead cap: 4 EUR/kWh
``_eur_per_mw`` (investment)    ≤ 1e9 EUR/MW       1,000 EUR/W; plants cost about 1 EUR/W
``_eur_per_m2``                 ≤ 1e6 EUR/m²       collectors cost some 100-500 EUR/m²
``_eur_per_t`` (CO2 price)      ≤ 1e6 EUR/t        carbon prices are below 1,000 EUR/t
``_t`` (emissions a year)       ≤ 1e10 t           a quarter of the world's CO2 a year
``_t_per_mwh`` (emissions)      ≤ 10 t/MWh         burning coal emits about 0.35 t/MWh
``_km`` (distance a year)       ≤ 1e12 km          a billion vehicles at 1,000 km
``_kwh_per_km``                 ≤ 10,000 kWh/km    a heavy truck uses about 1.5 kWh/km
``_w_per_m2`` (irradiance)      ≤ 2,000 W/m²       the solar constant is 1,361 W/m²
``*_year`` (a calendar year)    1900 … 2200        the scenario's own ``year`` range
``*_years`` (a duration)        ≤ 1000 years       no plant or period lasts longer
any other number                within ±1e12       beyond it no solve is reliable
==============================  =================  ============================================

Where no lower limit is given, a value must not be below minus the upper one (a price may be
negative, but not −1e300 EUR/MWh); most keys are non-negative by the schema anyway.

The fixed-O&M keys (``_eur_per_mw_year`` and the like) share the limit of their investment key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ABSOLUTE_ZERO_C = -273.15
"""Absolute zero [°C]; a temperature must lie above it."""
MAX_TEMPERATURE_C = 1000.0
"""Hottest temperature a scenario may give [°C]: waste-incineration flue gas, the hottest heat a
district system recovers, is about 1,000 °C."""
MAX_ANY = 1e12
"""Largest magnitude of a number whose key has no limit of its own."""


@dataclass(frozen=True)
class Limit:
    """The range a value may take: above ``low`` (or at it, unless ``low_open``; None: at least
    ``-high``, for the few keys that may be negative, such as prices), at most ``high``;
    ``unit`` and ``why`` for the message."""

    low: float | None
    high: float
    unit: str
    why: str
    low_open: bool = False
    why_low: str | None = None
    """The reason for the lower limit, where it is not ``why``."""

    def problem(self, value: float) -> str | None:
        """Why ``value`` is out of range, as the end of a message (``expected ...``), or None."""
        if not math.isfinite(value):
            return None  # not finite is a problem of its own
        low = -self.high if self.low is None else self.low
        if value <= low if self.low_open else value < low:
            bound = "above" if self.low_open else "at least"
            return f"expected {bound} {_num(low)}{self.unit} ({self.why_low or self.why})"
        if value > self.high:
            return f"expected at most {_num(self.high)}{self.unit} ({self.why})"
        return None

    def outside(self, values: np.ndarray) -> np.ndarray:
        """Which of ``values`` (finite numbers) :meth:`problem` refuses, as a boolean array."""
        low = -self.high if self.low is None else self.low
        below = values <= low if self.low_open else values < low
        return below | (values > self.high)


_TEMPERATURE = Limit(
    ABSOLUTE_ZERO_C,
    MAX_TEMPERATURE_C,
    " °C",
    "hotter than any heat source a district system uses",
    low_open=True,
    why_low="absolute zero; no temperature is at or below it",
)

_SUFFIXES: tuple[tuple[str, Limit], ...] = (
    # longest first: `_eur_per_mwh` before `_mwh`, `_t_per_mwh` before `_mwh`
    ("_eur_per_mwh_year", Limit(None, 1e7, " EUR/MWh/yr", "as an investment per MWh")),
    ("_eur_per_mw_year", Limit(None, 1e9, " EUR/MW/yr", "as an investment per MW")),
    ("_eur_per_m2_year", Limit(None, 1e6, " EUR/m²/yr", "as an investment per m²")),
    ("_eur_per_mwh", Limit(None, 1e7, " EUR/MWh", "10,000 EUR/kWh; no price or cost comes near")),
    ("_eur_per_mw", Limit(None, 1e9, " EUR/MW", "1,000 EUR/W; plants cost about 1 EUR/W")),
    ("_eur_per_m2", Limit(None, 1e6, " EUR/m²", "collectors cost some 100-500 EUR/m²")),
    ("_eur_per_t", Limit(None, 1e6, " EUR/t", "carbon prices are below 1,000 EUR/t")),
    ("_t_per_mwh", Limit(None, 10.0, " t/MWh", "burning coal emits about 0.35 t/MWh")),
    ("_mwh_per_mwh", Limit(None, 1e3, " MWh/MWh", "a ratio of energies")),
    ("_kwh_per_km", Limit(None, 1e4, " kWh/km", "a heavy truck uses about 1.5 kWh/km")),
    ("_mw_per_mwh", Limit(None, 1e4, " MW/MWh", "a store charged in under a second")),
    ("_w_per_m2", Limit(None, 2000.0, " W/m²", "the solar constant is 1,361 W/m²")),
    ("_gwh", Limit(None, 1e6, " GWh", "1,000 TWh a year, about all the heat Germany uses")),
    ("_mwh", Limit(None, 1e9, " MWh", "1,000 TWh, about all the EU's gas storage holds")),
    ("_mw", Limit(None, 1e5, " MW", "100 GW; the largest power station is 22.5 GW")),
    ("_m2", Limit(None, 1e8, " m²", "100 km²; the largest solar heat field is 0.16 km²")),
    ("_km", Limit(None, 1e12, " km", "a billion vehicles at 1,000 km each")),
    ("_t", Limit(None, 1e10, " t", "a quarter of the world's CO2 a year")),
    ("_k", Limit(None, 1000.0, " K", "beyond any approach, lift or glide")),
    ("_c", _TEMPERATURE),
)

_YEAR = Limit(1900, 2200, "", "the range of the scenario's `year`")
_YEARS = Limit(None, 1000, " years", "no plant or period lasts longer")
_ANY = Limit(-MAX_ANY, MAX_ANY, "", "beyond it the model cannot be solved reliably")
_EXACT = {"km_per_vehicle_year": Limit(None, 1e7, " km", "250 times around the Earth")}

_TRANSPARENT = {"curve"}
"""Keys whose values take the limit of the key above them (``supply_temperature_c.curve``)."""


def limit_for(path: Sequence[str | int]) -> Limit:
    """The limit of the value at key path ``path`` (see the module docstring)."""
    key = next(
        (p for p in reversed(path) if isinstance(p, str) and p not in _TRANSPARENT),
        "",
    )
    if key in _EXACT:
        return _EXACT[key]
    for suffix, limit in _SUFFIXES:
        if key.endswith(suffix):
            return limit
    if key == "year" or key.endswith("_year"):
        return _YEAR
    if key.endswith("_years"):
        return _YEARS
    return _ANY


def _num(x: float) -> str:
    if abs(x) >= 1e7:
        return f"{x:.0e}".replace("e+0", "e").replace("e+", "e")
    return f"{x:,.10g}"
