"""Time aggregation of inputs: fewer, longer snapshots for planning runs.

``coarsen_inputs(inputs, hours)`` merges each block of ``hours`` consecutive hours into one
snapshot weighted ``hours`` [h]: powers, prices, temperatures and COPs are averaged over the
block, and the snapshot stands for the block's energy. Storage levels then move ``hours`` times
the block's mean power per snapshot (see :mod:`restvarme.units._store`). This is
the uniform down-sampling planners use to make multi-period capacity expansion tractable
(e.g. PyPSA-Eur's ``3h`` option); it smooths hourly peaks and price spikes inside each block, so
capacities are re-checked by an hourly dispatch of the chosen plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

if TYPE_CHECKING:
    from restvarme.scenario.schema import Horizon

from restvarme.units.registry import REGISTRY


def aggregate_inputs(inputs: xr.Dataset, horizon: Horizon) -> xr.Dataset:
    """Apply the scenario's time aggregation (``horizon.resolution_h`` or ``typical_days``)."""
    if horizon.typical_days is not None:
        return typical_days(inputs, horizon.typical_days)
    return coarsen_inputs(inputs, horizon.resolution_h)


def _finite_limits(inputs: xr.Dataset) -> xr.Dataset:
    """Every unit type's hourly limits made finite where unlimited, as its
    :attr:`~restvarme.units.unit_type.UnitType.finite_limits` gives them (a heat exchanger's:
    capped at its source's availability), so that a block's mean is the mean of what the block
    allows."""
    out = inputs
    for unit_type in REGISTRY.values():
        if unit_type.finite_limits is None or not unit_type.present(inputs):
            continue
        out = out.copy() if out is inputs else out
        for name, value in unit_type.finite_limits(inputs).items():
            out[name] = value
    return out


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
    inputs = _finite_limits(inputs)
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
    assert np.isclose(
        float(out["snapshot_weight_h"].sum()), float(inputs["snapshot_weight_h"].sum())
    )
    return out


def _timed_frame(inputs: xr.Dataset) -> pd.DataFrame:
    """Every hourly numeric input as a column (first period of a pathway), constant ones left
    out: what the clustering compares days by."""
    x = inputs.isel(period=0) if "period" in inputs.dims else inputs
    columns = {}
    for name, var in x.data_vars.items():
        if "snapshot" not in var.dims or var.dtype.kind != "f" or name in _WEIGHTS:
            continue
        values = var.transpose("snapshot", ...).values.reshape(var.sizes["snapshot"], -1)
        for j in range(values.shape[1]):
            column = values[:, j]
            if np.isfinite(column).all() and np.std(column) > 0:
                columns[f"{name}|{j}"] = column
    return pd.DataFrame(columns, index=np.arange(x.sizes["snapshot"]))


_WEIGHTS = ("snapshot_weight_h", "cost_weight", "snapshot_duration_h")


def typical_days(inputs: xr.Dataset, n_days: int) -> xr.Dataset:
    """Inputs on ``n_days`` typical days chosen by tsam, with the year's sequence of days kept.

    Days are clustered (hierarchical, medoid representation: each typical day is a real day,
    so every input of it stays consistent) on all hourly inputs of the first period. The result
    holds the hours of the medoid days; each hour's weight is the number of days its cluster
    stands for. ``day_cluster`` [-] gives, for every real day, its typical day, so stores can be
    linked across the year (Kotzur et al. 2018, see :mod:`restvarme.units._store`).

    References
    ----------
    Kotzur, Markewitz, Robinius & Stolten (2018), Time series aggregation for energy system
    design: Modeling seasonal storage, Applied Energy 213, 123-135,
    doi:10.1016/j.apenergy.2018.01.023. Hoffmann et al., tsam (Time Series Aggregation Module).
    """
    import tsam

    hours = inputs.sizes["snapshot"]
    days = hours // 24
    frame = _timed_frame(inputs)
    frame.index = pd.date_range("2001-01-01", periods=hours, freq="h")
    result = tsam.aggregate(
        frame,
        n_days,
        period_duration=24,
        cluster=tsam.ClusterConfig(method="hierarchical", representation="medoid"),
        preserve_column_means=False,
    )
    assignment = np.asarray(result.cluster_assignments, dtype=int)
    daily = frame.to_numpy().reshape(days, 24, -1)
    medoids = []
    for cluster in range(n_days):
        members = np.flatnonzero(assignment == cluster)
        centre = daily[members].mean(axis=0)
        medoids.append(int(members[np.argmin(((daily[members] - centre) ** 2).sum(axis=(1, 2)))]))
    picked = np.concatenate([np.arange(d * 24, d * 24 + 24) for d in medoids])
    out = inputs.isel(snapshot=picked)
    counts = np.bincount(assignment, minlength=n_days).astype(float)
    weight = xr.DataArray(
        np.repeat(counts, 24), dims="snapshot", coords={"snapshot": out["snapshot"]}
    )
    out["snapshot_weight_h"] = (out["snapshot_weight_h"] * weight).assign_attrs(units="h")
    out["cost_weight"] = (out["cost_weight"] * weight).assign_attrs(out["cost_weight"].attrs)
    out["snapshot_duration_h"] = xr.DataArray(
        np.ones(len(picked)),
        dims="snapshot",
        coords={"snapshot": out["snapshot"]},
        attrs={"units": "h"},
    )
    out["snapshot_cluster"] = xr.DataArray(
        np.repeat(np.arange(n_days), 24), dims="snapshot", coords={"snapshot": out["snapshot"]}
    )
    out["snapshot_hour"] = xr.DataArray(
        np.tile(np.arange(24), n_days), dims="snapshot", coords={"snapshot": out["snapshot"]}
    )
    out["day_cluster"] = xr.DataArray(assignment, dims="day", coords={"day": np.arange(days)})
    out["cluster_medoid_day"] = xr.DataArray(np.asarray(medoids), dims="cluster")
    out.attrs["typical_days"] = n_days
    return out
