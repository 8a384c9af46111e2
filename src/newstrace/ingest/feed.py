"""RSS and Atom feeds: each entry that carries article text becomes an article.

feedparser always gets a byte stream, never a string: given a string it would fetch URLs or
open local files, which untrusted input must never trigger.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import feedparser

from newstrace.ingest.dates import from_struct_time, normalize_date
from newstrace.ingest.html import extract, fragment_text, paragraphs
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

# A summary shorter than this is a teaser, not the article.
MIN_SUMMARY_WORDS = 40


def read_feed(
    data: bytes, source: str, *, content_type: str | None = None
) -> Iterator[Article | InputFailure]:
    """Yield the feed's articles; a feed that yields none is reported as a failure."""
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries") or []
    problem = _bozo_message(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not entries:
        if problem:
            yield InputFailure(source, f"malformed feed: {problem}")
        elif not parsed.get("version"):
            yield InputFailure(source, "not an RSS or Atom feed")
        else:
            yield InputFailure(source, "feed has no entries")
        return
    if problem:
        logger.warning(
            "%s: feed is not well-formed (%s); reading its entries anyway", source, problem
        )
    outlet = _plain(parsed.get("feed", {}).get("title"))
    found = 0
    for index, entry in enumerate(entries, start=1):
        body = _entry_body(entry)
        if not body:
            logger.debug("%s: entry %d has no article text, skipped", source, index)
            continue
        found += 1
        yield Article(
            id=str(entry.get("id") or entry.get("link") or f"{source}#{index}"),
            raw_text=body,
            title=_plain(entry.get("title")),
            url=entry.get("link") or None,
            outlet=outlet,
            author=_plain(entry.get("author")),
            published=_entry_date(entry),
            source=source,
            format="feed",
        )
    if not found:
        reason = f"no entry carries article text ({len(entries)} entries, titles or teasers only)"
        yield InputFailure(source, f"malformed feed: {problem}; {reason}" if problem else reason)


def _bozo_message(exc: Any) -> str:
    """feedparser's parse error as one line."""
    if exc is None:
        return "unknown error"
    if hasattr(exc, "getMessage"):  # SAX errors; their positions are off by feedparser's rewrites
        return str(exc.getMessage())
    return " ".join(str(exc).split()) or type(exc).__name__


def _entry_body(entry: Any) -> str:
    """Full content if the entry has it, else a summary long enough to be the article."""
    for content in entry.get("content") or []:
        text = _content_text(content.get("value"), content.get("type"))
        if text:
            return text
    detail = entry.get("summary_detail") or {}
    text = _content_text(entry.get("summary"), detail.get("type"))
    return text if len(text.split()) >= MIN_SUMMARY_WORDS else ""


def _content_text(value: str | None, content_type: str | None) -> str:
    if not value or not value.strip():
        return ""
    if content_type and "html" not in content_type:
        return "\n\n".join(block.strip() for block in value.split("\n\n") if block.strip())
    document = extract(f"<html><body><article>{value}</article></body></html>")
    text = paragraphs(document.text) if document is not None else ""
    return text or fragment_text(value)


def _plain(value: str | None) -> str | None:
    """Feed titles and names may carry markup; the record wants plain text."""
    if not value:
        return None
    text = fragment_text(value) if "<" in value else value
    return " ".join(text.split()) or None


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return from_struct_time(parsed)
        if entry.get(key):
            return normalize_date(entry.get(key))
    return None
