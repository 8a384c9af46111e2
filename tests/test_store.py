"""The store on real SQLite files and a real PostgreSQL schema (fictional articles only)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.model import Analysis, Article, Mention, Quote, Removal
from newstrace.store import DEFAULT_DB, SearchHit, Store, WriteResult, resolve_db_url
from newstrace.store import db as store_db
from newstrace.store.engine import alembic_config, create_store_engine
from newstrace.store.schema import metadata

LATER_TABLES = {"quotes", "entities", "entity_mentions", "links", "stories", "story_articles"}
# Objects that exist only in the migrated database, by design (see schema.py).
SEARCH_TABLES = {
    "articles_fts",
    "articles_fts_config",
    "articles_fts_content",
    "articles_fts_docs",
    "articles_fts_data",
    "articles_fts_docsize",
    "articles_fts_idx",
}


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def bridge(
    text: str = "The Eastbrook bridge will reopen on Monday, said Mayor Ilsa Varn.",
    **overrides: object,
) -> Analysis:
    fields: dict[str, object] = {
        "id": "eastbrook/bridge.txt",
        "raw_text": "READ MORE: Win a toaster [CLICK]\n" + text,
        "text": text,
        "title": "Eastbrook bridge to reopen",
        "url": "https://example.test/eastbrook/bridge",
        "outlet": "Eastbrook Ledger",
        "author": "Pat Quill",
        "published": "2031-03-04T09:00:00+00:00",
        "source": "tests/eastbrook/bridge.txt",
        "format": "txt",
        "removed": [
            Removal(start=0, end=33, text="READ MORE: Win a toaster [CLICK]\n", kind="promo", at=0)
        ],
        "flags": ["promo-removed"],
    }
    fields.update(overrides)
    article = Article(**fields)  # type: ignore[arg-type]
    start = text.find("Eastbrook")
    mentions = [Mention(article.id, start, start + 9, "Eastbrook", "GPE")] if start >= 0 else []
    return Analysis(article=article, mentions=mentions)


def plain(
    article_id: str, text: str, title: str | None = None, published: str | None = None
) -> Analysis:
    return Analysis(
        Article(id=article_id, raw_text=text, text=text, title=title, published=published)
    )


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
            for name in ("articles", "removals", "mentions")
        }


def ingested_at(store: Store, article_id: str) -> str:
    with store.engine.connect() as conn:
        query = sa.text("SELECT ingested_at FROM articles WHERE id = :id")
        return str(conn.execute(query, {"id": article_id}).scalar_one())


# --- migrations and schema -------------------------------------------------------------------


def test_migrations_apply_on_empty_db_and_reapply_as_noop(db_url: str) -> None:
    with Store.open(db_url) as first:
        assert first.write([bridge()]) == WriteResult(inserted=1)
    with Store.open(db_url) as again, again.engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [(head,)]
        assert again.count_articles() == 1


def test_metadata_and_migrated_database_agree(store: Store) -> None:
    inspector = sa.inspect(store.engine)
    found = set(inspector.get_table_names()) - SEARCH_TABLES - {"alembic_version"}
    assert found == set(metadata.tables)
    assert set(metadata.tables) >= LATER_TABLES | {"articles", "removals", "mentions"}
    for name, table in metadata.tables.items():
        columns = {column["name"] for column in inspector.get_columns(name)}
        if name == "articles" and store.engine.dialect.name == "postgresql":
            columns.discard("search")  # generated tsvector, PostgreSQL only
        assert columns == {column.name for column in table.columns}, name
        indexes = {index["name"] for index in inspector.get_indexes(name)} - {"ix_articles_search"}
        assert indexes == {index.name for index in table.indexes}, name


def test_sqlite_connections_are_prepared(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


# --- writing and reading back ----------------------------------------------------------------


def test_round_trip_is_exact(store: Store) -> None:
    text = "“We will not wait,” said Mayor Ilsa Varn of Eastbrook 🌉 — ‘really’."
    first = bridge(text)
    bare = plain("bare", "Nothing else known.")
    assert store.write([first, bare]) == WriteResult(inserted=2)

    by_id = {article.id: article for article in store.articles()}
    assert by_id["eastbrook/bridge.txt"].to_dict() == first.article.to_dict()
    assert by_id["bare"].to_dict() == bare.article.to_dict()
    assert list(store.mentions(["eastbrook/bridge.txt"])) == first.mentions
    assert store.stored_hashes(["eastbrook/bridge.txt", "missing"]) == {
        "eastbrook/bridge.txt": first.article.content_hash
    }


def test_writing_the_same_batch_twice_changes_nothing(store: Store) -> None:
    batch = [bridge(), plain("other", "The ferry runs late.", title="Ferry")]
    assert store.write(batch) == WriteResult(inserted=2)
    before, stamp = row_counts(store), ingested_at(store, "other")
    assert store.write(batch) == WriteResult(unchanged=2)
    assert row_counts(store) == before
    assert ingested_at(store, "other") == stamp


def test_changed_article_is_replaced_with_its_children(store: Store) -> None:
    store.write([bridge()])
    stamp = ingested_at(store, "eastbrook/bridge.txt")
    with store.engine.begin() as conn:  # a row a later stage derived from the old text
        conn.execute(
            sa.text(
                'INSERT INTO quotes (id, article_id, start, "end", text, kind) '
                "VALUES ('q1', 'eastbrook/bridge.txt', 0, 4, 'x', 'direct')"
            )
        )
    changed = bridge("The Westmoor tunnel stays shut, officials said.", removed=[])

    assert store.write([changed]) == WriteResult(replaced=1)
    [stored] = store.articles()
    assert stored.to_dict() == changed.article.to_dict()
    assert list(store.mentions()) == []
    assert row_counts(store) == {"articles": 1, "removals": 0, "mentions": 0}
    assert ingested_at(store, "eastbrook/bridge.txt") == stamp
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM quotes")).scalar_one() == 0
    assert [hit.article for hit in store.search("tunnel")] == ["eastbrook/bridge.txt"]
    assert store.search("Monday") == []


def test_repeated_id_in_one_batch_counts_as_written_in_order(store: Store) -> None:
    old, new = plain("dup", "First draft."), plain("dup", "Second draft.")
    assert store.write([old, new, new]) == WriteResult(inserted=1, replaced=1, unchanged=1)
    assert [article.text for article in store.articles()] == ["Second draft."]


def test_failing_batch_stores_nothing_and_keeps_earlier_data(store: Store) -> None:
    original = bridge()
    store.write([original])
    before = row_counts(store)
    bad = plain("bad", "Broken record.")
    bad.article.removed = [Removal(start=None, end=1, text="x", kind="promo")]  # type: ignore[arg-type]
    batch = [bridge("The Westmoor tunnel stays shut."), plain("new", "A new story."), bad]

    with pytest.raises(sa.exc.IntegrityError):
        store.write(batch)

    assert [a.to_dict() for a in store.articles()] == [original.article.to_dict()]
    assert row_counts(store) == before
    assert store.search("tunnel") == []
    assert [hit.article for hit in store.search("reopen")] == ["eastbrook/bridge.txt"]


def test_crash_between_delete_and_insert_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = bridge()
    store.write([original])

    def crash(*_args: object) -> None:
        raise RuntimeError("killed mid-batch")

    monkeypatch.setattr(store_db, "insert_all", crash)
    with pytest.raises(RuntimeError, match="killed"):
        store.write([bridge("The Westmoor tunnel stays shut.")])
    assert [a.to_dict() for a in store.articles()] == [original.article.to_dict()]
    assert list(store.mentions()) == original.mentions


def test_invalid_records_are_refused_before_writing(store: Store) -> None:
    stray = plain("a", "Text.")
    stray.mentions = [Mention("b", 0, 4, "Text", "ORG")]
    with pytest.raises(ValueError, match="belongs to 'b'"):
        store.write([plain("ok", "Fine."), stray])
    with pytest.raises(ValueError, match="NUL"):
        store.write([plain("nul", "bad\x00byte")])
    assert store.count_articles() == 0


def test_concurrent_writers_of_one_batch_store_it_once(db_url: str) -> None:
    batch = [plain(f"c{i}", f"Council note {i}.") for i in range(20)]
    with Store.open(db_url) as shared, Store.open(db_url) as other:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda s: s.write(batch), [shared, other, shared, other]))
        assert sorted(r.inserted for r in results) == [0, 0, 0, 20]
        assert sum(r.unchanged for r in results) == 60
        assert shared.count_articles() == 20


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    title=st.none()
    | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
)
def test_any_text_round_trips(store: Store, text: str, title: str | None) -> None:
    analysis = plain(f"prop-{secrets.token_hex(4)}", text, title=title)
    assert store.write([analysis]) == WriteResult(inserted=1)
    [stored] = store.articles([analysis.article.id])
    assert stored.to_dict() == analysis.article.to_dict()


# --- queries ---------------------------------------------------------------------------------


def test_articles_are_ordered_by_published_then_id(store: Store) -> None:
    store.write(
        [
            plain("c", "Undated."),
            plain("b", "Later.", published="2031-05-02"),
            plain("a", "Undated too."),
            plain("z", "Earlier.", published="2031-05-01T08:00:00"),
            plain("y", "Same day.", published="2031-05-02"),
        ]
    )
    assert [a.id for a in store.articles()] == ["z", "b", "y", "a", "c"]
    assert [a.id for a in store.articles(["c", "missing", "y", "z"])] == ["z", "y", "c"]
    assert store.count_articles() == 5


def test_search_by_text_and_title_with_title_hits_first(store: Store) -> None:
    store.write(
        [
            plain(
                "in-text",
                "Crews said the lighthouse keeper left the island at dawn.",
                title="Island news",
            ),
            plain(
                "in-title", "Repairs start next week on the old tower.", title="Lighthouse repairs"
            ),
            plain("unrelated", "The bakery won a prize.", title="Bakery"),
        ]
    )
    hits = store.search("lighthouse")
    assert [hit.article for hit in hits] == ["in-title", "in-text"]
    assert hits[0].score > hits[1].score
    text_hit = hits[1]
    assert isinstance(text_hit, SearchHit)
    assert text_hit.title == "Island news"
    assert "keeper" in text_hit.snippet
    [(start, end)] = text_hit.highlights
    assert text_hit.snippet[start:end] == "lighthouse"
    assert text_hit.to_dict()["highlights"] == [[start, end]]
    assert [hit.article for hit in store.search("keepers island")] == ["in-text"]
    assert store.search("lighthouse", limit=1)[0].article == "in-title"


def test_sqlite_search_index_follows_every_writer_even_after_vacuum(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        store.write([plain(f"n{i}", f"Note {i} about the harbour.") for i in range(5)])
        # Another writer (the sqlite3 shell, say), then a VACUUM that may renumber the
        # implicit rowids of articles: the triggers must keep the index right regardless.
        path = sqlite_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("DELETE FROM articles WHERE id IN ('n0', 'n1')")
            other.execute("VACUUM")
        store.write([plain("n4", "Note 4 moved to the quarry.")])
        assert [hit.article for hit in store.search("harbour")] == ["n2", "n3"]
        assert [hit.article for hit in store.search("quarry")] == ["n4"]
        with store.engine.connect() as conn:
            indexed = conn.execute(sa.text("SELECT id FROM articles_fts ORDER BY id")).scalars()
            assert list(indexed) == ["n2", "n3", "n4"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND OR NOT",
        "*",
        ":",
        "NEAR(",
        "'; DROP TABLE articles;--",
        "",
        "   ",
        "a\x00b",
        "title:lighthouse",
        "-",
        "(",
        ")",
        "^x",
        "{text}",
        "lighthouse*",
        '"unclosed phrase',
        "\\",
        "🌉",
        "!",
        "<->",
        "&|",
    ],
)
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    store.write([plain("one", "A lighthouse on the rocks.", title="Rocks")])
    assert isinstance(store.search(query), list)
    assert store.count_articles() == 1


# --- URLs ------------------------------------------------------------------------------------


def test_resolve_db_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NEWSTRACE_DB", raising=False)
    assert resolve_db_url(None) == DEFAULT_DB == "sqlite:///newstrace.db"
    monkeypatch.setenv("NEWSTRACE_DB", "team.db")
    assert resolve_db_url(None) == "sqlite:///team.db"
    assert resolve_db_url("x.db") == "sqlite:///x.db"
    assert resolve_db_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path}/a.db"
    assert resolve_db_url("sqlite:///data/x.db") == "sqlite:///data/x.db"
    assert resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_db_url("postgres://u@h:5433/db") == "postgresql+psycopg://u@h:5433/db"
    assert resolve_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://root:hunter2@h/db",
        "postgresql+psycopg2://u:hunter2@h/db",
        "",
        "  ",
        "postgres:/h/db",
    ],
)
def test_resolve_db_url_rejects_unknown(url: str) -> None:
    with pytest.raises(ValueError, match="use a file path") as error:
        resolve_db_url(url)
    assert "hunter2" not in str(error.value)


def _store_at(db_url: str, revision: str, *statements: str) -> None:
    """A store as an older newstrace left it: the schema at ``revision``, then ``statements``."""
    engine = create_store_engine(resolve_db_url(db_url))
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        for statement in statements:
            conn.execute(sa.text(statement))
    engine.dispose()


def test_upgrade_from_the_first_revision_keeps_stored_articles(db_url: str) -> None:
    _store_at(
        db_url,
        "0001",
        "INSERT INTO articles (id, content_hash, source, format, raw_text, text, flags,"
        " ingested_at) VALUES ('old-1', 'h', 's', 'txt', 'Raw Keld text.',"
        " 'Keld text.', '[]', '2026-01-01T00:00:00+00:00')",
    )
    with Store.open(db_url) as store:
        (article,) = store.articles()
        assert (article.id, article.text) == ("old-1", "Keld text.")
        assert store.stored_hashes(["old-1"]) == {"old-1": "h"}  # version "" until re-analysed
        assert [hit.article for hit in store.search("Keld")] == ["old-1"]


def test_upgrade_to_speaker_entities_asks_for_a_new_link_pass(db_url: str) -> None:
    """A store linked before quotes carried their speaker's entity is linked again."""
    _store_at(
        db_url,
        "0002",
        "INSERT INTO meta (key, value) VALUES ('linked_state', 'd1')",
        "INSERT INTO meta (key, value) VALUES ('other', 'kept')",
    )
    with Store.open(db_url) as store:
        assert store.get_meta("linked_state") is None
        assert store.get_meta("other") == "kept"


def test_quotes_round_trip_and_filter(store: Store) -> None:
    text = "“We will not wait,” said Mayor Ilsa Varn. She added that the bridge would open."
    article = Article(id="q-1", raw_text=text, text=text)
    quotes = [
        Quote("q-1", 1, 17, "We will not wait", "direct", "Ilsa Varn", "Mayor Ilsa Varn", 25, 40,
              "mayor", "said", 20, 24, 0.9),
        Quote("q-1", 51, 80, "the bridge would open", "indirect", "Ilsa Varn", "She", 42, 45,
              None, "added", 46, 51, 0.4),
    ]
    store.write([Analysis(article=article, quotes=quotes, version="v")])
    assert list(store.quotes()) == quotes
    assert list(store.quotes(speaker="ilsa varn", min_confidence=0.5)) == quotes[:1]
    assert list(store.quotes(["missing"])) == []
