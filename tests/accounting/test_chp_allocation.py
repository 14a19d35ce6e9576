"""Each CHP allocation method reproduces a worked example by hand.

The example plant (one hour): fuel F = 100 MWh, power P = 30 MWh, heat Q = 50 MWh
(η_el = 0.30, η_th = 0.50), fuel emissions E = 20 t CO2e (0.2 t/MWh). The arithmetic is written
out in each test. η_el = 0.3, η_th = 0.5 is also the plant of oemof.thermal's own allocation
example (examples/cogeneration/emission_allocation.py: 200 kg CO2, eta_el_ref 0.525,
eta_th_ref 0.82), which test_names_and_formulas_as_oemof_thermal_has_them reproduces.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import restvarme
from restvarme.accounting.chp_allocation import (
    CHP_METHOD_ALIASES,
    CHP_METHODS,
    allocate_chp,
    carnot_factor,
    carnot_heat_share,
    chp_flows,
    efficiency_heat_share,
    energy_heat_share,
    finnish_heat_share,
    fixed_heat_efficiency_heat_share,
    iea_heat_share,
    inverse_efficiency_heat_share,
    power_bonus_heat_burden,
    power_bonus_heat_share,
    reference_efficiency_heat_share,
    resolve_chp_method,
)
from tiny_scenarios import make_scenario

F, P, Q, E = 100.0, 30.0, 50.0, 20.0


def test_energy_method():
    # Q/(Q+P) = 50/80 = 0.625 -> heat 0.625 * 20 t = 12.5 t, power 7.5 t.
    assert energy_heat_share(Q, P) == pytest.approx(0.625)
    assert E * energy_heat_share(Q, P) == pytest.approx(12.5)


def test_inverse_efficiency_method():
    # Mauch et al. 2010 (oemof.thermal / TransiEnt "efficiency"): heat gets η_el/(η_el + η_th)
    # = 0.3/0.8 = 0.375 -> 7.5 t, power η_th/(η_el + η_th) = 0.625 -> 12.5 t: the energy method
    # with the shares swapped.
    assert inverse_efficiency_heat_share(Q, P) == pytest.approx(0.375)
    assert E * inverse_efficiency_heat_share(Q, P) == pytest.approx(7.5)
    assert inverse_efficiency_heat_share(Q, P) == pytest.approx(1 - energy_heat_share(Q, P))


def test_reference_efficiency_method_ghg_protocol_defaults():
    # e_H = 0.80, e_P = 0.35 (GHG Protocol CHP tool, 2006):
    # Q/e_H = 62.5, P/e_P = 85.7142857; share = 62.5/148.2142857 = 0.4216867 -> 8.4337 t.
    share = reference_efficiency_heat_share(Q, P)
    assert efficiency_heat_share is reference_efficiency_heat_share  # the old name
    assert share == pytest.approx(62.5 / (62.5 + 30 / 0.35))
    assert share == pytest.approx(0.4216867, abs=1e-7)
    assert E * share == pytest.approx(8.433735, abs=1e-6)


def test_finnish_method_equals_efficiency_with_its_own_references():
    # e_H = 0.90, e_P = 0.39: share = 1/(1 + (30/0.39)(0.9/50)) = 1/(1 + 27/19.5) = 0.4193548.
    # The oemof.thermal form: 1 - PES = 1/(0.3/0.39 + 0.5/0.9); heat = (1 - PES)*(0.5/0.9).
    share = finnish_heat_share(Q, P)
    assert share == pytest.approx(1 / (1 + 27 / 19.5))
    assert share == pytest.approx(0.5 / 0.9 / (0.3 / 0.39 + 0.5 / 0.9))
    assert share == pytest.approx(0.4193548, abs=1e-7)


def test_carnot_method_with_network_log_mean_temperature():
    # Network 80/40 °C: T_lm = (353.15 - 313.15)/ln(353.15/313.15) = 40/0.1202106 = 332.749 K;
    # ambient 0 °C = 273.15 K: η_c = 1 - 273.15/332.749 = 0.179112.
    # a_el = η_el/(η_el + η_c·η_th) = 0.3/(0.3 + 0.179112*0.5) = 0.770108; a_heat = 0.229892.
    t_lm_c = 40 / math.log(353.15 / 313.15) - 273.15
    eta_c = 1 - 273.15 / (t_lm_c + 273.15)
    assert eta_c == pytest.approx(0.179112, abs=1e-6)
    assert carnot_factor(t_lm_c, 0.0) == pytest.approx(eta_c)
    a_el = 0.3 / (0.3 + eta_c * 0.5)
    assert a_el == pytest.approx(0.770108, abs=1e-6)
    assert carnot_heat_share(Q, P, t_lm_c, 0.0) == pytest.approx(1 - a_el)


def test_carnot_factor_is_zero_for_heat_at_ambient():
    assert carnot_factor(10.0, 10.0) == 0.0
    assert carnot_factor(5.0, 10.0) == 0.0  # colder than ambient: no work potential, not negative


def test_fixed_heat_efficiency():
    # IEA fixed heat efficiency: heat charged Q/0.9 = 55.556 MWh of the 100 MWh fuel: share
    # 0.5556 -> 11.111 t.
    assert fixed_heat_efficiency_heat_share(F, Q) == pytest.approx(50 / 90)
    assert E * fixed_heat_efficiency_heat_share(F, Q) == pytest.approx(11.1111, abs=1e-4)
    # A plant with more heat than 0.9·F cannot charge heat more than all of it.
    assert fixed_heat_efficiency_heat_share(F, 95.0) == 1.0
    assert iea_heat_share is fixed_heat_efficiency_heat_share  # the old name


def test_names_and_formulas_as_oemof_thermal_has_them():
    """oemof.thermal, src/oemof/thermal/cogeneration.py, allocate_emissions(total_emissions=200,
    eta_el=0.3, eta_th=0.5, method, eta_el_ref=0.525, eta_th_ref=0.82), written out:

    - "iea":        EM_el = 200 * 0.3/0.8 = 75,  EM_th = 200 * 0.5/0.8 = 125
    - "efficiency": EM_el = 200 * 0.5/0.8 = 125, EM_th = 200 * 0.3/0.8 = 75
    - "finnish":    PEE = 1 - 1/(0.3/0.525 + 0.5/0.82) = 1 - 1/1.1811847 = 0.1533923,
                    EM_th = 200 * (1 - PEE) * 0.5/0.82 = 103.2448, EM_el = 96.7552

    Ours under the names those libraries use: iea -> energy, efficiency -> inverse_efficiency,
    finnish -> finnish (TransiEnt's AllocationMethod_IEA, _Efficiencies, _Finnish have the same
    formulas, after Mauch et al. 2010).
    """
    total = 200.0
    assert total * energy_heat_share(Q, P) == pytest.approx(125.0)
    assert total * inverse_efficiency_heat_share(Q, P) == pytest.approx(75.0)
    pee = 1 - 1 / (0.3 / 0.525 + 0.5 / 0.82)
    assert pee == pytest.approx(0.1533923, abs=1e-7)
    finnish = total * finnish_heat_share(Q, P, efficiency_heat_ref=0.82, efficiency_power_ref=0.525)
    assert finnish == pytest.approx(total * (1 - pee) * 0.5 / 0.82)
    assert finnish == pytest.approx(103.2448, abs=1e-4)
    # the old names were other methods: "efficiency" (GHG Protocol) and "iea" (fixed heat
    # efficiency) give 84.34 t and 111.11 t here, not 75 and 125
    assert total * reference_efficiency_heat_share(Q, P) == pytest.approx(84.3373, abs=1e-4)
    assert total * fixed_heat_efficiency_heat_share(F, Q) == pytest.approx(111.1111, abs=1e-4)


def test_carnot_conventions_log_mean_against_arithmetic_mean():
    # The module's stated conventions for 80/40 °C: log mean 332.749 K, arithmetic 333.15 K
    # (0.40 K apart); ambient 0 °C: η_c = 0.179112 (log mean) against 1 - 273.15/333.15 =
    # 0.180099 (arithmetic): the arithmetic mean charges heat slightly more.
    t_lm_k = 40 / math.log(353.15 / 313.15)
    assert t_lm_k == pytest.approx(332.749, abs=1e-3)
    assert 333.15 - t_lm_k == pytest.approx(0.40, abs=0.005)
    assert carnot_factor(60.0, 0.0) == pytest.approx(0.180099, abs=1e-6)
    assert carnot_heat_share(Q, P, 60.0, 0.0) > carnot_heat_share(Q, P, t_lm_k - 273.15, 0.0)
    # the ambient moves it more: at 15 °C instead of 0 °C, η_c = 1 - 288.15/332.749 = 0.134033
    assert carnot_factor(t_lm_k - 273.15, 15.0) == pytest.approx(0.134033, abs=1e-6)


def test_old_names_still_work_with_a_deprecation_note(chp_run):
    flows = chp_flows(chp_run)
    burden = flows.fuel_mw * 0.2
    assert CHP_METHOD_ALIASES == {
        "efficiency": "reference_efficiency",
        "iea": "fixed_heat_efficiency",
    }
    for old, new in CHP_METHOD_ALIASES.items():
        name, note = resolve_chp_method(old)
        assert name == new and old in note and new in note and "oemof.thermal" in note
        with pytest.warns(DeprecationWarning, match=f"{old!r} is the old name of {new!r}"):
            by_old = allocate_chp(burden, flows, old)
        xr.testing.assert_allclose(by_old, allocate_chp(burden, flows, new))
    assert resolve_chp_method("energy") == ("energy", None)


def test_power_bonus_with_fuel_credit_and_with_emission_credit():
    # Fuel credit at a reference power efficiency 0.40: P/0.4 = 75 MWh of the fuel goes to power;
    # heat's share 1 - 75/100 = 0.25 -> 5 t.
    assert power_bonus_heat_share(F, P, efficiency_power_ref=0.40) == pytest.approx(0.25)
    # Emission credit at a marginal 0.7 t/MWh: 20 - 30*0.7 = -1 t (negative: reported as is).
    assert power_bonus_heat_burden(E, P, 0.7) == pytest.approx(-1.0)


def test_plant_that_is_off_has_no_share_and_no_nan():
    assert energy_heat_share(0.0, 0.0) == 0.0
    assert fixed_heat_efficiency_heat_share(0.0, 0.0) == 0.0
    assert inverse_efficiency_heat_share(0.0, 0.0) == 0.0
    out = reference_efficiency_heat_share(np.array([0.0, 50.0]), np.array([0.0, 30.0]))
    assert np.all(np.isfinite(out))


def test_functions_take_pandas_and_xarray():
    s = energy_heat_share(
        pd.Series([50.0, 0.0], index=["a", "b"]), pd.Series([30.0, 0.0], index=["a", "b"])
    )
    assert list(s.index) == ["a", "b"] and s["a"] == pytest.approx(0.625)
    q = xr.DataArray([[50.0]], dims=("snapshot", "unit"))
    p = xr.DataArray([[30.0]], dims=("unit", "snapshot"))  # other order: aligned by name
    assert energy_heat_share(q, p).item() == pytest.approx(0.625)


@pytest.fixture(scope="module")
def chp_run():
    # Only a gas back-pressure CHP (η_th 0.5, η_el 0.3) serves 10 MW at 70/40 °C, outdoor 0 °C,
    # for 4 h: Q = 10, P = 6, F = 20 MW; fuel emissions 20 * 0.2 = 4 t/h, 16 t in all.
    sf = make_scenario(
        electricity={"price_eur_per_mwh": 40.0, "export_allowed": True},
        units=[
            {
                "name": "chp",
                "type": "chp",
                "fuel": "gas",
                "sink": "main",
                "heat_capacity_mw": 20,
                "efficiency_heat": 0.5,
                "efficiency_el": 0.3,
            }
        ],
    )
    return restvarme.run(sf)


def test_dataset_allocation_matches_the_hand_values(chp_run):
    flows = chp_flows(chp_run)
    np.testing.assert_allclose(flows.fuel_mw, 20.0)
    np.testing.assert_allclose(flows.power_mw, 6.0)
    burden = flows.fuel_mw * 0.2  # 4 t per hour
    # energy: 10/16 = 0.625 -> 2.5 t/h
    np.testing.assert_allclose(allocate_chp(burden, flows, "energy"), 2.5)
    # carnot at the log mean of 70/40 °C: T_lm = 30/ln(343.15/313.15) = 327.921 K,
    # η_c = 1 - 273.15/327.921 = 0.167026; share = 1.67026/(6 + 1.67026) = 0.217758 -> 0.871 t/h
    t_lm_k = 30 / math.log(343.15 / 313.15)
    eta_c = 1 - 273.15 / t_lm_k
    assert eta_c == pytest.approx(0.167026, abs=1e-6)
    np.testing.assert_allclose(allocate_chp(burden, flows, "carnot"), 4 * 0.2177577, rtol=1e-6)
    # the supply temperature instead: η_c = 1 - 273.15/343.15 = 0.203993
    hot = chp_flows(chp_run, heat_temperature="supply")
    eta_s = 1 - 273.15 / 343.15
    np.testing.assert_allclose(
        allocate_chp(burden, hot, "carnot"), 4 * 10 * eta_s / (6 + 10 * eta_s)
    )
    # a fixed ambient of 10 °C lowers η_c: 1 - 283.15/327.921 = 0.136531
    warm = chp_flows(chp_run, ambient_temperature_c=10.0)
    eta_w = 1 - 283.15 / t_lm_k
    np.testing.assert_allclose(
        allocate_chp(burden, warm, "carnot"), 4 * 10 * eta_w / (6 + 10 * eta_w)
    )
    # power bonus with a 0.5 t/MWh credit: 4 - 6*0.5 = 1 t/h
    np.testing.assert_allclose(
        allocate_chp(burden, flows, "power_bonus", electricity_credit=0.5), 1.0
    )


def test_every_method_is_registered_and_bad_names_say_what_exists(chp_run):
    assert set(CHP_METHODS) == {
        "energy",
        "inverse_efficiency",
        "reference_efficiency",
        "finnish",
        "carnot",
        "fixed_heat_efficiency",
        "power_bonus",
    }
    flows = chp_flows(chp_run)
    with pytest.raises(ValueError, match="use one of"):
        allocate_chp(flows.fuel_mw, flows, "exergy-ish")
    with pytest.raises(ValueError, match="needs a credit"):
        allocate_chp(flows.fuel_mw, flows, "power_bonus")
    with pytest.raises(ValueError, match="heat_temperature"):
        chp_flows(chp_run, heat_temperature="median")
