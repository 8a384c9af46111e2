"""Quote benchmark on PolNeAR: newstrace's extractor beside textacy's ``direct_quotations``.

Both systems read the same spaCy parse: every article is parsed ONCE with
``newstrace.nlp.load_nlp()`` through ``nlp.pipe`` (timed alone: the "bare" pass), then each
system's extraction is timed on top of those Docs:

  newstrace  ``newstrace.quotes.extract_quotes(doc_id, doc)`` on the whole-article Doc.
  newstrace-rules  the same without the learned cue and quote scorers (lexicon and rules
             only: ``extract_with_model(doc_id, doc, None)``), to show what the model adds.
  textacy    ``textacy.extract.triples.direct_quotations`` per paragraph (the article split
             on newlines), each paragraph being ``doc[start:end].as_doc()`` of the shared
             parse: no re-parse, and the copy is counted in textacy's time. A paragraph with
             an odd number of quote marks makes textacy raise ValueError; those are counted
             and yield nothing. Triples are mapped back to article character offsets.

Extraction times are the fastest of ``--repeat`` passes after one warm-up call; predictions
come from the first pass. Scoring rules are in ``bench/polnear.py``.

Usage:  .venv/bin/python bench/quotes.py [--split dev|test|dev,test] [--json OUT]
Prints markdown tables headed by the command; paste them into bench/RESULTS.md.
Tune on dev; run test once, for the reported figure only.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newstrace.model import Quote
from newstrace.nlp import MAX_CHARS, load_nlp
from polnear import (
    GOLD_TYPES,
    KIND_PAIRS,
    PRED_KINDS,
    SETTING_LABELS,
    SETTINGS,
    Tally,
    figures,
    load_split,
    score_article,
)

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("newstrace", "newstrace-rules", "textacy")
Extractor = Callable[[str, Doc], list[Quote]]


# ---------------------------------------------------------------- textacy baseline


class TextacyBaseline:
    """textacy's direct quotations, one paragraph at a time, in article offsets."""

    def __init__(self) -> None:
        from textacy.extract.triples import direct_quotations

        self._direct_quotations = direct_quotations
        self.reset()

    def reset(self) -> None:
        self.odd_quote_paragraphs = 0
        self.other_errors = 0

    def __call__(self, article_id: str, doc: Doc) -> list[Quote]:
        quotes: list[Quote] = []
        for match in re.finditer(r"[^\n]+", doc.text):
            if not match.group().strip():
                continue
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            paragraph = span.as_doc()
            offset = span.start_char
            try:
                triples = list(self._direct_quotations(paragraph))
            except ValueError:
                self.odd_quote_paragraphs += 1
                continue
            except Exception:  # a rule tripping on an odd parse: count it, keep going
                self.other_errors += 1
                continue
            for speaker, cue, content in triples:
                quotes.append(
                    Quote(
                        article=article_id,
                        start=offset + content.start_char,
                        end=offset + content.end_char,
                        text=content.text,
                        kind="direct",
                        speaker_mention=" ".join(t.text for t in speaker),
                        speaker_start=offset + speaker[0].idx,
                        speaker_end=offset + speaker[-1].idx + len(speaker[-1]),
                        cue=" ".join(t.text for t in cue),
                        cue_start=offset + cue[0].idx,
                        cue_end=offset + cue[-1].idx + len(cue[-1]),
                    )
                )
        return quotes


def newstrace_extractor(rules_only: bool = False) -> Extractor:
    try:
        from newstrace.quotes import extract_quotes
        from newstrace.quotes.extract import extract_with_model
    except ImportError as exc:
        raise SystemExit(f"newstrace.quotes.extract_quotes is not importable: {exc}") from exc
    if rules_only:
        return lambda article_id, doc: extract_with_model(article_id, doc, None)
    return extract_quotes


# ---------------------------------------------------------------- one split


def timed_passes(
    extract: Extractor,
    ids: list[str],
    docs: list[Doc],
    repeat: int,
    before_pass: Callable[[], None] | None = None,
) -> tuple[list[list[Quote]], float]:
    """Predictions of the first pass and the fastest pass's seconds."""
    extract(ids[0], docs[0])  # warm-up: lazy tables, first-call imports
    first: list[list[Quote]] | None = None
    best = float("inf")
    for _ in range(max(1, repeat)):
        if before_pass is not None:
            before_pass()
        started = time.perf_counter()
        predictions = [extract(doc_id, doc) for doc_id, doc in zip(ids, docs, strict=True)]
        best = min(best, time.perf_counter() - started)
        if first is None:
            first = predictions
    assert first is not None
    return first, best


def run_split(
    name: str, systems: list[str], repeat: int, min_confidence: float = 0.0
) -> dict[str, Any]:
    articles = load_split(name)
    ids = [article.doc_id for article in articles]
    texts = [article.text[:MAX_CHARS] for article in articles]
    nlp = load_nlp()
    list(nlp.pipe(["A warm-up sentence, he said."]))
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse_s = time.perf_counter() - started
    n = len(articles)
    result: dict[str, Any] = {
        "split": name,
        "articles": n,
        "words": sum(len(text.split()) for text in texts),
        "bare_parse": {"seconds": parse_s, "articles_per_s": n / parse_s},
        "systems": {},
    }
    for system in systems:
        baseline: TextacyBaseline | None = None
        if system.startswith("newstrace"):
            extract = newstrace_extractor(rules_only=system == "newstrace-rules")
        else:
            baseline = TextacyBaseline()
            extract = baseline
        predictions, extract_s = timed_passes(
            extract, ids, docs, repeat, baseline.reset if baseline else None
        )
        if system.startswith("newstrace") and min_confidence > 0:
            predictions = [[q for q in qs if q.confidence >= min_confidence] for qs in predictions]
        tally = Tally()
        for article, quotes in zip(articles, predictions, strict=True):
            for quote in quotes:
                if article.text[quote.start : quote.end] != quote.text:
                    raise SystemExit(f"{system}: offsets do not match text in {article.doc_id}")
            tally.add(score_article(article, quotes))
        entry: dict[str, Any] = {
            "extract_seconds": extract_s,
            "seconds_with_parse": parse_s + extract_s,
            "articles_per_s": n / (parse_s + extract_s),
            "speed_ratio_to_bare": parse_s / (parse_s + extract_s),
            "quotes": sum(len(quotes) for quotes in predictions),
            "figures": figures(tally),
        }
        if baseline is not None:
            entry["odd_quote_paragraphs"] = baseline.odd_quote_paragraphs  # of the last pass
            entry["other_errors"] = baseline.other_errors
        result["systems"][system] = entry
    return result


# ---------------------------------------------------------------- tables


def f3(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render(result: dict[str, Any]) -> str:
    systems = result["systems"]
    names = list(systems)
    first = systems[names[0]]["figures"] if names else {}
    lines = [
        f"### {result['split']}: {result['articles']} articles, {result['words']:,} words, "
        f"{first.get('gold_quotes', 0)} gold quotes "
        f"({first.get('gold_skipped_without_content', 0)} without content skipped)",
        "",
        "Content spans and cues, P / R / F1:",
        "",
        "| | " + " | ".join(f"{s} P | {s} R | {s} F1" for s in names) + " |",
        "|---|" + "---:|" * (3 * len(names)),
    ]
    for setting in SETTINGS:
        cells = []
        for s in names:
            entry = systems[s]["figures"]["content"][setting]
            cells += [f3(entry["precision"]), f3(entry["recall"]), f3(entry["f1"])]
        lines.append(f"| {SETTING_LABELS[setting]} | " + " | ".join(cells) + " |")
    for cue in ("exact", "overlap"):
        cells = []
        for s in names:
            entry = systems[s]["figures"]["cue"][cue]
            cells += [f3(entry["precision"]), f3(entry["recall"]), f3(entry["f1"])]
        lines.append(f"| cue, {cue} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Units: "
        + "; ".join(
            f"{s} {systems[s]['quotes']} quotes → {systems[s]['figures']['predicted_units']} "
            f"units, {systems[s]['figures']['cue']['pred']} distinct cues"
            for s in names
        )
        + (f"; gold cues {first['cue']['gold']}" if names else ""),
        "",
        "Speaker accuracy on matched quotes whose gold has a source (right / total):",
        "",
        "| matched at | " + " | ".join(f"{s} all | {s} named | {s} pronoun" for s in names) + " |",
        "|---|" + "---:|" * (3 * len(names)),
    ]
    for setting in SETTINGS:
        cells = []
        for s in names:
            speaker = systems[s]["figures"]["content"][setting]["speaker"]
            for group in ("all", "named", "pronoun"):
                g = speaker[group]
                cells.append(f"{f3(g['accuracy'])} ({g['right']}/{g['total']})")
        lines.append(f"| {setting} | " + " | ".join(cells) + " |")
    for s in names:
        content = systems[s]["figures"]["content"]
        lines += [
            "",
            f"{s} by kind (matching ignores kind; recall by gold quote_type_heuristic, "
            "precision by predicted kind; symmetric overlap):",
            "",
            "| kind | gold n | R@30 | R@80 | R exact | pred n | P@30 | P@80 | P exact "
            "| F1@30 | F1@80 | F1 exact |",
            "|---|" + "---:|" * 11,
        ]
        for kind in sorted(set(GOLD_TYPES) | set(PRED_KINDS), key=_kind_order):
            recall = content["overlap30"]["recall_by_gold_type"].get(kind)
            precision = content["overlap30"]["precision_by_pred_kind"].get(kind)
            cells = [str(recall["gold"]) if recall else "–"]
            for setting in ("overlap30", "overlap80", "exact"):
                r = content[setting]["recall_by_gold_type"].get(kind)
                cells.append(f3(r["recall"]) if r else "–")
            cells.append(str(precision["pred"]) if precision else "–")
            for setting in ("overlap30", "overlap80", "exact"):
                p = content[setting]["precision_by_pred_kind"].get(kind)
                cells.append(f3(p["precision"]) if p else "–")
            for setting in ("overlap30", "overlap80", "exact"):
                f = content[setting]["f1_by_kind"].get(kind)
                cells.append(f3(f["f1"]) if f else "–")
            label = kind + (" (+ direct_or_mixed for F1)" if kind == "direct" else "")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    bare = result["bare_parse"]
    lines += [
        "",
        "Speed (same Docs for both; parse timed once, extraction best of the passes):",
        "",
        "| pass | seconds | articles/s | × bare parse |",
        "|---|---:|---:|---:|",
        f"| bare nlp.pipe parse | {bare['seconds']:.2f} | {bare['articles_per_s']:.2f} | 1.00 |",
    ]
    for s in names:
        entry = systems[s]
        lines.append(
            f"| parse + {s} (extraction {entry['extract_seconds']:.2f} s) | "
            f"{entry['seconds_with_parse']:.2f} | {entry['articles_per_s']:.2f} | "
            f"{entry['speed_ratio_to_bare']:.2f} |"
        )
    if "textacy" in systems:
        tx = systems["textacy"]
        lines += [
            "",
            f"textacy refused {tx['odd_quote_paragraphs']} paragraphs with an odd number of "
            f"quote marks (ValueError); other errors: {tx['other_errors']}.",
        ]
    return "\n".join(lines)


def _kind_order(kind: str) -> int:
    order = ("direct", "direct_or_mixed", "mixed", "indirect")
    return order.index(kind) if kind in order else len(order)


# ---------------------------------------------------------------- main


def command_line() -> str:
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(ROOT))
    except ValueError:
        shown = "python"
    return shlex.join([shown, "bench/quotes.py", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--split", default="dev", help="dev, test or dev,test (default dev)")
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="comma list of: " + ", ".join(SYSTEMS)
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed extraction passes")
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="score only newstrace quotes at or above this confidence (default: all)",
    )
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    splits = [s.strip() for s in args.split.split(",") if s.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown or not systems:
        parser.error(f"unknown systems {unknown}; expected some of {SYSTEMS}")
    command = command_line()
    print(f"Command: `{command}`\n")
    results = []
    for split in splits:
        result = run_split(split, systems, args.repeat, args.min_confidence)
        results.append(result)
        print(render(result), end="\n\n", flush=True)
    if args.json:
        payload = {"command": command, "kind_pairs": KIND_PAIRS, "splits": results}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
