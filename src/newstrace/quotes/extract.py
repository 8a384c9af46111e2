"""Per-article quote extraction: marks, cues, attribution, speakers, confidence.

Confidence is the calibrated probability that the quote is right and so is its speaker
mention (``confidence.py``: a logistic model over the evidence gathered here, fit on
PolNeAR dev), so ``--min-confidence`` reads as a share of right quotes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from spacy.tokens import Doc

from newstrace.model import Quote
from newstrace.quotes.attribution import Found, attribute, drop_nested
from newstrace.quotes.boundary import refine_edges
from newstrace.quotes.confidence import confidence_features, load_calibration
from newstrace.quotes.cues import find_cues
from newstrace.quotes.learned import (
    CueModel,
    filter_quotes,
    inside_marks,
    load_model,
    rescore_cues,
    tag_article,
)
from newstrace.quotes.marks import find_mark_spans
from newstrace.quotes.speakers import Speaker, SpeakerIndex
from newstrace.quotes.tagger import Marginals, tagged_quotes

logger = logging.getLogger(__name__)

_FRESH_WORDS = frozenset({"another", "second", "third", "other", "fourth"})
# A lead's anonymous source named in the next sentence or two: "a union leader has claimed
# ... Dermot Hale, the union's regional secretary, said".
_CATAPHORA_CHARS = 400
_ROLE_END = re.compile(r"[\n.;]")


def extract_quotes(article_id: str, doc: Doc) -> list[Quote]:
    """Every quote in one parsed article, in text order; reads the parse, never re-parses."""
    return extract_with_model(article_id, doc, load_model())


def extract_with_model(article_id: str, doc: Doc, model: CueModel | None) -> list[Quote]:
    """``extract_quotes`` with a given cue model (None: the lexicon alone), for training."""
    calibration = load_calibration()
    return [
        replace(quote, confidence=calibration(evidence))
        for quote, evidence in extract_with_evidence(article_id, doc, model)
    ]


def extract_with_evidence(
    article_id: str, doc: Doc, model: CueModel | None
) -> list[tuple[Quote, list[float]]]:
    """The quotes (confidence not yet set) with their confidence evidence, for the
    calibration's training (``confidence_features``)."""
    text = doc.text  # rebuilt from the tokens on every access: read it once
    if not text.strip():
        return []
    found, marginals = find_quotes(doc, text, model)
    if model is not None and model.edges is not None:
        refine_edges(doc, text, found, model.edges, marginals)
    index = SpeakerIndex.build(doc, text)
    speakers: dict[int, Speaker | None] = {}
    for quote in found:
        speaker = speakers[id(quote)] = _speaker(quote, index, text, speakers)
        if speaker is not None:
            index.said(quote.start, quote.end, speaker)
    _resolve_cataphora(doc, found, speakers)
    quotes = []
    for quote in found:
        speaker = speakers[id(quote)]
        cue = quote.cue
        record = Quote(
            article=article_id,
            start=quote.start,
            end=quote.end,
            text=text[quote.start : quote.end],
            kind=quote.kind,
            speaker=speaker.name if speaker and speaker.resolved else None,
            speaker_mention=speaker.mention if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            speaker_role=speaker.role if speaker else None,
            cue=text[cue.start : cue.end] if cue else None,
            cue_start=cue.start if cue else None,
            cue_end=cue.end if cue else None,
        )
        quotes.append((record, confidence_features(quote, speaker)))
    logger.debug("%s: %d quotes", article_id, len(quotes))
    return quotes


def find_quotes(
    doc: Doc, text: str, model: CueModel | None
) -> tuple[list[Found], Marginals | None]:
    """The article's quotes with their cues, before content edges are learned and speakers
    resolved (the edge scorer's training examples are these), and the sequence tagger's
    reading of the article (None without a tagger). Besides the rules' quotes that the
    scorers keep, a stretch the tagger reads as content with confidence is a quote."""
    spans = find_mark_spans(text)
    cues = find_cues(doc, text)
    if model is None:
        return drop_nested(attribute(doc, text, spans, cues)), None
    inside = inside_marks(doc, [(s.start, s.end) for s in spans])
    cues, probs = rescore_cues(doc, text, inside, cues, model)
    found = attribute(doc, text, spans, cues)
    marginals = tag_article(doc, model.tagger, inside)
    found = drop_nested(filter_quotes(doc, found, probs, model, marginals))
    if marginals is not None:
        found = sorted(found + tagged_quotes(doc, found, marginals), key=lambda q: q.start)
    return found, marginals


def _speaker(
    quote: Found, index: SpeakerIndex, text: str, known: dict[int, Speaker | None]
) -> Speaker | None:
    if quote.follows is not None:
        return known.get(id(quote.follows))
    if quote.dash_name is not None:
        start, end = quote.dash_name
        person = index.person_at(start, end)
        name = person.name if person is not None else text[start:end]
        role = person.role if person is not None else None
        if role is None and text.startswith(",", end):
            stop = _ROLE_END.search(text, end)
            role = text[end + 1 : stop.start() if stop else len(text)].strip() or None
            if person is not None and role is not None:
                person.role = role
        return Speaker(name, text[start:end], start, end, role, "name")
    cue = quote.cue
    if cue is None or cue.source_head is None or cue.source is None:
        return None
    return index.resolve(index.doc[cue.source_head], cue.source, (quote.start, quote.end))


def _resolve_cataphora(doc: Doc, found: list[Found], speakers: dict[int, Speaker | None]) -> None:
    """A lead's unnamed source named in what follows: "a union leader has claimed that ...
    Dermot Hale said". Only a reported claim in the perfect ("has claimed"), the news lead's
    form; a vox pop ("A woman said: “...”") is a source of its own, never the next name."""
    for i, quote in enumerate(found):
        speaker = speakers[id(quote)]
        if speaker is None or speaker.how != "indefinite" or not _lead_claim(doc, quote):
            continue
        if _FRESH_WORDS & set(speaker.mention.lower().split()):
            continue
        for later in found[i + 1 :]:
            named = speakers[id(later)]
            if named is None or later.follows is not None:
                continue
            if named.start - speaker.end > _CATAPHORA_CHARS or named.start < speaker.end:
                break
            if named.how == "name":
                speakers[id(quote)] = Speaker(
                    named.name, speaker.mention, speaker.start, speaker.end, named.role, "cataphora"
                )
            break


def _lead_claim(doc: Doc, quote: Found) -> bool:
    if quote.kind == "direct" or quote.cue is None:
        return False
    return any(
        child.dep_ == "aux" and child.lemma_ == "have" for child in doc[quote.cue.token].children
    )
