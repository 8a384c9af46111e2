"""From an alignment to a relation, and which of two articles is the original.

Relation of a copy to its source (``classify``), from the alignment of the copy's sentences:

- not a copy unless enough of BOTH articles aligns, in order, on text outside quotations:
  either verbatim sentences (``exact`` share), or the whole source verbatim (a short
  item inside a longer page of boilerplate), or, for reworded copies, a large aligned
  share of the copy and of the source in source order (a condensed rewrite: nearly all
  of the copy, names and numbers included, from part of the source);
- ``duplicate``: every aligned sentence verbatim and the whole source present (only
  boilerplate around it differs);
- ``spun``: reworded and the copy reads as machine-spun: its spun score (``newstrace.quality``,
  less the source's where known) at least ``SPUN_MIN`` (or ``SPUN_SOME`` with much of the
  text changed and the whole source rendered: a writer condenses), or names of the source
  garbled in the copy ("Toland" for "Tolland"), or, with much changed, one garbled name or
  most articles dropped (``articles_kept``); or words swapped throughout with the
  sentence structure kept (synonym spinning:
  ``SWAP_FLOOR``..``SWAP_DERIVED`` of the copy's words from the source, no clauses moved
  or split, the whole source rendered or the copy as long: a writer's rewrite condenses,
  a spinner's keeps every sentence); or every sentence and content word kept yet most
  sentences altered and articles dropped (garbling: function words dropped, fragments glued on);
- ``near-duplicate``: verbatim sentences with part of the source missing (truncation, lead
  only, dropped paragraphs) or light word edits (all but a few words kept, at most half
  the text touched, no clause moved; or at most ``MOSTLY_VERBATIM`` touched however the
  sentences were cut);
- ``rewrite``: reworded beyond light edits (clauses moved, sentences split or merged,
  wording changed) and not spun.

Which is the original (``name_original``), first rule that decides:
``published`` (both dated, at least a minute apart: the earlier), ``fluency`` (spun scores
differ by at least 0.25 and the aligned text is reworded: the more fluent), ``garbling``
(names garbled on one side only), ``credit`` (a credit or syndication-boilerplate line such
as "provided by", "additional reporting by", "All rights reserved", "Share on Facebook"
among one side's unaligned sentences only: that one is the copy; such lines take no part in
alignment),
``containment`` (one is clearly more contained in the other: that one is the copy),
``dated`` (only one has a date: it), else ``undecided`` (the smaller id: a fixed order that
does not depend on arrival; an undecided pair casts no vote of its own in its family, whose
other articles settle it: ``family.settle_undecided``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from rapidfuzz.distance import Levenshtein

from newstrace.provenance.align import Alignment

__all__ = [
    "RELATIONS",
    "Side",
    "articles_kept",
    "classify",
    "garbled_names",
    "has_credit",
    "name_original",
    "parse_date",
]

RELATIONS = ("duplicate", "near-duplicate", "rewrite", "spun")
SPUN_MIN = 0.5
SPUN_SOME = 0.2  # a lower spun score counts when ...
SPUN_SOME_CHANGED = 0.3  # ... at least this share of the aligned text is changed
SWAP_DERIVED = 0.94  # word swapping: under this share of the copy's words from the source
SWAP_FLOOR = 0.65  # ... but over this: a writer's own rewording keeps fewer of them
SWAP_CHANGED = 0.35  # ... in at least this share of the aligned text, structure kept
SWAP_SOURCE = 0.92  # ... and the whole source rendered (a writer leaves parts out) ...
SWAP_LENGTH = 0.95  # ... or the copy as long as the source
# Link gates (tuned on ECB+ dev: derivatives against same-story independent reports).
EXACT_MIN = 0.5  # verbatim route: share of the copy's words in verbatim sentences
VERBATIM_COVER = 0.6  # ... and share of the copy aligned at all
WHOLE_MIN_WORDS = 8  # whole-source route: the source, all verbatim, has this many content words
CLOSE_COVER = 0.8  # close paraphrase route: share of the copy aligned
CLOSE_SOURCE = 0.6  # ... and of the source
CLOSE_SIMILARITY = 0.8  # ... at this mean sentence similarity
CLOSE_ALONE_DERIVED = 0.5  # ... from one aligned sentence only if it shares this many words
CONDENSED_COVER = 0.9  # condensed rewrite route: share of the copy aligned ...
CONDENSED_SIMILARITY = 0.85  # ... at this mean sentence similarity (own words: 0.85-0.9) ...
CONDENSED_IMMUTABLES = 0.8  # ... with this share of its numbers and names in the source
CONDENSED_ORDER = 0.8  # ... in source order (and PARA_SOURCE, PARA_PAIRS as below)
PARA_COVER = 0.4  # free rewrite route: share of the copy aligned
PARA_SOURCE = 0.3  # ... and of the source
PARA_PAIRS = 3
PARA_ORDER = 0.6
PARA_IMMUTABLES = 0.7  # ... keeping this share of the numbers and names
CREDIT_WORDS = 60  # ... of at most this many unaligned words (a header and footer, not
#                    the paragraphs a shortened copy dropped from its original)
CREDIT_LINE_WORDS = 12  # a credit line is short ("via her Twitter feed" in a report is not)
CREDIT_SHARE = 0.5  # credit/boilerplate lines make at least this share of the unaligned words
CONTAINED_GAP = 0.05  # containment names the original at this gap ...
CONTAINED_GAP_REWORDED = 0.2  # ... or this one when either side is reworded
CONTAINED_GAP_CONDENSED = 0.4  # ... and before fluency, when the less fluent side is not spun
DERIVED_GAP = 0.01  # last resort: the one more derived from the other is the copy
# Levels.
UNCHANGED = 0.99  # verbatim score of a sentence that counts as unchanged
DUP_SOURCE = 0.95
DUP_CHANGED = 0.1  # a duplicate whose sentences were cut differently: this much "changed" ...
DUP_DERIVED = 0.99  # ... with all but this share of the words the same
LIGHT_DERIVED = 0.9  # near-duplicate edits keep at least this share of each sentence's words
LIGHT_CHANGED = 0.5  # ... in at most this share of the aligned text
MOSTLY_VERBATIM = 0.2  # ... or this share, however the sentences were cut
_ARTICLE = re.compile(r"\b(?:the|a|an)\b", re.IGNORECASE)
ARTICLES_KEPT = 0.6  # fewer articles kept than this (with much changed): machine-made
ARTICLES_ALL = 0.95  # ... fewer than this: some dropped (a writer's rewording keeps them)
ARTICLES_MIN = 5  # articles in the source's aligned sentences for the ratio to mean anything
_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?")
_CREDIT = re.compile(
    r"\b(?:provided by|additional reporting|originally (?:published|appeared)|"
    r"republished|reprinted|syndicated|distributed by|this (?:story|article) (?:first|was)|"
    r"source:|via|all rights reserved|copyright|share (?:on|this)|follow us|"
    r"sign up for|newsletter|staff report|posted by|^by [\w .'-]{2,40} (?:staff|editors))\b",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def garbled_names(al: Alignment, copy_text: str, source_text: str) -> int:
    """Names of the source sentence spelt slightly differently in its aligned copy sentence.

    Only spellings each text never uses elsewhere count: a copy that garbles a name does so
    throughout, while two reports that both say "March" and "Marco", or "Democrats" and
    "Democratic", are using two words."""
    copy_all = set(_NAME.findall(copy_text))
    source_all = set(_NAME.findall(source_text))
    count = 0
    for pair in al.pairs:
        copy_names = set(_NAME.findall(copy_text[pair.copy[0] : pair.copy[1]]))
        source_names = set(_NAME.findall(source_text[pair.source[0] : pair.source[1]]))
        for name in copy_names - source_all:
            for other in source_names - copy_all:
                if (
                    name[0] == other[0]
                    and Levenshtein.normalized_similarity(name, other) >= 0.75
                    and not _inflected(name, other)
                ):
                    count += 1
                    break
    return count


def _inflected(a: str, b: str) -> bool:
    """Same word, or one the other plus an ending ("Republican" / "Republicans",
    "Kasich" / "Kasichs"): a different word form, not a misspelt name."""
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def articles_kept(al: Alignment, copy_text: str, source_text: str) -> float:
    """Articles ("the", "a", "an") in the aligned copy sentences per article in their source
    sentences. Writers and synonym spinners keep them; machine translation from a language
    without articles and garbling spinners drop many (1.0 when the source has none)."""
    copy_n = sum(len(_ARTICLE.findall(copy_text[p.copy[0] : p.copy[1]])) for p in al.pairs)
    source_n = sum(len(_ARTICLE.findall(source_text[p.source[0] : p.source[1]])) for p in al.pairs)
    return copy_n / source_n if source_n >= ARTICLES_MIN else 1.0


def has_credit(al: Alignment, text: str) -> bool:
    """Credit or syndication-boilerplate lines make up most of what the copy adds: its
    sentences that align to nothing. (An original's unaligned part, the tail a truncated
    copy left out, is news text, so a stray "via" in it does not make it a copy.)"""
    aligned = {p.copy for p in al.pairs}
    spans = [(s, e) for s, e in al.copy_unaligned if (s, e) not in aligned]
    total = sum(len(text[s:e].split()) for s, e in spans)
    credited = sum(
        len(text[s:e].split())
        for s, e in spans
        if len(text[s:e].split()) <= CREDIT_LINE_WORDS and _CREDIT.search(text[s:e])
    )
    return 0 < total <= CREDIT_WORDS and credited >= CREDIT_SHARE * total


def changed_share(al: Alignment) -> float:
    total = sum(p.weight for p in al.pairs)
    return sum(p.weight for p in al.pairs if p.verbatim < UNCHANGED) / total if total else 0.0


def _restructured(al: Alignment) -> int:
    """Aligned pairs with the same words in another order, or one source sentence split."""
    moved = sum(1 for p in al.pairs if p.derived >= 0.95 and p.verbatim < 0.9)
    sources = [p.source for p in al.pairs]
    return moved + len(sources) - len(set(sources))


def is_link(al: Alignment) -> bool:
    if al.exact >= EXACT_MIN and al.copy_covered >= VERBATIM_COVER:
        return True
    if (
        al.source_covered >= DUP_SOURCE
        and al.source_total >= WHOLE_MIN_WORDS
        and al.n_aligned
        and changed_share(al) <= 0.02
    ):
        return True  # a short article whole and verbatim inside the copy's boilerplate
    if (
        al.copy_covered >= CLOSE_COVER
        and al.source_covered >= CLOSE_SOURCE
        and al.similarity >= CLOSE_SIMILARITY
        and (al.n_aligned >= 2 or al.derived >= CLOSE_ALONE_DERIVED)
    ):
        return True  # (one sentence alike in meaning but not in words is a template, not a copy)
    if (
        al.copy_covered >= CONDENSED_COVER
        and al.similarity >= CONDENSED_SIMILARITY
        and al.immutables_in_source >= CONDENSED_IMMUTABLES
        and al.source_covered >= PARA_SOURCE
        and al.n_aligned >= PARA_PAIRS
        and al.order >= CONDENSED_ORDER
    ):
        return True  # a condensed rewrite: all of it from the source, names and numbers too
    return (
        al.immutables >= PARA_IMMUTABLES
        and al.copy_covered >= PARA_COVER
        and al.source_covered >= PARA_SOURCE
        and al.n_aligned >= PARA_PAIRS
        and al.order >= PARA_ORDER
    )


def classify(
    al: Alignment,
    spun_score: float | None = None,
    garbled: int = 0,
    articles: float = 1.0,
    source_spun: float | None = None,
) -> str | None:
    """The relation of the copy to the source, or None when it is not a copy.

    ``spun_score`` counts by how much it exceeds the source's (``source_spun``) where
    both are known: a faithful copy of clumsy text reads as clumsy as its source."""
    if not is_link(al):
        return None
    if spun_score is not None and source_spun is not None:
        spun_score = max(0.0, spun_score - source_spun)
    changed = changed_share(al)
    if changed <= 0.02:
        return "duplicate" if al.source_covered >= DUP_SOURCE else "near-duplicate"
    if changed <= DUP_CHANGED and al.derived >= DUP_DERIVED and al.source_covered >= DUP_SOURCE:
        return "duplicate"  # every word there, sentences cut a little differently
    spun = garbled >= 2 or (spun_score is not None and spun_score >= SPUN_MIN)
    if (garbled >= 1 or articles < ARTICLES_KEPT) and changed >= SPUN_SOME_CHANGED:
        spun = True  # names misspelt or articles dropped where much is changed: a machine's
    # A spinner renders the whole source (or as much text); a writer condenses.
    whole = al.source_covered >= SWAP_SOURCE or al.copy_total >= SWAP_LENGTH * al.source_total
    if (
        spun_score is not None
        and spun_score >= SPUN_SOME
        and changed >= SPUN_SOME_CHANGED
        and whole
    ):
        spun = True  # somewhat spun-looking text with much of it changed, none left out
    if (
        SWAP_FLOOR <= al.derived < SWAP_DERIVED
        and changed >= SWAP_CHANGED
        and _restructured(al) <= 1
        and whole
    ):
        spun = True  # words swapped throughout, sentence structure kept: a spinner's work
    if (
        al.derived >= SWAP_DERIVED
        and changed > LIGHT_CHANGED
        and al.source_covered >= SWAP_SOURCE
        and _restructured(al) <= 1
        and articles < ARTICLES_ALL
    ):
        spun = True  # every sentence kept, content words too, yet most altered: words dropped
    if spun:
        return "spun"
    light = _restructured(al) == 0
    if al.derived >= LIGHT_DERIVED and changed <= LIGHT_CHANGED and light:
        return "near-duplicate"
    if al.derived >= LIGHT_DERIVED and changed <= MOSTLY_VERBATIM:
        return "near-duplicate"  # a sentence split differently is not a restructured text
    return "rewrite"


def score(al: Alignment) -> float:
    """Share of the copy derived from the source, similarity-weighted (0..1)."""
    if al.copy_total <= 0:
        return 0.0
    return round(sum(p.similarity * p.weight for p in al.pairs) / al.copy_total, 4)


@dataclass(frozen=True)
class Side:
    """What original naming needs to know about one article of a pair."""

    id: str
    published: datetime | None
    spun_score: float | None
    arrival: int
    garbled: int  # names of the other garbled in this one (this one aligned as the copy)
    credit: bool  # carries a credit line
    contained: float  # share of this one aligned into the other
    day_only: bool = False  # the date has no time of day
    changed: float = 0.0  # share of this one's aligned text not verbatim
    derived: float = 0.0  # similarity-weighted share of this one aligned into the other


def _apart(a: Side, b: Side) -> bool:
    """Dated at least a minute apart; only a day apart when either gives only a day."""
    assert a.published is not None and b.published is not None
    if a.day_only or b.day_only:
        return a.published.date() != b.published.date()
    return abs((a.published - b.published).total_seconds()) >= 60


def name_original(a: Side, b: Side) -> tuple[Side, Side, str]:
    """(copy, original, deciding evidence)."""
    if a.published and b.published and _apart(a, b):
        return (b, a, "published") if a.published < b.published else (a, b, "published")
    if (
        a.spun_score is not None
        and b.spun_score is not None
        and abs(a.spun_score - b.spun_score) >= 0.25
        and max(a.changed, b.changed) > DUP_CHANGED
    ):  # (word for word the same, the texts differ only in what one adds or leaves out)
        clumsy, fluent = (a, b) if a.spun_score > b.spun_score else (b, a)
        if not (
            fluent.contained - clumsy.contained >= CONTAINED_GAP_CONDENSED
            and (clumsy.spun_score or 0.0) < SPUN_MIN
        ):
            return clumsy, fluent, "fluency"
        # A condensed rewrite of part of a clumsy (not spun-looking) original: the writer's
        # own words read better, and what the copy left out tells more.
    if (a.garbled >= 2) != (b.garbled >= 2):
        return (a, b, "garbling") if a.garbled >= 2 else (b, a, "garbling")
    if a.credit != b.credit:
        return (a, b, "credit") if a.credit else (b, a, "credit")
    # Reworded text aligns unevenly, so containment needs a wider gap to mean anything.
    gap = CONTAINED_GAP if max(a.changed, b.changed) <= 0.3 else CONTAINED_GAP_REWORDED
    if abs(a.contained - b.contained) >= gap:
        return (a, b, "containment") if a.contained > b.contained else (b, a, "containment")
    if (a.published is None) != (b.published is None):
        return (b, a, "dated") if a.published else (a, b, "dated")
    if max(a.changed, b.changed) <= 0.3 and abs(a.derived - b.derived) >= DERIVED_GAP:
        # weaker containment: similarity-weighted share of each aligned into the other
        return (a, b, "derived") if a.derived > b.derived else (b, a, "derived")
    # Nothing decides: a fixed order (not arrival, which would make the answer depend on
    # the order articles are added); such a pair does not vote for its family's original.
    return (b, a, "undecided") if a.id < b.id else (a, b, "undecided")
