"""Scenario values that used to end in a traceback or in a silently wrong run (issue 12): a number
where a date goes, a unit retired before it is commissioned, a pathway whose base year is after
its first period. Each is a located problem from `restvarme validate` (exit 2, no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from restvarme.cli import app
from tiny_scenarios import SCENARIO_YAML

runner = CliRunner()

BASE = (
    SCENARIO_YAML.replace("name: test", "name: sanity", 1)
    + """\
waste_heat:
  dc:
    available_mw: 2.0
    temperature_c: 30.0
units:
  - name: boiler
    type: boiler
    fuel: gas
    sink: main
    capacity_mw: 30
  - name: hx
    type: heat_exchanger
    source: dc
    sink: main
    capacity_mw: 2.0
"""
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, s in enumerate(lines, 1) if needle in s)


def validate(path: Path) -> str:
    """`restvarme validate` of ``path``, which must fail cleanly; its output."""
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return " ".join(result.output.split())


def test_validate_accepts_the_base(tmp_path):
    result = runner.invoke(app, ["validate", str(write(tmp_path, BASE))])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("start", ["90", "90.5", "true"])
def test_an_outage_start_given_as_a_number_is_a_located_error(tmp_path, start):
    text = BASE.replace(
        "    temperature_c: 30.0\n",
        f"    temperature_c: 30.0\n    outages:\n      - start: {start}\n        end: 2030-02-01\n",
    )
    path = write(tmp_path, text)
    out = validate(path)
    line = line_of(path, "- start:")
    assert f"scenario.yaml:{line}: waste_heat.dc.outages[0].start: got {start}" in out
    assert "expected a date and time such as 2030-01-01T00:00" in out


def test_a_horizon_start_given_as_a_number_is_a_located_error(tmp_path):
    path = write(tmp_path, BASE.replace("  hours: 48\n", "  hours: 48\n  start: 1900000000\n"))
    out = validate(path)
    assert f"scenario.yaml:{line_of(path, 'start:')}: horizon.start: got 1900000000" in out


def test_an_outage_with_a_zone_at_one_end_only_is_a_located_error(tmp_path):
    text = BASE.replace(
        "    temperature_c: 30.0\n",
        "    temperature_c: 30.0\n    outages:\n"
        "      - start: 2030-01-01T00:00:00+01:00\n        end: 2030-02-01T00:00:00\n",
    )
    out = validate(write(tmp_path, text))
    assert "waste_heat.dc.outages[0].start: got a time with a UTC offset" in out


@pytest.mark.parametrize(("commissioned", "retired"), [(2035, 2031), (2030, 2030)])
def test_a_unit_retired_before_it_is_commissioned_is_a_located_error(
    tmp_path, commissioned, retired
):
    text = BASE.replace(
        "    capacity_mw: 30\n",
        f"    capacity_mw: 30\n    commissioned_year: {commissioned}\n"
        f"    retired_year: {retired}\n",
    )
    path = write(tmp_path, text)
    out = validate(path)
    line = line_of(path, "retired_year")
    assert f"scenario.yaml:{line}: units[0].retired_year: " in out
    assert "after commissioned_year" in out


def test_a_pathway_base_year_after_its_first_period_is_a_located_error(tmp_path):
    text = BASE + "pathway:\n  base_year: 2060\n  periods:\n    - year: 2030\n    - year: 2040\n"
    path = write(tmp_path, text)
    out = validate(path)
    assert f"scenario.yaml:{line_of(path, 'base_year')}: pathway.base_year: " in out
    assert "2030" in out


def test_a_pathway_base_year_before_its_first_period_is_fine(tmp_path):
    text = BASE + "pathway:\n  base_year: 2026\n  periods:\n    - year: 2030\n    - year: 2040\n"
    result = runner.invoke(app, ["validate", str(write(tmp_path, text))])
    assert result.exit_code == 0, result.output


# --- physical and plausible ranges (restvarme.scenario.limits) ---------------------------------

HEAT_PUMP = """\
ambient:
  sea:
    temperature_c: {temperature}
"""
HEAT_PUMP_UNIT = """\
  - name: hp
    type: heat_pump
    source: sea
    sink: main
    capacity_mw: 3
    cop_method: {method}
"""


@pytest.mark.parametrize("method", ["lorenz", "carnot"])
@pytest.mark.parametrize("temperature", ["-300", "-273.15"])
def test_a_temperature_at_or_below_absolute_zero_is_a_located_error(tmp_path, method, temperature):
    # Lorenz once failed with a ValueError from the log-mean temperature; Carnot gave COP 1.0
    # every hour and solved.
    text = BASE.replace(
        "units:\n", HEAT_PUMP.format(temperature=temperature) + "units:\n"
    ) + HEAT_PUMP_UNIT.format(method=method)
    path = write(tmp_path, text)
    for command in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "o")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        out = " ".join(result.output.split())
        assert "Traceback" not in out
        line = line_of(path, f"temperature_c: {temperature}")
        assert f"scenario.yaml:{line}: ambient.sea.temperature_c: got {temperature}" in out
        assert "expected above -273.15 °C (absolute zero" in out


def test_a_series_temperature_below_absolute_zero_names_its_csv_line(tmp_path):
    (tmp_path / "sea.csv").write_text("sea_c\n" + "4\n" * 10 + "-300\n" + "4\n" * 40)
    text = BASE.replace(
        "units:\n", HEAT_PUMP.format(temperature="sea.csv") + "units:\n"
    ) + HEAT_PUMP_UNIT.format(method="lorenz")
    path = write(tmp_path, text)
    out = validate(path)
    line = line_of(path, "temperature_c: sea.csv")
    assert f"scenario.yaml:{line}: ambient.sea.temperature_c: 'sea.csv' column 'sea_c'" in out
    assert "-300 at CSV line 12" in out and "absolute zero" in out


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        (
            "annual_gwh: 10.0",
            "annual_gwh: 1e300",
            "networks.main.demand.annual_gwh",
            "1,000,000 GWh",
        ),
        ("annual_gwh: 10.0", "annual_gwh: 2.0e6", "networks.main.demand.annual_gwh", "GWh"),
        ("capacity_mw: 30", "capacity_mw: 1.0e9", "units[0].capacity_mw", "100,000 MW"),
        (
            "price_eur_per_mwh: 60.0",
            "price_eur_per_mwh: -1.0e+300",
            "electricity.price_eur_per_mwh",
            "at least -1e7 EUR/MWh",
        ),
        (
            "price_eur_per_mwh: 40.0",
            "price_eur_per_mwh: 1.0e+30",
            "fuels.gas.price_eur_per_mwh",
            "EUR/MWh",
        ),
        (
            "supply_temperature_c: 80.0",
            "supply_temperature_c: 5000.0",
            "networks.main.supply_temperature_c",
            "1,000 °C",
        ),
        (
            "capacity_mw: 30",
            "capacity_mw: 30\n    commissioned_year: 99999",
            "units[0].commissioned_year",
            "at most 2,200",
        ),
    ],
    ids=["1e300-GWh", "2e6-GWh", "1e9-MW", "price-minus-1e300", "fuel-1e30", "5000-C", "year"],
)
def test_magnitudes_that_cannot_be_meant_are_located_errors(tmp_path, old, new, key, expected):
    path = write(tmp_path, BASE.replace(old, new, 1))
    out = validate(path)
    line = line_of(path, new.splitlines()[-1].strip())
    assert f"scenario.yaml:{line}: {key}: got " in out
    assert expected in out


def test_a_series_value_beyond_its_limit_names_its_csv_line(tmp_path):
    (tmp_path / "demand.csv").write_text("mw\n" + "5\n" * 20 + "1e12\n" + "5\n" * 30)
    path = write(tmp_path, BASE.replace("annual_gwh: 10.0", "series_mw: demand.csv"))
    out = validate(path)
    assert "networks.main.demand.series_mw: 'demand.csv' column 'mw'" in out
    assert "1e+12 at CSV line 22" in out and "100,000 MW" in out


def test_limits_follow_the_unit_in_the_key_name():
    from restvarme.scenario.limits import limit_for

    assert limit_for(("ambient", "sea", "temperature_c")).problem(-273.15) is not None
    assert limit_for(("ambient", "sea", "temperature_c")).problem(-273.0) is None
    curve = ("networks", "main", "supply_temperature_c", "curve", 0, 1)
    assert limit_for(curve).problem(-300) is not None
    assert limit_for(("units", 0, "capacity_mw")).high == 1e5
    assert limit_for(("units", 0, "energy_mwh")).high == 1e9
    assert limit_for(("units", 0, "vom_eur_per_mwh")).high == 1e7  # a price, not an energy
    assert limit_for(("units", 0, "expansion", "fixed_om_eur_per_mw_year")).high == 1e9
    assert limit_for(("fleets", "bus", "km_per_vehicle_year")).high == 1e7
    assert limit_for(("units", 0, "retired_year")).problem(1800) is not None
    assert limit_for(("units", 0, "cb")).problem(1e13) is not None


def test_the_built_in_examples_are_within_the_limits():
    from restvarme.examples import example_names, resolve_scenario
    from restvarme.inputs.series import check_all_series
    from restvarme.scenario.load import load_scenario

    for name in example_names():
        sf = load_scenario(resolve_scenario(name))
        assert check_all_series(sf) == [], name


# --- pathways: `validate` checks each period's changes ----------------------------------------

PATHWAY = "pathway:\n  periods:\n    - year: 2030\n    - year: 2040\n      changes:\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            "units.boiler.capacity_mww: 3",
            "pathway.periods[1].changes.units.boiler.capacity_mww: in 2040: unknown key "
            "'capacity_mww' (did you mean 'capacity_mw'?)",
        ),
        (
            "units.boiller.capacity_mw: 3",
            "pathway.periods[1].changes.units.boiller.capacity_mw: in 2040: no key "
            "'units.boiller' to change (did you mean 'boiler'?)",
        ),
        (
            "units.boiler.capacity_mw: lots",
            "pathway.periods[1].changes.units.boiler.capacity_mw: in 2040: got 'lots'; "
            "expected a number",
        ),
        (
            "networks.main.return_temperature_c: 90",
            "pathway.periods[1].changes.networks.main.return_temperature_c: in 2040: "
            "networks.main: supply_temperature_c must be above return_temperature_c",
        ),
        (
            "units.hx.source: dcc",
            "pathway.periods[1].changes.units.hx.source: in 2040: ",
        ),
        (
            "networks.main.demand.annual_gwh: 2.0e+6",
            "pathway.periods[1].changes.networks.main.demand.annual_gwh: got 2e+06; expected at "
            "most 1,000,000 GWh",
        ),
    ],
    ids=["misspelt-key", "unknown-unit", "type", "validator", "reference", "limit"],
)
def test_validate_checks_each_pathway_change_with_file_line_and_key_path(
    tmp_path, change, expected
):
    path = write(tmp_path, BASE + PATHWAY + f"        {change}\n")
    out = validate(path)
    assert f"scenario.yaml:{line_of(path, change.split(':')[0])}: {expected}" in out
    run = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2 and "Traceback" not in run.output


def test_a_valid_pathway_change_passes_validate(tmp_path):
    path = write(tmp_path, BASE + PATHWAY + "        units.boiler.capacity_mw: 20\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


# --- listed in issue 12, already handled on this branch: kept as regression tests -------------


def test_an_empty_unit_list_runs(tmp_path):
    text = BASE.split("waste_heat:")[0] + "units: []\n"
    path = write(tmp_path, text)
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "unserved" in result.output and (tmp_path / "o" / "manifest.json").is_file()


def test_a_nan_in_a_fleet_profile_is_a_located_error(tmp_path):
    (tmp_path / "profile.csv").write_text("share\n" + "1\n" * 5 + "nan\n" + "1\n" * 50)
    text = BASE.replace(
        "units:\n",
        "fleets:\n  buses:\n    vehicle: bus\n    drive: electric\n    annual_km: 1000000\n"
        "    profile: profile.csv\nunits:\n",
    )
    path = write(tmp_path, text)
    out = validate(path)
    assert f"scenario.yaml:{line_of(path, 'profile: profile.csv')}: fleets.buses.profile:" in out
    assert "line 7 (data row 6)" in out


# --- found by the fuzz test (tests/scenario/test_fuzz.py) --------------------------------------


def test_a_null_fleet_profile_is_a_located_error(tmp_path):
    # A Literal inside a union (profile: flat | overnight | daytime | a CSV) gave an IndexError
    # while its message was written.
    text = BASE.replace(
        "units:\n",
        "fleets:\n  buses:\n    vehicle: bus\n    drive: electric\n    annual_km: 1000000\n"
        "    profile: null\nunits:\n",
    )
    path = write(tmp_path, text)
    out = validate(path)
    assert f"scenario.yaml:{line_of(path, 'profile: null')}: fleets.buses.profile: got null" in out
