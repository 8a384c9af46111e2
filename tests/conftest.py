"""Shared fixtures: real databases, never mocks.

PostgreSQL tests run against ``$NEWSTRACE_TEST_PG`` (default: the local server) in a schema of
their own, dropped afterwards. Where no server answers they skip with the reason, unless
``NEWSTRACE_REQUIRE_PG=1`` (CI), where that is a failure. The browser tests work the same way
with Debian's chromium and ``NEWSTRACE_REQUIRE_BROWSER=1`` (or ``CI=true``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from importlib import resources
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


# --- The web app: a store analysed once per session, and the browser for end-to-end tests. ---

WEB_FIXTURE = Path(__file__).parent / "fixtures" / "web" / "hostile.jsonl"
CHROMIUM = Path("/usr/bin/chromium")
_DEMO_SUFFIXES = (".txt", ".html", ".jsonl", ".rss")


def _analyse_into(url: str, demo_names: list[str] | None = None) -> None:
    """Analyse the bundled demo corpus (all of it, or ``demo_names``) and the hostile web
    fixture into the store at ``url``, with the real pipeline; ids are the demo file names."""
    from newstrace.ingest import IngestOptions
    from newstrace.pipeline import PipelineOptions, run
    from newstrace.store import Store

    demo = resources.files("newstrace") / "demo"
    with resources.as_file(demo) as folder, contextlib.chdir(folder):
        names = demo_names or sorted(p.name for p in folder.iterdir() if p.suffix in _DEMO_SUFFIXES)
        with Store.open(url) as store:
            report = run([*names, str(WEB_FIXTURE)], store, IngestOptions(), PipelineOptions())
    assert not report.failures, report.failures


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the analysed demo corpus plus two hostile articles (markup and
    scripts in their titles and texts), shared read-only by the web tests."""
    path = tmp_path_factory.mktemp("web") / "web.db"
    _analyse_into(f"sqlite:///{path}")
    return path


@pytest.fixture
def web_pg_url(pg_url: str) -> str:
    """A PostgreSQL schema holding two demo articles (an original and its spun copy) and the
    hostile web fixture: the web app's queries on the second backend."""
    _analyse_into(pg_url, ["a01_wire_fire.txt", "a05_spun_fire.txt"])
    return pg_url


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium for Playwright (which never downloads a browser here). Missing, the
    browser tests skip with the reason, unless CI (``CI=true`` or
    ``NEWSTRACE_REQUIRE_BROWSER=1``), where that is a failure."""
    reason = ""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not installed (Debian package chromium; `make dev` installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (requirements/dev.txt)"
    if reason:
        if os.environ.get("CI") == "true" or os.environ.get("NEWSTRACE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(CHROMIUM)
