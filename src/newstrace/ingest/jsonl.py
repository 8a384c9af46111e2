"""JSON Lines: one article per line, each line read (and failed) on its own.

A bad line never costs the good ones: it becomes an ``InputFailure`` named ``path:lineno``.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from newstrace.ingest.dates import normalize_date
from newstrace.ingest.decode import BadInput
from newstrace.ingest.html import html_to_article
from newstrace.ingest.limits import DEFAULT_EXTRACT_TIMEOUT
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

_METADATA = ("title", "url", "outlet", "author", "published")
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def read_jsonl(
    data: bytes, path: str, extract_timeout: float | None = DEFAULT_EXTRACT_TIMEOUT
) -> Iterator[Article | InputFailure]:
    """Yield one article or failure per non-blank line; ``path`` names the input;
    ``extract_timeout`` bounds each ``html`` line's extraction."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        yield InputFailure(path, "JSONL must be UTF-8 (found a UTF-16/32 byte-order mark)")
        return
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        source = f"{path}:{lineno}"
        try:
            yield _line_to_article(raw, lineno == 1, path, source, extract_timeout)
        except BadInput as exc:
            yield InputFailure(source, str(exc))


def _line_to_article(
    raw: bytes, first: bool, path: str, source: str, extract_timeout: float | None
) -> Article | InputFailure:
    try:
        line = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"invalid UTF-8 at byte {exc.start + 1} (JSONL must be UTF-8)") from exc
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise BadInput("invalid JSON (nested too deeply)") from exc
    if not isinstance(record, dict):
        raise BadInput(f"not a JSON object (got {_json_type(record)})")
    fields = {name: _string_field(record, name) for name in _METADATA}
    article_id = _article_id(record) or source
    text = _string_field(record, "text")
    html = _string_field(record, "html")
    if text:
        return Article(
            id=article_id,
            raw_text=text.replace("\r\n", "\n").replace("\r", "\n"),
            title=fields["title"],
            url=fields["url"],
            outlet=fields["outlet"],
            author=fields["author"],
            published=normalize_date(fields["published"]),
            source=path,
            format="jsonl",
        )
    if html:
        extracted = html_to_article(
            html, article_id, source, fields["url"], fmt="jsonl", timeout=extract_timeout
        )
        if isinstance(extracted, InputFailure):
            return extracted
        # The line's own fields are what the producer meant; the page only fills gaps.
        return replace(
            extracted,
            source=path,
            title=fields["title"] or extracted.title,
            url=fields["url"] or extracted.url,
            outlet=fields["outlet"] or extracted.outlet,
            author=fields["author"] or extracted.author,
            published=normalize_date(fields["published"]) or extracted.published,
        )
    raise BadInput("no article text (needs a non-empty 'text' or 'html' field)")


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _string_field(record: dict[str, Any], name: str) -> str | None:
    """A stripped string, None when absent/null/blank; any other type fails the line."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"field '{name}' must be a string (got {_json_type(value)})")
    return value.strip() or None


def _article_id(record: dict[str, Any]) -> str | None:
    """Ids may be strings or integers (common in datasets); floats and others are refused."""
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _string_field(record, "id")
