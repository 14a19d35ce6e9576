"""The run store's tables (SQLAlchemy 2 declarative models).

::

    scenario 1─n scenario_version 1─n scenario_file      (files by SHA-256 in the blob store)
                        1
                        └─n run 1─n result_file          (files by SHA-256 in the blob store)

    app_user 1─n api_token                               (tokens by SHA-256, never in clear)
             1─n web_session                             (browser logins, with their CSRF token)
    login_failure                                        (failed logins: name, address, time)

A scenario version is identified by the SHA-256 of its file list (:func:`version_hash`): the same
files uploaded twice are one version. File contents live on disk in the blob store
(:mod:`restvarme.store.blobs`), named by their SHA-256; the tables hold only the index.

The schema is made and upgraded by Alembic (``restvarme/store/migrations``), never by
``create_all``: a change to these models comes with a new migration.
"""

from __future__ import annotations

import datetime as _dt
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> _dt.datetime:
    """Now, in UTC, with its time zone."""
    return _dt.datetime.now(_dt.UTC)


class Base(DeclarativeBase):
    """Base of the store's tables."""


class RunStatus(StrEnum):
    """Where a run is: queued -> running -> succeeded | failed | cancelled."""

    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.succeeded, RunStatus.failed, RunStatus.cancelled)


class Scenario(Base):
    """A named scenario; its content lives in its versions."""

    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    versions: Mapped[list[ScenarioVersion]] = relationship(
        back_populates="scenario", order_by="ScenarioVersion.id"
    )


class ScenarioVersion(Base):
    """One content of a scenario: its files (YAML, series, SOURCES.md), who stored it and why."""

    __tablename__ = "scenario_version"
    __table_args__ = (UniqueConstraint("scenario_id", "content_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    scenario: Mapped[Scenario] = relationship(back_populates="versions")
    files: Mapped[list[ScenarioFileRow]] = relationship(
        back_populates="version", order_by="ScenarioFileRow.path"
    )


class ScenarioFileRow(Base):
    """A file of a scenario version: its path in the scenario folder and its content's hash."""

    __tablename__ = "scenario_file"
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[ScenarioVersion] = relationship(back_populates="files")


class Run(Base):
    """A run of a scenario version: status, phase, timings, the solver's log, the error."""

    __tablename__ = "run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_version.id"))
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.queued.value, index=True)
    phase: Mapped[str] = mapped_column(String(32), default="")
    solver: Mapped[str] = mapped_column(String(32), default="highs")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Write the HTML report with the results, as ``restvarme run --report`` (revision 0002)."""
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[_dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[_dt.datetime | None] = mapped_column(DateTime(timezone=True))
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int | None] = mapped_column(Integer)
    """The process that runs it (a worker, or ``restvarme run --store``), or that queued it."""
    timings_json: Mapped[str] = mapped_column(Text, default="{}")
    solver_seconds: Mapped[float | None] = mapped_column(Float)
    objective_eur: Mapped[float | None] = mapped_column(Float)
    solver_log: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[ScenarioVersion] = relationship()
    results: Mapped[list[ResultFile]] = relationship(
        back_populates="run", order_by="ResultFile.name"
    )


class ResultFile(Base):
    """A file of a finished run's folder (``results.nc``, the CSVs, ``manifest.json``)."""

    __tablename__ = "result_file"
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    run: Mapped[Run] = relationship(back_populates="results")


class Role(StrEnum):
    """What a user may do (issue 16): a viewer reads scenarios and runs; an editor also uploads,
    edits, runs and cancels; an admin also manages users and their tokens."""

    viewer = "viewer"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        return (Role.viewer, Role.editor, Role.admin).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


class User(Base):
    """A user of the web app: a name, a password hash (argon2id) and a role (revision 0003)."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """An API token of a user, kept as the SHA-256 of the token (shown once, when made)."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user: Mapped[User] = relationship()


class WebSession(Base):
    """A browser's login: the SHA-256 of its cookie, its CSRF token, when it expires."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed login (revision 0004): the name tried (``""`` for an unknown API token), the
    client's address and when; counted to lock out guessing (:mod:`restvarme.store.logins`)."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[_dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
