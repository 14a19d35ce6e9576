"""Series values: constants and CSV columns, and located problems with both files and the row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from restvarme.errors import Problem, ScenarioError
from restvarme.inputs.series import check_all_series, iter_series, load_series
from restvarme.scenario.load import load_scenario
from restvarme.scenario.schema import SeriesFile

SCENARIO = """\
name: series
horizon:
  hours: 4
location:
  name: Testville
  outdoor_temperature_c: {temperature}
electricity:
  price_eur_per_mwh: {price}
networks:
  main:
    supply_temperature_c: 80
    return_temperature_c: 45
    demand:
      annual_gwh: 10
"""
KEY = ("electricity", "price_eur_per_mwh")
HOURS_CSV = "time,value\n" + "".join(f"2030-01-01 0{h}:00,{10 + h}\n" for h in range(4))


def rows(*cells: str) -> str:
    """CSV lines, one per hour from 2030-01-01 00:00, with the given value cells."""
    return "".join(f"2030-01-01 0{h}:00,{cell}\n" for h, cell in enumerate(cells))


def scenario(tmp_path: Path, price: str, temperature: str = "5.0") -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO.format(price=price, temperature=temperature), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, s in enumerate(path.read_text().splitlines(), 1) if needle in s)


def read(tmp_path: Path, csv: str | None, price: str = "series/price.csv", n: int = 4):
    """Write the scenario (and the CSV), load it, and read the price series."""
    if csv is not None:
        (tmp_path / "series").mkdir(exist_ok=True)
        (tmp_path / "series" / "price.csv").write_text(csv, encoding="utf-8")
    sf = load_scenario(scenario(tmp_path, price))
    value = sf.scenario.electricity.price_eur_per_mwh
    return load_series(value, n=n, base_dir=sf.base_dir, path=KEY, scenario_file=sf.path)


def failure(tmp_path: Path, csv: str | None, price: str = "series/price.csv") -> Problem:
    with pytest.raises(ScenarioError) as info:
        read(tmp_path, csv, price)
    (problem,) = info.value.problems
    path = tmp_path / "scenario.yaml"
    assert problem.path == KEY
    assert problem.file == path.resolve()
    assert problem.line == line_of(path, "price_eur_per_mwh")
    assert str(problem).startswith(
        f"{path.resolve()}:{problem.line}: electricity.price_eur_per_mwh: "
    )
    return problem


def test_constant():
    values = load_series(7.5, n=3, base_dir=Path("."), path=KEY)
    np.testing.assert_array_equal(values, [7.5, 7.5, 7.5])


def test_csv_path_relative_to_scenario_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(Path("/"))
    np.testing.assert_array_equal(read(tmp_path, HOURS_CSV), [10, 11, 12, 13])


def test_absolute_csv_path(tmp_path):
    csv = tmp_path / "abs.csv"
    csv.write_text(HOURS_CSV, encoding="utf-8")
    np.testing.assert_array_equal(read(tmp_path, None, price=str(csv)), [10, 11, 12, 13])


def test_column_and_scale(tmp_path):
    csv = "time,SE3,SE4\n" + "".join(f"2030-01-01 0{h}:00,{h},{1000 * h}\n" for h in range(5))
    values = read(tmp_path, csv, price="{file: series/price.csv, column: SE4, scale: 0.001}")
    np.testing.assert_allclose(values, [0, 1, 2, 3])  # extra rows are ignored


def test_headerless_single_column(tmp_path):
    np.testing.assert_array_equal(read(tmp_path, "1\n2\n3\n4\n"), [1, 2, 3, 4])


def test_semicolons_with_decimal_commas(tmp_path):
    csv = "time;value\n" + "".join(f"2030-01-01 0{h}:00;{h},5\n" for h in range(4))
    np.testing.assert_array_equal(read(tmp_path, csv), [0.5, 1.5, 2.5, 3.5])


def test_value_column_found_among_text_columns(tmp_path):
    csv = "time,value,note\n" + "".join(f"2030-01-01 0{h}:00,{h},n{h}\n" for h in range(4))
    np.testing.assert_array_equal(read(tmp_path, csv), [0, 1, 2, 3])


def test_missing_csv(tmp_path):
    problem = failure(tmp_path, None, price="series/nope.csv")
    assert "series file 'series/nope.csv' not found" in problem.message
    assert str(tmp_path.resolve() / "series" / "nope.csv") in problem.message
    assert "relative to the scenario folder" in problem.message


def test_text_that_is_not_a_path(tmp_path):
    problem = failure(tmp_path, None, price="'60 EUR'")
    assert "write a constant as a bare number" in problem.message


def test_short_csv(tmp_path):
    problem = failure(tmp_path, "time,value\n" + rows("1", "2") + "\n")
    assert "series file 'series/price.csv' column 'value' has 2 data rows" in problem.message
    assert "last on line 3" in problem.message
    assert "expected at least 4" in problem.message


@pytest.mark.parametrize(
    ("cell", "found"),
    [("nan", "got 'nan'"), ("NA", "got 'NA'"), ("", "got an empty cell"), ("abc", "got 'abc'")],
)
def test_nan_or_text_in_series(tmp_path, cell, found):
    csv = "time,value\n" + rows("1", "2", cell, "4")
    problem = failure(tmp_path, csv)
    assert "series file 'series/price.csv' line 4 (data row 3), column 'value'" in problem.message
    assert found in problem.message
    assert problem.message.endswith("expected a number")


def test_decimal_comma_hint(tmp_path):
    csv = "time,value\n" + rows("1", '"2,5"', "3", "4")
    problem = failure(tmp_path, csv)
    assert "line 3 (data row 2)" in problem.message
    assert "use '.' as the decimal point" in problem.message


def test_counts_bad_values(tmp_path):
    problem = failure(tmp_path, "time,value\n" + rows("x", "y", "3", "inf"))
    assert "line 2 (data row 1)" in problem.message
    assert "3 bad values in all" in problem.message


def test_empty_csv(tmp_path):
    problem = failure(tmp_path, "")
    assert "series file 'series/price.csv' is empty" in problem.message


def test_header_only_csv(tmp_path):
    problem = failure(tmp_path, "time,value\n")
    assert "has a header but no data rows" in problem.message


def test_ambiguous_columns(tmp_path):
    problem = failure(tmp_path, "time,SE3,SE4\n" + rows("1,2", "1,2", "1,2", "1,2"))
    assert "has columns ['time', 'SE3', 'SE4']" in problem.message
    assert "column: NAME" in problem.message


def test_unknown_column_suggests(tmp_path):
    csv = "time,SE3,SE4\n" + rows("1,2", "1,2", "1,2", "1,2")
    problem = failure(tmp_path, csv, price="{file: series/price.csv, column: SE5}")
    assert "has no column 'SE5'" in problem.message
    assert problem.suggestion in {"SE3", "SE4"}


def test_without_scenario_file_still_names_key_and_csv(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_series("gone.csv", n=2, base_dir=tmp_path, path=KEY)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.path) == (None, None, KEY)
    assert "'gone.csv'" in str(problem)


def test_iter_series_finds_file_references_only():
    sf = load_scenario(Path(__file__).parent / "data" / "minimal.yaml")
    assert list(iter_series(sf.scenario)) == []
    data = sf.scenario.model_copy(
        update={
            "electricity": sf.scenario.electricity.model_copy(
                update={"price_eur_per_mwh": SeriesFile(file="a.csv", column=None, scale=1.0)}
            )
        }
    )
    assert [p for p, _ in iter_series(data)] == [KEY]


def test_check_all_series_reports_every_broken_reference(tmp_path):
    path = scenario(tmp_path, price="series/price.csv", temperature="series/temp.csv")
    (tmp_path / "series").mkdir()
    (tmp_path / "series" / "price.csv").write_text("time,value\n" + rows("1"), encoding="utf-8")
    problems = check_all_series(load_scenario(path))
    assert [(p.path, p.line) for p in problems] == [
        (("location", "outdoor_temperature_c"), line_of(path, "outdoor_temperature_c")),
        (KEY, line_of(path, "price_eur_per_mwh")),
    ]
    assert "not found" in problems[0].message
    assert "1 data row " in problems[1].message
