"""Read-only queries for the web app: one page of a listing, one record by id, counts.

``Store`` streams whole tables for the CLI; a web request wants one page or one record, so
these queries filter, count and cut in the database. Records come back through the store's
own row converters, so every front end serializes the same ``to_dict`` shapes. Text is
ordered by code point on both backends (PostgreSQL's ``C`` collation, SQLite's default), the
order ``Store`` sorts in, so pages agree with the CLI's listings.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ColumnElement, Row, Select, func, make_url, or_, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from newstrace.model import Article, Entity, Link, Quote, QuoteCluster, Story
from newstrace.store import rows as convert
from newstrace.store import schema
from newstrace.store.db import Store
from newstrace.store.engine import alembic_config, create_store_engine

_T = TypeVar("_T")


@dataclass(frozen=True)
class Page(Generic[_T]):
    """One slice of a filtered listing, and how many records the whole listing holds."""

    items: list[_T]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + self.limit
        return following if following < self.total else None


@dataclass(frozen=True)
class ArticleFilter:
    outlet: str | None = None  # case-insensitive exact outlet name
    flagged: bool | None = None  # any quality or cleaning flag (True) or none (False)
    flag: str | None = None  # one named flag, e.g. "machine-spun"


@dataclass(frozen=True)
class QuoteFilter:
    article: str | None = None
    speaker: str | None = None  # case-insensitive resolved speaker
    cluster: str | None = None
    min_confidence: float = 0.0


def counts(store: Store) -> dict[str, int]:
    """How many of each record the store holds, for the API index and the home page."""
    tables = {
        "articles": schema.articles,
        "quotes": schema.quotes,
        "quote_clusters": schema.quote_clusters,
        "stories": schema.stories,
        "entities": schema.entities,
        "links": schema.links,
    }
    with store.engine.connect() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in tables.items()
        }


def articles_page(store: Store, where: ArticleFilter, offset: int, limit: int) -> Page[Article]:
    """Articles in the store's reading order (published, undated last, then id)."""
    table = schema.articles
    conditions: list[ColumnElement[bool]] = []
    if where.outlet is not None:
        conditions.append(func.lower(table.c.outlet) == where.outlet.casefold())
    if where.flagged is not None:
        conditions.append(table.c.flags != "[]" if where.flagged else table.c.flags == "[]")
    if where.flag is not None:
        # Flags are a JSON list of plain words: match the quoted word, never a substring.
        conditions.append(table.c.flags.contains(json.dumps(where.flag), autoescape=True))
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.id).where(*conditions))
        query = select(table.c.id).where(*conditions)
        query = query.order_by(*_reading_order(conn)).offset(offset).limit(limit)
        ids = list(conn.execute(query).scalars())
    return Page(list(store.articles(ids)), total, offset, limit)


def quotes_page(store: Store, where: QuoteFilter, offset: int, limit: int) -> Page[Quote]:
    """Quotes in the store's order (their articles' reading order, then text order)."""
    quotes = schema.quotes
    conditions = [quotes.c.confidence >= where.min_confidence]
    if where.article is not None:
        conditions.append(quotes.c.article_id == where.article)
    if where.speaker is not None:
        conditions.append(func.lower(quotes.c.speaker) == where.speaker.casefold())
    if where.cluster is not None:
        conditions.append(quotes.c.cluster == where.cluster)
    joined = quotes.join(schema.articles, schema.articles.c.id == quotes.c.article_id)
    with store.engine.connect() as conn:
        total = _count(conn, select(quotes.c.id).where(*conditions))
        query = (
            select(quotes)
            .select_from(joined)
            .where(*conditions)
            .order_by(*_reading_order(conn), quotes.c.seq)
            .offset(offset)
            .limit(limit)
        )
        found = [convert.quote(row) for row in conn.execute(query)]
    return Page(found, total, offset, limit)


def links_touching(store: Store, article_id: str) -> list[Link]:
    """Provenance edges where the article is the copy or the original."""
    table = schema.links
    query = (
        select(table)
        .where(or_(table.c.copy_id == article_id, table.c.original_id == article_id))
        .order_by(table.c.original_id, table.c.copy_id)
    )
    with store.engine.connect() as conn:
        return [_link(row) for row in conn.execute(query)]


def links_page(store: Store, relation: str | None, offset: int, limit: int) -> Page[Link]:
    table = schema.links
    condition = true() if relation is None else table.c.relation == relation
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.copy_id).where(condition))
        order = [_text_order(conn, table.c.original_id), _text_order(conn, table.c.copy_id)]
        query = select(table).where(condition).order_by(*order).offset(offset).limit(limit)
        found = [_link(row) for row in conn.execute(query)]
    return Page(found, total, offset, limit)


def story(store: Store, story_id: str) -> Story | None:
    return next((found for found in store.stories() if found.id == story_id), None)


def stories_of_article(store: Store, article_id: str) -> list[Story]:
    return [found for found in store.stories() if article_id in found.articles]


def entity(store: Store, entity_id: str) -> Entity | None:
    """One entity with its mentions, without reading every other entity's."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.entities).where(schema.entities.c.id == entity_id)
        ).one_or_none()
        if row is None:
            return None
        table = schema.entity_mentions
        query = (
            select(table.c.article_id, table.c.start, table.c.end)
            .where(table.c.entity_id == entity_id)
            .order_by(table.c.article_id, table.c.start)
        )
        mentions = [(m.article_id, m.start, m.end) for m in conn.execute(query)]
    return convert.entity(row, mentions)


def entity_quotes(store: Store, found: Entity) -> list[Quote]:
    """The quotes this entity said: the speaker mention overlaps one of its mentions, or
    the resolved speaker is its name or an alias (in an article where it is mentioned)."""
    names = {name.casefold() for name in [found.name, *found.aliases]}
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article, start, end in found.mentions:
        spans[article].append((start, end))

    def said(quote: Quote) -> bool:
        if quote.speaker_start is not None and quote.speaker_end is not None:
            for start, end in spans[quote.article]:
                if start < quote.speaker_end and quote.speaker_start < end:
                    return True
        return bool(quote.speaker) and str(quote.speaker).casefold() in names

    return [quote for quote in store.quotes(found.articles) if said(quote)]


def speakers_named(store: Store, name: str) -> list[Entity]:
    """Entities whose name or an alias is ``name`` (case-insensitive), most reported first."""
    wanted = name.casefold()
    return [
        found
        for found in store.entities()
        if wanted in {alias.casefold() for alias in [found.name, *found.aliases]}
    ]


def top_speakers(store: Store, limit: int) -> list[tuple[str, int]]:
    """Resolved speakers by number of quotes, most quoted first."""
    table = schema.quotes
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.speaker, func.count())
            .where(table.c.speaker.is_not(None))
            .group_by(table.c.speaker)
        )
        found = Counter({str(row[0]): int(row[1]) for row in rows})
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def cluster(store: Store, cluster_id: str) -> QuoteCluster | None:
    return next((found for found in store.quote_clusters() if found.id == cluster_id), None)


def _link(row: Row[Any]) -> Link:
    return Link(
        copy=row.copy_id,
        original=row.original_id,
        relation=row.relation,
        score=row.score,
        evidence=list(json.loads(row.evidence)),
        decided_by=row.decided_by,
    )


def _count(conn: Connection, query: Select[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def _text_order(conn: Connection, column: Any) -> Any:
    """Code-point order on both backends (PostgreSQL's default collation is the locale's)."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _reading_order(conn: Connection) -> list[Any]:
    table = schema.articles
    return [
        table.c.published.is_(None),
        _text_order(conn, table.c.published),
        _text_order(conn, table.c.id),
    ]


def open_existing(url: str) -> Store:
    """Open a store that already holds a newstrace database at the newest schema, without
    creating, migrating or writing anything; ``ValueError`` says what is wrong otherwise."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if not database or database == ":memory:":
            raise ValueError("serve needs a database file, not an in-memory database")
        path = Path(database)
        if not path.is_file() or path.stat().st_size == 0:
            raise ValueError(f"no database at {path}: run `newstrace analyze INPUT... --db {path}`")
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as error:
        engine.dispose()
        raise ValueError(f"cannot open the database: {' '.join(str(error.orig).split())}") from None
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        engine.dispose()
        if current is None:
            raise ValueError("the database is empty (no newstrace tables): run `newstrace analyze`")
        raise ValueError(
            f"the database schema is at {current}, not {head}: run `newstrace analyze` once "
            "to upgrade it"
        )
    return Store(engine)
