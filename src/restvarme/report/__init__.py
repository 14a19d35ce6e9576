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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from restvarme.report.compare import Comparison, compare_runs, write_comparison
    from restvarme.report.figures import KeyFigures, energy_mix, key_figures, period_table
    from restvarme.report.html import build_report, write_report
    from restvarme.report.images import write_images

_LAZY = {
    "Comparison": "restvarme.report.compare",
    "compare_runs": "restvarme.report.compare",
    "write_comparison": "restvarme.report.compare",
    "KeyFigures": "restvarme.report.figures",
    "energy_mix": "restvarme.report.figures",
    "key_figures": "restvarme.report.figures",
    "period_table": "restvarme.report.figures",
    "build_report": "restvarme.report.html",
    "write_report": "restvarme.report.html",
    "write_images": "restvarme.report.images",
}
"""Where each name lives, imported on first use: a run's summary tables need
:mod:`restvarme.report.figures` only, not plotly's charts and the HTML templates."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
