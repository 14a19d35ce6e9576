"""Tests of restvarme.physics.temperatures, worked by hand from data/REFERENCE_CITIES.md."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given
from hypothesis import strategies as st

from restvarme.physics import (
    direct_use_share,
    supply_temperature_from_curve,
    weighted_mean_temperature,
)

# Lund main network (REFERENCE_CITIES, assumed curve): 70 °C at +10 °C and above, rising
# linearly to 100 °C at -14 °C; return 45 °C.
LUND_MAIN_CURVE = [(-14.0, 100.0), (10.0, 70.0)]


def test_lund_curve_by_hand():
    # slope = (100 - 70) / (10 - (-14)) = 30 / 24 = 1.25 K per K colder;
    # at -2 °C: 12 K below +10 °C -> 70 + 12 * 1.25 = 85 °C
    assert supply_temperature_from_curve(-2.0, LUND_MAIN_CURVE) == pytest.approx(85.0)
    assert supply_temperature_from_curve(-14.0, LUND_MAIN_CURVE) == pytest.approx(100.0)
    assert supply_temperature_from_curve(10.0, LUND_MAIN_CURVE) == pytest.approx(70.0)


def test_lund_curve_flat_beyond_ends():
    outdoor = np.array([-30.0, -14.0, 10.0, 25.0])
    np.testing.assert_allclose(
        supply_temperature_from_curve(outdoor, LUND_MAIN_CURVE), [100.0, 100.0, 70.0, 70.0]
    )


def test_curve_keeps_pandas_and_xarray_labels():
    index = pd.date_range("2030-01-01", periods=3, freq="h")
    series = supply_temperature_from_curve(pd.Series([-2.0, 20.0, -20.0], index), LUND_MAIN_CURVE)
    assert isinstance(series, pd.Series) and series.index.equals(index)
    np.testing.assert_allclose(series.to_numpy(), [85.0, 70.0, 100.0])
    array = supply_temperature_from_curve(xr.DataArray([-2.0], dims="snapshot"), LUND_MAIN_CURVE)
    assert isinstance(array, xr.DataArray) and array.dims == ("snapshot",)


def test_curve_must_increase():
    with pytest.raises(ValueError, match="strictly increasing"):
        supply_temperature_from_curve(0.0, [(10.0, 70.0), (-14.0, 100.0)])


def test_direct_use_share_worked_cases():
    # ESS top level 75 °C into the main net at 70/45, approach 5 K: 70 >= 70 -> direct supply
    assert direct_use_share(75.0, 70.0, 45.0, approach_k=5.0) == pytest.approx(1.0)
    # ESS middle level 52 °C into the main net at its cold-weather 100/45:
    # preheats the return from 45 to 47 °C -> (52 - 5 - 45) / (100 - 45) = 2 / 55
    assert direct_use_share(52.0, 100.0, 45.0) == pytest.approx(2.0 / 55.0)
    # ESS low level 28 °C into Brunnshög 65/35: 23 °C is below the 35 °C return -> 0
    assert direct_use_share(28.0, 65.0, 35.0) == 0.0
    # 52 °C into Brunnshög 65/35: (47 - 35) / 30 = 0.4
    assert direct_use_share(52.0, 65.0, 35.0) == pytest.approx(0.4)


def test_direct_use_share_rejects_swapped_temperatures():
    with pytest.raises(ValueError, match="swapped"):
        direct_use_share(50.0, 40.0, 60.0)


@given(
    source=st.floats(min_value=-10.0, max_value=120.0),
    warmer_by=st.floats(min_value=0.0, max_value=50.0),
    supply=st.floats(min_value=50.0, max_value=110.0),
    spread=st.floats(min_value=5.0, max_value=60.0),
)
def test_direct_use_share_bounded_and_rises_with_source(source, warmer_by, supply, spread):
    cooler = direct_use_share(source, supply, supply - spread)
    warmer = direct_use_share(source + warmer_by, supply, supply - spread)
    assert 0.0 <= cooler <= warmer <= 1.0


def test_weighted_mean_temperature_by_hand():
    # BDEW weights 1, 0.5, 0.25, 0.125 (sum 1.875); earlier days padded with the first day.
    days = np.array([10.0, 2.0, 0.0, 0.0, 8.0])
    expected = [
        10.0,  # day 0: only itself (padding)
        (2.0 + 0.5 * 10 + 0.25 * 10 + 0.125 * 10) / 1.875,  # = 10.75 / 1.875 = 5.7333
        (0.0 + 0.5 * 2 + 0.25 * 10 + 0.125 * 10) / 1.875,  # = 4.75 / 1.875 = 2.5333
        (0.0 + 0.0 + 0.25 * 2 + 0.125 * 10) / 1.875,  # = 1.75 / 1.875 = 0.9333
        (8.0 + 0.0 + 0.0 + 0.125 * 2) / 1.875,  # = 8.25 / 1.875 = 4.4
    ]
    np.testing.assert_allclose(weighted_mean_temperature(days), expected)
    assert expected[1] == pytest.approx(5.7333, abs=1e-4)


@given(st.lists(st.floats(min_value=-30, max_value=30), min_size=1, max_size=40))
def test_weighted_mean_within_range_of_inputs(days):
    weighted = weighted_mean_temperature(np.array(days))
    assert np.all(weighted >= min(days) - 1e-9) and np.all(weighted <= max(days) + 1e-9)


def test_weighted_mean_of_constant_is_constant_and_keeps_series():
    series = pd.Series([4.0] * 6, index=pd.date_range("2030-01-01", periods=6, freq="D"))
    weighted = weighted_mean_temperature(series)
    assert isinstance(weighted, pd.Series)
    np.testing.assert_allclose(weighted.to_numpy(), 4.0)
