"""Table headers a reader sees are words, not snake_case names (issue 14: "snake_case indicator
headers" reached users)."""

from __future__ import annotations

import re

import pandas as pd

from restvarme.report.html import _frame_html, human_header, write_report


def test_human_headers():
    assert human_header("g_co2e_per_kwh") == "g CO2e/kWh"
    assert human_header("cooling_network") == "cooling network"
    assert human_header(None) == ""
    table = pd.DataFrame({"renewable_pct": [50.0]}, index=pd.Index(["main"], name="network"))
    assert "<th>renewable %</th>" in _frame_html(table).replace("\n", "").replace("  ", "")


def test_no_table_header_of_the_report_is_snake_case(tiny_run, tmp_path):
    _, folder = tiny_run  # heat, cooling, waste heat, accounting tables
    text = write_report(folder, tmp_path / "report.html").read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>", "", text[text.index("<body") :], flags=re.S)
    headers = set(re.findall(r"<th[^>]*>([^<]*)</th>", body))
    assert {"g CO2e/kWh", "cooling network", "waste-heat source"} <= headers
    assert [h for h in headers if "_" in h] == []
