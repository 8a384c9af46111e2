"""Spun-text flag: precision and recall on generated derivatives, flag rates on clean news,
the two seed articles, and the cost of scoring relative to the parse.

    .venv/bin/python bench/quality.py            # dev figures (tuning data)
    .venv/bin/python bench/quality.py --test     # dev and test (report once)

Positives are the ``spun`` derivatives (synonym-spin, garble) of ECB+ originals; negatives
are the originals and their other derivatives (boilerplate, lead-only, reorder-drop,
reword). Derivatives come from ``bench/derivatives.py`` (dev seed 7, the calibration draw;
test seed 11). The threshold is ``newstrace.quality.SPUN_THRESHOLD`` (calibrated on dev by
``bench/train_quality.py``).

Clean news, the flag's false positives (every set read in place, never copied): the ECB+
originals of train and dev (of train, the odd topics are the model's fitting data and the
even ones feed the word counts), PolNeAR train (feeds the word counts, so its word choice
reads as clean) and dev, and the article bodies of the extraction benchmark's dev half
(real news and blog pages). ``--show N`` prints the N highest-scoring clean articles of
these sets with the reasons behind each score, to study what fires on real news.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spacy.tokens import Doc

from derivatives import VARIANTS, generate, load_ecbplus
from newstrace.nlp import load_nlp
from newstrace.quality import SPUN_THRESHOLD, extract_features, score_quality
from newstrace.quality_evidence import spun_logits
from newstrace.quality_model import FEATURES, load_model
from train_quality import clean_sets, parse

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SPLIT_SEEDS = {"dev": 7, "test": 11}


def score_texts(texts: Sequence[str]) -> tuple[list[float], float, float]:
    """Scores, and seconds spent parsing and scoring (the full pipeline, one process)."""
    nlp = load_nlp()
    out: list[float] = []
    parse_s = score_s = 0.0
    t0 = time.perf_counter()
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=32), strict=True):
        t1 = time.perf_counter()
        parse_s += t1 - t0
        out.append(score_quality(text, doc).spun_score)
        t0 = time.perf_counter()
        score_s += t0 - t1
    return out, parse_s, score_s


def split_figures(split: str) -> tuple[float, float]:
    rows = load_ecbplus(split)
    originals = [(str(r["doc_id"]), str(r["text"])) for r in rows]
    derivatives = generate(originals, seed=SPLIT_SEEDS[split])
    texts = [t for _, t in originals] + [d.text for d in derivatives]
    variants = ["original"] * len(originals) + [d.variant for d in derivatives]
    spun = [False] * len(originals) + [d.level == "spun" for d in derivatives]
    scores, parse_s, score_s = score_texts(texts)
    flagged = [s >= SPUN_THRESHOLD for s in scores]
    tp = sum(f and p for f, p in zip(flagged, spun, strict=True))
    fp = sum(f and not p for f, p in zip(flagged, spun, strict=True))
    fn = sum(p and not f for f, p in zip(flagged, spun, strict=True))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"\nECB+ {split}: {len(originals)} originals, {len(derivatives)} derivatives "
          f"(seed {SPLIT_SEEDS[split]})")  # fmt: skip
    print(f"  spun flag: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
          f"(tp {tp}, fp {fp}, fn {fn})")  # fmt: skip
    by_variant: dict[str, list[bool]] = defaultdict(list)
    by_score: dict[str, list[float]] = defaultdict(list)
    for v, f, s in zip(variants, flagged, scores, strict=True):
        by_variant[v].append(f)
        by_score[v].append(s)
    for v in ("original", *VARIANTS):
        fl, sc = by_variant[v], sorted(by_score[v])
        print(f"  {v:13s} flagged {sum(fl) / len(fl):6.1%} ({sum(fl)}/{len(fl)})  "
              f"median score {sc[len(sc) // 2]:.3f}")  # fmt: skip
    return parse_s, score_s


def clean_news(show: int) -> None:
    """Flag rates on real clean news (parses cached, see ``train_quality.parse``)."""
    print(f"\nclean news: {'set':22s} articles  flagged  rate    max    p99")
    worst: list[tuple[float, str, str, Doc]] = []
    for name, items in clean_sets().items():
        texts = [t for _, t in items]
        docs = parse(texts)
        scores = [score_quality(t, d).spun_score for t, d in zip(texts, docs, strict=True)]
        flagged = sum(s >= SPUN_THRESHOLD for s in scores)
        ordered = sorted(scores)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(f"            {name:22s} {len(texts):8d} {flagged:8d} {flagged / len(texts):6.1%}  "
              f"{ordered[-1]:.3f}  {p99:.3f}")  # fmt: skip
        worst.extend(
            (s, name, doc_id, d) for s, (doc_id, _), d in zip(scores, items, docs, strict=True)
        )
    worst.sort(key=lambda w: -w[0])
    for score, name, doc_id, doc in worst[:show]:
        report = score_quality(doc.text, doc)
        values, _ = extract_features(doc.text, doc)
        contrib = spun_logits(values[None, :], load_model())[1][0]
        top = sorted(zip(FEATURES, contrib, strict=True), key=lambda t: -t[1])[:4]
        print(f"\n{score:.3f} {name} {doc_id} ({len(doc.text.split())} words): "
              + ", ".join(f"{f} {c:+.2f}" for f, c in top))  # fmt: skip
        for reason in report.reasons[:12]:
            print(f"    {reason['kind']:17s} {reason.get('detail') or reason['text']!r}"[:150])


def seeds() -> None:
    nlp = load_nlp()
    print()
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        report = score_quality(text, nlp(text))
        print(f"seed {path.name}: score {report.spun_score:.3f}  flags {report.flags}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--test", action="store_true", help="also report the test split")
    parser.add_argument("--show", type=int, default=0, help="print the N top clean articles")
    parser.add_argument("--clean-only", action="store_true", help="only the clean-news sets")
    args = parser.parse_args()
    if args.clean_only:
        clean_news(args.show)
        return
    print("$ .venv/bin/python bench/quality.py" + (" --test" if args.test else ""))
    print(f"threshold {SPUN_THRESHOLD:.4f}")
    parse_s, score_s = split_figures("dev")
    if args.test:
        p, s = split_figures("test")
        parse_s, score_s = parse_s + p, score_s + s
    clean_news(args.show)
    if SEEDS.exists():
        seeds()
    print(f"\nscoring time: {score_s:.1f}s = {score_s / parse_s:.1%} of the parse ({parse_s:.1f}s)")


if __name__ == "__main__":
    main()
