"""Ingest: every input (file, directory, stdin, URL) becomes ``Article`` records.

Inputs are untrusted. A bad input yields one ``InputFailure`` with a one-line reason and the
run goes on with the next; nothing here raises to the caller. Readers leave ``Article.text``
empty: the clean stage fills it from ``raw_text``.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from newstrace.ingest.decode import (
    BadInput,
    check_not_binary,
    decode_text,
    gunzip_capped,
    over_cap,
    read_capped,
    read_stream_capped,
    sniff_format,
)
from newstrace.ingest.feed import read_feed
from newstrace.ingest.html import html_to_article
from newstrace.ingest.jsonl import read_jsonl
from newstrace.ingest.limits import DEFAULT_EXTRACT_TIMEOUT, check_timeout
from newstrace.ingest.text import text_to_article
from newstrace.ingest.url import read_url
from newstrace.ingest.warc import read_warc
from newstrace.model import Article, InputFailure

__all__ = ["STDIN", "IngestOptions", "html_to_article", "read_bytes", "read_inputs"]

logger = logging.getLogger(__name__)

STDIN = "<stdin>"
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
}
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class IngestOptions:
    """Limits that keep hostile inputs harmless; checked on creation."""

    max_bytes: int = 20_000_000  # per file, per decompressed file, per URL body, per WARC record
    allow_private: bool = False  # allow URLs that resolve to private/loopback/... addresses
    timeout: float = 20.0  # seconds, for each URL fetch's connect and reads
    extract_timeout: float = DEFAULT_EXTRACT_TIMEOUT  # seconds per HTML document's extraction

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_bytes, bool)
            or not isinstance(self.max_bytes, int)
            or self.max_bytes <= 0
        ):
            raise ValueError(
                f"max_bytes must be a positive number of bytes (got {self.max_bytes!r}); "
                "the default is 20000000 (20 MB)"
            )
        if not self.timeout > 0:
            raise ValueError(
                f"timeout must be a positive number of seconds (got {self.timeout!r}); "
                "the default is 20"
            )
        check_timeout(self.extract_timeout)


def read_inputs(
    inputs: Iterable[str], options: IngestOptions | None = None
) -> Iterator[Article | InputFailure]:
    """Read each input in order: a path, a directory (recursive), ``-`` (stdin) or a URL."""
    opts = options or IngestOptions()
    for item in inputs:
        yield from _guarded(item, _read_input(item, opts))


def read_bytes(
    data: bytes, source: str, options: IngestOptions | None = None
) -> Iterator[Article | InputFailure]:
    """Read in-memory data (stdin, an upload) whose format is sniffed from its content."""
    opts = options or IngestOptions()
    if len(data) > opts.max_bytes:
        yield InputFailure(source, str(over_cap(opts.max_bytes, len(data))))
        return
    yield from _guarded(source, _read_data(data, None, source, opts))


def _guarded(
    source: str, results: Iterator[Article | InputFailure]
) -> Iterator[Article | InputFailure]:
    """Safety net: a reader bug on one input becomes that input's failure, not a crash."""
    try:
        for result in results:
            yield _without_nul(result) if isinstance(result, Article) else result
    except Exception as exc:
        logger.exception("%s: unexpected error while reading", source)
        yield InputFailure(source, f"unexpected error: {type(exc).__name__}: {exc}")


def _without_nul(article: Article) -> Article:
    """NUL characters carry no text and no database text column accepts them (PostgreSQL)."""

    def strip(value: str | None) -> str | None:
        return value.replace("\x00", "") if value else value

    return replace(
        article,
        id=article.id.replace("\x00", ""),
        raw_text=article.raw_text.replace("\x00", ""),
        title=strip(article.title),
        url=strip(article.url),
        outlet=strip(article.outlet),
        author=strip(article.author),
        published=strip(article.published),
    )


def _read_input(item: str, opts: IngestOptions) -> Iterator[Article | InputFailure]:
    if item == "-":
        yield from _read_stdin(opts)
        return
    if _URL.match(item):
        yield from read_url(
            item,
            max_bytes=opts.max_bytes,
            timeout=opts.timeout,
            allow_private=opts.allow_private,
            extract_timeout=opts.extract_timeout,
        )
        return
    try:
        path = Path(item)
        if path.is_dir():
            yield from _read_directory(item, opts)
            return
        exists = path.exists()
    except (OSError, ValueError) as exc:
        yield InputFailure(item, _os_reason(exc))
        return
    if not exists:
        yield InputFailure(item, "no such file or directory")
        return
    fmt, gzipped = _format_of(item)
    yield from _read_file(item, fmt, gzipped, opts)


def _format_of(name: str) -> tuple[str | None, bool]:
    """(format, gzipped) from a file name; the format is None for an unknown extension."""
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return "warc", False  # warcio reads gzipped WARCs itself, record by record
    gzipped = lower.endswith(".gz")
    if gzipped:
        lower = lower[:-3]
    return EXTENSIONS.get(Path(lower).suffix), gzipped


def _read_stdin(opts: IngestOptions) -> Iterator[Article | InputFailure]:
    if sys.stdin is None:
        yield InputFailure(STDIN, "standard input is closed")
        return
    try:
        data = read_stream_capped(sys.stdin.buffer, opts.max_bytes)
    except BadInput as exc:
        yield InputFailure(STDIN, str(exc))
        return
    yield from _read_data(data, None, STDIN, opts)


def _read_directory(root: str, opts: IngestOptions) -> Iterator[Article | InputFailure]:
    """Known file types below ``root``, in sorted order; hidden files and folders skipped."""
    errors: list[OSError] = []
    found: list[str] = []
    for folder, subfolders, names in os.walk(root, onerror=errors.append):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = str(Path(folder) / name)
            if _format_of(name)[0] is None:
                logger.debug("skipping %s: unknown file type", path)
                continue
            found.append(path)
    for error in errors:
        yield InputFailure(str(error.filename or root), _os_reason(error))
    if not found and not errors:
        yield InputFailure(
            root,
            "no readable files in directory (known types: "
            f"{' '.join(sorted(EXTENSIONS))} .warc.gz, and any of them .gz)",
        )
    for name in sorted(found):
        fmt, gzipped = _format_of(name)
        yield from _guarded(name, _read_file(name, fmt, gzipped, opts))


def _read_file(
    name: str, fmt: str | None, gzipped: bool, opts: IngestOptions
) -> Iterator[Article | InputFailure]:
    """One file; an unknown ``fmt`` (None) is sniffed from the content."""
    path = Path(name)
    try:
        if not path.is_file():
            raise BadInput("not a regular file")
        if fmt == "warc":
            size = path.stat().st_size
            if size > opts.max_bytes:
                raise over_cap(opts.max_bytes, size)
            with path.open("rb") as stream:
                yield from read_warc(stream, name, opts.max_bytes, opts.extract_timeout)
            return
        data = read_capped(path, opts.max_bytes)
        if gzipped:
            data = gunzip_capped(data, opts.max_bytes)
    except BadInput as exc:
        yield InputFailure(name, str(exc))
        return
    except OSError as exc:
        yield InputFailure(name, _os_reason(exc))
        return
    yield from _read_data(data, fmt, name, opts)


def _read_data(
    data: bytes, fmt: str | None, source: str, opts: IngestOptions
) -> Iterator[Article | InputFailure]:
    """Dispatch bytes to their reader; ``source`` is also the id of a single-article input."""
    try:
        if fmt is None:
            fmt = sniff_format(data)
            if fmt == "gzip":
                data = gunzip_capped(data, opts.max_bytes)
                fmt = sniff_format(data)
                if fmt == "gzip":  # gzip inside gzip: left to decode_text, which calls it binary
                    fmt = "txt"
        if fmt in ("jsonl", "feed"):
            check_not_binary(data)
        text = decode_text(data) if fmt in ("txt", "html") else ""
    except BadInput as exc:
        yield InputFailure(source, str(exc))
        return
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), source, opts.max_bytes, opts.extract_timeout)
    elif fmt == "jsonl":
        yield from read_jsonl(data, source, opts.extract_timeout)
    elif fmt == "feed":
        yield from read_feed(data, source)
    elif fmt == "html":
        yield html_to_article(text, source, source, timeout=opts.extract_timeout)
    else:
        yield text_to_article(text, source, source)


def _os_reason(exc: OSError | ValueError) -> str:
    """``[Errno 13] Permission denied: 'x'`` -> ``permission denied``."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return f"invalid path ({exc})"
