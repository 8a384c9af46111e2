"""The learned cue and quote scorers: the shipped files, and what they add to the lexicon."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from newstrace.model import Quote
from newstrace.nlp import load_nlp
from newstrace.quotes import extract_quotes
from newstrace.quotes.extract import extract_with_model
from newstrace.quotes.learned import FEATURE_VERSION, META_FILE, MODEL_FILE, load_model


def _data(name: str) -> bytes:
    return resources.files("newstrace").joinpath("data", name).read_bytes()


def test_model_files_load_and_agree_with_their_metadata() -> None:
    meta = json.loads(_data(META_FILE))
    assert meta["feature_version"] == FEATURE_VERSION
    with np.load(resources.files("newstrace").joinpath("data", MODEL_FILE)) as data:
        cue, quote = data["cue"], data["quote"]
    assert cue.shape == quote.shape == (1 << meta["bits"],)
    assert cue.dtype == quote.dtype == np.float32
    digest = hashlib.sha256(cue.tobytes() + quote.tobytes()).hexdigest()
    assert digest == meta["weights_sha256"]
    assert 0 < meta["threshold"] < 1 and 0 <= meta["keep"] < 1
    assert 0 < meta["accept"] < 1
    assert len(_data(MODEL_FILE)) + len(_data(META_FILE)) < 20_000_000
    model = load_model()
    assert model is not None and model.threshold == meta["threshold"]


def _quotes(text: str, learned: bool = True) -> list[Quote]:
    doc = load_nlp()(text)
    return extract_quotes("t", doc) if learned else extract_with_model("t", doc, None)


def _with_content(quotes: list[Quote], content: str) -> Quote | None:
    return next((q for q in quotes if q.text == content), None)


@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker"),
    [
        (
            "Mayor Ilse Brannock lauded the harbour volunteers for their quick work.",
            "lauded",
            "the harbour volunteers for their quick work",
            "Ilse Brannock",
        ),
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
            "Minister Halvard Dunne pushed for a new tunnel under the Sorrel estuary.",
            "pushed for",
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
