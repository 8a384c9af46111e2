"""The learned cue and quote scorers: the shipped files, and what they add to the lexicon."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from newstrace.model import Quote
from newstrace.nlp import load_nlp
from newstrace.quotes import extract_quotes
from newstrace.quotes.boundary import Edges, refine_edges
from newstrace.quotes.extract import extract_with_model, find_quotes
from newstrace.quotes.learned import (
    FEATURE_VERSION,
    META_FILE,
    MODEL_FILE,
    TAGGER_FILE,
    load_model,
)


def _data(name: str) -> bytes:
    return resources.files("newstrace").joinpath("data", name).read_bytes()


def test_model_files_load_and_agree_with_their_metadata() -> None:
    meta = json.loads(_data(META_FILE))
    assert meta["feature_version"] == FEATURE_VERSION
    with np.load(resources.files("newstrace").joinpath("data", MODEL_FILE)) as data:
        arrays = [data[name] for name in ("cue", "quote", "start", "end")]
    assert {a.shape for a in arrays} == {(1 << meta["bits"],)}
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}
    digest = hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest()
    assert digest == meta["weights_sha256"]
    assert 0 < meta["threshold"] < 1 and 0 <= meta["keep"] < 1
    assert 0 < meta["accept"] < 1
    tagger = _data(TAGGER_FILE)
    assert hashlib.sha256(tagger).hexdigest() == meta["tagger_sha256"]
    assert len(_data(MODEL_FILE)) + len(_data(META_FILE)) + len(tagger) < 20_000_000
    model = load_model()
    assert model is not None and model.threshold == meta["threshold"]
    assert model.tagger is not None and model.tagger.data == tagger


def _quotes(text: str, learned: bool = True) -> list[Quote]:
    doc = load_nlp()(text)
    return extract_quotes("t", doc) if learned else extract_with_model("t", doc, None)


def _with_content(quotes: list[Quote], content: str) -> Quote | None:
    return next((q for q in quotes if q.text == content), None)


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker"),
    [
        (
            "Senator Oona Pellar favors a cap on ferry fares for residents of the islands.",
            "favors",
            "a cap on ferry fares for residents of the islands",
            "Oona Pellar",
        ),
        (
            "The Brisk Valley council voted to close the eastern bridge until repairs end.",
            "voted",
            "to close the eastern bridge until repairs end",
            "The Brisk Valley council",
        ),
        (
            "Minister Halvard Dunne pressed for a new tunnel under the Sorrel estuary.",
            "pressed for",
            "a new tunnel under the Sorrel estuary",
            "Halvard Dunne",
        ),
    ],
)
def test_learned_cue_finds_an_attribution_the_lexicon_lacks(
    text: str, cue: str, content: str, speaker: str
) -> None:
    assert _with_content(_quotes(text, learned=False), content) is None
    quote = _with_content(_quotes(text), content)
    assert quote is not None, [q.text for q in _quotes(text)]
    assert (quote.kind, quote.cue, quote.speaker) == ("indirect", cue, speaker)


def test_confidence_follows_the_quote_scorer() -> None:
    model = load_model()
    assert model is not None
    doc = load_nlp()("Senator Oona Pellar favors a cap on ferry fares for residents.")
    content = "a cap on ferry fares for residents"
    doubtful = replace(model, quote=replace(model.quote, bias=model.quote.bias - 2), accept=0.0)
    sure = replace(model, quote=replace(model.quote, bias=model.quote.bias + 2), accept=0.0)
    low = _with_content(extract_with_model("t", doc, doubtful), content)
    high = _with_content(extract_with_model("t", doc, sure), content)
    assert low is not None and high is not None
    assert low.confidence < high.confidence


def test_the_quote_scorer_drops_what_it_rejects() -> None:
    model = load_model()
    assert model is not None
    doc = load_nlp()("Senator Oona Pellar favors a cap on ferry fares for residents.")
    strict = replace(model, accept=1.0)
    assert (
        _with_content(extract_with_model("t", doc, strict), "a cap on ferry fares for residents")
        is None
    )


def test_a_nested_cue_repeating_the_outer_content_is_dropped() -> None:
    quotes = _quotes("Councillor Vela Marrin said she supported the ferry levy.")
    assert [q.cue for q in quotes] == ["said"]
    assert quotes[0].text == "she supported the ferry levy"


def _hashed(feature: str, bits: int) -> int:
    return zlib.crc32(feature.encode()) & ((1 << bits) - 1)


def _edges(**weights: float) -> Edges:
    """Hand-set edge scorers: each keeps the rules' edge unless a named feature outweighs
    it."""
    bits = 18
    start = np.zeros(1 << bits, dtype=np.float32)
    end = np.zeros(1 << bits, dtype=np.float32)
    start[_hashed("s:o=0", bits)] = end[_hashed("e:o=0", bits)] = 1.0
    for feature, weight in weights.items():
        side = start if feature.startswith("s_") else end
        side[_hashed(feature[:1] + ":" + feature[2:].replace("_", "="), bits)] = weight
    return Edges(start, end, bits)


def _hashed(feature: str, bits: int) -> int:
    return zlib.crc32(feature.encode()) & ((1 << bits) - 1)


def test_content_edges_move_to_the_best_rated_candidate() -> None:
    """A start scorer that likes "harbour" moves the clause quote's start there; the
    quoted words of a direct quote keep their marks."""
    text = "Mayor Ilse Brannock said the old harbour would reopen in May. “We are ready,” she said."
    doc = load_nlp()(text)
    found, _ = find_quotes(doc, text, None)
    clause = next(q for q in found if q.kind == "indirect")
    direct = next(q for q in found if q.kind == "direct")
    before = (direct.start, direct.end)
    assert text[clause.start : clause.end] == "the old harbour would reopen in May"
    refine_edges(doc, text, found, _edges(s_w_harbour=5.0))
    assert text[clause.start : clause.end] == "harbour would reopen in May"
    assert (direct.start, direct.end) == before
    refine_edges(doc, text, found, _edges(e_w_reopen=5.0))
    assert text[clause.start : clause.end] == "harbour would reopen"


def test_content_end_stays_before_a_trailing_relative_clause() -> None:
    """However an end scorer rates the sentence end, the rules' cut before ", which ..."
    stands (PolNeAR stops there about two times in three)."""
    text = "Inspector Ruth Vale said the pier was rebuilt by Harlow Builders, which won in 2019."
    doc = load_nlp()(text)
    found, _ = find_quotes(doc, text, None)
    refine_edges(doc, text, found, _edges(e_w_2019=9.0))
    assert [text[q.start : q.end] for q in found] == ["the pier was rebuilt by Harlow Builders"]


@pytest.mark.parametrize(
    ("text", "rules", "content"),
    [
        (
            "Minister Halvard Dunne urged supporters to monitor the harbour on Election Day.",
            "to monitor the harbour on Election Day",
            "supporters to monitor the harbour on Election Day",
        ),
        (
            "Councillor Ama Torvik suggested that sailors who suffer from seasickness might "
            "not be as strong as those who don’t.",
            "that sailors who suffer from seasickness might not be as strong as those who do",
            "that sailors who suffer from seasickness might not be as strong as those who don’t",
        ),
    ],
)
def test_learned_edges_place_the_content(text: str, rules: str, content: str) -> None:
    """The edge scorers take in the addressee of "urged ... to" (PolNeAR's content starts
    at it) and mend an end the rules cut at an apostrophe."""
    model = load_model()
    assert model is not None
    doc = load_nlp()(text)
    without = extract_with_model("t", doc, replace(model, edges=None))
    assert [q.text for q in without] == [rules]
    quotes = extract_quotes("t", doc)
    assert [(q.text, q.kind) for q in quotes] == [(content, "indirect")]
    assert quotes[0].speaker in {"Halvard Dunne", "Ama Torvik"}
