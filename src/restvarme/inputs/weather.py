"""Built-in climate normals and a synthetic hourly outdoor temperature from them.

The series made here is a SYNTHETIC reference year, not measured weather: it reproduces the monthly
mean temperatures of a climate exactly (to well within 0.1 K), with a plausible daily cycle and
weather-like day-to-day anomalies, so that examples run without a weather file. For studies of a
real year, pass measured hourly temperatures instead.

How the series is built (all vectorised, about a millisecond per year):

1. Seasonal curve: piecewise-linear between mid-month points whose values are solved so that
   each calendar month's average of the curve equals the monthly normal (a mean-preserving
   interpolation; plain interpolation through the normals would shave about 0.5 K off the peaks).
   It is continuous across month boundaries and across the turn of the year.
2. Daily cycle: half-cosine from the minimum at 05:00 up to the maximum at 15:00 and down again,
   scaled by the month's amplitude (half the mean diurnal range); it averages to zero over a day.
3. Anomalies: one value per day from an AR(1) process (persistence over several days, like
   passing weather systems), linearly interpolated between noons, then re-centred with a smooth
   mean-preserving correction so every calendar month of the series averages to the normal.

References
----------
.. [1] World Meteorological Organization, World Weather Information Service,
   https://worldweather.wmo.int (monthly mean highs and lows; Lund normals as gathered in
   examples/REFERENCE_CITIES.md).
.. [2] D. S. Wilks, "Statistical Methods in the Atmospheric Sciences", 3rd ed., Academic Press,
   2011, chapter "Time Series" (first-order autoregressive models of daily weather).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["CLIMATES", "ClimateNormals", "climate_names", "synthetic_outdoor_temperature"]

_HOUR_OF_MINIMUM = 5.0
_HOUR_OF_MAXIMUM = 15.0


@dataclass(frozen=True)
class ClimateNormals:
    """Monthly climate normals and weather statistics of a place.

    Attributes
    ----------
    name : str
        Short lower-case key, e.g. ``"lund"``.
    monthly_mean_c : tuple of 12 float
        Mean outdoor temperature of January ... December [°C].
    daily_amplitude_c : tuple of 12 float
        Half the mean diurnal range (daily max minus min) of each month [K].
    anomaly_std_c : float
        Standard deviation of daily-mean anomalies around the seasonal curve [K].
    persistence : float
        Lag-one-day autocorrelation of the anomalies (AR(1) coefficient) [-], in ``[0, 1)``.
    design_temperature_c : float
        Design (dimensioning) outdoor temperature [°C].
    source : str
        Where the numbers come from, saying which are assumed.
    """

    name: str
    monthly_mean_c: tuple[float, ...]
    daily_amplitude_c: tuple[float, ...]
    anomaly_std_c: float
    persistence: float
    design_temperature_c: float
    source: str

    def __post_init__(self) -> None:
        for field in ("monthly_mean_c", "daily_amplitude_c"):
            if len(getattr(self, field)) != 12:
                raise ValueError(f"ClimateNormals {self.name!r}: {field} needs 12 monthly values.")
        if min(self.daily_amplitude_c) < 0 or self.anomaly_std_c < 0:
            raise ValueError(f"ClimateNormals {self.name!r}: amplitudes and std must be >= 0.")
        if not 0 <= self.persistence < 1:
            raise ValueError(
                f"ClimateNormals {self.name!r}: persistence must be in [0, 1), "
                f"got {self.persistence}."
            )


CLIMATES: dict[str, ClimateNormals] = {
    "lund": ClimateNormals(
        name="lund",
        monthly_mean_c=(1.0, 1.0, 3.0, 7.5, 12.5, 15.0, 17.5, 18.0, 14.0, 9.0, 6.0, 2.5),
        daily_amplitude_c=(2.0, 2.3, 3.0, 4.0, 4.7, 4.7, 4.5, 4.3, 3.8, 3.0, 2.3, 1.9),
        anomaly_std_c=4.0,
        persistence=0.75,
        design_temperature_c=-14.0,
        source=(
            "Monthly means: midpoints of monthly mean highs and lows, World Weather Information "
            "Service (REFERENCE_CITIES.md). Assumed: daily amplitudes, anomaly std 4 K, "
            "persistence 0.75, design temperature -14 °C."
        ),
    ),
    "barcelona": ClimateNormals(
        name="barcelona",
        monthly_mean_c=(10.0, 10.8, 12.7, 14.6, 17.8, 21.7, 24.6, 25.0, 22.2, 18.4, 13.9, 11.1),
        daily_amplitude_c=(3.8, 3.8, 3.8, 3.7, 3.6, 3.6, 3.5, 3.5, 3.5, 3.6, 3.7, 3.8),
        anomaly_std_c=2.0,
        persistence=0.75,
        design_temperature_c=1.0,
        source=(
            "ASSUMED: approximate coastal Barcelona climate normals (rounded, not taken from a "
            "cited table); daily amplitudes, anomaly std, persistence and design temperature "
            "assumed too."
        ),
    ),
    "the_hague": ClimateNormals(
        name="the_hague",
        monthly_mean_c=(3.8, 4.0, 6.4, 9.3, 12.9, 15.5, 17.6, 17.6, 15.0, 11.3, 7.4, 4.5),
        daily_amplitude_c=(2.2, 2.5, 3.0, 3.6, 3.8, 3.8, 3.7, 3.6, 3.3, 2.9, 2.4, 2.1),
        anomaly_std_c=3.0,
        persistence=0.75,
        design_temperature_c=-10.0,
        source=(
            "ASSUMED: approximate coastal Dutch (The Hague) climate normals (rounded, not taken "
            "from a cited table); daily amplitudes, anomaly std, persistence and design "
            "temperature (-10 °C) assumed too."
        ),
    ),
}


def climate_names() -> list[str]:
    """Names of the built-in climates, sorted."""
    return sorted(CLIMATES)


def _resolve_climate(climate: str | ClimateNormals) -> ClimateNormals:
    """Look up a built-in climate by name, with an error that lists the known names."""
    if isinstance(climate, ClimateNormals):
        return climate
    normals = CLIMATES.get(str(climate).strip().lower())
    if normals is None:
        raise ValueError(
            f"Unknown climate {climate!r}; built-in climates are {climate_names()}. "
            "Use one of these names, pass a ClimateNormals, or give a weather CSV instead."
        )
    return normals


@lru_cache(maxsize=8)
def _mean_preserving_matrix(n_months: int, cyclic: bool) -> np.ndarray:
    """Map mid-month knot values to month averages of their piecewise-linear interpolation.

    Over a month of unit width, the hat functions of its own knot and its two neighbours average
    to 6/8 and 1/8 each. Without wrap-around (``cyclic=False``) the curve is held flat beyond the
    first and last knot, which gives 7/8 and 1/8 in the end months.
    """
    matrix = np.zeros((n_months, n_months))
    for m in range(n_months):
        matrix[m, m] = 6.0
        for neighbour in (m - 1, m + 1):
            if cyclic or 0 <= neighbour < n_months:
                matrix[m, neighbour % n_months] += 1.0
            else:
                matrix[m, m] += 1.0
    return matrix / 8.0


def _mean_preserving_knots(month_means: np.ndarray, *, cyclic: bool) -> np.ndarray:
    """Knot values at mid-months whose linear interpolation averages to ``month_means``."""
    return np.linalg.solve(_mean_preserving_matrix(len(month_means), cyclic), month_means)


def _daily_cycle(hour_of_day: np.ndarray) -> np.ndarray:
    """Unit daily cycle [-]: -1 at 05:00, +1 at 15:00, half-cosines between, zero daily mean."""
    rise_h = _HOUR_OF_MAXIMUM - _HOUR_OF_MINIMUM
    fall_h = 24.0 - rise_h
    since_min_h = np.mod(hour_of_day - _HOUR_OF_MINIMUM, 24.0)
    rising = since_min_h < rise_h
    return np.where(
        rising,
        -np.cos(np.pi * since_min_h / rise_h),
        np.cos(np.pi * (since_min_h - rise_h) / fall_h),
    )


def _ar1_daily_anomalies(normals: ClimateNormals, n_days: int, seed: int) -> np.ndarray:
    """Daily anomalies [K] from a stationary AR(1) process (a short loop over days)."""
    rng = np.random.default_rng(seed)
    phi = normals.persistence
    shocks = rng.standard_normal(n_days) * normals.anomaly_std_c
    anomalies = np.empty(n_days)
    anomalies[0] = shocks[0]
    innovation_scale = np.sqrt(1.0 - phi**2)
    for day in range(1, n_days):
        anomalies[day] = phi * anomalies[day - 1] + innovation_scale * shocks[day]
    return anomalies


def _group_means(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of ``values`` per integer group code (empty groups give 0)."""
    counts = np.bincount(codes, minlength=n_groups)
    sums = np.bincount(codes, weights=values, minlength=n_groups)
    return np.divide(sums, counts, out=np.zeros(n_groups), where=counts > 0)


def synthetic_outdoor_temperature(
    climate: str | ClimateNormals, index: pd.DatetimeIndex, seed: int = 0
) -> np.ndarray:
    """Synthetic hourly outdoor temperature from climate normals (NOT measured weather).

    Deterministic for a given ``seed``. Every calendar month present in ``index`` averages to
    the climate's monthly normal (to well within 0.1 K); see the module docstring for the method.

    Parameters
    ----------
    climate : str or ClimateNormals
        A built-in climate name (see :func:`climate_names`) or own normals.
    index : pandas.DatetimeIndex
        Time stamps, in time order (typically hourly; wall-clock hours are used).
    seed : int, default 0
        Seed of the random anomalies.

    Returns
    -------
    numpy.ndarray
        Outdoor temperature [°C], one value per time stamp.

    References
    ----------
    .. [1] D. S. Wilks, "Statistical Methods in the Atmospheric Sciences", 3rd ed., Academic
       Press, 2011 (chapter "Time Series": AR(1) models).
    """
    normals = _resolve_climate(climate)
    index = pd.DatetimeIndex(index)
    if len(index) == 0:
        return np.zeros(0)
    if not index.is_monotonic_increasing:
        raise ValueError("index must be in time order; sort it first (index.sort_values()).")
    hour_of_day = index.hour + index.minute / 60.0 + index.second / 3600.0
    day_of_month = index.day - 1 + hour_of_day / 24.0
    month0 = np.asarray(index.month - 1)
    month_position = month0 + np.asarray(day_of_month / index.days_in_month)
    mid_months = np.arange(12) + 0.5

    monthly_mean_c = np.asarray(normals.monthly_mean_c)
    seasonal_knots_c = _mean_preserving_knots(monthly_mean_c, cyclic=True)
    temperature_c = np.interp(month_position, mid_months, seasonal_knots_c, period=12.0)
    amplitude_c = np.interp(month_position, mid_months, normals.daily_amplitude_c, period=12.0)
    temperature_c = temperature_c + amplitude_c * _daily_cycle(np.asarray(hour_of_day))

    days = np.asarray((index - index[0].normalize()) / pd.Timedelta(days=1))
    n_days = int(np.floor(days[-1])) + 1
    daily_anomaly_c = _ar1_daily_anomalies(normals, n_days, seed)
    anomaly_c = np.interp(days, np.arange(n_days) + 0.5, daily_anomaly_c)
    temperature_c = temperature_c + anomaly_c
    return _recentre_months(temperature_c, index, month_position, monthly_mean_c)


def _recentre_months(
    temperature_c: np.ndarray,
    index: pd.DatetimeIndex,
    month_position: np.ndarray,
    monthly_mean_c: np.ndarray,
) -> np.ndarray:
    """Shift the series so each calendar month averages to its normal, smoothly then exactly."""
    month_serial = np.asarray(index.year * 12 + index.month - 1)
    codes = month_serial - month_serial[0]
    n_months = int(codes[-1]) + 1
    target_c = monthly_mean_c[(month_serial[0] + np.arange(n_months)) % 12]
    present = np.bincount(codes, minlength=n_months) > 0
    offset_c = np.where(present, _group_means(temperature_c, codes, n_months) - target_c, 0.0)
    # Smooth correction first (no steps at month boundaries), then remove the small remainder.
    knots_c = _mean_preserving_knots(offset_c, cyclic=False)
    position = codes + (month_position - np.floor(month_position))
    temperature_c = temperature_c - np.interp(position, np.arange(n_months) + 0.5, knots_c)
    remainder_c = _group_means(temperature_c, codes, n_months) - target_c
    return temperature_c - np.where(present, remainder_c, 0.0)[codes]
