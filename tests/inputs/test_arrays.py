"""InputArrays: the inputs Dataset's variables, each read once (restvarme.inputs.arrays)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from restvarme.inputs.arrays import InputArrays


def _inputs() -> xr.Dataset:
    # two hours, two boilers: the shape of a tiny run's inputs
    return xr.Dataset(
        {
            "snapshot_weight_h": ("snapshot", np.ones(2), {"units": "h"}),
            "boiler_capacity_mw": ("boiler", [20.0, 6.0], {"units": "MW"}),
            "boiler_efficiency": ("boiler", [0.8, 0.9]),
        },
        coords={"snapshot": [0, 1], "boiler": ["gas_boiler", "gas_2"]},
    )


def test_reads_are_the_datasets_and_each_is_read_once():
    ds = _inputs()
    arrays = InputArrays(ds)
    first = arrays["boiler_capacity_mw"]
    assert first.identical(ds["boiler_capacity_mw"])  # values, coordinates, attributes, name
    assert arrays["boiler_capacity_mw"] is first  # the same object: read once
    assert float((arrays["boiler_capacity_mw"] / arrays["boiler_efficiency"]).sum()) == (
        pytest.approx(20 / 0.8 + 6 / 0.9)
    )
    assert arrays["boiler"].identical(ds["boiler"])  # coordinates too, as the Dataset
    assert "boiler_efficiency" in arrays and "boiler" in arrays and "chp_efficiency" not in arrays
    assert list(arrays) == list(ds.data_vars) and len(arrays) == 3


def test_a_missing_name_raises_the_datasets_key_error():
    with pytest.raises(KeyError, match="chp_efficiency"):
        InputArrays(_inputs())["chp_efficiency"]
