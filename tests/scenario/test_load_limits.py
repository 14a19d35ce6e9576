"""Scenario files within limits: size, nesting and alias expansion; numbers that are numbers
(not true/yes, not .inf/.nan); times without a time zone. Each a located problem, never a
traceback."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from restvarme.errors import Problem, ScenarioError
from restvarme.scenario.load import (
    MAX_SCENARIO_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_VALUES,
    key_line,
    load_scenario,
)
from tiny_scenarios import SCENARIO_YAML

BASE = (
    SCENARIO_YAML
    + """\
units:
  - {name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 30}
"""
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, s in enumerate(lines, 1) if needle in s)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert all(p.file == path for p in info.value.problems)
    return info.value.problems


def only_problem(path: Path) -> Problem:
    (problem,) = problems_of(path)
    return problem


def test_base_is_valid(tmp_path):
    assert load_scenario(write(tmp_path, BASE)).scenario.name == "test"


# --- size, nesting, aliases ------------------------------------------------------------------


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
def test_deep_nesting_is_a_located_problem(tmp_path, flow):
    depth = 5000 if flow else 1000  # 1000 levels of indentation take 0.5 MB
    if flow:
        text = BASE + "extra: " + "[" * depth + "]" * depth + "\n"
    else:
        text = BASE + "extra:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(depth))
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert f"nested deeper than {MAX_YAML_DEPTH} levels" in problem.message
    assert problem.line is not None and problem.line >= line_of(path, "extra:")
    assert key_line(path, ("name",)) is None  # the line finder refuses it too, quietly


def test_nesting_within_the_limit_is_validated_as_usual(tmp_path):
    path = write(tmp_path, BASE + "extra: " + "[" * 20 + "]" * 20 + "\n")
    assert "unknown key 'extra'" in only_problem(path).message


def test_large_file_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, BASE + "# " + "x" * MAX_SCENARIO_BYTES + "\n")
    problem = only_problem(path)
    assert "larger than" in problem.message and "MB" in problem.message
    assert key_line(path, ("name",)) is None


def test_alias_bomb_is_refused_quickly(tmp_path):
    """Nine lines whose aliases expand to a billion values, kept as they are by `changes`."""
    bomb = "- &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    bomb += "".join(f"- &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    pathway = "pathway:\n  periods:\n    - year: 2030\n      changes:\n        bomb:\n"
    path = write(tmp_path, BASE + pathway + textwrap.indent(bomb, " " * 10))
    start = time.perf_counter()
    problem = only_problem(path)
    assert time.perf_counter() - start < 5
    assert f"more than {MAX_YAML_VALUES:,} values" in problem.message
    assert problem.path == ("pathway", "periods", 0, "changes", "bomb", 8)
    assert problem.line == line_of(path, "&a8")


def test_recursive_alias(tmp_path):
    path = write(tmp_path, BASE + "extra: &loop [1, *loop]\n")
    problem = only_problem(path)
    assert problem.path == ("extra",)
    assert "refers to itself" in problem.message


def test_ordinary_aliases_still_work(tmp_path):
    text = BASE.replace("price_eur_per_mwh: 60.0", "price_eur_per_mwh: &p 60.0").replace(
        "price_eur_per_mwh: 40.0", "price_eur_per_mwh: *p"
    )
    assert load_scenario(write(tmp_path, text)).scenario.fuels["gas"].price_eur_per_mwh == 60.0


# --- numbers ---------------------------------------------------------------------------------


PRICE = ("electricity", "price_eur_per_mwh")
CAPACITY = ("units", 0, "capacity_mw")
DEMAND = ("networks", "main", "demand", "annual_gwh")
GAS = ("fuels", "gas", "price_eur_per_mwh")


@pytest.mark.parametrize(
    ("old", "new", "key_path", "found"),
    [
        ("capacity_mw: 30", "capacity_mw: true", CAPACITY, "got true"),
        ("price_eur_per_mwh: 60.0", "price_eur_per_mwh: yes", PRICE, "got true"),
        ("annual_gwh: 10.0", "annual_gwh: false", DEMAND, "got false"),
        ("hours: 48", "hours: true", ("horizon", "hours"), "got true"),
    ],
)
def test_boolean_where_a_number_goes(tmp_path, old, new, key_path, found):
    path = write(tmp_path, BASE.replace(old, new))
    problem = only_problem(path)
    assert problem.path == key_path
    assert problem.line == line_of(path, new)
    assert f"{found}; expected a number" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "key_path", "found"),
    [
        ("capacity_mw: 30", "capacity_mw: .inf", CAPACITY, "got .inf"),
        ("price_eur_per_mwh: 60.0", "price_eur_per_mwh: .nan", PRICE, "got .nan"),
        ("price_eur_per_mwh: 40.0", "price_eur_per_mwh: -.inf", GAS, "got -.inf"),
        ("capacity_mw: 30", "capacity_mw: '1e999'", CAPACITY, "got '1e999'"),
    ],
)
def test_non_finite_numbers(tmp_path, old, new, key_path, found):
    path = write(tmp_path, BASE.replace(old, new))
    problem = only_problem(path)
    assert problem.path == key_path
    assert problem.line == line_of(path, new)
    assert f"{found}; expected a finite number" in problem.message


def test_true_where_true_is_meant_is_fine(tmp_path):
    text = BASE.replace(
        "  price_eur_per_mwh: 60.0\n", "  price_eur_per_mwh: 60.0\n  export_allowed: true\n"
    )
    assert load_scenario(write(tmp_path, text)).scenario.electricity.export_allowed is True


# --- times -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2030-01-01T00:00:00+01:00", "2030-01-01T00:00:00Z"])
def test_time_zone_aware_start_is_refused(tmp_path, start):
    path = write(tmp_path, BASE.replace("  hours: 48\n", f"  hours: 48\n  start: {start}\n"))
    problem = only_problem(path)
    assert problem.path == ("horizon", "start")
    assert problem.line == line_of(path, "start:")
    assert "UTC offset" in problem.message
    assert "local standard time" in problem.message


def test_naive_start_is_fine(tmp_path):
    path = write(
        tmp_path, BASE.replace("  hours: 48\n", "  hours: 48\n  start: 2030-03-01T00:00\n")
    )
    assert load_scenario(path).scenario.horizon.start.month == 3
