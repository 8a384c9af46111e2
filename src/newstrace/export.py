"""Output formats: each one a serializer of the same record dicts.

The record shapes are the JSONL contract in DESIGN.md; CSV and Parquet carry the same
columns, with list and dict values written as JSON text so nothing is lost.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from newstrace.model import Article, Mention

FORMATS = ("jsonl", "csv", "parquet")

ARTICLE_FIELDS: tuple[str, ...] = (
    "article",
    "title",
    "outlet",
    "published",
    "url",
    "author",
    "text",
    "spun_score",
    "flags",
    "removed",
    "source",
    "format",
)
MENTION_FIELDS: tuple[str, ...] = ("article", "start", "end", "text", "label")


def article_record(article: Article) -> dict[str, Any]:
    """The `articles` JSONL record: the cleaned text, its quality, and what was removed."""
    return {
        "article": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "author": article.author,
        "text": article.text,
        "spun_score": article.spun_score,
        "flags": list(article.flags),
        "removed": [removal.to_dict() for removal in article.removed],
        "source": article.source,
        "format": article.format,
    }


def mention_record(mention: Mention) -> dict[str, Any]:
    return mention.to_dict()


def write_jsonl(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], stream: IO[str], fields: tuple[str, ...]) -> int:
    writer = csv.DictWriter(stream, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in _flat(records):
        writer.writerow(record)
        count += 1
    return count


def write_parquet(
    records: Iterable[dict[str, Any]], path: Path, fields: tuple[str, ...], batch_rows: int = 2000
) -> int:
    """Written in row groups so an export of a large store never sits in memory whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(name)) for name in fields])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _flat(records):
            batch.append(record)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    if name in ("start", "end"):
        return pa.int64()
    if name == "spun_score":
        return pa.float64()
    return pa.string()


def _flat(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for record in records:
        yield {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
            for key, value in record.items()
        }
