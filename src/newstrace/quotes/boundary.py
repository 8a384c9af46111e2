"""Learned content edges: where an attributed quote's content starts and ends.

The rules take a clause's subtree as the content, and PolNeAR's annotators often draw the
edges elsewhere: with or without "that", with the object before "for ..." ("criticized
Kaine for his work"), before a trailing "though she noted ..." or through a long
appositive. Two scorers, one for each edge, rate every token boundary near the rules'
edge in the same paragraph (the word there, its neighbours, its place in the parse, its
tie to the cue, its distance from the rules' edge), and the best-rated boundary wins; the
rules' own edge is one candidate, so the model keeps it where it should. They are
conditional logit models (a softmax over one quote's candidates), trained by
``scripts/train_quote_cues.py`` on PolNeAR train and shipped in the cue model's files.
Direct quotes keep their marks: only quotes built from a clause are moved.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Doc, Token

from newstrace.quotes.attribution import Found
from newstrace.quotes.tagger import Marginals

# Candidate boundaries: tokens this far either side of the rules' edge (same paragraph).
START_WINDOW = 8
END_WINDOW = 14
_EDGE_CHARS = " \t\n\"'“”‘’.,;:"  # what the scorer trims at a content's edges


@dataclass(frozen=True)
class Edges:
    """Hashed weights of the start and end scorers (a softmax has no bias)."""

    start: NDArray[np.float32]
    end: NDArray[np.float32]
    bits: int


@dataclass(frozen=True)
class Candidates:
    """One quote's candidate edges: token indexes and their hashed features."""

    tokens: list[int]
    features: list[list[int]]
    rule: int  # where the rules' own edge is in ``tokens``


def refined(quote: Found) -> bool:
    """Is this a quote whose edges the model places (a clause's content, not marks)?"""
    return quote.cue is not None and quote.how == "clause" and quote.kind != "direct"


def refine_edges(
    doc: Doc, text: str, found: list[Found], edges: Edges, marginals: Marginals | None = None
) -> None:
    """Move each clause quote's start and end to the best-rated candidate, in place."""
    hasher = Hasher(doc, edges.bits, marginals)
    for quote in found:
        if not refined(quote):
            continue
        starts, ends = quote_candidates(doc, quote, hasher)
        if starts is None or ends is None:
            continue
        start = starts.tokens[_best(starts, edges.start)]
        end = ends.tokens[ends.rule]
        if not _before_aside(doc, end):
            end = ends.tokens[_best(ends, edges.end)]
        first, last = doc[start], doc[end]
        if first.idx >= last.idx + len(last.text):
            continue
        new = _trim(text, first.idx, last.idx + len(last.text))
        if new is not None:
            quote.start, quote.end = new


def _before_aside(doc: Doc, end: int) -> bool:
    """Did the rules end the content before a comma and a trailing relative clause or
    participle ("…Harlow Builders, which won …", "…its crew, forcing …")? PolNeAR mostly
    stops there (about two times in three on train), which the token scorers miss."""
    if end + 2 >= len(doc) or doc[end + 1].text != ",":
        return False
    aside = doc[end + 2]
    if aside.dep_ in {"nsubj", "nsubjpass", "mark", "advmod"} and aside.head.i > aside.i:
        aside = aside.head  # "which" / "who" opening the clause
    return aside.dep_ == "relcl" or (aside.dep_ in {"advcl", "acl"} and aside.tag_ == "VBG")


def _best(candidates: Candidates, weights: NDArray[np.float32]) -> int:
    features = candidates.features
    flat = np.fromiter((i for row in features for i in row), dtype=np.int64)
    offsets = np.cumsum([0, *(len(row) for row in features[:-1])])
    return int(np.argmax(np.add.reduceat(weights[flat], offsets)))


def quote_candidates(
    doc: Doc, quote: Found, hasher: Hasher
) -> tuple[Candidates | None, Candidates | None]:
    """The candidate starts and ends of one clause quote (None where it covers no token)."""
    assert quote.cue is not None
    cue = doc[quote.cue.token]
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    words = [t for t in span if not t.is_space] if span is not None else []
    if not words:
        return None, None
    rule_start, rule_end = words[0], words[-1]
    low, high = _paragraph(doc, rule_start, rule_end)
    # Beyond the windows, the edges of the cue's sentence and of its right arguments:
    # "spoke of the legacy of racism, enshrined in law, and how the fight ... rulings".
    sentence = cue.sent
    far_starts = {sentence.start} | {c.left_edge.i for c in cue.rights}
    far_ends = {sentence.end - 1} | {c.right_edge.i for c in cue.rights}
    far_ends |= {a.right_edge.i for a in rule_end.ancestors}
    far_starts |= {a.left_edge.i for a in rule_start.ancestors}
    starts = _candidates(doc, rule_start.i, START_WINDOW, low, high, far_starts)
    ends = _candidates(doc, rule_end.i, END_WINDOW, low, high, far_ends)
    kind = quote.kind
    lemma = quote.cue.lemma
    start_rows = [
        hasher.start(doc[i]) + hasher.relative("s", doc[i], rule_start, cue, kind, lemma)
        for i in starts
    ]
    end_rows = [
        hasher.end(doc[i]) + hasher.relative("e", doc[i], rule_end, cue, kind, lemma) for i in ends
    ]
    return (
        Candidates(starts, start_rows, starts.index(rule_start.i)),
        Candidates(ends, end_rows, ends.index(rule_end.i)),
    )


def _candidates(
    doc: Doc, centre: int, window: int, low: int, high: int, far: set[int]
) -> list[int]:
    """Tokens within ``window`` of ``centre`` and the ``far`` ones, in the paragraph."""
    near = range(max(low, centre - window), min(high, centre + window + 1))
    picked = set(near) | {i for i in far if low <= i < high}
    return [i for i in sorted(picked) if not doc[i].is_space]


def _paragraph(doc: Doc, first: Token, last: Token) -> tuple[int, int]:
    """Token range [low, high) of the paragraph around the rules' content."""
    low = first.i
    while low > 0 and "\n" not in doc[low - 1].text_with_ws:
        low -= 1
    high = last.i + 1
    while high < len(doc) and "\n" not in doc[high - 1].text_with_ws:
        high += 1
    return low, high


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in _EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return (start, end) if end > start else None


def _bucket(distance: int) -> int:
    """Distances in tokens, exact up to 3, then in widening bands."""
    size = abs(distance)
    if size <= 3:
        return distance
    band = 4 if size <= 6 else 7 if size <= 12 else 13 if size <= 25 else 26
    return band if distance > 0 else -band


class Hasher:
    """Hashed feature indexes; a token's own features are built once per document."""

    def __init__(self, doc: Doc, bits: int, marginals: Marginals | None = None) -> None:
        self.doc = doc
        self.mask = (1 << bits) - 1
        self.marginals = marginals
        self._starts: dict[int, list[int]] = {}
        self._ends: dict[int, list[int]] = {}

    def _hash(self, feats: list[str]) -> list[int]:
        return [zlib.crc32(f.encode()) & self.mask for f in feats]

    def _cached(
        self, cache: dict[int, list[int]], token: Token, build: Callable[[Token], list[str]]
    ) -> list[int]:
        hit = cache.get(token.i)
        if hit is None:
            hit = cache[token.i] = self._hash(build(token))
        return hit

    def start(self, token: Token) -> list[int]:
        return self._cached(self._starts, token, self._start_features)

    def end(self, token: Token) -> list[int]:
        return self._cached(self._ends, token, self._end_features)

    def _start_features(self, token: Token) -> list[str]:
        feats = start_features(token)
        tags = self.marginals
        if tags is not None and tags.tagged[token.i]:
            i = token.i
            before = tags.content(i - 1) if i > 0 else 0.0
            feats += [
                f"s:tb={_band(tags.begin(i))}",
                f"s:tc={_band(before)}|{_band(tags.content(i))}",
            ]
        return feats

    def _end_features(self, token: Token) -> list[str]:
        feats = end_features(token)
        tags = self.marginals
        if tags is not None and tags.tagged[token.i]:
            i = token.i
            after = tags.content(i + 1) if i + 1 < len(self.doc) else 0.0
            after_begin = tags.begin(i + 1) if i + 1 < len(self.doc) else 0.0
            feats += [f"e:tc={_band(tags.content(i))}|{_band(after)}", f"e:tb={_band(after_begin)}"]
        return feats

    def relative(
        self, side: str, token: Token, rule: Token, cue: Token, kind: str, lemma: str
    ) -> list[int]:
        return self._hash(relative_features(side, token, rule, cue, kind, lemma))


def _band(value: float) -> int:
    """A tagger probability in five bands."""
    return min(4, int(value * 5))


def start_features(token: Token) -> list[str]:
    """A content starting at ``token``: the word, the one before it, its parse place."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    prev = before.lower_ if before is not None else "<s>"
    head = token.head
    return [
        f"s:w={token.lower_}",
        f"s:p={token.pos_}",
        f"s:t={token.tag_}",
        f"s:d={token.dep_}",
        f"s:d={token.dep_}|hd={head.dep_}",
        f"s:pw={prev}",
        f"s:pp={before.pos_ if before is not None else '<s>'}",
        f"s:pw={prev}|w={token.lower_}",
        f"s:pd={before.dep_ if before is not None else '<s>'}|d={token.dep_}",
        f"s:le={token.left_edge.i == token.i}|{head.left_edge.i == token.i}|{head.dep_}",
        f"s:ss={token.is_sent_start}",
    ]


def end_features(token: Token) -> list[str]:
    """A content ending with ``token``: the word, the next ones, its parse place."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    far = doc[token.i + 2] if token.i + 2 < len(doc) else None
    nxt = after.lower_ if after is not None else "</s>"
    head = token.head
    return [
        f"e:w={token.lower_}",
        f"e:p={token.pos_}",
        f"e:d={token.dep_}",
        f"e:nw={nxt}",
        f"e:np={after.pos_ if after is not None else '</s>'}",
        f"e:nd={after.dep_ if after is not None else '</s>'}",
        f"e:nd={after.dep_ if after is not None else '</s>'}|np={after.pos_ if after else ''}",
        f"e:nw={nxt}|nn={far.lower_ if far is not None else '</s>'}",
        f"e:w={token.lower_}|nw={nxt}",
        f"e:re={token.right_edge.i == token.i}|{head.right_edge.i == token.i}|{head.dep_}",
        f"e:ns={after.is_sent_start if after is not None else True}",
        f"e:nnd={far.dep_ if far is not None else '</s>'}",
    ]


def relative_features(
    side: str, token: Token, rule: Token, cue: Token, kind: str, lemma: str
) -> list[str]:
    """A candidate edge against the rules' edge and the cue."""
    offset = _bucket(token.i - rule.i)
    from_cue = _bucket(token.i - cue.i)

    if token.head.i == cue.i and token.i != cue.i:
        tie = f"child:{token.dep_}"
    elif token.i == cue.i:
        tie = "cue"
    else:
        child = _child_of(token, cue)
        edge = token.left_edge if side == "s" else token.right_edge
        tie = "none" if child is None else f"under:{child.dep_}:{edge.i == token.i}"
    return [
        f"{side}:o={offset}",
        f"{side}:o={offset}|k={kind}",
        f"{side}:o={offset}|p={token.pos_}",
        f"{side}:o={offset}|w={token.lower_}",
        f"{side}:c={from_cue}",
        f"{side}:c={from_cue}|o={offset}",
        f"{side}:tie={tie}",
        f"{side}:tie={tie}|o={offset}",
        f"{side}:l={lemma}|w={token.lower_}",
        f"{side}:l={lemma}|o={offset}",
    ]


def _child_of(token: Token, cue: Token) -> Token | None:
    """The cue's child whose subtree holds ``token``, if any (a few steps up at most)."""
    current = token
    for _ in range(12):
        head = current.head
        if head.i == cue.i:
            return current
        if head.i == current.i:
            return None
        current = head
    return None
