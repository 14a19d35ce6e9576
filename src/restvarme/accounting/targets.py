"""Neutrality tracking: emissions per period against the trajectory to a target year.

Pathway runs (several investment periods, e.g. 2026, 2028, 2030) give emissions per period.
Everything here works on one table of them alone, so it can be tested on hand-made data and used
with any source of per-period emissions.

The **emissions table** (long format, one row per period, unit and fuel) has the columns

===============  ===========================================================================
``period``       the period's year (int), e.g. 2030
``unit``         the emitting unit, or ``grid`` for imported electricity not placed on a unit
``fuel``         the fuel burnt, or ``electricity``
``emissions_t``  emissions of that unit and fuel in that period's year [t CO2e/yr]
===============  ===========================================================================

:func:`emissions_table` builds the table from a run's results: one block of rows for a one-year
run, one block per period for a pathway run (results with a ``period`` dimension). The
trajectory is a straight line from a baseline to the target (:func:`linear_trajectory_t`), or any
mapping year -> allowed emissions.

A city that is "climate-neutral by 2030" (Lund, EU Mission city) must bring its emissions to the
target level; what remains in the target year is **residual** and must be balanced by removals
or offsets (:func:`residual_emissions`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from restvarme._dataset import get
from restvarme.accounting.emissions import (
    Perspective,
    accounting_perspective,
    electricity_factor_t_per_mwh,
    fuel_emissions_t,
)

__all__ = [
    "COLUMNS",
    "emission_shares",
    "emissions_table",
    "linear_trajectory_t",
    "neutrality_table",
    "residual_emissions",
]

COLUMNS = ("period", "unit", "fuel", "emissions_t")
"""Columns of an emissions table."""


def _check(emissions: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in emissions.columns]
    if missing:
        raise ValueError(
            f"the emissions table lacks column(s) {missing}; expected {list(COLUMNS)} "
            "(see restvarme.accounting.targets)."
        )
    return emissions


def emissions_table(
    ds: xr.Dataset, period: int | None = None, perspective: Perspective | None = None
) -> pd.DataFrame:
    """The emissions table of a run's results [t CO2e per year].

    Fuel emissions go to the unit that burns the fuel. Imported electricity (import * factor)
    is placed on the units that use electricity in each hour, in proportion to their use; what
    no unit uses is left on ``grid``. With the accounting perspective and the run's own factor the
    rows add up to ``ds["emissions_t"]`` scaled to a year (a horizon of h hours counts 8760/h).

    Parameters
    ----------
    ds : results Dataset of a one-year run, or of a pathway run (one block of rows per period)
    period : the period's year for a one-year run; default ``ds.attrs["year"]``
    perspective : the electricity factor to use (default: accounting, the run's own factor)
    """
    if "period" in ds.dims:
        return pd.concat(
            [_period_rows(ds.sel(period=p), int(p), perspective) for p in ds["period"].values],
            ignore_index=True,
        )
    return _period_rows(ds, int(ds.attrs.get("year", 0) if period is None else period), perspective)


def _period_rows(ds: xr.Dataset, period: int, perspective: Perspective | None) -> pd.DataFrame:
    perspective = perspective or accounting_perspective()
    w = ds["snapshot_weight_h"]
    scale = 8760.0 / float(w.sum())
    rows = []
    fuel_t = fuel_emissions_t(ds).sum("snapshot")
    for unit, fuel, value in zip(
        ds["unit"].values, ds["unit_fuel"].values, fuel_t.values, strict=True
    ):
        if fuel:
            rows.append((period, str(unit), str(fuel), float(value) * scale))
    factor = electricity_factor_t_per_mwh(ds, perspective.electricity_factor_t_per_mwh)
    # by each connection's emission rule where the run has connections (restvarme.model.connections)
    imported = get(ds, "grid_emission_basis_mw", ds["grid_import_mw"]) * factor * w
    use = (-ds["electricity_mw"]).clip(min=0)
    total_use = use.sum("unit")
    share = (use / total_use.where(total_use > 0, 1.0)).where(total_use > 0, 0.0)
    placed = (share * imported).sum("snapshot")
    for unit, value in zip(ds["unit"].values, placed.values, strict=True):
        if value:
            rows.append((period, str(unit), "electricity", float(value) * scale))
    rest = float(imported.sum()) - float(placed.sum())
    if abs(rest) > 1e-9:
        rows.append((period, "grid", "electricity", rest * scale))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def linear_trajectory_t(
    periods: Sequence[int],
    *,
    baseline_year: int,
    baseline_t: float,
    target_year: int,
    target_t: float = 0.0,
) -> pd.Series:
    r"""Allowed emissions per period on a straight line to the target [t CO2e/yr].

    .. math:: E(y) = E_0 + (E_T - E_0)\,\frac{y - y_0}{y_T - y_0}

    held at :math:`E_0` before the baseline year and at :math:`E_T` after the target year.
    """
    if target_year <= baseline_year:
        raise ValueError(
            f"target_year {target_year} must come after baseline_year {baseline_year}."
        )
    years = np.asarray(periods, dtype=float)
    progress = np.clip((years - baseline_year) / (target_year - baseline_year), 0.0, 1.0)
    values = baseline_t + (target_t - baseline_t) * progress
    return pd.Series(values, index=pd.Index(list(periods), name="period"), name="trajectory_t")


def neutrality_table(
    emissions: pd.DataFrame,
    trajectory_t: Mapping[int, float] | pd.Series,
    *,
    baseline_t: float | None = None,
    removals_t: Mapping[int, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Emissions per period against the trajectory, and the gap [t CO2e/yr].

    Columns: ``emissions_t`` (sum of the table), ``removals_t`` (given removals or offsets,
    default 0), ``net_t`` (= emissions - removals), ``trajectory_t``, ``gap_t``
    (= net - trajectory; positive: above the path), ``on_track`` (gap <= 0),
    ``reduction_vs_baseline`` (1 - net/baseline, if a baseline is given), and the largest
    source ``largest_unit`` / ``largest_unit_share``.

    Parameters
    ----------
    emissions : the emissions table (module docstring)
    trajectory_t : allowed emissions per period, e.g. :func:`linear_trajectory_t`
    baseline_t : the baseline emissions, for the reduction column
    removals_t : removals or offsets per period [t CO2e/yr], subtracted to give net emissions
    """
    table = _check(emissions)
    total = table.groupby("period")["emissions_t"].sum()
    out = pd.DataFrame({"emissions_t": total})
    out["removals_t"] = (
        pd.Series(removals_t if removals_t is not None else {}, dtype=float)
        .reindex(out.index)
        .fillna(0.0)
    )
    out["net_t"] = out["emissions_t"] - out["removals_t"]
    path = pd.Series(trajectory_t, dtype=float)
    missing = sorted(set(out.index) - set(path.index))
    if missing:
        raise ValueError(
            f"the trajectory has no value for period(s) {missing}; give one per period."
        )
    out["trajectory_t"] = path.reindex(out.index)
    out["gap_t"] = out["net_t"] - out["trajectory_t"]
    out["on_track"] = out["gap_t"] <= 1e-9
    if baseline_t:
        out["reduction_vs_baseline"] = 1.0 - out["net_t"] / baseline_t
    by_unit = table.groupby(["period", "unit"])["emissions_t"].sum()
    largest = by_unit.groupby(level="period").idxmax().map(lambda key: key[1])
    out["largest_unit"] = largest
    out["largest_unit_share"] = by_unit.groupby(level="period").max() / total.where(total != 0)
    out.index.name = "period"
    return out


def emission_shares(emissions: pd.DataFrame, by: str | Sequence[str] = "fuel") -> pd.DataFrame:
    """Share of each period's emissions by unit, fuel or both [-]: rows periods, columns sources.

    ``by`` is ``"unit"``, ``"fuel"`` or ``["unit", "fuel"]``. Shares of a period add up to one
    (a period with zero emissions gives NaN).
    """
    table = _check(emissions)
    keys = [by] if isinstance(by, str) else list(by)
    pivot = table.pivot_table(
        index="period", columns=keys, values="emissions_t", aggfunc="sum", fill_value=0.0
    )
    totals = pivot.sum(axis=1)
    return pivot.div(totals.where(totals != 0), axis=0)


def residual_emissions(
    emissions: pd.DataFrame, target_year: int, *, by: str | Sequence[str] = ("unit", "fuel")
) -> pd.DataFrame:
    """What is still emitted in the target year (or the last period before it) [t CO2e/yr].

    These residual emissions must be balanced by removals or offsets to claim neutrality. Rows
    by ``by``, largest first, with ``emissions_t`` and ``share``. Raises if no period reaches
    back to the target year.
    """
    table = _check(emissions)
    eligible = sorted(p for p in table["period"].unique() if p <= target_year)
    if not eligible:
        raise ValueError(
            f"no period at or before the target year {target_year}; periods are "
            f"{sorted(table['period'].unique())}."
        )
    period = eligible[-1]
    keys = [by] if isinstance(by, str) else list(by)
    rows = table[table["period"] == period].groupby(keys)["emissions_t"].sum()
    rows = rows[rows != 0].sort_values(ascending=False)
    total = rows.sum()
    out = pd.DataFrame({"emissions_t": rows, "share": rows / total if total else np.nan})
    out.attrs["period"] = int(period)
    return out
