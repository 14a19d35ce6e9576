"""Uniform time aggregation keeps energy and cost: a block of n hours stands for n hours."""

import numpy as np
import pytest

import restvarme


def test_coarse_run_keeps_energy_and_matches_hand_calculation(tmp_path, scenario_factory):
    # Load 10, 20, 30, 40 MW; a gas boiler at 25 EUR/MWh heat. Hourly: 100 MWh -> 2500 EUR.
    # In 2-hour blocks the loads average to 15 and 35 MW, each standing for 2 h: the same 100 MWh
    # and the same 2500 EUR, since cost is linear in energy.
    (tmp_path / "d.csv").write_text("d\n10\n20\n30\n40\n")
    networks = {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": "d.csv"},
        }
    }
    boiler = {
        "name": "b",
        "type": "boiler",
        "fuel": "gas",
        "sink": "main",
        "capacity_mw": 50,
        "efficiency": 0.8,
    }
    hourly = restvarme.run(scenario_factory(networks=networks, units=[boiler]))
    coarse = restvarme.run(
        scenario_factory(networks=networks, units=[boiler], horizon={"hours": 4, "resolution_h": 2})
    )
    assert coarse.sizes["snapshot"] == 2
    np.testing.assert_allclose(coarse["heat_demand_mw"].sel(network="main"), [15, 35])
    np.testing.assert_allclose(coarse["snapshot_weight_h"], [2, 2])
    assert float(coarse["heat_demand_mwh"].sum()) == pytest.approx(100.0)
    assert coarse.attrs["objective_eur"] == pytest.approx(hourly.attrs["objective_eur"], rel=1e-9)
    np.testing.assert_allclose(coarse["marginal_heat_price_eur_per_mwh"], 25.0)


def test_coarse_storage_moves_block_energy(tmp_path, scenario_factory):
    # Prices 10, 10, 100, 100 EUR/MWh in 2-hour blocks (10 and 100), flat 10 MW load, electric
    # boiler and a 20 MWh / 10 MW tank. Hourly and 2-hourly optimum: charge 20 MWh in the cheap
    # block, discharge in the dear one: 40 MWh bought at 10 EUR -> 400 EUR either way.
    (tmp_path / "p.csv").write_text("p\n10\n10\n100\n100\n")
    units = [
        {
            "name": "eb",
            "type": "electric_boiler",
            "sink": "main",
            "capacity_mw": 30,
            "efficiency": 1.0,
        },
        {"name": "tank", "type": "storage", "network": "main", "energy_mwh": 20, "charge_mw": 10},
    ]
    electricity = {"price_eur_per_mwh": "p.csv", "export_allowed": False}
    coarse = restvarme.run(
        scenario_factory(
            units=units, electricity=electricity, horizon={"hours": 4, "resolution_h": 2}
        )
    )
    assert coarse.attrs["objective_eur"] == pytest.approx(400.0, rel=1e-9)
    np.testing.assert_allclose(coarse["storage_level_mwh"].sel(storage="tank"), [20, 0], atol=1e-6)


def test_blocks_do_not_stretch_direct_use_hours(tmp_path, scenario_factory):
    # Waste heat alternates 80 °C (direct use into a 70/40 network: up to the 50 MW offered) and
    # 55 °C (preheat only: (50 - 40)/(70 - 40) = 1/3 of the 60 MW load = 20 MW). Per 2-hour block
    # the exchanger can deliver 50 + 20 = 70 MWh, so 4 blocks give 280 MWh hourly and in blocks.
    # (An infinite limit in direct hours, averaged over a block, would let it deliver 100 MWh.)
    (tmp_path / "t.csv").write_text("t\n" + "\n".join(["80", "55"] * 4) + "\n")
    networks = {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": 60.0},
        }
    }
    boiler = {"name": "b", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 100}
    for hx in (
        {"capacity_mw": 100},
        {"capacity_mw": 0, "expansion": {"capital_cost_eur_per_mw": 1.0}},
    ):
        for resolution in (1, 2):
            ds = restvarme.run(
                scenario_factory(
                    networks=networks,
                    horizon={"hours": 8, "resolution_h": resolution},
                    waste_heat={"w": {"available_mw": 50, "temperature_c": "t.csv"}},
                    units=[
                        boiler,
                        {
                            "name": "hx",
                            "type": "heat_exchanger",
                            "source": "w",
                            "sink": "main",
                            **hx,
                        },
                    ],
                )
            )
            assert float(ds["heat_mwh"].sel(unit="hx")) == pytest.approx(280.0, rel=1e-9), (
                hx,
                resolution,
            )
