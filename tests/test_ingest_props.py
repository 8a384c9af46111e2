"""Property: no byte string, however hostile, makes the in-memory reader raise."""

from __future__ import annotations

import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.ingest import IngestOptions, read_bytes
from newstrace.model import Article, InputFailure

# Prefixes that steer the sniffer into every reader, so each one meets garbage.
PREFIXES = [b"", b"{", b'{"id": 1, "text": ', b"<rss version='2.0'><channel><item>",
            b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>", b"<html><body><p>",
            b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"Title: x\n\n"]

hostile_bytes = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda prefix, tail: prefix + tail, st.sampled_from(PREFIXES),
              st.binary(max_size=1000)),
    st.builds(lambda prefix, text: prefix + text.encode("utf-8", "surrogatepass"),
              st.sampled_from(PREFIXES), st.text(max_size=1000)),
    st.binary(max_size=2000).map(gzip.compress),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_bytes)
def test_read_bytes_never_raises(data: bytes) -> None:
    results = list(read_bytes(data, "<stdin>", IngestOptions(max_bytes=100_000)))
    assert results, "every input yields an article or a failure"
    for item in results:
        assert isinstance(item, Article | InputFailure)
        if isinstance(item, InputFailure):
            assert item.reason and "\n" not in item.reason
            assert not item.reason.startswith("unexpected error"), item.reason
        else:
            assert item.raw_text.strip() and item.id
