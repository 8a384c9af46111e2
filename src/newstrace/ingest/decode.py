"""Bytes to text, safely: size caps, binary detection, and charset guessing.

Every input is untrusted, so each check here turns a bad input into a :class:`BadInput`
with a one-line reason that the readers report as an ``InputFailure``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import re
import unicodedata
import zlib
from email.message import Message
from pathlib import Path
from typing import Protocol

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

# Magic numbers of common binary formats that can otherwise pass as (odd) text.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x7fELF",
    b"\x1f\x8b",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"OggS",
)
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE_CHARS = 8192
_MAX_CONTROL_RATIO = 0.1  # a text file with more control characters than this is not text
_MAX_CHAOS = 0.1  # charset_normalizer's "mess" score above which a guess is not trusted
_ASCII_PROBE = b"Az09 <{}>\n\"'"
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Declared Latin-1/ASCII is, in practice, Windows-1252 (the WHATWG encoding standard agrees).
_DECLARED_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}


class Readable(Protocol):
    """Anything with a bounded ``read`` (files, stdin, HTTP responses, gzip streams)."""

    def read(self, size: int = -1, /) -> bytes: ...


class BadInput(ValueError):
    """An input that cannot be read; ``str(exc)`` is the one-line reason shown to the user."""


def over_cap(max_bytes: int, size: int | None = None, *, decompressed: bool = False) -> BadInput:
    """The size-cap failure, worded the same everywhere."""
    actual = f" ({size} bytes)" if size is not None else ""
    after = " after decompression" if decompressed else ""
    return BadInput(f"over the {max_bytes}-byte size cap{after}{actual}")


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing it by its size before reading (and again while reading)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise over_cap(max_bytes, size)
    with path.open("rb") as handle:
        return read_stream_capped(handle, max_bytes)


def read_stream_capped(stream: Readable, max_bytes: int, *, decompressed: bool = False) -> bytes:
    """Read at most ``max_bytes`` from a stream; a longer stream is refused, not truncated."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise over_cap(max_bytes, decompressed=decompressed)
    return data


def gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data incrementally, so a zip bomb stops at the cap."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as unzipped:
            return read_stream_capped(unzipped, max_bytes, decompressed=True)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadInput(f"corrupt gzip data ({exc})") from exc


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_content_charset()
    return charset if isinstance(charset, str) else None


def sniff_format(data: bytes) -> str:
    """Guess a format from content: warc, gzip, jsonl, feed, html, or txt (the default)."""
    if data.startswith(b"WARC/"):
        return "warc"
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    head = _decode_head(data[:4096]).lstrip()
    if head.startswith("{"):
        return "jsonl"
    if re.search(r"<(rss|feed|rdf:rdf)[\s>]", head[:2048].lower()):
        return "feed"
    if head.startswith("<"):
        return "html"
    return "txt"


def check_not_binary(data: bytes) -> None:
    """Refuse empty and binary data before any decoding work."""
    if not data:
        raise BadInput("empty file")
    if any(data.startswith(bom) for bom, _ in _UNICODE_BOMS):
        return  # UTF-16/32 text legitimately contains NUL bytes
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data:
        raise BadInput("binary file (not text)")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode untrusted bytes to text with ``\\n`` line ends, or raise :class:`BadInput`.

    Order: BOM, strict UTF-8, the declared charset (e.g. from an HTTP header), then
    charset_normalizer's guess, accepted only when it is confident.
    """
    check_not_binary(data)
    text = _decode(data, declared)
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for ch in sample if _is_control(ch))
    if controls > _MAX_CONTROL_RATIO * len(sample):
        raise BadInput("binary file (not text)")
    if not text.strip():
        raise BadInput("no text (whitespace only)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS


def _decode_head(head: bytes) -> str:
    """Best-effort decode of a prefix, only for sniffing (never for the article text)."""
    for bom, encoding in _UNICODE_BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return head.decode("utf-8-sig", errors="replace")


def _decode(data: bytes, declared: str | None) -> str:
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BadInput(f"invalid {encoding.upper()} after its byte-order mark") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in filter(None, (_declared_codec(declared), _guess_codec(data))):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            logger.debug("bytes do not decode as %s", encoding)
    raise BadInput("invalid UTF-8 and no other text encoding fits")


def _declared_codec(declared: str | None) -> str | None:
    if not declared:
        return None
    name = _DECLARED_ALIASES.get(declared.strip().lower(), declared.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        logger.debug("unknown declared charset %r ignored", declared)
        return None


def _ascii_compatible(encoding: str) -> bool:
    """Excludes UTF-16/32 without a BOM and EBCDIC, which fit random bytes too easily."""
    try:
        return _ASCII_PROBE.decode(encoding) == _ASCII_PROBE.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _latin_only(text: str) -> bool:
    return all(
        unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
        if ord(ch) > 127 and ch.isalpha()
    )


def _guess_codec(data: bytes) -> str | None:
    """charset_normalizer's confident guess, biased to Windows-1252 for Latin-script text.

    On short texts charset_normalizer often picks a sibling code page (cp1257 for cp1252,
    turning "Zoë" into "Zoė"); Windows-1252 is by far the likeliest legacy encoding of a
    Latin-script news text, so it wins whenever it fits about as well.
    """
    # coherence 0 means the decoded characters fit no language's letter frequencies: byte
    # noise that some exotic code page happens to map without "chaos".
    candidates = [
        match
        for match in from_bytes(data)
        if match.chaos <= _MAX_CHAOS and match.coherence > 0 and _ascii_compatible(match.encoding)
    ]
    if not candidates:
        return None
    best = candidates[0]
    western = from_bytes(data, cp_isolation=["cp1252"], threshold=1.0).best()
    if (
        western is not None
        and western.chaos <= _MAX_CHAOS
        and (western.chaos <= best.chaos + 0.02 or _latin_only(str(best)))
    ):
        return "cp1252"
    return str(best.encoding)
