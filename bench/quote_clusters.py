"""The same quote across outlets: cluster precision/recall on a written gold set.

command: .venv/bin/python bench/quote_clusters.py                 (dev)
         .venv/bin/python bench/quote_clusters.py --split test    (report)

Gold (bench/data/quote_cluster_gold.json, fictional): short articles of one story by several
outlets, every quotation's content marked ``{{content|cluster key|speaker key}}``. One cluster
key is one statement by one speaker, however each outlet renders it (verbatim, trimmed,
re-punctuated, partly quoted, reported indirectly, translated differently); distractors are
the same speaker saying other things, other speakers saying near-identical words, reversals.
The set was written by an engineer who had not read the clustering code.

Two views in one run, both over gold quotes, scored on pairs of quotes (pairwise P/R/F1: a
pair is a merge) and per quote (BCubed P/R/F1):

  clusters alone  the gold quotes themselves (span, text, speaker's full name, kind from the
                  marks, date) given to ``cluster_quotes``: the clustering step's own accuracy.
                  Beside it, on the same quotes: ``exact`` (same normalised words and speaker)
                  and ``rapidfuzz`` (single link over ``token_set_ratio`` of the texts at a
                  threshold chosen for the best pairwise F1 on dev).
  end to end      the articles through ``pipeline.run`` into a temporary SQLite file (clean,
                  parse, quote extraction and speakers, then the link pass that clusters); each
                  gold quote takes the cluster of the extracted quote overlapping it most (at
                  least half of the shorter span); a gold quote nothing matches stays alone, so
                  extraction misses cost recall here, as they do a user.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.model import Quote  # noqa: E402
from newstrace.pipeline import run  # noqa: E402
from newstrace.quote_clusters import cluster_quotes  # noqa: E402
from newstrace.store import Store  # noqa: E402

DEFAULT_GOLD = ROOT / "bench" / "data" / "quote_cluster_gold.json"
MARK = re.compile(r"\{\{([^|{}]+)\|([^|{}]+)\|([^|{}]+)\}\}")
_OPEN_MARKS = "\"“‘'«"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldQuote:
    article: str
    start: int
    end: int
    text: str
    cluster: str  # set-qualified, so keys never meet across sets
    speaker: str  # the speaker's full name
    kind: str


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    outlet: str | None
    published: str | None


def load(path: Path, split: str) -> tuple[list[GoldArticle], list[GoldQuote]]:
    data = json.loads(path.read_text("utf-8"))
    articles: list[GoldArticle] = []
    quotes: list[GoldQuote] = []
    for entry in data["sets"]:
        if entry["split"] != split:
            continue
        names: Mapping[str, str] = entry["speakers"]
        for article in entry["articles"]:
            marked, text, cursor = article["text"], "", 0
            for found in MARK.finditer(marked):
                text += marked[cursor : found.start()]
                content, key, speaker = found.groups()
                quotes.append(
                    GoldQuote(
                        article["id"],
                        len(text),
                        len(text) + len(content),
                        content,
                        f"{entry['set']}/{key}",
                        names[speaker],
                        _kind(text, content),
                    )
                )
                text += content
                cursor = found.end()
            text += marked[cursor:]
            articles.append(
                GoldArticle(article["id"], text, article.get("outlet"), article.get("published"))
            )
    return articles, quotes


def _kind(before: str, content: str) -> str:
    if before.rstrip(" ")[-1:] in _OPEN_MARKS:
        return "direct"
    return "mixed" if any(mark in content for mark in '"“”') else "indirect"


# -- scores ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    pair_p: float
    pair_r: float
    pair_f: float
    b3_p: float
    b3_r: float
    b3_f: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Pairwise and BCubed scores of ``predicted`` labels against ``gold`` labels (one each
    per quote, same order)."""
    n = len(gold)
    same_gold = {(i, j) for i, j in combinations(range(n), 2) if gold[i] == gold[j]}
    same_pred = {(i, j) for i, j in combinations(range(n), 2) if predicted[i] == predicted[j]}
    hit = len(same_gold & same_pred)
    pair_p = hit / len(same_pred) if same_pred else 1.0
    pair_r = hit / len(same_gold) if same_gold else 1.0
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i in range(n):
        by_gold[gold[i]].add(i)
        by_pred[predicted[i]].add(i)
    b3_p = (
        sum(
            len(by_gold[gold[i]] & by_pred[predicted[i]]) / len(by_pred[predicted[i]])
            for i in range(n)
        )
        / n
    )
    b3_r = (
        sum(len(by_gold[gold[i]] & by_pred[predicted[i]]) / len(by_gold[gold[i]]) for i in range(n))
        / n
    )
    return Scores(pair_p, pair_r, _f1(pair_p, pair_r), b3_p, b3_r, _f1(b3_p, b3_r))


# -- systems over the gold quotes ---------------------------------------------------------


def newstrace_alone(articles: Sequence[GoldArticle], quotes: Sequence[GoldQuote]) -> list[str]:
    by_article: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_article[q.article].append(
            Quote(q.article, q.start, q.end, q.text, q.kind, speaker=q.speaker, confidence=1.0)
        )
    published = {a.id: a.published for a in articles}
    clustered, _ = cluster_quotes(
        (by_article[a.id], published[a.id]) for a in articles if by_article[a.id]
    )
    label = {
        (q.article, q.start, q.end): q.cluster or f"alone:{n}" for n, q in enumerate(clustered)
    }
    return [label[(q.article, q.start, q.end)] for q in quotes]


def _normalised(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def exact(quotes: Sequence[GoldQuote]) -> list[str]:
    return [f"{q.speaker}|{_normalised(q.text)}" for q in quotes]


def rapidfuzz_links(quotes: Sequence[GoldQuote], threshold: float) -> list[str]:
    """Single link over pairs whose texts' token_set_ratio reaches ``threshold``."""
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [_normalised(q.text) for q in quotes]
    for i, j in combinations(range(len(quotes)), 2):
        if fuzz.token_set_ratio(texts[i], texts[j]) >= threshold:
            parent[find(i)] = find(j)
    return [str(find(i)) for i in range(len(quotes))]


def best_threshold(quotes: Sequence[GoldQuote]) -> float:
    gold = [q.cluster for q in quotes]
    candidates = [float(t) for t in range(40, 101, 5)]
    return max(candidates, key=lambda t: score(gold, rapidfuzz_links(quotes, t)).pair_f)


# -- end to end -----------------------------------------------------------------------------


def end_to_end(
    articles: Sequence[GoldArticle], quotes: Sequence[GoldQuote]
) -> tuple[list[str], dict[str, float]]:
    """Each gold quote's cluster as the whole pipeline stores it, and extraction counts."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "articles.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for a in articles:
                record = {"id": a.id, "text": a.text, "outlet": a.outlet, "published": a.published}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        with Store.open(str(Path(folder) / "bench.db")) as store:
            report = run([str(source)], store)
            if report.failures:
                raise SystemExit(f"pipeline failed on: {report.failures}")
            stored_text = {a.id: a.text for a in store.articles()}
            predicted = list(store.quotes())
        seconds = time.perf_counter() - started
    ids = _stored_ids(articles, stored_text)
    shifts = {a.id: _aligner(a.text, stored_text[ids[a.id]]) for a in articles}
    by_article: dict[str, list[Quote]] = defaultdict(list)
    for quote in predicted:
        by_article[quote.article].append(quote)
    labels, matched = [], 0
    for n, gold in enumerate(quotes):
        start, end = shifts[gold.article](gold.start), shifts[gold.article](gold.end)
        best = max(
            by_article[ids[gold.article]],
            key=lambda q: min(end, q.end) - max(start, q.start),
            default=None,
        )
        overlap = min(end, best.end) - max(start, best.start) if best else 0
        if best is not None and overlap >= 0.5 * min(end - start, best.end - best.start):
            matched += 1
            labels.append(best.cluster or f"alone:{best.article}:{best.start}")
        else:
            labels.append(f"missed:{n}")
    counts = {
        "gold quotes": float(len(quotes)),
        "matched by an extracted quote": float(matched),
        "extracted quotes": float(len(predicted)),
        "pipeline seconds": seconds,
    }
    return labels, counts


def _stored_ids(articles: Sequence[GoldArticle], stored: Mapping[str, str]) -> dict[str, str]:
    """Gold article id -> stored id (the JSONL id, possibly qualified by its file)."""
    found = {}
    for a in articles:
        hits = [s for s in stored if s == a.id or s.endswith(f"#{a.id}") or s.endswith(a.id)]
        if len(hits) != 1:
            raise SystemExit(f"article {a.id!r}: {len(hits)} stored ids match")
        found[a.id] = hits[0]
    return found


def _aligner(original: str, cleaned: str) -> Callable[[int], int]:
    """Map offsets of the gold text to the cleaned text (cleaning may trim or fold spaces)."""
    if original == cleaned:
        return lambda offset: offset
    mapping: list[int] = []
    j = 0
    for char in original:
        while j < len(cleaned) and cleaned[j] != char and not char.isspace():
            j += 1
        mapping.append(j)
        if j < len(cleaned) and cleaned[j] == char:
            j += 1
    mapping.append(j)
    return lambda offset: mapping[offset]


def recall_by_kinds(
    quotes: Sequence[GoldQuote], predicted: Sequence[str]
) -> dict[str, tuple[int, int]]:
    """Gold pairs found / gold pairs, by the two quotes' kinds (direct-indirect: one outlet
    quoted the words, another reported them)."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, j in combinations(range(len(quotes)), 2):
        if quotes[i].cluster != quotes[j].cluster:
            continue
        kinds = "-".join(sorted((quotes[i].kind, quotes[j].kind)))
        found[kinds][1] += 1
        found[kinds][0] += predicted[i] == predicted[j]
    return {kinds: (hit, total) for kinds, (hit, total) in sorted(found.items())}


# -- report ---------------------------------------------------------------------------------


def _row(name: str, s: Scores) -> str:
    cells = [s.pair_p, s.pair_r, s.pair_f, s.b3_p, s.b3_r, s.b3_f]
    return f"| {name} | " + " | ".join(f"{v:.3f}" for v in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    args = parser.parse_args()
    articles, quotes = load(args.gold, args.split)
    _, dev_quotes = load(args.gold, "dev")
    gold = [q.cluster for q in quotes]
    clusters = len(set(gold))
    print(f"command: .venv/bin/python bench/quote_clusters.py --split {args.split}")
    print(
        f"{args.split}: {len(articles)} articles, {len(quotes)} gold quotes, {clusters} clusters "
        f"({sum(1 for c in set(gold) if gold.count(c) > 1)} with 2 or more quotes), "
        f"{sum(1 for i, j in combinations(gold, 2) if i == j)} gold pairs"
    )
    threshold = best_threshold(dev_quotes)
    systems = {
        "newstrace, clusters alone (gold quotes)": newstrace_alone(articles, quotes),
        "exact (same words, same speaker)": exact(quotes),
        f"rapidfuzz token_set_ratio >= {threshold:.0f} (dev-best)": rapidfuzz_links(
            quotes, threshold
        ),
    }
    e2e, counts = end_to_end(articles, quotes)
    systems["newstrace, end to end (extracted quotes)"] = e2e
    print()
    print("| system | pair P | pair R | pair F1 | BCubed P | BCubed R | BCubed F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, labels in systems.items():
        print(_row(name, score(gold, labels)))
    print()
    print("Pair recall by the two quotes' kinds (found / gold pairs):")
    print()
    names = list(systems)
    print("| kinds | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    tables = [recall_by_kinds(quotes, systems[name]) for name in names]
    for kinds in tables[0]:
        cells = [f"{t[kinds][0] / t[kinds][1]:.3f} ({t[kinds][0]}/{t[kinds][1]})" for t in tables]
        print(f"| {kinds} | " + " | ".join(cells) + " |")
    print()
    print(
        "end to end: "
        + ", ".join(
            f"{name} {value:.0f}" if name != "pipeline seconds" else f"{name} {value:.1f}"
            for name, value in counts.items()
        )
    )


if __name__ == "__main__":
    main()
