"""The PyPSA peer maps unit types through the registry: every registered type has a mapper or is
refused on purpose, and inputs holding a type without a mapper are refused by the type's name
(:mod:`restvarme_peers.pypsa_units`)."""

from __future__ import annotations

import pytest

from extras import require
from restvarme.inputs.build import build_inputs
from restvarme.model.capacity import MW, CapacityKind
from restvarme.units.registry import REGISTRY
from restvarme.units.unit_type import UnitType
from restvarme_peers import pypsa_network as peer
from restvarme_peers import pypsa_units
from tiny_scenarios import GAS_BOILER, make_scenario

require("pypsa")  # looked up, not imported: the tests import it (tests/extras.py)


def test_every_registered_type_is_mapped_or_refused_on_purpose():
    """A new unit module must be given a mapper or be listed in REFUSED with its reason; the
    tables name no type the registry does not have."""
    mapped, refused = set(pypsa_units.MAPPERS), set(pypsa_units.REFUSED)
    neither = [name for name in REGISTRY if name not in mapped | refused]
    assert not neither, f"unit types with no PyPSA mapper and not in REFUSED: {neither}"
    assert not mapped & refused
    assert mapped | refused <= set(REGISTRY)
    assert all(reason.strip() for reason in pypsa_units.REFUSED.values())  # each says why


def _boiler_inputs():
    return build_inputs(make_scenario(units=[GAS_BOILER]))


def _teleporter() -> UnitType:
    return UnitType(
        name="teleporter",
        specs=(),
        build=lambda m, inputs, terms: None,
        capacity=CapacityKind(MW),
        label="Teleporter",
        colour="#000000",
    )


def test_a_registered_type_without_a_mapper_is_refused_by_name(monkeypatch):
    """A unit module registered without a PyPSA mapper (faked here) cannot slip through: the
    translation stops before anything is built, naming the type."""
    inputs = _boiler_inputs().assign(teleporter_capacity_mw=("teleporter", [1.0]))
    monkeypatch.setitem(REGISTRY, "teleporter", _teleporter())
    with pytest.raises(
        ValueError,
        match=r"to_pypsa cannot translate unit type 'teleporter' to PyPSA: no mapper in "
        r"restvarme_peers\.pypsa_units\.MAPPERS",
    ):
        peer.to_pypsa(inputs)


def test_a_refused_type_gives_its_reason(monkeypatch):
    """Inputs holding a type listed in REFUSED (a registered type taken out of MAPPERS here) are
    refused with the reason REFUSED gives."""
    reason = "its equations have no PyPSA counterpart"
    monkeypatch.delitem(pypsa_units.MAPPERS, "boiler")
    monkeypatch.setitem(pypsa_units.REFUSED, "boiler", reason)
    with pytest.raises(ValueError, match=rf"unit type 'boiler' to PyPSA: {reason}\."):
        peer.to_pypsa(_boiler_inputs())


def test_types_absent_from_the_inputs_need_no_mapper(monkeypatch):
    """A registered type without a mapper does not stop inputs that hold none of its units."""
    monkeypatch.setitem(REGISTRY, "teleporter", _teleporter())
    n = peer.to_pypsa(_boiler_inputs())
    assert list(n.c["Generator"].static.index) == ["unserved main", "grid import", "gas_boiler"]


def test_types_are_mapped_in_the_registry_order(monkeypatch):
    """The mappers run in the registry's order, one call per type the inputs hold."""
    inputs = build_inputs(
        make_scenario(
            units=[
                GAS_BOILER,
                {"name": "e", "type": "electric_boiler", "sink": "main", "capacity_mw": 5.0},
                {
                    "name": "c",
                    "type": "chp",
                    "sink": "main",
                    "fuel": "gas",
                    "heat_capacity_mw": 4.0,
                    "efficiency_el": 0.35,
                    "efficiency_heat": 0.5,
                },
            ]
        )
    )
    called: list[str] = []
    for name in pypsa_units.MAPPERS:
        monkeypatch.setitem(pypsa_units.MAPPERS, name, lambda b, name=name: called.append(name))
    pypsa_units.map_units(peer._Builder(None, inputs))
    assert called == [name for name, t in REGISTRY.items() if t.present(inputs)]
    assert called == ["chp", "boiler", "electric_boiler"]  # the registry's order, not the list's
