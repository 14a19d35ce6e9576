"""Load the Lund and Barcelona reports and the page comparing them in headless Chromium
(Debian's ``chromium``): no JavaScript or console error, every chart container drawn, cooling
charts where the run has cooling, and the headline numbers in the page those recomputed from the
run folder's CSVs (tests/headline_definitions.py). Uses the session's example years; skipped
where no browser is installed (``.ci/run`` installs one)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from headline_definitions import definitions_from_csv

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian: apt-get install chromium)"
)

PROBE = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", e => window.__errors.push("rejected: " + e.reason));
const __consoleError = console.error;
console.error = (...args) => { window.__errors.push("console: " + args.join(" "));
  __consoleError.apply(console, args); };
window.addEventListener("load", () => setTimeout(() => {
  const charts = [...document.querySelectorAll(".plotly-graph-div")];
  const drawn = charts.filter(d => d.classList.contains("js-plotly-plot")
      && d.querySelector("svg.main-svg") && d.getBoundingClientRect().height > 100);
  document.body.setAttribute("data-probe", JSON.stringify({
    errors: window.__errors, charts: charts.map(d => d.id), drawn: drawn.map(d => d.id)}));
}, 500));
</script>"""
"""Records JavaScript errors, ``console.error`` calls and which chart containers plotly drew,
into ``<body data-probe>``."""


class Loaded:
    """What Chromium made of a page: the probe's record, its log and the DOM after the scripts
    ran."""

    def __init__(self, probe: dict, log: str, dom: str) -> None:
        self.probe, self.log, self.dom = probe, log, dom

    def assert_clean(self) -> None:
        """No JavaScript error, no console error, every chart container drawn."""
        assert self.probe["errors"] == []
        assert "Uncaught" not in self.log
        assert not re.search(r"CONSOLE\(\d+\)\].*(error|Error)", self.log), self.log[-2000:]
        assert self.probe["charts"], "no charts in the page"
        assert self.probe["drawn"] == self.probe["charts"]  # every container holds a plot


def load_in_chromium(page: Path) -> Loaded:
    """Load ``page`` (with the probe added) in Debian's headless Chromium with a fresh profile
    and every background service off: the page is loaded from disk and nothing is fetched."""
    with tempfile.TemporaryDirectory(prefix="restvarme-browser-test-") as tmp:
        probed = Path(tmp) / "probed.html"
        probed.write_text(
            page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1),
            encoding="utf-8",
        )
        result = subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1400,1000",
                "--virtual-time-budget=10000",
                "--dump-dom",
                probed.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    match = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert match, f"the page did not finish loading; Chromium said:\n{result.stderr[-2000:]}"
    return Loaded(json.loads(html.unescape(match.group(1))), result.stderr, result.stdout)


def cards(dom: str) -> dict[str, float]:
    """The key-figure cards of a report's DOM: key -> unrounded value."""
    return {k: float(v) for k, v in re.findall(r'data-key="([a-z_]+)" data-value="([^"]+)"', dom)}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def shown_figures(dom: str) -> dict[str, tuple[float, float]]:
    """Every headline figure a report's DOM shows: key -> (value, half its last shown digit).
    The cards carry their unrounded values; the figures per MWh of heat and of cooling are read
    from the "by sector" table (two decimals), the system cost from the summary sentence (MEUR,
    two decimals)."""
    shown = {k: (v, 0.0) for k, v in cards(dom).items()}
    table = re.search(r'<table id="sector-table">(.*?)</table>', dom, re.S)
    assert table, "no sector table"
    for sector in ("heat", "cooling"):
        row = re.search(rf"<tr><td>{sector}</td>((?:<td[^>]*>[^<]*</td>)+)</tr>", table.group(1))
        if row is None:
            continue
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
        # columns: MEUR, t CO2e, delivered GWh, EUR per MWh, g CO2e per kWh
        shown[f"{sector}_cost_eur_per_mwh"] = (_number(cells[3]), 0.005)
        shown[f"{sector}_emission_intensity_g_per_kwh"] = (_number(cells[4]), 0.005)
    whole = re.search(r"the system as a whole costs ([\d,.]+) MEUR", dom) or re.search(
        r"delivered for ([\d,.]+) MEUR", dom
    )
    assert whole, "no summary sentence with the cost"
    shown["system_cost_eur"] = (_number(whole.group(1)) * 1e6, 0.005e6)
    return shown


def assert_headlines(shown: dict[str, tuple[float, float]], folder: Path) -> None:
    """Every headline figure recomputed from the CSVs (which hold six significant digits) is in
    the page, with the value the page shows (to the digits it shows)."""
    expected = definitions_from_csv(folder)
    assert set(expected) <= set(shown), set(expected) - set(shown)
    for key, value in expected.items():
        page, rounding = shown[key]
        assert page == pytest.approx(value, rel=1e-5, abs=rounding + 1e-9), key


@pytest.mark.slow
def test_lund_report_loads_without_errors_and_shows_the_csv_figures(lund_report):
    text, path = lund_report
    page = load_in_chromium(path)
    page.assert_clean()
    expected = set(re.findall(r'id="(chart-[^"]+)"', text))
    assert len(expected) >= 12
    assert set(page.probe["charts"]) == expected
    assert_headlines(shown_figures(page.dom), path.parent)


@pytest.mark.slow
def test_barcelona_report_shows_cooling_and_the_csv_figures(barcelona_year, tmp_path):
    """Barcelona's cooling is most of its system (121 of 180 GWh): the report draws a dispatch,
    duration curve and price chart for each cooling network, lists the cooling units, and its
    cards carry the figures recomputed from the CSVs (tests/headline_definitions.py)."""
    from restvarme.report import write_report

    path = write_report(barcelona_year.folder, tmp_path / "report.html")
    page = load_in_chromium(path)
    page.assert_clean()
    for network in ("districlima_cold", "ecoenergies_cold"):
        for kind in ("dispatch", "duration", "price"):
            assert f"chart-cooling_{kind}_{network}" in page.probe["drawn"]
    assert 'id="cooling-unit-table"' in page.dom
    assert "District heating and cooling results" in page.dom
    assert_headlines(shown_figures(page.dom), barcelona_year.folder)
    shown = cards(page.dom)
    assert shown["cooling_delivered_mwh"] > shown["heat_delivered_mwh"]


@pytest.mark.slow
def test_compare_page_of_lund_and_barcelona_shows_the_csv_figures(
    lund_year, barcelona_year, tmp_path
):
    """The comparison page loads cleanly, draws its four charts, and every indicator cell of
    each run carries the run's CSV figure, shown rounded as its row says."""
    from restvarme.report.compare import INDICATORS, compare_runs, write_comparison
    from restvarme.report.html import format_number

    folders = {"Lund 2030": lund_year.folder, "Barcelona 2030": barcelona_year.folder}
    comparison = compare_runs(list(folders.values()))
    assert comparison.labels == list(folders)
    page = load_in_chromium(write_comparison(comparison, tmp_path / "compare.html"))
    page.assert_clean()
    assert {f"chart-{k}" for k in ("cost_eur_per_mwh", "waste_heat_share", "energy_mix")} <= set(
        page.probe["drawn"]
    )
    cells = re.findall(
        r'<td class="num" data-key="([a-z_]+)" data-run="([^"]+)" data-value="([^"]+)">([^<]*)<',
        page.dom,
    )
    shown: dict[str, dict[str, float]] = {label: {} for label in folders}
    for key, run, value, text in cells:
        run = html.unescape(run)
        shown[run][key] = float(value)
        assert html.unescape(text) == format_number(float(value), INDICATORS[key][1]), key
    for label, folder in folders.items():
        # the page carries the figures compare has rows for
        rows = {k: v for k, v in definitions_from_csv(folder).items() if k in INDICATORS}
        assert len(rows) >= 8
        for key, value in rows.items():
            assert shown[label][key] == pytest.approx(value, rel=1e-5, abs=1e-9), (label, key)


@pytest.mark.slow
def test_the_probe_sees_errors_and_undrawn_charts(tmp_path):
    """The checks above can fail: a page that logs a console error, throws, and holds a chart
    container plotly never drew is reported as such."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><head></head><body>"
        '<div class="plotly-graph-div" id="chart-never"></div>'
        '<script>console.error("boom"); no_such_function();</script>'
        "</body></html>",
        encoding="utf-8",
    )
    loaded = load_in_chromium(page)
    assert "console: boom" in loaded.probe["errors"]
    assert any("no_such_function" in e for e in loaded.probe["errors"])
    assert loaded.probe["charts"] == ["chart-never"] and loaded.probe["drawn"] == []
    with pytest.raises(AssertionError):
        loaded.assert_clean()
