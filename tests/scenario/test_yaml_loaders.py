"""The scenario reader parses with libyaml where PyYAML has it (restvarme.scenario.load,
``_FAST_LOADER``): it must give what PyYAML's own loader gives (values, the line of every key
path, duplicate keys), and a file with a problem must get PyYAML's message."""

from __future__ import annotations

import pytest
import yaml

from restvarme.examples import example_names, examples_dir
from restvarme.scenario import load

pytestmark = pytest.mark.skipif(load._FAST_LOADER is None, reason="PyYAML built without libyaml")

TEXTS = {
    "anchors and merge keys": "base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  y: 3\n",
    "duplicate keys": "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n",
    "scalars": "n: 1e3\nm: 0x10\nflag: yes\nday: 2030-01-01\ns: 'quoted: yes'\nnull_: ~\n",
    "block text": "note: |\n  two\n  lines\nfolded: >\n  one\n  line\n",
    "lists of mappings": "units:\n  - name: a\n    type: boiler\n  - {name: b, type: chp}\n",
}
BROKEN = {
    "unclosed flow": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
    "mapping in a scalar": "a: b: c\n",
}


def _pair(text: str) -> tuple[load._Parsed, load._Parsed]:
    assert load._FAST_LOADER is not None
    return load._parse_with(text, yaml.SafeLoader), load._parse_with(text, load._FAST_LOADER)


@pytest.mark.parametrize("name", example_names())
def test_every_example_reads_the_same_with_both_loaders(name):
    text = (examples_dir() / name / "scenario.yaml").read_text(encoding="utf-8")
    ours, theirs = _pair(text)
    assert not ours.problems
    assert (theirs.data, theirs.lines, theirs.problems) == (ours.data, ours.lines, ours.problems)


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_values_lines_and_duplicates_are_the_same(text):
    python, libyaml = _pair(text)
    assert python.data == libyaml.data and python.lines == libyaml.lines
    assert [p.message for p in python.problems] == [p.message for p in libyaml.problems]
    assert load._parse_yaml(text).lines == python.lines


def test_duplicate_keys_are_reported_with_their_lines():
    parsed = load._parse_yaml(TEXTS["duplicate keys"])
    messages = [(p.message, p.line) for p in parsed.problems]
    assert sorted(messages) == [
        ("duplicate key 'a' (first at line 1); keep one", 5),
        ("duplicate key 'c' (first at line 3); keep one", 4),
    ]


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_gets_pyyamls_message(text):
    python = load._parse_with(text, yaml.SafeLoader)
    assert python.problems  # each of these is a syntax error
    got = load._parse_yaml(text).problems
    assert [(p.message, p.line) for p in got] == [(p.message, p.line) for p in python.problems]
