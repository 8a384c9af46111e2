"""One batch write, split by job: refuse what the database would reject, decide what to
write against what is stored, and insert it with one executemany per table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from newstrace.model import Analysis, Mention, Quote
from newstrace.store import rows as convert
from newstrace.store import schema


@dataclass(frozen=True)
class WriteResult:
    """What one ``write`` did, per article: counts add up to the batch size."""

    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "replaced": self.replaced, "unchanged": self.unchanged}


def check(analysis: Analysis) -> None:
    """Refuse, before any write, what the database would reject half-way through a batch.

    PostgreSQL text cannot hold NUL characters; SQLite could, but both backends must store the
    same thing. A mention must belong to the article it is stored with.
    """
    article = analysis.article
    strings = [article.id, article.raw_text, article.text, article.source, article.format]
    strings += [
        s
        for s in (article.title, article.url, article.outlet, article.author, article.published)
        if s is not None
    ]
    strings += article.flags
    strings += [part for removal in article.removed for part in (removal.text, removal.kind)]
    strings += [part for mention in analysis.mentions for part in (mention.text, mention.label)]
    strings += [
        part
        for quote in analysis.quotes
        for part in (quote.text, quote.speaker, quote.speaker_mention, quote.speaker_role)
        if part
    ]
    if any("\x00" in s for s in strings):
        raise ValueError(f"article {article.id!r}: text contains NUL characters; clean them out")
    records: list[Mention | Quote] = [*analysis.mentions, *analysis.quotes]
    for record in records:
        if record.article != article.id:
            raise ValueError(
                f"article {article.id!r}: {record.text!r} belongs to {record.article!r}"
            )


def plan(
    analyses: Sequence[Analysis], stored: dict[str, tuple[str, str]]
) -> tuple[WriteResult, list[tuple[Analysis, str]]]:
    """Count the batch as if written one by one against ``stored`` (id -> hash and analysis
    version), and pick what must be written: the last version of each id, with its hash,
    where it differs from what is stored."""
    counts = {"inserted": 0, "replaced": 0, "unchanged": 0}
    current = dict(stored)
    latest: dict[str, tuple[Analysis, str]] = {}
    for analysis in analyses:
        state = (analysis.article.content_hash, analysis.version)
        previous = current.get(analysis.article.id)
        if previous is None:
            counts["inserted"] += 1
        else:
            counts["unchanged" if previous == state else "replaced"] += 1
        current[analysis.article.id] = state
        latest[analysis.article.id] = (analysis, state[0])
    todo = [
        pair
        for article_id, pair in latest.items()
        if stored.get(article_id) != (pair[1], pair[0].version)
    ]
    return WriteResult(**counts), todo


def insert_all(
    conn: Connection, todo: list[tuple[Analysis, str]], ingested: dict[str, str], now: str
) -> None:
    """Bulk-insert articles and their children with one executemany per table."""
    if not todo:
        return
    conn.execute(
        schema.articles.insert(),
        [
            convert.article_row(a, content_hash, ingested.get(a.article.id, now))
            for a, content_hash in todo
        ],
    )
    removal_rows = [
        {
            "article_id": a.article.id,
            "seq": seq,
            "start": r.start,
            "end": r.end,
            "at": r.at,
            "kind": r.kind,
            "text": r.text,
        }
        for a, _ in todo
        for seq, r in enumerate(a.article.removed)
    ]
    if removal_rows:
        conn.execute(schema.removals.insert(), removal_rows)
    mention_rows = [
        {
            "article_id": a.article.id,
            "seq": seq,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": m.label,
        }
        for a, _ in todo
        for seq, m in enumerate(a.mentions)
    ]
    if mention_rows:
        conn.execute(schema.mentions.insert(), mention_rows)
    quote_rows = [convert.quote_row(q, seq) for a, _ in todo for seq, q in enumerate(a.quotes)]
    if quote_rows:
        conn.execute(schema.quotes.insert(), quote_rows)
    feature_rows = [
        {"article_id": a.article.id, "name": name, "data": json.dumps(data, ensure_ascii=False)}
        for a, _ in todo
        for name, data in a.features.items()
    ]
    if feature_rows:
        conn.execute(schema.article_features.insert(), feature_rows)
