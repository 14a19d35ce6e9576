"""The run store: scenarios as content-hashed versions, runs, their results by content hash.

SQLAlchemy 2 with Alembic migrations; SQLite in the data folder by default, PostgreSQL (or any
database SQLAlchemy speaks) by URL: ``postgresql+psycopg://user@host/db``. Needs the ``web``
extra (``pip install restvarme[web]``). See docs/web.md.
"""

from __future__ import annotations

from restvarme.errors import MissingExtraError

try:
    import alembic  # noqa: F401
    import sqlalchemy  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise MissingExtraError(
        f"the run store needs {error.name}: pip install 'restvarme[web]'"
    ) from None

from restvarme.store.models import RunStatus
from restvarme.store.runs import NotFoundError, RunStore, StoreError, migrate

__all__ = ["NotFoundError", "RunStatus", "RunStore", "StoreError", "migrate"]
