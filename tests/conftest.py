"""Shared fixtures: real databases, never mocks.

PostgreSQL tests run against ``$NEWSTRACE_TEST_PG`` (default: the local server) in a schema of
their own, dropped afterwards. Where no server answers they skip with the reason, unless
``NEWSTRACE_REQUIRE_PG=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'newstrace.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("NEWSTRACE_TEST_PG", PG_DEFAULT)
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        where = make_url(base).render_as_string(hide_password=True)
        reason = f"PostgreSQL not reachable at {where}: {' '.join(str(exc).split())}"
        if os.environ.get("NEWSTRACE_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"nt_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(conninfo, connect_timeout=3, autocommit=True) as admin:
            admin.execute("SET lock_timeout = '10s'")
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on each backend the store supports."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url
