"""Tests of the synthetic reference year in restvarme.inputs.weather.

The series is synthetic (not measured weather). We check what it promises: monthly means equal
the normals (Lund: World Weather Information Service via data/REFERENCE_CITIES.md), determinism,
a plausible cold tail, a daily cycle, persistence and no jumps.
"""

import time

import numpy as np
import pandas as pd
import pytest

from restvarme.inputs.weather import (
    CLIMATES,
    ClimateNormals,
    climate_names,
    synthetic_outdoor_temperature,
)

YEAR = pd.date_range("2030-01-01", periods=8760, freq="h")
LUND_MONTHLY_C = (1.0, 1.0, 3.0, 7.5, 12.5, 15.0, 17.5, 18.0, 14.0, 9.0, 6.0, 2.5)


def _monthly_means(values: np.ndarray, index: pd.DatetimeIndex) -> np.ndarray:
    return pd.Series(values, index).groupby([index.year, index.month]).mean().to_numpy()


def test_lund_normals_are_the_reference_values():
    assert CLIMATES["lund"].monthly_mean_c == LUND_MONTHLY_C
    assert CLIMATES["lund"].design_temperature_c == -14.0


@pytest.mark.parametrize("name", ["lund", "barcelona", "the_hague"])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_monthly_means_reproduce_normals(name, seed):
    temperature_c = synthetic_outdoor_temperature(name, YEAR, seed=seed)
    np.testing.assert_allclose(
        _monthly_means(temperature_c, YEAR), CLIMATES[name].monthly_mean_c, atol=0.1
    )


def test_partial_and_multi_year_indexes_keep_monthly_means():
    # starts mid-month, leap year, time zone aware
    index = pd.date_range("2028-02-10", "2028-04-03 23:00", freq="h", tz="Europe/Stockholm")
    temperature_c = synthetic_outdoor_temperature("lund", index, seed=3)
    np.testing.assert_allclose(_monthly_means(temperature_c, index), [1.0, 3.0, 7.5], atol=0.1)
    two_years = pd.date_range("2030-01-01", periods=2 * 8760, freq="h")
    temperature_c = synthetic_outdoor_temperature("lund", two_years, seed=3)
    np.testing.assert_allclose(
        _monthly_means(temperature_c, two_years), LUND_MONTHLY_C * 2, atol=0.1
    )


def test_deterministic_per_seed():
    first = synthetic_outdoor_temperature("lund", YEAR, seed=42)
    again = synthetic_outdoor_temperature(CLIMATES["lund"], YEAR, seed=42)
    other = synthetic_outdoor_temperature("lund", YEAR, seed=43)
    np.testing.assert_array_equal(first, again)
    assert np.max(np.abs(first - other)) > 1.0


@pytest.mark.parametrize("seed", range(5))
def test_lund_cold_tail_reaches_the_design_region(seed):
    """Annual minimum below -5 °C and not below -25 °C.

    The design temperature (-14 °C, assumed) is a rare multi-day extreme used for sizing, so a
    typical synthetic year should get well below freezing (a January mean of 1 °C with 4 K
    daily anomalies gives minima around -6 to -11 °C) but never run far past the design value.
    """
    temperature_c = synthetic_outdoor_temperature("lund", YEAR, seed=seed)
    assert -25.0 < temperature_c.min() < -5.0


def test_daily_cycle_minimum_near_5_and_maximum_near_15():
    temperature_c = synthetic_outdoor_temperature("lund", YEAR, seed=0)
    by_hour = pd.Series(temperature_c).groupby(YEAR.hour).mean()
    assert 4 <= by_hour.idxmin() <= 6
    assert 14 <= by_hour.idxmax() <= 16


def test_day_to_day_persistence():
    # Lag-24 h autocorrelation of daily means, after removing each month's mean so the seasonal
    # cycle does not count as persistence. AR(1) with 0.75 per day; we ask for > 0.5.
    temperature_c = synthetic_outdoor_temperature("lund", YEAR, seed=0)
    daily = pd.Series(temperature_c, YEAR).resample("D").mean()
    anomaly = daily - daily.groupby(daily.index.month).transform("mean")
    assert anomaly.autocorr(lag=1) > 0.5


def test_no_jumps_in_the_hourly_series():
    # Largest hourly change: daily cycle (about 1.5 K/h at most) plus slow anomaly changes;
    # a seam at month boundaries or midnights would show up as a larger step.
    temperature_c = synthetic_outdoor_temperature("lund", YEAR, seed=0)
    assert np.max(np.abs(np.diff(temperature_c))) < 3.0


def test_unknown_climate_lists_known_names():
    with pytest.raises(ValueError, match=r"Unknown climate 'atlantis'.*barcelona.*lund"):
        synthetic_outdoor_temperature("atlantis", YEAR)


def test_climate_names_and_assumed_sources():
    assert climate_names() == ["barcelona", "lund", "the_hague"]
    assert "ASSUMED" in CLIMATES["barcelona"].source
    assert "ASSUMED" in CLIMATES["the_hague"].source
    assert "Assumed" in CLIMATES["lund"].source


def test_climate_normals_validate():
    with pytest.raises(ValueError, match="12 monthly values"):
        ClimateNormals("x", (1.0,) * 11, (2.0,) * 12, 3.0, 0.7, -10.0, "test")
    with pytest.raises(ValueError, match="persistence"):
        ClimateNormals("x", (1.0,) * 12, (2.0,) * 12, 3.0, 1.0, -10.0, "test")


def test_fast_for_a_year():
    best_s = min(_timed(lambda: synthetic_outdoor_temperature("lund", YEAR)) for _ in range(5))
    assert best_s < 0.05


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start
