"""Fit and cross-validate the learned entity pair scorer (``newstrace.resolve.learned``).

Reads the read splits of the entity gold set (``bench/data/entity_gold.json``: dev, test,
test2 ... test11; never a held-out one) and nothing else. Every blocked cross-article pair
of local entities that ``LearnedLinker`` would score is one example, labelled 1 when the two
local entities' mentions carry one gold entity (by their majority), whether the rules joined
the pair or not. An L2-regularised logistic regression over standardised ``FEATURES`` is fit
by Newton's method from zeros: the same data gives the same model.

The threshold is chosen by leave-one-split-out cross-validation: for each read split, a
model fit on the others resolves it end to end at every threshold of the grid; the chosen
threshold is the lowest at which the learned merges, pooled over the held-out splits, are
at least ``--precision`` right (as gold mention pairs) and no held-out split loses more than
``--max-loss`` of its precision. Per-split CV figures are printed (at ``--report-at`` if
given), then the weights of the model fit on all read splits, with that threshold, which
``--write PATH`` saves (no model ships: see ``newstrace.resolve.learned``).

Usage: .venv/bin/python scripts/train_entity_pairs.py [--l2 1.0] [--precision 0.9]
       [--max-loss 0.015] [--no-gates] [--report-at T] [--write PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from newstrace.model import Mention
from newstrace.resolve.index import EntityIndex
from newstrace.resolve.learned import (
    FEATURES,
    Clusters,
    Edge,
    LearnedLinker,
    PairModel,
)
from newstrace.resolve.node import NodeId, _Article, _Node

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from entities import DEFAULT_GOLD, Item, gold_of, load, pairs  # noqa: E402

READ_SPLITS = ("dev", "test", *(f"test{i}" for i in range(2, 12)))
THRESHOLDS = tuple(round(0.5 + 0.025 * i, 3) for i in range(20))  # 0.5 ... 0.975

Articles = list[tuple[str, str, list[Item]]]


class Recorder(LearnedLinker):
    """Records every candidate pair's features, joined by the rules or not; merges none."""

    def __init__(self, gated: bool) -> None:
        super().__init__(None, gated)
        self.rows: list[tuple[NodeId, NodeId, list[float], bool, dict[NodeId, _Node]]] = []

    def edges(
        self,
        pairs: list[tuple[NodeId, NodeId]],
        nodes: dict[NodeId, _Node],
        articles: dict[str, _Article],
        peers: dict[NodeId, list[_Node]],
        clusters: Clusters,
    ) -> list[Edge]:
        cluster_of = clusters[1]
        for left, right, row in self.candidates(pairs, nodes, articles, peers, clusters, True):
            joined = cluster_of[left] == cluster_of[right]
            self.rows.append((left, right, row, joined, nodes))
        return []


def resolve(articles: Articles, learner: LearnedLinker | None) -> dict[tuple[str, int], str]:
    index = EntityIndex(learner)
    index.add_articles(
        (aid, text, [Mention(aid, s, e, surface, label) for _, s, e, surface, label, _ in i], None)
        for aid, text, i in articles
    )
    return {(a, start): e.id for e in index.entities() for a, start, _ in e.mentions}


def examples(articles: Articles, gated: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, gold labels and whether the rules joined the pair, of one split."""
    gold = gold_of(articles)
    recorder = Recorder(gated)
    resolve(articles, recorder)

    def key(node: _Node) -> str:
        counts = Counter(gold[(m.article, m.start)] for m, _ in node.names)
        return min(counts, key=lambda k: (-counts[k], k))

    rows, labels, joined = [], [], []
    for left, right, row, was_joined, nodes in recorder.rows:
        rows.append(row)
        labels.append(float(key(nodes[left]) == key(nodes[right])))
        joined.append(was_joined)
    width = len(FEATURES)
    return np.array(rows).reshape(-1, width), np.array(labels), np.array(joined, dtype=bool)


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> PairModel:
    """Newton's method on the L2-penalised log loss of standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    design = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ theta))
        gradient = design.T @ (p - y) + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    weights = tuple(round(float(w), 6) for w in theta[:-1])
    return PairModel(
        weights,
        round(float(theta[-1]), 6),
        tuple(round(float(m), 6) for m in mean),
        tuple(round(float(s), 6) for s in scale),
        1.0,
    )


def merges(
    gold: dict[tuple[str, int], str], predicted: dict[tuple[str, int], str]
) -> tuple[int, int, int]:
    """Right predicted mention pairs, predicted pairs, gold pairs."""
    found, wanted = pairs(predicted), pairs(gold)
    return len(found & wanted), len(found), len(wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--max-loss", type=float, default=0.015)
    parser.add_argument("--no-gates", action="store_true", help="score every candidate")
    parser.add_argument("--report-at", type=float, help="per-split figures at this threshold")
    parser.add_argument("--write", type=Path, metavar="PATH", help="save the final model")
    args = parser.parse_args()
    splits = load(args.gold)
    gated = not args.no_gates
    data = {name: examples(splits[name], gated) for name in READ_SPLITS}
    for name, (_, y, joined) in data.items():
        print(f"{name:<7} pairs {len(y):>5}  same {int(y.sum()):>4}  joined {joined.sum():>4}")

    # Leave one split out: rules alone, then a model fit on the others at every threshold.
    base = {n: merges(gold_of(splits[n]), resolve(splits[n], None)) for n in READ_SPLITS}
    cv: dict[str, dict[float, tuple[int, int, int]]] = {}
    for held in READ_SPLITS:
        x = np.vstack([data[n][0] for n in READ_SPLITS if n != held])
        y = np.concatenate([data[n][1] for n in READ_SPLITS if n != held])
        model = fit(x, y, args.l2)
        gold = gold_of(splits[held])
        cv[held] = {
            t: merges(gold, resolve(splits[held], LearnedLinker(_at(model, t), gated)))
            for t in THRESHOLDS
        }

    def pooled_new(t: float) -> tuple[int, int]:
        right = sum(cv[n][t][0] - base[n][0] for n in READ_SPLITS)
        made = sum(cv[n][t][1] - base[n][1] for n in READ_SPLITS)
        return right, made

    chosen: float | None = None
    for t in THRESHOLDS:
        right, made = pooled_new(t)
        loss = max(_p(base[n]) - _p(cv[n][t]) for n in READ_SPLITS)
        print(f"threshold {t:.3f}: new mention pairs {made:>4}, right {right:>4}, loss {loss:.3f}")
        if chosen is None and made and right / made >= args.precision and loss <= args.max_loss:
            chosen = t
    if chosen is None:
        print(f"no threshold reaches precision {args.precision} of the learned merges")
    shown = args.report_at or chosen or THRESHOLDS[-1]
    print(f"threshold {shown:.3f}; leave-one-split-out, rules -> rules + model:")
    for n in READ_SPLITS:
        b, c = base[n], cv[n][shown]
        print(f"  {n:<7} P {_p(b):.3f} -> {_p(c):.3f}   R {_r(b):.3f} -> {_r(c):.3f}")
    before = _sum([base[n] for n in READ_SPLITS])
    after = _sum([cv[n][shown] for n in READ_SPLITS])
    print(
        f"  pooled  P {_p(before):.3f} -> {_p(after):.3f}   R {_r(before):.3f} -> {_r(after):.3f}"
    )

    x = np.vstack([data[n][0] for n in READ_SPLITS])
    y = np.concatenate([data[n][1] for n in READ_SPLITS])
    final = _at(fit(x, y, args.l2), shown)
    for name, weight in zip(FEATURES, final.weights, strict=True):
        print(f"  {name:<16} {weight:+.3f}")
    if args.write:
        args.write.write_text(json.dumps(final.to_json(), indent=1) + "\n", "utf-8")
        print(f"wrote {args.write}")
    return 0


def _at(model: PairModel, threshold: float) -> PairModel:
    return PairModel(model.weights, model.bias, model.mean, model.scale, threshold)


def _sum(rows: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    return sum(r[0] for r in rows), sum(r[1] for r in rows), sum(r[2] for r in rows)


def _p(counts: tuple[int, int, int]) -> float:
    return counts[0] / counts[1] if counts[1] else 1.0


def _r(counts: tuple[int, int, int]) -> float:
    return counts[0] / counts[2] if counts[2] else 1.0


if __name__ == "__main__":
    sys.exit(main())
