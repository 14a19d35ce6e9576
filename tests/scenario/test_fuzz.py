"""Fuzz test (issue 12): Hypothesis mutates the built-in examples' scenario YAML (deletes keys,
changes types, swaps values between keys, inserts garbage text, nests values deeply) and
`restvarme validate` must exit 0 or 2, never with a traceback.

The fast loop runs a bounded, derandomized number of examples (reproducible in CI); the ``slow``
run many more. Each example's horizon is cut to 48 hours so that a valid mutant validates in a
fraction of a second; its series files are read from a copy of the examples' folder.
"""

from __future__ import annotations

import copy
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from restvarme.cli import app
from restvarme.examples import example_names, examples_dir

runner = CliRunner()

ODD_VALUES = [
    None,
    True,
    "no",
    "",
    "text",
    "../../../etc/passwd",
    0,
    -1,
    1e300,
    -1e300,
    math.inf,
    math.nan,
    10**40,
    "1e999",
    [],
    {},
    [1, 2, 3],
    {"unexpected": 1},
    {"file": "missing.csv"},
    "2030-13-45",
    -300,
    2.5,
]


@pytest.fixture(scope="module")
def examples_copy(tmp_path_factory) -> Path:
    """The built-in examples copied to a temporary folder, each horizon cut to 48 hours."""
    root = tmp_path_factory.mktemp("fuzz") / "examples"
    shutil.copytree(examples_dir(), root)
    for name in example_names():
        path = root / name / "scenario.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["horizon"] = {"hours": 48}
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _set(node: Any, path: tuple, value: Any) -> None:
    _get(node, path[:-1])[path[-1]] = value


def _nested(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@st.composite
def mutants(draw, root: Path) -> tuple[str, str]:
    """(example name, mutated scenario text)."""
    name = draw(st.sampled_from(sorted(example_names())))
    text = (root / name / "scenario.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        kind = draw(st.sampled_from(["delete", "type", "swap", "nest"]))
        path = draw(st.sampled_from(paths))
        if kind == "delete":
            parent = _get(data, path[:-1])
            del parent[path[-1]]
        elif kind == "type":
            _set(data, path, copy.deepcopy(draw(st.sampled_from(ODD_VALUES))))
        elif kind == "swap":
            other = draw(st.sampled_from(paths))
            if path[: len(other)] == other or other[: len(path)] == path:
                continue  # one holds the other
            a, b = _get(data, path), _get(data, other)
            _set(data, path, copy.deepcopy(b))
            _set(data, other, copy.deepcopy(a))
        else:
            _set(data, path, _nested(draw(st.integers(5, 200))))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.booleans()):  # garbage text somewhere
        at = draw(st.integers(0, len(text)))
        garbage = draw(st.text(min_size=1, max_size=40))
        text = text[:at] + garbage + text[at:]
    return name, text


def _check(root: Path, name: str, text: str) -> None:
    path = root / name / "fuzzed.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = runner.invoke(app, ["validate", str(path), "--allow-path", str(root)])
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def test_fuzzed_examples_validate_or_fail_cleanly(examples_copy):
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutants(examples_copy))
    def check(case):
        _check(examples_copy, *case)

    check()


@pytest.mark.slow
def test_many_fuzzed_examples_validate_or_fail_cleanly(examples_copy):
    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutants(examples_copy))
    def check(case):
        _check(examples_copy, *case)

    check()
