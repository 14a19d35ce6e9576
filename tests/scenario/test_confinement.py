"""Series files are read only inside the scenario's folder (or folders named to allow them).

Paths that leave it (``../..``, absolute paths elsewhere, symlinks out) are refused before the
file is opened, so nothing from an outside file reaches a result or a message; ``~`` is not
expanded; in server mode no message names an absolute path.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.errors import SERVER_MODE_ENV, Problem, ScenarioError
from restvarme.examples import examples_dir
from restvarme.inputs.series import allow_paths, load_series
from restvarme.scenario.load import load_scenario

SCENARIO = """\
name: confined
horizon:
  hours: 4
location:
  name: Testville
  outdoor_temperature_c: 5.0
electricity:
  price_eur_per_mwh: {price}
fuels:
  gas:
    price_eur_per_mwh: 30
networks:
  main:
    supply_temperature_c: 80
    return_temperature_c: 45
    demand:
      annual_gwh: 10
units:
  - {{name: boiler, type: boiler, fuel: gas, sink: main, capacity_mw: 30}}
"""
KEY = ("electricity", "price_eur_per_mwh")
CSV = "time,value\n" + "".join(f"2030-01-01 0{h}:00,{10 + h}\n" for h in range(4))
SECRET = "time,value\n2030-01-01 00:00,SECRET-CELL\n" + "2030-01-01 01:00,1\n" * 3


@pytest.fixture
def folders(tmp_path):
    """``scenario/`` (the scenario's folder) and ``outside/`` beside it, holding secret.csv."""
    inside, outside = tmp_path / "scenario", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET, encoding="utf-8")
    (outside / "good.csv").write_text(CSV, encoding="utf-8")
    return inside, outside


def write(folder: Path, price: str) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(SCENARIO.format(price=price), encoding="utf-8")
    return path


def read(folder: Path, price: str) -> np.ndarray:
    sf = load_scenario(write(folder, price))
    value = sf.scenario.electricity.price_eur_per_mwh
    return load_series(value, n=4, base_dir=sf.base_dir, path=KEY, scenario_file=sf.path)


def refused(folder: Path, price: str) -> Problem:
    with pytest.raises(ScenarioError) as info:
        read(folder, price)
    (problem,) = info.value.problems
    path = (folder / "scenario.yaml").resolve()
    assert (problem.file, problem.path) == (path, KEY)
    assert problem.line == 8  # the line of price_eur_per_mwh
    assert "SECRET" not in str(info.value)
    return problem


def assert_outside(problem: Problem, written: str) -> None:
    assert f"series file {written!r} is outside the scenario folder" in problem.message
    assert "--allow-path" in problem.message  # how to widen it


def test_file_in_the_scenario_folder_is_read(folders):
    inside, _ = folders
    (inside / "series").mkdir()
    (inside / "series" / "price.csv").write_text(CSV, encoding="utf-8")
    np.testing.assert_array_equal(read(inside, "series/price.csv"), [10, 11, 12, 13])
    # `..` that stays inside, and an absolute path inside, are fine
    np.testing.assert_array_equal(read(inside, "series/../series/price.csv"), [10, 11, 12, 13])
    absolute = str((inside / "series" / "price.csv").resolve())
    np.testing.assert_array_equal(read(inside, absolute), [10, 11, 12, 13])


def test_dot_dot_out_of_the_folder_is_refused(folders):
    inside, _ = folders
    assert_outside(refused(inside, "../outside/secret.csv"), "../outside/secret.csv")
    assert_outside(
        refused(inside, "series/../../outside/good.csv"), "series/../../outside/good.csv"
    )


def test_absolute_path_outside_is_refused(folders):
    inside, outside = folders
    target = str(outside / "good.csv")
    assert_outside(refused(inside, target), target)


def test_mapping_form_is_confined_too(folders):
    inside, _ = folders
    problem = refused(inside, "{file: ../outside/good.csv, column: value}")
    assert_outside(problem, "../outside/good.csv")


def test_outside_file_is_refused_whether_or_not_it_exists(folders):
    """The message must not tell a stranger which files exist on the server."""
    inside, _ = folders
    there = refused(inside, "../outside/good.csv").message
    absent = refused(inside, "../outside/absent.csv").message
    assert there.replace("good", "absent") == absent


def test_outside_cell_is_not_quoted(folders):
    inside, _ = folders
    problem = refused(inside, "../outside/secret.csv")
    assert "SECRET" not in str(problem)


def test_tilde_is_not_expanded(folders, monkeypatch):
    inside, outside = folders
    monkeypatch.setenv("HOME", str(outside))
    problem = refused(inside, "~/good.csv")
    assert "'~' is not expanded" in problem.message
    # a folder literally called "~" inside the scenario folder is read like any other
    (inside / "~").mkdir()
    (inside / "~" / "good.csv").write_text(CSV.replace(",1", ",2"), encoding="utf-8")
    np.testing.assert_array_equal(read(inside, "~/good.csv"), [20, 21, 22, 23])


def test_symlinked_file_leading_out_is_refused(folders):
    inside, outside = folders
    (inside / "price.csv").symlink_to(outside / "secret.csv")
    problem = refused(inside, "price.csv")
    assert_outside(problem, "price.csv")
    assert "symbolic link" in problem.message


def test_symlinked_folder_leading_out_is_refused(folders):
    inside, outside = folders
    (inside / "series").symlink_to(outside, target_is_directory=True)
    assert_outside(refused(inside, "series/good.csv"), "series/good.csv")


def test_symlink_inside_the_folder_is_fine(folders):
    inside, _ = folders
    (inside / "data").mkdir()
    (inside / "data" / "price.csv").write_text(CSV, encoding="utf-8")
    (inside / "price.csv").symlink_to(inside / "data" / "price.csv")
    np.testing.assert_array_equal(read(inside, "price.csv"), [10, 11, 12, 13])


def test_allow_paths_widens_the_confinement(folders):
    inside, outside = folders
    with allow_paths(outside):
        np.testing.assert_array_equal(read(inside, "../outside/good.csv"), [10, 11, 12, 13])
        np.testing.assert_array_equal(read(inside, str(outside / "good.csv")), [10, 11, 12, 13])
    assert_outside(refused(inside, "../outside/good.csv"), "../outside/good.csv")


def test_message_names_the_allowed_folders(folders, tmp_path):
    inside, _ = folders
    extra = tmp_path / "shared"
    extra.mkdir()
    with allow_paths(extra):
        problem = refused(inside, "../outside/good.csv")
    assert str(inside.resolve()) in problem.message
    assert str(extra.resolve()) in problem.message


def test_examples_may_share_files_between_their_folders():
    lund_2030 = examples_dir() / "lund_2030"
    values = load_series(
        "../lund/series/spot_price_se4_synthetic.csv", n=3, base_dir=lund_2030, path=KEY
    )
    assert values.shape == (3,)


def test_examples_folder_is_not_open_to_other_scenarios(folders):
    inside, _ = folders
    target = str(examples_dir().resolve() / "lund" / "series" / "spot_price_se4_synthetic.csv")
    assert_outside(refused(inside, target), target)


def test_long_path_is_a_clear_error(folders):
    inside, _ = folders
    name = "x" * 296 + ".csv"
    problem = refused(inside, name)
    assert "300 characters" in problem.message
    assert "at most 255" in problem.message


def test_control_character_in_path(folders):
    inside, _ = folders
    problem = refused(inside, '"price\\0.csv"')
    assert "control character" in problem.message


# --- server mode: no absolute server paths in messages ---------------------------------------


def test_server_mode_prints_no_absolute_paths(folders, monkeypatch):
    inside, outside = folders
    monkeypatch.setenv(SERVER_MODE_ENV, "1")
    with allow_paths(outside / ".." / "outside"):
        for price in ("series/absent.csv", "../elsewhere/x.csv", str(outside / "absent.csv")):
            with pytest.raises(ScenarioError) as info:
                read(inside, price)
            text = str(info.value)
            assert str(inside.parent) not in text.replace(price, ""), text
            assert "scenario.yaml:8: electricity.price_eur_per_mwh: " in text
    with pytest.raises(ScenarioError) as info:
        read(inside, "series/absent.csv")
    assert "looked for series/absent.csv in the scenario folder" in str(info.value)


def test_server_mode_scenario_not_found(tmp_path, monkeypatch):
    monkeypatch.setenv(SERVER_MODE_ENV, "1")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert str(tmp_path) not in str(info.value)
    assert "nope.yaml" in str(info.value)


def test_default_mode_keeps_full_paths(folders, monkeypatch):
    inside, _ = folders
    monkeypatch.delenv(SERVER_MODE_ENV, raising=False)
    with pytest.raises(ScenarioError) as info:
        read(inside, "series/absent.csv")
    assert str(inside.resolve() / "series" / "absent.csv") in str(info.value)


# --- the command line: --allow-path ----------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize("command", ["validate", "run"])
def test_cli_refuses_outside_files_without_traceback(folders, tmp_path, command):
    inside, _ = folders
    path = write(inside, "../outside/secret.csv")
    args = [command, str(path)] + (["--out", str(tmp_path / "out")] if command == "run" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "outside the scenario folder" in result.output
    assert "SECRET" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", ["validate", "run"])
def test_cli_allow_path(folders, tmp_path, command):
    inside, outside = folders
    path = write(inside, "../outside/good.csv")
    args = [command, str(path), "--allow-path", str(outside)]
    args += ["--out", str(tmp_path / "out"), "--quiet"] if command == "run" else []
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # the widening lasts for the command only
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 2


def test_cli_allow_path_must_exist(folders, tmp_path):
    inside, _ = folders
    path = write(inside, "1")
    result = runner.invoke(app, ["validate", str(path), "--allow-path", str(tmp_path / "no")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_symlink_loop_is_a_clear_error(folders):
    inside, _ = folders
    os.symlink("b.csv", inside / "a.csv")
    os.symlink("a.csv", inside / "b.csv")
    problem = refused(inside, "a.csv")
    assert "a.csv" in problem.message
