"""The public API is what ``restvarme.__all__`` lists: pinned here, every name resolves, and the
accounting and report functions that the documentation calls from Python are among them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import restvarme

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_API = [
    "PHASES",
    "HeatPumpAssumptions",
    "InfeasibleError",
    "MissingExtraError",
    "RestvarmeError",
    "ScenarioError",
    "SolveError",
    "__version__",
    "accounting",
    "accounting_perspective",
    "candidate_supplier_value",
    "compare_runs",
    "cost_by_unit",
    "decision_perspective",
    "emissions_by_sector",
    "fleet_emissions",
    "indicator_table",
    "key_figures",
    "load",
    "network_indicators",
    "price_list",
    "report",
    "run",
    "supplier_price_list",
    "system_emissions_t",
    "write_comparison",
    "write_images",
    "write_report",
]
"""Changing this list changes the public API: say so in the change."""


def test_all_is_pinned():
    assert restvarme.__all__ == PUBLIC_API


@pytest.mark.parametrize("name", PUBLIC_API)
def test_every_public_name_resolves(name):
    assert getattr(restvarme, name) is not None
    assert name in dir(restvarme)


def test_star_import_gives_the_public_api():
    namespace: dict = {}
    exec("from restvarme import *", namespace)
    assert set(PUBLIC_API) <= set(namespace)


def test_accounting_and_report_names_are_their_packages_own():
    for package in (restvarme.accounting, restvarme.report):
        for name in set(PUBLIC_API) & set(package.__all__):
            assert getattr(restvarme, name) is getattr(package, name), name


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_function"):
        restvarme.no_such_function  # noqa: B018


def _documented_calls() -> dict[str, set[str]]:
    """Names the Python examples of README.md and docs/*.md take from ``restvarme``, from
    ``restvarme.accounting`` and from ``restvarme.report``: {package: names}."""
    found: dict[str, set[str]] = {"restvarme": set(), "accounting": set(), "report": set()}
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            for package, names in re.findall(
                r"from restvarme\.(accounting|report) import (\([^)]*\)|[^\n]+)", block
            ):
                found[package] |= {n.strip() for n in names.strip("()").split(",") if n.strip()}
            for package, alias in re.findall(
                r"from restvarme import (accounting|report) as (\w+)", block
            ):
                found[package] |= set(re.findall(rf"\b{alias}\.(\w+)", block))
            found["restvarme"] |= set(re.findall(r"\brestvarme\.(\w+)\(", block))
    return found


def test_functions_the_docs_call_are_reachable_from_restvarme():
    found = _documented_calls()
    assert {"run", "load"} <= found["restvarme"]
    assert {"write_report", "cost_by_unit", "candidate_supplier_value"} <= (
        found["report"] | found["accounting"]
    )
    for package, names in found.items():
        for name in names:
            assert name in restvarme.__all__, f"the docs call {package}.{name}"
            if package != "restvarme":
                module = getattr(restvarme, package)
                assert getattr(restvarme, name) is getattr(module, name), name


def test_import_restvarme_stays_cheap():
    # the numerical stack and plotly load when a run starts or a report/accounting name is
    # first used, not at import
    src = str(Path(restvarme.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    code = (
        "import sys, restvarme; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'xarray', 'linopy', 'pandas', 'plotly', 'highspy', 'pydantic'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
