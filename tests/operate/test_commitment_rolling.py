"""Unit states carried across rolling-horizon windows (restvarme.operate.rolling with
restvarme.units._commitment), on a tiny hand-solved system."""

from __future__ import annotations

import numpy as np
import pytest

import restvarme
from restvarme.operate import operate
from restvarme.operate.rolling import _carried_state
from tiny_scenarios import make_scenario

FUELS = {
    "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.0},
    "oil": {"price_eur_per_mwh": 50.0, "emission_t_per_mwh": 0.0},
}
PEAK = {"name": "peak", "type": "boiler", "fuel": "oil", "sink": "main", "capacity_mw": 20,
        "efficiency": 1.0}  # fmt: skip
CHEAP = {"name": "cheap", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20,
         "efficiency": 1.0,
         "commitment": {"min_load_share": 0.25, "min_down_time_h": 2, "startup_cost_eur": 100,
                        "initial_state": "on"}}  # fmt: skip


def _scenario(tmp_path, demand_mw, units):
    (tmp_path / "demand.csv").write_text("mw\n" + "\n".join(map(str, demand_mw)) + "\n")
    network = {"supply_temperature_c": 70.0, "return_temperature_c": 40.0,
               "demand": {"series_mw": "demand.csv"}}  # fmt: skip
    return make_scenario(
        tmp_path, horizon={"hours": len(demand_mw)}, fuels=FUELS, networks={"main": network},
        units=units,
    )  # fmt: skip


def test_unit_state_is_carried_across_windows(tmp_path):
    # Demand 12, 2, 10, 10 MW. Cheap boiler at 20 EUR/MWh, >= 5 MW while on, off >= 2 h once
    # stopped, 100 EUR per start, on before hour 0; peak boiler at 50 EUR/MWh. Windows of one
    # hour (horizon 1 h, step 1 h), so only the carried state links the hours:
    #   hour 0: on (carried in, no start), 12 MW: 240 EUR; carried out: on
    #   hour 1: demand 2 < 5 MW: it stops; peak 2 MW: 100 EUR; carried out: off for 1 h
    #   hour 2: off for 1 h of its 2: it stays off; peak 10 MW: 500 EUR; out: off for 2 h
    #   hour 3: free to start: 100 + 10·20 = 300 EUR, against 500 EUR on the peak boiler
    # Year: 240 + 100 + 500 + 300 = 1140 EUR, status 1, 0, 0, 1, one start.
    # Had the windows not carried the state (each starting "on" as the scenario says), hour 2
    # would run the cheap boiler: 240 + 100 + 200 + 200 = 740 EUR.
    # Perfect foresight finds the same year: stopping before hour 0 instead costs
    # 12·50 + 2·50 + 100 + 20·20 = 1200 EUR.
    sf = _scenario(tmp_path, [12, 2, 10, 10], [CHEAP, PEAK])
    op = operate(sf, horizon_h=1, step_h=1)
    status = op.results["boiler_status"].sel(boiler="cheap").values
    np.testing.assert_allclose(status, [1, 0, 0, 1], atol=1e-9)
    assert op.results.attrs["objective_eur"] == pytest.approx(1140.0, rel=1e-9)
    assert float(op.results["cost_eur"].sel(cost_item="startup")) == pytest.approx(100.0)
    assert op.windows["planned_objective_eur"].tolist() == pytest.approx([240, 100, 500, 300])
    assert op.perfect.attrs["objective_eur"] == pytest.approx(1140.0, rel=1e-9)
    assert restvarme.run(sf).attrs["objective_eur"] == pytest.approx(1140.0, rel=1e-9)
    assert op.results.attrs["operate_windows_max_mip_gap"] <= 1e-4


def test_carried_state_counts_hours_back_through_windows():
    # A unit on for 5 h before a window that commits 3 h: on, on, on -> on for 8 h;
    # on, off, off -> off for 2 h; off, off, on -> on for 1 h.
    import xarray as xr

    before = {
        "boiler_initial_on": xr.DataArray([True, True, True], dims="boiler"),
        "boiler_initial_hours_h": xr.DataArray([5.0, 5.0, 5.0], dims="boiler"),
    }
    status = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1]], dtype=float)  # (hour, unit)
    after = _carried_state(before, status, "boiler")
    assert after["boiler_initial_on"].values.tolist() == [True, False, True]
    assert after["boiler_initial_hours_h"].values.tolist() == [8.0, 2.0, 1.0]


@pytest.mark.slow  # the command end to end; the relaxation and gap are this file's other tests'
def test_operate_cli_reports_the_relaxation_and_gap(tmp_path):
    # The system of test_unit_state_is_carried_across_windows, from the command line with a
    # MIP gap of 1 %: the windows' planned objectives sum to 240 + 100 + 500 + 300 = 1140 EUR,
    # and each window's LP relaxation is written beside it.
    import pandas as pd
    import yaml
    from typer.testing import CliRunner

    from restvarme.cli import app
    from tiny_scenarios import BASE

    (tmp_path / "demand.csv").write_text("mw\n12\n2\n10\n10\n")
    data = {
        **BASE,
        "fuels": FUELS,
        "networks": {
            "main": {
                "supply_temperature_c": 70.0,
                "return_temperature_c": 40.0,
                "demand": {"series_mw": "demand.csv"},
            }
        },
        "units": [CHEAP, PEAK],
    }
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    args = ["operate", str(path), "--out", str(out), "--horizon", "1", "--step", "1"]
    result = CliRunner().invoke(app, [*args, "--mip-gap", "0.01"])
    assert result.exit_code == 0, result.output
    assert "Unit commitment (MIP to a relative gap of 0.01)" in " ".join(result.output.split())
    windows = pd.read_csv(out / "operate_windows.csv")
    assert windows["planned_objective_eur"].sum() == pytest.approx(1140.0, rel=1e-6)
    assert {"relaxation_objective_eur", "mip_gap"} <= set(windows.columns)
    assert (windows["relaxation_objective_eur"] <= windows["planned_objective_eur"] + 1e-6).all()
