"""The summary tables' numpy paths against xarray's operations, bit for bit, on a tiny run.

``accounting.costs._unit_items_in_numpy`` and ``accounting.sectors._units_and_grid_in_numpy``
run the same numpy operations as the xarray code beside them, on arrays laid out as xarray lays
them out, so the tables must be the same to the last bit (not approximately); with the fast
paths switched off (as for results they do not apply to) the xarray code gives the tables.

Set-up (tests/tiny_scenarios.py BASE): 4 hours, network "main" with 10 MW demand, electricity at
40 EUR/MWh and 0.1 t/MWh, a carbon price of 50 EUR/t; a gas boiler (80 %, gas at 20 EUR/MWh and
0.2 t/MWh: 25 + 0.25 * 50 = 37.5 EUR/MWh of heat) and an electric boiler (40 + 0.1 * 50 =
45 EUR/MWh of heat), electric buses (0.3 MW overnight) and diesel buses (0.2 MW of diesel).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import restvarme
from restvarme.accounting import costs, sectors
from restvarme.accounting.costs import cost_by_sector, cost_by_unit
from restvarme.accounting.sectors import emissions_by_sector
from tiny_scenarios import D_BUSES, E_BOILER, E_BUSES, GAS_BOILER


@pytest.fixture
def run(scenario_factory):
    return restvarme.run(
        scenario_factory(
            electricity={
                "price_eur_per_mwh": 40.0,
                "export_allowed": False,
                "emission_t_per_mwh": 0.1,
            },
            carbon_price_eur_per_t=50.0,
            fuels={
                "gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2},
                "diesel": {"price_eur_per_mwh": 100, "emission_t_per_mwh": 0.267},
            },
            fleets={"e_buses": E_BUSES, "d_buses": D_BUSES},
            units=[GAS_BOILER, E_BOILER],
        )
    )


def _same_bits(a: pd.DataFrame | pd.Series, b: pd.DataFrame | pd.Series) -> None:
    a, b = pd.DataFrame(a), pd.DataFrame(b)
    assert a.index.equals(b.index) and a.columns.equals(b.columns)
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), column
        else:
            assert (x == y).all(), column


def test_numpy_paths_give_xarrays_tables_bit_for_bit(run, monkeypatch):
    # By hand: the gas boiler makes all the heat, 10 MW * 4 h = 40 MWh from 50 MWh of gas:
    # 50 * 20 = 1000 EUR of gas, 50 * 0.2 = 10 t CO2 and 10 * 50 = 500 EUR of carbon. The grid
    # serves the e-buses only: 0.3 MW * 4 h = 1.2 MWh, 48 EUR and 0.12 t (6 EUR of carbon).
    assert costs._unit_items_in_numpy(run) is not None
    assert sectors._units_and_grid_in_numpy(run) is not None
    fast = {
        "units": cost_by_unit(run),
        "cost_sectors": cost_by_sector(run),
        "emission_sectors": emissions_by_sector(run),
    }
    assert fast["units"].loc["gas_boiler", "fuel"] == pytest.approx(1000.0)
    assert fast["units"].loc["gas_boiler", "carbon"] == pytest.approx(500.0)
    assert fast["units"].loc["e_boiler", "total"] == pytest.approx(0.0, abs=1e-9)
    assert fast["units"].loc["fleet:e_buses", "electricity_purchase"] == pytest.approx(48.0)
    assert fast["cost_sectors"]["heat"] == pytest.approx(1500.0)
    assert fast["emission_sectors"].loc["heat", "emissions_t"] == pytest.approx(10.0)
    # transport: 0.12 t of grid electricity and 0.8 MWh of diesel * 0.267 = 0.2136 t
    assert fast["emission_sectors"].loc["transport", "emissions_t"] == pytest.approx(0.3336)

    monkeypatch.setattr(costs, "_unit_items_in_numpy", lambda ds: None)
    monkeypatch.setattr(sectors, "_units_and_grid_in_numpy", lambda ds: None)
    _same_bits(fast["units"], cost_by_unit(run))
    _same_bits(fast["cost_sectors"], cost_by_sector(run))
    _same_bits(fast["emission_sectors"], emissions_by_sector(run))


def test_numpy_paths_step_aside_for_results_laid_out_otherwise(run):
    # flows on (unit, snapshot) instead of (snapshot, unit): xarray's operations run
    turned = run.transpose("unit", "snapshot", ...)
    assert costs._unit_items_in_numpy(turned) is None
    assert sectors._units_and_grid_in_numpy(turned) is None
    np.testing.assert_allclose(
        cost_by_unit(turned)["total"].to_numpy(), cost_by_unit(run)["total"].to_numpy(), rtol=1e-12
    )


def _laid_out(ds, order: str, hourly_prices: bool):
    """``ds`` with every array of two or more dimensions copied into memory order ``order``
    ("C": as read back from results.nc; "F": the hours contiguous, as collected in a run) and,
    if asked, the fuel prices varying by the hour (as the synthetic benchmark's do)."""
    if hourly_prices:
        factor = xr.DataArray(np.linspace(0.5, 1.5, ds.sizes["snapshot"]), dims="snapshot")
        price = (ds["fuel_price_eur_per_mwh"] * factor).transpose("snapshot", "fuel")
        ds = ds.assign(fuel_price_eur_per_mwh=price)
    out = ds.copy(deep=True)
    for name, var in ds.variables.items():
        if var.ndim >= 2:
            out[name].data = np.asarray(var.values, order=order)
    return out


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("hourly_prices", [False, True])
def test_numpy_paths_follow_the_layout_as_xarray_does(run, monkeypatch, order, hourly_prices):
    # numpy's products and sums over the hours depend on the operands' memory layout: the
    # numpy paths must give xarray's bits whichever layout the results come in
    ds = _laid_out(run, order, hourly_prices)
    fast = [cost_by_unit(ds), cost_by_sector(ds), emissions_by_sector(ds)]
    monkeypatch.setattr(costs, "_unit_items_in_numpy", lambda ds: None)
    monkeypatch.setattr(sectors, "_units_and_grid_in_numpy", lambda ds: None)
    for ours, xarrays in zip(
        fast, [cost_by_unit(ds), cost_by_sector(ds), emissions_by_sector(ds)], strict=True
    ):
        _same_bits(ours, xarrays)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("axis", [0, 1, (0, 1), None])
def test_xarray_nansum_is_xarrays_sum_bit_for_bit(order, axis):
    """The numpy paths' sum (``outputs.xarray_nansum``) against ``DataArray.sum`` on a year of
    hours by 25 units: the same bits with and without NaN (which count as 0), in either memory
    layout (xarray keeps a transposed array's layout, and numpy's pairwise sums follow it)."""
    from restvarme.accounting.outputs import xarray_nansum

    values = np.random.default_rng(3).standard_normal((8760, 25)) * 1e3
    with_nan = values.copy()
    with_nan[[7, 4000], [3, 20]] = np.nan
    dims = ("snapshot", "unit")
    names = {0: "snapshot", 1: "unit", (0, 1): dims, None: None}[axis]
    for a in (values, with_nan):
        a = np.asarray(a, order=order)
        theirs = xr.DataArray(a, dims=dims).sum(names).values
        ours = np.asarray(xarray_nansum(a, axis))
        assert ours.tobytes() == theirs.tobytes()
    assert not np.isnan(xarray_nansum(with_nan, axis)).any()
