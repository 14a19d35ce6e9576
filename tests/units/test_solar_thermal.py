"""Solar thermal collector fields (restvarme.units.solar_thermal): hand-solved cases.

Set-up (tests/tiny_scenarios.py BASE): 4 hours, outdoor 0 °C, network "main" at 70/40 °C with a
flat 10 MW load; gas at 20 EUR/MWh in a 0.8 boiler makes heat at 25 EUR/MWh.

A field with the default collector (Arcon-Sunmark HTHEATstore 35/10, Solar Keymark SP SC0843-14:
η0 = 0.745 · (0.85 + 0.15 · 0.93) = 0.7371775, a1 = 2.067, a2 = 0.009) at G = 800 W/m² on the
plane: mean collector temperature (70 + 40) / 2 = 55 °C, ΔT = 55 K,

    η = 0.7371775 - 2.067 · 55 / 800 - 0.009 · 55² / 800
      = 0.7371775 - 0.14210625 - 0.03403125 = 0.56104
    one m² gives 800 · η = 448.832 W;  10,000 m² give 4.48832 MW.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.accounting.indicators import network_indicators
from restvarme.economics import annuity_factor
from restvarme.errors import ScenarioError
from restvarme.physics.solar import COLLECTORS
from restvarme.units.solar_thermal import ETA0_HEMISPHERICAL
from tiny_scenarios import GAS_BOILER

ETA = ETA0_HEMISPHERICAL - 2.067 * 55 / 800 - 0.009 * 55**2 / 800
Q_PER_M2 = 800 * ETA / 1e6  # MW per m²
FIELD = {
    "name": "field",
    "type": "solar_thermal",
    "sink": "main",
    "area_m2": 10_000,
    "irradiance_w_per_m2": 800.0,
    "irradiance_on_plane": True,
}


def test_the_default_collector_is_the_data_sheets():
    assert ETA0_HEMISPHERICAL == pytest.approx(
        COLLECTORS["arcon_sunmark_htheatstore_35_10"].eta0_hem, rel=1e-12
    )
    assert ETA == pytest.approx(0.56104, rel=1e-9)


def test_a_field_covers_what_the_sun_gives_and_the_boiler_the_rest(scenario_factory):
    ds = restvarme.run(scenario_factory(units=[GAS_BOILER, FIELD]))
    q = 10_000 * Q_PER_M2  # 4.48832 MW
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="field"), q, rtol=1e-9)
    # boiler: 4 h · (10 - 4.48832) MW · 25 EUR/MWh = 551.168 EUR
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (10 - q) * 25, rel=1e-9)
    np.testing.assert_allclose(ds["heat_origin_mw"].sel(unit="field", origin="solar"), q, rtol=1e-9)
    # solar heat is renewable: the network's renewable share is q / 10
    share = float(network_indicators(ds)["renewable_share"].sel(network="main"))
    assert share == pytest.approx(q / 10, rel=1e-9)
    assert str(ds["capacity_unit"].sel(unit="field").values) == "m²"
    np.testing.assert_allclose(ds["solar_thermal_heat_mw_per_m2"], Q_PER_M2, rtol=1e-9)


def test_surplus_sun_is_curtailed(scenario_factory):
    # 40,000 m² could give 17.95 MW; the network takes 10 and the rest is curtailed, at no cost.
    big = {**FIELD, "area_m2": 40_000}
    ds = restvarme.run(scenario_factory(units=[GAS_BOILER, big]))
    np.testing.assert_allclose(ds["heat_mw"].sel(unit="field"), 10.0, rtol=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(0.0, abs=1e-9)


def test_the_optimiser_buys_collector_area_by_the_m2(scenario_factory):
    # New area at 100 EUR/m², 25 years at 5 %: 100 · a(5 %, 25) = 7.0952 EUR/m²/yr, for 4 h of a
    # year 7.0952 · 4 / 8760 = 0.00324 EUR/m², against 4 h · 448.832 W · 25 EUR/MWh = 0.04488
    # EUR/m² of gas saved: it builds all it may (max 5,000 m²).
    field = {
        **FIELD,
        "expansion": {"capital_cost_eur_per_m2": 100.0, "max_m2": 5_000, "discount_rate": 0.05},
    }
    ds = restvarme.run(scenario_factory(units=[GAS_BOILER, field]))
    assert float(ds["capacity_new"].sel(unit="field")) == pytest.approx(5_000, rel=1e-9)
    q = 15_000 * Q_PER_M2
    capital = 5_000 * 100 * annuity_factor(0.05, 25) * 4 / 8760
    assert float(ds["cost_eur"].sel(cost_item="capital")) == pytest.approx(capital, rel=1e-9)
    assert ds.attrs["objective_eur"] == pytest.approx(4 * (10 - q) * 25 + capital, rel=1e-9)


def test_the_built_in_climate_gives_sun_by_day_and_none_at_night(scenario_factory):
    # 48 h from 21 June in Lund, horizontal irradiance from the synthetic year turned onto a
    # 35° south-facing plane: no heat at midnight; at noon more than 0, never more than η0 · G.
    field = {k: v for k, v in FIELD.items() if not k.startswith("irradiance")}
    ds = restvarme.run(
        scenario_factory(
            units=[GAS_BOILER, field],
            location={"name": "Lund", "climate": "lund"},
            horizon={"start": "2030-06-21 00:00", "hours": 48},
        )
    )
    g = ds["solar_thermal_irradiance_w_per_m2"].sel(solar_thermal="field")
    q = ds["solar_thermal_heat_mw_per_m2"].sel(solar_thermal="field")
    hours = g["snapshot"].dt.hour
    assert float(g.where(hours == 0, drop=True).max()) == 0.0
    assert float(q.where(hours == 12, drop=True).min()) > 0.0
    assert bool((q * 1e6 <= ETA0_HEMISPHERICAL * g + 1e-9).all())


def test_without_irradiance_or_climate_the_error_names_the_key(scenario_factory):
    field = {k: v for k, v in FIELD.items() if not k.startswith("irradiance")}
    with pytest.raises(ScenarioError) as raised:
        restvarme.run(scenario_factory(units=[GAS_BOILER, field]))
    message = str(raised.value)
    assert "units[1].irradiance_w_per_m2" in message and "lund" in message
