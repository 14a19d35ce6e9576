"""Write the city template's synthetic hourly series (2030, 8,760 h) into city/series/.

Synthetic, not measured: replace them with your own. ``spot.csv`` is the Lund example's
synthetic SE4 price (examples/lund/SOURCES.md) under the column name ``SE4``; the campus demand
[kW], the data centre's heat [MW] and the sea temperature [°C] are smooth seasonal curves with a
daily cycle, seeded so that the files never change.

Run with ``python src/restvarme/templates/make_city_series.py``; ``restvarme init`` copies
the folder ``city/``, not this script.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent / "city"
LUND_PRICE = HERE.parents[3] / "examples" / "lund" / "series" / "spot_price_se4_synthetic.csv"


def main() -> None:
    time = pd.date_range("2030-01-01", periods=8760, freq="h")
    day = (time.dayofyear.to_numpy() - 1) / 365.0
    hour = time.hour.to_numpy()
    rng = np.random.default_rng(2030)
    winter = np.cos(2 * np.pi * (day - 0.04))  # +1 in mid-January, -1 in mid-July
    out = HERE / "series"
    out.mkdir(exist_ok=True)
    price = pd.read_csv(LUND_PRICE)["price_eur_per_mwh"].to_numpy()
    pd.DataFrame({"time": time, "SE4": price}).to_csv(out / "spot.csv", index=False)
    campus_kw = 3000 + 2200 * winter + 500 * np.sin(2 * np.pi * (hour - 6) / 24)
    campus_kw += rng.normal(0, 80, len(time))
    pd.DataFrame({"time": time, "demand_kw": np.round(campus_kw.clip(400), 0)}).to_csv(
        out / "campus_demand.csv", index=False
    )
    dc_mw = 2.0 + 0.3 * np.sin(2 * np.pi * (hour - 14) / 24) + rng.normal(0, 0.05, len(time))
    pd.DataFrame({"time": time, "heat_mw": np.round(dc_mw, 3)}).to_csv(
        out / "dc_heat.csv", index=False
    )
    sea_c = 10.5 - 6.5 * np.cos(2 * np.pi * (day - 0.62 + 0.5))  # ~4 °C in March, ~17 in August
    pd.DataFrame({"time": time, "temperature_c": np.round(sea_c, 2)}).to_csv(
        out / "sea_temperature.csv", index=False
    )


if __name__ == "__main__":
    main()
