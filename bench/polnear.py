"""PolNeAR loading and quote scoring: pure functions, no spaCy, no timing.

Used by ``bench/quotes.py`` (the benchmark) and ``tests/test_bench_polnear.py`` (its rules).
The data is ``../shared/data/quotes/polnear/common/<split>.jsonl`` (schema in the README
beside it); never copy it into the repository.

Scoring rules (the GenderGapTracker protocol, adapted where PolNeAR needs a decision):

* Units. One gold unit per PolNeAR attribution that has content; attributions without a
  content span are skipped (counted in ``skipped_gold``). A gold content made of several
  spans (a direct quote split by its attribution, "“A,” he said, “B.”") is ONE unit whose
  characters are the union of its spans. On the predicted side, quotes that share one cue
  span (the same reporting-verb occurrence) are merged into one unit the same way, so a system
  that reports the two halves of a split quote separately is scored like one that reports one
  span over both. Quotes without a cue are never merged.
* Trimming. Every span, gold and predicted, is first trimmed of surrounding whitespace, quote
  marks and the separators ``. , ; :`` (``TRIM_CHARS``), so “A,” and A compare equal;
  ``? !`` and inner text are kept. Trimmed-away spans are dropped, and spans parted by
  nothing but those characters are joined ("“A.” “B.”" is one stretch of content).
* Overlap. ``overlap = |gold ∩ pred| / max(|gold|, |pred|)`` in characters ("longer"): symmetric
  in the two lengths, so a long prediction cannot match a short gold quote. The characters
  between the pieces of a discontinuous gold content (the interrupting "he said") are ignored
  on the predicted side, so one predicted span over the whole split quote scores 1.
  GenderGapTracker's own evaluation script (``NLP/evaluation/src/eval/evaluate_quotes.py``)
  divides by the gold length only (``|gold ∩ pred| / |gold|``, "ggt", where a prediction
  spanning a whole paragraph matches every quote in it); both are reported, the symmetric
  one first.
* Matching. One-to-one and greedy: all (gold, pred) pairs with ``overlap >= threshold`` and
  ``overlap > 0``, best overlap first (ties: earlier gold, then earlier pred); thresholds 0.3
  and 0.8 (GGT's script takes gold quotes in order, each claiming its best remaining prediction
  with ``score > threshold``; the global order here does not depend on the gold order).
  ``exact``: the trimmed character sets are equal (the gold's interior gaps ignored, as
  above), so exact implies overlap 1 under both ratios.
* Speaker accuracy, on the matched pairs of each setting whose gold has a source span: right
  when the predicted speaker-mention span (``Quote.speaker_start/end``) overlaps a gold
  source span by at least one character (GGT: "score > 0"). A prediction without a speaker
  span is wrong. Split by the gold source: ``pronoun`` (every word a personal, possessive,
  reflexive or relative pronoun: he, his, they, who, which, ...) or ``named`` (names and
  nominals: "Trump", "the Post", "experts"). PolNeAR annotates no coreference, so a system
  that resolves "he" to a name is still scored on the mention span.
* Cue. Gold cue units (one per scored attribution) against distinct predicted cue spans,
  one-to-one: ``exact`` (trimmed character sets equal) and ``overlap`` (any shared character,
  greedy by the symmetric ratio). Cue matching is independent of content matching.
* By kind. Matching ignores kind. Recall is sliced by the gold ``quote_type_heuristic``
  (direct, direct_or_mixed, mixed, indirect; computed from quote marks, not a gold label),
  precision by the predicted ``Quote.kind``. Per-kind F1 pairs predicted ``direct`` with gold
  direct + direct_or_mixed, ``mixed`` with mixed, ``indirect`` with indirect.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from newstrace.model import Quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "quotes" / "polnear" / "common"
SPLITS = ("train", "dev", "test")

QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›`"
TRIM_CHARS = QUOTE_MARKS + ".,;:"
_PRONOUN_WORDS = (
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves "
    "he him his himself she her hers herself it its itself they them their theirs themselves "
    "who whom whose which that"  # relative
)
PRONOUNS = frozenset(_PRONOUN_WORDS.split())
GOLD_TYPES = ("direct", "direct_or_mixed", "mixed", "indirect")
PRED_KINDS = ("direct", "mixed", "indirect")
KIND_PAIRS: dict[str, tuple[str, ...]] = {
    "direct": ("direct", "direct_or_mixed"),
    "mixed": ("mixed",),
    "indirect": ("indirect",),
}

Segments = tuple[tuple[int, int], ...]


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class GoldQuote:
    id: str
    content: Segments
    source: Segments
    cue: Segments
    qtype: str | None
    source_text: str = ""


@dataclass(frozen=True)
class GoldArticle:
    doc_id: str
    text: str
    quotes: tuple[GoldQuote, ...]


def _spans(items: Iterable[dict[str, Any]]) -> Segments:
    return tuple((int(item["start"]), int(item["end"])) for item in items)


def split_path(name: str, data_dir: Path = DATA_DIR) -> Path:
    if name not in SPLITS:
        raise ValueError(f"unknown PolNeAR split {name!r}; expected one of {SPLITS}")
    return data_dir / f"{name}.jsonl"


def load_split(name: str, data_dir: Path = DATA_DIR) -> list[GoldArticle]:
    """Read ``common/<name>.jsonl`` into gold articles (offsets into ``text``)."""
    articles = []
    with split_path(name, data_dir).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            text = str(record["text"])
            quotes = tuple(
                GoldQuote(
                    id=str(item["id"]),
                    content=_spans(item.get("content") or []),
                    source=_spans(item.get("source") or []),
                    cue=_spans(item.get("cue") or []),
                    qtype=item.get("quote_type_heuristic"),
                    source_text=" ".join(span["text"] for span in item.get("source") or []),
                )
                for item in record.get("quotes") or []
            )
            articles.append(GoldArticle(str(record["doc_id"]), text, quotes))
    return articles


# ---------------------------------------------------------------- spans


def trim(text: str, start: int, end: int, chars: str = TRIM_CHARS) -> tuple[int, int] | None:
    """The span without surrounding whitespace and ``chars``; None when nothing is left."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return (start, end) if start < end else None


def _blank(between: str, chars: str) -> bool:
    return all(c.isspace() or c in chars for c in between)


def normalize(text: str, spans: Iterable[tuple[int, int]], chars: str = TRIM_CHARS) -> Segments:
    """Trim each span, drop empty ones, sort, and merge spans that overlap or that only
    whitespace, quote marks and separators part ("“A.” “B.”" is one segment)."""
    trimmed = sorted(t for s, e in spans if (t := trim(text, s, e, chars)) is not None)
    merged: list[tuple[int, int]] = []
    for start, end in trimmed:
        if merged and (start <= merged[-1][1] or _blank(text[merged[-1][1] : start], chars)):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def length(segments: Segments) -> int:
    return sum(end - start for start, end in segments)


def overlap_len(a: Segments, b: Segments) -> int:
    """Characters shared by two segment lists (each internally disjoint)."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def gaps(segments: Segments) -> Segments:
    """The characters between the pieces of a discontinuous span ("he said" in a split quote)."""
    return tuple((end, start) for (_, end), (start, _) in pairwise(segments))


def subtract(segments: Segments, holes: Segments) -> Segments:
    """``segments`` without the characters of ``holes``."""
    out: list[tuple[int, int]] = []
    for start, end in segments:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            cut: list[tuple[int, int]] = []
            for s, e in pieces:
                if hole_end <= s or hole_start >= e:
                    cut.append((s, e))
                    continue
                if s < hole_start:
                    cut.append((s, hole_start))
                if hole_end < e:
                    cut.append((hole_end, e))
            pieces = cut
        out.extend(pieces)
    return tuple(out)


def effective(gold: Segments, pred: Segments) -> Segments:
    """The prediction with the gold's interior gaps ignored (neither missing nor extra)."""
    return subtract(pred, gaps(gold)) if len(gold) > 1 else pred


def overlap_longer(gold: Segments, pred: Segments) -> float:
    """Symmetric overlap: shared characters over the longer of the two."""
    pred = effective(gold, pred)
    longest = max(length(gold), length(pred))
    return overlap_len(gold, pred) / longest if longest else 0.0


def overlap_gold(gold: Segments, pred: Segments) -> float:
    """GenderGapTracker's score: shared characters over the gold (reference) length."""
    size = length(gold)
    return overlap_len(gold, pred) / size if size else 0.0


def exact(gold: Segments, pred: Segments) -> bool:
    """Same trimmed characters, the gold's interior gaps ignored."""
    return bool(gold) and effective(gold, pred) == gold


def exact_score(gold: Segments, pred: Segments) -> float:
    return 1.0 if exact(gold, pred) else 0.0


def match(
    gold: Sequence[Segments],
    pred: Sequence[Segments],
    score: Callable[[Segments, Segments], float],
    threshold: float,
) -> list[tuple[int, int]]:
    """One-to-one greedy matching, best score first; returns (gold index, pred index) pairs."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            value = score(g, p)
            if value > 0 and value >= threshold:
                candidates.append((-value, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def is_pronoun(source_text: str) -> bool:
    words = [w.strip(TRIM_CHARS + "()[]").lower() for w in source_text.split()]
    words = [w for w in words if w]
    return bool(words) and all(w in PRONOUNS for w in words)


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """One attribution as scored: content characters, speaker mention, cue, kind."""

    content: Segments
    source: Segments = ()
    cue: Segments = ()
    kind: str = "unknown"
    pronoun: bool = False


def gold_units(article: GoldArticle) -> tuple[list[Unit], int]:
    """Scored gold units and the number of attributions skipped for lacking content."""
    units = []
    skipped = 0
    for quote in article.quotes:
        content = normalize(article.text, quote.content)
        if not content:
            skipped += 1
            continue
        units.append(
            Unit(
                content=content,
                source=normalize(article.text, quote.source),
                cue=normalize(article.text, quote.cue),
                kind=quote.qtype or "unknown",
                pronoun=is_pronoun(quote.source_text),
            )
        )
    return units, skipped


def pred_units(text: str, quotes: Sequence[Quote]) -> list[Unit]:
    """Predicted units: quotes sharing one cue span are merged (see the module notes)."""
    groups: dict[object, list[Quote]] = {}
    for index, quote in enumerate(quotes):
        key: object = (
            ("cue", quote.cue_start, quote.cue_end)
            if quote.cue_start is not None and quote.cue_end is not None
            else ("alone", index)
        )
        groups.setdefault(key, []).append(quote)
    units = []
    for members in groups.values():
        content = normalize(text, [(q.start, q.end) for q in members])
        if not content:
            continue
        source = normalize(
            text,
            [
                (q.speaker_start, q.speaker_end)
                for q in members
                if q.speaker_start is not None and q.speaker_end is not None
            ],
        )
        cue_spans = [
            (q.cue_start, q.cue_end)
            for q in members
            if q.cue_start is not None and q.cue_end is not None
        ]
        kinds = {q.kind for q in members}
        kind = kinds.pop() if len(kinds) == 1 else "mixed"
        units.append(Unit(content, source, normalize(text, cue_spans), kind))
    return units


# ---------------------------------------------------------------- tallies

# name -> (score function, threshold); "overlap*" use the symmetric ratio, "ggt*" GGT's own.
SETTINGS: dict[str, tuple[Callable[[Segments, Segments], float], float]] = {
    "overlap30": (overlap_longer, 0.3),
    "overlap80": (overlap_longer, 0.8),
    "exact": (exact_score, 1.0),
    "ggt30": (overlap_gold, 0.3),
    "ggt80": (overlap_gold, 0.8),
}
SETTING_LABELS = {
    "overlap30": "content, overlap ≥ 30% of the longer span",
    "overlap80": "content, overlap ≥ 80% of the longer span",
    "exact": "content, exact (trimmed)",
    "ggt30": "content, overlap ≥ 30% of gold (GGT script)",
    "ggt80": "content, overlap ≥ 80% of gold (GGT script)",
}


@dataclass
class Tally:
    """Counts summed over articles; ratios are computed at the end."""

    gold: int = 0
    pred: int = 0
    skipped_gold: int = 0
    gold_by_kind: Counter[str] = field(default_factory=Counter)
    pred_by_kind: Counter[str] = field(default_factory=Counter)
    tp: Counter[str] = field(default_factory=Counter)  # setting -> matched pairs
    tp_gold_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    tp_pred_kind: Counter[tuple[str, str]] = field(default_factory=Counter)
    speaker: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    cue_gold: int = 0
    cue_pred: int = 0
    cue_tp: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.skipped_gold += other.skipped_gold
        self.cue_gold += other.cue_gold
        self.cue_pred += other.cue_pred
        self.gold_by_kind.update(other.gold_by_kind)
        self.pred_by_kind.update(other.pred_by_kind)
        self.tp.update(other.tp)
        self.tp_gold_kind.update(other.tp_gold_kind)
        self.tp_pred_kind.update(other.tp_pred_kind)
        self.speaker.update(other.speaker)
        self.cue_tp.update(other.cue_tp)


def score_units(gold: Sequence[Unit], pred: Sequence[Unit], skipped_gold: int = 0) -> Tally:
    """Tally one article's gold and predicted units under every setting."""
    tally = Tally(gold=len(gold), pred=len(pred), skipped_gold=skipped_gold)
    tally.gold_by_kind.update(u.kind for u in gold)
    tally.pred_by_kind.update(u.kind for u in pred)
    gold_content = [u.content for u in gold]
    pred_content = [u.content for u in pred]
    for name, (score, threshold) in SETTINGS.items():
        for gi, pi in match(gold_content, pred_content, score, threshold):
            g, p = gold[gi], pred[pi]
            tally.tp[name] += 1
            tally.tp_gold_kind[(name, g.kind)] += 1
            tally.tp_pred_kind[(name, p.kind)] += 1
            if g.source:
                group = "pronoun" if g.pronoun else "named"
                tally.speaker[(name, group, "total")] += 1
                if overlap_len(g.source, p.source) > 0:
                    tally.speaker[(name, group, "right")] += 1
            else:
                tally.speaker[(name, "no_gold_source", "total")] += 1
    gold_cues = sorted({u.cue for u in gold if u.cue})
    pred_cues = sorted({u.cue for u in pred if u.cue})
    tally.cue_gold = len(gold_cues)
    tally.cue_pred = len(pred_cues)
    tally.cue_tp["exact"] = len(match(gold_cues, pred_cues, exact_score, 1.0))
    tally.cue_tp["overlap"] = len(match(gold_cues, pred_cues, overlap_longer, 0.0))
    return tally


def score_article(article: GoldArticle, quotes: Sequence[Quote]) -> Tally:
    gold, skipped = gold_units(article)
    return score_units(gold, pred_units(article.text, quotes), skipped)


# ---------------------------------------------------------------- figures


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _ratio(right: int, total: int) -> float | None:
    return right / total if total else None


def figures(tally: Tally) -> dict[str, Any]:
    """Every figure of a tally, as plain JSON-able data."""
    content: dict[str, Any] = {}
    for name in SETTINGS:
        tp = tally.tp[name]
        entry: dict[str, Any] = {"tp": tp, **prf(tp, tally.pred, tally.gold)}
        speaker: dict[str, Any] = {}
        for group in ("named", "pronoun"):
            right = tally.speaker[(name, group, "right")]
            total = tally.speaker[(name, group, "total")]
            speaker[group] = {"right": right, "total": total, "accuracy": _ratio(right, total)}
        right = sum(speaker[g]["right"] for g in ("named", "pronoun"))
        total = sum(speaker[g]["total"] for g in ("named", "pronoun"))
        speaker["all"] = {"right": right, "total": total, "accuracy": _ratio(right, total)}
        speaker["matched_without_gold_source"] = tally.speaker[(name, "no_gold_source", "total")]
        entry["speaker"] = speaker
        recall_by_type = {
            kind: {
                "gold": tally.gold_by_kind[kind],
                "matched": tally.tp_gold_kind[(name, kind)],
                "recall": _ratio(tally.tp_gold_kind[(name, kind)], tally.gold_by_kind[kind]),
            }
            for kind in sorted(set(GOLD_TYPES) | set(tally.gold_by_kind))
        }
        precision_by_kind = {
            kind: {
                "pred": tally.pred_by_kind[kind],
                "matched": tally.tp_pred_kind[(name, kind)],
                "precision": _ratio(tally.tp_pred_kind[(name, kind)], tally.pred_by_kind[kind]),
            }
            for kind in sorted(set(PRED_KINDS) | set(tally.pred_by_kind))
        }
        f1_by_kind = {}
        for kind, gold_kinds in KIND_PAIRS.items():
            n_gold = sum(tally.gold_by_kind[k] for k in gold_kinds)
            matched_gold = sum(tally.tp_gold_kind[(name, k)] for k in gold_kinds)
            n_pred = tally.pred_by_kind[kind]
            matched_pred = tally.tp_pred_kind[(name, kind)]
            precision = matched_pred / n_pred if n_pred else 0.0
            recall = matched_gold / n_gold if n_gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            f1_by_kind[kind] = {"precision": precision, "recall": recall, "f1": f1}
        entry["recall_by_gold_type"] = recall_by_type
        entry["precision_by_pred_kind"] = precision_by_kind
        entry["f1_by_kind"] = f1_by_kind
        content[name] = entry
    cue = {
        name: {"tp": tally.cue_tp[name], **prf(tally.cue_tp[name], tally.cue_pred, tally.cue_gold)}
        for name in ("exact", "overlap")
    }
    return {
        "gold_quotes": tally.gold,
        "gold_skipped_without_content": tally.skipped_gold,
        "predicted_units": tally.pred,
        "content": content,
        "cue": {"gold": tally.cue_gold, "pred": tally.cue_pred, **cue},
    }
