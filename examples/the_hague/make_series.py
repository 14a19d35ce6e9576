"""Make the synthetic hourly series of The Hague example (run once; the CSVs are committed).

Both series are ASSUMED (no measured data can be fetched here); each is deterministic (seed
2030). Replace them with real series for decisions.

``series/spot_price_nl_synthetic.csv``: a day-ahead price for the Netherlands in 2030 [EUR/MWh].
Mean 75 EUR/MWh; winter about 20 % above summer, morning and evening peaks, a midday solar dip
in summer, lower weekends, windy spells that pull prices down for days (AR(1) over days), a few
hours at or below zero and a few evening spikes.

``series/canal_temperature_c.csv``: surface water temperature of the canals and harbour basins
that feed the aquathermal heat pumps [°C], interpolated from assumed monthly values (about 5 °C
in January and February, 20 °C in July and August) with a daily-persistence wobble.

Usage: ``python examples/the_hague/make_series.py``
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
YEAR = 2030

#: ASSUMED monthly mean surface-water temperature in The Hague's canals, January ... December [°C].
CANAL_MONTHLY_C = (5.0, 5.0, 7.0, 10.0, 14.0, 18.0, 20.0, 20.0, 17.0, 13.0, 9.0, 6.0)


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
    sun = 0.5 * (1 - np.cos(2 * np.pi * (day - 15) / 365))
    seasonal = 1 + 0.10 * np.cos(2 * np.pi * (day - 15) / 365)
    daily = (1 + 0.15 * np.exp(-((hour - 8) ** 2) / 4) + 0.25 * np.exp(-((hour - 19) ** 2) / 5)
             - (0.10 + 0.35 * sun) * np.exp(-((hour - 13) ** 2) / 8))
    weekend = np.where(index.day_of_week.to_numpy() >= 5, 0.85, 1.0)
    wind = _ar1(rng, 365, 0.75, 0.3)  # positive = windy: lower prices
    weather = np.exp(-wind[day - 1])
    price = 75 * seasonal * daily * weekend * weather * (1 + rng.normal(0, 0.06, len(index)))
    spikes = rng.choice(np.flatnonzero((hour >= 17) & (hour <= 20)), size=15, replace=False)
    price[spikes] *= rng.uniform(2.0, 4.0, size=spikes.size)
    price = price * 75 / price.mean()
    windy_noon = (wind[day - 1] > 0.45) & (hour >= 11) & (hour <= 15) & (sun > 0.5)
    price[windy_noon] = np.minimum(price[windy_noon], rng.uniform(-5, 2, windy_noon.sum()))
    return pd.Series(np.round(price, 2), index=index, name="price_eur_per_mwh")


def canal_temperature(seed: int = YEAR + 1) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = _index()
    month_position = index.month.to_numpy() - 1 + (index.day.to_numpy() - 0.5) / 31
    seasonal = np.interp(month_position, np.arange(12) + 0.5, CANAL_MONTHLY_C, period=12)
    wobble = np.repeat(_ar1(rng, 365, 0.9, 0.25), 24)
    return pd.Series(np.round(np.maximum(seasonal + wobble, 2.0), 2), index=index,
                     name="temperature_c")


if __name__ == "__main__":
    out = HERE / "series"
    out.mkdir(exist_ok=True)
    for name, series in (
        ("spot_price_nl_synthetic.csv", spot_price()),
        ("canal_temperature_c.csv", canal_temperature()),
    ):
        series.to_csv(out / name)
        print(f"wrote {out / name}: mean {series.mean():.2f}, min {series.min():.2f}, "
              f"max {series.max():.2f}")
