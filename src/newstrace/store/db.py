"""``Store``: write analyses idempotently, read them back, search them; SQLite or PostgreSQL.

Every ``write`` is one transaction, so a killed process leaves a batch either fully stored or
not at all, and re-running it changes nothing: articles whose ``content_hash`` and analysis
version are already stored are skipped; changed ones (new text, or analysed by another
version of the stages) are replaced together with every row derived from them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Table, delete, func, select
from sqlalchemy.engine import Engine

from newstrace.model import (
    Analysis,
    Article,
    Entity,
    Link,
    Mention,
    Quote,
    QuoteCluster,
    Removal,
    Story,
)
from newstrace.store import rows as convert
from newstrace.store import schema
from newstrace.store.batch import WriteResult, check, insert_all, plan
from newstrace.store.engine import (
    create_store_engine,
    lock_for_write,
    migrate,
    resolve_db_url,
    writer,
)
from newstrace.store.queries import cluster_members, said_by, story_articles
from newstrace.store.search import SearchHit, search
from newstrace.store.sync import sync_quote_facts, sync_table

_T = TypeVar("_T")
# Rows per IN (...) list: far below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500


class Store:
    """The one gateway to the database. Safe to share between threads (each call checks a
    connection out of the engine's pool); open one per process after a fork."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect to ``url`` (see ``resolve_db_url``) and migrate it to the newest schema."""
        engine = create_store_engine(resolve_db_url(url))
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """For later stages that read or fill the tables this class does not cover yet."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def write(self, analyses: Sequence[Analysis]) -> WriteResult:
        """Store a batch in one transaction, as if its analyses were written one by one.

        Same id and hash as stored: unchanged, nothing touched. Same id, new hash: the article
        is deleted (cascading to removals, mentions, quotes, links, ... and its search entry)
        and inserted again with its first ``ingested_at``. New id: inserted.
        """
        for analysis in analyses:
            check(analysis)
        if not analyses:
            return WriteResult()
        with self._writer.begin() as conn:
            lock_for_write(conn)
            ids = list(dict.fromkeys(analysis.article.id for analysis in analyses))
            columns = (
                schema.articles.c.id,
                schema.articles.c.content_hash,
                schema.articles.c.analysis_version,
                schema.articles.c.ingested_at,
            )
            rows = [
                row
                for chunk in _chunks(ids)
                for row in conn.execute(select(*columns).where(schema.articles.c.id.in_(chunk)))
            ]
            stored = {row.id: (row.content_hash, row.analysis_version) for row in rows}
            result, todo = plan(analyses, stored)
            stale = [analysis.article.id for analysis, _ in todo if analysis.article.id in stored]
            for chunk in _chunks(stale):
                conn.execute(delete(schema.articles).where(schema.articles.c.id.in_(chunk)))
            ingested = {row.id: row.ingested_at for row in rows}
            insert_all(conn, todo, ingested, datetime.now(UTC).isoformat())
        return result

    # --- reading ------------------------------------------------------------------------------

    def stored_hashes(self, ids: Iterable[str], version: str = "") -> dict[str, str]:
        """``id -> content_hash`` for the ids stored by analysis ``version``, to skip work
        done before; articles analysed by another version are left out (they need redoing)."""
        hashes: dict[str, str] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                query = select(schema.articles.c.id, schema.articles.c.content_hash).where(
                    schema.articles.c.id.in_(chunk),
                    schema.articles.c.analysis_version == version,
                )
                hashes.update((row.id, row.content_hash) for row in conn.execute(query))
        return hashes

    def count_articles(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar_one())

    def articles(self, ids: Sequence[str] | None = None) -> Iterator[Article]:
        """Stored articles (all, or those of ``ids`` that exist), by ``published`` with undated
        ones last, then by id. Read page by page, so no connection is held between yields."""
        for chunk in _chunks(self._ordered_ids(ids)):
            with self._engine.connect() as conn:
                rows = {
                    row.id: row
                    for row in conn.execute(
                        select(schema.articles).where(schema.articles.c.id.in_(chunk))
                    )
                }
                removed: dict[str, list[Removal]] = defaultdict(list)
                query = (
                    select(schema.removals)
                    .where(schema.removals.c.article_id.in_(chunk))
                    .order_by(schema.removals.c.article_id, schema.removals.c.seq)
                )
                for row in conn.execute(query):
                    removed[row.article_id].append(
                        Removal(
                            start=row.start, end=row.end, text=row.text, kind=row.kind, at=row.at
                        )
                    )
            for article_id in chunk:
                if article_id in rows:
                    yield convert.article(rows[article_id], removed[article_id])

    def mentions(self, article_ids: Sequence[str] | None = None) -> Iterator[Mention]:
        """Mentions of the given (or all) articles, in ``articles()`` order, then text order."""
        for chunk in _chunks(self._ordered_ids(article_ids)):
            with self._engine.connect() as conn:
                query = (
                    select(schema.mentions)
                    .where(schema.mentions.c.article_id.in_(chunk))
                    .order_by(schema.mentions.c.article_id, schema.mentions.c.seq)
                )
                found: dict[str, list[Mention]] = defaultdict(list)
                for row in conn.execute(query):
                    found[row.article_id].append(
                        Mention(
                            article=row.article_id,
                            start=row.start,
                            end=row.end,
                            text=row.text,
                            label=row.label,
                        )
                    )
            for article_id in chunk:
                yield from found[article_id]

    def quotes(
        self,
        article_ids: Sequence[str] | None = None,
        *,
        speaker: str | None = None,
        cluster: str | None = None,
        min_confidence: float = 0.0,
    ) -> Iterator[Quote]:
        """Quotes of the given (or all) articles in ``articles()`` order, then text order;
        ``speaker`` is a name (any spelling of an entity's, or a resolved speaker such as
        "one senior official"), matched case-insensitively."""
        filters = [schema.quotes.c.confidence >= min_confidence]
        if speaker is not None:
            with self._engine.connect() as conn:
                filters.append(said_by(conn, speaker))
        if cluster is not None:
            filters.append(schema.quotes.c.cluster == cluster)
        for chunk in _chunks(self._ordered_ids(article_ids)):
            with self._engine.connect() as conn:
                query = (
                    select(schema.quotes)
                    .where(schema.quotes.c.article_id.in_(chunk), *filters)
                    .order_by(schema.quotes.c.article_id, schema.quotes.c.seq)
                )
                found: dict[str, list[Quote]] = defaultdict(list)
                for row in conn.execute(query):
                    found[row.article_id].append(convert.quote(row))
            for article_id in chunk:
                yield from found[article_id]

    def features(
        self, name: str, ids: Sequence[str] | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(article id, data) of the stored fingerprints called ``name`` (of every article, or
        of ``ids``), in ``articles()`` order, page by page."""
        for chunk in _chunks(self._ordered_ids(ids)):
            with self._engine.connect() as conn:
                query = select(schema.article_features).where(
                    schema.article_features.c.article_id.in_(chunk),
                    schema.article_features.c.name == name,
                )
                found = {row.article_id: json.loads(row.data) for row in conn.execute(query)}
            for article_id in chunk:
                if article_id in found:
                    yield article_id, found[article_id]

    def replace_quote_clusters(
        self, quotes: Sequence[Quote], clusters: Sequence[QuoteCluster]
    ) -> None:
        """Set every quote's cross-article facts (its cluster, its speaker's entity) and make
        the cluster table hold ``clusters``, writing only what changed (``store.sync``)."""
        facts = {(q.article, q.start, q.end): (q.cluster, q.speaker_entity) for q in quotes}
        with self._writer.begin() as conn:
            lock_for_write(conn)
            sync_quote_facts(conn, schema.quotes, facts)
            sync_table(conn, schema.quote_clusters, [convert.cluster_row(c) for c in clusters])

    def quote_clusters(self) -> Iterator[QuoteCluster]:
        """Stored quote clusters, most widely repeated first, members in time order."""
        with self._engine.connect() as conn:
            heads = list(conn.execute(select(schema.quote_clusters)))
            members = cluster_members(conn)
        found = [convert.cluster(row, members[row.id]) for row in heads]
        found.sort(key=lambda cluster: (-len(cluster.members), cluster.id))
        yield from found

    def replace_links(self, links: Sequence[Link]) -> None:
        """Store the provenance edges, replacing the previous set whole."""
        rows = [
            {
                "copy_id": link.copy,
                "original_id": link.original,
                "relation": link.relation,
                "score": link.score,
                "evidence": json.dumps(link.evidence, ensure_ascii=False),
                "decided_by": link.decided_by,
            }
            for link in links
        ]
        self._replace_whole([(schema.links, rows)])

    def links(self) -> Iterator[Link]:
        """Stored provenance edges, by original then copy."""
        with self._engine.connect() as conn:
            query = select(schema.links).order_by(
                schema.links.c.original_id, schema.links.c.copy_id
            )
            rows = list(conn.execute(query))
        for row in rows:
            yield convert.link(row)

    def replace_stories(self, stories: Sequence[Story]) -> None:
        """Store the story clustering, replacing the previous one whole (stories merge and
        split as articles arrive; ids stay stable where a story survives)."""
        members = [
            {"story_id": story.id, "article_id": article, "position": position}
            for story in stories
            for position, article in enumerate(story.articles)
        ]
        heads = [convert.story_row(story) for story in stories]
        self._replace_whole([(schema.stories, heads), (schema.story_articles, members)])

    def stories(self) -> Iterator[Story]:
        """Stored stories, largest first, each with its articles in time order."""
        with self._engine.connect() as conn:
            heads = list(conn.execute(select(schema.stories)))
            members = story_articles(conn)
        found = [convert.story(row, members[row.id]) for row in heads]
        found.sort(key=lambda story: (-len(story.articles), story.id))
        yield from found

    def digest(self, ids: Iterable[str] | None = None) -> str:
        """A fingerprint of what is stored (ids, content hashes, analysis versions) of every
        article or of ``ids``: equal digests mean nothing was added, changed or removed in
        between (an id not stored counts as absent)."""
        wanted = None if ids is None else sorted(set(ids))
        query = select(
            schema.articles.c.id,
            schema.articles.c.content_hash,
            schema.articles.c.analysis_version,
        ).order_by(schema.articles.c.id)
        state = hashlib.sha256()
        with self._engine.connect() as conn:
            rows = (
                conn.execute(query)
                if wanted is None
                else (
                    row
                    for chunk in _chunks(wanted)
                    for row in conn.execute(query.where(schema.articles.c.id.in_(chunk)))
                )
            )
            for row in rows:
                state.update(
                    f"{row.id}\x1f{row.content_hash}\x1f{row.analysis_version}\x1e".encode()
                )
        return state.hexdigest()

    def get_meta(self, key: str) -> str | None:
        with self._engine.connect() as conn:
            query = select(schema.meta.c.value).where(schema.meta.c.key == key)
            value = conn.execute(query).scalar_one_or_none()
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        with self._writer.begin() as conn:
            lock_for_write(conn)
            conn.execute(delete(schema.meta).where(schema.meta.c.key == key))
            conn.execute(schema.meta.insert(), [{"key": key, "value": value}])

    def replace_entities(self, entities: Sequence[Entity]) -> None:
        """Store the corpus-level entities, replacing the previous resolution whole: entity
        resolution re-decides merges as articles arrive, so old entity rows are not kept."""
        mentions = [
            {"entity_id": e.id, "article_id": article, "start": start, "end": end}
            for e in entities
            for article, start, end in dict.fromkeys(e.mentions)
        ]
        heads = [convert.entity_row(entity) for entity in entities]
        self._replace_whole([(schema.entities, heads), (schema.entity_mentions, mentions)])

    def entity_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Entity id -> name, for the given ids that are stored."""
        wanted = sorted(set(ids))
        found: dict[str, str] = {}
        table = schema.entities
        for chunk in _chunks(wanted):
            with self._engine.connect() as conn:
                query = select(table.c.id, table.c.name).where(table.c.id.in_(chunk))
                found.update({row.id: row.name for row in conn.execute(query)})
        return found

    def _replace_whole(self, tables: Sequence[tuple[Table, list[dict[str, Any]]]]) -> None:
        """Make ``tables`` (parents first) hold exactly these rows in one write transaction,
        writing only the rows that differ from what is stored (``store.sync``)."""
        with self._writer.begin() as conn:
            lock_for_write(conn)
            for table, rows in tables:
                sync_table(conn, table, rows)

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        """Stored entities, most widely reported first (articles, then mentions)."""
        with self._engine.connect() as conn:
            query = select(schema.entities)
            if kind is not None:
                query = query.where(schema.entities.c.kind == kind)
            rows = list(conn.execute(query))
            mentions: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
            ordered = select(schema.entity_mentions).order_by(
                schema.entity_mentions.c.article_id, schema.entity_mentions.c.start
            )
            for row in conn.execute(ordered):
                mentions[row.entity_id].append((row.article_id, row.start, row.end))
        found = [convert.entity(row, mentions[row.id]) for row in rows]
        found.sort(key=lambda e: (-len(e.articles), -len(e.mentions), e.name, e.id))
        yield from found

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles (weighted up) and texts, best first; any input is safe
        (see ``newstrace.store.search``)."""
        with self._engine.connect() as conn:
            return search(conn, query, limit)

    def _ordered_ids(self, ids: Sequence[str] | None) -> list[str]:
        """Ids in reading order, sorted here so both backends agree whatever their collation."""
        query = select(schema.articles.c.id, schema.articles.c.published)
        with self._engine.connect() as conn:
            if ids is None:
                found = list(conn.execute(query))
            else:
                found = [
                    row
                    for chunk in _chunks(list(dict.fromkeys(ids)))
                    for row in conn.execute(query.where(schema.articles.c.id.in_(chunk)))
                ]
        found.sort(key=lambda row: (row.published is None, row.published or "", row.id))
        return [row.id for row in found]


def _chunks(items: list[_T], size: int = _CHUNK) -> Iterator[list[_T]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]
