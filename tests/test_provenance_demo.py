"""Provenance end to end over the bundled demo corpus, against its MANIFEST.json.

The articles are read with the ingest readers, cleaned, parsed once with ``load_nlp()``;
sentence spans come from the parse and the direct and mixed quotes (from
``newstrace.quotes``) are masked, as the pipeline does.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from newstrace.clean import clean
from newstrace.ingest import read_inputs
from newstrace.model import Article
from newstrace.nlp import load_nlp
from newstrace.provenance import Link, ProvenanceDoc, find_links
from newstrace.quotes import extract_quotes

DEMO = Path(str(resources.files("newstrace").joinpath("demo")))
COPIES = ("duplicate", "near-duplicate", "rewrite", "spun")


def _key(article_id: str) -> str:
    return article_id.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def manifest() -> dict[str, dict[str, object]]:
    data = json.loads((DEMO / "MANIFEST.json").read_text(encoding="utf-8"))
    return {str(a["id"]): a for a in data["articles"]}


@pytest.fixture(scope="module")
def demo_links() -> list[Link]:
    articles = [clean(a) for a in read_inputs([str(DEMO)]) if isinstance(a, Article)]
    nlp = load_nlp()
    docs = []
    for article, parsed in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        quotes = tuple(
            (q.start, q.end) for q in extract_quotes(article.id, parsed) if q.kind != "indirect"
        )
        docs.append(
            ProvenanceDoc(
                id=_key(article.id),
                text=article.text,
                published=article.published,
                sentences=tuple((s.start_char, s.end_char) for s in parsed.sents),
                quotes=quotes,
            )
        )
    return find_links(docs)


def test_manifest_copies_found_with_their_original(
    manifest: dict[str, dict[str, object]], demo_links: list[Link]
) -> None:
    found = {link.copy: link for link in demo_links}
    for art_id, art in manifest.items():
        if art["relation"] not in COPIES:
            continue
        link = found.get(art_id)
        assert link is not None, f"{art_id} ({art['relation']}) not linked"
        assert link.original == art["original"], art_id
        assert link.relation == art["relation"], art_id


def test_no_link_touches_an_independent_or_original_as_copy(
    manifest: dict[str, dict[str, object]], demo_links: list[Link]
) -> None:
    copies = {a for a, art in manifest.items() if art["relation"] in COPIES}
    assert {link.copy for link in demo_links} == copies
    for link in demo_links:
        assert manifest[link.original]["relation"] == "original", link.to_dict()
