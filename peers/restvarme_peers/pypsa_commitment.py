"""Unit commitment in the PyPSA peer: restvarme's ``commitment`` blocks as PyPSA's committable
Generators (boilers) and Links (back-pressure CHPs, heat pumps).

restvarme (:mod:`restvarme.units._commitment`) bounds a committed unit's load L by its status
s: p·C·s <= L <= C·s, with starts y and stops z, minimum up and down times in hours and an
initial state held for the hours it has left. PyPSA's committable components state the same
on their p (a Generator's output, a Link's p0) with ``p_min_pu``, ``p_max_pu``,
``start_up_cost``, ``min_up_time`` and ``min_down_time`` (in snapshots) and ``up_time_before``
/ ``down_time_before``:

* boiler (Generator, p = heat, p_nom = C): ``p_min_pu`` = p;
* back-pressure CHP (Link, p0 = fuel, p_nom = fuel capacity): ``p_min_pu`` = p, as restvarme
  bounds a CHP's fuel;
* heat pump (Link, p0 = electricity = heat / COP, p_nom = heat capacity, ``p_max_pu`` =
  1/COP): ``p_min_pu[t]`` = p / COP[t], so that heat >= p·C while on.

Times in snapshots are the hours over the snapshot weight, rounded up (restvarme counts the
snapshots that began less than the time before); a unit on (off) "long enough" before the start
gets ``up_time_before`` (``down_time_before``) of its minimum time. Extraction CHPs with a
``commitment`` block are refused (their two-Link recipe has no one status to commit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr


def commitment_attrs(
    x: xr.Dataset, dim: str, names: list[str], index: pd.Index, per_pu: xr.DataArray | None = None
) -> dict:
    """The committable attributes of the units ``names`` of ``dim`` (none if the inputs hold no
    commitment for the type); ``per_pu`` scales ``p_min_pu`` per snapshot (a heat pump's 1/COP)."""
    if f"{dim}_committed" not in x or not bool(x[f"{dim}_committed"].any()):
        return {}
    sub = x.sel({dim: names})
    w = float(x["snapshot_weight_h"].max())
    if not np.allclose(x["snapshot_weight_h"], w):
        raise ValueError(
            "to_pypsa maps unit commitment on uniform snapshots only (its times are in snapshots)"
        )

    def snapshots(key: str) -> np.ndarray:
        return np.ceil(sub[key].to_numpy() / w - 1e-9).astype(int)

    up, down = snapshots(f"{dim}_min_up_time_h"), snapshots(f"{dim}_min_down_time_h")
    on = sub[f"{dim}_initial_on"].to_numpy().astype(bool)
    held = sub[f"{dim}_initial_hours_h"].to_numpy() / w
    up_before = np.where(on, np.where(np.isfinite(held), held, np.maximum(up, 1)), 0)
    down_before = np.where(~on, np.where(np.isfinite(held), held, np.maximum(down, 1)), 0)
    least = sub[f"{dim}_min_load_share"]
    if per_pu is not None:
        p_min: pd.DataFrame | np.ndarray = pd.DataFrame(
            (least * per_pu.sel({dim: names})).transpose("snapshot", dim).to_numpy(),
            index=index,
            columns=names,
        )
    else:
        p_min = least.to_numpy().astype(float)
    return {
        "committable": sub[f"{dim}_committed"].to_numpy().astype(bool),
        "p_min_pu": p_min,
        "start_up_cost": sub[f"{dim}_startup_cost_eur"].to_numpy().astype(float),
        "min_up_time": up,
        "min_down_time": down,
        "up_time_before": np.round(up_before).astype(int),
        "down_time_before": np.round(down_before).astype(int),
    }


def refuse_extraction_commitment(x: xr.Dataset) -> None:
    """Refuse extraction CHPs with a ``commitment`` block, by name (module docstring)."""
    if "chp_committed" not in x:
        return
    bad = x["chp_committed"] & ~x["chp_back_pressure"]
    if bool(bad.any()):
        names = ", ".join(str(n) for n in x["chp"].values[bad.to_numpy()])
        raise ValueError(
            f"to_pypsa does not map unit commitment on extraction CHPs ({names}): PyPSA's "
            "two-Link recipe has no single status to commit; cross-check them without "
            "`commitment` or as back_pressure"
        )
