"""Tests of restvarme.physics.losses (reference: data/REFERENCE_CITIES.md)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from restvarme.physics import (
    network_heat_loss_mw,
    relative_loss_change,
    storage_level_after_standing_loss,
)
from restvarme.physics.losses import (
    calibrated_heat_loss_coefficient_mw_per_k,
    heat_loss_coefficient_mw_per_k,
    loss_share_of_delivered,
)


def test_storage_standing_loss_by_hand():
    # 100 MWh, 1 %/h for a day: 100 * 0.99**24 = 100 * exp(24 * ln 0.99) = 78.568 MWh
    assert storage_level_after_standing_loss(100.0, 0.01, 24) == pytest.approx(78.5678, abs=1e-4)
    assert storage_level_after_standing_loss(100.0, 0.01, 0) == 100.0
    assert storage_level_after_standing_loss(100.0, 0.0, 1000) == 100.0


@given(
    level=st.floats(min_value=0, max_value=1e4),
    loss=st.floats(min_value=0, max_value=0.5),
    first=st.floats(min_value=0, max_value=100),
    second=st.floats(min_value=0, max_value=100),
)
def test_standing_loss_composes_over_time(level, loss, first, second):
    stepwise = storage_level_after_standing_loss(
        storage_level_after_standing_loss(level, loss, first), loss, second
    )
    at_once = storage_level_after_standing_loss(level, loss, first + second)
    assert stepwise == pytest.approx(at_once, rel=1e-9, abs=1e-12)
    assert at_once <= level


def test_standing_loss_validates_fraction():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        storage_level_after_standing_loss(100.0, 1.5, 1)
    with pytest.raises(ValueError, match="hours"):
        storage_level_after_standing_loss(100.0, 0.01, -1)


def test_network_heat_loss_by_hand():
    # UA 0.05 MW/K, 90/50 °C -> mean 70 °C, ground 10 °C: 0.05 * 60 = 3 MW
    assert network_heat_loss_mw(0.05, 90.0, 50.0, 10.0) == pytest.approx(3.0)
    # water colder than ground: floored at 0 (no heat gain counted)
    assert network_heat_loss_mw(0.05, 8.0, 6.0, 10.0) == 0.0


def test_network_heat_loss_keeps_series():
    index = pd.date_range("2030-01-01", periods=2, freq="h")
    loss = network_heat_loss_mw(0.05, pd.Series([90.0, 70.0], index), 45.0, 9.0)
    assert isinstance(loss, pd.Series)
    np.testing.assert_allclose(loss.to_numpy(), [0.05 * 58.5, 0.05 * 48.5])


@pytest.mark.parametrize("ground_c", [8.0, 10.0])
def test_twenty_kelvin_lower_mean_cuts_losses_25_to_30_percent(ground_c):
    """REFERENCE_CITIES (vicus-software.com): "Lowering the mean temperature by 20 K cuts heat
    losses by about 25-30 %".

    With the linear loss model the cut is 20 / (T_mean,old - T_ground). From a 3rd-generation
    100/60 °C network (mean 80 °C) to a mean of 60 °C:
      ground 8 °C:  1 - 52 / 72 = 0.278
      ground 10 °C: 1 - 50 / 70 = 0.286
    both inside 25-30 %.
    """
    cut = 1.0 - relative_loss_change(80.0, 60.0, ground_c)
    assert cut == pytest.approx(20.0 / (80.0 - ground_c))
    assert 0.25 <= cut <= 0.30


@pytest.mark.parametrize(("ground_c", "expected_cut"), [(8.0, 20 / 67), (10.0, 20 / 65)])
def test_third_to_fourth_generation_pair(ground_c, expected_cut):
    """A 3rd -> 4th generation pair 20 K apart: 95/55 °C (mean 75, inside 80-110 / 40-60)
    to 70/40 °C (mean 55, inside 50-70 / 25-40).

      ground 8 °C:  1 - 47 / 67 = 0.299
      ground 10 °C: 1 - 45 / 65 = 0.308

    "About 25-30 %" holds; at 10 °C ground the linear model lands just above 30 % because the
    old mean is at the low end of 3rd-generation networks (the cut grows as the old mean falls).
    """
    cut = 1.0 - relative_loss_change((95.0 + 55.0) / 2, (70.0 + 40.0) / 2, ground_c)
    assert cut == pytest.approx(expected_cut)
    assert 0.25 <= cut <= 0.31


def test_relative_loss_change_matches_network_heat_loss_ratio():
    old = network_heat_loss_mw(0.04, 95.0, 55.0, 9.0)
    new = network_heat_loss_mw(0.04, 70.0, 40.0, 9.0)
    assert relative_loss_change(75.0, 55.0, 9.0) == pytest.approx(new / old)


def test_relative_loss_change_needs_positive_old_losses():
    with pytest.raises(ValueError, match="above temperature_ground_c"):
        relative_loss_change(8.0, 50.0, 10.0)


# --- the network's loss coefficient: from length, or calibrated to a stated loss --------------


def test_loss_coefficient_from_trench_length_by_hand():
    # 6 km of trench at 0.4 W/(m K): 6000 m * 0.4 = 2400 W/K = 0.0024 MW/K. At 65/35 °C (mean
    # 50 °C) over 9 °C ground: 0.0024 * 41 = 0.0984 MW, 861.98 MWh over 8760 h (the Lund
    # example's Brunnshög network).
    ua = heat_loss_coefficient_mw_per_k(6.0, 0.4)
    assert ua == pytest.approx(0.0024)
    assert network_heat_loss_mw(ua, 65.0, 35.0, 9.0) * 8760 == pytest.approx(861.984)
    with pytest.raises(ValueError, match="non-negative"):
        heat_loss_coefficient_mw_per_k(-1.0, 0.4)


def test_calibrated_loss_coefficient_by_hand():
    # 87.6 GWh/yr is 10 MW on average; at a mean water temperature 50 K above the ground
    # UA = 10 / 50 = 0.2 MW/K, and the loss at that mean excess is 10 MW again.
    ua = calibrated_heat_loss_coefficient_mw_per_k(87.6e3 / 8760, 50.0)
    assert ua == pytest.approx(0.2)
    assert network_heat_loss_mw(ua, 80.0, 40.0, 10.0) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="above the ground"):
        calibrated_heat_loss_coefficient_mw_per_k(10.0, 0.0)


def test_loss_share_of_supply_as_share_of_delivered_by_hand():
    # 9 % of the heat fed in: lost 9 of every 100 fed in, 91 delivered: 9 / 91 = 0.098901
    assert loss_share_of_delivered(0.09) == pytest.approx(9 / 91)
    assert loss_share_of_delivered(0.0) == 0.0
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        loss_share_of_delivered(1.0)


@given(share=st.floats(min_value=0.0, max_value=0.5))
def test_loss_share_round_trip(share):
    # delivered D = 1, lost L = s / (1 - s): L / (D + L) gives s back
    lost = loss_share_of_delivered(share)
    assert lost / (1.0 + lost) == pytest.approx(share, abs=1e-12)
