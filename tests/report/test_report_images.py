"""Static images: non-empty, of the stated size, with either engine (marked ``slow``: drawing them
takes seconds; the refusals stay in the fast loop)."""

from __future__ import annotations

import re
import struct

import pytest

from restvarme.report.images import browser_path, write_images


def png_size(path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def svg_size(path) -> tuple[float, float]:
    text = path.read_text(encoding="utf-8")
    w = re.search(r'<svg[^>]*\swidth="([\d.]+)(?:pt|px)?"', text)
    h = re.search(r'<svg[^>]*\sheight="([\d.]+)(?:pt|px)?"', text)
    return float(w.group(1)), float(h.group(1))


@pytest.mark.slow
def test_matplotlib_png_of_the_stated_size(short_runs, tmp_path):
    pytest.importorskip("matplotlib")
    ds, _ = short_runs[0]
    images = write_images(ds, tmp_path, fmt="png", width=900, engine="matplotlib")
    assert images.engine == "matplotlib"
    assert images.skipped == ["sankey"]  # no matplotlib Sankey; said, not silently dropped
    names = {p.stem for p in images.paths}
    assert {"dispatch_main", "duration_main", "price_main", "costs", "emissions"} <= names
    for path in images.paths:
        assert path.stat().st_size > 5_000
        assert png_size(path) == (900, images.sizes[path.stem][1])
    assert png_size(tmp_path / "dispatch_main.png") == (900, 460)


@pytest.mark.slow
def test_matplotlib_svg_of_the_stated_size(short_runs, tmp_path):
    pytest.importorskip("matplotlib")
    ds, _ = short_runs[0]
    images = write_images(
        ds,
        tmp_path,
        fmt="svg",
        width=800,
        height=500,
        engine="matplotlib",
        charts=["dispatch_main", "price_main", "energy_mix"],
    )
    assert len(images.paths) == 3
    for path in images.paths:
        assert svg_size(path) == (800, 500)
        assert "<path" in path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(browser_path() is None, reason="kaleido or a Chromium is not installed")
def test_kaleido_png_of_the_stated_size(short_runs):
    _, run_dir = short_runs[0]
    charts = ["dispatch_main", "sankey", "price_main"]
    images = write_images(run_dir, fmt="png", width=1000, engine="kaleido", charts=charts)
    assert images.engine == "kaleido"
    assert [p.name for p in images.paths] == [f"{c}.png" for c in charts]
    assert images.paths[0].parent == run_dir / "figures"
    for path in images.paths:
        assert path.stat().st_size > 5_000
        assert png_size(path) == (1000, images.sizes[path.stem][1])
    # the Sankey grows with its units (about 30 px each) so that their labels do not overlap:
    # the 20 of Lund's units with a flow in these two weeks give 30 * 20 + 120 = 720 px
    assert png_size(run_dir / "figures" / "sankey.png") == (1000, 720)


def test_unknown_format_or_chart_is_refused(short_runs, tmp_path):
    with pytest.raises(ValueError, match="png, svg"):
        write_images(short_runs[0][0], tmp_path, fmt="gif")
    with pytest.raises(ValueError, match="no chart named dispatch_nowhere"):
        write_images(short_runs[0][0], tmp_path, charts=["dispatch_nowhere"])


def test_still_images_leave_out_the_html_controls(short_runs):
    """The dispatch chart's week/month buttons work only in the HTML; a PNG or SVG shows none
    (the chart given is not changed)."""
    from restvarme.report.charts import dispatch_figure
    from restvarme.report.images import static

    fig = dispatch_figure(short_runs[0][0], "main")
    assert len(fig.layout.xaxis.rangeselector.buttons) == 4
    still = static(fig)
    assert len(still.layout.xaxis.rangeselector.buttons) == 0
    assert len(fig.layout.xaxis.rangeselector.buttons) == 4
    assert [t.name for t in still.data] == [t.name for t in fig.data]
