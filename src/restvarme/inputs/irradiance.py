"""Built-in SYNTHETIC global horizontal irradiance (GHI) for the reference climates.

The series made here is SYNTHETIC, not measured weather (:data:`SYNTHETIC` is ``True``): a clear
sky scaled by a monthly clearness factor and a random day-to-day factor, calibrated so that a
full year adds up to a published annual global irradiation of the city. It lets examples with a
``solar_thermal`` unit run without a weather file. For studies, pass measured or satellite GHI
(PVGIS, Meteonorm, the national weather service) instead.

How the series is built (vectorised, well under a second per hourly year):

1. Clear-sky GHI with the Ineichen-Perez model [1]_ and the Linke turbidity climatology of
   Remund et al. [2]_ that ships with pvlib (:func:`pvlib.clearsky.lookup_linke_turbidity`),
   the sun taken at the middle of each interval (``timestamps="interval_start"``: a value is the
   mean of the hour that starts at its stamp).
2. Monthly clearness factors: an ASSUMED relative seasonal shape per climate (cloudier winters
   in the north, a flat year in Barcelona), times one constant chosen so that the clear-sky
   year of :data:`REFERENCE_YEAR` (hourly) multiplied by the factors equals the cited annual
   irradiation. Only the annual total is cited; the monthly shape is an assumption.
3. Day-to-day weather: one log-normal factor per day with AR(1) persistence (seeded, so the
   series is deterministic), renormalised in every calendar month so the month keeps its energy
   and capped so that no day is brighter than the clear sky. Within a day the clear-sky shape
   is kept (no hour-to-hour cloud flicker).

The day factors are drawn independently of the temperature anomalies of
:func:`restvarme.inputs.weather.synthetic_outdoor_temperature`; sunny days are not warmer.

Naive time stamps are local standard time of the site (``utc_offset_h`` in :data:`SITES`, CET
for all three), as the wall-clock hours of the synthetic temperature are. Use the same
convention when transposing to the collector plane::

    site = SITES["lund"]
    poa = plane_of_array_irradiance(ghi, index, site.latitude_deg, site.longitude_deg, 35, 180,
                                    utc_offset_h=site.utc_offset_h, timestamps="interval_start")

References
----------
.. [1] P. Ineichen, R. Perez, "A new airmass independent formulation for the Linke turbidity
   coefficient", Solar Energy 73(3), 151-157, 2002. doi:10.1016/S0038-092X(02)00045-2
.. [2] J. Remund, L. Wald, M. Lefèvre, T. Ranchin, J. Page, "Worldwide Linke turbidity
   information", Proc. ISES Solar World Congress, Göteborg, 2003.
.. [3] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for
   modeling solar energy systems", JOSS 3(29), 884, 2018. doi:10.21105/joss.00884
.. [4] SMHI station normals 1961-1990 of global radiation, as reported from SMHI data on
   bengtsvillablogg.info, 2012-02-22 ("Solstrålning under januari") - see :data:`SITES`.
.. [5] Institut Català d'Energia (ICAEN), "Atlas de radiació solar a Catalunya", as summarised
   by the Col·legi d'Arquitectes de Catalunya (coac.net, "L'Atlas de radiació solar a
   Catalunya").
.. [6] KNMI, Dutch annual mean global radiation, as given by Groen Kennisnet, "Globale straling"
   (wiki.groenkennisnet.nl), with KNMI as the source of its data; station differences from
   daglichtontwerp.nl, "Daglicht in Nederland" (KNMI data 2001-2013).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = [
    "REFERENCE_YEAR",
    "SITES",
    "SYNTHETIC",
    "IrradianceSite",
    "calibrated_monthly_clearness",
    "clear_sky_ghi_w_per_m2",
    "site_names",
    "synthetic_ghi_w_per_m2",
]

SYNTHETIC = True
"""The irradiance made by this module is synthetic, not measured weather."""

REFERENCE_YEAR = 2030
"""Hourly calendar year on which the monthly clearness factors are calibrated."""

_MAX_CLEARNESS = 1.0  # no day brighter than the Ineichen clear sky
_DAILY_PERSISTENCE = 0.5  # ASSUMED lag-one-day autocorrelation of log day factors
_RNG_STREAM = 0x50_1A  # keeps the day factors apart from weather.py's draws for the same seed

# ASSUMED relative monthly clearness shapes, January ... December (scaled to the annual total).
_LUND_SHAPE = (0.70, 0.78, 0.88, 0.97, 1.04, 1.04, 1.01, 0.99, 0.94, 0.84, 0.72, 0.66)
_BARCELONA_SHAPE = (0.95, 0.96, 0.97, 0.98, 1.00, 1.03, 1.06, 1.03, 0.99, 0.96, 0.95, 0.94)
_THE_HAGUE_SHAPE = (0.74, 0.80, 0.89, 0.98, 1.03, 1.02, 1.00, 0.99, 0.95, 0.87, 0.77, 0.71)


@dataclass(frozen=True)
class IrradianceSite:
    """Position, cited annual irradiation and assumed cloudiness of a reference climate.

    Attributes
    ----------
    name : str
        Climate key, as in :data:`restvarme.inputs.weather.CLIMATES`.
    latitude_deg, longitude_deg : float
        Position [° north, ° east] (city centre, rounded).
    altitude_m : float
        Altitude [m] (approximate).
    utc_offset_h : float
        UTC offset of naive time stamps [h] (local standard time).
    annual_ghi_kwh_per_m2 : float
        Cited annual global horizontal irradiation [kWh/m²/yr] the synthetic year reproduces.
    relative_monthly_clearness : tuple of 12 float
        ASSUMED relative clearness of January ... December [-]; only the shape matters, it is
        scaled to the annual total.
    daily_clearness_std : float
        ASSUMED standard deviation of the log day factor [-] (day-to-day cloudiness).
    source : str
        Where the annual value comes from and what is assumed.
    """

    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    utc_offset_h: float
    annual_ghi_kwh_per_m2: float
    relative_monthly_clearness: tuple[float, ...]
    daily_clearness_std: float
    source: str

    def __post_init__(self) -> None:
        if len(self.relative_monthly_clearness) != 12:
            raise ValueError(f"IrradianceSite {self.name!r}: need 12 monthly clearness values.")
        if min(self.relative_monthly_clearness) <= 0 or self.daily_clearness_std < 0:
            raise ValueError(f"IrradianceSite {self.name!r}: clearness > 0 and std >= 0 needed.")
        if self.annual_ghi_kwh_per_m2 <= 0:
            raise ValueError(f"IrradianceSite {self.name!r}: annual irradiation must be > 0.")


SITES: dict[str, IrradianceSite] = {
    "lund": IrradianceSite(
        name="lund",
        latitude_deg=55.70,
        longitude_deg=13.19,
        altitude_m=50.0,
        utc_offset_h=1.0,
        # 16.4 kWh/m² in January 2012 was "20 % above" the 1961-1990 normal, and January is
        # "1.41 %" of Lund's normal year: 16.4 / 1.20 / 0.0141 = 969 kWh/m² (about ±1 % from
        # the rounding of the two percentages).
        annual_ghi_kwh_per_m2=969.0,
        relative_monthly_clearness=_LUND_SHAPE,
        daily_clearness_std=0.45,
        source=(
            "Annual: SMHI 1961-1990 normal of global radiation at station Lund, derived from "
            "the SMHI figures reported on bengtsvillablogg.info (2012-02-22: "
            "January 2012 16.4 kWh/m², 20 % above normal; January = 1.41 % of the normal "
            "year), not read from SMHI's table itself. SMHI data summarised on the same blog "
            "(2016-02-22) put 2002-2015 3.6-8.2 % above the 1961-1990 normals from Stockholm "
            "southwards, so a recent Lund year is brighter. ASSUMED: monthly shape, day-to-day "
            "spread, altitude."
        ),
    ),
    "barcelona": IrradianceSite(
        name="barcelona",
        latitude_deg=41.39,
        longitude_deg=2.17,
        altitude_m=12.0,
        utc_offset_h=1.0,
        # "about 4 kWh/m² (14.5 MJ/m²)" a day on average over the year: 14.5 * 365 / 3.6
        annual_ghi_kwh_per_m2=14.5 * 365 / 3.6,
        relative_monthly_clearness=_BARCELONA_SHAPE,
        daily_clearness_std=0.25,
        source=(
            "Annual: ICAEN, Atlas de radiació solar a Catalunya, as summarised by COAC "
            "(coac.net): the annual mean daily global radiation in Catalonia is 'about 4 "
            "kWh/m² (14.5 MJ/m²)', without significant differences across the territory; a "
            "regional mean, not a Barcelona station value. ASSUMED: monthly shape, day-to-day "
            "spread."
        ),
    ),
    "the_hague": IrradianceSite(
        name="the_hague",
        latitude_deg=52.08,
        longitude_deg=4.30,
        altitude_m=1.0,
        utc_offset_h=1.0,
        # 3650 MJ/m² a year, the Dutch mean: 3650 / 3.6
        annual_ghi_kwh_per_m2=3650 / 3.6,
        relative_monthly_clearness=_THE_HAGUE_SHAPE,
        daily_clearness_std=0.40,
        source=(
            "Annual: KNMI, 'per year on average 3650 MJ/m² of global radiation in the "
            "Netherlands', as given by Groen Kennisnet ('Globale straling'); a national mean. "
            "The coast around The Hague gets somewhat more: in KNMI data 2001-2013 the "
            "stations differ by up to about 10 %, the coast being brightest "
            "(daglichtontwerp.nl). ASSUMED: monthly shape, day-to-day spread."
        ),
    ),
}


def site_names() -> list[str]:
    """Names of the built-in irradiance sites, sorted (the weather module's climates)."""
    return sorted(SITES)


def _resolve_site(climate: str | IrradianceSite) -> IrradianceSite:
    if isinstance(climate, IrradianceSite):
        return climate
    site = SITES.get(str(climate).strip().lower())
    if site is None:
        raise ValueError(
            f"Unknown climate {climate!r}; built-in irradiance sites are {site_names()}. "
            "Use one of these names, pass an IrradianceSite, or give measured irradiance."
        )
    return site


def _local_times(index: pd.DatetimeIndex, site: IrradianceSite) -> pd.DatetimeIndex:
    if index.tz is None:
        return index.tz_localize(dt.timezone(dt.timedelta(hours=site.utc_offset_h)))
    return index


def _interval_middles(index: pd.DatetimeIndex, timestamps: str) -> pd.DatetimeIndex:
    if timestamps == "instant":
        return index
    if timestamps not in ("interval_start", "interval_end"):
        raise ValueError(
            f"timestamps must be 'instant', 'interval_start' or 'interval_end', got {timestamps!r}."
        )
    if index.freq is not None:
        step = pd.Timedelta(index.freq)
    elif len(index) > 1:
        step = (index[1:] - index[:-1]).median()
    else:
        raise ValueError("Cannot infer the interval of a single stamp; pass timestamps='instant'.")
    return index + step / 2 if timestamps == "interval_start" else index - step / 2


def clear_sky_ghi_w_per_m2(
    climate: str | IrradianceSite, index: pd.DatetimeIndex, *, timestamps: str = "interval_start"
) -> np.ndarray:
    """Clear-sky GHI of a site: Ineichen-Perez with pvlib's Linke turbidity climatology [W/m²].

    Parameters
    ----------
    climate : str or IrradianceSite
        A built-in site name (see :func:`site_names`) or own site data.
    index : pandas.DatetimeIndex
        Time stamps; naive ones are local standard time of the site.
    timestamps : {"interval_start", "interval_end", "instant"}, default "interval_start"
        What a stamp stands for; for intervals the sun is taken at the interval's middle.

    Returns
    -------
    numpy.ndarray
        Clear-sky global horizontal irradiance [W/m²], >= 0, one value per stamp.

    References
    ----------
    .. [1] P. Ineichen, R. Perez, Solar Energy 73(3), 151-157, 2002.
       doi:10.1016/S0038-092X(02)00045-2
    """
    import pvlib  # deferred: importing pvlib takes about half a second

    site = _resolve_site(climate)
    index = pd.DatetimeIndex(index)
    if len(index) == 0:
        return np.zeros(0)
    times = _interval_middles(_local_times(index, site), timestamps)
    location = pvlib.location.Location(
        site.latitude_deg, site.longitude_deg, altitude=site.altitude_m
    )
    clear_sky = location.get_clearsky(times, model="ineichen")
    return np.maximum(np.nan_to_num(clear_sky["ghi"].to_numpy(dtype=float)), 0.0)


@lru_cache(maxsize=16)
def calibrated_monthly_clearness(climate: str | IrradianceSite) -> np.ndarray:
    """Monthly clearness factors of a site, calibrated to its cited annual irradiation [-].

    The factors are the site's relative monthly shape times one constant, chosen so that the
    hourly clear-sky GHI of :data:`REFERENCE_YEAR` times the factor of each month adds up to
    ``annual_ghi_kwh_per_m2``.

    Returns
    -------
    numpy.ndarray
        Twelve factors, January ... December [-], each in (0, 1].
    """
    site = _resolve_site(climate)
    year = pd.date_range(f"{REFERENCE_YEAR}-01-01", f"{REFERENCE_YEAR}-12-31 23:00", freq="h")
    clear_sky_kwh = clear_sky_ghi_w_per_m2(site, year) / 1000.0
    monthly_kwh = np.bincount(year.month - 1, weights=clear_sky_kwh, minlength=12)
    shape = np.asarray(site.relative_monthly_clearness, dtype=float)
    factors = shape * site.annual_ghi_kwh_per_m2 / float(np.dot(shape, monthly_kwh))
    if factors.max() > _MAX_CLEARNESS:
        raise ValueError(
            f"Site {site.name!r}: {site.annual_ghi_kwh_per_m2:.0f} kWh/m² a year needs a "
            f"clearness of {factors.max():.2f} in some month, above the clear sky; check the "
            "annual value and the monthly shape."
        )
    factors.setflags(write=False)
    return factors


def _day_factors(site: IrradianceSite, n_days: int, seed: int) -> np.ndarray:
    """Log-normal day factors with AR(1) persistence, median 1 [-]."""
    rng = np.random.default_rng((seed, _RNG_STREAM))
    shocks = rng.standard_normal(n_days)
    phi = _DAILY_PERSISTENCE
    log_factor = np.empty(n_days)
    log_factor[0] = shocks[0]
    scale = np.sqrt(1.0 - phi**2)
    for day in range(1, n_days):
        log_factor[day] = phi * log_factor[day - 1] + scale * shocks[day]
    return np.exp(site.daily_clearness_std * log_factor)


def _rescale_within_cap(
    factor: np.ndarray, weight: np.ndarray, cap: float, iterations: int = 60
) -> np.ndarray:
    """Scale ``factor`` to weighted mean 1 with no value above ``cap`` (cap >= 1), water-filling."""
    total = weight.sum()
    if total <= 0:
        return np.ones_like(factor)
    factor = factor.copy()
    for _ in range(iterations):
        free = factor < cap
        fixed_energy = cap * weight[~free].sum()
        free_energy = float(np.dot(weight[free], factor[free]))
        if free_energy <= 0:
            break
        factor[free] *= (total - fixed_energy) / free_energy
        if factor.max() <= cap * (1 + 1e-12):
            break
        factor = np.minimum(factor, cap)
    return np.minimum(factor, cap)


def synthetic_ghi_w_per_m2(
    climate: str | IrradianceSite,
    index: pd.DatetimeIndex,
    seed: int = 0,
    *,
    timestamps: str = "interval_start",
) -> np.ndarray:
    """SYNTHETIC global horizontal irradiance of a reference climate (NOT measured weather).

    Clear sky × calibrated monthly clearness × seeded day-to-day factor; see the module
    docstring. Deterministic for a given ``seed``. Over :data:`REFERENCE_YEAR` (hourly) the sum
    equals the site's cited ``annual_ghi_kwh_per_m2`` for every seed; other years differ by the
    small year-to-year change of the clear sky (and a leap day).

    Parameters
    ----------
    climate : str or IrradianceSite
        A built-in site name (``"lund"``, ``"barcelona"``, ``"the_hague"``) or own site data.
    index : pandas.DatetimeIndex
        Time stamps in time order (typically hourly). Naive stamps are local standard time of
        the site (``SITES[climate].utc_offset_h``).
    seed : int, default 0
        Seed of the day-to-day factors.
    timestamps : {"interval_start", "interval_end", "instant"}, default "interval_start"
        What a stamp stands for; the default makes each value the mean of the interval that
        starts at its stamp. Transpose with the same convention.

    Returns
    -------
    numpy.ndarray
        Synthetic GHI [W/m²], >= 0, never above the clear sky, one value per stamp.

    References
    ----------
    .. [1] P. Ineichen, R. Perez, Solar Energy 73(3), 151-157, 2002.
       doi:10.1016/S0038-092X(02)00045-2
    .. [2] D. S. Wilks, "Statistical Methods in the Atmospheric Sciences", 3rd ed., Academic
       Press, 2011 (AR(1) models of daily weather).
    """
    site = _resolve_site(climate)
    index = pd.DatetimeIndex(index)
    if len(index) == 0:
        return np.zeros(0)
    if not index.is_monotonic_increasing:
        raise ValueError("index must be in time order; sort it first (index.sort_values()).")
    clear_sky = clear_sky_ghi_w_per_m2(site, index, timestamps=timestamps)
    month_clearness = calibrated_monthly_clearness(site)[np.asarray(index.month) - 1]

    day_serial = np.asarray((index.normalize() - index[0].normalize()) / pd.Timedelta(days=1))
    day_codes = np.rint(day_serial).astype(int)
    n_days = int(day_codes[-1]) + 1
    day_factor = _day_factors(site, n_days, seed)
    day_energy = np.bincount(day_codes, weights=clear_sky, minlength=n_days)
    day_month = np.zeros(n_days, dtype=int)
    month_serial = np.asarray(index.year * 12 + index.month - 1)
    day_month[day_codes] = month_serial
    day_clearness = np.zeros(n_days)
    day_clearness[day_codes] = month_clearness
    for month in np.unique(month_serial):
        days = np.flatnonzero((day_month == month) & (np.bincount(day_codes, minlength=n_days) > 0))
        cap = _MAX_CLEARNESS / day_clearness[days[0]]
        day_factor[days] = _rescale_within_cap(day_factor[days], day_energy[days], cap)
    return clear_sky * month_clearness * day_factor[day_codes]
