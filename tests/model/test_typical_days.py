"""Typical days (tsam) with seasonal storage linked across the real sequence of days.

Four days of a flat 1 MW load met by an electric boiler (η 1); electricity costs 10 EUR/MWh on
days 1 and 2 and 100 EUR/MWh on days 3 and 4. With two typical days the clustering is exact
(the two cheap days are alike, as are the two dear ones), so a correct link between days must
give the hourly optimum; a store cycled within each typical day could not move energy from the
cheap days to the dear ones.
"""

from __future__ import annotations

import numpy as np
import pytest

import restvarme


def _run(tmp_path, factory, energy_mwh: float, typical: int | None):
    prices = [10.0] * 48 + [100.0] * 48
    (tmp_path / "p.csv").write_text("p\n" + "\n".join(map(str, prices)) + "\n")
    units = [
        {
            "name": "eb",
            "type": "electric_boiler",
            "sink": "main",
            "capacity_mw": 10,
            "efficiency": 1.0,
        },
        {
            "name": "pit",
            "type": "storage",
            "network": "main",
            "energy_mwh": energy_mwh,
            "charge_mw": 10,
        },
    ]
    networks = {
        "main": {
            "supply_temperature_c": 70,
            "return_temperature_c": 40,
            "demand": {"series_mw": 1.0},
        }
    }
    return restvarme.run(
        factory(
            units=units,
            networks=networks,
            horizon={"hours": 96, "typical_days": typical},
            electricity={"price_eur_per_mwh": "p.csv", "export_allowed": False},
        )
    )


def test_seasonal_store_moves_energy_between_typical_days(tmp_path, scenario_factory):
    # A 100 MWh store can carry the dear days' 48 MWh: all 96 MWh bought at 10 -> 960 EUR.
    hourly = _run(tmp_path, scenario_factory, 100, None)
    typical = _run(tmp_path, scenario_factory, 100, 2)
    assert hourly.attrs["objective_eur"] == pytest.approx(960.0, rel=1e-9)
    assert typical.attrs["objective_eur"] == pytest.approx(960.0, rel=1e-9)
    assert typical.sizes["snapshot"] == 48
    np.testing.assert_allclose(typical["snapshot_weight_h"], 2.0)


def test_store_size_limits_every_real_hour(tmp_path, scenario_factory):
    # A 30 MWh store shifts only 30 MWh: (48 + 30) * 10 + (48 - 30) * 100 = 2580 EUR.
    typical = _run(tmp_path, scenario_factory, 30, 2)
    assert typical.attrs["objective_eur"] == pytest.approx(2580.0, rel=1e-9)
    # the level at the start of each real day stays within [0, 30] and is reported
    start = typical["storage_level_day_start_mwh"].sel(storage="pit")
    assert start.sizes["day"] == 4
    assert float(start.max()) <= 30 + 1e-6 and float(start.min()) >= -1e-6
    level = typical["storage_level_mwh"].sel(storage="pit")
    assert float(level.max()) <= 30 + 1e-6 and float(level.min()) >= -1e-6
