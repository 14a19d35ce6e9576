"""Numbers in the docs cannot drift (issue 14 item 7): every number written in the prose of
README.md and docs/report.md is either recomputed here from the code or from a run and compared
(a *claim*), or declared as no figure of restvarme's with the reason (a name such as EN ISO
9806, a formula, a timing measured by the command the text names). A number added to those docs
without either fails `test_every_number_in_the_prose_is_checked_or_declared`; a claim whose
figure moved fails with the phrase the docs should now say.

Numbers inside code (fenced blocks, `inline code`) and link targets are not prose. Claims on a
full example year are marked slow and use the session's ``lund_year`` (tests/conftest.py). The
run-derived figure of docs/security.md (the Lund run folder's size) is checked here too.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CHECKED_DOCS = ("README.md", "docs/report.md")
"""Docs whose every prose number must be claimed or declared."""
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(frozen=True)
class Claim:
    """``pattern`` in ``doc`` must show ``expected()`` in its groups (within ``rel`` where the
    text says "about")."""

    doc: str
    pattern: str
    expected: Callable[..., tuple[float, ...]]
    what: str
    rel: float = 0.0
    slow: bool = False


@dataclass(frozen=True)
class Declared:
    """Numbers in ``pattern`` that are no figure of restvarme's; ``why`` says what they are."""

    doc: str
    pattern: str
    why: str


def _hours_of_lund() -> tuple[float, ...]:
    import restvarme

    return (float(restvarme.load("lund").scenario.horizon.hours),)


def _python() -> tuple[float, ...]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return (float(data["project"]["requires-python"].removeprefix(">=")),)


def _default(func: Callable, name: str) -> object:
    return inspect.signature(func).parameters[name].default


def _price_list_temperatures() -> tuple[float, ...]:
    from restvarme.cli_accounts import waste_heat_value

    temps = [float(t) for t in str(_default(waste_heat_value, "temperatures")).split(",")]
    return (min(temps), max(temps))


def _supplier_mw() -> tuple[float, ...]:
    from restvarme.cli_accounts import waste_heat_value

    return (float(_default(waste_heat_value, "supplier_mw")),)


def _exit_code() -> tuple[float, ...]:
    from restvarme.cli import EXIT_BAD_INPUT

    return (float(EXIT_BAD_INPUT),)


def _warm_start_block() -> tuple[float, ...]:
    from restvarme.model.warm_start import BLOCK_HOURS

    return (float(BLOCK_HOURS[0]),)  # the first that divides a year's 8,760 hours


def _login_limits() -> tuple[float, ...]:
    from restvarme.store.logins import LoginLimits

    limits = LoginLimits()
    return (limits.window_s / 60, limits.failures_per_name, limits.failures_per_address)


def _plotly_js_mb() -> tuple[float, ...]:
    from plotly.offline import get_plotlyjs

    return (len(get_plotlyjs().encode("utf-8")) / 1e6,)


def _range_button_months() -> tuple[float, ...]:
    from restvarme.report.charts import _range_buttons

    labels = [b["label"] for b in _range_buttons()["buttons"]]
    assert labels[:3] == ["week", "month", "3 months"], labels
    return (3.0,)


def _g_per_kwh() -> tuple[float, ...]:
    from restvarme.report.figures import T_PER_MWH_TO_G_PER_KWH

    return (1.0, T_PER_MWH_TO_G_PER_KWH)


def _rounding_mw() -> tuple[float, ...]:
    from restvarme.report.charts import _rounded

    return (10.0 ** -int(_default(_rounded, "decimals")),)


def _duration_bins() -> tuple[float, ...]:
    from restvarme.report.charts import duration_bins

    target = int(_default(duration_bins, "target"))
    return (round(8760 / target), float(target))


def _percentiles() -> tuple[float, ...]:
    from restvarme.report.charts import PRICE_COLOUR_PERCENTILES

    return tuple(float(p) for p in PRICE_COLOUR_PERCENTILES)


def _lund_report_mb(lund_report) -> tuple[float, ...]:
    return (lund_report[1].stat().st_size / 1e6,)


def _lund_folder_mb(lund_year) -> tuple[float, ...]:
    from restvarme.results.folder import verify_run_folder

    size_mb = sum(e["bytes"] for e in verify_run_folder(lund_year.folder)["files"].values()) / 1e6
    return (size_mb, size_mb / 1000)  # hashed at the 1 GB/s the text states


CLAIMS = (
    Claim(
        "README.md",
        r"failed logins locked out for (\d+)\s+minutes after (\d+) per name or (\d+) per address",
        _login_limits,
        "the web app's login limits (restvarme.store.logins.LoginLimits)",
    ),
    Claim("README.md", r"a full (8,760)-hour year", _hours_of_lund, "hours of the Lund year"),
    Claim("README.md", r"Python (3\.11) or newer", _python, "pyproject's requires-python"),
    Claim("README.md", r"and exit code (2)\.", _exit_code, "restvarme.cli.EXIT_BAD_INPUT"),
    Claim("README.md", r"on (8)-hour\s+blocks", _warm_start_block, "warm_start.BLOCK_HOURS"),
    Claim(
        "README.md",
        r"delivery\s+temperature \((25)–(85) °C\)",
        _price_list_temperatures,
        "waste-heat-value --temperatures",
    ),
    Claim("README.md", r"revenue of a (1) MW", _supplier_mw, "waste-heat-value --supplier-mw"),
    Claim(
        "docs/report.md",
        r"JavaScript \(about ([\d.]+) MB\)",
        _plotly_js_mb,
        "plotly.js embedded",
        rel=0.03,
    ),
    Claim(
        "docs/report.md",
        r"full year makes a file of about ([\d.]+) MB",
        _lund_report_mb,
        "the Lund report",
        rel=0.03,
        slow=True,
    ),
    Claim("docs/report.md", r"week/month/(3) months", _range_button_months, "range buttons"),
    Claim(
        "docs/report.md",
        r"(1) t/MWh = ([\d,]+) g/kWh",
        _g_per_kwh,
        "figures.T_PER_MWH_TO_G_PER_KWH",
    ),
    Claim("docs/report.md", r"as (8,760) time stamps", _hours_of_lund, "hours of a year"),
    Claim("docs/report.md", r"rounded to ([\d.]+) MW", _rounding_mw, "charts._rounded"),
    Claim(
        "docs/report.md",
        r"bins of about (\d+) sorted hours \((\d+) points a year\)",
        _duration_bins,
        "charts.duration_bins",
    ),
    Claim(
        "docs/report.md",
        r"stop at the (1)st/(99)th percentile",
        _percentiles,
        "charts.PRICE_COLOUR_PERCENTILES",
    ),
    Claim(
        "docs/security.md",
        r"the Lund\s+example's ([\d.]+) MB take ([\d.]+) s",
        _lund_folder_mb,
        "the Lund run folder's files",
        rel=0.05,
        slow=True,
    ),
)

DECLARED = (
    Declared("README.md", r"SHA-256", "the hash's name"),
    Declared("README.md", r"Lund 2030", "the example's name"),
    Declared("docs/report.md", r"CO2e", "the unit's name"),
    Declared("README.md", r"EN ISO 9806", "the standard's name"),
    Declared("README.md", r"Q·\(1 − 1/COP\)", "a formula"),
    Declared(
        "README.md",
        r"about 14 s of solver time, the coarse plan's included, where a cold start took 173\s+s"
        r" with its dual simplex split over both cores of the machine \(235 s on one\)",
        "a timing, measured by benchmarks/vs_pypsa_expansion.py (machines differ: not a test)",
    ),
    Declared(
        "README.md",
        r"On 4 December 2026 between 00:36 and 00:46 UTC it ran 1,304 tests in 74, 85 and 70 s"
        r"[^.]*136, 159 and 129 s user, about 5 s system\); the same work takes up\s+to a"
        r" quarter more CPU time[^.]*\.\s+At 23:30[^.]*1,291 tests took 90 s\s+\(162 s user\)"
        r"\.\s+It sets[^.]*afresh\.[^.]*about\s+70 ms of xarray",
        "a dated timing of the fast loop with the command that measured it (not a test)",
    ),
    Declared("README.md", r"answers 429", "an HTTP status code"),
    Declared("docs/report.md", r"float32|base64", "data type names"),
    Declared("docs/report.md", r"\(0 without cooling networks\)", "a definition"),
)


def _prose(text: str) -> str:
    """The text with code blocks, inline code and link targets blanked (same length)."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"^```.*?^```", blank, text, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]*`", blank, text)
    text = re.sub(r"\]\([^)]*\)", blank, text)
    return re.sub(r"<!--.*?-->", blank, text, flags=re.S)


def _read(doc: str) -> str:
    return (ROOT / doc).read_text(encoding="utf-8")


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _check(claim: Claim, *fixtures: object) -> None:
    prose = _prose(_read(claim.doc))
    matches = list(re.finditer(claim.pattern, prose))
    assert matches, f"{claim.doc}: no longer says {claim.pattern!r} ({claim.what})"
    expected = claim.expected(*fixtures)
    for m in matches:
        shown = tuple(_value(g) for g in m.groups())
        ok = all(
            s == pytest.approx(e, rel=claim.rel, abs=0.5 * 10 ** -_decimals(g))
            for s, e, g in zip(shown, expected, m.groups(), strict=True)
        )
        assert ok, (
            f"{claim.doc} says {m.group(0)!r}, but {claim.what} is now "
            f"{', '.join(f'{e:,.4g}' for e in expected)}: update the docs"
        )


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize(
    "claim", [c for c in CLAIMS if not c.slow], ids=lambda c: f"{c.doc}:{c.what}"
)
def test_claim_equals_the_code(claim):
    _check(claim)


@pytest.mark.slow
def test_claims_on_the_lund_year(lund_year, lund_report):
    for claim in CLAIMS:
        if claim.slow:
            fixture = lund_report if claim.expected is _lund_report_mb else lund_year
            _check(claim, fixture)


@pytest.mark.parametrize("doc", CHECKED_DOCS)
def test_every_number_in_the_prose_is_checked_or_declared(doc):
    prose = _prose(_read(doc))
    covered = [False] * len(prose)
    for pattern in [c.pattern for c in CLAIMS if c.doc == doc] + [
        d.pattern for d in DECLARED if d.doc == doc
    ]:
        for m in re.finditer(pattern, prose):
            covered[m.start() : m.end()] = [True] * (m.end() - m.start())
    loose = []
    for m in NUMBER.finditer(prose):
        if not all(covered[m.start() : m.end()]):
            line = prose.count("\n", 0, m.start()) + 1
            loose.append(f"{doc}:{line}: {m.group(0)!r}")
    assert loose == [], (
        "numbers in the prose that no test recomputes: add a Claim (or a Declared with the "
        "reason) in tests/report/test_docs_numbers.py\n" + "\n".join(loose)
    )


def test_the_checker_finds_a_number_nobody_checks(monkeypatch):
    """The completeness check can fail: a sentence with a new figure is reported."""
    text = _read("docs/report.md") + "\nThe report opens in 3.2 s.\n"
    monkeypatch.setattr(
        "test_docs_numbers._read", lambda doc: text if doc == "docs/report.md" else ""
    )
    with pytest.raises(AssertionError, match=r"'3\.2'"):
        test_every_number_in_the_prose_is_checked_or_declared("docs/report.md")
