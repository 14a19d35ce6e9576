"""Reports of runs: one self-contained HTML file, static images, and side-by-side comparisons.

::

    from restvarme.report import write_report, write_images, compare_runs
    write_report("out/lund_2030")                      # -> out/lund_2030/report.html
    write_images("out/lund_2030", fmt="png")           # -> out/lund_2030/figures/*.png
    compare_runs(["out/lund_2030", "out/lund_cheap_power"]).table

Plotly is needed for everything here; kaleido (with a Chromium on the machine) for plotly's
static export, else matplotlib draws the images.
"""

from __future__ import annotations

try:
    import plotly  # noqa: F401
except ImportError as _error:  # pragma: no cover - plotly is a dependency of restvarme
    from restvarme.errors import MissingExtraError

    raise MissingExtraError("reports need plotly: pip install 'plotly>=6.1'") from _error

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
