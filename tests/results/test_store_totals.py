"""Every store type reports its annual charge and discharge [MWh] beside the hourly flows."""

from __future__ import annotations

import numpy as np
import pytest

import restvarme


@pytest.mark.parametrize("resolution_h", [1, 2])
def test_a_heat_store_reports_its_annual_charge_and_discharge(
    scenario_factory, tmp_path, resolution_h
):
    # 10 MW of heat for 4 h from an electric boiler (efficiency 1) at 10, 10, 100, 100 EUR/MWh:
    # the lossless 20 MWh tank is filled at 10 MW in the two cheap hours and empties at 10 MW
    # in the two dear ones: 20 MWh charged and 20 MWh discharged, hourly or on 2-h blocks
    # (weight 2 h: 10 MW · 2 h in the first block, then 10 MW · 2 h).
    (tmp_path / "price.csv").write_text("price\n10\n10\n100\n100\n")
    ds = restvarme.run(
        scenario_factory(
            horizon={"hours": 4, "resolution_h": resolution_h},
            electricity={"price_eur_per_mwh": "price.csv", "export_allowed": False},
            units=[
                {
                    "name": "eb",
                    "type": "electric_boiler",
                    "sink": "main",
                    "capacity_mw": 20.0,
                    "efficiency": 1.0,
                },
                {
                    "name": "tank",
                    "type": "storage",
                    "network": "main",
                    "energy_mwh": 20.0,
                    "charge_mw": 10.0,
                },
            ],
        )
    )
    assert float(ds["storage_charge_mwh"].sel(storage="tank")) == pytest.approx(20.0)
    assert float(ds["storage_discharge_mwh"].sel(storage="tank")) == pytest.approx(20.0)
    w = ds["snapshot_weight_h"]
    for flow in ("charge", "discharge"):
        np.testing.assert_allclose(
            ds[f"storage_{flow}_mwh"], (ds[f"storage_{flow}_mw"] * w).sum("snapshot"), rtol=1e-12
        )
