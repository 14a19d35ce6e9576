"""Names of units, networks, sources, fuels and fleets: any script's letters, no markup.

Names become results' labels, CSV columns, file names and HTML ids in reports; a crafted name
such as ``main<script>`` must be refused where it is written, with its line (issue 12).
"""

from __future__ import annotations

import copy

import pytest
import yaml

from restvarme.errors import ScenarioError
from restvarme.scenario.load import load_scenario
from tiny_scenarios import BASE, GAS_BOILER


def _write(tmp_path, data):
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _scenario(network: str, unit: str = "boiler") -> dict:
    data = copy.deepcopy(BASE)
    data["networks"] = {network: data["networks"]["main"]}
    data["units"] = [{**GAS_BOILER, "name": unit, "sink": network}]
    return data


def test_names_in_any_script_are_fine(tmp_path):
    sf = load_scenario(_write(tmp_path, _scenario("fjärrvärme_söder", "värmepump.1")))
    assert list(sf.scenario.networks) == ["fjärrvärme_söder"]
    assert sf.scenario.units[0].name == "värmepump.1"


@pytest.mark.parametrize(
    "name", ["main<script>", 'x" onload="y', "a b", "../etc", "a&amp;", "x" * 65]
)
def test_a_network_name_with_markup_or_path_characters_is_refused_at_its_line(tmp_path, name):
    with pytest.raises(ScenarioError) as raised:
        load_scenario(_write(tmp_path, _scenario(name)))
    message = str(raised.value)
    assert "scenario.yaml:" in message and "as a name" in message
    assert "letters of any script" in message


@pytest.mark.parametrize("section", ["waste_heat", "fuels"])
def test_other_named_sections_follow_the_same_rule(tmp_path, section):
    data = _scenario("main")
    if section == "fuels":
        data["fuels"]["<b>gas"] = data["fuels"].pop("gas")
    else:
        data["waste_heat"] = {"<img src=x>": {"available_mw": 1.0, "temperature_c": 30.0}}
    with pytest.raises(ScenarioError) as raised:
        load_scenario(_write(tmp_path, data))
    assert "as a name" in str(raised.value)


def test_a_unit_name_with_markup_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as raised:
        load_scenario(_write(tmp_path, _scenario("main", "b<x>")))
    assert "units[0].name" in str(raised.value)
