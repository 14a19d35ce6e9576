"""``restvarme operate``: the run folder, the foresight table, the day-ahead plan and call-offs."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.results.folder import verify_run_folder
from tiny_scenarios import BASE, GAS_BOILER

runner = CliRunner()
HX = {"name": "dc_hx", "type": "heat_exchanger", "source": "dc", "sink": "main", "capacity_mw": 4}


def _scenario(tmp_path, **changes):
    # 48 h, load 10 MW; a data centre offering 4 MW at 5 EUR/MWh through a heat exchanger,
    # the rest from gas at 25 EUR/MWh of heat (20 EUR/MWh at 80 %).
    data = copy.deepcopy(BASE)
    data.update(
        horizon={"hours": 48},
        waste_heat={"dc": {"available_mw": 4.0, "temperature_c": 80.0, "price_eur_per_mwh": 5.0}},
        units=[GAS_BOILER, HX],
    )
    data.update(changes)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.slow  # the command end to end; the rolling plan is test_rolling.py's
def test_operate_writes_a_run_folder_with_the_day_ahead_plan(tmp_path):
    # Perfect forecasts, no store: each hour takes 4 MW of waste heat (20 EUR) and 6 MW of
    # heat from gas (150 EUR): 170 EUR per hour, 8160 EUR over 48 h, as `run` finds.
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "operate",
            str(_scenario(tmp_path)),
            "--out",
            str(out),
            "--horizon",
            "36",
            "--day-ahead",
            "2030-01-02",
        ],
    )
    assert result.exit_code == 0, result.output
    verify_run_folder(out)  # the run folder of `run`, manifest and hashes included
    ds = xr.open_dataset(out / "results.nc", engine="h5netcdf")
    assert ds.attrs["objective_eur"] == pytest.approx(8160.0, rel=1e-9)
    foresight = pd.read_csv(out / "operate_foresight.csv", index_col="cost_item")
    assert foresight.loc["objective", "rolling_eur"] == pytest.approx(8160.0, rel=1e-9)
    assert foresight.loc["objective", "difference_eur"] == pytest.approx(0.0, abs=1e-6)
    assert "cost of imperfect foresight 0.0000 MEUR" in " ".join(result.output.split())
    windows = pd.read_csv(out / "operate_windows.csv")
    assert windows["committed_hours"].tolist() == [24, 24]
    # the plan of the window committing 2 January: 24 hours, per unit
    plan = pd.read_csv(out / "operate_day_ahead_plan.csv", parse_dates=["snapshot"])
    assert len(plan) == 24 * 2
    assert plan["snapshot"].min() == pd.Timestamp("2030-01-02")
    gas = plan[plan["unit"] == "gas_boiler"]
    np.testing.assert_allclose(gas["heat_mw"], 6.0)
    np.testing.assert_allclose(gas["fuel_mw"], 7.5)
    offs = pd.read_csv(out / "operate_call_off.csv")
    np.testing.assert_allclose(offs["deliver_mw"], 4.0)
    doc = json.loads((out / "operate_day_ahead_plan.json").read_text(encoding="utf-8"))
    assert doc["window"] == 1 and doc["committed_h"] == 24
    assert doc["call_off"]["dc"]["deliver_mwh"] == pytest.approx(96.0)
    assert doc["units"]["dc_hx"]["heat_mw"] == [4.0] * 24


def test_operate_refuses_extendable_units_with_the_line(tmp_path):
    unit = {**GAS_BOILER, "expansion": {"capital_cost_eur_per_mw": 1e5, "lifetime_years": 20}}
    path = _scenario(tmp_path, units=[unit, HX])
    result = runner.invoke(app, ["operate", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "units[0].expansion" in result.output
    assert "restvarme plan" in result.output
    assert "scenario.yaml" in result.output


def test_operate_refuses_a_day_outside_the_horizon(tmp_path):
    result = runner.invoke(
        app,
        ["operate", str(_scenario(tmp_path)), "--out", str(tmp_path / "o"), "--day-ahead", "2031"],
    )
    assert result.exit_code == 2
    assert "not within the horizon" in result.output
