"""`restvarme screenshot`: the first screen of a report as PNG, drawn by headless Chromium.

The slow test takes the screenshots of the Lund and Barcelona years and reads the PNGs back:
the size asked for, and a drawn page (the report's dark header above its light body), not a
blank one. The fast tests check the messages when there is nothing to draw with."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from restvarme.cli import app

CHROMIUM = Path("/usr/bin/chromium")
runner = CliRunner()


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) [px] from a PNG's IHDR chunk (PNG spec, section 11.2.2)."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is no PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
def test_screenshots_of_lund_and_barcelona(lund_year, barcelona_year, tmp_path):
    image = pytest.importorskip("PIL.Image")
    out = tmp_path / "shots"
    folders = [lund_year.folder, barcelona_year.folder]
    before = {f: sorted(p.name for p in f.iterdir()) for f in folders}
    result = runner.invoke(
        app,
        ["screenshot", *map(str, folders), "--out", str(out), "--width", "1280", "--height", "900"],
    )
    assert result.exit_code == 0, result.output
    for folder in folders:
        png = out / f"{folder.name}.png"
        assert png_size(png) == (1280, 900)
        grey = np.asarray(image.open(png).convert("L"), dtype=float)
        assert grey.shape == (900, 1280)
        # not blank: the header band (#1f2937-like, dark) over the light page with its text
        assert grey.std() > 20
        header, body = grey[10:100].mean(), grey[300:800].mean()
        assert header < 80 < 200 < body, (header, body)
        assert len(np.unique(grey)) > 50  # text is anti-aliased: many grey levels
        assert sorted(p.name for p in folder.iterdir()) == before[folder]  # folder untouched


def _tiny_run(folder: Path) -> Path:
    import restvarme
    from restvarme.results.io import write_results
    from tiny_scenarios import GAS_BOILER, make_scenario

    return write_results(restvarme.run(make_scenario(units=[GAS_BOILER])), folder)


def test_no_browser_is_a_clear_error(tmp_path):
    folder = _tiny_run(tmp_path / "run")
    result = runner.invoke(
        app, ["screenshot", str(folder), "--browser", "no-such-browser", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "no browser to take screenshots with: no-such-browser not found" in result.output
    assert "apt-get install chromium" in result.output
    assert not list(tmp_path.glob("*.png"))


def test_two_folders_of_one_name_are_refused(tmp_path):
    a, b = _tiny_run(tmp_path / "a" / "run"), _tiny_run(tmp_path / "b" / "run")
    result = runner.invoke(app, ["screenshot", str(a), str(b), "--browser", "no-such-browser"])
    assert result.exit_code == 2
    assert "two run folders named run" in result.output
