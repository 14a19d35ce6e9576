"""Facts the code and the examples cite are in the repository: the fact sheet of the reference
cities is examples/REFERENCE_CITIES.md, and nothing points to a folder users never get."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_citation_of_the_fact_sheet_names_the_file_in_the_repository():
    sheet = ROOT / "examples" / "REFERENCE_CITIES.md"
    assert sheet.is_file()
    files = [*ROOT.glob("src/restvarme/**/*.py"), *ROOT.glob("examples/*/SOURCES.md")]
    files += [*ROOT.glob("docs/*.md"), ROOT / "README.md"]
    citing = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "shared/" not in text, f"{path} cites a folder outside the repository"
        if "REFERENCE_CITIES" in text:
            citing.append(path)
            for cited in re.findall(r"[\w/]*REFERENCE_CITIES\.md", text):
                assert cited in ("REFERENCE_CITIES.md", "examples/REFERENCE_CITIES.md"), (
                    path,
                    cited,
                )
    assert len(citing) >= 5  # the examples' SOURCES.md and the modules that cite it
