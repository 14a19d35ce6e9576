"""Inputs of capacity groups and electricity connections (:mod:`restvarme.scenario.groups`).

Called from :func:`restvarme.inputs.build.build_inputs`; a scenario without groups (or without
connections) gets none of these inputs, so its model is built exactly as before.

Capacity groups, on dimension ``capacity_group``:

* ``capacity_group_capacity_mw`` [MW], the existing shared capacity;
* ``capacity_group_member`` (capacity_group, unit), whether a unit is in the group;
* ``capacity_group_output`` (capacity_group), True for ``direction: output``;
* ``capacity_group_carrier`` (capacity_group), the one carrier limited, "" for all of the
  direction's;
* the expansion parameters a unit type has (``capacity_group_extendable``, ``_new_min``,
  ``_new_max``, ``_capacity_cost_eur_per_year``, ``_lifetime_years``, ``_build_from_year``),
  built by the same function as the units' (:func:`restvarme.inputs.build._expansion`).

Connections, on dimension ``connection``: ``connection_fee_eur_per_mwh``,
``connection_peak_fee_eur_per_mw_year``, ``connection_import_capacity_mw`` and
``connection_export_capacity_mw`` [MW] (inf: no limit; 0 when ``export_allowed`` is false),
``connection_gross`` (True for ``emission_rule: gross``) and ``connection_member``
(connection, unit).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.scenario import schema as s


def _member(names: list[str], units: list[str], dim: str, lists: list[list[str]]) -> xr.DataArray:
    """(dim, unit) True where a unit is listed."""
    values = np.array([[u in listed for u in units] for listed in lists], dtype=bool)
    return xr.DataArray(values.reshape(len(names), len(units)), dims=(dim, "unit"))


def group_inputs(sc: s.Scenario) -> dict[str, xr.DataArray]:
    """The capacity groups' inputs (see the module docstring); empty without groups."""
    from restvarme.inputs.build import _expansion
    from restvarme.model.capacity import MW, CapacityKind

    if not sc.capacity_groups:
        return {}
    dim, names = "capacity_group", list(sc.capacity_groups)
    specs = list(sc.capacity_groups.values())
    coords = {dim: names}
    units = [u.name for u in sc.units]

    class _Named:  # what _expansion reads of a unit: its name and expansion
        def __init__(self, name: str, spec: s.CapacityGroup) -> None:
            self.name, self.expansion = name, spec.expansion

    out = {
        "capacity_group_capacity_mw": xr.DataArray(
            [g.capacity_mw for g in specs], coords, attrs={"units": "MW"}
        ),
        "capacity_group_member": _member(names, units, dim, [g.units for g in specs]).assign_coords(
            coords
        ),
        "capacity_group_output": xr.DataArray([g.direction == "output" for g in specs], coords),
        "capacity_group_carrier": xr.DataArray([g.carrier or "" for g in specs], coords),
    }
    kind = CapacityKind(MW)
    out.update(_expansion(sc, [_Named(n, g) for n, g in zip(names, specs, strict=True)], dim, kind))
    return out


def connection_inputs(sc: s.Scenario) -> dict[str, xr.DataArray]:
    """The electricity connections' inputs (see the module docstring); empty without any."""
    conns = sc.electricity.connections
    if not conns:
        return {}
    dim, names = "connection", list(conns)
    specs = list(conns.values())
    coords = {dim: names}

    def limit(value: float | None, allowed: bool = True) -> float:
        return 0.0 if not allowed else (np.inf if value is None else value)

    export = sc.electricity.export_allowed
    return {
        "connection_fee_eur_per_mwh": xr.DataArray(
            [c.fee_eur_per_mwh for c in specs], coords, attrs={"units": "EUR/MWh"}
        ),
        "connection_peak_fee_eur_per_mw_year": xr.DataArray(
            [c.peak_fee_eur_per_mw for c in specs], coords, attrs={"units": "EUR/MW/yr"}
        ),
        "connection_import_capacity_mw": xr.DataArray(
            [limit(c.import_capacity_mw) for c in specs], coords, attrs={"units": "MW"}
        ),
        "connection_export_capacity_mw": xr.DataArray(
            [limit(c.export_capacity_mw, export) for c in specs], coords, attrs={"units": "MW"}
        ),
        "connection_gross": xr.DataArray([c.emission_rule == "gross" for c in specs], coords),
        "connection_member": _member(
            names, [u.name for u in sc.units], dim, [c.units for c in specs]
        ).assign_coords(coords),
    }
