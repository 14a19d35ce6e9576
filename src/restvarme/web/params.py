"""Types of the web app's parameters that the store's database must be able to hold.

An id in a path or a query is an integer the database can compare: SQLite and PostgreSQL keep
integers in 64 bits, so an id beyond 2**63 - 1 (a fuzzer's, a stranger's) would fail inside the
driver (``OverflowError``) instead of finding nothing. FastAPI refuses it with a 422 instead.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

DB_INTEGER_MAX = 2**63 - 1
"""The largest integer a SQLite or PostgreSQL ``BIGINT`` column holds."""

DbId = Annotated[int, Field(ge=1, le=DB_INTEGER_MAX)]
"""An id of a stored row: a positive integer the database can hold."""

RunIds = Annotated[list[DbId], Field(min_length=1, max_length=20)]
"""The runs a comparison shows (``?run=1&run=2``): 1 to 20 ids."""
