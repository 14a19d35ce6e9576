"""Load the Lund and Barcelona reports in headless Chromium (Debian's ``chromium``): no JavaScript
error, every chart container drawn, cooling charts where the run has cooling, and the headline
numbers those of the run folder's CSVs. Skipped where no browser is installed; ``.ci/run``
installs one."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian: apt-get install chromium)"
)

PROBE = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", e => window.__errors.push("rejected: " + e.reason));
window.addEventListener("load", () => setTimeout(() => {
  const charts = [...document.querySelectorAll(".plotly-graph-div")];
  const drawn = charts.filter(d => d.classList.contains("js-plotly-plot")
      && d.querySelector("svg.main-svg") && d.getBoundingClientRect().height > 100);
  document.body.setAttribute("data-probe", JSON.stringify({
    errors: window.__errors, charts: charts.map(d => d.id), drawn: drawn.map(d => d.id)}));
}, 500));
</script>"""
"""Records JavaScript errors and which chart containers plotly drew, into ``<body data-probe>``."""


def load_in_chromium(page: Path, folder: Path) -> tuple[dict, str]:
    """What the probe saw after Chromium loaded ``page``, and Chromium's console log. Background
    services are off: the page is loaded from disk and nothing is fetched."""
    probed = folder / "probed.html"
    probed.write_text(
        page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8"
    )
    result = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
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
    return json.loads(html.unescape(match.group(1))), result.stderr


@pytest.mark.slow
def test_lund_report_loads_without_errors_and_draws_every_chart(lund_report, tmp_path):
    text, path = lund_report
    probe, log = load_in_chromium(path, tmp_path)
    assert probe["errors"] == []
    assert "Uncaught" not in log
    expected = set(re.findall(r'id="(chart-[^"]+)"', text))
    assert len(expected) >= 12
    assert set(probe["charts"]) == expected
    assert probe["drawn"] == probe["charts"]  # every container holds a drawn plot


@pytest.mark.slow
def test_barcelona_report_shows_cooling_and_the_csv_figures(barcelona_year, tmp_path):
    """Barcelona's cooling is most of its system (121 of 180 GWh): the report draws a dispatch,
    duration curve and price chart for each cooling network, lists the cooling units, and its
    cards carry the figures recomputed from the CSVs (tests/headline_definitions.py)."""
    from headline_definitions import definitions_from_csv
    from restvarme.report import write_report

    path = write_report(barcelona_year.folder, tmp_path / "report.html")
    text = path.read_text(encoding="utf-8")
    probe, log = load_in_chromium(path, tmp_path)
    assert probe["errors"] == [] and "Uncaught" not in log
    assert probe["drawn"] == probe["charts"]
    for network in ("districlima_cold", "ecoenergies_cold"):
        for kind in ("dispatch", "duration", "price"):
            assert f"chart-cooling_{kind}_{network}" in probe["drawn"]
    assert 'id="cooling-unit-table"' in text and "District heating and cooling results" in text
    cards = dict(re.findall(r'data-key="([a-z_]+)" data-value="([^"]+)"', text))
    for key, value in definitions_from_csv(barcelona_year.folder).items():
        if key in cards:
            assert float(cards[key]) == pytest.approx(value, rel=1e-5), key
    assert float(cards["cooling_delivered_mwh"]) > float(cards["heat_delivered_mwh"])
