"""A unit type the report and the CLI have never heard of is shown by its registry label and
colour: solar_thermal was added as one module, with no change to cli.py or report/."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

import restvarme
from restvarme.cli import print_summary
from restvarme.report.charts import all_figures, category_color, unit_colors
from restvarme.report.figures import energy_mix, key_figures, unit_table
from restvarme.report.html import build_report
from restvarme.units.registry import REGISTRY
from tiny_scenarios import GAS_BOILER

FIELD = {  # tests/units/test_solar_thermal.py: 4.48832 MW of solar heat in each of the 4 hours
    "name": "field",
    "type": "solar_thermal",
    "sink": "main",
    "area_m2": 10_000,
    "irradiance_w_per_m2": 800.0,
    "irradiance_on_plane": True,
}
SOLAR = REGISTRY["solar_thermal"]


@pytest.fixture(scope="module")
def solar_run(tmp_path_factory):
    from tiny_scenarios import make_scenario

    return restvarme.run(make_scenario(tmp_path_factory.mktemp("solar"), units=[GAS_BOILER, FIELD]))


def test_its_label_is_in_the_energy_mix_and_key_figures(solar_run):
    ds = solar_run
    mix = energy_mix(ds)
    heat = float(ds["heat_mwh"].sel(unit="field"))
    assert heat == pytest.approx(4 * 4.48832, rel=1e-5)
    assert mix[SOLAR.label] == pytest.approx(heat)  # "Solar thermal"
    assert mix.sum() == pytest.approx(key_figures(ds).heat_produced_mwh)
    # solar heat burns no fuel: the fossil share is the boiler's heat alone
    assert key_figures(ds).fossil_share == pytest.approx(1 - heat / 40, rel=1e-6)
    assert unit_table(ds).loc["field", "type"] == "Solar thermal"


def test_its_colour_is_the_registrys(solar_run):
    assert unit_colors(solar_run)["field"] == SOLAR.colour
    assert category_color(SOLAR.label) == SOLAR.colour
    figs = all_figures(solar_run)
    trace = next(t for t in figs["dispatch_main"].data if t.name == "field")
    assert trace.line.color == SOLAR.colour
    (donut,) = figs["energy_mix"].data
    assert SOLAR.colour in list(donut.marker.colors)
    assert SOLAR.label in list(donut.labels)


def test_no_raw_type_string_reaches_the_user(solar_run):
    text = build_report(solar_run)  # tables, charts' data and legends, captions
    assert "solar_thermal" not in text
    assert "Solar thermal" in text
    buffer = io.StringIO()
    print_summary(solar_run, Console(file=buffer, width=200))
    summary = buffer.getvalue()
    assert "Solar thermal" in summary and "solar_thermal" not in summary
