"""Make the synthetic hourly series of the Lund example (run once; the CSVs are committed).

``series/spot_price_se4_synthetic.csv``: an ASSUMED day-ahead price for bidding zone SE4 in 2030
[EUR/MWh]. No market data can be fetched here, so the series is synthetic: a mean of 55 EUR/MWh,
winter prices about 35 % above summer, a working-day shape with morning and evening peaks,
lower weekends, weather-like persistent deviations (AR(1) over days) and a few evening spikes.
It is deterministic (seed 2030). Replace it with a real series for decisions.

Usage: ``python examples/lund/make_series.py``
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def spot_price(year: int = 2030, seed: int = 2030) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range(f"{year}-01-01", periods=8760, freq="h", name="time")
    day_of_year = index.day_of_year.to_numpy()
    hour = index.hour.to_numpy()
    seasonal = 1 + 0.15 * np.cos(2 * np.pi * (day_of_year - 15) / 365)
    daily = (1 + 0.18 * np.exp(-((hour - 8) ** 2) / 4) + 0.22 * np.exp(-((hour - 18) ** 2) / 5)
             - 0.15 * np.exp(-((hour - 3) ** 2) / 6))
    weekend = np.where(index.day_of_week.to_numpy() >= 5, 0.85, 1.0)
    days = 365
    shocks = rng.normal(0, 0.25, days)
    persistent = np.zeros(days)
    for d in range(1, days):
        persistent[d] = 0.8 * persistent[d - 1] + shocks[d]
    weather = np.exp(persistent[day_of_year - 1] - 0.5 * 0.25**2 / (1 - 0.8**2))
    noise = rng.normal(0, 0.05, len(index))
    price = 55 * seasonal * daily * weekend * weather * (1 + noise)
    spikes = rng.choice(np.flatnonzero((hour >= 17) & (hour <= 19)), size=20, replace=False)
    price[spikes] *= rng.uniform(2.5, 5.0, size=spikes.size)
    price = price * 55 / price.mean()
    return pd.Series(np.round(price, 2), index=index, name="price_eur_per_mwh")


if __name__ == "__main__":
    out = HERE / "series" / "spot_price_se4_synthetic.csv"
    spot_price().to_csv(out)
    print(f"wrote {out}")
