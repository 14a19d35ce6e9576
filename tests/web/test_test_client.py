"""The API's tests use Starlette's TestClient on httpx2, the client it is built on since
Starlette 1.2 (on plain httpx it warns that this is deprecated): the ``web`` extra installs it."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow  # a fresh interpreter that checks what an import loads (tests/conftest.py)
def test_the_test_client_runs_on_httpx2_without_a_deprecation_warning():
    # a fresh interpreter, where any warning is an error: the fallback to httpx would fail it
    code = "import starlette.testclient as t; print(t.httpx.__name__)"
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "httpx2"
