"""Scenario values that used to end in a traceback or in a silently wrong run (issue 12): a number
where a date goes, a unit retired before it is commissioned, a pathway whose base year is after
its first period. Each is a located problem from `restvarme validate` (exit 2, no traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from restvarme.cli import app

runner = CliRunner()

BASE = """\
name: sanity
horizon:
  hours: 48
location:
  name: Testville
  outdoor_temperature_c: 5.0
electricity:
  price_eur_per_mwh: 60.0
fuels:
  gas:
    price_eur_per_mwh: 40.0
networks:
  main:
    supply_temperature_c: 80.0
    return_temperature_c: 45.0
    demand:
      annual_gwh: 10.0
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
