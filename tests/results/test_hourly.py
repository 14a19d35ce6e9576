"""The hourly CSV files of a run folder (restvarme.results.hourly): hand-solved tiny cases read
back from the folder `restvarme run --out` writes, and the Lund year against its results.

Set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" at 70/40 °C with 10 MW demand,
gas at 20 EUR/MWh emitting 0.2 t/MWh, electricity at 40 EUR/MWh, no export.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import restvarme
from restvarme.results.hourly import (
    GRID_FILE,
    PRICES_FILE,
    WASTE_HEAT_FILE,
    hourly_table_text,
    waste_heat,
)
from restvarme.results.io import write_results
from tiny_scenarios import GAS_BOILER as BOILER

UNITS = ("_mw", "_eur_per_mwh", "_h")


def _written(ds, folder):
    write_results(ds, folder)
    return {
        name: pd.read_csv(folder / name, index_col="snapshot")
        for name in (PRICES_FILE, WASTE_HEAT_FILE, GRID_FILE)
        if (folder / name).exists()
    }


def test_prices_waste_heat_and_grid_of_a_hand_solved_case(scenario_factory, tmp_path):
    # Waste heat w: 6 MW at 80 °C (approach 5 K -> 75 °C >= 70 °C supply: direct) at 5 EUR/MWh;
    # the boiler (80 %, gas 20 EUR/MWh, carbon 50 EUR/t * 0.2 t/MWh) covers the other 4 MW:
    # 1.25 * (20 + 10) = 37.5 EUR/MWh, the marginal heat price in every hour. No unit uses
    # electricity: nothing is bought or sold.
    ds = restvarme.run(
        scenario_factory(
            carbon_price_eur_per_t=50,
            waste_heat={"w": {"available_mw": 6, "temperature_c": 80, "price_eur_per_mwh": 5}},
            units=[
                BOILER,
                {
                    "name": "hx",
                    "type": "heat_exchanger",
                    "source": "w",
                    "sink": "main",
                    "capacity_mw": 20,
                },
            ],
        )
    )
    tables = _written(ds, tmp_path)
    prices, waste, grid = tables[PRICES_FILE], tables[WASTE_HEAT_FILE], tables[GRID_FILE]
    assert list(prices.index) == [f"2030-01-01 0{h}:00" for h in range(4)]
    np.testing.assert_allclose(prices["heat_main_eur_per_mwh"], 37.5, rtol=1e-6)
    # the direct route takes all 6 MW offered; preheat, heat pump and absorption are never used
    assert list(waste.columns) == ["w_available_mw", "w_direct_mw"]
    np.testing.assert_allclose(waste.to_numpy(), 6.0, rtol=1e-6)
    assert list(grid.columns[:2]) == ["electricity_import_mw", "electricity_export_mw"]
    np.testing.assert_allclose(grid[["electricity_import_mw", "electricity_export_mw"]], 0.0)
    for table in tables.values():
        assert all(c.endswith(UNITS) for c in table.columns), list(table.columns)
    assert "cooling" not in " ".join(prices.columns)  # no cooling networks, no cooling columns


def test_electric_boiler_buys_electricity_hour_by_hour(scenario_factory, tmp_path):
    # An electric boiler of 20 MW at 99 % is the only unit: it buys
    # 10 / 0.99 = 10.101 MW in every hour, and one more MWh of heat costs 40 / 0.99 = 40.404 EUR.
    ds = restvarme.run(
        scenario_factory(
            units=[
                {
                    "name": "eb",
                    "type": "electric_boiler",
                    "sink": "main",
                    "capacity_mw": 20,
                    "efficiency": 0.99,
                }
            ]
        )
    )
    tables = _written(ds, tmp_path)
    grid, prices = tables[GRID_FILE], tables[PRICES_FILE]
    np.testing.assert_allclose(grid["electricity_import_mw"], 10 / 0.99, atol=1e-4)
    np.testing.assert_allclose(prices["heat_main_eur_per_mwh"], 40 / 0.99, atol=1e-4)
    assert WASTE_HEAT_FILE not in tables  # no waste-heat sources: no file


def test_periods_are_blocks_with_every_periods_columns():
    # Two periods of two snapshots; the source uses the preheat route only in period 2030, so
    # both blocks carry w_preheat_mw (zeros in 2026). Snapshots of 2 h add snapshot_weight_h.
    snap = pd.date_range("2030-01-01", periods=2, freq="2h")
    used = np.zeros((2, 2, 1, 2))  # period, snapshot, waste_source, route
    used[1, :, 0, 1] = [1.5, 2.25]
    ds = xr.Dataset(
        {
            "waste_heat_used_mw": (("period", "snapshot", "waste_source", "route"), used),
            "waste_heat_available_mw": (
                ("period", "snapshot", "waste_source"),
                np.full((2, 2, 1), 3.0),
            ),
            "snapshot_weight_h": (("snapshot",), [2.0, 2.0]),
        },
        coords={
            "period": [2026, 2030],
            "snapshot": snap,
            "waste_source": ["w"],
            "route": ["direct", "preheat"],
        },
    )
    text = hourly_table_text(ds, waste_heat)
    assert text == (
        "period,snapshot,snapshot_weight_h,w_available_mw,w_preheat_mw\n"
        "2026,2030-01-01 00:00,2,3.0000,0.0000\n"
        "2026,2030-01-01 02:00,2,3.0000,0.0000\n"
        "2030,2030-01-01 00:00,2,3.0000,1.5000\n"
        "2030,2030-01-01 02:00,2,3.0000,2.2500\n"
    )


@pytest.mark.slow
def test_lund_year_files_equal_its_results(lund_year):
    """Every column of the three files equals the results it comes from, to the four decimals
    written; the routes sum to the waste heat used in waste_heat.csv."""
    ds, folder = lund_year.results, lund_year.folder
    prices = pd.read_csv(folder / PRICES_FILE, index_col="snapshot")
    waste = pd.read_csv(folder / WASTE_HEAT_FILE, index_col="snapshot")
    grid = pd.read_csv(folder / GRID_FILE, index_col="snapshot")
    assert len(prices) == len(waste) == len(grid) == 8760
    for net in ("main", "brunnshog"):
        np.testing.assert_allclose(
            prices[f"heat_{net}_eur_per_mwh"],
            ds["marginal_heat_price_eur_per_mwh"].sel(network=net),
            atol=5e-5,
        )
    np.testing.assert_allclose(
        prices["cooling_north_dc_eur_per_mwh"],
        ds["marginal_cooling_price_eur_per_mwh"].sel(cooling_network="north_dc"),
        atol=5e-5,
    )
    np.testing.assert_allclose(
        prices["electricity_eur_per_mwh"], ds["marginal_electricity_price_eur_per_mwh"], atol=5e-5
    )
    np.testing.assert_allclose(grid["electricity_import_mw"], ds["grid_import_mw"], atol=5e-5)
    np.testing.assert_allclose(grid["electricity_export_mw"], ds["grid_export_mw"], atol=5e-5)
    summary = pd.read_csv(folder / "waste_heat.csv", index_col=0)
    for src in ds["waste_source"].values:
        routes = [c for c in waste.columns if c.startswith(f"{src}_") and "available" not in c]
        for c in routes:
            route = c.removeprefix(f"{src}_").removesuffix("_mw")
            assert waste[c].sum() == pytest.approx(
                summary.loc[src, f"{route}_mwh"], rel=1e-5, abs=0.01
            )
        np.testing.assert_allclose(
            waste[f"{src}_available_mw"],
            ds["waste_heat_available_mw"].sel(waste_source=src),
            atol=5e-5,
        )
    # the file leaves out only routes never used: what it leaves out sums to zero in the summary
    for src in ds["waste_source"].values:
        for route in ds["route"].values:
            if f"{src}_{route}_mw" not in waste.columns:
                assert summary.loc[src, f"{route}_mwh"] == 0.0
