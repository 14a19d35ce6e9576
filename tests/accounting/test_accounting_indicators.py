"""Per-network indicators worked out by hand on tiny systems (4 h, network 70/40 °C, 10 MW)."""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.accounting.indicators import (
    PrimaryEnergyFactors,
    heat_by_origin_mwh,
    indicator_table,
    network_indicators,
)

BIO_BOILER = {
    "name": "bio_boiler",
    "type": "boiler",
    "fuel": "bio",
    "sink": "main",
    "capacity_mw": 20,
    "efficiency": 0.8,
}
FUELS = {
    "bio": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.01, "renewable": True},
    "oil": {"price_eur_per_mwh": 60.0, "emission_t_per_mwh": 0.28},
}


def test_boiler_and_direct_waste_heat(scenario_factory):
    # 4 MW of 80 °C waste heat go in directly; the bio boiler covers 6 MW: fuel 6/0.8 = 7.5 MW.
    # Over 4 h: delivered 40 MWh, fuel 30 MWh emitting 0.3 t.
    # g/kWh = 1000 * 0.3/40 = 7.5; PEF = 30*1.0/40 = 0.75 (waste heat factor 0);
    # renewable 24/40 = 60 %, waste heat 16/40 = 40 %, fossil 0.
    ds = restvarme.run(
        scenario_factory(
            fuels=FUELS,
            waste_heat={"w": {"available_mw": 4, "temperature_c": 80}},
            units=[
                BIO_BOILER,
                {
                    "name": "hx",
                    "type": "heat_exchanger",
                    "source": "w",
                    "sink": "main",
                    "capacity_mw": 10,
                },
            ],
        )
    )
    ind = network_indicators(ds).sel(network="main")
    assert float(ind["delivered_heat_mwh"]) == pytest.approx(40.0)
    assert float(ind["emission_intensity_g_per_kwh"]) == pytest.approx(7.5)
    assert float(ind["primary_energy_factor"]) == pytest.approx(0.75)
    assert float(ind["renewable_share"]) == pytest.approx(0.6)
    assert float(ind["waste_heat_share"]) == pytest.approx(0.4)
    assert float(ind["fossil_share"]) == pytest.approx(0.0)
    # hourly values are the same every hour here
    np.testing.assert_allclose(ind["emission_intensity_g_per_kwh_hourly"], 7.5)
    np.testing.assert_allclose(ind["renewable_share_hourly"], 0.6)
    # waste heat charged 0.05 t/MWh adds 16*0.05 = 0.8 t -> (0.3 + 0.8)/40 = 27.5 g/kWh;
    # a waste-heat PEF of 1.0 adds 16 MWh -> 46/40 = 1.15
    charged = network_indicators(
        ds,
        waste_heat_factor_t_per_mwh=0.05,
        primary_energy_factors=PrimaryEnergyFactors(waste_heat=1.0),
    )
    assert float(charged["emission_intensity_g_per_kwh"].sel(network="main")) == pytest.approx(27.5)
    assert float(charged["primary_energy_factor"].sel(network="main")) == pytest.approx(1.15)


def test_air_heat_pump_shares_and_primary_energy(scenario_factory):
    # Air heat pump at 0 °C outdoor: COP = 0.5*347.15/(347.15 - 268.15) = 2.19715; it covers
    # all 10 MW (40/COP = 18.2 < 75 EUR/MWh of the oil boiler). Electricity 0.1 t/MWh.
    # g/kWh = 1000*0.1/COP = 45.51; PEF = 1.9/COP = 0.8648;
    # renewable = ambient (1 - 1/COP) + 0.5 * electric (1/COP) with half the grid renewable;
    # fossil = 0.2 * (1/COP) with a fifth of the grid fossil.
    cop = 0.5 * 347.15 / 79
    ds = restvarme.run(
        scenario_factory(
            fuels=FUELS,
            electricity={
                "price_eur_per_mwh": 40.0,
                "export_allowed": False,
                "emission_t_per_mwh": 0.1,
            },
            units=[
                {
                    "name": "oil_boiler",
                    "type": "boiler",
                    "fuel": "oil",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                },
                {
                    "name": "hp",
                    "type": "heat_pump",
                    "cop_method": "carnot",
                    "source": "air",
                    "sink": "main",
                    "capacity_mw": 12,
                },
            ],
        )
    )
    ind = network_indicators(ds, electricity_renewable_share=0.5, electricity_fossil_share=0.2)
    main = ind.sel(network="main")
    assert float(main["emission_intensity_g_per_kwh"]) == pytest.approx(100 / cop)
    assert float(main["primary_energy_factor"]) == pytest.approx(1.9 / cop)
    assert float(main["renewable_share"]) == pytest.approx(1 - 1 / cop + 0.5 / cop)
    assert float(main["fossil_share"]) == pytest.approx(0.2 / cop)
    assert float(main["waste_heat_share"]) == pytest.approx(0.0)
    origin = heat_by_origin_mwh(ds).sum("snapshot").sel(unit="hp")
    assert float(origin["ambient"] + origin["electricity_based"]) == pytest.approx(40.0)


def test_fossil_boiler_is_fossil(scenario_factory):
    # Oil boiler only: fuel 12.5 MW * 0.28 = 3.5 t/h; 1000*3.5/10 = 350 g/kWh; PEF 1/0.8 = 1.25.
    ds = restvarme.run(
        scenario_factory(
            fuels=FUELS,
            units=[
                {
                    "name": "oil_boiler",
                    "type": "boiler",
                    "fuel": "oil",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                }
            ],
        )
    )
    table = indicator_table(network_indicators(ds))
    assert table.loc["main", "g_co2e_per_kwh"] == pytest.approx(350.0)
    assert table.loc["main", "primary_energy_factor"] == pytest.approx(1.25)
    assert table.loc["main", "fossil_pct"] == pytest.approx(100.0)
    assert table.loc["main", "renewable_pct"] == pytest.approx(0.0)


def test_primary_energy_factor_per_fuel_needs_every_fuel():
    pef = PrimaryEnergyFactors(fuel={"bio": 0.2})
    assert pef.fuel_factor("bio") == 0.2
    with pytest.raises(KeyError, match="oil"):
        pef.fuel_factor("oil")
    assert "electricity 1.9" in PrimaryEnergyFactors().describe()


def test_heat_recovery_heat_pump_heat_is_waste_heat_and_electricity(scenario_factory):
    # A heat-recovery heat pump between a 6 °C cooling network (evaporating at 2 °C = 275.15 K)
    # and the 70 °C network (condensing at 74 °C = 347.15 K): COP = 0.5 * 347.15 / 72 = 2.41076.
    # At its 3 MW (its heat at 40/COP = 16.6 EUR/MWh beats the 25 EUR/MWh boiler, and its cooling
    # saves the chiller), 3·(1 - 1/COP) MW of the heat comes from the cooling network (waste
    # heat) and 3/COP MW from electricity. Produced 10 MW: waste-heat share 0.3·(1 - 1/COP).
    cop = 0.5 * 347.15 / 72
    ds = restvarme.run(
        scenario_factory(
            units=[
                {
                    "name": "boiler",
                    "type": "boiler",
                    "fuel": "gas",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.8,
                },
                {"name": "ch", "type": "chiller", "sink": "dc", "capacity_mw": 20},
                {
                    "name": "hrhp",
                    "type": "heat_recovery_heat_pump",
                    "cooling_network": "dc",
                    "heat_network": "main",
                    "capacity_mw": 3,
                },
            ],
            cooling_networks={
                "dc": {
                    "supply_temperature_c": 6,
                    "return_temperature_c": 16,
                    "demand": {"series_mw": 5.0},
                }
            },
        )
    )
    np.testing.assert_allclose(ds["heat_recovery_heat_pump_cop"], cop, rtol=1e-9)
    origin = heat_by_origin_mwh(ds).sum("snapshot")
    assert float(origin["waste_heat"].sel(unit="hrhp")) == pytest.approx(4 * 3 * (1 - 1 / cop))
    assert float(origin["electricity_based"].sel(unit="hrhp")) == pytest.approx(4 * 3 / cop)
    ind = network_indicators(ds)
    assert float(ind["waste_heat_share"].sel(network="main")) == pytest.approx(0.3 * (1 - 1 / cop))
