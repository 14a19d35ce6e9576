"""Screenshots of a report's first screen, drawn by a headless Chromium already on the machine.

``restvarme screenshot RUN_DIR ...`` (and :func:`screenshot_report`) writes the HTML report of
each run folder into a temporary folder, opens it in Chromium at a window of ``width`` x
``height`` pixels, lets the page's scripts draw the charts, and saves what the window shows as
PNG: the header, the key figures and the summary sentences, as a reviewer sees them on opening
the report. The run folder is not written to.

Chromium runs as Debian's ``chromium`` (``apt-get install chromium``) or any Chromium or Chrome
found on the path (or given as ``browser``); nothing is downloaded. It runs headless, without a
sandbox or GPU, with every background service off (no network request is made: the report is
self-contained) and a fresh profile in a temporary folder.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from restvarme.errors import RestvarmeError

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Names under which a Chromium is looked for on the path, in this order."""
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
"""Flags of every Chromium run: headless, no sandbox (containers), no GPU, no background
service; the profile is a fresh ``--user-data-dir`` each time."""
DRAW_BUDGET_MS = 10_000
"""Virtual time the page gets to run its scripts (plotly draws the charts) before the shot."""
TIMEOUT_S = 180.0
"""Wall-clock limit of one Chromium run."""
LOCAL_ADDRESSES = ("http://127.0.0.1:", "http://localhost:")
"""The addresses a page given by address may have: served on this machine (the web app)."""


class BrowserError(RestvarmeError):
    """No Chromium was found, or it did not write the screenshot."""


def find_browser(browser: str | Path | None = None) -> Path:
    """The Chromium to use: ``browser`` if given (a path or a name on the path), else the first
    of :data:`BROWSER_NAMES` on the path. Raises :class:`BrowserError` if there is none."""
    names = [str(browser)] if browser is not None else list(BROWSER_NAMES)
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    wanted = f"{browser}" if browser is not None else " or ".join(BROWSER_NAMES)
    raise BrowserError(
        f"no browser to take screenshots with: {wanted} not found; install Chromium "
        "(Debian: apt-get install chromium) or name one with --browser."
    )


def screenshot_page(
    page: Path | str,
    png: Path,
    *,
    width: int = 1400,
    height: int = 1000,
    browser: str | Path | None = None,
) -> Path:
    """Save the first ``width`` x ``height`` pixels [px] of an HTML ``page`` as ``png``: a file,
    or the address of a page served on this machine (``http://127.0.0.1:…``: the web app, as
    ``docs/web_screenshot.py`` takes it for the README)."""
    if isinstance(page, str) and not page.startswith(LOCAL_ADDRESSES):
        raise ValueError(
            f"{page}: give a file or a page served on this machine ({LOCAL_ADDRESSES})"
        )
    address = page if isinstance(page, str) else Path(page).resolve().as_uri()
    label = page if isinstance(page, str) else Path(page).name
    if width < 200 or height < 200:
        raise ValueError(f"screenshot size {width} x {height} px: give at least 200 x 200 px.")
    exe = find_browser(browser)
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="restvarme-chromium-") as profile:
        argv = [
            str(exe),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--virtual-time-budget={DRAW_BUDGET_MS}",
            f"--screenshot={png}",
            address,
        ]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise BrowserError(
                f"{exe} did not finish the screenshot of {label} in {TIMEOUT_S:.0f} s."
            ) from None
    if not png.is_file() or png.stat().st_size == 0:
        said = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise BrowserError(
            f"{exe} wrote no screenshot of {label} (exit code {done.returncode}); it said:\n{said}"
        )
    return png


def screenshot_report(
    run_dir: str | Path,
    png: str | Path,
    *,
    width: int = 1400,
    height: int = 1000,
    browser: str | Path | None = None,
) -> Path:
    """Save the first screen (``width`` x ``height`` [px]) of a run folder's report as ``png``.

    The report is written afresh into a temporary folder (:func:`restvarme.report.write_report`),
    so the screenshot shows the results as they are and the run folder is left as it is.
    """
    from restvarme.report.html import write_report

    find_browser(browser)  # before the report is written: fail fast without a browser
    with tempfile.TemporaryDirectory(prefix="restvarme-report-") as tmp:
        page = write_report(run_dir, Path(tmp) / "report.html")
        return screenshot_page(page, Path(png), width=width, height=height, browser=browser)
