"""Fit the quote confidence calibration (``newstrace/data/quote_confidence.json``).

Reads PolNeAR ``dev`` only (the learned cue and quote scorers are fit on train, so their
scores on train are optimistic; dev sees them as new text does), from
``../shared/data/quotes/polnear/common/``; downloads nothing. Every quote the shipped
extractor finds is one example, labelled 1 when it is "attributed right" by
``bench/quote_calibration.py``'s rule: its content overlaps a gold content by 30% of the
longer span and its speaker mention overlaps the gold source (or neither names one). An
L2-regularised logistic regression over ``newstrace.quotes.confidence.FEATURES`` is fit by
Newton's method from zeros: the same data gives the same file.

Usage: .venv/bin/python scripts/train_quote_confidence.py [--l2 1.0]
(the parse of dev is cached under bench/out, shared with bench/quote_calibration.py).
Then measure: .venv/bin/python bench/quote_calibration.py --split dev (test once, at the end).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from newstrace.quotes.confidence import CALIBRATION_FILE, FEATURES, Calibration
from newstrace.quotes.extract import extract_with_evidence
from newstrace.quotes.learned import load_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from polnear import load_split  # noqa: E402
from quote_calibration import judge, parsed  # noqa: E402


def examples(split: str) -> tuple[np.ndarray, np.ndarray]:
    articles = load_split(split)
    model = load_model()
    rows: list[list[float]] = []
    labels: list[float] = []
    for article, doc in zip(articles, parsed(articles, split), strict=True):
        found = extract_with_evidence(article.doc_id, doc, model)
        for (_quote, evidence), verdict in zip(
            found, judge(article, [quote for quote, _ in found]), strict=True
        ):
            rows.append(evidence)
            labels.append(float(verdict.attributed))
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> Calibration:
    """Newton's method on the L2-penalised log loss (the bias is not penalised)."""
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ theta))
        gradient = design.T @ (p - y) + penalty * theta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return Calibration(tuple(round(float(w), 6) for w in theta[:-1]), round(float(theta[-1]), 6))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights")
    args = parser.parse_args()
    x, y = examples("dev")
    calibration = fit(x, y, args.l2)
    data = {
        "_doc": (
            "Quote confidence calibration: logistic weights over "
            "newstrace.quotes.confidence.FEATURES, fit on PolNeAR dev by "
            f"scripts/train_quote_confidence.py --l2 {args.l2} ({len(y)} quotes, "
            f"{int(y.sum())} attributed right)."
        ),
        **calibration.to_dict(),
    }
    path = ROOT / "src" / "newstrace" / CALIBRATION_FILE
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{len(y)} dev quotes, {y.mean():.3f} attributed right; wrote {path}")
    for name, weight in zip(FEATURES, calibration.weights, strict=True):
        print(f"  {name:28} {weight:+.3f}")
    print(f"  {'bias':28} {calibration.bias:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
