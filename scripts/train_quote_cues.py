"""Train the learned quote scorers and tagger (``newstrace/data/quote_cue_model.{npz,json}``,
``quote_tagger.crfsuite``).

Reads PolNeAR ``train`` (fit) and ``dev`` (thresholds) only, from
``../shared/data/quotes/polnear/common/``; downloads nothing. Two L2-regularised logistic
regressions over CRC32-hashed features (``newstrace.quotes.learned``), fit by L-BFGS from
zeros (deterministic: the same data gives the same file):

* the cue scorer: every verb and noun of a parsed article is one example, positive when it
  heads a gold cue of an attribution with content;
* the quote scorer: every quote it will rate (indirect, or on a learned cue), as the
  extractor builds them, positive when its content overlaps a gold content by 30% (of the
  longer span). Its examples come from two folds of train, each built with a cue scorer fit
  on the other fold, so it learns from cue scores as they look on unseen text.

* the sequence tagger (``newstrace.quotes.tagger``): a CRF (python-crfsuite, L-BFGS for a
  fixed number of iterations: deterministic) tagging every paragraph's tokens as cue,
  source, content or other from the gold attributions; the quote scorer's examples are
  tagged by a tagger fit on the other fold, and so are the content-edge scorer's.

The thresholds (add a cue; drop a lexicon cue; accept a quote) are then chosen on dev by
the extractor's end-to-end content F1 at 30% overlap, the benchmark's primary figure.
Last, the content-edge scorers (``newstrace.quotes.boundary``), two conditional logit
models over each clause quote's candidate starts and ends, learn the gold edges of the
quotes the chosen model finds in train that match a gold quote at 30% overlap.
Run with ``OPENBLAS_NUM_THREADS=1`` for bit-identical weights.

Usage: .venv/bin/python scripts/train_quote_cues.py [--cache /tmp/quotes]
(the cache keeps the spaCy parses as DocBins: parsing train takes minutes).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pycrfsuite
from numpy.typing import NDArray
from scipy import optimize, sparse
from spacy.tokens import Doc

from newstrace.nlp import MAX_CHARS
from newstrace.quotes.attribution import attribute
from newstrace.quotes.boundary import Edges, Hasher, quote_candidates, refined
from newstrace.quotes.cues import find_cues
from newstrace.quotes.extract import extract_with_model, find_quotes
from newstrace.quotes.learned import (
    CANDIDATE_POS,
    FEATURE_VERSION,
    META_FILE,
    MODEL_FILE,
    TAGGER_FILE,
    CueModel,
    Linear,
    inside_marks,
    judged_quote,
    nested,
    quote_features,
    rescore_cues,
    tag_article,
    token_features,
)
from newstrace.quotes.marks import find_mark_spans
from newstrace.quotes.tagger import Columns, Marginals, SequenceTagger, gold_labels, segments
from newstrace.quotes.tagger import token_features as tagger_features

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from parse_cache import parse_cached  # noqa: E402
from polnear import (  # noqa: E402
    TRIM_CHARS,
    GoldArticle,
    Tally,
    figures,
    load_split,
    normalize,
    overlap_longer,
    score_article,
)

BITS = 18
L2 = 3.0
THRESHOLDS = (0.1, 0.15, 0.2, 0.3)
KEEPS = (0.1, 0.2)
ACCEPTS = (0.2, 0.3, 0.4, 0.5)
# The sequence tagger's CRF: L1 keeps the file small, a fixed iteration count keeps it
# reproducible.
TAGGER_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 100}
# A quote scorer that keeps every quote: used while collecting the quote scorer's examples.
_ACCEPT_ALL = Linear(np.zeros(1 << BITS, dtype=np.float32), 0.0, BITS)


def parsed(split: str, cache: Path | None) -> tuple[list[GoldArticle], list[Doc]]:
    """The split's gold articles and their parses (from the cache when it has them)."""
    articles = load_split(split)
    return articles, parse_cached([a.text[:MAX_CHARS] for a in articles], cache, split)


def cue_heads(article: GoldArticle, doc: Doc) -> set[int]:
    """Token indexes heading a gold cue (its head lies outside the cue) of a quote with content."""
    heads: set[int] = set()
    for quote in article.quotes:
        if not quote.content or not quote.cue:
            continue
        inside = [t for t in doc if any(s <= t.idx < e for s, e in quote.cue)]
        ids = {t.i for t in inside}
        heads.update(t.i for t in inside if t.head.i not in ids or t.head.i == t.i)
    return heads


def _matrix(rows: list[list[str]]) -> sparse.csr_matrix:
    """Hashed binary feature matrix, one row per feature list."""
    mask = (1 << BITS) - 1
    indexes = [zlib.crc32(f.encode()) & mask for feats in rows for f in feats]
    indptr = np.cumsum([0, *(len(feats) for feats in rows)])
    data = np.ones(len(indexes), dtype=np.float64)
    matrix = sparse.csr_matrix((data, indexes, indptr), shape=(len(rows), 1 << BITS))
    matrix.sum_duplicates()
    return matrix


def cue_examples(articles: list[GoldArticle], docs: list[Doc]) -> tuple[list[list[str]], list[int]]:
    """Features and labels of every candidate token."""
    rows: list[list[str]] = []
    labels: list[int] = []
    for article, doc in zip(articles, docs, strict=True):
        heads = cue_heads(article, doc)
        inside = inside_marks(doc, [(s.start, s.end) for s in find_mark_spans(doc.text)])
        for token in doc:
            if token.pos_ in CANDIDATE_POS:
                rows.append(token_features(token, bool(inside[token.i])))
                labels.append(int(token.i in heads))
    return rows, labels


def quote_examples(
    articles: list[GoldArticle], docs: list[Doc], model: CueModel
) -> tuple[list[list[str]], list[int]]:
    """Features of the quotes the quote scorer rates, as the extractor builds them with
    ``model``'s cue scorer; positive when the content overlaps a gold content by at least
    30% (of the longer)."""
    rows: list[list[str]] = []
    labels: list[int] = []
    for article, doc in zip(articles, docs, strict=True):
        text = doc.text
        spans = find_mark_spans(text)
        inside = inside_marks(doc, [(s.start, s.end) for s in spans])
        cues, probs = rescore_cues(doc, text, inside, find_cues(doc, text), model)
        gold = [normalize(text, q.content) for q in article.quotes if q.content]
        found = attribute(doc, text, spans, cues)
        judged = [q for q in found if judged_quote(q)]
        marginals = tag_article(doc, model.tagger, inside)
        for quote in judged:
            pred = normalize(text, [(quote.start, quote.end)])
            rows.append(quote_features(doc, quote, probs, nested(quote, found), marginals))
            labels.append(int(any(overlap_longer(g, pred) >= 0.3 for g in gold)))
    return rows, labels


def fit_tagger(articles: list[GoldArticle], docs: list[Doc]) -> SequenceTagger:
    """The CRF over every paragraph of ``articles``, labelled from their gold attributions."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params({**TAGGER_PARAMS, "feature.possible_transitions": True})
    for article, doc in zip(articles, docs, strict=True):
        units = [{"content": list(q.content), "cue": list(q.cue), "source": list(q.source)}
                 for q in article.quotes]  # fmt: skip
        inside = inside_marks(doc, [(s.start, s.end) for s in find_mark_spans(doc.text)])
        col = Columns.read(doc, inside)
        for start, end in segments(col):
            trainer.append(tagger_features(col, start, end), gold_labels(doc, start, end, units))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / TAGGER_FILE
        trainer.train(str(path))
        return SequenceTagger(path.read_bytes())


def fit(rows: list[list[str]], labels: list[int]) -> Linear:
    """L2 logistic regression (bias unpenalised) by L-BFGS from zeros: deterministic."""
    matrix = _matrix(rows)
    signs = 2 * np.asarray(labels, dtype=np.float64) - 1

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        weights, bias = params[:-1], params[-1]
        margin = signs * (matrix @ weights + bias)
        value = np.logaddexp(0, -margin).sum() + 0.5 * L2 * weights @ weights
        coef = -signs / (1 + np.exp(margin))
        grad = np.empty_like(params)
        grad[:-1] = matrix.T @ coef + L2 * weights
        grad[-1] = coef.sum()
        return float(value), grad

    result = optimize.minimize(
        loss, np.zeros(matrix.shape[1] + 1), jac=True, method="L-BFGS-B",
        options={"maxiter": 500},
    )  # fmt: skip
    return Linear(result.x[:-1].astype(np.float32), float(result.x[-1]), BITS)


def edge_examples(
    articles: list[GoldArticle], docs: list[Doc], model: CueModel, folds: list[SequenceTagger]
) -> tuple[list[list[list[int]]], list[list[int]], list[list[list[int]]], list[list[int]]]:
    """Candidate groups (hashed features) and their gold labels, starts and ends apart.

    A candidate is right when the content it begins or ends, trimmed as the scorer trims,
    has the gold content's edge; quotes with no right candidate teach nothing and are left
    out. Article ``n`` is tagged by ``folds[n % 2]``, a tagger that never saw it.
    """
    start_groups: list[list[list[int]]] = []
    start_labels: list[list[int]] = []
    end_groups: list[list[list[int]]] = []
    end_labels: list[list[int]] = []
    for n, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        text = doc.text
        gold = [normalize(text, q.content) for q in article.quotes if q.content]
        gold = [g for g in gold if g]
        found, marginals = find_quotes(doc, text, dataclasses.replace(model, tagger=folds[n % 2]))
        hasher = Hasher(doc, BITS, marginals)
        for quote in found:
            if not refined(quote):
                continue
            pred = normalize(text, [(quote.start, quote.end)])
            scored = [(overlap_longer(g, pred), g) for g in gold]
            best = max(scored, default=(0.0, ()), key=lambda pair: pair[0])
            if best[0] < 0.3:
                continue
            starts, ends = quote_candidates(doc, quote, hasher)
            if starts is None or ends is None:
                continue
            target = best[1]
            labels = [int(_first_kept(text, doc[i].idx) == target[0][0]) for i in starts.tokens]
            if any(labels):
                start_groups.append(starts.features)
                start_labels.append(labels)
            labels = [
                int(_last_kept(text, doc[i].idx + len(doc[i].text)) == target[-1][1])
                for i in ends.tokens
            ]
            if any(labels):
                end_groups.append(ends.features)
                end_labels.append(labels)
    return start_groups, start_labels, end_groups, end_labels


def _first_kept(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] in TRIM_CHARS):
        pos += 1
    return pos


def _last_kept(text: str, pos: int) -> int:
    while pos > 0 and (text[pos - 1].isspace() or text[pos - 1] in TRIM_CHARS):
        pos -= 1
    return pos


def fit_choice(groups: list[list[list[int]]], labels: list[list[int]]) -> np.ndarray:
    """Conditional logit (softmax over each group's candidates; the right ones share the
    mass), L2-regularised, by L-BFGS from zeros: deterministic."""
    rows = [row for group in groups for row in group]
    indptr = np.cumsum([0, *(len(row) for row in rows)])
    indexes = np.fromiter((i for row in rows for i in row), dtype=np.int64, count=indptr[-1])
    matrix = sparse.csr_matrix(
        (np.ones(len(indexes)), indexes, indptr), shape=(len(rows), 1 << BITS)
    )
    matrix.sum_duplicates()
    bounds = np.cumsum([0, *(len(group) for group in groups)])[:-1]
    group_of = np.repeat(np.arange(len(groups)), [len(group) for group in groups])
    right = np.asarray([y for group in labels for y in group], dtype=bool)

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ weights
        top = np.maximum.reduceat(scores, bounds)[group_of]
        exp = np.exp(scores - top)
        total = np.add.reduceat(exp, bounds)
        kept = np.add.reduceat(np.where(right, exp, 0.0), bounds)
        value = float(np.sum(np.log(total) - np.log(kept))) + 0.5 * L2 * weights @ weights
        coef = exp / total[group_of] - np.where(right, exp, 0.0) / kept[group_of]
        return value, matrix.T @ coef + L2 * weights

    result = optimize.minimize(
        loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return np.asarray(result.x, dtype=np.float32)


def train_edges(
    articles: list[GoldArticle], docs: list[Doc], model: CueModel, folds: list[SequenceTagger]
) -> Edges:
    """The start and end scorers, from the quotes ``model`` finds in ``articles``."""
    groups = edge_examples(articles, docs, model, folds)
    start_groups, start_labels, end_groups, end_labels = groups
    print(f"train: {len(start_groups)} start and {len(end_groups)} end groups", flush=True)
    return Edges(fit_choice(start_groups, start_labels), fit_choice(end_groups, end_labels), BITS)


def dev_f1(
    model: CueModel | None, articles: list[GoldArticle], docs: list[Doc]
) -> dict[str, float]:
    tally = Tally()
    for article, doc in zip(articles, docs, strict=True):
        tally.add(score_article(article, extract_with_model(article.doc_id, doc, model)))
    content = figures(tally)["content"]
    return {k: round(content[k]["f1"], 4) for k in ("overlap30", "overlap80", "exact")}


@dataclasses.dataclass(frozen=True)
class ReusedTagger(SequenceTagger):
    """The tagger with each article's marginals kept: the threshold search extracts dev
    once per setting, and the tagger's reading does not depend on the thresholds."""

    kept: dict[int, Marginals] = dataclasses.field(default_factory=dict, compare=False)

    def marginals(self, doc: Doc, inside: NDArray[np.bool_]) -> Marginals:
        hit = self.kept.get(id(doc))
        if hit is None:
            hit = self.kept[id(doc)] = super().marginals(doc, inside)
        return hit


@dataclasses.dataclass(frozen=True)
class Trained:
    """What ``train`` fits: both scorers, the tagger, and the fold taggers (each fit on the
    half of train the other is not) that tag train for the later models."""

    cue: Linear
    quote: Linear
    tagger: SequenceTagger
    folds: list[SequenceTagger]
    cue_heads: int
    quotes: int


def train(articles: list[GoldArticle], docs: list[Doc]) -> Trained:
    """Both scorers and the tagger. The quote scorer learns from quotes built on cue scores
    and tags of models that never saw the article (two folds), so it sees them as they are
    on new text."""
    quote_rows: list[list[str]] = []
    quote_labels: list[int] = []
    folds: list[SequenceTagger] = []
    for fold in (0, 1):
        fit_on = [i for i in range(len(articles)) if i % 2 != fold]
        apply_to = [i for i in range(len(articles)) if i % 2 == fold]
        rows, labels = cue_examples([articles[i] for i in fit_on], [docs[i] for i in fit_on])
        tagger = fit_tagger([articles[i] for i in fit_on], [docs[i] for i in fit_on])
        folds.append(tagger)
        loose = CueModel(fit(rows, labels), _ACCEPT_ALL, min(THRESHOLDS), 0.0, 0.0, None, tagger)
        rows, labels = quote_examples(
            [articles[i] for i in apply_to], [docs[i] for i in apply_to], loose
        )
        quote_rows += rows
        quote_labels += labels
    rows, labels = cue_examples(articles, docs)
    tagger = fit_tagger(articles, docs)
    quote = fit(quote_rows, quote_labels)
    return Trained(fit(rows, labels), quote, tagger, folds, sum(labels), len(quote_rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="folder for the parsed DocBins")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "newstrace" / "data")
    args = parser.parse_args()
    started = time.perf_counter()
    train_articles, train_docs = parsed("train", args.cache)
    dev_articles, dev_docs = parsed("dev", args.cache)
    trained = train(train_articles, train_docs)
    cue, quote, tagger = trained.cue, trained.quote, trained.tagger
    heads, quotes = trained.cue_heads, trained.quotes
    print(f"train: {heads} cue heads, {quotes} quotes for the quote scorer", flush=True)
    best: tuple[float, CueModel, dict[str, float]] | None = None
    reused = ReusedTagger(tagger.data)
    for threshold, keep, accept in itertools.product(THRESHOLDS, KEEPS, ACCEPTS):
        model = CueModel(cue, quote, threshold, keep, accept, None, reused)
        scores = dev_f1(model, dev_articles, dev_docs)
        print(f"threshold {threshold} keep {keep} accept {accept}: dev {scores}", flush=True)
        if best is None or scores["overlap30"] > best[0]:
            best = (scores["overlap30"], model, scores)
    assert best is not None
    chosen = dataclasses.replace(
        best[1], edges=train_edges(train_articles, train_docs, best[1], trained.folds)
    )  # the edges' train examples are tagged by the fold taggers, never by ``reused``
    edges = chosen.edges
    assert edges is not None
    with_edges = dev_f1(chosen, dev_articles, dev_docs)
    print(f"with content edges: dev {with_edges}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    arrays = {"cue": cue.weights, "quote": quote.weights, "start": edges.start, "end": edges.end}
    np.savez_compressed(args.out / MODEL_FILE, **arrays)
    (args.out / TAGGER_FILE).write_bytes(tagger.data)
    digest = hashlib.sha256(b"".join(a.tobytes() for a in arrays.values())).hexdigest()
    meta = {
        "_doc": "Quote cue, quote and content-edge scorers; trained by "
        "scripts/train_quote_cues.py on PolNeAR train, thresholds chosen on PolNeAR dev "
        "(content F1 at 30% overlap).",
        "feature_version": FEATURE_VERSION,
        "bits": BITS,
        "l2": L2,
        "cue_bias": cue.bias,
        "quote_bias": quote.bias,
        "threshold": chosen.threshold,
        "keep": chosen.keep,
        "accept": chosen.accept,
        "weights_sha256": digest,
        "tagger": TAGGER_PARAMS,
        "tagger_sha256": hashlib.sha256(tagger.data).hexdigest(),
        "train_cue_heads": heads,
        "train_scored_quotes": quotes,
        "dev_content_f1": with_edges,
        "dev_content_f1_without_edges": best[2],
        "dev_content_f1_rules_only": dev_f1(None, dev_articles, dev_docs),
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE} ({time.perf_counter() - started:.0f} s): {meta}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
