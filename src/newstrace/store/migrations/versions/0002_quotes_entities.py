"""Quote spans and clusters, entity evidence, and the analysis version of each article.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

- ``stories``: main entities and time span; ``links.decided_by``: which evidence named
  the original.
- ``meta``: small facts about the store as a whole (which state the link stage last saw).
- ``article_features``: per-article fingerprints the corpus stage reads (story features),
  so linking never re-parses an article.
- ``articles.analysis_version``: which version of the per-article stages produced the stored
  rows, so a newer newstrace re-analyses stored articles whose text did not change.
- ``quotes``: offsets of the speaker mention and of the cue, besides the content span.
- ``quote_clusters``: the same quote across articles, with its first appearance.
- ``entities.evidence`` and ``entities.quotes``: why mentions were merged into one entity,
  and how many quotes it is the speaker of.

Columns are added with plain ALTER TABLE (never a SQLite table rebuild, which would drop the
full-text triggers on ``articles``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "articles", sa.Column("analysis_version", sa.Text, nullable=False, server_default="")
    )
    for name in ("speaker_start", "speaker_end", "cue_start", "cue_end"):
        op.add_column("quotes", sa.Column(name, sa.Integer))
    op.add_column("quotes", sa.Column("seq", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])
    op.create_table(
        "quote_clusters",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("speaker", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("first_article", sa.Text, nullable=False),
        sa.Column("first_published", sa.Text),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("variants", sa.Text, nullable=False),
    )
    op.add_column("entities", sa.Column("evidence", sa.Text, nullable=False, server_default="[]"))
    op.add_column("entities", sa.Column("quotes", sa.Integer, nullable=False, server_default="0"))
    op.add_column("stories", sa.Column("entities", sa.Text, nullable=False, server_default="[]"))
    op.add_column("stories", sa.Column("first_published", sa.Text))
    op.add_column("stories", sa.Column("last_published", sa.Text))
    op.add_column("links", sa.Column("decided_by", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "article_features",
        sa.Column(
            "article_id",
            sa.Text,
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "name"),
    )


def downgrade() -> None:
    op.drop_table("article_features")
    op.drop_table("meta")
    op.drop_column("links", "decided_by")
    for name in ("last_published", "first_published", "entities"):
        op.drop_column("stories", name)
    op.drop_column("entities", "quotes")
    op.drop_column("entities", "evidence")
    op.drop_table("quote_clusters")
    op.drop_index("ix_quotes_speaker", "quotes")
    for name in ("seq", "cue_end", "cue_start", "speaker_end", "speaker_start"):
        op.drop_column("quotes", name)
    op.drop_column("articles", "analysis_version")
