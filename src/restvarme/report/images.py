"""Static images (PNG, SVG) of the report's charts, for slides.

Two engines draw the same figures from :func:`restvarme.report.charts.all_figures`:

- ``"kaleido"``: plotly's own static export. Kaleido 1.x drives a Chromium that must already be
  on the machine (Debian: ``apt-get install chromium``); it never downloads one from here.
- ``"matplotlib"``: a renderer of the few plotly trace kinds the charts use (stacked areas,
  lines, bars, heatmaps, pies), for machines without a browser. The Sankey diagram has no
  matplotlib counterpart and is left out.

``engine="auto"`` takes kaleido when it and a Chromium are found, else matplotlib. Images are
``width`` pixels wide and as high as the chart in the report (or ``height``); SVG sizes are the
same numbers in CSS pixels (kaleido) or points (matplotlib).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from restvarme.errors import MissingExtraError
from restvarme.report.charts import all_figures

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from plotly.basedatatypes import BaseTraceType

log = logging.getLogger(__name__)
FORMATS = ("png", "svg")


@dataclass
class ImageSet:
    """What :func:`write_images` wrote, with which engine, and which charts it had to skip."""

    engine: str
    paths: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)


def browser_path() -> str | None:
    """The Chromium kaleido would use, or ``None`` (kaleido not installed or no browser found)."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import chromium_based_browsers, get_browser_path
    except ImportError:
        return None
    return get_browser_path(chromium_based_browsers)


def write_images(
    results: str | Path | xr.Dataset,
    out_dir: str | Path | None = None,
    *,
    fmt: str = "png",
    width: int = 1200,
    height: int | None = None,
    engine: str = "auto",
    charts: list[str] | None = None,
) -> ImageSet:
    """Write every chart of a run as ``<chart>.<fmt>`` into ``out_dir``.

    Parameters
    ----------
    results : run folder, ``results.nc`` path, or results Dataset
    out_dir : default ``RUN_DIR/figures`` (required when ``results`` is a Dataset)
    fmt : ``"png"`` or ``"svg"``
    width, height : image size [px]; default height: the chart's own height in the report
    engine : ``"auto"``, ``"kaleido"`` or ``"matplotlib"``
    charts : only these charts (keys of :func:`~restvarme.report.charts.all_figures`, e.g.
        ``["dispatch_main", "sankey"]``); default all
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(results, xr.Dataset):
        if out_dir is None:
            raise ValueError("give out_dir when passing a Dataset")
        ds = results
    else:
        from restvarme.results.io import read_results

        ds = read_results(results)
        run_dir = Path(results)
        out_dir = out_dir or (run_dir if run_dir.is_dir() else run_dir.parent) / "figures"
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figs = all_figures(ds)
    if charts is not None:
        unknown = sorted(set(charts) - set(figs))
        if unknown:
            raise ValueError(f"no chart named {', '.join(unknown)}; this run has {', '.join(figs)}")
        figs = {k: figs[k] for k in charts}
    sizes = {k: (width, height or int(f.layout.height or 420)) for k, f in figs.items()}
    if engine == "auto":
        engine = "kaleido" if browser_path() else "matplotlib"
    if engine == "kaleido":
        try:
            return _write_kaleido(figs, out, fmt, sizes)
        except Exception as error:  # browser failed to start: fall back rather than fail the run
            log.warning("plotly static export failed (%s); drawing with matplotlib instead", error)
    elif engine != "matplotlib":
        raise ValueError(f"unknown engine {engine!r}; use 'auto', 'kaleido' or 'matplotlib'")
    return _write_matplotlib(figs, out, fmt, sizes)


def static(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for a still image: without the HTML's controls (range buttons, range
    slider), which do nothing on paper."""
    out = go.Figure(fig)
    out.update_xaxes(rangeselector=None, rangeslider=None)
    out.update_layout(updatemenus=[])
    return out


def _write_kaleido(
    figs: dict[str, go.Figure], out: Path, fmt: str, sizes: dict[str, tuple[int, int]]
) -> ImageSet:
    import plotly.io as pio

    keys = list(figs)
    paths = [out / f"{k}.{fmt}" for k in keys]
    pio.write_images(
        [static(figs[k]) for k in keys],
        paths,
        format=fmt,
        scale=1,
        width=[sizes[k][0] for k in keys],
        height=[sizes[k][1] for k in keys],
    )
    return ImageSet("kaleido", paths, [], sizes)


# --- matplotlib fallback -----------------------------------------------------------------------


def _write_matplotlib(
    figs: dict[str, go.Figure], out: Path, fmt: str, sizes: dict[str, tuple[int, int]]
) -> ImageSet:
    try:
        from matplotlib.figure import Figure  # no pyplot: leaves the caller's backend alone
    except ImportError as error:
        raise MissingExtraError(
            "static images without a browser need matplotlib: pip install 'restvarme[images]' "
            "(or install kaleido and Debian's chromium for plotly's own export)"
        ) from error

    result = ImageSet("matplotlib")
    dpi = 100 if fmt == "png" else 72  # PNG: pixels; SVG: points, so both show the stated numbers
    for key, fig in figs.items():
        if any(isinstance(t, go.Sankey) for t in fig.data):
            result.skipped.append(key)
            continue
        w, h = sizes[key]
        mfig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
        ax = mfig.subplots()
        draw_on_axes(fig, ax)
        mfig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.22)
        path = out / f"{key}.{fmt}"
        mfig.savefig(path, format=fmt, dpi=dpi)
        result.paths.append(path)
        result.sizes[key] = (w, h)
    return result


def _x_values(trace: BaseTraceType, date_axis: bool) -> np.ndarray:
    """The x values of a trace: time stamps on a date axis, else as given (numbers, labels)."""
    if trace.x is not None:
        x = np.asarray(trace.x)
        return pd.to_datetime(x).values if date_axis and x.dtype.kind in "UO" else x
    n = len(trace.y)
    if isinstance(trace.x0, str):
        start = np.datetime64(pd.Timestamp(trace.x0))
        return start + np.arange(n) * np.timedelta64(int(trace.dx or 1), "ms")
    return float(trace.x0 or 0) + np.arange(n) * float(trace.dx or 1)


def _color(trace: BaseTraceType, fallback: str | None = None) -> str | None:
    for attr in ("fillcolor",):
        if getattr(trace, attr, None):
            return getattr(trace, attr)
    line = getattr(trace, "line", None)
    if line is not None and line.color:
        return line.color
    marker = getattr(trace, "marker", None)
    if marker is not None and isinstance(marker.color, str):
        return marker.color
    return fallback


def draw_on_axes(fig: go.Figure, ax: Axes) -> None:
    """Draw a plotly figure made of scatter, bar, heatmap and pie traces on a matplotlib axes."""
    title = fig.layout.title.text or ""
    ax.set_title(title, loc="left", fontsize=12)
    stacks: dict[str, np.ndarray] = {}
    bars_base: dict[str, np.ndarray] = {}
    for trace in fig.data:
        if isinstance(trace, go.Scatter):
            _draw_scatter(ax, trace, stacks, date_axis=fig.layout.xaxis.type == "date")
        elif isinstance(trace, go.Bar):
            _draw_bar(ax, trace, bars_base, stacked=fig.layout.barmode == "stack")
        elif isinstance(trace, go.Heatmap):
            _draw_heatmap(ax, trace)
        elif isinstance(trace, go.Pie):
            ax.pie(
                trace.values,
                labels=None,
                colors=list(trace.marker.colors or []) or None,
                wedgeprops={"width": 0.5},
                autopct="%1.0f%%",
                pctdistance=0.75,
            )
            ax.legend(
                trace.labels,
                loc="center left",
                bbox_to_anchor=(1.0, 0.5),
                fontsize=8,
                frameon=False,
            )
            return
    if fig.layout.yaxis.title.text:
        ax.set_ylabel(fig.layout.yaxis.title.text)
    if fig.layout.xaxis.title.text:
        ax.set_xlabel(fig.layout.xaxis.title.text)
    heatmap = any(isinstance(t, go.Heatmap) for t in fig.data)
    if fig.layout.yaxis.autorange == "reversed" and not heatmap:  # imshow's extent already is
        ax.invert_yaxis()
    _, labels = ax.get_legend_handles_labels()
    if labels:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=min(6, len(labels)),
            fontsize=8,
            frameon=False,
        )
    if heatmap:
        ax.grid(False)
    else:
        ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_scatter(
    ax: Axes, trace: BaseTraceType, stacks: dict[str, np.ndarray], date_axis: bool
) -> None:
    x = _x_values(trace, date_axis)
    y = np.asarray([np.nan if v is None else v for v in trace.y], dtype=float)
    color = _color(trace)
    if trace.stackgroup:
        base = stacks.get(trace.stackgroup, np.zeros_like(y))
        top = base + np.nan_to_num(y)
        ax.fill_between(x, base, top, color=color, linewidth=0, label=trace.name, step=None)
        stacks[trace.stackgroup] = top
        return
    style = "-o" if trace.mode and "markers" in trace.mode else "-"
    dash: Literal["--"] | None = (
        "--" if trace.line is not None and trace.line.dash == "dash" else None
    )
    (line,) = ax.plot(x, y, style, color=color, label=trace.name, linewidth=1.2, markersize=4)
    if dash:
        line.set_linestyle(dash)
    if trace.fill == "tozeroy":
        ax.fill_between(x, 0, np.nan_to_num(y), color=line.get_color(), alpha=0.3, linewidth=0)


def _draw_bar(ax: Axes, trace: BaseTraceType, bases: dict[str, np.ndarray], stacked: bool) -> None:
    color = trace.marker.color if trace.marker is not None else None
    if trace.orientation == "h":
        labels = list(trace.y)
        ax.barh(labels, trace.x, color=color, label=None)
        return
    labels = [str(v) for v in trace.x]
    values = np.asarray(trace.y, dtype=float)
    base = bases.get("bars", np.zeros_like(values)) if stacked else np.zeros_like(values)
    ax.bar(labels, values, bottom=base, color=color, label=trace.name)
    if stacked:
        bases["bars"] = base + values


def _draw_heatmap(ax: Axes, trace: BaseTraceType) -> None:
    z = np.asarray([[np.nan if v is None else v for v in row] for row in trace.z], dtype=float)
    x = pd.to_datetime(list(trace.x))
    extent = (
        float(np.datetime64(x[0], "D").astype(float)),
        float(np.datetime64(x[-1], "D").astype(float)) + 1,
        24,
        0,
    )
    img = ax.imshow(
        z,
        aspect="auto",
        extent=extent,
        cmap="viridis",
        vmin=trace.zmin,
        vmax=trace.zmax,
        interpolation="nearest",
    )
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.figure.colorbar(img, ax=ax, label="EUR/MWh", pad=0.01)
