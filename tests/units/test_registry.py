"""The unit registry is the one list of unit types: the scenario schema's ``Unit`` union, its
JSON schema and the spec classes all come from it, and a unit module loads on its own.

(tests/units/test_ports.py checks the other direction: every type string the schema accepts has a
registered module.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import get_args

import pytest
from pydantic import ValidationError

from restvarme.scenario import references, schema
from restvarme.scenario.schema import Scenario
from restvarme.units.registry import REGISTRY

SPECS = [spec for unit_type in REGISTRY.values() for spec in unit_type.specs]


def _type_string(spec: type) -> str:
    (literal,) = get_args(spec.model_fields["type"].annotation)
    return literal


def test_json_schema_lists_every_registered_type_as_a_discriminator_value():
    # What an editor validating a scenario file sees (`restvarme schema`).
    units = Scenario.model_json_schema()["properties"]["units"]["items"]
    assert units["discriminator"]["propertyName"] == "type"
    mapping = units["discriminator"]["mapping"]
    assert set(mapping) == {_type_string(spec) for spec in SPECS}
    for spec in SPECS:
        assert mapping[_type_string(spec)] == f"#/$defs/{spec.__name__}"
    assert [member["$ref"] for member in units["oneOf"]] == [
        f"#/$defs/{spec.__name__}" for spec in SPECS
    ]


def test_unit_union_is_the_registry_specs_in_registry_order():
    union, field = get_args(schema.Unit)
    assert list(get_args(union)) == SPECS
    assert field.discriminator == "type"


def test_each_spec_lives_in_its_unit_module():
    # One unit type, one module: its spec beside its equations (stores and pv/wind included).
    for name, unit_type in REGISTRY.items():
        for spec in unit_type.specs:
            assert spec.__module__ == f"restvarme.units.{name}", spec


def test_each_registered_type_string_validates_against_its_own_spec():
    # Every type string reaches its own spec class through the discriminator (the error names
    # the spec's missing keys, not another type's).
    base = {
        "name": "x",
        "location": {"name": "l", "climate": "lund"},
        "electricity": {"price_eur_per_mwh": 1},
        "networks": {
            "main": {
                "supply_temperature_c": 70,
                "return_temperature_c": 40,
                "demand": {"annual_gwh": 1},
            }
        },
    }
    for spec in SPECS:
        tag = _type_string(spec)
        with pytest.raises(ValidationError) as error:
            Scenario.model_validate({**base, "units": [{"name": "u", "type": tag}]})
        locations = {e["loc"][:3] for e in error.value.errors()}
        assert locations == {("units", 0, tag)}, (tag, locations)


def test_each_declared_reference_is_a_field_of_its_specs_and_names_a_known_kind():
    # scenario/references.py checks what the unit types declare; a misspelt key or kind would
    # otherwise fail only when a scenario has such a unit
    for unit_type in REGISTRY.values():
        for ref in unit_type.references:
            assert ref.to in references._TARGETS, (unit_type.name, ref)
            for spec in unit_type.specs:
                assert ref.key in spec.model_fields, (unit_type.name, ref)
        for need in unit_type.requires:
            assert need.section in Scenario.model_fields, (unit_type.name, need)
            assert need.message or need.section in references._SECTION_MESSAGES


@pytest.mark.slow  # a process started for it, importing restvarme ~30 times (tests/conftest.py)
def test_schema_base_and_unit_modules_import_on_their_own():
    # scenario.base imports neither the schema, the registry nor a unit; a unit module imports
    # neither the schema nor the registry, so each can be imported first, and the schema, which
    # imports the registry and through it every unit, too.
    modules = [f"restvarme.units.{name}" for name in REGISTRY]
    code = textwrap.dedent(
        f"""
        import importlib, sys

        def fresh(name):
            for loaded in [m for m in sys.modules if m.split(".")[0] == "restvarme"]:
                del sys.modules[loaded]
            importlib.import_module(name)
            return {{m for m in sys.modules if m.split(".")[0] == "restvarme"}}

        package = fresh("restvarme")  # restvarme/__init__.py: the api, errors, examples
        loaded = fresh("restvarme.scenario.base") - package
        assert loaded == {{"restvarme.scenario", "restvarme.scenario.base"}}, loaded
        for name in {modules!r}:
            loaded = fresh(name)
            assert "restvarme.scenario.schema" not in loaded, name
            assert "restvarme.units.registry" not in loaded, name
        for name in ("restvarme.scenario.schema", "restvarme.units.registry"):
            fresh(name)
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
