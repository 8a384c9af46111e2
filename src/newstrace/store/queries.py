"""Read-side building blocks shared by ``Store`` and the read views: name lookups across an
entity's spellings, cluster and story members in time order, and one text order on both
backends."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.engine import Connection

from newstrace.store import schema


def entity_ids_named(conn: Connection, name: str) -> list[str]:
    """Ids of the entities whose name or an alias is ``name`` (case-insensitive)."""
    wanted = name.casefold()
    table = schema.entities
    # The database narrows (the name, or the JSON alias list containing it); Python decides.
    loose = name.lower()
    narrowed = or_(
        func.lower(table.c.name) == loose,
        func.lower(table.c.aliases).contains(loose, autoescape=True),
    )
    query = select(table.c.id, table.c.name, table.c.aliases).where(narrowed)
    return [
        row.id
        for row in conn.execute(query)
        if wanted in {alias.casefold() for alias in [row.name, *json.loads(row.aliases)]}
    ]


def said_by(conn: Connection, name: str) -> ColumnElement[bool]:
    """Quotes whose speaker is ``name``: the resolved speaker, or the entity the speaker
    resolved to under any of its spellings."""
    quotes = schema.quotes
    by_name = func.lower(quotes.c.speaker) == name.casefold()
    ids = entity_ids_named(conn, name)
    return or_(by_name, quotes.c.speaker_entity.in_(ids)) if ids else by_name


def cluster_members(
    conn: Connection, ids: Sequence[str] | None = None
) -> defaultdict[str, list[tuple[str, int, int]]]:
    """Each cluster's quotes as (article, start, end), in time order (undated last)."""
    quotes, articles = schema.quotes, schema.articles
    query = (
        select(quotes.c.cluster, quotes.c.article_id, quotes.c.start, quotes.c.end)
        .select_from(quotes.join(articles, articles.c.id == quotes.c.article_id))
        .where(quotes.c.cluster.is_not(None) if ids is None else quotes.c.cluster.in_(ids))
        .order_by(
            articles.c.published.is_(None),
            text_order(conn, articles.c.published),
            text_order(conn, quotes.c.article_id),
            quotes.c.start,
        )
    )
    members: defaultdict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in conn.execute(query):
        members[row.cluster].append((row.article_id, row.start, row.end))
    return members


def story_articles(
    conn: Connection, ids: Sequence[str] | None = None
) -> defaultdict[str, list[str]]:
    """Each story's articles in their stored (time) order."""
    table = schema.story_articles
    query = select(table).order_by(table.c.story_id, table.c.position)
    if ids is not None:
        query = query.where(table.c.story_id.in_(ids))
    members: defaultdict[str, list[str]] = defaultdict(list)
    for row in conn.execute(query):
        members[row.story_id].append(row.article_id)
    return members


def text_order(conn: Connection, column: Any) -> Any:
    """Code-point order on both backends (PostgreSQL's default collation is the locale's)."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column
