"""The database schema as SQLAlchemy Core metadata, the same on SQLite and PostgreSQL.

Migrations (``migrations/versions``) are the source of truth for what a database holds; this
metadata mirrors the latest migration so queries can be written against ``Table`` objects, and
a test checks that the two agree. Full-text search is backend-specific and lives only in the
migrations: an FTS5 table ``articles_fts`` on SQLite, a generated ``search`` tsvector column on
PostgreSQL.

JSON values (``flags``, ``aliases``, ``roles``, ``evidence``) are stored as JSON text in ``Text``
columns so both backends hold byte-identical data. Timestamps are ISO 8601 text: ``published``
as the reader gave it, ``ingested_at`` in UTC.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

metadata = MetaData()


def _article_fk(name: str = "article_id") -> Column[str]:
    """A reference to an article: deleting or replacing the article deletes what it owns."""
    return Column(name, Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)


articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("published", Text),
    Column("source", Text, nullable=False),
    Column("format", Text, nullable=False),
    Column("raw_text", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("flags", Text, nullable=False),
    Column("spun_score", Float),
    Column("ingested_at", Text, nullable=False),
    Column("analysis_version", Text, nullable=False, server_default=""),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_outlet", "outlet"),
    Index("ix_articles_published", "published"),
)

removals = Table(
    "removals",
    metadata,
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("at", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("article_id", "seq"),
)

mentions = Table(
    "mentions",
    metadata,
    _article_fk(),
    Column("seq", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("label", Text, nullable=False),
    PrimaryKeyConstraint("article_id", "seq"),
    Index("ix_mentions_label_text", "label", "text"),
)

article_features = Table(
    "article_features",
    metadata,
    _article_fk(),
    Column("name", Text, nullable=False),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("article_id", "name"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# --- Filled by later stages (quotes, entity resolution, provenance, stories). -----------------
# Created by the first migration so every database has one shape; per-article rows cascade away
# when their article is replaced, because their offsets would no longer match its text.

quotes = Table(
    "quotes",
    metadata,
    Column("id", Text, primary_key=True),
    _article_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_mention", Text),
    Column("speaker_role", Text),
    Column("cue", Text),
    Column("confidence", Float),
    Column("cluster", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("seq", Integer, nullable=False, server_default="0"),
    Column("speaker_entity", Text),
    Index("ix_quotes_article_id", "article_id"),
    Index("ix_quotes_cluster", "cluster"),
    Index("ix_quotes_speaker", "speaker"),
    Index("ix_quotes_speaker_entity", "speaker_entity"),
)

quote_clusters = Table(
    "quote_clusters",
    metadata,
    Column("id", Text, primary_key=True),
    Column("speaker", Text),
    Column("text", Text, nullable=False),
    Column("first_article", Text, nullable=False),
    Column("first_published", Text),
    Column("size", Integer, nullable=False),
    Column("variants", Text, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("aliases", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("evidence", Text, nullable=False, server_default="[]"),
    Column("quotes", Integer, nullable=False, server_default="0"),
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("entity_id", Text, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    _article_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    PrimaryKeyConstraint("article_id", "start", "end", "entity_id"),
    Index("ix_entity_mentions_entity_id", "entity_id"),
)

links = Table(
    "links",
    metadata,
    _article_fk("copy_id"),
    _article_fk("original_id"),
    Column("relation", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("decided_by", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("copy_id", "original_id"),
    Index("ix_links_original_id", "original_id"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text),
    Column("entities", Text, nullable=False, server_default="[]"),
    Column("first_published", Text),
    Column("last_published", Text),
    Column("quotes", Text, nullable=False, server_default="[]"),
    Column("provenance", Text, nullable=False, server_default="{}"),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", Text, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    _article_fk(),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("story_id", "article_id"),
    Index("ix_story_articles_article_id", "article_id"),
)
