"""Every picture the README and the docs show exists in the repository as a PNG, and each is
taken by a script the text names (the README's web app: docs/web_screenshot.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _images() -> list[tuple[Path, str]]:
    return [(doc, link) for doc in DOCS for link in IMAGE.findall(doc.read_text())]


@pytest.mark.parametrize(("doc", "link"), _images(), ids=lambda v: getattr(v, "name", v))
def test_each_picture_is_a_png_in_the_repository(doc, link):
    path = (doc.parent / link).resolve()
    assert path.is_relative_to(ROOT), f"{doc.name}: {link} lies outside the repository"
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{doc.name}: {link} is no PNG"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 800 and height >= 600, f"{doc.name}: {link} is {width} x {height} px"


def test_the_readme_names_the_script_that_takes_its_picture():
    readme = (ROOT / "README.md").read_text()
    assert "docs/images/web_run.png" in readme
    assert "python docs/web_screenshot.py" in readme
    assert (ROOT / "docs" / "web_screenshot.py").is_file()
