"""Cross-reference rules: each reported by load_scenario with key path, line and file."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from restvarme.errors import Problem, ScenarioError
from restvarme.scenario import references as r
from restvarme.scenario.load import load_scenario
from restvarme.scenario.schema import Scenario

BASE = """\
name: refs
horizon: {hours: 48}
location:
  name: Testville
  outdoor_temperature_c: 5.0
electricity: {price_eur_per_mwh: 60}
fuels:
  gas: {price_eur_per_mwh: 40}
networks:
  main:
    supply_temperature_c: 80
    return_temperature_c: 45
    demand: {annual_gwh: 10}
waste_heat:
  dc: {available_mw: 2, temperature_c: 30}
ambient:
  sea: {temperature_c: 8}
units:
  - {name: hx, type: heat_exchanger, source: dc, sink: main, capacity_mw: 2}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [i for i, s in enumerate(path.read_text().splitlines(), start=1) if needle in s]
    return hits[nth - 1]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def assert_located(problem: Problem, path: Path, key_path: tuple, line: int) -> None:
    assert (problem.path, problem.file, problem.line) == (key_path, path, line)
    assert str(problem).startswith(f"{path}:{line}: ")


def test_base_is_valid(tmp_path):
    load_scenario(write(tmp_path, BASE))


def test_unit_sink_must_be_a_network(tmp_path):
    path = write(
        tmp_path, BASE + "  - {name: peak, type: boiler, fuel: gas, sink: mian, capacity_mw: 5}\n"
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "sink"), line_of(path, "sink: mian"))
    assert "unknown network 'mian' in unit 'peak'; valid: main" in problem.message
    assert problem.suggestion == "main"


def test_storage_network_must_exist(tmp_path):
    unit = "  - {name: pit, type: storage, network: east, energy_mwh: 10, charge_mw: 1}\n"
    path = write(tmp_path, BASE + unit)
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "network"), line_of(path, "network: east"))
    assert problem.suggestion is None


def test_waste_heat_source_without_route(tmp_path):
    text = BASE.replace(
        "waste_heat:\n", "waste_heat:\n  lonely: {available_mw: 1, temperature_c: 40}\n"
    )
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert_located(problem, path, ("waste_heat", "lonely"), line_of(path, "lonely:"))
    assert "has no route to any network" in problem.message


def test_heat_pump_route_counts(tmp_path):
    text = BASE.replace(
        "waste_heat:\n", "waste_heat:\n  ess: {available_mw: 1, temperature_c: 20}\n"
    )
    unit = "  - {name: hp, type: heat_pump, source: ess, sink: main, capacity_mw: 1}\n"
    load_scenario(write(tmp_path, text + unit))


def test_duplicate_unit_names(tmp_path):
    path = write(
        tmp_path, BASE + "  - {name: hx, type: electric_boiler, sink: main, capacity_mw: 5}\n"
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "name"), line_of(path, "name: hx", nth=2))
    assert "'hx' is already used by units[0]" in problem.message


def test_unknown_fuel(tmp_path):
    path = write(
        tmp_path, BASE + "  - {name: peak, type: boiler, fuel: gaz, sink: main, capacity_mw: 5}\n"
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "fuel"), line_of(path, "fuel: gaz"))
    assert "unknown fuel 'gaz'" in problem.message
    assert problem.suggestion == "gas"


def test_unknown_fuel_when_none_defined(tmp_path):
    text = BASE.replace("fuels:\n  gas: {price_eur_per_mwh: 40}\n", "")
    path = write(
        tmp_path, text + "  - {name: peak, type: boiler, fuel: gas, sink: main, capacity_mw: 5}\n"
    )
    assert "no fuel is defined" in only_problem(path).message


def test_heat_pump_source_must_exist(tmp_path):
    unit = "  - {name: hp, type: heat_pump, source: see, sink: main, capacity_mw: 1}\n"
    path = write(tmp_path, BASE + unit)
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "source"), line_of(path, "source: see"))
    assert "valid: dc, sea, air" in problem.message
    assert problem.suggestion == "sea"


@pytest.mark.parametrize("source", ["sea", "air"])
def test_heat_pump_may_use_ambient_and_air(tmp_path, source):
    unit = f"  - {{name: hp, type: heat_pump, source: {source}, sink: main, capacity_mw: 1}}\n"
    load_scenario(write(tmp_path, BASE + unit))


def test_heat_exchanger_needs_waste_heat(tmp_path):
    unit = "  - {name: hx2, type: heat_exchanger, source: sea, sink: main, capacity_mw: 1}\n"
    path = write(tmp_path, BASE + unit)
    problem = only_problem(path)
    assert_located(problem, path, ("units", 1, "source"), line_of(path, "source: sea"))
    assert "not a waste_heat source" in problem.message


@pytest.mark.parametrize("section", ["networks", "waste_heat"])
def test_names_unique_across_sections(tmp_path, section):
    text = BASE.replace(f"{section}:\n", f"{section}:\n  sea:\n", 1)
    text = text.replace("  sea:\n", "  sea:\n" + _body(section), 1)
    if section == "waste_heat":
        text += (
            "  - {name: hx_sea, type: heat_exchanger, source: sea, sink: main, capacity_mw: 1}\n"
        )
    path = write(tmp_path, text)
    problem = next(p for p in problems_of(path) if p.path == ("ambient", "sea"))
    assert problem.line == line_of(path, "sea: {temperature_c")
    assert f"also used in `{section}`" in problem.message


def _body(section: str) -> str:
    if section == "networks":
        return (
            "    supply_temperature_c: 70\n"
            "    return_temperature_c: 40\n"
            "    demand: {annual_gwh: 1}\n"
        )
    return "    available_mw: 1\n    temperature_c: 30\n"


def test_air_is_reserved(tmp_path):
    path = write(tmp_path, BASE.replace("ambient:\n", "ambient:\n  air: {temperature_c: 3}\n"))
    problem = only_problem(path)
    assert_located(problem, path, ("ambient", "air"), line_of(path, "air:"))
    assert "built-in" in problem.message


def test_all_reference_problems_together(tmp_path):
    units = (
        "  - {name: hx, type: boiler, fuel: oil, sink: north, capacity_mw: 5}\n"
        "  - {name: b2, type: chp, fuel: coal, sink: south, heat_capacity_mw: 5,\n"
        "     efficiency_el: 0.3, efficiency_heat: 0.5}\n"
    )
    problems = problems_of(write(tmp_path, BASE + units))
    assert [p.path for p in problems] == [
        ("units", 1, "name"),
        ("units", 1, "sink"),
        ("units", 1, "fuel"),
        ("units", 2, "sink"),
        ("units", 2, "fuel"),
    ]


# --- climate names come from restvarme.inputs.weather, imported lazily ------------------------


@pytest.fixture
def fake_weather(monkeypatch):
    module = types.ModuleType("restvarme.inputs.weather")
    module.climate_names = lambda: ["barcelona", "lund", "the_hague"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "restvarme.inputs.weather", module)


def _with_climate(climate: str) -> str:
    return BASE.replace("  outdoor_temperature_c: 5.0\n", f"  climate: {climate}\n")


def test_unknown_climate(tmp_path, fake_weather):
    path = write(tmp_path, _with_climate("lundd"))
    problem = only_problem(path)
    assert_located(problem, path, ("location", "climate"), line_of(path, "climate: lundd"))
    assert "valid: barcelona, lund, the_hague" in problem.message
    assert problem.suggestion == "lund"


def test_known_climate_any_case(tmp_path, fake_weather):
    load_scenario(write(tmp_path, _with_climate("Lund")))


def test_climate_rule_skipped_without_weather_module(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "restvarme.inputs.weather", None)  # import fails
    load_scenario(write(tmp_path, _with_climate("atlantis")))


def test_check_references_returns_paths_only():
    data = {
        "name": "x",
        "location": {"name": "a", "outdoor_temperature_c": 0},
        "electricity": {"price_eur_per_mwh": 1},
        "networks": {
            "main": {
                "supply_temperature_c": 70,
                "return_temperature_c": 40,
                "demand": {"annual_gwh": 1},
            }
        },
        "units": [{"name": "e", "type": "electric_boiler", "sink": "nope", "capacity_mw": 1}],
    }
    problems = r.check_references(Scenario.model_validate(data))
    assert [(p.path, p.file, p.line) for p in problems] == [(("units", 0, "sink"), None, None)]


def test_every_rule_is_run():
    rules = [
        f
        for name, f in vars(r).items()
        if callable(f)
        and f.__module__ == r.__name__
        and not name.startswith("_")
        and name != "check_references"
    ]
    assert set(rules) == set(r.RULES)
