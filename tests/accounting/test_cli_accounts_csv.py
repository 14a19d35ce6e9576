"""`waste-heat-value RUN_DIR --csv` and `accounts RUN_DIR --csv`: the tables a planner opens in a
spreadsheet, in the run folder, with units in their column names (issue 14 item 4)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import restvarme
from restvarme.cli import app
from restvarme.results.folder import verify_run_folder
from restvarme.results.io import resolved_scenario_json, write_results
from tiny_scenarios import GAS_BOILER, make_scenario

runner = CliRunner()
UNITS = ("_c", "_mwh", "_h", "_eur_per_year", "_gwh", "_t", "_pct", "_eur", "_per_kwh")


@pytest.fixture
def direct_run(tmp_path):
    # 4 h, 10 MW demand. Source w: 6 MW at 80 °C (direct: 75 °C >= 70 °C supply) at 5 EUR/MWh;
    # the gas boiler covers 4 MW at 1.25 * (20 + 50 * 0.2) = 37.5 EUR/MWh, so one more MWh of
    # waste heat saves 37.5 - 5 = 32.5 EUR/MWh beyond its price in every hour (the dual,
    # tests/model/test_dispatch.py): worth 32.5 + 5 = 37.5 EUR/MWh in all (the gross value).
    sf = make_scenario(
        tmp_path,
        carbon_price_eur_per_t=50,
        waste_heat={"w": {"available_mw": 6, "temperature_c": 80, "price_eur_per_mwh": 5}},
        units=[
            GAS_BOILER,
            {
                "name": "hx",
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
            },
        ],
    )
    folder = tmp_path / "run"
    write_results(restvarme.run(sf), folder, resolved_scenario_json(sf))
    return folder


def test_waste_heat_value_csv_is_the_printed_table(direct_run):
    result = runner.invoke(app, ["waste-heat-value", str(direct_run), "--csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(direct_run / "accounts_waste_heat_value.csv", index_col="waste_source")
    row = table.loc["w"]
    assert row["mean_temperature_c"] == 80
    assert row["mean_value_eur_per_mwh"] == pytest.approx(37.5, rel=1e-6)
    assert row["hours_valued_h"] == pytest.approx(8760)  # valued in all 4 of 4 hours
    assert row["used_mwh"] == pytest.approx(24.0, rel=1e-6)  # 6 MW * 4 h
    # 1 MW more in every hour of a year: 37.5 EUR/MWh * 8,760 h = 328,500 EUR
    assert row["value_of_1_mw_more_eur_per_year"] == pytest.approx(328_500, rel=1e-6)
    assert all(c.endswith(UNITS) for c in table.columns)
    assert "accounts_waste_heat_value.csv" in verify_run_folder(direct_run)["derived"]


def test_without_csv_the_folder_is_left_alone(direct_run):
    before = sorted(p.name for p in direct_run.iterdir())
    result = runner.invoke(app, ["waste-heat-value", str(direct_run)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in direct_run.iterdir()) == before


def test_accounts_csv_tables_carry_units(direct_run):
    result = runner.invoke(app, ["accounts", str(direct_run), "--csv"])
    assert result.exit_code == 0, result.output
    names = ["indicators", "emissions_by_unit", "cost_of_heat", "payments"]
    for name in names:
        table = pd.read_csv(direct_run / f"accounts_{name}.csv", index_col=0)
        numeric = table.select_dtypes("number").columns
        unitless = {"primary_energy_factor", "eur"}  # a ratio [-]; a column named by its unit
        missing = [c for c in numeric if c not in unitless and not c.endswith(UNITS)]
        assert missing == [], name
    cost = pd.read_csv(direct_run / "accounts_cost_of_heat.csv", index_col=0)
    # 40 MWh delivered; cost 24 MWh * 5 + 16 MWh * 37.5 = 720 EUR -> 18 EUR/MWh
    assert cost.loc["main", "delivered_mwh"] == pytest.approx(40.0)
    assert cost.loc["main", "lcoh_eur_per_mwh"] == pytest.approx(18.0, rel=1e-6)


def test_accounts_fits_80_columns_and_keeps_long_names(tmp_path, monkeypatch):
    """At a terminal 80 columns wide every line fits, nothing is cut off with an ellipsis, and a
    long unit name is all there (folded onto the next line where it must be)."""
    from rich.console import Console

    import restvarme.cli_accounts as cli_accounts

    long_name = "ellinge_wastewater_heat_exchanger_north"
    sf = make_scenario(
        tmp_path,
        waste_heat={"w": {"available_mw": 6, "temperature_c": 80}},
        units=[
            GAS_BOILER,
            {
                "name": long_name,
                "type": "heat_exchanger",
                "source": "w",
                "sink": "main",
                "capacity_mw": 20,
            },
        ],
    )
    folder = write_results(restvarme.run(sf), tmp_path / "run", resolved_scenario_json(sf))
    narrow = Console(width=80, record=True, force_terminal=False, file=__import__("io").StringIO())
    monkeypatch.setattr(cli_accounts, "console", narrow)
    result = runner.invoke(app, ["accounts", str(folder)])
    assert result.exit_code == 0, result.output
    text = narrow.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    unit_column = "".join(
        line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│ ")
    )
    assert long_name in unit_column
