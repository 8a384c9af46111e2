"""Is a quote's ``confidence`` a probability? Reliability of newstrace's quote confidence on
PolNeAR, and what ``--min-confidence`` buys.

Every predicted quote is matched one-to-one against the gold attributions of its article
(content overlap >= 30% of the longer span, ``bench/polnear.py``'s primary setting, greedy
best-first; quotes sharing one cue, as a quote over several paragraphs, are one unit as in
the benchmark). A quote is "right" when it is matched, and "attributed right" when it is
matched and its speaker mention overlaps the gold source (or the gold names no source and
neither does the quote's mention). Quotes are then binned by confidence:

- reliability table: per confidence bin, how many quotes and how many are right (a
  calibrated score has the bin's mean confidence close to its share right);
- expected calibration error (ECE): the bins' |mean confidence - share right|, weighted by
  bin size;
- the ``--min-confidence`` curve: precision and recall of the quotes kept at each threshold.

Articles are parsed once with ``newstrace.nlp.load_nlp()``; the parses are cached under
``bench/out/`` (git-ignored) so a second run only extracts.

Usage:  .venv/bin/python bench/quote_calibration.py [--split dev|test|dev,test]
Tune on dev; run test once, for the reported figure only.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from spacy.tokens import Doc

from newstrace.model import Quote
from newstrace.nlp import MAX_CHARS
from newstrace.quotes import extract_quotes
from parse_cache import parse_cached
from polnear import (
    GoldArticle,
    gold_units,
    load_split,
    match,
    normalize,
    overlap_len,
    overlap_longer,
)

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out"
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


@dataclass(frozen=True)
class Judged:
    """One predicted quote with what the gold says of it."""

    confidence: float
    right: bool
    attributed: bool


def parsed(articles: list[GoldArticle], split: str) -> list[Doc]:
    """The split's parses, from the cache when the texts and the model are unchanged."""
    texts = [article.text[:MAX_CHARS] for article in articles]
    return parse_cached(texts, CACHE, f"polnear-{split}")


def judge(article: GoldArticle, quotes: list[Quote]) -> list[Judged]:
    """Each quote's verdict, in order. As in the benchmark's scoring, quotes sharing one cue
    span (a quote running over several paragraphs) are one unit, right or wrong together."""
    gold, _skipped = gold_units(article)
    units: dict[object, list[int]] = {}
    for i, quote in enumerate(quotes):
        key: object = (quote.cue_start, quote.cue_end) if quote.cue_start is not None else i
        units.setdefault(key, []).append(i)
    members = [m for m in units.values() if normalize(article.text, _spans(quotes, m))]
    contents = [normalize(article.text, _spans(quotes, m)) for m in members]
    pairs = match([g.content for g in gold], contents, overlap_longer, 0.3)
    matched = {i: gold[gi] for gi, pi in pairs for i in members[pi]}
    judged = []
    for i, quote in enumerate(quotes):
        unit = matched.get(i)
        attributed = False
        if unit is not None:
            if quote.speaker_start is None or quote.speaker_end is None:
                attributed = not unit.source
            else:
                mention = ((quote.speaker_start, quote.speaker_end),)
                attributed = bool(unit.source) and overlap_len(unit.source, mention) > 0
        judged.append(Judged(quote.confidence, unit is not None, attributed))
    return judged


def _spans(quotes: list[Quote], members: list[int]) -> list[tuple[int, int]]:
    return [(quotes[i].start, quotes[i].end) for i in members]


def report(split: str, judged: list[Judged], gold_total: int) -> str:
    lines = [f"### {split}: {len(judged)} predicted quotes, {gold_total} gold attributions", ""]
    lines += [
        "| confidence | quotes | mean confidence | share right (@30%) | attributed right |",
        "|---|---:|---:|---:|---:|",
    ]
    ece = ece_attributed = 0.0
    for low, high in pairwise(BINS):
        members = [j for j in judged if low <= j.confidence < high]
        if not members:
            continue
        mean = sum(j.confidence for j in members) / len(members)
        right = sum(j.right for j in members) / len(members)
        speaker = sum(j.attributed for j in members) / len(members)
        ece += len(members) / len(judged) * abs(mean - right)
        ece_attributed += len(members) / len(judged) * abs(mean - speaker)
        label = f"{low:.1f}-{min(high, 1.0):.1f}"
        lines.append(f"| {label} | {len(members)} | {mean:.3f} | {right:.3f} | {speaker:.3f} |")
    lines += [
        "",
        f"Expected calibration error: {ece:.3f} (share right), "
        f"{ece_attributed:.3f} (attributed right)",
        "",
    ]
    lines += [
        "| --min-confidence | quotes kept | precision @30% | recall @30% | attributed right |",
        "|---:|---:|---:|---:|---:|",
    ]
    for threshold in THRESHOLDS:
        kept = [j for j in judged if j.confidence >= threshold]
        right = sum(j.right for j in kept)
        precision = right / len(kept) if kept else 0.0
        recall = right / gold_total if gold_total else 0.0
        attributed = sum(j.attributed for j in kept) / len(kept) if kept else 0.0
        lines.append(
            f"| {threshold:.2f} | {len(kept)} | {precision:.3f} | {recall:.3f} | {attributed:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", help="dev, test or dev,test")
    args = parser.parse_args(argv)
    print(f"command: .venv/bin/python bench/quote_calibration.py {shlex.join(sys.argv[1:])}\n")
    for split in args.split.split(","):
        articles = load_split(split)
        docs = parsed(articles, split)
        judged: list[Judged] = []
        gold_total = 0
        for article, doc in zip(articles, docs, strict=True):
            judged += judge(article, extract_quotes(article.doc_id, doc))
            gold_total += len(gold_units(article)[0])
        print(report(split, judged, gold_total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
