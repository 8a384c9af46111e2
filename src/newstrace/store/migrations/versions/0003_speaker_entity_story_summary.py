"""Each quote's speaker as a cross-article entity; each story's main quotes and copies.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

``quotes.speaker_entity`` holds the entity the link stage resolved the speaker to, so a
speaker's quotes are found under every spelling ("Hrebenko", "Grebenko") with one indexed
lookup. ``stories.quotes`` (its most widely carried quote clusters) and
``stories.provenance`` (original -> copies inside the story) summarise a story. The link
stage's "already linked" marker is dropped so the next writing run fills them for what is
stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("quotes", sa.Column("speaker_entity", sa.Text))
    op.create_index("ix_quotes_speaker_entity", "quotes", ["speaker_entity"])
    op.add_column("stories", sa.Column("quotes", sa.Text, nullable=False, server_default="[]"))
    op.add_column(
        "stories", sa.Column("provenance", sa.Text, nullable=False, server_default="{}")
    )
    op.execute(sa.text("DELETE FROM meta WHERE key = 'linked_state'"))


def downgrade() -> None:
    op.drop_column("stories", "provenance")
    op.drop_column("stories", "quotes")
    op.drop_index("ix_quotes_speaker_entity", "quotes")
    op.drop_column("quotes", "speaker_entity")
