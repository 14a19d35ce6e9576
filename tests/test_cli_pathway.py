"""`restvarme validate` on pathways: every period is built with its changes applied, and what is
wrong in a period is reported at the change's file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from restvarme.cli import app

DOCS = Path(__file__).parents[1] / "docs" / "scenario.md"

runner = CliRunner()

PATHWAY = """\
name: Tiny pathway
year: 2026
horizon: {hours: 24, resolution_h: 4}
location: {name: Tiny, climate: lund}
electricity: {price_eur_per_mwh: 50}
fuels:
  gas: {price_eur_per_mwh: 30, emission_t_per_mwh: 0.2}
  oil: {price_eur_per_mwh: 60, emission_t_per_mwh: 0.27}
networks:
  main:
    supply_temperature_c: {curve: [[-10, 90], [10, 70]]}
    return_temperature_c: 40
    demand: {annual_gwh: 50}
units:
  - {name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 30}
pathway:
  periods:
    - year: 2026
    - year: 2028
      changes:
        fuels.gas.price_eur_per_mwh: 35
    - year: 2030
      changes:
        CHANGE
"""
"""A three-period pathway on 4-hour blocks; ``CHANGE`` (line 24) is the 2030 change a test
puts there."""


def _validate(tmp_path, change: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(PATHWAY.replace("CHANGE", change), encoding="utf-8")
    return path, runner.invoke(app, ["validate", str(path)])


def test_validate_builds_every_period(tmp_path):
    _, result = _validate(tmp_path, "fuels.gas.price_eur_per_mwh: 40")
    assert result.exit_code == 0, result.output
    assert "3 period(s) (2026, 2028, 2030), each 6 snapshots of 4 h" in result.output


@pytest.mark.parametrize(
    ("change", "said"),
    [
        # a misspelt key, with the key it is near
        ("fuels.gas.price_eur_per_mwhh: 40", "unknown key 'price_eur_per_mwhh'"),
        # a series file that the base scenario does not name: found only by building 2030
        ("electricity.price_eur_per_mwh: missing.csv", "series file 'missing.csv' not found"),
        # a label (the fuel a unit burns), which a pathway may not change
        ("units.boiler.fuel: oil", "'boiler_fuel' of boiler differs from the first period's"),
    ],
)
def test_a_bad_change_fails_validate_at_its_line(tmp_path, change, said):
    path, result = _validate(tmp_path, change)
    assert result.exit_code == 2, result.output
    key = change.split(":")[0]
    output = " ".join(result.output.split())
    assert f"{path.name}:24: pathway.periods[2].changes.{key}: in 2030:" in output
    assert said in output


def test_the_docs_quote_what_validate_says(tmp_path):
    # docs/scenario.md's "pathway" section shows this error, word for word
    _, result = _validate(tmp_path, "units.boiler.fuel: oil")
    said = " ".join(result.output.split()).removeprefix("error: 1 problem in the scenario: ")
    said = said[said.index("scenario.yaml:") :]
    assert said in " ".join(DOCS.read_text(encoding="utf-8").split())
