"""restvarme._dataset: the Dataset xr.Dataset builds, without its alignment where that changes
nothing (the inputs and results of a run), and the DataArray xr.DataArray builds, from
coordinates built once (``labelled``)."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import restvarme
from restvarme._dataset import _variables_in_order, dataset, labelled, shared_coordinates
from restvarme.inputs.build import build_inputs


def _same_as_xarray(data: dict, attrs: dict | None = None) -> xr.Dataset:
    ours, theirs = dataset(data, attrs), xr.Dataset(data, attrs=attrs)
    xr.testing.assert_identical(ours, theirs)
    assert list(ours.variables) == list(theirs.variables)  # the order netCDF files are written in
    assert list(ours.coords) == list(theirs.coords)
    return ours


@pytest.mark.parametrize("pathway", [False, True])
def test_a_runs_inputs_and_results_take_the_fast_path_and_are_xarrays(scenario_factory, pathway):
    units = [
        {"name": "gas", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 20},
        {"name": "eb", "type": "electric_boiler", "sink": "main", "capacity_mw": 5},
    ]
    changes = {"pathway": {"periods": [{"year": 2026}, {"year": 2030}]}} if pathway else {}
    sf = scenario_factory(units=units, **changes)
    for ds in (build_inputs(sf), restvarme.run(sf)):
        data = {name: ds[name] for name in ds.data_vars}
        assert _variables_in_order(data) is not None  # shared coordinates: no alignment
        _same_as_xarray(data, dict(ds.attrs))
    # the results carry coordinates without an index (each unit's type beside `unit`)
    assert "unit_type" in ds.coords and "unit_type" not in ds.indexes


def test_arrays_that_need_aligning_go_through_xarray():
    a = xr.DataArray([1.0, 2.0], coords={"unit": ["x", "y"]})
    b = xr.DataArray([3.0, 4.0], coords={"unit": ["y", "x"]})  # the same units in another order
    c = xr.DataArray([5.0], coords={"unit": ["z"]})  # another unit: an outer join
    for data in ({"a": a, "b": b}, {"a": a, "c": c}):
        assert _variables_in_order(data) is None
        ds = _same_as_xarray(data)
    assert ds["a"].sel(unit="z").isnull() and ds["c"].sel(unit="z") == 5.0


def test_equal_indexes_of_another_dtype_are_aligned_as_xarray_aligns_them():
    # pandas calls Index([0, 1]) and Index([0.0, 1.0]) equal, and so does xarray's alignment
    a = xr.DataArray([1.0, 2.0], coords={"k": pd.Index([0, 1])})
    b = xr.DataArray([3.0, 4.0], coords={"k": pd.Index([0.0, 1.0])})
    _same_as_xarray({"a": a, "b": b})


def test_coordinates_without_an_index_are_merged_as_xarray_merges_them():
    a = xr.DataArray(
        [1.0, 2.0], dims="unit", coords={"unit": ["x", "y"], "kind": ("unit", ["p", "q"])}
    )
    same = a.copy(data=[3.0, 4.0])
    assert _variables_in_order({"a": a, "b": same}) is not None
    _same_as_xarray({"a": a, "b": same})
    scalar = a.assign_coords(period=2030)  # a coordinate on no dimension, kept as xarray does
    _same_as_xarray({"a": a, "s": scalar})
    _same_as_xarray({"s": scalar, "a": a})
    other = a.assign_coords(kind=("unit", ["p", "r"]))
    assert _variables_in_order({"a": a, "o": other}) is None
    with pytest.raises(xr.MergeError):
        xr.Dataset({"a": a, "o": other})
    with pytest.raises(xr.MergeError):
        dataset({"a": a, "o": other})


def test_plain_values_and_variables_go_through_xarray():
    data = {"a": ("unit", np.arange(2.0)), "b": xr.Variable("unit", [1, 2])}
    assert _variables_in_order(data) is None
    _same_as_xarray(data)


SNAPSHOTS = pd.date_range("2030-01-01", periods=6, freq="h")

LABELLED_CASES = {
    "floats with units": (np.arange(3.0), {"boiler": ["a", "b", "c"]}, {"units": "MW"}),
    "bools": ([True, False, True], {"boiler": ["a", "b", "c"]}, None),
    "text": (["gas", "biogas", "gas"], {"boiler": ["a", "b", "c"]}, None),
    "text with None": (["x", None, "z"], {"boiler": ["a", "b", "c"]}, None),
    "names as a tuple": ([1, 2, 3], {"boiler": ("a", "b", "c")}, None),
    "names as an array": (np.ones(2), {"unit": np.array(["p", "q"], dtype=object)}, None),
    "no units": (np.zeros(0), {"boiler": []}, {"units": "MW"}),
    "hourly": (np.ones(6), {"snapshot": SNAPSHOTS}, {"units": "h"}),
    "hourly per unit": (np.ones((6, 2)), {"snapshot": SNAPSHOTS, "hp": ["x", "y"]}, {"units": "-"}),
}


@pytest.mark.parametrize("scoped", [True, False], ids=["in a scope", "outside"])
@pytest.mark.parametrize("case", LABELLED_CASES)
def test_labelled_is_the_dataarray_xarray_builds(case, scoped):
    values, coords, attrs = LABELLED_CASES[case]
    plain = {d: list(a) if isinstance(a, tuple) else a for d, a in coords.items()}
    theirs = xr.DataArray(values, coords=plain, dims=tuple(coords), attrs=attrs)
    with shared_coordinates() if scoped else contextlib.nullcontext():
        for _ in range(2):  # built, then (in a scope) copied from the template
            ours = labelled(values, coords, attrs)
            xr.testing.assert_identical(ours, theirs)
            assert ours.dtype == theirs.dtype
            for dim in coords:
                assert ours.indexes[dim].dtype == theirs.indexes[dim].dtype
            ours.attrs["changed"] = True  # an array's attributes are its own, not the template's
    if isinstance(values, np.ndarray) and values.size:
        assert np.shares_memory(ours.values, values)  # not copied, as xr.DataArray does not


def test_labelled_knows_an_index_by_the_object_and_names_by_their_values():
    with shared_coordinates():
        first = labelled(np.zeros(6), {"snapshot": SNAPSHOTS})
        later = pd.date_range("2031-01-01", periods=6, freq="h")  # another index, same length
        second = labelled(np.zeros(6), {"snapshot": later})
        assert first.indexes["snapshot"].equals(SNAPSHOTS)
        assert second.indexes["snapshot"].equals(later)
        names = ["a", "b"]
        renamed = labelled(np.zeros(2), {"boiler": ["a", "c"]})
        assert list(labelled(np.zeros(2), {"boiler": names}).indexes["boiler"]) == names
        assert list(renamed.indexes["boiler"]) == ["a", "c"]


def test_labelled_shares_coordinates_within_a_scope_only():
    # a pandas index is mutable: a name set on a table made from one run's array must not show
    # in the next run's arrays
    with shared_coordinates():
        first = labelled(np.zeros(2), {"boiler": ["a", "b"]})
        again = labelled(np.ones(2), {"boiler": ["a", "b"]})
        assert again.indexes["boiler"] is first.indexes["boiler"]  # one index, as in a Dataset
    table = first.to_series()
    table.index.name = "renamed by a report"
    with shared_coordinates():
        later = labelled(np.zeros(2), {"boiler": ["a", "b"]})
    assert later.indexes["boiler"] is not first.indexes["boiler"]
    assert later.to_series().index.name == "boiler"
    assert labelled(np.zeros(2), {"boiler": ["a", "b"]}).to_series().index.name == "boiler"


def test_a_runs_inputs_and_results_are_built_in_scopes_of_their_own(scenario_factory):
    sf = scenario_factory(
        units=[{"name": "gas", "type": "boiler", "fuel": "gas", "sink": "main", "capacity_mw": 9}]
    )
    first, second = restvarme.run(sf), restvarme.run(sf)
    for name in ("unit", "cost_item", "emission_source"):
        assert first.indexes[name] is not second.indexes[name]
    a, b = build_inputs(sf), build_inputs(sf)
    assert a.indexes["boiler"] is not b.indexes["boiler"]


def test_get_is_datasets_get_without_the_search_for_close_names(monkeypatch):
    import difflib

    from restvarme._dataset import get

    ds = xr.Dataset({"heat_mw": ("snapshot", np.arange(3.0))})
    xr.testing.assert_identical(get(ds, "heat_mw"), ds.get("heat_mw"))
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: pytest.fail("searched"))
    assert get(ds, "cooling_mw") is None
    assert get(ds, "cooling_mw", 1.0) == 1.0
