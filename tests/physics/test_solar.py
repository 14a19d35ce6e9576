"""Tests of restvarme.physics.solar: hand calculations, published values, properties.

Published values used here:
- Solar Keymark data sheet of the CHAPPEE SOL 200 LH / DE DIETRICH D 200 SL flat-plate collector
  (ISO 9806:2017, Fundación CENER test report 30.4062.0-001, 2022-06-28): η0,b = 0.739,
  Kd = 0.91, a1 = 3.51 W/(m²K), a2 = 0.017 W/(m²K²) per gross area, and its power table per m²
  gross area at G = 1000 W/m²: 729, 692, 608, 511, 400, 321 W/m² at ΔT = 0, 10, 30, 50, 70, 83 K.
- Arcon-Sunmark HTHEATstore 35/10, Solar Keymark licence SP SC0843-14: η0,b = 0.745, Kd = 0.93,
  a1 = 2.067 W/(m²K), a2 = 0.009 W/(m²K²) per gross area (as given in SunPeek's demo plant).
- pvlib's own test suite (tests/test_irradiance.py, fixture "generated at Location(32.2, -111,
  'US/Arizona', 700)"; Hay-Davies values "from matlab 1.4 code"): sky diffuse on a 40°, south
  plane 0, 27.1775, 102.9949, 33.1909 W/m² (Hay-Davies) and 0, 35.728402, 104.601328,
  54.777191 W/m² (isotropic); ground diffuse 26.32000014911496 W/m² for GHI 900, tilt 40°,
  albedo 0.25.
"""

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

from restvarme.physics.solar import (
    COLLECTORS,
    collector_efficiency,
    collector_heat_mw,
    collector_heat_w_per_m2,
    mean_collector_temperature_c,
    plane_of_array_irradiance,
    transpose_to_plane,
)

ARCON = COLLECTORS["arcon_sunmark_htheatstore_35_10"]
CHAPPEE = COLLECTORS["chappee_sol_200_lh"]
LUND = {"latitude": 55.70, "longitude": 13.19}


# --- collector efficiency: hand calculations -----------------------------------------------


def test_hemispherical_peak_efficiency_from_beam_and_kd():
    # η0,hem = η0,b (0.85 + 0.15 Kd) = 0.745 * (0.85 + 0.15 * 0.93) = 0.745 * 0.9895
    assert ARCON.eta0_hem == pytest.approx(0.7371775, abs=1e-12)
    # 0.739 * (0.85 + 0.15 * 0.91) = 0.739 * 0.9865
    assert CHAPPEE.eta0_hem == pytest.approx(0.7290235, abs=1e-12)


def test_efficiency_at_1000_w_and_50_k_by_hand():
    # Arcon HTHEATstore 35/10, G = 1000 W/m², ΔT = 50 K:
    # η = 0.7371775 - 2.067 * 50 / 1000 - 0.009 * 50² / 1000
    #   = 0.7371775 - 0.10335 - 0.0225 = 0.6113275
    eta = collector_efficiency(
        1000.0, 60.0, 10.0, ARCON.eta0_hem, ARCON.a1_w_per_m2k, ARCON.a2_w_per_m2k2
    )
    assert eta == pytest.approx(0.6113275, abs=1e-12)


def test_field_heat_by_hand():
    # 10,000 m² gross, G = 800 W/m², supply 75 °C, return 45 °C -> ϑm = 60 °C, air 20 °C, ΔT 40 K
    # η = 0.7371775 - 2.067 * 40 / 800 - 0.009 * 40² / 800 = 0.7371775 - 0.10335 - 0.018
    #   = 0.6158275;  Q = 10,000 m² * 800 W/m² * 0.6158275 = 4.92662 MW
    mean_c = mean_collector_temperature_c(75.0, 45.0)
    assert mean_c == 60.0
    heat_mw = collector_heat_mw(
        10_000.0, 800.0, mean_c, 20.0, ARCON.eta0_hem, ARCON.a1_w_per_m2k, ARCON.a2_w_per_m2k2
    )
    assert heat_mw == pytest.approx(4.92662, abs=1e-9)


def test_efficiency_is_zero_beyond_the_zero_crossing_and_at_night():
    # η = 0 where a2 ΔT² + a1 ΔT = η0 G: ΔT0 = (-a1 + sqrt(a1² + 4 a2 η0 G)) / (2 a2)
    eta0, a1, a2, g = ARCON.eta0_hem, ARCON.a1_w_per_m2k, ARCON.a2_w_per_m2k2, 1000.0
    zero_crossing_k = (-a1 + math.sqrt(a1**2 + 4 * a2 * eta0 * g)) / (2 * a2)
    assert collector_efficiency(g, zero_crossing_k, 0.0, eta0, a1, a2) == pytest.approx(
        0.0, abs=1e-12
    )
    assert collector_efficiency(g, zero_crossing_k + 1.0, 0.0, eta0, a1, a2) == 0.0
    assert collector_efficiency(g, zero_crossing_k - 1.0, 0.0, eta0, a1, a2) > 0.0
    night = collector_efficiency(np.array([0.0, -5.0]), 60.0, 10.0, eta0, a1, a2)
    np.testing.assert_array_equal(night, [0.0, 0.0])
    assert collector_heat_w_per_m2(-5.0, 60.0, 10.0, eta0, a1, a2) == 0.0


# --- collector efficiency: published data-sheet values ---------------------------------------


@pytest.mark.parametrize(
    ("delta_t_k", "power_w_per_m2"),
    [(0, 729), (10, 692), (30, 608), (50, 511), (70, 400), (83, 321)],
)
def test_solar_keymark_power_table_of_chappee_sol_200_lh(delta_t_k, power_w_per_m2):
    """The data sheet's power per m² gross area at G = 1000 W/m², printed as integers."""
    heat = collector_heat_w_per_m2(
        1000.0,
        20.0 + delta_t_k,
        20.0,
        CHAPPEE.eta0_hem,
        CHAPPEE.a1_w_per_m2k,
        CHAPPEE.a2_w_per_m2k2,
    )
    assert heat == pytest.approx(power_w_per_m2, abs=0.5)


def test_collector_table_entries_are_plausible_and_sourced():
    for params in COLLECTORS.values():
        assert 0.5 < params.eta0_hem < params.eta0_b < 1.0
        assert 0.0 < params.a1_w_per_m2k < 10.0 and 0.0 <= params.a2_w_per_m2k2 < 0.1
        assert params.certificate and params.source and "ISO 9806" in params.test
    # the large-module collector of Danish fields loses less heat than the small one
    assert ARCON.a1_w_per_m2k < CHAPPEE.a1_w_per_m2k


# --- types and validation ------------------------------------------------------------------


def test_labelled_inputs_come_back_labelled():
    index = pd.date_range("2030-06-01", periods=3, freq="h")
    g = pd.Series([0.0, 400.0, 900.0], index=index)
    eta = collector_efficiency(g, 60.0, 15.0, 0.8, 3.0, 0.01)
    assert isinstance(eta, pd.Series) and eta.index.equals(index)
    assert eta.iloc[0] == 0.0
    field = collector_heat_mw(1000.0, g, 60.0, 15.0, 0.8, 3.0, 0.01)
    assert isinstance(field, pd.Series)
    g_da = xr.DataArray(g.to_numpy(), dims="time", coords={"time": index})
    eta_da = collector_efficiency(g_da, 60.0, 15.0, 0.8, 3.0, 0.01)
    assert isinstance(eta_da, xr.DataArray) and eta_da.dims == ("time",)
    np.testing.assert_allclose(eta_da.to_numpy(), eta.to_numpy())
    supply = pd.Series([80.0, 70.0], name="supply")
    assert mean_collector_temperature_c(supply, 40.0).tolist() == [60.0, 55.0]
    assert isinstance(collector_efficiency(500.0, 50.0, 10.0, 0.8, 3.0, 0.01), float)


def test_nan_propagates_instead_of_turning_into_zero():
    eta = collector_efficiency(np.array([np.nan, 800.0]), np.array([60.0, np.nan]), 10.0, 0.8, 3, 0)
    assert np.isnan(eta).all()


@pytest.mark.parametrize(
    "kwargs",
    [{"eta0": 1.2}, {"eta0": -0.1}, {"a1_w_per_m2k": -1.0}, {"a2_w_per_m2k2": -0.01}],
)
def test_invalid_collector_parameters_are_refused(kwargs):
    params = {"eta0": 0.8, "a1_w_per_m2k": 3.0, "a2_w_per_m2k2": 0.01} | kwargs
    with pytest.raises(ValueError, match=r"eta0|a1"):
        collector_efficiency(800.0, 60.0, 10.0, **params)


def test_negative_area_is_refused():
    with pytest.raises(ValueError, match="area_m2"):
        collector_heat_mw(-1.0, 800.0, 60.0, 10.0, 0.8, 3.0, 0.01)


# --- collector efficiency: properties ------------------------------------------------------

irradiance = st.floats(min_value=1.0, max_value=1200.0)
delta_t = st.floats(min_value=0.0, max_value=120.0)
eta0s = st.floats(min_value=0.3, max_value=0.9)
a1s = st.floats(min_value=0.0, max_value=6.0)
a2s = st.floats(min_value=0.0, max_value=0.05)


@given(irradiance, delta_t, delta_t, eta0s, a1s, a2s)
def test_efficiency_falls_as_the_temperature_difference_rises(g, dt1, dt2, eta0, a1, a2):
    low, high = sorted((dt1, dt2))
    eta_low = collector_efficiency(g, 10.0 + low, 10.0, eta0, a1, a2)
    eta_high = collector_efficiency(g, 10.0 + high, 10.0, eta0, a1, a2)
    assert eta_high <= eta_low + 1e-12
    assert 0.0 <= eta_high <= eta_low <= eta0 + 1e-12


@given(irradiance, irradiance, delta_t, eta0s, a1s, a2s)
def test_heat_rises_with_irradiance_and_never_exceeds_the_optical_gain(g1, g2, dt, eta0, a1, a2):
    low, high = sorted((g1, g2))
    heat_low = collector_heat_w_per_m2(low, 20.0 + dt, 20.0, eta0, a1, a2)
    heat_high = collector_heat_w_per_m2(high, 20.0 + dt, 20.0, eta0, a1, a2)
    assert 0.0 <= heat_low <= heat_high + 1e-9
    assert heat_high <= eta0 * high + 1e-9


# --- transposition: pvlib's documented test values -----------------------------------------

# pvlib tests/test_irradiance.py fixtures (times 2014-06-24 00/06/12/18 h US/Arizona)
PVLIB_GHI = np.array([0.0, 79.73860422, 1042.48031487, 257.20751138])
PVLIB_DNI = np.array([0.0, 316.1949056, 939.95469881, 646.22886049])
PVLIB_DHI = np.array([0.0, 40.46149818, 118.45831879, 62.03376265])
PVLIB_APPARENT_ZENITH = np.array([124.0390863, 82.85457044, 10.56413562, 72.41687122])
PVLIB_AZIMUTH = np.array([352.69550699, 66.71410338, 144.76567754, 287.04104128])
PVLIB_DNI_EXTRA = np.full(4, 1321.1655834833093)


def _beam_on_plane_by_hand(dni, zenith_deg, azimuth_deg, tilt_deg, plane_azimuth_deg):
    """DNI cos θ, cos θ = cos z cos β + sin z sin β cos(γs - γ), clipped at 0 (sun behind)."""
    z, gs = np.radians(zenith_deg), np.radians(azimuth_deg)
    b, g = np.radians(tilt_deg), np.radians(plane_azimuth_deg)
    cos_aoi = np.cos(z) * np.cos(b) + np.sin(z) * np.sin(b) * np.cos(gs - g)
    return dni * np.maximum(cos_aoi, 0.0)


@pytest.mark.parametrize(
    ("model", "sky_diffuse"),
    [
        ("haydavies", [0.0, 27.1775, 102.9949, 33.1909]),
        ("isotropic", [0.0, 35.728402, 104.601328, 54.777191]),
    ],
)
def test_sky_diffuse_matches_pvlib_reference_values(model, sky_diffuse):
    # albedo 0: POA global = beam (hand calculation above) + sky diffuse (pvlib's numbers)
    poa = transpose_to_plane(
        PVLIB_GHI,
        PVLIB_DNI,
        PVLIB_DHI,
        PVLIB_APPARENT_ZENITH,
        PVLIB_AZIMUTH,
        40.0,
        180.0,
        dni_extra_w_per_m2=PVLIB_DNI_EXTRA,
        albedo=0.0,
        model=model,
    )
    beam = _beam_on_plane_by_hand(PVLIB_DNI, PVLIB_APPARENT_ZENITH, PVLIB_AZIMUTH, 40.0, 180.0)
    np.testing.assert_allclose(poa - beam, sky_diffuse, atol=1e-3)


def test_ground_reflection_matches_pvlib_reference_value():
    # GHI 900 W/m², tilt 40°, albedo 0.25: 900 * 0.25 * (1 - cos 40°) / 2 = 26.32000014911496
    poa = transpose_to_plane(
        900.0, 0.0, 0.0, 30.0, 180.0, 40.0, 180.0, albedo=0.25, model="isotropic"
    )
    assert poa == pytest.approx(26.32000014911496, rel=1e-9)
    assert poa == pytest.approx(900 * 0.25 * (1 - math.cos(math.radians(40))) / 2, rel=1e-12)


def test_isotropic_sky_by_hand():
    # DHI 100 W/m² on a 40° plane, sun behind the plane: 100 (1 + cos 40°) / 2 = 88.30222215594891
    poa = transpose_to_plane(
        100.0, 0.0, 100.0, 60.0, 0.0, 40.0, 180.0, albedo=0.0, model="isotropic"
    )
    assert poa == pytest.approx(88.30222215594891, rel=1e-9)


def test_transposition_refuses_unknown_model_and_missing_dni_extra():
    with pytest.raises(ValueError, match="model"):
        transpose_to_plane(100.0, 0.0, 100.0, 60.0, 0.0, 40.0, 180.0, model="perez")
    with pytest.raises(ValueError, match="dni_extra"):
        transpose_to_plane(100.0, 0.0, 100.0, 60.0, 0.0, 40.0, 180.0)


# --- plane-of-array irradiance from GHI ----------------------------------------------------


def test_night_and_low_sun_give_finite_values():
    times = pd.date_range("2030-12-21 00:00", periods=24, freq="h")
    ghi = np.where((times.hour >= 8) & (times.hour <= 15), 60.0, 0.0)
    ghi[8] = 3.0  # a little light at sunrise, sun a few degrees high
    poa = plane_of_array_irradiance(
        ghi,
        times,
        **LUND,
        tilt_deg=40.0,
        azimuth_deg=180.0,
        utc_offset_h=1.0,
        timestamps="interval_start",
    )
    assert np.isfinite(poa).all() and (poa >= 0).all()
    assert (poa[ghi == 0] == 0).all()


def test_south_plane_gets_more_than_horizontal_on_a_clear_winter_noon_in_lund():
    # 15 January, 12:00 CET, sun about 12° high; 190 W/m² horizontal on a clear day is mostly
    # beam, so a 45° south plane sees several times the horizontal value.
    times = pd.DatetimeIndex(["2030-01-15 12:00"])
    poa = plane_of_array_irradiance(
        190.0, times, **LUND, tilt_deg=45.0, azimuth_deg=180.0, utc_offset_h=1.0
    )
    north = plane_of_array_irradiance(
        190.0, times, **LUND, tilt_deg=45.0, azimuth_deg=0.0, utc_offset_h=1.0
    )
    assert poa > 2 * 190.0 and north < 190.0


def test_interval_stamps_take_the_sun_at_the_interval_middle():
    start = pd.date_range("2030-05-01 06:00", periods=4, freq="h")
    ghi = np.array([150.0, 300.0, 450.0, 550.0])
    kwargs = {**LUND, "tilt_deg": 35.0, "azimuth_deg": 180.0, "utc_offset_h": 1.0}
    by_start = plane_of_array_irradiance(ghi, start, timestamps="interval_start", **kwargs)
    by_end = plane_of_array_irradiance(
        ghi, start + pd.Timedelta("1h"), timestamps="interval_end", **kwargs
    )
    at_middle = plane_of_array_irradiance(ghi, start + pd.Timedelta("30min"), **kwargs)
    np.testing.assert_allclose(by_start, at_middle, rtol=1e-12)
    np.testing.assert_allclose(by_end, at_middle, rtol=1e-12)


def test_time_zones_must_be_explicit():
    naive = pd.date_range("2030-05-01", periods=3, freq="h")
    with pytest.raises(ValueError, match="utc_offset_h"):
        plane_of_array_irradiance(100.0, naive, **LUND, tilt_deg=30.0, azimuth_deg=180.0)
    aware = naive.tz_localize("Europe/Stockholm")
    with pytest.raises(ValueError, match="aware"):
        plane_of_array_irradiance(
            100.0, aware, **LUND, tilt_deg=30.0, azimuth_deg=180.0, utc_offset_h=1.0
        )
    # the same instants, given naive at +1 h or aware, give the same answer
    utc_plus_1 = naive.tz_localize("Etc/GMT-1")
    a = plane_of_array_irradiance(
        [0.0, 200.0, 300.0], utc_plus_1, **LUND, tilt_deg=30.0, azimuth_deg=180.0
    )
    b = plane_of_array_irradiance(
        [0.0, 200.0, 300.0], naive, **LUND, tilt_deg=30.0, azimuth_deg=180.0, utc_offset_h=1.0
    )
    np.testing.assert_allclose(a, b)


def test_series_in_series_out_and_nan_stays_nan():
    times = pd.date_range("2030-06-21 10:00", periods=3, freq="h")
    ghi = pd.Series([500.0, np.nan, 700.0], index=times)
    poa = plane_of_array_irradiance(
        ghi, times, **LUND, tilt_deg=30.0, azimuth_deg=180.0, utc_offset_h=1.0
    )
    assert isinstance(poa, pd.Series) and poa.index.equals(times)
    assert np.isnan(poa.iloc[1]) and np.isfinite(poa.iloc[[0, 2]]).all()


hours_of_2030 = st.integers(min_value=0, max_value=8759)
ghi_values = st.floats(min_value=0.0, max_value=1100.0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(hours_of_2030, min_size=1, max_size=24),
    st.lists(ghi_values, min_size=24, max_size=24),
    st.floats(min_value=0.0, max_value=90.0),
    st.floats(min_value=0.0, max_value=360.0),
    st.sampled_from(["haydavies", "isotropic"]),
)
def test_poa_is_finite_and_non_negative(hours, ghis, tilt, azimuth, model):
    times = pd.Timestamp("2030-01-01") + pd.to_timedelta(sorted(set(hours)), unit="h")
    ghi = np.array(ghis[: len(times)])
    poa = plane_of_array_irradiance(
        ghi, times, **LUND, tilt_deg=tilt, azimuth_deg=azimuth, model=model, utc_offset_h=1.0
    )
    assert np.isfinite(poa).all() and (poa >= 0).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(hours_of_2030, min_size=1, max_size=24),
    st.lists(ghi_values, min_size=24, max_size=24),
    st.floats(min_value=-60.0, max_value=70.0),
    st.sampled_from(["haydavies", "isotropic"]),
)
def test_horizontal_plane_gets_exactly_ghi(hours, ghis, latitude, model):
    times = pd.Timestamp("2030-01-01") + pd.to_timedelta(sorted(set(hours)), unit="h")
    ghi = np.array(ghis[: len(times)])
    poa = plane_of_array_irradiance(
        ghi, times, latitude, 13.19, tilt_deg=0.0, azimuth_deg=180.0, model=model, utc_offset_h=1.0
    )
    np.testing.assert_allclose(poa, ghi, rtol=1e-9, atol=1e-6)


@pytest.mark.slow  # a fresh interpreter that checks what an import loads (tests/conftest.py)
def test_physics_module_imports_neither_linopy_nor_pvlib_eagerly():
    code = (
        "import sys, restvarme.physics.solar; "
        "print('linopy' in sys.modules, 'pvlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
