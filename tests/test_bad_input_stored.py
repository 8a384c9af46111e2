"""Bad inputs end to end: each is named with its reason, and every good input is stored,
on SQLite and on PostgreSQL alike; a later run leaves what was stored before untouched."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

from newstrace.ingest import IngestOptions
from newstrace.pipeline import run
from newstrace.store import Store

GOOD_TEXT = (
    "Title: Keld harbour reopens\nOutlet: Island Times\nPublished: 2026-04-02\n\n"
    "The harbour at Keld reopened on Thursday after a week of repairs, the Keld Harbour "
    "Trust said. “We are open for business,” said harbourmaster Ilse Varga."
)
GOOD_PAGE = (
    "<html><head><title>Mill Road lanes</title></head><body><article><h1>Mill Road lanes</h1>"
    "<p>The Ostbrook council voted on Wednesday to build cycle lanes along Mill Road.</p>"
    "<p>“Children will ride to school safely,” said councillor Berit Hallam after the vote.</p>"
    "<p>Work starts in the summer and should end before the autumn term begins.</p>"
    "</article></body></html>"
)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_inputs(folder: Path) -> tuple[list[str], dict[str, str]]:
    """Good and bad inputs side by side; returns the inputs and, per bad one, a reason word."""
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "good.html").write_text(GOOD_PAGE, encoding="utf-8")
    lines = [
        json.dumps({"id": "j-1", "text": "Ostbrook council met on Monday about cycle lanes."}),
        "{this is not json",
        json.dumps({"id": "j-3", "text": "Keld harbour reopened after repairs on Thursday."}),
    ]
    (folder / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1]) * 40)
    (folder / "broken.html").write_text("<html><body><div><p><span>", encoding="utf-8")
    (folder / "broken.rss").write_text("<rss><channel><item><title>x</title", encoding="utf-8")
    (folder / "huge.txt").write_text("Keld " * 5000, encoding="utf-8")
    (folder / "bomb.txt.gz").write_bytes(gzip.compress(b"Keld harbour " * 100_000))
    (folder / "cut.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nHTTP/1.1")
    inputs = [str(folder), f"http://127.0.0.1:{closed_port()}/story", str(folder / "missing.txt")]
    bad = {
        f"{folder / 'mixed.jsonl'}:2": "JSON",
        str(folder / "photo.txt"): "binary",
        str(folder / "empty.txt"): "empty",
        str(folder / "garbage.txt"): "encoding",
        str(folder / "broken.html"): "no article text",
        str(folder / "broken.rss"): "feed",
        str(folder / "huge.txt"): "size cap",
        str(folder / "bomb.txt.gz"): "size cap",
        str(folder / "cut.warc"): "WARC",
        inputs[1]: "private",
        inputs[2]: "no such file",
    }
    return inputs, bad


def test_bad_inputs_are_named_and_good_ones_stored(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    inputs, bad = build_inputs(folder)
    options = IngestOptions(max_bytes=20_000)
    with Store.open(db_url) as store:
        report = run(inputs, store, options)
        stored = {article.id for article in store.articles()}
        assert stored == {str(folder / "good.txt"), str(folder / "good.html"), "j-1", "j-3"}
        reasons = {failure.source: failure.reason for failure in report.failures}
        assert set(reasons) == set(bad)
        for source, word in bad.items():
            assert word.lower() in reasons[source].lower(), (source, reasons[source])
            assert "\n" not in reasons[source]
        before = {a.id: a.to_dict() for a in store.articles()}
        again = run(inputs, store, options)
        assert (again.inserted, again.replaced, again.unchanged) == (0, 0, 4)
        assert {a.id: a.to_dict() for a in store.articles()} == before
