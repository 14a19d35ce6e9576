"""load_scenario: every mistake in a scenario file comes back located (file, key path, line)."""

from __future__ import annotations

import textwrap
from difflib import SequenceMatcher
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from restvarme.errors import Problem, ScenarioError, format_key_path
from restvarme.scenario.load import ScenarioFile, key_line, load_scenario
from tiny_scenarios import SCENARIO_YAML

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"

BASE = SCENARIO_YAML
UNITS = BASE + "units:\n"


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


def assert_located(problem: Problem, path: Path, key_path: tuple, line: int) -> None:
    """The problem names the file, the key path and the line, also in its printed form."""
    assert problem.path == key_path
    assert problem.file == path
    assert problem.line == line
    text = str(problem)
    assert text.startswith(f"{path}:{line}: {format_key_path(key_path)}: ")


def test_minimal_fixture_is_valid():
    sf = load_scenario(MINIMAL)
    assert isinstance(sf, ScenarioFile)
    assert sf.path == MINIMAL.resolve()
    assert sf.base_dir == DATA.resolve()
    assert sf.scenario.horizon.hours == 48
    assert [u.type for u in sf.scenario.units] == ["boiler", "heat_exchanger"]


def test_unknown_key_is_located_with_suggestion(tmp_path):
    path = write(
        tmp_path,
        UNITS
        + "  - name: peak\n    type: boiler\n    fuel: gas\n    sink: main\n    capacity_mv: 5\n",
    )
    problem = only_problem(path)  # the missing capacity_mw is covered by the suggestion
    assert_located(problem, path, ("units", 0, "capacity_mv"), line_of(path, "capacity_mv"))
    assert "unknown key 'capacity_mv'" in problem.message
    assert problem.suggestion == "capacity_mw"
    assert "did you mean 'capacity_mw'?" in str(problem)


def test_unknown_key_without_near_match_lists_valid_keys(tmp_path):
    path = write(tmp_path, BASE.replace("  name: Testville\n", "  name: Testville\n  zzz: 1\n"))
    problem = only_problem(path)
    assert_located(problem, path, ("location", "zzz"), line_of(path, "zzz"))
    assert problem.suggestion is None
    assert "valid keys here: name, climate, outdoor_temperature_c" in problem.message


def test_wrong_type_says_what_was_found_and_expected(tmp_path):
    path = write(
        tmp_path,
        UNITS + "  - {name: peak, type: boiler, fuel: gas, sink: main, capacity_mw: abc}\n",
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "capacity_mw"), line_of(path, "capacity_mw: abc"))
    assert problem.message == "got 'abc'; expected a number"


def test_negative_capacity(tmp_path):
    path = write(
        tmp_path,
        UNITS + "  - {name: peak, type: boiler, fuel: gas, sink: main, capacity_mw: -5}\n",
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "capacity_mw"), line_of(path, "capacity_mw: -5"))
    assert problem.message == "got -5; expected a number >= 0"


def test_back_pressure_chp_without_heat_efficiency(tmp_path):
    path = write(
        tmp_path,
        UNITS
        + "  - name: chp\n    type: chp\n    fuel: gas\n    sink: main\n"
        + "    heat_capacity_mw: 10\n    efficiency_el: 0.3\n",
    )
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "efficiency_heat"), line_of(path, "- name: chp"))
    assert "back_pressure mode needs `efficiency_heat`" in problem.message


def test_unknown_unit_type_lists_valid_types(tmp_path):
    path = write(tmp_path, UNITS + "  - {name: hp, type: heatpump, sink: main}\n")
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "type"), line_of(path, "heatpump"))
    assert "unknown unit type 'heatpump'" in problem.message
    for tag in ("heat_pump", "heat_exchanger", "chp", "boiler", "electric_boiler", "storage"):
        assert tag in problem.message
    assert problem.suggestion == "heat_pump"


def test_misspelt_unit_type_key(tmp_path):
    path = write(tmp_path, UNITS + "  - name: hp\n    tpye: heat_pump\n")
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "tpye"), line_of(path, "tpye"))
    assert problem.suggestion == "type"


def test_unit_without_type(tmp_path):
    path = write(tmp_path, UNITS + "  - name: hp\n")
    problem = only_problem(path)
    assert_located(problem, path, ("units", 0, "type"), line_of(path, "- name: hp"))
    assert "missing required key 'type'" in problem.message


def test_missing_required_key_points_at_its_parent(tmp_path):
    path = write(
        tmp_path, BASE.replace("  price_eur_per_mwh: 60.0\n", "  grid_fee_eur_per_mwh: 1\n")
    )
    problem = only_problem(path)
    assert_located(
        problem, path, ("electricity", "price_eur_per_mwh"), line_of(path, "electricity:")
    )
    assert problem.message.startswith("missing required key 'price_eur_per_mwh'")


def test_union_alternatives_merge_into_one_problem(tmp_path):
    path = write(tmp_path, BASE.replace("price_eur_per_mwh: 60.0", "price_eur_per_mwh: [1, 2]"))
    problem = only_problem(path)
    assert_located(problem, path, ("electricity", "price_eur_per_mwh"), line_of(path, "[1, 2]"))
    assert problem.message.startswith("got [1, 2]; expected a number, text (a CSV path) or")


def test_union_picks_the_meant_alternative(tmp_path):
    """A misspelt curve key is matched against TemperatureCurve, not SeriesFile."""
    text = BASE.replace(
        "supply_temperature_c: 80.0", "supply_temperature_c: {crve: [[0, 90], [10, 70]]}"
    )
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert_located(
        problem, path, ("networks", "main", "supply_temperature_c", "crve"), line_of(path, "crve")
    )
    assert problem.suggestion == "curve"


def test_series_mapping_typo(tmp_path):
    text = BASE.replace("price_eur_per_mwh: 60.0", "price_eur_per_mwh: {file: a.csv, colum: SE4}")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.path == ("electricity", "price_eur_per_mwh", "colum")
    assert problem.suggestion == "column"


def test_all_problems_reported_together_in_line_order(tmp_path):
    path = write(
        tmp_path,
        UNITS.replace("  hours: 48", "  hours: 1.5")
        + "  - {name: a, type: boiler, fuel: gas, sink: main, capacity_mw: -1}\n"
        + "  - {name: b, type: boiler, fuel: gas, sink: main, capacity_mw: 1, efficency: 0.9}\n",
    )
    problems = problems_of(path)
    assert [p.path for p in problems] == [
        ("horizon", "hours"),
        ("units", 0, "capacity_mw"),
        ("units", 1, "efficency"),
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert problems[0].message == "got 1.5; expected a whole number"
    assert problems[2].suggestion == "efficiency"


def test_duplicate_yaml_key(tmp_path):
    path = write(tmp_path, BASE.replace("  hours: 48\n", "  hours: 48\n  hours: 24\n"))
    problem = only_problem(path)
    assert_located(problem, path, ("horizon", "hours"), line_of(path, "hours: 24"))
    assert "duplicate key 'hours'" in problem.message
    assert f"line {line_of(path, 'hours: 48')}" in problem.message


def test_number_as_a_name(tmp_path):
    path = write(tmp_path, BASE.replace("  gas:\n", "  2030:\n"))
    problem = only_problem(path)
    assert_located(problem, path, ("fuels", 2030), line_of(path, "2030:"))
    assert "quote it" in problem.message


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path, "name: x\nlocation: {name: a\nunits: []\n")
    problem = only_problem(path)
    assert problem.file == path
    assert problem.line == 3
    assert problem.message.startswith("YAML syntax error")
    assert "column" in problem.message
    assert "started at line 2" in problem.message


def test_bad_indentation(tmp_path):
    path = write(tmp_path, "name: x\n  bad: indent\n")
    problem = only_problem(path)
    assert (problem.file, problem.line) == (path, 2)
    assert "YAML syntax error" in problem.message


@pytest.mark.parametrize("text", ["", "# just a comment\n", "---\n"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert (problem.file, problem.line) == (path, 1)
    assert "the file is empty" in problem.message


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "a list"), ("hello\n", "the text")])
def test_top_level_not_a_mapping(tmp_path, text, kind):
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert (problem.file, problem.line) == (path, 1)
    assert f"the top level is {kind}" in problem.message
    assert "expected a mapping" in problem.message


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    problem = only_problem(path)
    assert problem.file == path
    assert "scenario file not found" in problem.message
    assert str(path) in str(problem)


def test_folder_instead_of_file(tmp_path):
    problem = only_problem(tmp_path)
    assert "is not a file" in problem.message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Malmö\n".encode("latin-1"))
    assert "not UTF-8" in only_problem(path).message


def test_control_character(tmp_path):
    path = write(tmp_path, "name: x\nyear: \x01\n")
    problem = only_problem(path)
    assert (problem.line, "U+0001" in problem.message) == (2, True)


def test_key_line_finds_keys_and_nearest_ancestor():
    assert key_line(MINIMAL, ("units", 1, "source")) == line_of(MINIMAL, "source: datacentre")
    assert key_line(MINIMAL, ("waste_heat", "datacentre")) == line_of(MINIMAL, "datacentre:")
    missing = ("networks", "main", "demand", "series_mw")
    assert key_line(MINIMAL, missing) == line_of(MINIMAL, "demand:")
    assert key_line(MINIMAL.parent / "absent.yaml", ("name",)) is None


# --- properties --------------------------------------------------------------------------------

MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")
_NAMED_SECTIONS = {"networks", "waste_heat", "ambient", "fuels"}


def _schema_keys() -> list[tuple[int, tuple, frozenset]]:
    """(line, key path, sibling keys) of every schema key in minimal.yaml (not user names)."""
    out: list[tuple[int, tuple, frozenset]] = []

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            siblings = frozenset(k.value for k, _ in node.value)
            for k, v in node.value:
                if not (len(path) == 1 and path[0] in _NAMED_SECTIONS):
                    out.append((k.start_mark.line + 1, (*path, k.value), siblings))
                walk(v, (*path, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(yaml.compose(MINIMAL_TEXT), ())
    return out


SCHEMA_KEYS = _schema_keys()


def _typo(draw, word: str) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz_"
    i = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["delete", "replace", "insert", "swap"]))
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    c = draw(st.sampled_from(letters))
    return word[:i] + c + word[i + (kind == "replace") :]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_typo_in_any_key_is_reported_there_with_the_right_suggestion(tmp_path, data):
    line, key_path, siblings = data.draw(st.sampled_from(SCHEMA_KEYS))
    key = key_path[-1]
    typo = _typo(data.draw, key)
    assume(typo and typo[0].isalpha() and typo not in siblings)
    lines = MINIMAL_TEXT.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(f"{key}:", f"{typo}:", 1)
    path = write(tmp_path, "".join(lines))

    problems = problems_of(path)
    at_typo = [p for p in problems if p.path == (*key_path[:-1], typo)]
    assert len(at_typo) == 1, problems
    problem = at_typo[0]
    assert problem.line == line
    assert problem.file == path
    # the suggestion is the original key whenever it is the single nearest valid key
    score = SequenceMatcher(None, typo, key).ratio()
    if score >= 0.6 and problem.suggestion != key:
        rival = SequenceMatcher(None, typo, problem.suggestion or "").ratio()
        assert rival >= score, (typo, key, problem.suggestion)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=":-{}[],&*!|>'\"#%@` \n\tab1.", max_size=40))
def test_no_raw_exception_escapes(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems
    assert all(p.file == path for p in info.value.problems)
