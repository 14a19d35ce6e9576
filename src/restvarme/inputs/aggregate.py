"""Time aggregation of inputs: fewer, longer snapshots for planning runs.

``coarsen_inputs(inputs, hours)`` merges each block of ``hours`` consecutive hours into one
snapshot weighted ``hours`` [h]: powers, prices, temperatures and COPs are averaged over the
block, and the snapshot stands for the block's energy. Storage levels then move ``hours`` times
the block's mean power per snapshot (see :mod:`restvarme.model.components.storage`). This is
the uniform down-sampling planners use to make multi-period capacity expansion tractable
(e.g. PyPSA-Eur's ``3h`` option); it smooths hourly peaks and price spikes inside each block, so
capacities are re-checked by an hourly dispatch of the chosen plan.
"""

from __future__ import annotations

import numpy as np
import xarray as xr


def coarsen_inputs(inputs: xr.Dataset, hours: int) -> xr.Dataset:
    """Inputs averaged over blocks of ``hours`` snapshots (the horizon must divide evenly).

    Boolean hourly flags (direct use possible) hold in a block when they hold in most of its
    hours; the averaged limits already carry the exact mean of what the block allows.
    """
    if hours == 1:
        return inputs
    n = inputs.sizes["snapshot"]
    if n % hours:
        raise ValueError(f"{n} hourly snapshots do not split into blocks of {hours} h")
    timed = [k for k, v in inputs.data_vars.items() if "snapshot" in v.dims]
    static = inputs.drop_dims("snapshot")
    blocks = inputs[timed].coarsen(snapshot=hours, boundary="exact", coord_func="min")
    means = blocks.mean(keep_attrs=True)
    for k in timed:
        if inputs[k].dtype == bool:
            means[k] = inputs[k].coarsen(snapshot=hours, coord_func="min").mean() > 0.5
    means["snapshot_weight_h"] = blocks.sum(keep_attrs=True)["snapshot_weight_h"]
    means["cost_weight"] = blocks.sum(keep_attrs=True)["cost_weight"]
    out = xr.merge([static, means], combine_attrs="override", join="exact")
    out.attrs["resolution_h"] = hours
    assert np.isclose(float(out["snapshot_weight_h"].sum()), float(inputs["snapshot_weight_h"].sum()))
    return out
