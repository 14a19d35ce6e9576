"""Skipping a test module whose optional extra is missing, without importing the extra.

``pytest.importorskip("pypsa")`` at a module's top imports PyPSA (about 3 CPU seconds) in every
process that collects the module, also where ``-m "not slow"`` then deselects its tests or where
the tests run in another xdist worker; :func:`require` only looks the package up, and the tests
import it when they build a network.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re

import pytest


def require(package: str, minimum: tuple[int, ...] = (), why: str = "") -> None:
    """Skip the calling module (at import) unless ``package`` is installed, at ``minimum`` or
    later if given (``why`` says what needs that release)."""
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"could not import {package!r}", allow_module_level=True)
    if minimum:
        release = importlib.metadata.version(package)
        parts = release.split(".")[: len(minimum)]
        found = tuple(int(m.group()) if (m := re.match(r"\d+", x)) else 0 for x in parts)
        if found < minimum:
            reason = why or f"{package} {release} is older than {minimum}"
            pytest.skip(reason, allow_module_level=True)
