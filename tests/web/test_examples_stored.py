"""The built-in examples the web app offers are valid as stored scenarios: a series an example
reads from another example's folder (lund_2030 reads ../lund/series) is copied into the stored
version, its reference rewritten (restvarme.store.bundle)."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from restvarme.examples import example_names, examples_dir
from restvarme.store.bundle import rewrite_references
from restvarme.store.runs import StoreError

SPOT = "lund/series/spot_price_se4_synthetic.csv"


def test_lund_2030_is_stored_with_the_lund_price_series_it_reads():
    from restvarme.web.api import example_files

    files = example_files("lund_2030")  # what POST /api/examples/lund_2030 stores
    assert files[f"imported/{SPOT}"] == (examples_dir() / SPOT).read_bytes()
    text = files["scenario.yaml"].decode()
    assert yaml.safe_load(text)["electricity"]["price_eur_per_mwh"] == f"imported/{SPOT}"
    assert f"# restvarme store: ../{SPOT} is stored as imported/{SPOT}" in text
    original = (examples_dir() / "lund_2030" / "scenario.yaml").read_text()
    assert len(text.splitlines()) == len(original.splitlines()) + 1  # lines kept where they were
    assert set(files) == {"SOURCES.md", "scenario.yaml", f"imported/{SPOT}"}


@pytest.mark.slow  # builds every example's inputs (lund_2030's typical days take seconds)
@pytest.mark.parametrize("name", example_names())
def test_every_example_offered_validates_as_stored(client, name):
    stored = client.post(f"/api/examples/{name}")
    assert stored.status_code == 201
    validation = stored.json()["validation"]
    assert validation["ok"], validation["problems"]
    stored_files = {f["path"]: f["sha256"] for f in stored.json()["files"]}
    from restvarme.web.api import example_files

    expected = {
        path: hashlib.sha256(data).hexdigest() for path, data in example_files(name).items()
    }
    assert stored_files == expected
    again = client.post(f"/api/versions/{stored.json()['id']}/validate")
    assert again.status_code == 200  # the validate endpoint agrees


def test_references_in_block_flow_and_quoted_yaml_are_rewritten():
    text = (
        b"a: ../x/s.csv\n"
        b"b: {file: ../x/s.csv, column: p}\n"
        b"c: '../x/s.csv'  # a comment\n"
        b"d: ../x/s.csv.bak\n"  # another file: left alone
        b"e: [1, ../x/s.csv]\n"
    )
    new = rewrite_references(text, {"../x/s.csv": "imported/x/s.csv"}, "scenario.yaml")
    assert yaml.safe_load(new) == {
        "a": "imported/x/s.csv",
        "b": {"file": "imported/x/s.csv", "column": "p"},
        "c": "imported/x/s.csv",
        "d": "../x/s.csv.bak",
        "e": [1, "imported/x/s.csv"],
    }


def test_a_reference_that_cannot_be_rewritten_is_a_clear_error():
    # a double-quoted YAML escape spells the same path in other characters: no text to replace
    text = b'a: "..\\x2Fx/s.csv"\n'
    assert yaml.safe_load(text) == {"a": "../x/s.csv"}
    with pytest.raises(StoreError) as info:
        rewrite_references(text, {"../x/s.csv": "imported/x/s.csv"}, "scenario.yaml")
    assert str(info.value) == (
        "scenario.yaml: cannot store the series ../x/s.csv from outside the scenario's folder "
        "(its reference could not be rewritten): copy it into the folder"
    )
