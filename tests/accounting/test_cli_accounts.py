"""`accounts` and `waste-heat-value` on a tiny run folder: output, CSV, and located errors."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import restvarme
from restvarme.cli_accounts import register
from restvarme.results.io import resolved_scenario_json, write_results

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    from tiny_scenarios import make_scenario

    sf = make_scenario(
        carbon_price_eur_per_t=50,
        electricity={"price_eur_per_mwh": 40.0, "export_allowed": True, "emission_t_per_mwh": 0.1},
        waste_heat={"w": {"available_mw": 3, "temperature_c": 28}},
        units=[
            {
                "name": "chp",
                "type": "chp",
                "fuel": "gas",
                "sink": "main",
                "heat_capacity_mw": 4,
                "efficiency_heat": 0.5,
                "efficiency_el": 0.3,
                "vom_eur_per_mwh": 3,
            },
            {
                "name": "boiler",
                "type": "boiler",
                "fuel": "gas",
                "sink": "main",
                "capacity_mw": 20,
                "efficiency": 0.8,
            },
            {
                "name": "hp",
                "type": "heat_pump",
                "source": "w",
                "sink": "main",
                "capacity_mw": 3,
                "vom_eur_per_mwh": 2,
            },
        ],
    )
    out = tmp_path_factory.mktemp("run")
    write_results(restvarme.run(sf), out, resolved_scenario_json(sf))
    return out


def test_accounts_prints_the_indicator_table_with_the_method(app, run_dir):
    result = runner.invoke(
        app, ["accounts", str(run_dir), "--method", "carnot"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    for text in (
        "Indicators per network",
        "g CO2e/kWh",
        "carnot",
        "accounting perspective",
        "Emissions by unit",
        "Payments by counterparty",
        "main",
    ):
        assert text in result.output, text


def test_accounts_decision_perspective(app, run_dir):
    result = runner.invoke(
        app,
        ["accounts", str(run_dir), "--perspective", "decision", "--marginal-factor", "0.5"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "decision perspective" in result.output and "500 g/kWh" in result.output


def test_waste_heat_value_summary_and_price_list(app, run_dir, tmp_path):
    result = runner.invoke(app, ["waste-heat-value", str(run_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Value of waste heat" in result.output
    csv = tmp_path / "w.csv"
    result = runner.invoke(
        app,
        [
            "waste-heat-value",
            str(run_dir),
            "--source",
            "w",
            "--out",
            str(csv),
            "--temperatures",
            "40,70",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "price list for w" in result.output
    table = pd.read_csv(csv)
    assert set(table["delivery_temperature"]) == {"28 °C (own: model dual)", "40 °C", "70 °C"}
    # the default CSV goes into the run folder
    result = runner.invoke(app, ["waste-heat-value", str(run_dir), "--source", "w"])
    assert (run_dir / "waste_heat_price_list_w.csv").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["accounts", "{tmp}"], "results.nc"),
        (["accounts", "{run}", "--method", "exergy"], "unknown --method"),
        (["accounts", "{run}", "--perspective", "future"], "unknown --perspective"),
        (["waste-heat-value", "{run}", "--source", "nope"], "no waste-heat source 'nope'"),
        (["waste-heat-value", "{run}", "--source", "w", "--temperatures", "a,b"], "--temperatures"),
    ],
)
def test_bad_input_exits_with_code_2_and_says_why(app, run_dir, tmp_path, args, message):
    argv = [a.format(tmp=tmp_path, run=run_dir) for a in args]
    result = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert message in result.output


def test_pathway_run_folder_is_accounted_period_by_period(app, tmp_path):
    from tiny_scenarios import make_scenario

    sf = make_scenario(
        discount_rate=0.0,
        pathway={"periods": [{"year": 2026}, {"year": 2030}]},
        units=[
            {"name": "boiler", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20}
        ],
    )
    write_results(restvarme.run(sf), tmp_path, resolved_scenario_json(sf))
    result = runner.invoke(app, ["accounts", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "period 2030" in result.output
    result = runner.invoke(
        app, ["accounts", str(tmp_path), "--period", "2026"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0 and "period 2026" in result.output
    result = runner.invoke(app, ["accounts", str(tmp_path), "--period", "2027"])
    assert result.exit_code == 2 and "no period 2027" in result.output


def test_cli_method_names_match_the_registry_and_start_light():
    import subprocess
    import sys

    from restvarme.accounting.chp_allocation import CHP_METHOD_ALIASES, CHP_METHODS
    from restvarme.cli_accounts import CHP_METHOD_ALIASES as CLI_ALIASES
    from restvarme.cli_accounts import CHP_METHOD_NAMES

    assert set(CHP_METHOD_NAMES) == set(CHP_METHODS)
    assert CLI_ALIASES == CHP_METHOD_ALIASES
    code = "import sys, restvarme.cli_accounts; print('xarray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_accounts_csv_writes_the_tables_as_derived_files(app, run_dir):
    """The printed tables as CSV in the run folder, listed as derived in its manifest (so the
    next run into the folder removes them with the results they describe)."""
    import json

    from restvarme.accounting.costs import cost_by_counterparty
    from restvarme.results.io import read_run

    result = runner.invoke(app, ["accounts", str(run_dir), "--csv"])
    assert result.exit_code == 0, result.output
    names = (
        "accounts_indicators.csv",
        "accounts_emissions_by_unit.csv",
        "accounts_cost_of_heat.csv",
        "accounts_payments.csv",
    )
    derived = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["derived"]
    assert set(names) <= set(derived)
    payments = pd.read_csv(run_dir / "accounts_payments.csv", index_col="paid_to")["eur"]
    ds, _ = read_run(run_dir)
    assert payments.sum() == pytest.approx(ds.attrs["objective_eur"], rel=1e-5)
    assert payments.to_dict() == pytest.approx(cost_by_counterparty(ds).to_dict(), rel=1e-5)
    units = pd.read_csv(run_dir / "accounts_emissions_by_unit.csv", index_col="unit")
    assert list(units.index) == ["chp", "boiler", "hp"]
    indicators = pd.read_csv(run_dir / "accounts_indicators.csv", index_col="network")
    assert "g_co2e_per_kwh" in indicators.columns


def test_old_method_name_prints_a_deprecation_note_and_still_works():
    # `--method iea` (the old name of fixed_heat_efficiency) still runs, says what to use now
    from restvarme.cli_accounts import _perspective

    view = _perspective("accounting", "iea", 0.7, None, "log_mean", None)
    assert view.chp_method == "fixed_heat_efficiency"
    view = _perspective("accounting", "efficiency", 0.7, None, "log_mean", None)
    assert view.chp_method == "reference_efficiency"
