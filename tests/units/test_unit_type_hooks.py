"""The input hooks a unit type may declare (``finite_limits``, ``capacity_limits``): the heat
exchanger's, against hand calculations, and the callers (time aggregation, myopic runs) calling
them for any registered type that declares them, without naming one."""

from __future__ import annotations

import numpy as np
import xarray as xr

from restvarme.inputs.aggregate import coarsen_inputs
from restvarme.model.capacity import MW, CapacityKind
from restvarme.myopic import _with_carried
from restvarme.units import heat_exchanger
from restvarme.units.registry import REGISTRY
from restvarme.units.unit_type import UnitType

INF = np.inf


def _exchanger_inputs() -> xr.Dataset:
    """Two hours, one source offering 50 then 30 MW, two exchangers on it: ``hx_direct``
    (direct use in hour 0: unlimited; preheat limit 20 MW in hour 1) and ``hx_pre`` (preheat
    limits 60 and 10 MW); capacities 40 and 25 MW."""
    hx = ["hx_direct", "hx_pre"]
    limit = np.array([[INF, 60.0], [20.0, 10.0]])
    capacity = np.array([40.0, 25.0])
    return xr.Dataset(
        {
            "waste_heat_available_mw": (("snapshot", "waste_source"), [[50.0], [30.0]]),
            "heat_exchanger_source": ("heat_exchanger", ["w", "w"]),
            "heat_exchanger_temperature_limit_mw": (("snapshot", "heat_exchanger"), limit),
            "heat_exchanger_max_mw": (("snapshot", "heat_exchanger"), np.minimum(limit, capacity)),
            "heat_exchanger_capacity_mw": ("heat_exchanger", capacity),
        },
        coords={"snapshot": [0, 1], "waste_source": ["w"], "heat_exchanger": hx},
    )


def test_heat_exchanger_limits_are_made_finite_with_what_the_source_offers():
    # temperature limit: the direct-use hour's inf becomes the offer, 50; the preheat limits
    # (60, 20, 10 MW) stay, 60 above the offer included: a preheat limit is the network's
    # cascade right-hand side, shared by exchangers of any source (heat_exchanger.finite_limits)
    # hourly max (min(limit, capacity) = [[40, 25], [20, 10]]) capped at 50 and 30: unchanged
    out = heat_exchanger.finite_limits(_exchanger_inputs())
    np.testing.assert_array_equal(
        out["heat_exchanger_temperature_limit_mw"].values, [[50, 60], [20, 10]]
    )
    np.testing.assert_array_equal(out["heat_exchanger_max_mw"].values, [[40, 25], [20, 10]])


def test_heat_exchanger_max_follows_the_capacity_as_it_stands():
    # capacities grown to 45 and 55 MW (built in an earlier period):
    # max = min(limit, capacity) = [[min(inf, 45), min(60, 55)], [min(20, 45), min(10, 55)]]
    x = _exchanger_inputs()
    x["heat_exchanger_capacity_mw"] = ("heat_exchanger", [45.0, 55.0])
    out = heat_exchanger.capacity_limits(x)
    np.testing.assert_array_equal(out["heat_exchanger_max_mw"].values, [[45, 55], [20, 10]])


def test_the_heat_exchanger_declares_both_hooks():
    unit = REGISTRY["heat_exchanger"]
    assert unit.finite_limits is heat_exchanger.finite_limits
    assert unit.capacity_limits is heat_exchanger.capacity_limits


def _gadget(**hooks) -> UnitType:
    return UnitType(
        name="gadget",
        specs=(),
        build=lambda m, inputs, terms: None,
        capacity=CapacityKind(MW),
        label="Gadget",
        colour="#000000",
        **hooks,
    )


def test_time_aggregation_calls_any_type_declaring_finite_limits(monkeypatch):
    # the gadget's limit is unlimited in hours 0 and 2; its hook caps it at 30 MW, so the
    # 2-hour blocks average (30 + 10)/2 = 20 MW, not infinity
    monkeypatch.setitem(
        REGISTRY,
        "gadget",
        _gadget(finite_limits=lambda x: {"gadget_limit_mw": x["gadget_limit_mw"].clip(max=30.0)}),
    )
    inputs = xr.Dataset(
        {
            "snapshot_weight_h": ("snapshot", np.ones(4)),
            "cost_weight": ("snapshot", np.ones(4)),
            "gadget_limit_mw": (("snapshot", "gadget"), [[INF], [10.0], [INF], [10.0]]),
        },
        coords={"snapshot": np.arange(4), "gadget": ["g"]},
    )
    out = coarsen_inputs(inputs, 2)
    np.testing.assert_array_equal(out["gadget_limit_mw"].values, [[20], [20]])
    assert np.isinf(inputs["gadget_limit_mw"]).sum() == 2  # the caller's inputs are kept


def test_myopic_periods_call_any_type_declaring_capacity_limits(monkeypatch):
    # the gadget's limit is twice its capacity: 2 * 7 = 14 MW
    monkeypatch.setitem(
        REGISTRY,
        "gadget",
        _gadget(capacity_limits=lambda x: {"gadget_limit_mw": 2 * x["gadget_capacity_mw"]}),
    )
    x = xr.Dataset(
        {
            "gadget_capacity_mw": (("period", "gadget"), [[7.0]]),
            "gadget_limit_mw": (("period", "gadget"), [[0.0]]),
        },
        coords={"period": [2030], "gadget": ["g"]},
    )
    out = _with_carried(x, {})
    np.testing.assert_array_equal(out["gadget_limit_mw"].values, [[14]])
