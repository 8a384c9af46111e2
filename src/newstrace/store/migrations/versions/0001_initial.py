"""Initial schema: articles with removals and mentions, full-text search, later-stage tables.

Revision ID: 0001
Revises:
Create Date: 2024-01-01

Written out table by table (not ``metadata.create_all``) so this revision keeps creating the
same thing when ``schema.py`` moves on. Full-text search differs per backend:

- SQLite: an FTS5 table ``articles_fts(id UNINDEXED, title, text)`` with Porter stemming (close
  to PostgreSQL's English configuration), kept in step with ``articles`` by triggers so every
  writer, not only the store, keeps it right (``articles_fts_docs`` maps article ids to FTS
  rowids); ``bm25`` column weights are stored as its rank.
- PostgreSQL: a generated ``search`` tsvector column (title weight A, text weight B) with a GIN
  index; the database maintains it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# FTS5 rows are found by rowid, never by the UNINDEXED id (that would scan the whole index on
# every replace). ``articles_fts_docs`` gives each article a stable integer doc id: its INTEGER
# PRIMARY KEY survives VACUUM, which the implicit rowid of ``articles`` (text key) does not.
_FTS_ROW = "(SELECT doc FROM articles_fts_docs WHERE id = {}.id)"
_FTS_INSERT = """INSERT INTO articles_fts (rowid, id, title, text)
        SELECT doc, new.id, new.title, new.text FROM articles_fts_docs WHERE id = new.id;"""
_SQLITE_FTS = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        id UNINDEXED, title, text, tokenize = 'porter unicode61 remove_diacritics 2')""",
    # Weights per column (id, title, text): a word in the title counts ten times one in the text.
    "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(0.0, 10.0, 1.0)')",
    "CREATE TABLE articles_fts_docs (doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)",
    f"""CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts_docs (id) VALUES (new.id);
        {_FTS_INSERT}
    END""",
    f"""CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        DELETE FROM articles_fts WHERE rowid = {_FTS_ROW.format("old")};
        DELETE FROM articles_fts_docs WHERE id = old.id;
    END""",
    f"""CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, text ON articles BEGIN
        DELETE FROM articles_fts WHERE rowid = {_FTS_ROW.format("old")};
        UPDATE articles_fts_docs SET id = new.id WHERE id = old.id;
        {_FTS_INSERT}
    END""",
)

_POSTGRES_FTS = (
    """ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED""",
    "CREATE INDEX ix_articles_search ON articles USING gin (search)",
)


def _article_fk(name: str = "article_id") -> sa.Column[str]:
    return sa.Column(
        name, sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("raw_text", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("flags", sa.Text, nullable=False),
        sa.Column("spun_score", sa.Float),
        sa.Column("ingested_at", sa.Text, nullable=False),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])

    op.create_table(
        "removals",
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("at", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "seq"),
    )
    op.create_table(
        "mentions",
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "seq"),
    )
    op.create_index("ix_mentions_label_text", "mentions", ["label", "text"])

    # Filled by later stages; created now so every database has the same shape.
    op.create_table(
        "quotes",
        sa.Column("id", sa.Text, primary_key=True),
        _article_fk(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_mention", sa.Text),
        sa.Column("speaker_role", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("cluster", sa.Text),
    )
    op.create_index("ix_quotes_article_id", "quotes", ["article_id"])
    op.create_index("ix_quotes_cluster", "quotes", ["cluster"])
    op.create_table(
        "entities",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
    )
    op.create_table(
        "entity_mentions",
        sa.Column(
            "entity_id",
            sa.Text,
            sa.ForeignKey("entities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        _article_fk(),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "start", "end", "entity_id"),
    )
    op.create_index("ix_entity_mentions_entity_id", "entity_mentions", ["entity_id"])
    op.create_table(
        "links",
        _article_fk("copy_id"),
        _article_fk("original_id"),
        sa.Column("relation", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("copy_id", "original_id"),
    )
    op.create_index("ix_links_original_id", "links", ["original_id"])
    op.create_table(
        "stories",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text),
    )
    op.create_table(
        "story_articles",
        sa.Column(
            "story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False
        ),
        _article_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("story_id", "article_id"),
    )
    op.create_index("ix_story_articles_article_id", "story_articles", ["article_id"])

    search = {"sqlite": _SQLITE_FTS, "postgresql": _POSTGRES_FTS}[op.get_bind().dialect.name]
    for statement in search:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("articles_fts_update", "articles_fts_delete", "articles_fts_insert"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE articles_fts")
        op.execute("DROP TABLE articles_fts_docs")
    for table in (
        "story_articles",
        "stories",
        "links",
        "entity_mentions",
        "entities",
        "quotes",
        "mentions",
        "removals",
        "articles",
    ):
        op.drop_table(table)
