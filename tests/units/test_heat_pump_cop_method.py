"""The heat pump's COP method in a scenario (issue 19): the default, the way back to Carnot, and the
message an older scenario gets."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

import restvarme
from restvarme.errors import ScenarioError
from restvarme.physics.cop import DEFAULT_COP_METHOD, heat_pump_cop
from restvarme.scenario.load import load_scenario
from tiny_scenarios import SCENARIO_YAML

AIR_HP = "  - {name: hp, type: heat_pump, source: air, sink: main, capacity_mw: 5"


def scenario(tmp_path, unit_tail: str):
    path = tmp_path / "scenario.yaml"
    text = SCENARIO_YAML + "units:\n" + AIR_HP + unit_tail + "}\n"
    text += "  - {name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 20}\n"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_quality_grade_without_cop_method_says_what_to_add(tmp_path):
    # A scenario written before issue 19 (Carnot x quality grade by default) does not silently
    # change method: it fails, naming the file, the unit and the line to add.
    path = scenario(tmp_path, ", quality_grade: 0.45")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert problem.file == path and problem.path[:2] == ("units", 0)
    assert "add `cop_method: carnot`" in problem.message
    # and the message's advice loads
    load_scenario(scenario(tmp_path, ", quality_grade: 0.45, cop_method: carnot"))


def test_isentropic_efficiency_only_with_jensen(tmp_path):
    path = scenario(tmp_path, ", cop_method: lorenz, isentropic_efficiency: 0.7")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "applies to cop_method jensen2018 only" in info.value.problems[0].message


def test_default_and_carnot_cops_in_a_run(tmp_path):
    # Air at 5 °C into 80/45 °C: the run's COP is heat_pump_cop's at the unit's settings, by
    # default Jensen et al. (2018); `cop_method: carnot` gives Carnot x 0.5 as before.
    expected = {
        "": heat_pump_cop(80.0, 5.0, temperature_return_c=45.0),
        ", cop_method: carnot": heat_pump_cop(80.0, 5.0, method="carnot"),
        ", series_stages: 2, isentropic_efficiency: 0.75": heat_pump_cop(
            80.0, 5.0, temperature_return_c=45.0, series_stages=2, isentropic_efficiency=0.75
        ),
    }
    assert DEFAULT_COP_METHOD == "jensen2018"
    # Carnot x 0.5 between 84 °C and 0 °C: 0.5 * 357.15 / 84 = 2.1259
    assert expected[", cop_method: carnot"] == pytest.approx(0.5 * 357.15 / 84)
    for tail, cop in expected.items():
        ds = restvarme.run(load_scenario(scenario(tmp_path, tail)))
        np.testing.assert_allclose(ds["heat_pump_cop"].sel(heat_pump="hp"), cop, rtol=1e-12)
