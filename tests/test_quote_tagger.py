"""The sequence tagger: its gold labels, its segments, and what the shipped CRF reads."""

from __future__ import annotations

import zlib

import numpy as np
from spacy.tokens import Doc

from newstrace.nlp import load_nlp
from newstrace.quotes.attribution import attribute
from newstrace.quotes.boundary import Edges, refine_edges
from newstrace.quotes.cues import find_cues
from newstrace.quotes.extract import find_quotes
from newstrace.quotes.learned import inside_marks, load_model, quote_features, tag_article
from newstrace.quotes.marks import find_mark_spans
from newstrace.quotes.tagger import (
    LABELS,
    MAX_TOKENS,
    Columns,
    Marginals,
    gold_labels,
    segments,
    tagged_quotes,
)


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_gold_labels_mark_cue_source_and_content_with_nested_cues_first() -> None:
    text = "Warden Pia Olsson said the keeper claimed the lamp was broken."
    doc = load_nlp()(text)
    outer = {
        "content": [_span(text, "the keeper claimed the lamp was broken")],
        "cue": [_span(text, "said")],
        "source": [_span(text, "Warden Pia Olsson")],
    }
    inner = {
        "content": [_span(text, "the lamp was broken")],
        "cue": [_span(text, "claimed")],
        "source": [_span(text, "the keeper")],
    }
    labels = gold_labels(doc, 0, len(doc), [outer, inner])
    assert [t.text for t in doc] == (
        [
            "Warden",
            "Pia",
            "Olsson",
            "said",
            "the",
            "keeper",
            "claimed",
            "the",
            "lamp",
            "was",
            "broken",
            ".",
        ]
    )
    # the inner source and cue inside the outer content keep their own labels; the content
    # goes on after them as a new stretch
    assert labels == ["S", "S", "S", "Q", "S", "S", "Q", "CB", "CI", "CI", "CI", "O"]


def test_segments_are_paragraphs_and_long_ones_are_cut_at_sentences() -> None:
    sentence = "The ferry from Kelmar ran late again on a windy morning in the bay. "
    text = "Short opening line.\n\n" + sentence * 30
    doc = load_nlp()(text)
    inside = np.zeros(len(doc), dtype=bool)
    col = Columns.read(doc, inside)
    parts = segments(col)
    assert parts[0] == (0, 4)  # "Short opening line ." before the blank line
    assert len(parts) > 2
    for start, end in parts[1:]:
        assert end - start <= MAX_TOKENS + 20
        assert start in col.sent_start
    assert parts[-1][1] == len(doc)


def test_shipped_tagger_reads_cue_source_and_content() -> None:
    model = load_model()
    assert model is not None and model.tagger is not None
    text = "Harbourmaster Ilsa Brandvold said that the eastern pier would reopen in May."
    doc = load_nlp()(text)
    inside = inside_marks(doc, [])
    marginals = model.tagger.marginals(doc, inside)
    words = {t.text: t.i for t in doc}
    assert marginals.cue(words["said"]) > 0.5
    assert marginals.source(words["Brandvold"]) > 0.5
    assert marginals.content(words["pier"]) > 0.5
    assert marginals.content(words["Brandvold"]) < 0.2


def test_quote_scorer_reads_the_tagger() -> None:
    model = load_model()
    assert model is not None and model.tagger is not None
    text = "Councillor Edda Varro argued that the tram line should run past the old mill."
    doc = load_nlp()(text)
    spans = find_mark_spans(text)
    found = attribute(doc, text, spans, find_cues(doc, text))
    assert found
    marginals = tag_article(doc, model.tagger, inside_marks(doc, [(s.start, s.end) for s in spans]))
    assert marginals is not None
    feats = quote_features(doc, found[0], {}, False, marginals)
    assert any(f.startswith("tc=") for f in feats)
    assert not any(f.startswith("tc=") for f in quote_features(doc, found[0], {}, False))


def _marginals(doc: Doc, **labelled: tuple[str, float]) -> Marginals:
    """Hand-set tagger output: ``word=(label, probability)``; every token tagged."""
    probs = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
    for token in doc:
        if token.text in labelled:
            label, prob = labelled[token.text]
            probs[token.i, LABELS.index(label)] = prob
    return Marginals(probs, np.ones(len(doc), dtype=bool), [False] * len(doc))


def test_content_edges_read_where_the_tagger_starts_the_content() -> None:
    """A start scorer that trusts the tagger's content beginnings moves the clause quote's
    start to the word the tagger begins the content at; without the tagger it stays."""
    text = "Mayor Ilse Brannock said the old harbour would reopen in May."
    doc = load_nlp()(text)
    bits = 18
    start = np.zeros(1 << bits, dtype=np.float32)
    end = np.zeros(1 << bits, dtype=np.float32)
    mask = (1 << bits) - 1
    start[zlib.crc32(b"s:o=0") & mask] = end[zlib.crc32(b"e:o=0") & mask] = 1.0  # the rules' edge
    start[zlib.crc32(b"s:tb=4") & mask] = 5.0
    edges = Edges(start, end, bits)
    found, _ = find_quotes(doc, text, None)
    refine_edges(doc, text, found, edges)
    assert [text[q.start : q.end] for q in found] == ["the old harbour would reopen in May"]
    tags = _marginals(doc, harbour=("CB", 0.95))
    refine_edges(doc, text, found, edges, tags)
    assert [text[q.start : q.end] for q in found] == ["harbour would reopen in May"]


def test_a_stretch_the_tagger_reads_as_content_is_a_quote_with_its_cue_and_source() -> None:
    text = "Port officials expect the ferry service to resume within a week, weather allowing."
    doc = load_nlp()(text)
    content = dict.fromkeys(
        ["the", "ferry", "service", "to", "resume", "within", "a", "week"], ("CI", 0.97)
    )
    content["the"] = ("CB", 0.97)
    tags = _marginals(doc, Port=("S", 0.9), officials=("S", 0.9), expect=("Q", 0.8), **content)
    quotes = tagged_quotes(doc, [], tags)
    assert [text[q.start : q.end] for q in quotes] == ["the ferry service to resume within a week"]
    cue = quotes[0].cue
    assert cue is not None and doc[cue.token].text == "expect" and cue.learned
    assert cue.source == (0, 2) and cue.source_head == 1
    # a quote of the rules already on the stretch: nothing new
    assert tagged_quotes(doc, quotes, tags) == []
    # a doubtful stretch: nothing
    doubtful = dict.fromkeys(content, ("CI", 0.8))
    assert tagged_quotes(doc, [], _marginals(doc, expect=("Q", 0.8), **doubtful)) == []
