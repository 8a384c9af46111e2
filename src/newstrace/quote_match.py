"""What makes two quotes the same statement: prepared texts, speakers that agree, and the
polarity of what was said.

Kept apart from the cluster index so the matching rules read on their own: token and
content-word preparation (quote-mark style, possessives and bracketed insertions dropped),
whether two speaker strings can be one person, containment of one quote in another, and
negation (a speaker who said "we will not close it" and later "we will have to close it"
made two statements, however alike the words), figures that differ, pieces of a quote that
stand for it, and each speaker's meaning vectors for matching by meaning.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

NEGATION_REACH = 2  # words before a matched window that can deny it ("will not", "do not")
NAME_TOKEN_SIMILARITY = 75.0  # Aleksandr/Alexander, Tolland/Toland; not Celia/Owen


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words(
    "a about after again all also am an and any are as at be because been before being but by "
    "can could did do does doing done for from had has have having he her here hers him his how "
    "i if in into is it its itself just me more most my no nor not now of off on once one only "
    "or other our ours out over own same she should so some such than that the their theirs them "
    "then there these they this those through to too under until up very was we were what when "
    "where which while who whom why will with would yes yet you your yours going get got"
)
_TITLES = _words(
    "mr mrs ms miss mx dr prof professor sir dame lord lady mayor chief president minister prime "
    "general gen colonel col captain capt sergeant sgt rev father judge justice senator sen "
    "governor gov deputy director inspector"
)
_DETERMINERS = _words("a an the one two some another several many his her their its our")
# Apostrophes are dropped before tokenising, so "won't" is "wont".
_NEGATIONS = _words(
    "not no never nobody nothing nowhere none neither nor cannot cant wont dont doesnt didnt "
    "isnt arent wasnt werent hasnt havent hadnt shouldnt wouldnt couldnt mustnt"
)
_TOKEN = re.compile(r"\[[^\]]*\]|\.\s?\.\s?\.|…|[^\W_]+")
_WORD = re.compile(r"[^\W_]+")
_APOSTROPHE = re.compile(r"[’‘ʼ`´′]")
_POSSESSIVE = re.compile(r"'s\b")
# The quoted words of a mixed quote (double marks only: a single one is also an apostrophe).
_QUOTED = re.compile(r"[“\"«]([^“”\"«»]+)[”\"»]")
# A shorter quote joins others only verbatim ("a betrayal" is not evidence) or, of 4 words, as
# a piece of its own speaker's quote (see ``pieces``).
MIN_TOKENS = 5
FRAGMENT_MIN = 4  # quoted words that can stand for a statement ("the harbour district" cannot)


class QuoteText(NamedTuple):
    """A quote's text prepared for matching, computed once per quote."""

    full: tuple[str, ...]  # every token, bracketed insertions included
    core: tuple[str, ...]  # without bracketed insertions: what the speaker surely said
    segments: tuple[tuple[str, ...], ...]  # core split at ellipses (omissions)
    content: frozenset[str]  # stemmed content words of the core
    keys: frozenset[str]  # verbatim keys: full and core joined
    fragments: tuple[tuple[str, ...], ...] = ()  # words inside quote marks within the quote
    denies: bool = False  # negated core: see ``negated``


def prepare_quote(text: str) -> QuoteText:
    folded = _fold(text)
    full: list[str] = []
    segments: list[list[str]] = [[]]
    for match in _TOKEN.finditer(folded):
        piece = match.group()
        if piece.startswith("["):
            full.extend(_WORD.findall(piece))
        elif piece[0] in ".…":
            segments.append([])
        else:
            full.append(piece)
            segments[-1].append(piece)
    core = tuple(token for segment in segments for token in segment)
    content = content_words(core)
    return QuoteText(
        tuple(full),
        core,
        tuple(tuple(s) for s in segments if s),
        content,
        frozenset({" ".join(full), " ".join(core)}),
        tuple(
            words
            for inner in _QUOTED.findall(text)
            if len(words := tuple(_WORD.findall(_fold(inner)))) >= FRAGMENT_MIN
        ),
        negated(core),
    )


def content_words(tokens: Sequence[str]) -> frozenset[str]:
    """The stemmed words that carry the statement (no stopwords)."""
    return frozenset(
        _stem(token) for token in tokens if token not in _STOPWORDS and token not in _NEGATIONS
    )


def _fold(text: str) -> str:
    return _POSSESSIVE.sub(
        "", _APOSTROPHE.sub("'", unicodedata.normalize("NFKC", text)).casefold()
    ).replace("'", "")


def _stem(token: str) -> str:
    """Plural and third-person s only: enough for "district"/"districts" across rewordings."""
    return (
        token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    )


@lru_cache(maxsize=65536)
def _name_tokens(speaker: str) -> tuple[str, ...]:
    return tuple(t for t in _WORD.findall(speaker.casefold()) if t not in _TITLES)


@lru_cache(maxsize=65536)
def is_named(speaker: str) -> bool:
    """A name ("Dermot Hale", "Calloway Polymers"), not a description ("a second resident")."""
    words = speaker.split()
    return bool(words) and words[0][:1].isupper() and words[0].casefold() not in _DETERMINERS


@lru_cache(maxsize=65536)
def names_match(a: str, b: str) -> bool:
    """Every word of the shorter name (titles dropped) is near a word of the other: "Mr Hale" is
    "Dermot Hale" and "Helen Toland" is "Helen Tolland", but "Celia Brandt" is not "Owen Brandt"."""
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return a.casefold() == b.casefold()

    def covered(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
        return all(any(fuzz.ratio(s, t) >= NAME_TOKEN_SIMILARITY for t in long) for s in short)

    if len(ta) == len(tb):
        return covered(ta, tb) and covered(tb, ta)
    return covered(ta, tb) if len(ta) < len(tb) else covered(tb, ta)


def _description(speaker: str) -> str:
    words = speaker.casefold().replace("(anonymous)", "").split()
    return " ".join(words[1:] if words and words[0] in _DETERMINERS else words)


SAME, UNKNOWN, ANONYMOUS, CONFLICT = "same", "unknown", "anonymous", "conflict"


def speaker_relation(a: str | None, b: str | None) -> str:
    """``anonymous`` (descriptions that differ, or a name and a description) is compatible with
    strong textual matches only; ``conflict`` (two different names) with none."""
    if not a or not b:
        return UNKNOWN
    named_a, named_b = is_named(a), is_named(b)
    if named_a and named_b:
        return SAME if names_match(a, b) else CONFLICT
    if not named_a and not named_b and _description(a) == _description(b):
        return SAME
    return ANONYMOUS


def numbers(tokens: Sequence[str]) -> frozenset[str]:
    """The figures a quote gives: two that give different ones ("6 percent", "42 percent")
    are two statements, however alike otherwise."""
    return frozenset(token for token in tokens if token.isdigit())


def denial_differs(a: QuoteText, b: QuoteText) -> bool:
    """Whether one quote denies what the other affirms, read where the shorter one best lies
    in the longer (and the two words before): a trailing "... after promising not to" does
    not turn "she will have to raise the tax" into a denial."""
    short, long = (a, b) if len(a.core) <= len(b.core) else (b, a)
    if not long.denies:
        return short.denies
    _, window = _aligned_window(short.core, long.core)
    return short.denies != negated(window)


def negated(tokens: Sequence[str]) -> bool:
    """Whether the words deny something: "will not cut" and "will have to cut" share every
    content word yet say opposite things; "not going anywhere" and "going nowhere" agree."""
    return any(token in _NEGATIONS for token in tokens)


@lru_cache(maxsize=65536)
def speaker_key(speaker: str | None) -> str | None:
    """The last word of a named speaker's name (titles dropped): "Mr Hale" and "Dermot Hale"
    share "hale"; descriptions have none."""
    if not speaker or not is_named(speaker):
        return None
    tokens = _name_tokens(speaker)
    return tokens[-1] if tokens else None


def need(fraction: float, size: int) -> int:
    """Content words to share: ``fraction`` of ``size``, at least one."""
    return max(1, math.ceil(fraction * size - 1e-9))


def containment(short: QuoteText, long: QuoteText) -> float:
    """Share of the shorter quote's tokens found in order inside a window of the longer, per
    segment between ellipses; none when a segment and its window differ in negation."""
    if len(short.core) > len(long.full):
        return 0.0
    found = 0.0
    for segment in short.segments:
        share = found_in(segment, long)
        if share is None:
            return 0.0
        found += len(segment) * share
    return found / len(short.core)


def found_in(words: Sequence[str], long: QuoteText) -> float | None:
    """Share of ``words`` found in order inside a window of ``long``; None when the window,
    with the two words before it, differs in negation: "close the depot" is no trimming of
    "we will not close the depot"."""
    if len(words) > len(long.full) or not numbers(words) <= numbers(long.full):
        return 0.0  # longer, or giving a figure the other does not
    score, window = _aligned_window(words, long.full)
    return None if negated(words) != negated(window) else score / 100


def _aligned_window(words: Sequence[str], tokens: tuple[str, ...]) -> tuple[float, tuple[str, ...]]:
    """Where ``words`` best lie in ``tokens``: the partial-ratio score and that window with
    the ``NEGATION_REACH`` words before it ("will not | close the depot")."""
    match = fuzz.partial_ratio_alignment(words, tokens)
    if match is None:  # no cutoff is given, so rapidfuzz always aligns
        return 0.0, tokens
    return match.score, tokens[max(0, match.dest_start - NEGATION_REACH) : match.dest_end]


def same_figures(a: QuoteText, b: QuoteText) -> bool:
    """No figure of one quote is missing from the other, when both give figures."""
    left, right = numbers(a.core), numbers(b.core)
    return not left or not right or left == right


def pieces(text: QuoteText) -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """What surely came from the speaker in a quote too partial to match whole: the quoted
    words of a mixed quote ("called the plan “a holiday from reality”"), or a short quote
    itself; each with its content words. Pieces match only quotes by the same speaker."""
    found = text.fragments
    if not found and FRAGMENT_MIN <= len(text.core) < MIN_TOKENS:
        found = (text.core,)
    return tuple((words, content) for words in found if (content := content_words(words)))


class MeaningBucket:
    """One speaker's long quotes and their meaning vectors, in a buffer grown by doubling."""

    def __init__(self) -> None:
        self.units: list[int] = []
        self._matrix = np.zeros((0, 0), np.float32)

    def closer_than(self, vector: np.ndarray, cosine: float) -> dict[int, float]:
        if not self.units:
            return {}
        scores = self._matrix[: len(self.units)] @ vector
        return {self.units[i]: float(scores[i]) for i in np.flatnonzero(scores >= cosine)}

    def append(self, unit: int, vector: np.ndarray) -> None:
        if len(self.units) == len(self._matrix):
            grown = np.zeros((max(8, 2 * len(self._matrix)), len(vector)), np.float32)
            if self.units:
                grown[: len(self.units)] = self._matrix[: len(self.units)]
            self._matrix = grown
        self._matrix[len(self.units)] = vector
        self.units.append(unit)
