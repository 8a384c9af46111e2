"""Full-text search over stored articles, one function over both backends' indexes.

Any user input is safe. SQLite (FTS5): each whitespace-separated term is quoted, so FTS5
operators (``AND``, ``NEAR(``, ``*``, ``col:``) are taken as plain words and every term must
occur. PostgreSQL: web-search syntax (``"a phrase"``, ``or``, ``-word``) through
``websearch_to_tsquery``, which never rejects input. Both stem English words, so "retreat"
finds "retreating", and both weight a word in the title above one in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.engine import Connection

# Highlight markers asked of the database: control characters that news text does not hold
# (a stray one would only misplace a highlight, never break a query).
_MARK_START, _MARK_END = "\x02", "\x03"

_SQLITE_SEARCH = text(
    f"""
    SELECT a.id, a.title,
           snippet(articles_fts, 2, '{_MARK_START}', '{_MARK_END}', '…', 24) AS snippet,
           -articles_fts.rank AS score
    FROM articles_fts JOIN articles AS a ON a.id = articles_fts.id
    WHERE articles_fts MATCH :query
    ORDER BY articles_fts.rank, a.id
    LIMIT :limit
    """
)
# Rank and cut first, then build headlines (which re-parse the text) for the top rows only.
_POSTGRES_SEARCH = text(
    """
    WITH q AS (SELECT websearch_to_tsquery('english', :query) AS query),
    top AS (
        SELECT a.id, ts_rank(a.search, q.query) AS score
        FROM articles AS a CROSS JOIN q
        WHERE a.search @@ q.query
        ORDER BY score DESC, a.id
        LIMIT :limit
    )
    SELECT a.id, a.title, ts_headline('english', a.text, q.query, :options) AS snippet,
           top.score
    FROM top JOIN articles AS a ON a.id = top.id CROSS JOIN q
    ORDER BY top.score DESC, a.id
    """
)
_HEADLINE_OPTIONS = (
    f"StartSel={_MARK_START}, StopSel={_MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class SearchHit:
    """One search result. ``snippet`` is plain, unescaped text from the article;
    ``highlights`` are ``(start, end)`` offsets of the matched words in it, so each front end
    escapes and marks them its own way (HTML, terminal) without parsing markup."""

    article: str
    title: str | None
    snippet: str
    score: float
    highlights: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "title": self.title,
            "snippet": self.snippet,
            "score": self.score,
            "highlights": [list(span) for span in self.highlights],
        }


def search(conn: Connection, query: str, limit: int) -> list[SearchHit]:
    """The best ``limit`` matches for ``query``; no terms, no results."""
    terms = query.replace("\x00", " ").split()
    if not terms or limit <= 0:
        return []
    if conn.dialect.name == "sqlite":
        fts_query = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        rows = conn.execute(_SQLITE_SEARCH, {"query": fts_query, "limit": limit})
    else:
        parameters = {"query": " ".join(terms), "limit": limit, "options": _HEADLINE_OPTIONS}
        rows = conn.execute(_POSTGRES_SEARCH, parameters)
    return [_hit(row) for row in rows]


def _hit(row: Row[Any]) -> SearchHit:
    """Turn the database's marked-up snippet into plain text plus highlight offsets, folding
    runs of whitespace (line breaks included) so a snippet reads as one line."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for char in " ".join((row.snippet or "").split()):
        if char == _MARK_START:
            start = len(out)
        elif char == _MARK_END:
            spans.append((start, len(out)))
        else:
            out.append(char)
    return SearchHit(
        article=row.id,
        title=row.title,
        snippet="".join(out),
        score=float(row.score),
        highlights=tuple(spans),
    )
