"""WARC web archives (plain or gzipped): each archived HTML page with article text.

Only ``response`` records with HTTP 200 and an HTML content type are read; crawls hold many
pages that are not articles (index pages, assets), so those are skipped, not failed.
Problems with the archive itself (corrupt or truncated records) are failures, reported after
the articles read before them.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newstrace.ingest.dates import normalize_date
from newstrace.ingest.decode import BadInput, charset_of, decode_text, over_cap
from newstrace.ingest.html import NO_TEXT, html_to_article
from newstrace.ingest.limits import DEFAULT_EXTRACT_TIMEOUT
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

# warcio raises these (AttributeError included) on damaged record headers or gzip members.
_DAMAGE = (ArchiveLoadFailed, AttributeError, ValueError, EOFError, OSError, zlib.error)


def read_warc(
    stream: BinaryIO,
    source: str,
    max_bytes: int,
    extract_timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> Iterator[Article | InputFailure]:
    """Yield the archive's articles; ``max_bytes`` caps each record's body and
    ``extract_timeout`` each page's extraction."""
    records = iter(ArchiveIterator(stream))
    count = found = 0
    while True:
        try:
            record = next(records, None)
        except _DAMAGE as exc:
            yield InputFailure(source, f"corrupt WARC: {_one_line(exc)}")
            return
        if record is None:
            break
        if record.format != "warc":  # warcio reads any text line as a legacy ARC header
            yield InputFailure(source, "not a WARC file (no WARC/1.x record header)")
            return
        count += 1
        try:
            article = _record_to_article(record, count, source, max_bytes, extract_timeout)
        except BadInput as exc:
            yield InputFailure(source, str(exc))
            continue
        if article is not None:
            found += 1
            yield article
    if not count:
        yield InputFailure(source, "no WARC records (empty or truncated file)")
    elif not found:
        yield InputFailure(source, f"no HTML page with article text in WARC ({count} records)")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, ArchiveLoadFailed):
        return " ".join(str(exc).split())[:200]
    return f"unreadable record ({type(exc).__name__})"


def _record_to_article(
    record: Any, index: int, source: str, max_bytes: int, extract_timeout: float | None
) -> Article | None:
    """The article in one record, None for records that are not article pages."""
    http = record.http_headers
    if record.rec_type != "response" or http is None or http.get_statuscode() != "200":
        return None
    content_type = http.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#{index}"
    try:
        body = record.content_stream().read(max_bytes + 1)
    except _DAMAGE as exc:
        raise BadInput(f"corrupt WARC record {uri}: {_one_line(exc)}") from exc
    if len(body) > max_bytes:
        raise BadInput(f"WARC record {uri}: {over_cap(max_bytes)}")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        raise BadInput(f"corrupt WARC: truncated record {uri} ({missing} bytes missing)")
    try:
        html = decode_text(body, charset_of(content_type))
    except BadInput as exc:
        logger.info("%s: page %s skipped (%s)", source, uri, exc)
        return None
    article = html_to_article(html, uri, source, uri, fmt="warc", timeout=extract_timeout)
    if isinstance(article, InputFailure):
        if article.reason != NO_TEXT:  # a page that could not be read is a failure to report
            raise BadInput(f"WARC record {uri}: {article.reason}")
        logger.info("%s: page %s skipped (%s)", source, uri, article.reason)
        return None
    if not article.published:
        # The capture date bounds the publication date; better than nothing for ordering.
        article.published = normalize_date(record.rec_headers.get_header("WARC-Date"))
    return article
