"""Learned scorers for attribution: which words are cues, which quotes are real.

PolNeAR's attributions hang on far more words than a lexicon lists ("support", "plans",
"respect", "appoints"), and a lexicon verb is often no attribution at all ("asked to
leave"). Two logistic regressions over hashed parse features settle both: the cue scorer
rates every verb and noun (adding cues the lexicon lacks, dropping lexicon cues it rejects),
the quote scorer rates each indirect quote and each quote on a learned cue (its cue, the
cue's score, the content's shape). ``scripts/train_quote_cues.py`` trains them from PolNeAR
train and picks the thresholds on dev; they ship as ``data/quote_cue_model.npz`` (weights,
with those of the content-edge scorers of ``boundary.py``) and ``.json`` (biases,
thresholds, a hash), read here with numpy alone. The quote scorer also reads what the
sequence tagger (``tagger.py``, shipped as ``data/quote_tagger.crfsuite``) makes of the
quote's paragraph: whether its words read as content, its edges as content edges, its cue
as a cue. The feature functions below are the contract between the two: the training
script imports them, and the files record a feature version so a stale model is refused,
not misread.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import zlib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Doc, Span, Token

from newstrace.quotes.attribution import Found
from newstrace.quotes.boundary import Edges
from newstrace.quotes.cues import learned_cue
from newstrace.quotes.lexicon import Cue, load_lexicon
from newstrace.quotes.tagger import Marginals, SequenceTagger

logger = logging.getLogger(__name__)

MODEL_FILE = "quote_cue_model.npz"
META_FILE = "quote_cue_model.json"
TAGGER_FILE = "quote_tagger.crfsuite"
FEATURE_VERSION = "cue-quote-edge-features-7"
CANDIDATE_POS = frozenset({"VERB", "NOUN"})
_ARGUMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "prep", "agent"})
_ARGUMENT_DEPS |= frozenset({"dative", "advcl", "oprd", "acl", "relcl", "poss", "prt", "aux"})


@dataclass(frozen=True)
class Linear:
    """A logistic regression over hashed string features."""

    weights: NDArray[np.float32]
    bias: float
    bits: int

    def probabilities(self, rows: list[list[str]]) -> NDArray[np.float64]:
        """One probability per feature list."""
        if not rows:
            return np.zeros(0)
        mask = (1 << self.bits) - 1
        indexes = [zlib.crc32(f.encode()) & mask for feats in rows for f in feats]
        offsets = np.cumsum([0, *(len(feats) for feats in rows[:-1])])
        scores = np.add.reduceat(self.weights[np.asarray(indexes)], offsets) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-scores.astype(np.float64))))


@dataclass(frozen=True)
class CueModel:
    """The two scorers (fit on PolNeAR train) and their thresholds (chosen on dev).

    ``cue`` scores words: at ``threshold`` or above a word the lexicon lacks becomes a cue,
    below ``keep`` a lexicon cue (other than a speech verb) is dropped. ``quote`` scores each
    indirect quote and each quote on a learned cue; below ``accept`` it is dropped.
    ``edges`` places the content edges of clause quotes (``boundary.py``), where trained.
    """

    cue: Linear
    quote: Linear
    threshold: float
    keep: float
    accept: float
    edges: Edges | None = None
    tagger: SequenceTagger | None = None

    def cue_probabilities(self, doc: Doc, inside: NDArray[np.bool_]) -> dict[int, float]:
        """Cue probability of every candidate token (verbs and nouns), by token index."""
        tokens = [t for t in doc if t.pos_ in CANDIDATE_POS]
        probs = self.cue.probabilities([token_features(t, bool(inside[t.i])) for t in tokens])
        return dict(zip((t.i for t in tokens), probs.tolist(), strict=True))


@functools.cache
def load_model() -> CueModel | None:
    """The shipped model, read once; None (rules only) when it is missing or stale."""
    return read_model(resources.files("newstrace").joinpath("data"))


def read_model(root: Traversable) -> CueModel | None:
    """The model in the folder ``root`` (the shipped one, or a training run's output)."""
    try:
        meta = json.loads(root.joinpath(META_FILE).read_text("utf-8"))
        with np.load(io.BytesIO(root.joinpath(MODEL_FILE).read_bytes())) as data:
            cue = data["cue"].astype(np.float32)
            quote = data["quote"].astype(np.float32)
            start = data["start"].astype(np.float32)
            end = data["end"].astype(np.float32)
        tagger = root.joinpath(TAGGER_FILE).read_bytes() if meta.get("tagger") else None
    except (OSError, KeyError, ValueError):
        logger.warning("%s missing or unreadable: quote cues from the lexicon only", MODEL_FILE)
        return None
    bits = int(meta["bits"])
    sizes = {cue.size, quote.size, start.size, end.size}
    if meta.get("feature_version") != FEATURE_VERSION or sizes != {1 << bits}:
        logger.warning("%s was trained for other features: not used", MODEL_FILE)
        return None
    return CueModel(
        Linear(cue, float(meta["cue_bias"]), bits),
        Linear(quote, float(meta["quote_bias"]), bits),
        float(meta["threshold"]),
        float(meta["keep"]),
        float(meta["accept"]),
        Edges(start, end, bits),
        SequenceTagger(tagger) if tagger is not None else None,
    )


def rescore_cues(
    doc: Doc, text: str, inside: NDArray[np.bool_], cues: list[Cue], model: CueModel
) -> tuple[list[Cue], dict[int, float]]:
    """The lexicon's cues less those the model rejects, plus the cues only the model finds.

    Speech verbs ("said", "told") always stay: the positional rules tie direct quotes to
    them whatever their clause looks like. Also returns every candidate's probability, which
    the quote scorer reads. ``inside``: the tokens between quote marks (``inside_marks``).
    """
    probs = model.cue_probabilities(doc, inside)
    kept = []
    for cue in cues:
        prob = probs.get(cue.token, 1.0)
        if cue.speech or prob >= model.keep:
            if cue.content is None and not cue.speech and prob >= model.threshold:
                # "supported Donald Trump": the model reads an object the lexicon does not.
                cue = learned_cue(doc[cue.token], text, prob) or cue
            kept.append(cue)
    taken = {c.token for c in cues}
    for i, prob in probs.items():
        # A dash is PolNeAR's cue for "“...” ― Name", which the rules attribute by the name.
        if prob < model.threshold or i in taken or not any(ch.isalpha() for ch in doc[i].text):
            continue
        added = learned_cue(doc[i], text, prob)
        if added is not None and added.content is not None:
            kept.append(added)
    kept.sort(key=lambda c: c.start)
    return kept, probs


def filter_quotes(
    doc: Doc,
    found: list[Found],
    probs: dict[int, float],
    model: CueModel,
    marginals: Marginals | None = None,
) -> list[Found]:
    """Drop the quotes the quote scorer rejects (none that another quote continues): every
    indirect quote, and any quote on a learned cue ("sailed on the ship “Northern Star”")."""
    judged = [q for q in found if judged_quote(q)]
    followed = {id(q.follows) for q in found if q.follows is not None}
    scores = model.quote.probabilities(
        [quote_features(doc, q, probs, nested(q, found), marginals) for q in judged]
    )
    dropped: set[int] = set()
    for quote, score in zip(judged, scores.tolist(), strict=True):
        quote.score = score
        if score < model.accept and id(quote) not in followed:
            dropped.add(id(quote))
    return [q for q in found if id(q) not in dropped]


def tag_article(
    doc: Doc, tagger: SequenceTagger | None, inside: NDArray[np.bool_]
) -> Marginals | None:
    """The tagger's marginals over the whole article (None without a tagger)."""
    if tagger is None:
        return None
    return tagger.marginals(doc, inside)


def judged_quote(quote: Found) -> bool:
    """Is this a quote the quote scorer rates?"""
    return quote.cue is not None and (quote.kind == "indirect" or quote.cue.learned)


def nested(quote: Found, found: list[Found]) -> bool:
    """Does the quote's cue sit inside another quote ("she said he backed the idea")?"""
    assert quote.cue is not None
    cue = quote.cue.start
    return any(other.start <= cue < other.end for other in found if other is not quote)


_LENGTHS = (1, 2, 4, 8, 16, 32, 64)


def quote_features(
    doc: Doc,
    quote: Found,
    probs: dict[int, float],
    in_quote: bool,
    marginals: Marginals | None = None,
) -> list[str]:
    """A quote's features: its kind and cue, the cue's probability, the content's shape,
    whether the cue is itself inside a quote, and what the sequence tagger reads there."""
    cue = quote.cue
    assert cue is not None
    token = doc[cue.token]
    prob = probs.get(cue.token)
    band = "none" if prob is None else str(min(9, int(prob * 10)))
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    root = span.root if span is not None and len(span) else token
    words = len(span) if span is not None else 0
    size = sum(words > n for n in _LENGTHS)
    lexicon = load_lexicon()
    known = "speech" if cue.speech else "lexicon" if cue.lemma in lexicon.verbs else "other"
    relation = f"{root.dep_}|{'cue' if root.head.i == cue.token else 'far'}"
    verbs = span is not None and any(t.pos_ in {"VERB", "AUX"} for t in span)
    source = doc[cue.source_head] if cue.source_head is not None else None
    feats = [
        "bias",
        f"ql={cue.lemma}",
        f"qb={band}",
        f"qk={known}",
        f"qk={known}|qb={band}",
        f"qr={relation}",
        f"qr={relation}|qk={known}",
        f"ql={cue.lemma}|qr={relation}",
        f"qp={root.pos_}",
        f"qn={size}",
        f"qn={size}|qr={relation}",
        f"qv={verbs}",
        f"qd={token.dep_}",
        f"qt={token.pos_}",
        f"qf={cue.frame}",
        f"qs={source.pos_ if source is not None else 'none'}",
        f"qe={source.ent_type_ if source is not None else 'none'}",
        f"qsl={source.lemma_.lower() if source is not None else 'none'}",
        f"qw={span[0].lower_ if span is not None and len(span) else 'none'}",
        f"qrt={root.tag_}",
        f"qct={token.tag_}",
        f"qneg={any(c.dep_ == 'neg' for c in token.children)}",
        f"qin={in_quote}",
        f"qin={in_quote}|qk={known}",
        f"qkind={quote.kind}",
    ]
    if marginals is not None and span is not None:
        feats += tagged_features(marginals, span, cue, known)
    return feats


def _band(value: float, steps: int = 10) -> str:
    return str(min(steps - 1, int(value * steps)))


def tagged_features(marginals: Marginals, span: Span, cue: Cue, known: str) -> list[str]:
    """The tagger's view of a quote: how much of its content reads as content, whether its
    edges fall where content begins and ends, whether its cue and source read as such."""
    words = [t.i for t in span if not t.is_space and marginals.tagged[t.i]]
    if not words:
        return ["tg=none"]
    doc = span.doc
    content = sum(marginals.content(i) for i in words) / len(words)
    share = sum(marginals.content(i) >= 0.5 for i in words) / len(words)
    begin = marginals.begin(words[0])
    before = marginals.content(span.start - 1) if span.start > 0 else 0.0
    after = marginals.content(span.end) if span.end < len(doc) else 0.0
    cue_prob = marginals.cue(cue.token)
    source = marginals.source(cue.source_head) if cue.source_head is not None else -1.0
    mean = _band(content)
    return [
        f"tc={mean}",
        f"tc={mean}|qk={known}",
        f"ts={_band(share, 5)}",
        f"tb={_band(begin, 5)}",
        f"tx={_band(before, 5)}|{_band(after, 5)}",
        f"tq={_band(cue_prob)}",
        f"tq={_band(cue_prob, 5)}|tc={_band(content, 5)}",
        f"tsrc={'none' if source < 0 else _band(source, 5)}",
    ]


def inside_marks(doc: Doc, spans: list[tuple[int, int]]) -> NDArray[np.bool_]:
    """Per token: does it sit between quote marks (a quoted verb is rarely the cue)."""
    inside = np.zeros(len(doc), dtype=bool)
    starts = np.fromiter((t.idx for t in doc), dtype=np.int64, count=len(doc))
    for start, end in spans:
        inside[np.searchsorted(starts, start) : np.searchsorted(starts, end)] = True
    return inside


def token_features(token: Token, inside: bool) -> list[str]:
    """The token's features as strings: its word, its place in the parse, its arguments."""
    lemma = token.lemma_.lower()
    head = token.head
    deps = sorted({c.dep_ for c in token.children if c.dep_ in _ARGUMENT_DEPS})
    feats = [
        "bias",
        f"l={lemma}",
        f"p={token.pos_}",
        f"t={token.tag_}",
        f"d={token.dep_}",
        f"l={lemma}|d={token.dep_}",
        f"l={lemma}|t={token.tag_}",
        f"h={head.lemma_.lower()}|d={token.dep_}",
        f"hp={head.pos_}|d={token.dep_}",
        f"q={inside}",
        f"q={inside}|p={token.pos_}",
        f"ds={'+'.join(deps)}",
        f"p={token.pos_}|ds={'+'.join(deps)}",
    ]
    for dep in deps:
        feats.append(f"c={dep}")
        feats.append(f"l={lemma}|c={dep}")
        feats.append(f"p={token.pos_}|c={dep}")
    feats.append(f"x={lemma[-3:]}")
    for child in token.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            feats.append(f"s={child.pos_}|{child.ent_type_}")
            feats.append(f"l={lemma}|s={child.pos_}")
            feats.append(f"sl={child.lemma_.lower()}")
        elif child.dep_ in {"neg", "aux"}:
            feats.append(f"a={child.lower_}")
        elif child.dep_ == "dobj":
            feats.append(f"ol={child.lemma_.lower()}")
        elif child.dep_ in {"prep", "agent", "prt"}:
            feats.append(f"pr={child.lower_}")
            feats.append(f"l={lemma}|pr={child.lower_}")
        elif child.dep_ in {"ccomp", "acl"}:
            marks = [m.lower_ for m in child.children if m.dep_ == "mark"]
            feats.append(f"mk={child.dep_}:{''.join(marks[:1])}")
        elif child.dep_ == "poss":
            feats.append(f"poss={child.pos_}")
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    feats.append(f"w-1={before.lower_ if before is not None else '<s>'}")
    feats.append(f"w+1={after.lower_ if after is not None else '</s>'}")
    feats.append(f"l={lemma}|w+1={after.lower_ if after is not None else '</s>'}")
    far = doc[token.i + 2] if token.i + 2 < len(doc) else None
    feats.append(f"w+2={far.lower_ if far is not None else '</s>'}")
    feats.append(f"p-1={before.pos_ if before is not None else '<s>'}")
    feats.append(f"hd={head.dep_}|d={token.dep_}")
    return feats
