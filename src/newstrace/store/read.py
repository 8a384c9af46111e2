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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import ColumnElement, Select, func, make_url, or_, select, true
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from newstrace.model import Article, Entity, Link, Quote, QuoteCluster, Story
from newstrace.store import rows as convert
from newstrace.store import schema
from newstrace.store.db import Store
from newstrace.store.engine import alembic_config, create_store_engine
from newstrace.store.queries import (
    cluster_members,
    entity_ids_named,
    said_by,
    story_articles,
    text_order,
)

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
    speaker: str | None = None  # a speaker's name: any spelling of its entity's (see said_by)
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
    if where.cluster is not None:
        conditions.append(quotes.c.cluster == where.cluster)
    joined = quotes.join(schema.articles, schema.articles.c.id == quotes.c.article_id)
    with store.engine.connect() as conn:
        if where.speaker is not None:
            conditions.append(said_by(conn, where.speaker))
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
        return [convert.link(row) for row in conn.execute(query)]


def links_of_copies(store: Store, copies: Sequence[str]) -> dict[str, Link]:
    """Copy id -> its provenance edge, for the given copies that have one."""
    table = schema.links
    found: dict[str, Link] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(copies), 500):
            chunk = list(copies[start : start + 500])
            for row in conn.execute(select(table).where(table.c.copy_id.in_(chunk))):
                found[row.copy_id] = convert.link(row)
    return found


def links_page(store: Store, relation: str | None, offset: int, limit: int) -> Page[Link]:
    table = schema.links
    condition = true() if relation is None else table.c.relation == relation
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.copy_id).where(condition))
        order = [text_order(conn, table.c.original_id), text_order(conn, table.c.copy_id)]
        query = select(table).where(condition).order_by(*order).offset(offset).limit(limit)
        found = [convert.link(row) for row in conn.execute(query)]
    return Page(found, total, offset, limit)


def stories_page(store: Store, offset: int, limit: int) -> Page[Story]:
    """Stories in the store's order: largest first, then id."""
    table, members = schema.stories, schema.story_articles
    size = (
        select(members.c.story_id, func.count().label("size"))
        .group_by(members.c.story_id)
        .subquery()
    )
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.id))
        query = (
            select(table)
            .join(size, size.c.story_id == table.c.id, isouter=True)
            .order_by(func.coalesce(size.c.size, 0).desc(), text_order(conn, table.c.id))
            .offset(offset)
            .limit(limit)
        )
        heads = list(conn.execute(query))
        articles = story_articles(conn, [row.id for row in heads])
    return Page([convert.story(row, articles[row.id]) for row in heads], total, offset, limit)


def story(store: Store, story_id: str) -> Story | None:
    found = _stories(store, schema.stories.c.id == story_id)
    return found[0] if found else None


def stories_of_article(store: Store, article_id: str) -> list[Story]:
    members = schema.story_articles
    holding = select(members.c.story_id).where(members.c.article_id == article_id)
    return _stories(store, schema.stories.c.id.in_(holding))


def _stories(store: Store, condition: ColumnElement[bool]) -> list[Story]:
    with store.engine.connect() as conn:
        heads = list(conn.execute(select(schema.stories).where(condition)))
        articles = story_articles(conn, [row.id for row in heads])
    found = [convert.story(row, articles[row.id]) for row in heads]
    return sorted(found, key=lambda story: (-len(story.articles), story.id))


def entities_page(store: Store, kind: str | None, offset: int, limit: int) -> Page[Entity]:
    """Entities in the store's order: most articles, then most mentions, then name and id."""
    table, mentions = schema.entities, schema.entity_mentions
    reach = (
        select(
            mentions.c.entity_id,
            func.count(func.distinct(mentions.c.article_id)).label("articles"),
            func.count().label("mentions"),
        )
        .group_by(mentions.c.entity_id)
        .subquery()
    )
    condition = true() if kind is None else table.c.kind == kind
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.id).where(condition))
        query = (
            select(table)
            .join(reach, reach.c.entity_id == table.c.id, isouter=True)
            .where(condition)
            .order_by(
                func.coalesce(reach.c.articles, 0).desc(),
                func.coalesce(reach.c.mentions, 0).desc(),
                text_order(conn, table.c.name),
                text_order(conn, table.c.id),
            )
            .offset(offset)
            .limit(limit)
        )
        heads = list(conn.execute(query))
        found = _entity_mentions(conn, [row.id for row in heads])
    return Page([convert.entity(row, found[row.id]) for row in heads], total, offset, limit)


def _entity_mentions(conn: Connection, ids: list[str]) -> dict[str, list[tuple[str, int, int]]]:
    table = schema.entity_mentions
    query = (
        select(table.c.entity_id, table.c.article_id, table.c.start, table.c.end)
        .where(table.c.entity_id.in_(ids))
        .order_by(text_order(conn, table.c.article_id), table.c.start)
    )
    found: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in conn.execute(query):
        found[row.entity_id].append((row.article_id, row.start, row.end))
    return found


def entity(store: Store, entity_id: str) -> Entity | None:
    """One entity with its mentions, without reading every other entity's."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(schema.entities).where(schema.entities.c.id == entity_id)
        ).one_or_none()
        if row is None:
            return None
        return convert.entity(row, _entity_mentions(conn, [entity_id])[entity_id])


def entity_quotes(store: Store, found: Entity) -> list[Quote]:
    """The quotes this entity said, as the link stage resolved their speakers."""
    table = schema.quotes
    with store.engine.connect() as conn:
        query = (
            select(table)
            .select_from(table.join(schema.articles, schema.articles.c.id == table.c.article_id))
            .where(table.c.speaker_entity == found.id)
            .order_by(*_reading_order(conn), table.c.seq)
        )
        return [convert.quote(row) for row in conn.execute(query)]


def speakers_named(store: Store, name: str) -> list[Entity]:
    """Entities whose name or an alias is ``name`` (case-insensitive), most reported first."""
    table = schema.entities
    with store.engine.connect() as conn:
        ids = entity_ids_named(conn, name)
        heads = list(conn.execute(select(table).where(table.c.id.in_(ids))))
        mentions = _entity_mentions(conn, ids)
    found = [convert.entity(row, mentions[row.id]) for row in heads]
    return sorted(found, key=lambda e: (-len(e.articles), -len(e.mentions), e.name, e.id))


def top_speakers(store: Store, limit: int) -> list[tuple[str, int]]:
    """Speakers by number of quotes, most quoted first: an entity under its name, with the
    quotes of every spelling; a speaker that is no entity ("one official") as resolved."""
    table = schema.quotes
    entities = schema.entities
    found: Counter[str] = Counter()
    with store.engine.connect() as conn:
        by_entity = (
            select(entities.c.name, func.count())
            .select_from(table.join(entities, entities.c.id == table.c.speaker_entity))
            .group_by(entities.c.id, entities.c.name)
        )
        by_name = (
            select(table.c.speaker, func.count())
            .where(table.c.speaker.is_not(None), table.c.speaker_entity.is_(None))
            .group_by(table.c.speaker)
        )
        for query in (by_entity, by_name):
            for row in conn.execute(query):
                found[str(row[0])] += int(row[1])
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def clusters_page(store: Store, offset: int, limit: int) -> Page[QuoteCluster]:
    """Quote clusters in the store's order: most widely repeated first, then id."""
    table = schema.quote_clusters
    with store.engine.connect() as conn:
        total = _count(conn, select(table.c.id))
        order = [table.c.size.desc(), text_order(conn, table.c.id)]
        heads = list(conn.execute(select(table).order_by(*order).offset(offset).limit(limit)))
        members = cluster_members(conn, [row.id for row in heads])
    return Page([convert.cluster(row, members[row.id]) for row in heads], total, offset, limit)


def cluster(store: Store, cluster_id: str) -> QuoteCluster | None:
    table = schema.quote_clusters
    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == cluster_id)).one_or_none()
        if row is None:
            return None
        return convert.cluster(row, cluster_members(conn, [cluster_id])[cluster_id])


def _count(conn: Connection, query: Select[Any]) -> int:
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def _reading_order(conn: Connection) -> list[Any]:
    table = schema.articles
    return [
        table.c.published.is_(None),
        text_order(conn, table.c.published),
        text_order(conn, table.c.id),
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
