"""The figures docs/accounting.md and the examples' SOURCES.md quote from runs are today's.

They sit between ``<!-- fig:NAME -->`` and ``<!-- /fig -->`` markers, written by
``docs/figures.py``; the slow test recomputes them all from the session's solved Lund year and
the examples' inputs and fails on any stale, unknown or unquoted figure (run
``PYTHONPATH=src python docs/figures.py`` to rewrite them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _figures_module():
    spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "docs" / "figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rewrite_sets_each_span_and_names_the_stale_and_unknown():
    figures = _figures_module()
    span = "<!-- fig:{} -->{}<!-- /fig -->".format
    text = f"a {span('x', '1.0')} b {span('y', '2')} {span('z', '?')}"
    new, stale, unknown = figures.rewrite(text, {"x": "1.0", "y": "3"})
    assert new == f"a {span('x', '1.0')} b {span('y', '3')} {span('z', '?')}"
    assert stale == ["y"]
    assert unknown == ["z"]


def test_every_marked_file_has_spans():
    figures = _figures_module()
    found = figures.spans()
    assert found[ROOT / "docs" / "accounting.md"]
    for city in ("barcelona", "lund", "the_hague"):
        assert found[ROOT / "examples" / city / "SOURCES.md"], city


@pytest.mark.slow
def test_docs_hold_todays_figures(lund_year):
    figures = _figures_module()
    values = {**figures.lund_figures(*lund_year), **figures.input_figures()}
    quoted = set()
    for path in figures.FILES:
        _, stale, unknown = figures.rewrite(path.read_text(encoding="utf-8"), values)
        assert not stale, f"{path}: run docs/figures.py ({', '.join(stale)})"
        assert not unknown, f"{path}: spans without a figure: {unknown}"
        quoted |= set(figures.spans()[path])
    assert set(values) <= quoted, set(values) - quoted
