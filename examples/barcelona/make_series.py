"""Make the synthetic hourly series of the Barcelona example (run once; the CSVs are committed).

All three series are ASSUMED (no measured data can be fetched here); each is deterministic
(seed 2030). Replace them with real series for decisions.

``series/spot_price_es_synthetic.csv``: a day-ahead price for Spain in 2030 [EUR/MWh]. Mean
60 EUR/MWh; a solar dip around 14:00 that is deepest in spring and summer, an evening peak at
about 21:00, lower weekends, weather-like persistent deviations (AR(1) over days) and a few
evening spikes.

``series/sea_temperature_c.csv``: sea-water temperature at the intake [°C], interpolated from
assumed monthly values for the Catalan coast (about 13 °C in February, 25.5 °C in August) with a
small daily wobble. It is the condenser medium of the seawater-cooled chillers.

``series/lng_cold_available_mw.csv``: waste cold the LNG terminal can give [MW]. Up to 18 MW
(sourced: ajuntament.barcelona.cat); the hourly share follows an assumed regasification send-out:
higher in winter, a daily shape, and a few low-send-out days.

Usage: ``python examples/barcelona/make_series.py``
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
YEAR = 2030

#: ASSUMED monthly mean sea-surface temperature off Barcelona, January ... December [°C].
SEA_MONTHLY_C = (13.5, 13.0, 13.5, 14.5, 17.0, 21.0, 24.0, 25.5, 24.0, 21.0, 17.5, 15.0)


def _index(year: int = YEAR) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", periods=8760, freq="h", name="time")


def _ar1(rng: np.random.Generator, n: int, phi: float, std: float) -> np.ndarray:
    shocks = rng.normal(0, std, n)
    out = np.zeros(n)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def spot_price(seed: int = YEAR) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = _index()
    day = index.day_of_year.to_numpy()
    hour = index.hour.to_numpy()
    sun = 0.5 * (1 - np.cos(2 * np.pi * (day - 15) / 365))  # 0 in mid-January, 1 in mid-July
    seasonal = 1 + 0.10 * np.cos(2 * np.pi * (day - 15) / 365)
    solar_dip = (0.25 + 0.30 * sun) * np.exp(-((hour - 14) ** 2) / 8)
    evening = 0.25 * np.exp(-((hour - 21) ** 2) / 4)
    night = -0.10 * np.exp(-((hour - 4) ** 2) / 6)
    daily = 1 - solar_dip + evening + night
    weekend = np.where(index.day_of_week.to_numpy() >= 5, 0.88, 1.0)
    persistent = _ar1(rng, 365, 0.8, 0.2)
    weather = np.exp(persistent[day - 1])
    price = 60 * seasonal * daily * weekend * weather * (1 + rng.normal(0, 0.05, len(index)))
    spikes = rng.choice(np.flatnonzero((hour >= 20) & (hour <= 22)), size=15, replace=False)
    price[spikes] *= rng.uniform(2.0, 3.5, size=spikes.size)
    price = np.maximum(price, 0.0)
    price = price * 60 / price.mean()
    return pd.Series(np.round(price, 2), index=index, name="price_eur_per_mwh")


def sea_temperature(seed: int = YEAR + 1) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = _index()
    month_position = index.month.to_numpy() - 1 + (index.day.to_numpy() - 0.5) / 31
    seasonal = np.interp(month_position, np.arange(12) + 0.5, SEA_MONTHLY_C, period=12)
    wobble = np.repeat(_ar1(rng, 365, 0.9, 0.15), 24)
    return pd.Series(np.round(seasonal + wobble, 2), index=index, name="temperature_c")


def lng_cold_available(seed: int = YEAR + 2) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = _index()
    day = index.day_of_year.to_numpy()
    hour = index.hour.to_numpy()
    seasonal = 0.80 + 0.12 * np.cos(2 * np.pi * (day - 15) / 365)
    daily = 1 + 0.08 * np.sin(2 * np.pi * (hour - 9) / 24)
    days = np.clip(1 + _ar1(rng, 365, 0.7, 0.06), 0.6, 1.15)
    low = rng.choice(365, size=10, replace=False)  # ship gaps: send-out at a minimum
    days[low] = 0.35
    share = np.clip(seasonal * daily * days[day - 1], 0.2, 1.0)
    return pd.Series(np.round(18 * share, 3), index=index, name="available_mw")


if __name__ == "__main__":
    out = HERE / "series"
    out.mkdir(exist_ok=True)
    for name, series in (
        ("spot_price_es_synthetic.csv", spot_price()),
        ("sea_temperature_c.csv", sea_temperature()),
        ("lng_cold_available_mw.csv", lng_cold_available()),
    ):
        series.to_csv(out / name)
        print(f"wrote {out / name}: mean {series.mean():.2f}, min {series.min():.2f}, "
              f"max {series.max():.2f}")
