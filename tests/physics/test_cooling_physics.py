"""Tests of restvarme.physics.cooling: hand-worked cases, and the absorption chiller's
characteristic equation against the values oemof.thermal's own tests publish for it
(oemof/oemof-thermal, tests/test_absorption_chillers.py, with the parameters of its
examples/absorption_heatpumps_and_chiller/data/characteristic_parameters.csv)."""

from __future__ import annotations

import numpy as np
import pytest

from restvarme.physics.cooling import (
    ABSORPTION_CHILLERS,
    MIN_CONDENSING_TEMPERATURE_C,
    AbsorptionCharacteristic,
    absorption_capacity_share,
    absorption_characteristic_temperature_difference_k,
    absorption_cop,
    absorption_heat_flow,
    chiller_condensing_temperature_c,
    free_cooling_share,
)
from restvarme.physics.cop import chiller_eer

# --- free cooling -------------------------------------------------------------------------------


def test_free_cooling_share_by_hand():
    # 6/16 °C network, 2 K approach: the return can be cooled to medium + 2 K.
    #   medium 3 °C: (16 - 5) / 10 = 1.1 -> 1;  7 °C: (16 - 9) / 10 = 0.7
    #   12 °C: (16 - 14) / 10 = 0.2;  14 °C: 0;  20 °C: -0.6 -> 0
    share = free_cooling_share(np.array([3.0, 7.0, 12.0, 14.0, 20.0]), 6.0, 16.0, 2.0)
    np.testing.assert_allclose(share, [1.0, 0.7, 0.2, 0.0, 0.0])
    # all or nothing is the special case of a medium at least the approach below the supply
    assert free_cooling_share(4.0, 6.0, 16.0, 2.0) == 1.0
    with pytest.raises(ValueError, match="below the return"):
        free_cooling_share(4.0, 16.0, 6.0)


# --- chiller condensing floor -------------------------------------------------------------------


def test_min_condensing_temperature_is_title_24s_70_f():
    # California Title 24 (2013) §120.6: condensing temperature floats down to 70 °F
    assert MIN_CONDENSING_TEMPERATURE_C == pytest.approx((70 - 32) / 1.8, abs=0.2)


def test_condensing_floor_by_hand():
    # air at 0 °C + 5 K = 5 °C, held at 21 °C; air at 20 °C + 5 K = 25 °C, above the floor
    np.testing.assert_allclose(chiller_condensing_temperature_c(np.array([0.0, 20.0])), [21, 25])
    assert chiller_condensing_temperature_c(0.0, 5.0, None) == 5.0
    # EER at 6 °C supply (2 °C evaporating, 275.15 K), quality grade 0.45:
    #   with the floor: 0.45 * 275.15 / (294.15 - 275.15) = 6.5167 (no longer the cap of 15)
    #   without: 0.45 * 275.15 / 3 = 41.3 -> 15
    with_floor = chiller_eer(6.0, chiller_condensing_temperature_c(0.0), condenser_approach_k=0)
    assert with_floor == pytest.approx(0.45 * 275.15 / 19)
    assert chiller_eer(6.0, 0.0) == 15.0


# --- absorption chillers ------------------------------------------------------------------------

KUEHN = ABSORPTION_CHILLERS["kuehn"]
BROAD_01 = AbsorptionCharacteristic(1.707, 1.844, 24.121, -553.194, 24.121, -553.194, 768)
BROAD_02 = ABSORPTION_CHILLERS["broad_double_effect"]


def test_characteristic_temperature_difference_as_oemof_thermal_publishes():
    # test_calc_characteristic_temp_Kuehn: 85 / 30 / 15 °C -> 37
    assert absorption_characteristic_temperature_difference_k(
        85.0, 30.0, 15.0, KUEHN.a, KUEHN.e
    ) == pytest.approx(37.0)
    # test_calc_characteristic_temp_Braod_01: 85 / 30 / 15 °C -> 61.45
    assert absorption_characteristic_temperature_difference_k(
        85.0, 30.0, 15.0, BROAD_01.a, BROAD_01.e
    ) == pytest.approx(61.45)


def test_heat_flows_as_oemof_thermal_publishes():
    # test_calc_heat_flux_evaporator: Broad_01 at ΔΔt' = 50 -> 652.856 kW of cooling
    assert absorption_heat_flow(50.0, BROAD_01.s_e, BROAD_01.r_e) == pytest.approx(652.856)
    # test_calc_heat_flux_generator: Broad_02 at ΔΔt' = 110 -> 584.92 kW of driving heat
    assert absorption_heat_flow(110.0, BROAD_02.s_g, BROAD_02.r_g) == pytest.approx(584.92)


def test_kuehn_chiller_by_hand():
    # Driving water 85 -> 75 °C (mean 80), cooling water mean 30 °C, chilled water 6/16 (mean 11):
    #   ΔΔt' = 80 - 2.5 * 30 + 1.8 * 11 = 24.8 K
    #   cooling 0.42 * 24.8 + 0.9 = 11.316 kW (above the nominal 10 kW: share 1)
    #   driving 0.51 * 24.8 + 2 = 14.648 kW: COP 11.316 / 14.648 = 0.77253
    assert absorption_capacity_share(KUEHN, 80.0, 30.0, 11.0) == 1.0
    assert absorption_cop(KUEHN, 80.0, 30.0, 11.0) == pytest.approx(11.316 / 14.648)
    # cooling water 3 K warmer (mean 33 °C): ΔΔt' = 80 - 82.5 + 19.8 = 17.3 K
    #   cooling 0.42 * 17.3 + 0.9 = 8.166 kW: share 0.8166; driving 10.823 kW: COP 0.75450
    assert absorption_capacity_share(KUEHN, 80.0, 33.0, 11.0) == pytest.approx(0.8166)
    assert absorption_cop(KUEHN, 80.0, 33.0, 11.0) == pytest.approx(8.166 / 10.823)
    # too hot to cool: ΔΔt' = 80 - 100 + 19.8 = -0.2 K, cooling 0.816 kW; at 45 °C: none
    assert absorption_capacity_share(KUEHN, 80.0, 40.0, 11.0) == pytest.approx(0.0816)
    assert absorption_capacity_share(KUEHN, 80.0, 45.0, 11.0) == 0.0
    assert np.isnan(absorption_cop(KUEHN, 80.0, 45.0, 11.0))


def test_capacity_falls_with_cooling_water_and_rises_with_driving_temperature():
    cooling_water_c = np.linspace(20.0, 40.0, 21)
    share = absorption_capacity_share(KUEHN, 75.0, cooling_water_c, 11.0)
    assert np.all(np.diff(share) <= 0) and share[0] > share[-1]
    driving_c = np.linspace(60.0, 95.0, 36)
    assert np.all(np.diff(absorption_capacity_share(KUEHN, driving_c, 30.0, 11.0)) >= 0)


def test_every_published_machine_gives_a_plausible_cop_at_its_type_conditions():
    # single effect at 80 / 30 / 11 °C: COP 0.6-0.85; double effect (Broad) needs hotter
    # driving heat: at 150 °C generator mean it reaches about 1.1-1.4
    for name in ("kuehn", "rotartica", "safarik"):
        assert 0.6 < absorption_cop(ABSORPTION_CHILLERS[name], 80.0, 30.0, 11.0) < 0.85, name
    assert 1.1 < absorption_cop(BROAD_02, 150.0, 30.0, 11.0) < 1.4
