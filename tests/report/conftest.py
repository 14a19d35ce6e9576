"""Shared runs for the report tests: the report of the full Lund year, two short variants, and
a tiny run with heat, cooling and waste heat.

The full year is the session's ``lund_year`` (tests/conftest.py), and the tests on it are marked
``slow``; the comparison and image tests use two two-week variants so that they stay fast; the
command-line and header tests write the report of the tiny run (:func:`tiny_run`), which has
every table they look for in a fraction of the two weeks' time.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import restvarme
from restvarme.results.io import resolved_scenario_json, write_results
from restvarme.scenario.load import ScenarioFile
from restvarme.scenario.schema import Scenario
from tiny_scenarios import TINY_COOLING, make_scenario


def _variant(name: str, hours: int, drop_units: tuple[str, ...] = ()) -> ScenarioFile:
    sf = restvarme.load("lund")
    sc = sf.scenario.model_copy(
        update={
            "name": name,
            "horizon": sf.scenario.horizon.model_copy(update={"hours": hours}),
            "units": [u for u in sf.scenario.units if u.name not in drop_units],
        }
    )
    return ScenarioFile(sc, sf.path, sf.base_dir)


def _solve_to(sf: ScenarioFile, folder) -> xr.Dataset:
    ds = restvarme.run(sf)
    write_results(ds, folder, resolved_scenario_json(sf))
    return ds


@pytest.fixture(scope="session")
def lund_report(lund_year):
    """(HTML text, path) of the full-year Lund report, written into the shared run folder."""
    from restvarme.report import write_report

    path = write_report(lund_year.folder)
    return path.read_text(encoding="utf-8"), path


@pytest.fixture(scope="session")
def short_runs(tmp_path_factory):
    """Two two-week Lund variants: as given, and without the ESS heat pumps."""
    base = tmp_path_factory.mktemp("short")
    a = _variant("Lund 2 weeks", 336)
    b = _variant(
        "Lund 2 weeks without ESS heat pumps",
        336,
        drop_units=("ess_52c_hp_main", "ess_28c_hp_main", "ess_28c_hp_lt"),
    )
    return [
        (_solve_to(a, base / "base"), base / "base"),
        (_solve_to(b, base / "no_ess_hp"), base / "no_ess_hp"),
    ]


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> tuple[xr.Dataset, object]:
    """(results, run folder) of :data:`TINY_COOLING`: heat, cooling, a waste-heat source and the
    accounting tables, solved in a fraction of a second. Shared: tests may write reports into
    the folder but must not change what is there."""
    folder = tmp_path_factory.mktemp("tiny_run")
    sf = make_scenario(folder, **TINY_COOLING)
    return _solve_to(sf, folder / "run"), folder / "run"


@pytest.fixture(scope="session")
def pathway_ds(short_runs) -> xr.Dataset:
    """A hand-made pathway result: the two-week run repeated for 2026, 2028 and 2030, with
    emissions falling to half, capacities growing, and an emission target of 120 %, 80 % and
    40 % of the first period's emissions (met, met, missed), in the shape of real pathway
    results (``emission_cap_t``, ``capacity_new``, ``capacity_built`` per period)."""
    ds, periods = short_runs[0][0], (2026, 2028, 2030)
    scale = xr.DataArray(
        np.linspace(1.0, 0.5, len(periods)), coords={"period": list(periods)}, dims="period"
    )
    out = xr.concat(
        [ds] * len(periods), dim=xr.DataArray(list(periods), dims="period", name="period")
    )
    out["emissions_t"] = ds["emissions_t"] * scale
    first = float(ds["emissions_t"].sum())
    out["emission_cap_t"] = xr.DataArray(
        [1.2 * first, 0.8 * first, 0.4 * first],
        coords={"period": list(periods)},
        dims="period",
        attrs={"units": "t CO2e"},
    )
    out["capacity_new"] = ds["capacity_existing"] * (1 - scale)  # 0, 25 %, 50 % more
    out["capacity_built"] = (
        out["capacity_new"]
        .diff("period", label="upper")
        .reindex(period=list(periods), fill_value=0.0)
    )
    out.attrs = dict(ds.attrs)
    return out


TINY_PATHWAY = {
    # tests/model/test_pathway.py's case: 4 hours of a flat 10 MW load (40 MWh a period); a gas
    # boiler (20 MW, 80 %, 0.2 t CO2e/MWh of gas) retires in 2030, when 10 MW of electric boiler
    # are built; a cap of 100 t/yr (100 x 4/8760 t over the 4 hours) holds in 2030.
    "name": "tiny pathway",
    "year": 2026,
    "horizon": {"hours": 4},
    "discount_rate": 0.0,
    "location": {"name": "Testby", "outdoor_temperature_c": 0.0},
    "electricity": {"price_eur_per_mwh": 30, "export_allowed": False},
    "fuels": {"gas": {"price_eur_per_mwh": 20.0, "emission_t_per_mwh": 0.2}},
    "networks": {
        "main": {
            "supply_temperature_c": 70.0,
            "return_temperature_c": 40.0,
            "demand": {"series_mw": 10.0},
        }
    },
    "units": [
        {
            "name": "gas",
            "type": "boiler",
            "fuel": "gas",
            "sink": "main",
            "capacity_mw": 20,
            "efficiency": 0.8,
            "retired_year": 2030,
        },
        {
            "name": "eb",
            "type": "electric_boiler",
            "sink": "main",
            "capacity_mw": 0,
            "efficiency": 1.0,
            "expansion": {"capital_cost_eur_per_mw": 50 / (4 / 8760) * 20, "lifetime_years": 20},
        },
    ],
    "pathway": {
        "periods": [
            {"year": 2026},
            {"year": 2028},
            {"year": 2030, "changes": {"targets.emission_cap_t": 100}},
        ],
        "last_period_years": 2,
    },
}


@pytest.fixture(scope="session")
def tiny_pathway(tmp_path_factory) -> xr.Dataset:
    """The results of :data:`TINY_PATHWAY`: a real pathway run, solved in a fraction of a second."""
    sf = ScenarioFile(Scenario.model_validate(TINY_PATHWAY), None, tmp_path_factory.mktemp("tp"))
    return restvarme.run(sf)
