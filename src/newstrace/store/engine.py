"""Database URLs, engines and migrations: everything backend-specific about connecting.

SQLite and PostgreSQL differ in how a write transaction is made exclusive, and that is decided
here once: SQLite write transactions start with ``BEGIN IMMEDIATE`` (the write lock is taken up
front, so two writers queue on ``busy_timeout`` instead of failing half-way with "database is
locked"); PostgreSQL write transactions take a transaction-scoped advisory lock per schema, so
concurrent writers of the same article serialise instead of racing on the primary key.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

DEFAULT_DB = "sqlite:///newstrace.db"
ENV_VAR = "NEWSTRACE_DB"

_MIGRATIONS = Path(__file__).with_name("migrations")
# Execution option that marks a connection as a writer (see ``writer``).
_WRITE_OPTION = "newstrace_write"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ACCEPTED = (
    "a file path (news.db), sqlite:///path/to/news.db, or postgresql://user@host:5432/dbname"
)


def resolve_db_url(url: str | None) -> str:
    """Turn what a user typed (or ``$NEWSTRACE_DB``, or nothing) into a SQLAlchemy URL.

    A bare path means a SQLite file; ``postgres://`` and ``postgresql://`` get the psycopg 3
    driver, the only PostgreSQL driver installed. Errors name the scheme only, never the whole
    URL, because it may carry a password.
    """
    if url is None:
        url = os.environ.get(ENV_VAR) or DEFAULT_DB
    url = url.strip()
    if not url:
        raise ValueError(f"empty database URL: use {_ACCEPTED}")
    if "://" not in url:
        if _SCHEME.match(url) and not Path(url).exists():
            raise ValueError(f"{url!r} looks like a URL without '//': use {_ACCEPTED}")
        return "sqlite:///" + str(Path(url).expanduser())
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        return f"{scheme}://{rest}"
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use {_ACCEPTED}")


def prepare_connection(dbapi_connection: Any, _record: Any) -> None:
    """Configure every new SQLite connection; the one place SQLite pragmas are set.

    WAL lets readers (the web app) run while the pipeline writes; foreign keys are off by
    default in SQLite and the schema relies on ON DELETE CASCADE; transaction control is taken
    from the sqlite3 module (``isolation_level = None``) so ``_begin`` can emit the BEGIN.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in (
            "foreign_keys = ON",
            "journal_mode = WAL",
            "busy_timeout = 5000",
            "synchronous = NORMAL",
        ):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _begin(conn: Connection) -> None:
    """Emit SQLite's BEGIN ourselves: IMMEDIATE for writers, deferred for readers."""
    immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_store_engine(url: str) -> Engine:
    """An engine for a resolved URL, with the SQLite connection and transaction hooks."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", prepare_connection)
        event.listen(engine, "begin", _begin)
        return engine
    # Long-lived processes (the web app) outlive server restarts; check before each checkout.
    return create_engine(url, pool_pre_ping=True)


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) with its transactions marked as write transactions."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def lock_for_write(conn: Connection) -> None:
    """Serialise writers on PostgreSQL (SQLite already did, with BEGIN IMMEDIATE).

    The lock is per schema, so test schemas and separate corpora in one database do not wait
    on each other; it is released at commit or rollback.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('newstrace:' || current_schema()))")
        )


def alembic_config() -> Config:
    """Alembic's config without an alembic.ini: migrations ship inside the package."""
    config = Config()
    # ConfigParser interpolates '%', which may occur in an install path.
    config.set_main_option("script_location", str(_MIGRATIONS).replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Upgrade the database to the newest revision in one transaction; a no-op at head.

    Running inside a locked write transaction makes two processes opening the same new
    database at once safe: the second waits, then finds the schema at head.
    """
    config = alembic_config()
    with writer(engine).begin() as conn:
        lock_for_write(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
