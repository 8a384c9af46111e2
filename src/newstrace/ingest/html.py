"""HTML pages to articles: trafilatura for the main text and metadata.

Shared by the file, JSONL, feed, WARC and URL readers so every HTML source is extracted the
same way. Paragraphs come out separated by a blank line.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import Document

from newstrace.ingest.dates import normalize_date
from newstrace.ingest.limits import DEFAULT_EXTRACT_TIMEOUT, ExtractionTimeout, time_limit
from newstrace.model import Article, InputFailure

logger = logging.getLogger(__name__)

NO_TEXT = "no article text found in HTML"
_BREAK = "\u2029"  # Unicode paragraph separator: marks block boundaries, never kept in output
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tr",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
        "hr",
        "address",
        "br",
    }
)


def extract(html: str, url: str | None = None) -> Document | None:
    """Main text and metadata of a page, tuned for precision (news pages carry a lot of chrome)."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        # Metadata dates only: htmldate's text heuristics invent dates (2019-01-01 for an
        # undated fragment), and a wrong date misnames the original of a copy.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    return result if isinstance(result, Document) else None


def paragraphs(text: str | None, title: str | None = None) -> str:
    """One paragraph per block, blank-line separated; a leading copy of the headline is dropped."""
    blocks = [" ".join(line.split()) for line in (text or "").split("\n")]
    blocks = [block for block in blocks if block]
    if blocks and title and blocks[0].casefold() == " ".join(title.split()).casefold():
        blocks = blocks[1:]
    return "\n\n".join(blocks)


class _TextCollector(HTMLParser):
    """Collects text, marking block boundaries and skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment, keeping block elements (and ``<br>``) as paragraphs.

    The fallback for feed entry content, which is often too short for trafilatura to trust.
    """
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    blocks = (" ".join(block.split()) for block in "".join(collector.parts).split(_BREAK))
    return "\n\n".join(block for block in blocks if block)


def html_to_article(
    html: str,
    id: str,
    source: str,
    url: str | None = None,
    *,
    fmt: str = "html",
    timeout: float | None = DEFAULT_EXTRACT_TIMEOUT,
) -> Article | InputFailure:
    """Extract one article from a page; ``url``, when given, wins over the page's canonical URL.

    ``timeout`` bounds the extraction's wall-clock seconds (None: unbounded).
    """
    try:
        with time_limit(timeout, "HTML extraction"):
            document = extract(html, url)
    except ExtractionTimeout as exc:
        logger.warning("%s: %s", source, exc)
        return InputFailure(source, str(exc))
    text = paragraphs(document.text, document.title) if document is not None else ""
    if document is None or not any(ch.isalnum() for ch in text):
        logger.debug("%s: no main text with a word in it", source)
        return InputFailure(source, NO_TEXT)
    return Article(
        id=id,
        raw_text=text,
        title=document.title or None,
        url=url or document.url or None,
        outlet=document.sitename or None,
        author=document.author or None,
        published=normalize_date(document.date),
        source=source,
        format=fmt,
    )
