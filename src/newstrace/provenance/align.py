"""Sentence alignment between a possible copy and a possible source.

For every sentence of the copy: the most similar sentence of the source, how similar
(``similarity``, lexical and semantic evidence combined) and how much of the copy sentence's
content words come from it (``derived``). Offsets are into each article's cleaned text.

Quotations are masked before anything is compared: words inside quote marks (and the
spans the quote extractor passes) do not count, so two independent reports that quote the
same speaker do not align on the quote. A sentence left with fewer than ``MIN_WORDS``
content words (a bare quote, "he said.") takes no part.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from newstrace.provenance.fingerprint import embed, words

__all__ = [
    "MIN_WORDS",
    "AlignedPair",
    "Alignment",
    "Prepared",
    "align",
    "prepare",
    "quote_spans",
    "split_sentences",
]

MIN_WORDS = 4
SENT_MIN = 0.62  # a copy sentence with a combined similarity at least this is "aligned"
_STOP = frozenset(
    """
    a an the and or but if of to in on at by for with from as into onto over under about
    after before than then that this these those it its it's is are was were be been
    being has have had do does did will would shall should can could may might must not
    no nor so he she they we you i his her their our your my him them us me who whom
    whose which what when where why how there here also just very more most said says
    say told tells s t mr mrs ms dr
    """.split()  # noqa: SIM905
)
_SENT_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])|\n+")
# A quotation: typographic or straight double quotes, closed in the paragraph or running to
# its end (unclosed and multi-paragraph quotes reopen each paragraph).
_QUOTE = re.compile(r"“[^”\n]*(?:”|(?=\n)|\Z)|\"[^\"\n]*(?:\"|(?=\n)|\Z)|«[^»\n]*(?:»|(?=\n)|\Z)")
_QUOTE_MIN_WORDS = 4
# "Immutables": numbers and capitalised words not opening a sentence. Rewrites and spins
# keep nearly all of the source's; independent reports of one event bring their own.
_IMMUTABLE = re.compile(r"(?<![.!?]\s)(?<!^)\b(?:[A-Z][a-z]+|\d[\d,.]*)\b", re.MULTILINE)


# Syndication boilerplate: a short line that credits, shares or sells, not news. It takes no
# part in alignment (two copies carrying the same outlet's footer are not copies of each
# other), but stays in ``copy_unaligned`` for the credit evidence.
BOILERPLATE_WORDS = 12
_BOILERPLATE = re.compile(
    r"\b(?:provided by|additional reporting|originally (?:published|appeared)|republished|"
    r"reprinted|this (?:story|article) (?:first|was)|all rights reserved|copyright|"
    r"share (?:on|this)|follow us|sign up for|newsletter|staff report|posted by|related:|"
    r"follow\b[^.]{0,40}\bon (?:twitter|x|facebook|instagram|tiktok|threads|bluesky)\b|"
    r"more (?:news|stories) from|^by [\w .'-]{2,40} (?:staff|editors)\b)",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    return len(line.split()) <= BOILERPLATE_WORDS and bool(_BOILERPLATE.search(line))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation and line breaks (used when no parser spans are given)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start() + len(m.group(0)) - len(m.group(0).lstrip())))
        start = m.end()
    spans.append((start, len(text)))
    return _trimmed(text, spans)


def _trimmed(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans within bounds, split at line breaks, without surrounding whitespace, non-empty."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for s0, e0 in spans:
        s, e = max(0, min(int(s0), n)), max(0, min(int(e0), n))
        pos = s
        for piece in text[s:e].split("\n"):
            a, b = pos, pos + len(piece)
            pos = b + 1
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                out.append((a, b))
    out.sort()
    return out


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations of at least four words found by their quote marks."""
    return [
        (m.start(), m.end())
        for m in _QUOTE.finditer(text)
        if len(words(m.group(0))) >= _QUOTE_MIN_WORDS
    ]


@dataclass
class Prepared:
    """One article made ready for alignment (computed once, reused against many others)."""

    text: str
    spans: list[tuple[int, int]]
    content: list[frozenset[str]]  # content words of each sentence, quotes masked
    plain: list[str]  # normalised words of each sentence, quotes masked, joined by spaces
    weights: np.ndarray  # content-word count per sentence (0: takes no part)
    vectors: np.ndarray = field(repr=False)  # unit embeddings of the masked sentences
    immutables: frozenset[str] = frozenset()  # numbers and names outside quotations
    boilerplate: tuple[tuple[int, int], ...] = ()  # credit and sharing lines (no weight)
    # The content words again: the article's word ids (sorted), a sentence x word 0/1 matrix
    # over them and per-sentence counts, what the sentence-by-sentence overlap of two
    # articles is computed from (built once per article, not once per pair).
    vocabulary: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    incidence: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)

    @functools.cached_property
    def total(self) -> float:
        return float(self.weights.sum())


def _masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with every span's characters but line breaks turned to spaces (offsets kept)."""
    cuts = sorted((max(0, s), min(len(text), e)) for s, e in spans if min(len(text), e) > max(0, s))
    if not cuts:
        return text
    parts: list[str] = []
    cursor = 0
    for start, end in cuts:
        start = max(start, cursor)
        if end <= start:
            continue
        parts.append(text[cursor:start])
        parts.append(_BLANK.sub(" ", text[start:end]))
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


_BLANK = re.compile(r"[^\n]")


def prepare(
    text: str,
    sentences: Sequence[tuple[int, int]] = (),
    quotes: Sequence[tuple[int, int]] = (),
) -> Prepared:
    spans = _trimmed(text, sentences) if sentences else split_sentences(text)
    masked = _masked(text, [*quotes, *quote_spans(text)])
    content: list[frozenset[str]] = []
    plain: list[str] = []
    weights = []
    boiler: list[bool] = []
    for s, e in spans:
        toks = words(masked[s:e])
        keep = frozenset(t for t in toks if t not in _STOP)
        content.append(keep)
        plain.append(" ".join(toks))
        n = sum(1 for t in toks if t not in _STOP)
        eligible = len(toks) >= MIN_WORDS and n >= 2 and not is_boilerplate(text[s:e])
        weights.append(float(n) if eligible else 0.0)
        boiler.append(is_boilerplate(text[s:e]))
    vectors = embed(plain) if plain else np.zeros((0, 1), np.float32)
    immutables = frozenset(m.lower().rstrip(".,") for m in _IMMUTABLE.findall(masked))
    return Prepared(
        text,
        spans,
        content,
        plain,
        np.array(weights, np.float32),
        vectors,
        immutables,
        tuple(span for span, b in zip(spans, boiler, strict=True) if b),
        *_word_table(content),
    )


# Process-wide word ids: only equality of ids matters, so any numbering works and the table
# is shared by every article aligned in this process.
_WORD_IDS: dict[str, int] = {}


def _word_table(content: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ids: list[int] = []
    rows: list[int] = []
    for row, sentence in enumerate(content):
        for word in sentence:
            ids.append(_WORD_IDS.setdefault(word, len(_WORD_IDS)))
            rows.append(row)
    vocabulary, columns = np.unique(np.array(ids, np.int64), return_inverse=True)
    incidence = np.zeros((len(content), len(vocabulary)), np.float32)
    incidence[np.array(rows, np.int64), columns] = 1.0
    sizes = np.array([len(sentence) for sentence in content], np.float32)
    return vocabulary, incidence, sizes


@dataclass(frozen=True)
class AlignedPair:
    copy: tuple[int, int]
    source: tuple[int, int]
    similarity: float
    derived: float  # share of the copy sentence's content words found in the source one
    verbatim: float  # character similarity of the two sentences' normalised words
    weight: float  # content words of the copy sentence

    def evidence(self, copy_text: str, source_text: str) -> dict[str, object]:
        cs, ce = self.copy
        ss, se = self.source
        return {
            "copy": {"start": cs, "end": ce, "text": copy_text[cs:ce]},
            "original": {"start": ss, "end": se, "text": source_text[ss:se]},
            "similarity": round(self.similarity, 4),
            "derived": round(self.derived, 4),
        }


@dataclass(frozen=True)
class Alignment:
    """Sentence alignment of a copy against a source, with the statistics relation needs."""

    pairs: tuple[AlignedPair, ...]  # aligned copy sentences, in copy order
    copy_total: float  # content words of the copy's eligible sentences
    source_total: float
    copy_covered: float  # share of the copy's content words in aligned sentences
    source_covered: float  # share of the source's content words aligned to
    derived: float  # word-weighted mean derived share over aligned sentences
    verbatim: float  # word-weighted mean verbatim score over aligned sentences
    exact: float  # share of the copy's content words in (near-)verbatim sentences
    order: float  # share of aligned pairs in source order (longest increasing run)
    similarity: float = 0.0  # mean similarity of the aligned pairs
    immutables: float = 0.0  # shared numbers and names over the larger set of the two
    immutables_in_source: float = 0.0  # share of the copy's numbers and names in the source
    copy_unaligned: tuple[tuple[int, int], ...] = ()

    @property
    def n_aligned(self) -> int:
        return len(self.pairs)


def _similarity(copy: Prepared, source: Prepared) -> tuple[np.ndarray, np.ndarray]:
    # Only words the two articles share can overlap: one column per shared word.
    _, in_copy, in_source = np.intersect1d(
        copy.vocabulary, source.vocabulary, assume_unique=True, return_indices=True
    )
    inter = copy.incidence[:, in_copy] @ source.incidence[:, in_source].T
    lex = inter / np.maximum(copy.sizes[:, None], 1.0)
    # Symmetric share too: a short copy sentence contained in a long source sentence is
    # derived, but says less than a one-to-one match.
    union = copy.sizes[:, None] + source.sizes[None, :] - inter
    jac = inter / np.maximum(union, 1.0)
    sem = np.clip(copy.vectors @ source.vectors.T, 0.0, 1.0)
    # Lexical evidence, or semantic evidence discounted where it is weak (sem**2): a
    # reworded sentence keeps its meaning, an unrelated one on the same topic only part.
    lexical = 0.5 * (lex + jac)
    sim = 0.5 * np.maximum(lexical, sem) + 0.5 * np.maximum(lexical, sem**2)
    return sim, lex


def _shared(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(len(a), len(b)) if a and b else 0.0


def _lis_share(seq: Sequence[int]) -> float:
    """Share of the sequence in its longest strictly increasing subsequence."""
    if not seq:
        return 0.0
    import bisect

    tails: list[int] = []
    for v in seq:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails) / len(seq)


def align(copy: Prepared, source: Prepared, sent_min: float = SENT_MIN) -> Alignment:
    """Align every eligible copy sentence to its best source sentence."""
    if not copy.spans or not source.spans or copy.total == 0 or source.total == 0:
        return Alignment((), copy.total, source.total, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    sim, lex = _similarity(copy, source)
    sim[:, source.weights == 0] = 0.0
    best = sim.argmax(axis=1)
    pairs: list[AlignedPair] = []
    unaligned: list[tuple[int, int]] = list(copy.boilerplate)
    used_source: set[int] = set()
    for i, j in enumerate(best):
        w = float(copy.weights[i])
        if w == 0:
            continue
        s = float(sim[i, j])
        if s < sent_min:
            unaligned.append(copy.spans[i])
            continue
        verb = fuzz.ratio(copy.plain[i], source.plain[int(j)]) / 100.0
        pairs.append(AlignedPair(copy.spans[i], source.spans[int(j)], s, float(lex[i, j]), verb, w))
        used_source.add(int(j))
    covered = sum(p.weight for p in pairs)
    src_cov = sum(float(source.weights[j]) for j in used_source)
    derived = sum(p.derived * p.weight for p in pairs) / covered if covered else 0.0
    verbatim = sum(p.verbatim * p.weight for p in pairs) / covered if covered else 0.0
    exact = sum(p.weight for p in pairs if p.verbatim >= 0.9) / copy.total
    src_index = {span: k for k, span in enumerate(source.spans)}
    order = _lis_share([src_index[p.source] for p in pairs])
    return Alignment(
        pairs=tuple(pairs),
        copy_total=copy.total,
        source_total=source.total,
        copy_covered=covered / copy.total,
        source_covered=src_cov / source.total,
        derived=derived,
        verbatim=verbatim,
        exact=exact,
        order=order,
        similarity=sum(p.similarity for p in pairs) / len(pairs) if pairs else 0.0,
        immutables=_shared(copy.immutables, source.immutables),
        immutables_in_source=(
            len(copy.immutables & source.immutables) / len(copy.immutables)
            if copy.immutables
            else 0.0
        ),
        copy_unaligned=tuple(sorted(unaligned)),
    )
