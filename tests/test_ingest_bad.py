"""Bad inputs: each gives one clear InputFailure, and the other inputs still come out."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest import IngestOptions, read_inputs
from newstrace.model import Article, InputFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = str(FIXTURES / "no_header.txt")
PAGE = (
    "<html><head><title>Mill Road lanes</title></head><body><article><h1>Mill Road lanes</h1>"
    "<p>The Ostbrook council voted on Wednesday to build cycle lanes along Mill Road.</p>"
    "<p>\"Children will ride to school safely,\" said councillor Berit Hallam after the vote.</p>"
    "<p>Work starts in the summer and should end before the autumn term begins.</p>"
    "</article></body></html>"
)


def run(*inputs: str | Path, options: IngestOptions | None = None) -> list[Article | InputFailure]:
    return list(read_inputs([str(item) for item in inputs], options))


def failures(results: list[Article | InputFailure]) -> list[InputFailure]:
    return [item for item in results if isinstance(item, InputFailure)]


def articles(results: list[Article | InputFailure]) -> list[Article]:
    return [item for item in results if isinstance(item, Article)]


def assert_fails_alone(bad: Path | str, reason: str, *, options: IngestOptions | None = None,
                       exact: bool = True) -> InputFailure:
    """``bad`` read between two good inputs: one failure naming it, both good ones read."""
    results = run(GOOD, bad, FIXTURES / "with_header.txt", options=options)
    (failure,) = failures(results)
    assert failure.source == str(bad)
    assert failure.reason == reason if exact else reason in failure.reason, failure
    assert [item.id for item in articles(results)] == [GOOD, str(FIXTURES / "with_header.txt")]
    return failure


def test_binary_file(tmp_path: Path) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert_fails_alone(png, "binary file (not text)")


@pytest.mark.parametrize("data", [b"text\x00with a NUL", b"%PDF-1.7\n1 0 obj", b"\x7fELF\x02\x01",
                                  b"\x01\x02\x03\x04\x05\x06\x07\x08abc\x0e\x0f\x10\x11"])
def test_binary_variants(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.html"
    path.write_bytes(data)
    assert_fails_alone(path, "binary file (not text)")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_fails_alone(path, "empty file")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n  \n")
    assert_fails_alone(path, "no text (whitespace only)")


def test_bytes_that_fit_no_encoding(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.txt"
    path.write_bytes(bytes(range(128, 256)) * 3)
    assert_fails_alone(path, "invalid UTF-8 and no other text encoding fits")


def test_malformed_jsonl_lines_fail_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        b'{"id": "ok-1", "text": "The first good line."}',
        b'{"id": "bad-json", "text": "a",, }',
        b"[1, 2, 3]",
        b'{"id": "no-text", "title": "Only a title"}',
        b'{"id": ["not", "a", "string"], "text": "Wrong id type."}',
        b'{"id": "bad-title", "text": "Fine text.", "title": 42}',
        b'{"id": "latin1", "text": "Caf\xe9 not UTF-8."}',
        b'{"id": "empty-html", "html": "<html><body><div><p>"}',
        b'{"id": "ok-2", "text": "The second good line."}',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    results = run(path)
    assert [item.id for item in articles(results)] == ["ok-1", "ok-2"]
    reasons = {item.source: item.reason for item in failures(results)}
    assert reasons == {
        f"{path}:2": "invalid JSON (Expecting property name enclosed in double quotes at column 32)",
        f"{path}:3": "not a JSON object (got array)",
        f"{path}:4": "no article text (needs a non-empty 'text' or 'html' field)",
        f"{path}:5": "field 'id' must be a string (got array)",
        f"{path}:6": "field 'title' must be a string (got number)",
        f"{path}:7": "invalid UTF-8 at byte 30 (JSONL must be UTF-8)",
        f"{path}:8": "no article text found in HTML",
    }


def test_utf16_jsonl_fails_once(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes('{"id": "w", "text": "x"}\n'.encode("utf-16"))
    assert_fails_alone(path, "JSONL must be UTF-8 (found a UTF-16/32 byte-order mark)")


def test_broken_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p><span><div><<<>>> <script>alert(1)</script>")
    assert_fails_alone(path, "no article text found in HTML")


def test_malformed_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss version='2.0'><channel><title>Mirefield</titl></channel>")
    assert_fails_alone(path, "malformed feed: mismatched tag")


def test_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text("<?xml version='1.0'?><settings><colour>blue</colour></settings>")
    assert_fails_alone(path, "not an RSS or Atom feed")


def test_feed_of_teasers_only(tmp_path: Path) -> None:
    path = tmp_path / "teasers.rss"
    path.write_text("<rss version='2.0'><channel><title>T</title><item><title>A</title>"
                    "<description>Short teaser.</description></item></channel></rss>")
    assert_fails_alone(path, "no entry carries article text (1 entries, titles or teasers only)")


def _warc_bytes(pages: int) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for index in range(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://ostbrook.example/{index}", "response",
            payload=io.BytesIO(PAGE.replace("Mill Road", f"Mill Road {index}").encode()),
            http_headers=headers))
    return buffer.getvalue()


def test_corrupt_warc_keeps_earlier_articles(tmp_path: Path) -> None:
    path = tmp_path / "damaged.warc"
    path.write_bytes(_warc_bytes(2) + b"this is not a WARC record\r\n\r\n" + _warc_bytes(1))
    results = run(path, GOOD)
    assert [item.id for item in articles(results)] == [
        "https://ostbrook.example/0", "https://ostbrook.example/1", GOOD]
    (failure,) = failures(results)
    assert failure.source == str(path)
    assert failure.reason.startswith("corrupt WARC: Invalid WARC record, first line: this is not")


def test_truncated_warc(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    data = _warc_bytes(2)
    path.write_bytes(data[:-40])
    results = run(path, GOOD)
    assert [item.id for item in articles(results)] == ["https://ostbrook.example/0", GOOD]
    (failure,) = failures(results)
    assert failure.reason.startswith("corrupt WARC: truncated record https://ostbrook.example/1")


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(b"just some text, not an archive\n")
    assert_fails_alone(path, "not a WARC file (no WARC/1.x record header)")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "no WARC records (empty or truncated file)"),
    (gzip.compress(b"WARC/1.0\r\n")[:12], "corrupt WARC: Unknown archive format, first line: ['W']"),
])
def test_empty_or_cut_warc(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "nothing.warc.gz"
    path.write_bytes(data)
    assert_fails_alone(path, reason)


def test_warc_without_articles(tmp_path: Path) -> None:
    path = tmp_path / "assets.warc"
    path.write_bytes(_warc_bytes(1).replace(b"text/html", b"image/png "))
    assert_fails_alone(path, "no HTML page with article text in WARC (1 records)")


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 200)
    assert_fails_alone(path, "over the 600-byte size cap (1000 bytes)",
                       options=IngestOptions(max_bytes=600))


def test_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 50_000_000))
    assert path.stat().st_size < 100_000
    assert_fails_alone(path, "over the 1000000-byte size cap after decompression",
                       options=IngestOptions(max_bytes=1_000_000))


def test_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "bad.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not really deflate data" * 3)
    assert_fails_alone(path, "corrupt gzip data", exact=False)


def test_missing_path(tmp_path: Path) -> None:
    assert_fails_alone(tmp_path / "nowhere.txt", "no such file or directory")


def test_empty_directory(tmp_path: Path) -> None:
    failure = assert_fails_alone(tmp_path, "no readable files in directory", exact=False)
    assert ".jsonl" in failure.reason


def test_bad_file_inside_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The first article in the folder.")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("The third article in the folder.")
    results = run(tmp_path)
    assert [item.id for item in articles(results)] == [str(tmp_path / "a.txt"),
                                                       str(tmp_path / "c.txt")]
    assert failures(results) == [InputFailure(str(tmp_path / "b.txt"), "empty file")]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/article.txt",
                                 "gopher://old.example/"])
def test_non_http_scheme_refused(url: str) -> None:
    scheme = url.split(":")[0]
    assert_fails_alone(url, f"unsupported URL scheme '{scheme}' (only http and https)")
