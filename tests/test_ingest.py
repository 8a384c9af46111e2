"""Ingest readers on good inputs: every format, directories, stdin sniffing, options."""

from __future__ import annotations

import gzip
import io
import re
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest import IngestOptions, read_bytes, read_inputs
from newstrace.ingest.dates import normalize_date
from newstrace.ingest.text import parse_header
from newstrace.model import Article, InputFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ARTICLE_HTML = """<html><head><title>{title}</title>
<meta property="article:published_time" content="2023-03-0{n}T08:00:00Z"></head><body>
<nav>Home | World | Sport</nav><article><h1>{title}</h1>
<p>Page {n}: the Ostbrook town council met on Wednesday to discuss the new cycle lanes on Mill Road.</p>
<p>"We want children to ride to school safely," said councillor Berit Hallam after the vote.</p>
<p>Work on the lanes will start in the summer and should be finished before the autumn term.</p>
</article></body></html>"""


def read_all(*inputs: str | Path, options: IngestOptions | None = None) -> list[Article | InputFailure]:
    return list(read_inputs([str(item) for item in inputs], options))


def one_article(results: list[Article | InputFailure]) -> Article:
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, gz: bool = True) -> None:
    """Records as (uri, HTTP status line, content type, body), all ``response`` records."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for uri, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2023-03-09T12:00:00Z"},
            )
            writer.write_record(record)


def test_txt_with_header() -> None:
    name = str(FIXTURES / "with_header.txt")
    article = one_article(read_all(name))
    assert article.id == name and article.source == name
    assert article.format == "txt"
    assert article.title == "Valdmoor opens its long-delayed footbridge"
    assert article.url == "https://valdmoor-gazette.example/2023/04/footbridge"
    assert article.outlet == "Valdmoor Gazette"
    assert article.author == "Ilsa Wren"
    assert article.published == "2023-04-05T09:30:00+00:00"
    assert article.raw_text.startswith("The mayor of Valdmoor")
    assert "\n\n\"This bridge joins" in article.raw_text
    assert article.text == ""


def test_txt_without_header() -> None:
    article = one_article(read_all(FIXTURES / "no_header.txt"))
    assert article.title is None and article.published is None
    assert article.raw_text.startswith("Residents of Brambleford")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Note: the ferry vote.\n\nBody text.", {}),  # unknown key: not a header
        ("Title: A\nNote: b\n\nBody text.", {}),  # one unknown key spoils the block
        ("TITLE: Loud\nurl :  https://x.example/a\n\nBody text.", {"title": "Loud",
                                                                   "url": "https://x.example/a"}),
        ("Title: No blank line after it\nBody text.", {}),
    ],
)
def test_txt_header_rules(text: str, fields: dict[str, str]) -> None:
    parsed, body = parse_header(text)
    assert parsed == fields
    assert body.strip().endswith("Body text.")


def test_txt_header_without_body_fails(tmp_path: Path) -> None:
    path = tmp_path / "only_header.txt"
    path.write_text("Title: Nothing follows\n\n\n")
    assert read_all(path) == [InputFailure(str(path), "no article text after the header")]


def test_cp1252_text_decodes() -> None:
    article = one_article(read_all(FIXTURES / "cp1252.txt"))
    assert article.title == "Café owners of Brésilly vow to stay open"
    assert article.outlet == "Brésilly Écho"
    assert "“We won’t close" in article.raw_text
    assert "Zoë Lefèvre-Dûrand" in article.raw_text and "Anaël" in article.raw_text


def test_utf16_with_bom_decodes() -> None:
    article = one_article(read_all(FIXTURES / "utf16.txt"))
    assert article.title == "Señora Añorga opens the Vallfría market"
    assert article.raw_text.startswith("“Fresh bread every morning,”")


def test_html_page() -> None:
    article = one_article(read_all(FIXTURES / "page.html"))
    assert article.format == "html"
    assert article.title == "Harbour lights return to Kestrel Bay"
    assert article.outlet == "The Kestrel Courier"
    assert article.author == "Maren Olvik"
    assert article.published == "2022-11-14"
    assert article.url == "https://kestrel-courier.example/news/harbour-lights"
    paragraphs = article.raw_text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The harbour lights of Kestrel Bay")
    assert "tracker" not in article.raw_text and "Copyright" not in article.raw_text


def test_html_without_meta(tmp_path: Path) -> None:
    path = tmp_path / "bare.htm"
    path.write_text("<html><body><p>The Ostbrook river rose two metres overnight, flooding the "
                    "lower market.</p><p>Shopkeepers moved their stock upstairs before dawn, "
                    "said Lena Haig.</p></body></html>")
    article = one_article(read_all(path))
    assert article.title is None and article.outlet is None
    assert article.raw_text.split("\n\n")[1].startswith("Shopkeepers moved")


def test_gzipped_html() -> None:
    article = one_article(read_all(FIXTURES / "ferry.html.gz"))
    assert article.format == "html"
    assert article.title == "Ferry timetable changes in Tollis"
    assert article.raw_text.startswith("The island ferry to Tollis")


def test_jsonl() -> None:
    name = str(FIXTURES / "articles.jsonl")
    results = read_all(name)
    assert all(isinstance(item, Article) for item in results)
    orchard, library, heron = results
    assert isinstance(orchard, Article) and isinstance(library, Article)
    assert isinstance(heron, Article)
    assert orchard.id == "orchard-1" and orchard.published == "2021-10-02"
    assert orchard.title == "Record apple harvest in Linwick"
    assert orchard.raw_text.count("\n\n") == 1
    assert library.id == "library-2" and library.format == "jsonl"
    assert library.title == "Library reopens in Orrin"  # from the html
    assert library.outlet == "Orrin Herald"  # from the line
    assert library.published == "2021-10-03T10:00:00+02:00"
    assert "<p>" not in library.raw_text and "Aurelio Penn" in library.raw_text
    assert heron.id == f"{name}:4"  # no id: path and line number (line 3 is blank)
    assert heron.author == "Wil Brock"
    assert {item.source for item in (orchard, library, heron)} == {name}


def test_jsonl_integer_id_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "ids.ndjson"
    path.write_bytes(b'{"id": 17, "text": "Line one.\\r\\nLine two."}\r\n')
    article = one_article(read_all(path))
    assert article.id == "17" and article.raw_text == "Line one.\nLine two."


def test_rss_feed() -> None:
    name = str(FIXTURES / "feed.rss")
    results = read_all(name)
    assert len(results) == 2  # the third item is a teaser only
    tram, choir = results
    assert isinstance(tram, Article) and isinstance(choir, Article)
    assert tram.id == "mirefield-tram-2024" and tram.format == "feed"
    assert tram.outlet == "The Mirefield Post" and tram.author == "Oskar Lind"
    assert tram.url == "https://mirefield-post.example/tram-stop"
    assert tram.published == "2024-01-02T08:15:00+00:00"
    assert tram.raw_text.split("\n\n")[1].startswith('"Stallholders asked')
    assert choir.id == "https://mirefield-post.example/choir"  # no guid: the link
    assert choir.raw_text.startswith("The Mirefield community choir")


def test_atom_feed() -> None:
    bakery, road = read_all(FIXTURES / "feed.atom")
    assert isinstance(bakery, Article) and isinstance(road, Article)
    assert bakery.id == "urn:uuid:dunmarrow-bakery-100"
    assert bakery.published == "2020-05-30T09:00:00+00:00"  # published wins over updated
    assert bakery.author == "Fenna Vos" and bakery.outlet == "Dunmarrow Dispatch"
    assert bakery.raw_text.count("\n\n") == 1 and "<p>" not in bakery.raw_text
    assert road.published == "2020-06-01T12:00:00+00:00"
    assert road.raw_text.startswith("The north road out of Dunmarrow")


def test_feed_entry_without_id_or_link(tmp_path: Path) -> None:
    path = tmp_path / "bare.xml"
    path.write_text("<rss version='2.0'><channel><title>T</title><item><title>Untitled</title>"
                    "<description><![CDATA[<p>Short fragment from the Hollin parish.</p>]]>"
                    "</description><content:encoded xmlns:content='http://purl.org/rss/1.0/"
                    "modules/content/'><![CDATA[<p>The Hollin parish hall gets a new roof."
                    "</p>]]></content:encoded></item></channel></rss>")
    article = one_article(read_all(path))
    assert article.id == f"{path}#1"
    assert article.raw_text == "The Hollin parish hall gets a new roof."  # plain-text fallback


@pytest.mark.parametrize("gz", [True, False])
def test_warc(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, [
        ("https://ostbrook.example/a", "200 OK", "text/html; charset=utf-8",
         ARTICLE_HTML.format(title="Cycle lanes for Mill Road", n=1).encode()),
        ("https://ostbrook.example/style.css", "200 OK", "text/css", b"body { color: red }"),
        ("https://ostbrook.example/gone", "404 Not Found", "text/html", b"<p>Not here</p>"),
        ("https://ostbrook.example/b", "200 OK", "text/html; charset=windows-1252",
         ARTICLE_HTML.format(title="Café owners back the lanes", n=2).encode("cp1252")),
    ], gz=gz)
    first, second = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == first.url == "https://ostbrook.example/a"
    assert first.format == "warc" and first.source == str(path)
    assert first.published == "2023-03-01"  # the page's own date, not the capture date
    assert first.raw_text.startswith("Page 1: the Ostbrook town council")
    assert second.title == "Café owners back the lanes"


def test_warc_date_is_the_fallback(tmp_path: Path) -> None:
    path = tmp_path / "nodate.warc.gz"
    page = re.sub(r"<meta[^>]*>", "", ARTICLE_HTML.format(title="Undated", n=1))
    write_warc(path, [("https://ostbrook.example/u", "200 OK", "text/html", page.encode())])
    assert one_article(read_all(path)).published == "2023-03-09T12:00:00+00:00"


def test_directory_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second article text.")
    (tmp_path / "a.txt").write_text("First article text.")
    (tmp_path / ".hidden.txt").write_text("Hidden article text.")
    (tmp_path / ".git" / "x.txt").write_text("Not an article.")
    (tmp_path / "notes.md").write_text("Not a known type.")
    results = read_all(tmp_path)
    assert [item.id for item in results if isinstance(item, Article)] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b" / "two.txt")]
    assert len(results) == 2


def test_named_file_with_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "download.dat"
    path.write_text(ARTICLE_HTML.format(title="Sniffed", n=3))
    article = one_article(read_all(path))
    assert article.format == "html" and article.title == "Sniffed"


STDIN_CASES = {
    "txt": b"Title: From a pipe\n\nThe Tollis ferry ran late again on Monday.",
    "html": ARTICLE_HTML.format(title="Piped page", n=4).encode(),
    "jsonl": b'  {"id": "p1", "text": "First piped."}\n{"id": "p2", "text": "Second piped."}\n',
    "feed": (FIXTURES / "feed.atom").read_bytes(),
    "gzip": gzip.compress(b"Title: Zipped\n\nA gzipped article from Ostbrook."),
}


@pytest.mark.parametrize("kind", sorted(STDIN_CASES))
def test_read_bytes_sniffs_format(kind: str) -> None:
    results = list(read_bytes(STDIN_CASES[kind], "<stdin>"))
    assert results and all(isinstance(item, Article) for item in results), results
    first = results[0]
    assert isinstance(first, Article)
    expected = {"txt": "txt", "html": "html", "jsonl": "jsonl", "feed": "feed", "gzip": "txt"}
    assert first.format == expected[kind]
    if kind in ("txt", "html", "gzip"):
        assert first.id == "<stdin>"


def test_read_bytes_sniffs_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    write_warc(path, [("https://ostbrook.example/s", "200 OK", "text/html",
                       ARTICLE_HTML.format(title="Piped WARC", n=5).encode())], gz=False)
    for data in (path.read_bytes(), gzip.compress(path.read_bytes())):
        article = one_article(list(read_bytes(data, "<stdin>")))
        assert article.format == "warc" and article.title == "Piped WARC"


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(STDIN_CASES["txt"]))
    monkeypatch.setattr(sys, "stdin", stream)
    article = one_article(read_all("-", FIXTURES / "no_header.txt")[:1])
    assert article.id == "<stdin>" and article.title == "From a pipe"


@pytest.mark.parametrize(("given", "normalised"), [
    ("2023-04-05", "2023-04-05"),
    ("2023-04-05T09:30:00Z", "2023-04-05T09:30:00+00:00"),
    ("2023-04-05 09:30", "2023-04-05T09:30:00"),
    ("2023-04-05T09:30:00.250+02:00", "2023-04-05T09:30:00.250000+02:00"),
    ("Tue, 02 Jan 2024 08:15:00 +0000", "2024-01-02T08:15:00+00:00"),
    ("last Tuesday", None),
    ("  ", None),
    (None, None),
])
def test_published_is_normalised(given: str | None, normalised: str | None) -> None:
    assert normalize_date(given) == normalised


@pytest.mark.parametrize("kwargs", [{"max_bytes": 0}, {"max_bytes": -5}, {"timeout": 0},
                                    {"max_bytes": 1.5}])
def test_options_are_validated(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be a positive"):
        IngestOptions(**kwargs)  # type: ignore[arg-type]
