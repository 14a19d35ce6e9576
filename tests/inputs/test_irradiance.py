"""Tests of the synthetic irradiance year in restvarme.inputs.irradiance.

The series is synthetic (not measured weather). We check what it promises: the annual sum equals
the cited annual global irradiation of each city, it never exceeds the clear sky, it is zero at
night, deterministic per seed, and consistent with the plane-of-array transposition.

Cited annual global horizontal irradiation (see SITES[...].source):
- Lund: SMHI 1961-1990 normal, 16.4 kWh/m² / 1.20 / 0.0141 = 969 kWh/m² (January 2012 was 16.4
  kWh/m², 20 % above normal, and January is 1.41 % of the normal year; SMHI figures as reported
  on bengtsvillablogg.info).
- Barcelona: ICAEN solar atlas of Catalonia, about 14.5 MJ/m² a day: 14.5 * 365 / 3.6 =
  1470.1 kWh/m².
- The Hague: KNMI Dutch mean, 3650 MJ/m² a year: 3650 / 3.6 = 1013.9 kWh/m².
"""

import time

import numpy as np
import pandas as pd
import pytest

from restvarme.inputs.irradiance import (
    REFERENCE_YEAR,
    SITES,
    SYNTHETIC,
    IrradianceSite,
    calibrated_monthly_clearness,
    clear_sky_ghi_w_per_m2,
    site_names,
    synthetic_ghi_w_per_m2,
)
from restvarme.inputs.weather import climate_names
from restvarme.physics.solar import plane_of_array_irradiance

YEAR = pd.date_range(f"{REFERENCE_YEAR}-01-01", periods=8760, freq="h")
CITED_ANNUAL_KWH_PER_M2 = {
    "lund": 16.4 / 1.20 / 0.0141,
    "barcelona": 14.5 * 365 / 3.6,
    "the_hague": 3650 / 3.6,
}


def _annual_kwh_per_m2(ghi_w_per_m2: np.ndarray) -> float:
    return float(ghi_w_per_m2.sum()) / 1000.0  # hourly W/m² -> Wh/m² -> kWh/m²


def test_marked_synthetic_and_one_site_per_weather_climate():
    assert SYNTHETIC is True
    assert site_names() == climate_names()
    for name, site in SITES.items():
        assert site.name == name
        assert "ASSUMED" in site.source


@pytest.mark.parametrize("name", ["lund", "barcelona", "the_hague"])
def test_cited_annual_values_are_the_ones_in_the_table(name):
    assert SITES[name].annual_ghi_kwh_per_m2 == pytest.approx(
        CITED_ANNUAL_KWH_PER_M2[name], rel=1e-3
    )


@pytest.mark.parametrize("name", ["lund", "barcelona", "the_hague"])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_annual_sum_equals_the_cited_irradiation(name, seed):
    """Tolerance 0.5 %: the calibration is exact for the reference year, for every seed."""
    ghi = synthetic_ghi_w_per_m2(name, YEAR, seed=seed)
    assert _annual_kwh_per_m2(ghi) == pytest.approx(CITED_ANNUAL_KWH_PER_M2[name], rel=0.005)


@pytest.mark.parametrize("name", ["lund", "barcelona", "the_hague"])
def test_other_years_stay_within_one_percent(name):
    for year, hours in ((2025, 8760), (2028, 8784), (2045, 8760)):
        index = pd.date_range(f"{year}-01-01", periods=hours, freq="h")
        annual = _annual_kwh_per_m2(synthetic_ghi_w_per_m2(name, index, seed=3))
        assert annual == pytest.approx(CITED_ANNUAL_KWH_PER_M2[name], rel=0.01)


@pytest.mark.parametrize("name", ["lund", "barcelona", "the_hague"])
def test_never_above_clear_sky_zero_at_night(name):
    ghi = synthetic_ghi_w_per_m2(name, YEAR, seed=2)
    clear = clear_sky_ghi_w_per_m2(name, YEAR)
    assert (ghi >= 0).all() and np.isfinite(ghi).all()
    assert (ghi <= clear * (1 + 1e-9)).all()
    assert (ghi[clear == 0] == 0).all()
    # some clear days and some dull ones
    daily = pd.Series(ghi, YEAR).resample("D").sum() / pd.Series(clear, YEAR).resample("D").sum()
    assert daily.max() > 0.95 and daily.min() < 0.45


def test_monthly_clearness_is_below_clear_sky_and_follows_the_seasons():
    for name in site_names():
        factors = calibrated_monthly_clearness(name)
        assert factors.shape == (12,) and (factors > 0.3).all() and (factors <= 1.0).all()
    lund = pd.Series(synthetic_ghi_w_per_m2("lund", YEAR), YEAR).resample("MS").sum() / 1000
    assert lund.iloc[5] > 10 * lund.iloc[11]  # June vs December at 55.7 °N
    # Lund's synthetic January is close to SMHI's normal January, 16.4 / 1.20 = 13.7 kWh/m²
    # (a check of the assumed monthly shape, not a calibration target)
    assert lund.iloc[0] == pytest.approx(16.4 / 1.20, rel=0.15)


def test_deterministic_per_seed_and_monthly_sums_independent_of_seed():
    first = synthetic_ghi_w_per_m2("the_hague", YEAR, seed=42)
    again = synthetic_ghi_w_per_m2(SITES["the_hague"], YEAR, seed=42)
    other = synthetic_ghi_w_per_m2("the_hague", YEAR, seed=43)
    np.testing.assert_array_equal(first, again)
    assert np.max(np.abs(first - other)) > 100.0
    monthly = [pd.Series(g, YEAR).resample("MS").sum().to_numpy() for g in (first, other)]
    np.testing.assert_allclose(monthly[0], monthly[1], rtol=1e-9)


def test_hour_labels_are_interval_starts_in_local_standard_time():
    # Lund, 13.2 °E: solar noon about 12:10 CET, so the brightest hour is 12:00-13:00
    by_hour = pd.Series(synthetic_ghi_w_per_m2("lund", YEAR)).groupby(YEAR.hour).mean()
    assert by_hour.idxmax() == 12
    assert by_hour[12] > by_hour[11] > by_hour[9] and by_hour[0] == 0.0


def test_partial_time_zone_aware_and_empty_indexes():
    index = pd.date_range("2030-06-10", "2030-07-03 23:00", freq="h", tz="Europe/Stockholm")
    ghi = synthetic_ghi_w_per_m2("lund", index, seed=5)
    assert ghi.shape == (len(index),) and (ghi >= 0).all()
    # naive stamps are CET (UTC+1): the same instants, labelled at UTC+1, give the same clear sky
    naive = pd.date_range("2030-06-10", periods=48, freq="h")
    np.testing.assert_allclose(
        clear_sky_ghi_w_per_m2("lund", naive),
        clear_sky_ghi_w_per_m2("lund", naive.tz_localize("Etc/GMT-1")),
    )
    assert synthetic_ghi_w_per_m2("lund", pd.DatetimeIndex([])).shape == (0,)


def test_bad_input_is_refused_with_a_useful_message():
    with pytest.raises(ValueError, match="lund"):
        synthetic_ghi_w_per_m2("oslo", YEAR)
    with pytest.raises(ValueError, match="time order"):
        synthetic_ghi_w_per_m2("lund", YEAR[::-1])
    with pytest.raises(ValueError, match="12 monthly"):
        IrradianceSite("x", 50.0, 10.0, 0.0, 1.0, 1000.0, (1.0,) * 11, 0.3, "ASSUMED")
    too_bright = IrradianceSite("x", 55.7, 13.2, 0.0, 1.0, 3000.0, (1.0,) * 12, 0.3, "ASSUMED")
    with pytest.raises(ValueError, match="clear sky"):
        synthetic_ghi_w_per_m2(too_bright, YEAR)


def test_transposition_of_the_synthetic_year():
    site = SITES["lund"]
    ghi = synthetic_ghi_w_per_m2("lund", YEAR)
    kwargs = {
        "latitude": site.latitude_deg,
        "longitude": site.longitude_deg,
        "utc_offset_h": site.utc_offset_h,
        "timestamps": "interval_start",
    }
    flat = plane_of_array_irradiance(ghi, YEAR, tilt_deg=0.0, azimuth_deg=180.0, **kwargs)
    np.testing.assert_allclose(flat, ghi, rtol=1e-9, atol=1e-6)
    tilted = plane_of_array_irradiance(ghi, YEAR, tilt_deg=40.0, azimuth_deg=180.0, **kwargs)
    gain = tilted.sum() / ghi.sum()
    # a south-facing 40° plane at 55.7 °N collects more than the horizontal over a year
    assert 1.05 < gain < 1.35
    assert np.isfinite(tilted).all() and (tilted >= 0).all()


def test_a_year_takes_well_under_a_second():
    synthetic_ghi_w_per_m2("barcelona", YEAR)  # warm up: pvlib import and calibration
    start = time.perf_counter()
    synthetic_ghi_w_per_m2("barcelona", YEAR, seed=9)
    assert time.perf_counter() - start < 1.0
