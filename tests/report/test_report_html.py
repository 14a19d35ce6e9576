"""The HTML report: its sections, and numbers in it that equal the results (not only a file)."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from restvarme.accounting.costs import cost_item_label
from restvarme.accounting.sectors import emissions_by_sector
from restvarme.report.figures import DASH, key_figures
from restvarme.report.html import build_report, markdown_to_html
from restvarme.results import roles

SECTIONS = (
    "summary",
    "units",
    "dispatch",
    "duration",
    "prices",
    "flows",
    "costs",
    "waste-heat",
    "assumptions",
)


class Tables(HTMLParser):
    """Rows of every ``<table id=...>`` as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id")
            if self._table:
                self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(text: str) -> dict[str, dict[str, dict[str, str]]]:
    """Each table as {first cell of a row: {column header: cell}}."""
    parser = Tables()
    parser.feed(text)
    out = {}
    for tid, rows in parser.tables.items():
        header = rows[0][1:]
        out[tid] = {r[0]: dict(zip(header, r[1:], strict=False)) for r in rows[1:] if r}
    return out


def chart_data(text: str, key: str) -> list[dict]:
    """The traces plotly draws in the chart ``chart-<key>``."""
    start = text.index(f'"chart-{key}",')
    bracket = text.index("[", start)
    data, _ = json.JSONDecoder().raw_decode(text[bracket:])
    return data


def values(data) -> np.ndarray:
    """A plotly data array: a JSON list, or numpy's base64 form ``{"dtype", "bdata"}``."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).astype(float)
    return np.asarray(data, dtype=float)


def number(cell: str) -> float:
    return float(cell.replace(",", "").replace("%", "").strip())


@pytest.mark.slow
def test_sections_and_charts_are_present(lund_report, lund_year):
    text, _ = lund_report
    ds = lund_year.results
    for ident in SECTIONS:
        assert f'<section id="{ident}">' in text, ident
    for n in ds["network"].values:
        for kind in ("dispatch", "duration", "price"):
            assert f'id="chart-{kind}_{n}"' in text
    for key in (
        "storage",
        "sankey",
        "costs",
        "emissions",
        "energy_mix",
        "waste_heat_use",
        "waste_heat_value",
    ):
        assert f'id="chart-{key}"' in text
    assert '<section id="pathway">' not in text  # a single-year run has no pathway section


@pytest.mark.slow
def test_self_contained_with_plotly_embedded_once(lund_report):
    text, path = lund_report
    assert len(re.findall(r"<script[^>]*\ssrc=", text)) == 0
    assert len(re.findall(r"<link[^>]*href=\"?https?:", text)) == 0
    assert text.count("plotly.js v") == 1  # its licence banner: the library is embedded once
    assert text.count("<script>") == 1 + text.count("Plotly.newPlot(")  # plotly + one per chart
    # A full year stays a file one can e-mail: plotly itself is about 4.8 MB.
    assert path.stat().st_size < 9_000_000


@pytest.mark.slow
def test_key_figure_cards_equal_the_results(lund_report, lund_year):
    text, _ = lund_report
    ds = lund_year.results
    cards = dict(re.findall(r'data-key="(\w+)" data-value="([^"]+)"', text))
    # heat delivered: the load less the network losses and unserved heat
    delivered = float(
        ds["heat_demand_mwh"].sum() - ds["heat_loss_mwh"].sum() - ds["unserved_heat_mwh"].sum()
    )
    cooling = float(ds["cooling_demand_mwh"].sum() - ds["unserved_cooling_mwh"].sum())
    assert float(cards["total_cost_eur"]) == pytest.approx(ds.attrs["objective_eur"], rel=1e-9)
    assert float(cards["emissions_t"]) == pytest.approx(float(ds["emissions_t"].sum()))
    sectors = emissions_by_sector(ds)["emissions_t"]  # heat and cooling, per MWh of both
    assert float(cards["emission_intensity_g_per_kwh"]) == pytest.approx(
        (sectors["heat"] + sectors["cooling"]) / (delivered + cooling) * 1000
    )
    assert float(cards["waste_heat_share"]) == pytest.approx(
        float(ds["waste_heat_used_mwh"].sum()) / delivered
    )
    assert float(cards["unserved_heat_mwh"]) == pytest.approx(float(ds["unserved_heat_mwh"].sum()))
    # ... and the text a reader sees says the same, rounded.
    kf = key_figures(ds)
    assert f"{kf.total_cost_eur / 1e6:,.2f}" in text
    assert f"{kf.emissions_t:,.0f}" in text
    assert f"{kf.waste_heat_share * 100:,.1f}" in text


@pytest.mark.slow
def test_tables_equal_the_results(lund_report, lund_year):
    text, _ = lund_report
    ds = lund_year.results
    tables = tables_of(text)
    units, cooling = tables["unit-table"], tables["cooling-unit-table"]
    heat_units = roles.unit_roles(ds)["heat_unit"]
    for unit in ds["unit"].values:
        # columns: type, network, fuel/source, heat GWh, ...; units that make no heat are not in
        # the heat table, units that make cooling are in the cooling table
        heat = float(ds["heat_mwh"].sel(unit=unit))
        assert (str(unit) in units) == (bool(heat_units[str(unit)]) or abs(heat) > 0.05)
        if str(unit) in units:
            assert number(units[str(unit)]["heat GWh"]) == pytest.approx(heat / 1e3, abs=0.051)
        if float(ds["cooling_mwh"].sel(unit=unit)) > 0.05:
            assert number(cooling[str(unit)]["cooling GWh"]) == pytest.approx(
                float(ds["cooling_mwh"].sel(unit=unit)) / 1e3, abs=0.051
            )
    costs = tables["cost-table"]
    assert number(costs["total"]["MEUR"]) == pytest.approx(
        ds.attrs["objective_eur"] / 1e6, abs=5e-4
    )
    for item in ds["cost_item"].values:
        assert number(costs[cost_item_label(str(item))]["MEUR"]) == pytest.approx(
            float(ds["cost_eur"].sel(cost_item=item)) / 1e6, abs=5e-4
        )
    emissions = tables["emission-table"]
    assert number(emissions["total"]["t CO2e"]) == pytest.approx(
        float(ds["emissions_t"].sum()), abs=0.5
    )
    waste = tables["waste-heat-table"]
    for src in ds["waste_source"].values:
        assert number(waste[str(src)]["taken GWh"]) == pytest.approx(
            float(ds["waste_heat_used_mwh"].sel(waste_source=src).sum()) / 1e3, abs=0.051
        )
    nets = tables["network-table"]
    for n in ds["network"].values:
        assert number(nets[str(n)]["load GWh"]) == pytest.approx(
            float(ds["heat_demand_mwh"].sel(network=n)) / 1e3, abs=0.051
        )


@pytest.mark.slow
def test_chart_data_equal_the_results(lund_report, lund_year):
    text, _ = lund_report
    ds = lund_year.results
    traces = {t["name"]: t for t in chart_data(text, "dispatch_main")}
    chp = values(traces["ortofta_chp"]["y"])
    assert len(chp) == ds.sizes["snapshot"]
    assert chp.sum() == pytest.approx(float(ds["heat_mwh"].sel(unit="ortofta_chp")), rel=1e-4)
    (sankey,) = chart_data(text, "sankey")
    labels = sankey["node"]["label"]
    delivered = labels.index("Heat delivered")
    targets = values(sankey["link"]["target"])
    into = values(sankey["link"]["value"])[targets == delivered].sum()
    customers = float(ds["heat_demand_mwh"].sum() - ds["heat_loss_mwh"].sum())
    assert into == pytest.approx(customers / 1e3, rel=1e-5)


@pytest.mark.slow
def test_assumptions_include_sources_md(lund_report):
    text, _ = lund_report
    assert 'id="sources-md"' in text
    assert "Lund 2030 example: sources and assumptions" in text
    assert "<strong>sourced</strong>" in text
    assert "Örtofta CHP heat capacity" in text  # a row of its tables, rendered as a table row
    assert "<td>85 MW</td>" in text


def test_missing_sources_and_failed_accounting_are_said_not_hidden(short_runs, monkeypatch):
    import pandas as pd

    import restvarme.accounting as accounting

    ds, _ = short_runs[0]

    table = pd.DataFrame({"g_co2e_per_kwh": [12.3456]}, index=pd.Index(["main"], name="network"))
    table.attrs["perspective"] = "a named perspective"

    def fails(ds):
        raise ValueError("no price list")

    monkeypatch.setattr(accounting, "indicator_table", lambda ds: table)
    monkeypatch.setattr(accounting, "supplier_price_list", fails)
    text = build_report(ds)  # no scenario file known: no SOURCES.md
    assert "No SOURCES.md was found" in text
    assert "Indicators per network" in text and "12.35" in text and "a named perspective" in text
    assert "Supplier price lists for waste heat: could not be computed (no price list)" in text


def test_pathway_section(tiny_pathway):
    text = build_report(tiny_pathway)
    assert '<section id="pathway">' in text and "Key figures (2030)" in text
    for key in ("period_emissions", "period_capacity", "period_mix"):
        assert f'id="chart-{key}"' in text
    tables = tables_of(text)
    periods = tables["period-table"]
    assert set(periods) == {"2026", "2028", "2030"}
    assert number(periods["2026"]["t CO2e/yr, all sectors"]) == pytest.approx(10)
    assert (
        periods["2026"]["cap t CO2e"] == DASH and periods["2030"]["t CO2e/yr, all sectors"] == "0"
    )
    assert number(periods["2030"]["cap t CO2e"]) == pytest.approx(0)  # 100 t/yr x 4 h / 8,760 h
    assert number(tables["built-table"]["eb"]["2030"]) == pytest.approx(10)


def test_markdown_subset():
    md = (
        "# Title\n\nSome **bold** and `code`, <script>alert(1)</script>.\n\n"
        "| item | value |\n| --- | --- |\n| a | 1 |\n\n- one\n- two\n"
    )
    out = markdown_to_html(md)
    assert "<h1>Title</h1>" in out
    assert "<strong>bold</strong>" in out and "<code>code</code>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<th>item</th>" in out and "<td>1</td>" in out and "---" not in out
    assert "<li>one</li>" in out and "<li>two</li>" in out


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
    ],
)
def test_sources_markdown_carries_no_script(link):
    # issue 12: a SOURCES.md link to javascript: used to become a live link in report.html
    out = markdown_to_html(f"See {link} here.")
    assert 'href="javascript' not in out.lower() and 'href="vbscript' not in out.lower()
    assert 'href="data:text' not in out and "<img" not in out and '<a href="javascript' not in out


def test_sources_markdown_keeps_ordinary_links():
    out = markdown_to_html("[SMHI](https://www.smhi.se/data) and [docs](docs/scenario.md)")
    assert '<a href="https://www.smhi.se/data">SMHI</a>' in out
    assert '<a href="docs/scenario.md">docs</a>' in out


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_hourly_time_axis_steps_one_hour_whatever_the_datetime_unit(unit):
    # plotly date axes count in milliseconds: one hour is 3,600,000 ms. pandas 3 makes
    # microsecond indexes, netCDF files give nanoseconds; both must give the same axis.
    import pandas as pd
    import xarray as xr

    from restvarme.report.charts import _time_axis

    index = pd.date_range("2030-01-01", periods=4, freq="h").as_unit(unit)
    axis = _time_axis(xr.Dataset(coords={"snapshot": index}))
    assert axis == {"x0": "2030-01-01T00:00:00", "dx": 3_600_000}
