"""Forecasts: the inputs a rolling-horizon window decides on (:mod:`restvarme.operate.rolling`).

A forecast is a function ``(real, start, stop, window) -> inputs``: given the real hourly inputs
of the whole horizon (:func:`restvarme.inputs.build.build_inputs`) it returns the inputs of the
window ``[start, stop)`` as the operator sees them when the window is planned, on the window's
real snapshots. Three are offered:

* :func:`perfect` — the real inputs of the window (perfect foresight within the window);
* :func:`persistence` — yesterday's hourly state repeated: hour ``start + h`` is forecast by hour
  ``start - 24 + (h mod 24)``, for every hourly input (demand, prices, outdoor temperature,
  waste-heat availability and what the inputs derive from the weather: COPs, supply
  temperatures, capacity factors), so the forecast stays physically consistent with itself.
  The day before the first window is the last day of the horizon (the year read cyclically, as
  the built-in climates are);
* :func:`noisy` — the real series with a seeded relative error that grows with lead time.

The error model of :func:`noisy`. For each forecast series (:data:`NOISE`), the relative error
e_h at lead time h = 0, 1, ... (hours from the window's start) is an AR(1) process started at 0::

    e_h = ρ · e_{h-1} + σ · ε_h,   ε_h ~ N(0, 1) independent,   e_{-1} = 0
    forecast[start + h] = real[start + h] · (1 + e_h)      (clipped at 0 for demand and supply)

so that Var(e_h) = σ² (1 - ρ^(2(h+1))) / (1 - ρ²): the error grows with lead time and levels off
at σ / √(1 - ρ²). This is the h-step-ahead forecast error of a first-order autoregressive process
(Box, Jenkins, Reinsel & Ljung, *Time Series Analysis: Forecasting and Control*, 5th ed., Wiley
2015, chapter 5: the h-step error variance σ_a² Σ_{j<h} ψ_j² with ψ_j = φ^j for an AR(1)). The
σ and ρ of :data:`NOISE` are stated assumptions of this module, not calibrated on measured
forecasts; pass your own through :func:`noisy`'s ``errors``. Each window draws its own errors from
a generator seeded by ``(seed, window index)``, so a run is reproduced by its seed whatever else
changes. The outdoor temperature's error reaches the model through the heat demand's (the demand
is what the temperature forecast is used for); temperature-derived physics (COPs, supply
temperatures) are taken at their real values by this forecast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

Forecast = Callable[[xr.Dataset, int, int, int], xr.Dataset]
"""``(real inputs, start, stop, window index) -> the window's inputs as forecast``."""

CALENDAR = ("snapshot_weight_h", "cost_weight")
"""Hourly inputs that are the calendar, not a forecast: never changed by a forecast."""


@dataclass(frozen=True)
class ErrorModel:
    """The AR(1) relative forecast error of one series (see the module docstring)."""

    sigma: float
    """Standard deviation of the hourly innovation, relative [-]."""
    rho: float
    """Hour-to-hour autocorrelation of the error [-], 0 <= ρ < 1."""
    non_negative: bool = True
    """Clip the forecast at 0 (demand, availability; not prices, which may be negative)."""

    def limit(self) -> float:
        """The standard deviation the error levels off at, σ / √(1 - ρ²) [-]."""
        return self.sigma / float(np.sqrt(1.0 - self.rho**2))


NOISE: Mapping[str, ErrorModel] = {
    "heat_demand_mw": ErrorModel(sigma=0.01, rho=0.95),
    "cooling_demand_mw": ErrorModel(sigma=0.01, rho=0.95),
    "electricity_price_eur_per_mwh": ErrorModel(sigma=0.04, rho=0.9, non_negative=False),
    "waste_heat_available_mw": ErrorModel(sigma=0.02, rho=0.95),
}
"""The default error models by input name (assumed, see the module docstring): demand levelling
off at 3.2 % (σ 1 %/h, ρ 0.95), the spot price at 9.2 % (σ 4 %/h, ρ 0.9) and waste-heat
availability at 6.4 % (σ 2 %/h, ρ 0.95) standard deviation."""


def perfect(real: xr.Dataset, start: int, stop: int, window: int) -> xr.Dataset:
    """The real inputs of the window ``[start, stop)``."""
    return real.isel(snapshot=slice(start, stop))


def persistence(real: xr.Dataset, start: int, stop: int, window: int) -> xr.Dataset:
    """Yesterday's hourly inputs repeated over the window (see the module docstring)."""
    n = real.sizes["snapshot"]
    out = real.isel(snapshot=slice(start, stop))
    source = (start - 24 + np.arange(stop - start) % 24) % n
    shifted = real.isel(snapshot=source).assign_coords(snapshot=out["snapshot"])
    hourly = [
        name
        for name, var in real.data_vars.items()
        if "snapshot" in var.dims and name not in CALENDAR
    ]
    return out.assign({name: shifted[name] for name in hourly})


def ar1_errors(
    model: ErrorModel, hours: int, shape: tuple[int, ...], rng: np.random.Generator
) -> np.ndarray:
    """Relative errors e_h of ``model`` for lead times 0..hours-1, shape (hours, *shape)."""
    shocks = rng.standard_normal((hours, *shape)) * model.sigma
    errors = np.empty_like(shocks)
    previous = np.zeros(shape)
    for h in range(hours):  # a recursion over lead time (at most a window's hours)
        previous = model.rho * previous + shocks[h]
        errors[h] = previous
    return errors


def noisy(seed: int, errors: Mapping[str, ErrorModel] = NOISE) -> Forecast:
    """The forecast "real series plus seeded AR(1) relative error" (module docstring)."""

    def forecast(real: xr.Dataset, start: int, stop: int, window: int) -> xr.Dataset:
        out = real.isel(snapshot=slice(start, stop))
        rng = np.random.default_rng([seed, window])
        changed = {}
        for name in sorted(errors):  # a fixed order: the same draws for the same seed
            if name not in out or "snapshot" not in out[name].dims:
                continue
            da = out[name].transpose("snapshot", ...)
            e = ar1_errors(errors[name], da.shape[0], da.shape[1:], rng)
            values = da.values * (1.0 + e)
            if errors[name].non_negative:
                values = np.maximum(values, 0.0)
            changed[name] = da.copy(data=values).transpose(*out[name].dims)
        return out.assign(changed)

    return forecast


FORECASTS = ("perfect", "persistence", "noise")
"""The forecasts :func:`forecast_by_name` knows."""


def forecast_by_name(name: str, seed: int = 0) -> Forecast:
    """The forecast called ``name`` (one of :data:`FORECASTS`); ``seed`` for ``noise``."""
    if name == "perfect":
        return perfect
    if name == "persistence":
        return persistence
    if name == "noise":
        return noisy(seed)
    raise ValueError(f"unknown forecast {name!r}; expected one of {', '.join(FORECASTS)}")
