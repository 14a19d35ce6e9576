"""Forecasts of a window's inputs (restvarme.operate.forecast)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from restvarme.operate.forecast import (
    NOISE,
    ErrorModel,
    ar1_errors,
    forecast_by_name,
    noisy,
    persistence,
)


def _inputs(hours: int = 72) -> xr.Dataset:
    """Hour-of-horizon numbers as demand and price, so a forecast's source hour is readable."""
    index = pd.date_range("2030-01-01", periods=hours, freq="h", name="snapshot")
    h = np.arange(hours, dtype=float)
    return xr.Dataset(
        {
            "heat_demand_mw": (("snapshot", "network"), np.c_[100 + h, 200 + h]),
            "electricity_price_eur_per_mwh": ("snapshot", h - 10),
            "waste_heat_available_mw": (("snapshot", "waste_source"), np.c_[5 + 0 * h]),
            "snapshot_weight_h": ("snapshot", np.ones(hours)),
            "cost_weight": ("snapshot", np.ones(hours)),
            "boiler_capacity_mw": ("boiler", [20.0]),
        },
        coords={"snapshot": index, "network": ["a", "b"], "waste_source": ["s"]},
    )


def test_persistence_repeats_yesterday_on_the_window_snapshots():
    # Window [24, 60): hour 24 + h is forecast by hour h mod 24 (day 1), so lead times 0..35
    # read hours 0..23, 0..11. The first window, [0, 36), reads the horizon's last day,
    # hours 48..71, 48..59.
    x = _inputs()
    f = persistence(x, 24, 60, 1)
    expected = np.r_[np.arange(24), np.arange(12)]
    np.testing.assert_array_equal(f["electricity_price_eur_per_mwh"].values, expected - 10)
    np.testing.assert_array_equal(f["heat_demand_mw"].sel(network="b").values, 200 + expected)
    pd.testing.assert_index_equal(f.indexes["snapshot"], x.indexes["snapshot"][24:60])
    np.testing.assert_array_equal(f["snapshot_weight_h"].values, np.ones(36))
    first = persistence(x, 0, 36, 0)
    np.testing.assert_array_equal(
        first["heat_demand_mw"].sel(network="a").values, 100 + 48 + expected
    )


def test_noise_is_reproduced_by_its_seed_and_changed_by_another():
    x = _inputs()
    a = noisy(7)(x, 24, 72, 1)
    b = forecast_by_name("noise", 7)(x, 24, 72, 1)
    c = noisy(8)(x, 24, 72, 1)
    xr.testing.assert_identical(a, b)
    assert not np.allclose(a["heat_demand_mw"].values, c["heat_demand_mw"].values)
    # windows draw their own errors: window 2 differs from window 1 with the same seed
    d = noisy(7)(x, 24, 72, 2)
    assert not np.allclose(a["heat_demand_mw"].values, d["heat_demand_mw"].values)
    # what has no error model is the real series
    np.testing.assert_array_equal(a["snapshot_weight_h"].values, np.ones(48))
    np.testing.assert_array_equal(a["boiler_capacity_mw"].values, [20.0])


def test_noise_on_a_constant_series_is_its_relative_error():
    # available 5 MW: the forecast is 5·(1 + e_h), e_h the AR(1) error of its model
    x = _inputs()
    model = NOISE["waste_heat_available_mw"]
    f = noisy(3, {"waste_heat_available_mw": model})(x, 0, 48, 0)
    e = f["waste_heat_available_mw"].values[:, 0] / 5 - 1
    # e_h = ρ·e_{h-1} + σ·ε_h: the innovations e_h - ρ·e_{h-1} are of size σ
    innovations = e[1:] - model.rho * e[:-1]
    assert np.std(innovations) == pytest.approx(model.sigma, rel=0.3)
    np.testing.assert_array_equal(f["heat_demand_mw"].values, x["heat_demand_mw"].values[:48])


def test_ar1_error_grows_with_lead_time_as_box_jenkins_give():
    # Var(e_h) = σ² (1 - ρ^(2(h+1))) / (1 - ρ²): σ at lead 0; σ·√((1 - 0.9^96)/(1 - 0.81)) =
    # 0.04 · 2.2942 = 0.09177 at lead 47 for σ = 0.04, ρ = 0.9. 40,000 draws: the sample
    # standard deviations lie within 2 % of these (standard error ~0.35 %).
    model = ErrorModel(sigma=0.04, rho=0.9)
    e = ar1_errors(model, 48, (40_000,), np.random.default_rng(1))
    assert np.std(e[0]) == pytest.approx(0.04, rel=0.02)
    assert np.std(e[47]) == pytest.approx(0.04 * np.sqrt((1 - 0.9**96) / (1 - 0.81)), rel=0.02)
    assert model.limit() == pytest.approx(0.04 / np.sqrt(0.19))


def test_noise_keeps_demand_and_supply_non_negative():
    model = ErrorModel(sigma=5.0, rho=0.0)  # errors far beyond -100 %
    x = _inputs()
    f = noisy(0, {"heat_demand_mw": model})(x, 0, 72, 0)
    assert float(f["heat_demand_mw"].min()) == 0.0


def test_unknown_forecast_names_the_known_ones():
    with pytest.raises(ValueError, match="perfect, persistence, noise"):
        forecast_by_name("oracle")
