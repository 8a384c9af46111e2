"""Writing the corpus-level facts the link pass re-decides on every run (entities, quote
clusters, stories, provenance links) as the difference from what is stored.

The link pass hands over the whole new set each time; most of it is usually what the last
pass stored (a run that adds a few articles to a large store moves a few entities, clusters
and stories). Rewriting every row would cost the whole store per run, so each table is
compared row by row and only rows that differ are deleted, updated or inserted. The result
is the same as replacing the tables whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, select, update
from sqlalchemy.engine import Connection

# Rows per statement: far below SQLite's and PostgreSQL's parameter limits.
_CHUNK = 2000


def sync_table(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Make ``table`` hold exactly ``rows``, keyed by its primary key: a stored row whose
    key is gone is deleted, a new key inserted, a row whose values changed updated in place
    (not deleted, which would cascade to its children). Parents before children: a
    parent's deletion takes its children with it, and a child needs its parent."""
    key = [column.name for column in table.primary_key.columns]
    names = [column.name for column in table.columns]
    wanted = {tuple(row[k] for k in key): tuple(row[n] for n in names) for row in rows}
    stored = {
        tuple(getattr(row, k) for k in key): tuple(row) for row in conn.execute(select(table))
    }
    where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in key))
    gone = [_keys(key, k) for k in stored if k not in wanted]
    _run(conn, delete(table).where(where), gone)
    others = [n for n in names if n not in key]
    changed = [
        {
            **_keys(key, k),
            **{f"v_{n}": v for n, v in zip(names, values, strict=True) if n in others},
        }
        for k, values in wanted.items()
        if k in stored and stored[k] != values
    ]
    if changed and others:
        assign: dict[str, Any] = {n: bindparam(f"v_{n}") for n in others}
        _run(conn, update(table).where(where).values(assign), changed)
    new = [dict(zip(names, row, strict=True)) for k, row in wanted.items() if k not in stored]
    _run(conn, table.insert(), new)


def sync_quote_facts(
    conn: Connection, table: Table, facts: Mapping[tuple[str, int, int], Any]
) -> None:
    """Set each quote's (cluster, speaker entity) to ``facts`` at its (article, start, end),
    (None, None) where absent, updating only the quotes whose pair changes."""
    query = select(
        table.c.id, table.c.article_id, table.c.start, table.c.end, table.c.cluster,
        table.c.speaker_entity,
    )  # fmt: skip
    params = []
    for row in conn.execute(query):
        cluster, entity = facts.get((row.article_id, row.start, row.end), (None, None))
        if (row.cluster, row.speaker_entity) != (cluster, entity):
            params.append({"b_id": row.id, "b_cluster": cluster, "b_entity": entity})
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(cluster=bindparam("b_cluster"), speaker_entity=bindparam("b_entity"))
    )
    _run(conn, statement, params)


def _keys(key: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    return {f"k_{k}": v for k, v in zip(key, values, strict=True)}


def _run(conn: Connection, statement: Any, params: list[dict[str, Any]]) -> None:
    for start in range(0, len(params), _CHUNK):
        conn.execute(statement, params[start : start + _CHUNK])
