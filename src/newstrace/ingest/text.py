"""Plain-text articles: one article per file, with an optional ``Key: value`` header.

The header is recognised only when every line before the first blank line is a known key,
so an article that happens to open with "Note: ..." keeps its first paragraph.
"""

from __future__ import annotations

import logging
import re

from newstrace.ingest.dates import normalize_date
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

HEADER_KEYS = frozenset({"title", "url", "outlet", "published", "author"})
_HEADER_LINE = re.compile(r"([A-Za-z]+)[ \t]*:[ \t]*(.*)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split ``text`` into (header fields keyed in lower case, body)."""
    parts = _BLANK_LINE.split(text.lstrip(), maxsplit=1)
    if len(parts) < 2:
        return {}, text
    head, body = parts
    fields: dict[str, str] = {}
    for line in head.split("\n"):
        match = _HEADER_LINE.fullmatch(line.strip())
        if match is None or match.group(1).lower() not in HEADER_KEYS:
            logger.debug("no header: %r is not a known header line", line[:60])
            return {}, text
        fields[match.group(1).lower()] = match.group(2).strip()
    return fields, body


def text_to_article(text: str, id: str, source: str, *, fmt: str = "txt") -> Article | InputFailure:
    """Build an article from decoded text; a header without a body is a failure."""
    fields, body = parse_header(text)
    body = body.strip()
    if not body:
        reason = "no article text after the header" if fields else "no text (whitespace only)"
        return InputFailure(source, reason)
    return Article(
        id=id,
        raw_text=body,
        title=fields.get("title") or None,
        url=fields.get("url") or None,
        outlet=fields.get("outlet") or None,
        author=fields.get("author") or None,
        published=normalize_date(fields.get("published")),
        source=source,
        format=fmt,
    )
