"""The command line: run, validate, schema, examples; bad input exits with code 2."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.economics import annuity_factor
from tiny_scenarios import BASE

runner = CliRunner()

TINY = """\
name: Tiny town
horizon: {hours: 24}
location: {name: Tiny, climate: lund}
electricity: {price_eur_per_mwh: 50}
fuels: {gas: {price_eur_per_mwh: 30, emission_t_per_mwh: 0.2}}
networks:
  main:
    supply_temperature_c: {curve: [[-10, 90], [10, 70]]}
    return_temperature_c: 40
    demand: {annual_gwh: 50}
units:
  - {name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 30}
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def test_run_writes_results_and_prints_summary(tiny, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tiny), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Heat by unit" in result.output and "boiler" in result.output
    for name in (
        "results.nc",
        "units.csv",
        "costs.csv",
        "emissions.csv",
        "networks.csv",
        "waste_heat.csv",
        "scenario.resolved.json",
    ):
        assert (out / name).is_file(), name
    with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
        # all 24 hours are covered by the boiler; its heat equals the network's demand
        assert ds.sizes["snapshot"] == 24
        assert float(ds["heat_mwh"].sel(unit="boiler")) == pytest.approx(
            float(ds["heat_demand_mwh"].sel(network="main")), rel=1e-9
        )
    resolved = json.loads((out / "scenario.resolved.json").read_text())
    assert resolved["scenario"]["units"][0]["efficiency"] == 0.9  # default filled in
    # the key figures as the report shows them: the boiler at 90 % burns 30 EUR/MWh of gas,
    # 30 / 0.9 = 33.3 EUR per MWh of heat; 0.2 t/MWh / 0.9 = 222.2 g CO2e/kWh
    text = " ".join(result.output.split())
    assert "Cost per MWh of heat delivered │ 33.3 │ EUR/MWh" in text
    assert "Emissions per kWh of heat delivered │ 222.2 │ g CO2e/kWh" in text
    figures = pd.read_csv(out / "key_figures.csv", index_col="figure")
    assert figures.loc["cost_eur_per_mwh", "value"] == pytest.approx(30 / 0.9, rel=1e-5)
    # cost items of 0 (penalties, capital, ...) are left out, the others named for people
    assert "unserved_heat_penalty" not in text and "penalty: unserved heat" not in text
    assert "carbon │" not in text and "electricity bought" not in text


def test_validate_ok(tiny):
    result = runner.invoke(app, ["validate", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "24 hourly snapshots" in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TINY.replace("capacity_mw: 30", "capacity_mv: 30"), "capacity_mw"),
        (TINY.replace("sink: main", "sink: mian"), "mian"),
        (TINY.replace("capacity_mw: 30", "capacity_mw: -30"), "capacity_mw"),
        ("", "empty"),
        ("name: [unclosed\n", "line"),
    ],
    ids=["typo", "unknown-network", "negative", "empty", "yaml-syntax"],
)
def test_bad_input_exits_2_without_traceback(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    for command in ("run", "validate"):
        result = runner.invoke(
            app,
            [command, str(path), "--out", str(tmp_path / "o")]
            if command == "run"
            else [command, str(path)],
        )
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert "bad.yaml" in result.output
        assert expected in result.output.lower() or expected in result.output


def test_unknown_example_exits_2():
    result = runner.invoke(app, ["run", "atlantis"])
    assert result.exit_code == 2
    assert "lund" in result.output  # lists the examples that do exist


def test_schema_is_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "networks" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_examples_lists_lund():
    result = runner.invoke(app, ["examples"])
    assert result.exit_code == 0
    assert "lund" in result.output and "Lund 2030" in result.output


def test_run_prints_the_hydrogen_balance(tmp_path):
    # 24 h of 2 MW hydrogen demand from a 10 MW electrolyser (η 0.65) at 50 EUR/MWh: it makes
    # 48 MWh = 0.05 GWh of hydrogen from 48/0.65 = 73.8 MWh of electricity. Its heat (default
    # share 1 - 0.65 - 0.05 = 0.30 of the electricity, at 60 °C) preheats the network's return and
    # displaces gas heat worth 30/0.9 = 33.33 EUR/MWh, so one more MWh of hydrogen costs
    # (50 - 0.30 * 33.33) / 0.65 = 61.54 EUR/MWh.
    text = TINY.replace(
        "units:\n",
        "waste_heat: {h2_heat: {available_mw: 0, temperature_c: 60}}\n"
        "hydrogen: {demand_mw: 2}\n"
        "units:\n"
        "  - {name: ely, type: electrolyser, capacity_mw: 10, efficiency: 0.65,\n"
        "     waste_heat: h2_heat, waste_heat_temperature_c: 60}\n"
        "  - {name: hx, type: heat_exchanger, source: h2_heat, sink: main, capacity_mw: 5}\n",
    )
    path = tmp_path / "h2.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Hydrogen by unit" in result.output and "Hydrogen balance" in result.output
    assert "ely" in result.output and "0.05" in result.output and "-0.07" in result.output
    assert "61.54" in result.output


def _tiny_file(tmp_path, **changes):
    """The 4-hour tiny scenario of tests/tiny_scenarios.py with a gas boiler, as a YAML file."""
    data = copy.deepcopy(BASE)
    data["units"] = [
        {"name": "boiler", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20}
    ]
    data.update(changes)
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_summary_names_every_sector_the_scenario_lacks(tmp_path):
    # Heat only: no cooling network, hydrogen bus, biogas bus or fleets. Each still gets one
    # line, so a reader sees the sector was considered, not silently left out.
    path = _tiny_file(tmp_path)
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for line in (
        "Cooling: no cooling network in this scenario",
        "Hydrogen: no hydrogen bus in this scenario",
        "Biogas: no biogas bus in this scenario",
        "Transport: no fleets in this scenario",
    ):
        assert line in result.output
    assert "Electricity balance" in result.output and "Emissions by sector" in result.output


def test_electricity_balance_counts_electric_fleets(tmp_path):
    # 8,760,000 km a year at 2.5 kWh/km = 21,900 MWh/yr, flat: 2.5 MW, so 10 MWh in the 4 hours,
    # all imported (no export, no generation). The balance closes only with the fleet's row:
    # import 0.01 GWh - fleets 0.01 GWh = 0.00.
    fleet = {
        "vehicle": "bus",
        "drive": "electric",
        "annual_km": 8_760_000,
        "energy_kwh_per_km": 2.5,
    }
    path = _tiny_file(tmp_path, fleets={"e_buses": fleet})
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rows = {
        cells[0]: cells[1]
        for line in result.output.splitlines()
        if len(cells := [c.strip() for c in line.strip("│ ").split("│")]) == 2
    }
    assert rows["grid import"] == "0.01"
    assert rows["electric fleets"] == "-0.01"
    assert rows["balance"] == "0.00"
    assert "Transport fleets against their baseline" in result.output


PLAN = """\
name: Plan town
horizon: {hours: 48}
location: {name: Plan, outdoor_temperature_c: 0}
discount_rate: 0.05
electricity: {price_eur_per_mwh: 10, export_allowed: false}
fuels: {gas: {price_eur_per_mwh: 20, emission_t_per_mwh: 0.2}}
networks:
  main:
    supply_temperature_c: 70
    return_temperature_c: 40
    demand: {series_mw: 10}
units:
  - {name: gas, type: boiler, fuel: gas, sink: main, capacity_mw: 20, efficiency: 0.8}
  - name: eb
    type: electric_boiler
    sink: main
    capacity_mw: 0
    efficiency: 1.0
    expansion: {capital_cost_eur_per_mw: 1000000, lifetime_years: 20}
"""


def test_plan_builds_and_cold_start_finds_the_same_plan(tmp_path):
    # Electric heat costs 10 EUR/MWh, gas heat 20/0.8 = 25 EUR/MWh: 1 MW of electric boiler
    # saves 15 x 48 = 720 EUR over the 48 h and costs 1e6 x annuity(5 %, 20 y) x 48/8760
    # = 439.7 EUR, so it is built for the whole 10 MW load: 480 MWh x 10 + 10 x 439.7 EUR.
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    outputs = []
    for extra in ([], ["--cold-start"]):
        out = tmp_path / f"out{len(extra)}"
        result = runner.invoke(app, ["plan", str(path), "--out", str(out), *extra])
        assert result.exit_code == 0, result.output
        with xr.open_dataset(out / "results.nc", engine="h5netcdf") as ds:
            outputs.append((ds.attrs["objective_eur"], float(ds["capacity_new"].sel(unit="eb"))))
    (warm_obj, warm_eb), (cold_obj, cold_eb) = outputs
    assert warm_obj == pytest.approx(cold_obj, rel=1e-12)
    assert warm_eb == pytest.approx(cold_eb, abs=1e-9)
    capacity_cost = 1e6 * annuity_factor(0.05, 20) * 48 / 8760
    assert warm_eb == pytest.approx(10.0, abs=1e-6)
    assert warm_obj == pytest.approx(480 * 10 + 10 * capacity_cost, rel=1e-9)


def test_plan_without_anything_to_plan_exits_2(tiny):
    result = runner.invoke(app, ["plan", str(tiny)])
    assert result.exit_code == 2
    assert "nothing to plan" in result.output


def test_run_prints_whether_each_target_is_met(tmp_path):
    # Gas only: no renewable heat at all, so a 20 % renewable share misses all of it:
    # 0.2 x 480 MWh = 96 MWh short; no emission cap is set.
    data = yaml.safe_load(PLAN)
    data["units"] = data["units"][:1]
    data["targets"] = {"min_renewable_share": 0.2}
    path = tmp_path / "target.yaml"
    path.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Targets: renewable share 20% missed by 96 MWh" in result.output


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["run"], "Output folder [default: out/<name of the example, folder or file>]."),
        (["accounts"], "decision perspective [t CO2e/MWh]."),
        (["report"], "Image width [px] (png/svg)."),
        (["waste-heat-value"], "[default: RUN_DIR/waste_heat_price_list_<source>.csv]."),
    ],
)
def test_help_texts_keep_their_brackets(command, shown):
    """Help texts are plain text: units and defaults in brackets are not read as markup."""
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert shown in " ".join(result.output.split())


def test_version():
    from restvarme import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"restvarme {__version__}"


def test_default_output_folder_is_named_after_what_was_given(tmp_path, monkeypatch):
    from restvarme.cli import default_out

    (tmp_path / "malmo").mkdir()
    (tmp_path / "malmo" / "scenario.yaml").write_text("name: Malmö 2035\n", encoding="utf-8")
    (tmp_path / "malmo_2035.yaml").write_text("name: Malmö 2035\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert default_out("lund_2030") == Path("out/lund_2030")  # an example, not its scenario name
    assert default_out("malmo") == Path("out/malmo")
    assert default_out("malmo/scenario.yaml") == Path("out/malmo")
    assert default_out("malmo_2035.yaml") == Path("out/malmo_2035")


@pytest.mark.parametrize(
    ("horizon", "said"),
    [
        ("horizon: {hours: 24}", "24 hourly snapshots"),
        ("horizon: {hours: 24, resolution_h: 4}", "6 snapshots of 4 h"),
    ],
)
def test_validate_says_how_long_a_snapshot_is(tmp_path, horizon, said):
    path = tmp_path / "s.yaml"
    path.write_text(TINY.replace("horizon: {hours: 24}", horizon), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert said in result.output
