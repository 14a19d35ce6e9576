"""Tests of restvarme.inputs.demand.

BDEW/SigLinDe sigmoid h = A / (1 + (B / (T - 40))^C) + D, multi-family (HMF, variant 33)
A = 1.2328655, B = -34.7213605, C = 5.8164304, D = 0.0873352 (BDEW Leitfaden Abwicklung von
Standardlastprofilen Gas; the same numbers as oemof demandlib; data/REFERENCE_CITIES.md).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from restvarme.inputs.demand import (
    MULTI_FAMILY,
    bdew_sigmoid_factor,
    bdew_sigmoid_profile,
    degree_hour_profile,
    heat_demand_mw,
)
from restvarme.inputs.weather import synthetic_outdoor_temperature

YEAR = pd.date_range("2030-01-01", periods=8760, freq="h")
LUND_C = synthetic_outdoor_temperature("lund", YEAR, seed=0)


def _hourly(daily_c, start="2030-01-01"):
    index = pd.date_range(start, periods=24 * len(daily_c), freq="h")
    return np.repeat(np.asarray(daily_c, dtype=float), 24), index


def test_coefficients_are_bdew_multi_family():
    assert (MULTI_FAMILY.a, MULTI_FAMILY.b, MULTI_FAMILY.c, MULTI_FAMILY.d) == (
        1.2328655,
        -34.7213605,
        5.8164304,
        0.0873352,
    )


def test_sigmoid_by_hand_at_0_and_15_c():
    # T = 0 °C:  B / (T - 40) = -34.7213605 / -40 = 0.86803401
    #            ln 0.86803401 = -0.14152438; * C = -0.82316; exp -> 0.43904
    #            h = 1.2328655 / 1.43904 + 0.0873352 = 0.85673 + 0.08734 = 0.94406
    # T = 15 °C: B / (T - 40) = 34.7213605 / 25 = 1.38885442
    #            ln 1.38885442 = 0.32847925; * C = 1.91058; exp -> 6.75698
    #            h = 1.2328655 / 7.75698 + 0.0873352 = 0.15894 + 0.08734 = 0.24627
    assert bdew_sigmoid_factor(0.0) == pytest.approx(0.94406, abs=1e-5)
    assert bdew_sigmoid_factor(15.0) == pytest.approx(0.24627, abs=1e-5)
    assert bdew_sigmoid_factor(15.0, include_base=False) == pytest.approx(0.15894, abs=1e-5)


def test_sigmoid_rejects_temperatures_at_or_above_theta_0():
    with pytest.raises(ValueError, match="40"):
        bdew_sigmoid_factor(40.0)


@pytest.mark.parametrize("hot_water_share", [None, 0.0, 0.15, 1.0])
def test_bdew_profile_sums_to_one(hot_water_share):
    weights = bdew_sigmoid_profile(LUND_C, YEAR, hot_water_share=hot_water_share)
    assert weights.shape == (8760,)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(weights > 0)


@pytest.mark.parametrize("hot_water_share", [0.0, 0.15, 1.0])
def test_degree_hour_profile_sums_to_one(hot_water_share):
    weights = degree_hour_profile(LUND_C, hot_water_share=hot_water_share)
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(weights >= 0)


def test_degree_hour_profile_by_hand():
    # limit 15 °C, share 0.2: degree hours (5, 15, 0, 0) sum 20;
    # w = 0.2 / 4 + 0.8 * (5, 15, 0, 0) / 20 = (0.25, 0.65, 0.05, 0.05)
    weights = degree_hour_profile([10.0, 0.0, 15.0, 20.0], hot_water_share=0.2)
    np.testing.assert_allclose(weights, [0.25, 0.65, 0.05, 0.05])


def test_all_warm_year_is_flat():
    # No hour below the heating limit: only the temperature-independent part remains -> flat.
    weights = degree_hour_profile(np.full(8760, 18.0), hot_water_share=0.15)
    np.testing.assert_allclose(weights, 1.0 / 8760)


def test_bdew_constant_temperature_gives_equal_days():
    # Same weighted temperature every day: every day gets 1/365; only the intraday shape varies.
    temperature_c, index = _hourly([5.0] * 365)
    weights = bdew_sigmoid_profile(temperature_c, index, hot_water_share=0.15)
    np.testing.assert_allclose(weights.reshape(365, 24).sum(axis=1), 1.0 / 365)


@given(st.lists(st.floats(min_value=-25.0, max_value=25.0), min_size=2, max_size=50))
def test_degree_hour_colder_hour_gets_more(temperatures):
    temperature_c = np.array(temperatures)
    weights = degree_hour_profile(temperature_c, hot_water_share=0.1)
    order = np.argsort(temperature_c, kind="stable")
    assert np.all(np.diff(weights[order]) <= 1e-15)


@given(
    st.lists(st.floats(min_value=-25.0, max_value=30.0), min_size=5, max_size=20),
    st.sampled_from([None, 0.15]),
)
def test_bdew_colder_weighted_day_gets_more(daily_c, hot_water_share):
    temperature_c, index = _hourly(daily_c)
    weights = bdew_sigmoid_profile(temperature_c, index, hot_water_share=hot_water_share)
    daily_weight = weights.reshape(len(daily_c), 24).sum(axis=1)
    weighted_c = []
    for day in range(len(daily_c)):
        past = [daily_c[max(day - lag, 0)] for lag in range(4)]
        weighted_c.append(np.dot([1, 0.5, 0.25, 0.125], past) / 1.875)
    order = np.argsort(weighted_c, kind="stable")
    assert np.all(np.diff(daily_weight[order]) <= 1e-12)


def test_bdew_first_days_pad_with_the_first_day():
    # Day 0 at -10 °C, then 10 °C. Days before the index repeat day 0 (-10 °C), so
    #   day 0: -10 °C
    #   day 1: (10 - 0.5 * 10 - 0.25 * 10 - 0.125 * 10) / 1.875 = 1.25 / 1.875 = 0.6667 °C
    #   day 2: (10 + 0.5 * 10 - 0.25 * 10 - 0.125 * 10) / 1.875 = 11.25 / 1.875 = 6.0 °C
    #   day 3: (10 + 0.5 * 10 + 0.25 * 10 - 0.125 * 10) / 1.875 = 16.25 / 1.875 = 8.6667 °C
    #   day 4 onwards: 10 °C.
    temperature_c, index = _hourly([-10.0] + [10.0] * 6)
    weights = bdew_sigmoid_profile(temperature_c, index)
    daily_weight = weights.reshape(7, 24).sum(axis=1)
    expected_c = [-10.0, 1.25 / 1.875, 11.25 / 1.875, 16.25 / 1.875, 10.0, 10.0, 10.0]
    h = bdew_sigmoid_factor(np.array(expected_c))
    np.testing.assert_allclose(daily_weight, h / h.sum())


def test_bdew_validates_index_length():
    with pytest.raises(ValueError, match="index has 24 time stamps"):
        bdew_sigmoid_profile(np.zeros(48), YEAR[:24])


def test_heat_demand_mw_scales_weights():
    weights = degree_hour_profile(LUND_C)
    demand_mw = heat_demand_mw(1_000_000.0, weights)  # 1,000 GWh/yr, the assumed LLE demand
    # hourly snapshots: MW in an hour = MWh, so the year sums to the annual energy
    assert demand_mw.sum() == pytest.approx(1_000_000.0)
    assert demand_mw.max() > 1_000_000.0 / 8760
