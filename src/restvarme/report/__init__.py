"""Reports of runs: one self-contained HTML file, static images, and side-by-side comparisons.

::

    from restvarme.report import write_report, write_images, compare_runs
    write_report("out/lund_2030")                      # -> out/lund_2030/report.html
    write_images("out/lund_2030", fmt="png")           # -> out/lund_2030/figures/*.png
    compare_runs(["out/lund_2030", "out/lund_cheap_power"]).table

Charts are plotly's (a dependency of restvarme); kaleido (with a Chromium on the machine) does
plotly's static export, else matplotlib draws the images (both in the ``images`` extra).
"""

from __future__ import annotations

from restvarme.report.compare import Comparison, compare_runs, write_comparison
from restvarme.report.figures import KeyFigures, energy_mix, key_figures, period_table
from restvarme.report.html import build_report, write_report
from restvarme.report.images import write_images

__all__ = [
    "Comparison",
    "KeyFigures",
    "build_report",
    "compare_runs",
    "energy_mix",
    "key_figures",
    "period_table",
    "write_comparison",
    "write_images",
    "write_report",
]
