"""docs/scenario.md keeps up with the schema: every key documented, no stale keys, example valid.

Each model has a section in the docs opened by ``<!-- model: Name -->``; its table rows start
with the backticked key names they document (a row may name several, like the keys every unit
has).
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from restvarme.scenario.load import load_scenario
from restvarme.scenario.schema import Scenario

DOCS = Path(__file__).parents[2] / "docs" / "scenario.md"
TEXT = DOCS.read_text(encoding="utf-8")


def models(root: type[BaseModel] = Scenario) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``root`` through field annotations, by class name."""
    found: dict[str, type[BaseModel]] = {}

    def visit(tp) -> None:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if tp.__name__ not in found:
                found[tp.__name__] = tp
                for info in tp.model_fields.values():
                    visit(info.annotation)
        for arg in typing.get_args(tp):
            visit(arg)

    visit(root)
    return found


MODELS = models()


def sections() -> dict[str, str]:
    """Docs text of each ``<!-- model: Name -->`` section, up to the next heading."""
    out = {}
    for match in re.finditer(r"<!-- model: (\w+) -->\n(.*?)(?=\n#|\Z)", TEXT, re.S):
        out[match.group(1)] = match.group(2)
    return out


SECTIONS = sections()


def documented_keys(section: str) -> set[str]:
    keys: set[str] = set()
    for row in section.splitlines():
        if row.startswith("| `"):
            first_cell = row.split("|")[1]
            keys |= set(re.findall(r"`(\w+)`", first_cell))
    return keys


def test_walk_finds_all_models():
    assert {"Scenario", "HeatPump", "Storage", "SeriesFile", "TemperatureCurve", "Outage"} <= set(
        MODELS
    )


def test_every_model_has_a_section():
    assert set(MODELS) - set(SECTIONS) == set()
    assert set(SECTIONS) - set(MODELS) == set(), "a docs section names a model that is gone"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_key_documented_and_no_stale_keys(name):
    fields = set(MODELS[name].model_fields)
    documented = documented_keys(SECTIONS.get(name, ""))
    assert fields - documented == set(), f"undocumented keys of {name}"
    assert documented - fields == set(), f"docs of {name} name keys the schema lacks"


def test_every_field_name_appears_in_the_docs():
    """The plain form of the guarantee: each field name is written in backticks somewhere."""
    for model in MODELS.values():
        for field in model.model_fields:
            assert f"`{field}`" in TEXT, f"{model.__name__}.{field}"


def test_every_unit_type_has_a_section():
    unit_union = typing.get_args(typing.get_args(Scenario.model_fields["units"].annotation)[0])[0]
    for member in typing.get_args(unit_union):
        (tag,) = typing.get_args(member.model_fields["type"].annotation)
        assert f"### `type: {tag}`" in TEXT


def test_full_example_is_a_valid_scenario(tmp_path):
    example = TEXT.split("## Full example", 1)[1]
    yaml_text = re.search(r"```yaml\n(.*?)```", example, re.S).group(1)
    path = tmp_path / "example.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    sf = load_scenario(path)  # series files are not read here, only names are checked
    used = {f"type: {u.type}" for u in sf.scenario.units} | {u.type for u in sf.scenario.units}
    assert {"heat_pump", "heat_exchanger", "chp", "boiler", "electric_boiler", "storage"} <= used
