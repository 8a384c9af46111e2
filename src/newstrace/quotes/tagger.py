"""A sequence tagger over paragraphs: which words are an attribution's cue, source, content.

The quote scorer (``learned.py``) rates one candidate at a time from its own clause; it
cannot see that the words around it read as reported speech (a paragraph of "he argued
... adding that ..."), nor where PolNeAR's annotators would start and stop the content.
A linear-chain CRF (``python-crfsuite``) tags every token of a paragraph ``CB``/``CI``
(content begins / goes on), ``Q`` (cue), ``S`` (source) or ``O`` from parse features
(word, lemma, tags, head, the dependency path up to the nearest lexicon verb, quote marks,
place in the sentence). Its per-token marginals become features of the quote scorer and
of the content-edge scorers (``boundary.py``), and a stretch it reads as content with
confidence, where the rules found no quote, becomes a quote of its own (``tagged_quotes``).
``scripts/train_quote_cues.py`` trains it on PolNeAR train; it ships as
``data/quote_tagger.crfsuite`` and is read by ``learned.load_model``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pycrfsuite
from numpy.typing import NDArray
from spacy.tokens import Doc

from newstrace.quotes.attribution import Found
from newstrace.quotes.lexicon import Cue, load_lexicon

LABELS = ("O", "CB", "CI", "Q", "S")
# A paragraph longer than this is tagged in pieces, cut at sentence starts.
MAX_TOKENS = 160
_PATH_DEPTH = 6
_PARA_BREAK = "\n"
_CUE_POS = frozenset({"VERB", "NOUN"})
_ATTRS: list[int | str] = ["LOWER", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_TYPE", "ENT_IOB"]
_ATTRS += ["SHAPE", "IS_SPACE", "SENT_START"]
_IOB = {0: "", 1: "I", 2: "O", 3: "B"}  # spaCy's ENT_IOB codes, as ``Token.ent_iob_``


def segments(col: Columns) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` the tagger reads: paragraphs, long ones cut at sentences."""
    out: list[tuple[int, int]] = []
    begin = last_sent = 0
    for i, brk in enumerate(col.breaks):
        if i in col.sent_start:
            last_sent = i
        if i - begin >= MAX_TOKENS and last_sent > begin:
            out.append((begin, last_sent))
            begin = last_sent
        if brk:
            if i > begin:
                out.append((begin, i))
            begin = i + 1
    if begin < len(col.breaks):
        out.append((begin, len(col.breaks)))
    return [(s, e) for s, e in out if not all(col.space[s:e])]


@dataclass(frozen=True)
class Columns:
    """The parse read once into plain lists: spaCy's per-token accessors are slow, and the
    tagger reads every token's attributes several times."""

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    head: list[int]
    ent: list[str]
    shape: list[str]
    sent_start: set[int]
    sent_end: set[int]
    inside: list[bool]
    space: list[bool]
    breaks: list[bool]  # a whitespace token holding a line break: a paragraph ends

    @classmethod
    def read(cls, doc: Doc, inside: NDArray[np.bool_]) -> Columns:
        table = doc.to_array(_ATTRS)  # string ids (uint64); HEAD an offset, SENT_START 1/0/-1
        strings = doc.vocab.strings
        names: dict[int, str] = {0: ""}

        def column(at: int) -> list[str]:
            out = []
            for key in table[:, at].tolist():
                name = names.get(key)
                if name is None:
                    name = names[key] = strings[key]
                out.append(name)
            return out

        lower, pos, tag, dep = column(0), column(2), column(3), column(4)
        lemma = [name.lower() for name in column(1)]
        head = (np.arange(len(doc)) + table[:, 5].astype(np.int64)).tolist()
        iob = [_IOB[key] for key in table[:, 7].tolist()]
        ent = [f"{kind or '-'}{mark}" for kind, mark in zip(column(6), iob, strict=True)]
        shape = [name[:4] for name in column(8)]
        space = [bool(flag) for flag in table[:, 9].tolist()]
        starts = {i for i, at in enumerate(table[:, 10].tolist()) if at == 1 or i == 0}
        return cls(
            lower, lemma, pos, tag, dep, head, ent, shape,
            sent_start=starts,
            sent_end={i - 1 for i in starts if i > 0} | {len(doc) - 1},
            inside=inside.tolist(),
            space=space,
            breaks=[sp and _PARA_BREAK in low for sp, low in zip(space, lower, strict=True)],
        )  # fmt: skip


def _cue_path(i: int, col: Columns, verbs: dict[str, float]) -> tuple[str, str]:
    """The dependency label under the nearest lexicon-verb ancestor (or self) and its lemma."""
    if col.lemma[i] in verbs and col.pos[i] in _CUE_POS:
        return "self", col.lemma[i]
    child = i
    for depth in range(_PATH_DEPTH):
        head = col.head[child]
        if head == child:
            break
        if col.lemma[head] in verbs and col.pos[head] in _CUE_POS:
            return f"{col.dep[child]}|{min(depth, 3)}", col.lemma[head]
        child = head
    return "none", "none"


def token_features(col: Columns, start: int, end: int) -> list[list[str]]:
    """One feature list per token of ``[start, end)``."""
    lexicon = load_lexicon()
    verbs = lexicon.verbs
    rows: list[list[str]] = []
    cues = [
        i
        for i in range(start, end)
        if col.lemma[i] in verbs and col.pos[i] == "VERB" and not col.inside[i]
    ]
    near_at = 0
    for i in range(start, end):
        lemma, pos, dep, inside = col.lemma[i], col.pos[i], col.dep[i], col.inside[i]
        head = col.head[i]
        path, verb = _cue_path(i, col, verbs)
        while near_at + 1 < len(cues) and abs(cues[near_at + 1] - i) <= abs(cues[near_at] - i):
            near_at += 1
        near = cues[near_at] if cues else None
        side = "none" if near is None else "at" if near == i else "after" if i > near else "before"
        gap = "" if near is None else str(min(abs(near - i), 6))
        first, last = i == start, i + 1 == end
        rows.append([
            "bias",
            f"w={col.lower[i]}",
            f"l={lemma}",
            f"p={pos}",
            f"t={col.tag[i]}",
            f"d={dep}",
            f"hl={col.lemma[head]}",
            f"hp={col.pos[head]}|d={dep}",
            f"hd={col.dep[head]}|d={dep}",
            f"e={col.ent[i]}",
            f"q={inside}",
            f"q={inside}|p={pos}",
            f"path={path}",
            f"path={path}|p={pos}",
            f"cv={verb}",
            f"cs={verb in lexicon.strong}",
            f"side={side}",
            f"side={side}|{gap}",
            f"side={side}|q={inside}",
            f"ss={i in col.sent_start}",
            f"se={i in col.sent_end}",
            f"ps={first}",
            f"sh={col.shape[i]}",
            f"w-1={'<p>' if first else col.lower[i - 1]}",
            f"p-1={'<p>' if first else col.pos[i - 1]}",
            f"w+1={'</p>' if last else col.lower[i + 1]}",
            f"p+1={'</p>' if last else col.pos[i + 1]}",
            f"d-1={'<p>' if first else col.dep[i - 1]}|d={dep}",
        ])  # fmt: skip
    return rows


@dataclass
class Marginals:
    """Per-token probabilities of each label (zero where a token was not tagged)."""

    probs: NDArray[np.float32]  # (tokens, labels); zero rows where not tagged
    tagged: NDArray[np.bool_] = field(repr=False)
    breaks: list[bool] = field(repr=False)  # paragraph breaks (``Columns.breaks``)

    def content(self, i: int) -> float:
        return float(self.probs[i, 1] + self.probs[i, 2])

    def begin(self, i: int) -> float:
        return float(self.probs[i, 1])

    def cue(self, i: int) -> float:
        return float(self.probs[i, 3])

    def source(self, i: int) -> float:
        return float(self.probs[i, 4])


@dataclass(frozen=True)
class SequenceTagger:
    """The trained CRF, held as its model file's bytes (crfsuite reads it in memory)."""

    data: bytes

    def marginals(self, doc: Doc, inside: NDArray[np.bool_]) -> Marginals:
        """Label marginals of every token (``inside``: the tokens between quote marks)."""
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(self.data)
        probs = np.zeros((len(doc), len(LABELS)), dtype=np.float32)
        tagged = np.zeros(len(doc), dtype=bool)
        labels = [lab for lab in LABELS if lab in set(tagger.labels())]
        col = Columns.read(doc, inside)
        for start, end in segments(col):
            tagger.set(token_features(col, start, end))
            for column, label in enumerate(LABELS):
                if label != "O" and label in labels:
                    probs[start:end, column] = [
                        tagger.marginal(label, k) for k in range(end - start)
                    ]
            tagged[start:end] = True
        tagger.close()
        return Marginals(probs, tagged, col.breaks)


def gold_labels(
    doc: Doc, start: int, end: int, units: list[dict[str, list[tuple[int, int]]]]
) -> list[str]:
    """Gold label of each token of ``doc[start:end]`` from attribution units (character spans
    of ``content``, ``cue``, ``source``): a cue beats a source beats content, since PolNeAR's
    attributions nest (a quoted speaker's own "he said" sits inside the outer content)."""
    labels = []
    previous: int | None = None
    for token in doc[start:end]:
        pos = token.idx
        label = "O"
        owner = None
        for n, unit in enumerate(units):
            if any(s <= pos < e for s, e in unit["cue"]):
                label, owner = "Q", None
                break
            if label != "S" and any(s <= pos < e for s, e in unit["source"]):
                label, owner = "S", None
            elif label == "O" and any(s <= pos < e for s, e in unit["content"]):
                label, owner = "C", n
        if label == "C":
            label = "CI" if previous == owner else "CB"
        previous = owner if label in {"CB", "CI"} else None
        labels.append(label)
    return labels


# A stretch the tagger reads as content, with no quote of the rules on it, becomes a quote
# when its mean content probability is at least this (chosen on PolNeAR dev).
TAGGED_MIN = 0.95
TAGGED_WORDS = 3


def tagged_quotes(doc: Doc, found: list[Found], marginals: Marginals) -> list[Found]:
    """Quotes the rules missed but the tagger reads with confidence: "Officials expect
    the bridge to reopen", its cue the nearest word read as a cue, its source the nearest
    words read as a source (in the same paragraph)."""
    taken = [(q.start, q.end) for q in found]
    out: list[Found] = []
    for start, end in _content_runs(marginals, doc):
        first, last = doc[start], doc[end - 1]
        begin, stop = first.idx, last.idx + len(last.text)
        if any(s < stop and begin < e for s, e in taken):
            continue
        words = [i for i in range(start, end) if not doc[i].is_space and not doc[i].is_punct]
        mean = float(np.mean([marginals.content(i) for i in range(start, end)]))
        if len(words) < TAGGED_WORDS or mean < TAGGED_MIN:
            continue
        cue = _nearest(marginals, doc, start, end, marginals.cue)
        if cue is None:
            continue
        source = _source(marginals, doc, cue, start, end)
        token = doc[cue]
        out.append(
            Found(
                begin, stop, "indirect",
                Cue(cue, token.idx, token.idx + len(token.text), token.lemma_.lower(), mean,
                    source, doc[source[0]:source[1]].root.i if source else None, None,
                    learned=True),
                "tagged", score=mean,
            )
        )  # fmt: skip
    return out


def _content_runs(marginals: Marginals, doc: Doc) -> list[tuple[int, int]]:
    """Maximal token runs read as content, a new run where content begins again."""
    runs: list[tuple[int, int]] = []
    begin: int | None = None
    for i in range(len(doc) + 1):
        inside = i < len(doc) and marginals.tagged[i] and marginals.content(i) >= 0.5
        fresh = inside and begin is not None and marginals.begin(i) >= 0.5
        if begin is not None and (not inside or fresh):
            runs.append((begin, i))
            begin = None
        if inside and begin is None:
            begin = i
    return runs


def _segment_of(marginals: Marginals, i: int) -> tuple[int, int]:
    low, high = i, i + 1
    while low > 0 and marginals.tagged[low - 1] and not marginals.breaks[low - 1]:
        low -= 1
    while high < len(marginals.tagged) and marginals.tagged[high] and not marginals.breaks[high]:
        high += 1
    return low, high


def _nearest(
    marginals: Marginals, doc: Doc, start: int, end: int, prob: Callable[[int], float]
) -> int | None:
    """The token nearest ``[start, end)`` in its paragraph with ``prob`` at least 0.5."""
    low, high = _segment_of(marginals, start)
    picks = [i for i in range(low, high) if not start <= i < end and prob(i) >= 0.5]
    return min(picks, key=lambda i: min(abs(i - start), abs(i - end + 1)), default=None)


def _source(
    marginals: Marginals, doc: Doc, cue: int, start: int, end: int
) -> tuple[int, int] | None:
    """The run of source words nearest the cue, outside the content."""
    near = _nearest(marginals, doc, cue, cue + 1, marginals.source)
    if near is not None and start <= near < end:
        return None
    if near is None:
        return None
    low = high = near
    while low > 0 and marginals.source(low - 1) >= 0.5 and not start <= low - 1 < end:
        low -= 1
    while high + 1 < len(doc) and marginals.source(high + 1) >= 0.5 and not start <= high + 1 < end:
        high += 1
    return low, high + 1
