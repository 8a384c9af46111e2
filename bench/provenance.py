"""Provenance benchmark: who copied whom, on ECB+ originals and seeded derivatives of them.

Data: the ECB+ articles of one split (``dev`` for tuning, ``test`` for the reported figure)
as originals, plus ``bench/derivatives.py``'s seeded derivatives of each (duplicate,
near-duplicate x2, rewrite, spun x2). No dates are given, so the original is named from
evidence alone (fluency, garbling, credit lines, containment), and the articles arrive in a
seeded random order, so copies often arrive before their originals.

Each article is parsed once with ``load_nlp()``: its sentence spans feed the alignment and
``newstrace.quality.score_quality`` gives the spun score the relation uses
(``--no-quality``: regex sentences and no spun score, the fallback path).

Scores (over the FINAL link set, ``ProvenanceIndex.links()``, with opaque article ids)
- per level (duplicate, near-duplicate, rewrite, spun): pair P/R/F1 over (derivative,
  original) pairs; a predicted link counts for the level it names. Links between
  derivatives of one original (siblings) and between ECB+ natural near-copies (the TSV,
  Jaccard >= 0.3 or containment >= 0.5) and their derivatives are neither right nor wrong.
- confusion matrix: gold level x predicted relation of the gold pair, plus "no link".
- original named: share of linked gold pairs whose original is the right one.
- spun flag P/R: relation ``spun`` against gold level ``spun`` over all links.
- false links across gold stories; false links between two independent ECB+ articles of one
  story (not in the natural-pairs TSV).
- the natural ECB+ copies with 5-gram Jaccard >= 0.5 inside the split: how many linked
  directly, and how many sit in one provenance tree (near-copies of a third article).
- peer: datasketch ``MinHashLSH`` over the same MinHash signatures, at each threshold of
  0.1..0.9, a pair linked when LSH returns it and the estimated Jaccard passes the threshold;
  its best threshold by overall pair F1 on the same split (optimistic for the peer).

Usage:  .venv/bin/python bench/provenance.py --split dev [--seed 7] [--no-quality] [--limit N]
        [--cache /tmp/NAME/prov]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import random
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from datasketch import MinHashLSH

from derivatives import NATURAL_PAIRS, generate, load_ecbplus
from newstrace.provenance import ProvenanceDoc, ProvenanceIndex
from newstrace.provenance.fingerprint import fingerprint
from newstrace.provenance.relation import RELATIONS

Pair = frozenset[str]


def _components(pairs: Iterable[Pair]) -> dict[str, str]:
    """Each linked article's provenance tree (a representative member): a pair of
    near-copies that each copy a third article are linked through it, as the briefing's tree
    shows them, though one original per copy cannot link them to each other directly."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for pair in pairs:
        a, b = tuple(pair)
        parent[find(a)] = find(b)
    return {item: find(item) for item in parent}


def natural_pairs(path: Path = NATURAL_PAIRS) -> tuple[set[Pair], set[Pair]]:
    """(all listed pairs, pairs with Jaccard >= 0.5)."""
    listed: set[Pair] = set()
    strong: set[Pair] = set()
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            pair = frozenset(cols[:2])
            listed.add(pair)
            if float(cols[2]) >= 0.5:
                strong.add(pair)
    return listed, strong


def prepare_docs(
    texts: dict[str, str], use_quality: bool, cache: Path | None = None
) -> dict[str, ProvenanceDoc]:
    """Parse each text once; with ``cache``, the parses are kept there (keyed by the texts)
    and only re-scored on a later run, so a retuned spun score costs no parse."""
    if not use_quality:
        return {i: ProvenanceDoc(i, t) for i, t in texts.items()}
    from newstrace.quality import score_quality
    from parse_cache import parse_cached

    ids = list(texts)
    docs = parse_cached([texts[i] for i in ids], cache, "parses")
    out = {}
    for doc_id, doc in zip(ids, docs, strict=True):
        sents = tuple((s.start_char, s.end_char) for s in doc.sents)
        out[doc_id] = ProvenanceDoc(
            doc_id, texts[doc_id], None, sents, (), score_quality(doc.text, doc).spun_score
        )
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--cache", type=Path, default=None, help="folder for parses reused across runs")
    ap.add_argument(
        "--order",
        choices=("shuffled", "originals-first"),
        default="shuffled",
        help="arrival order: all shuffled, or originals first (each group shuffled)",
    )
    args = ap.parse_args()
    command = ["bench/provenance.py", *map(shlex.quote, sys.argv[1:])]
    print(f"`.venv/bin/python {' '.join(command)}`")

    rows = load_ecbplus(args.split)
    if args.limit:
        rows = rows[: args.limit]
    story = {str(r["doc_id"]): str(r["subtopic"]) for r in rows}
    derivs = generate([(str(r["doc_id"]), str(r["text"])) for r in rows], seed=args.seed)
    texts = {str(r["doc_id"]): str(r["text"]) for r in rows}
    root: dict[str, str] = {i: i for i in texts}
    level: dict[Pair, str] = {}
    for d in derivs:
        texts[d.id] = d.text
        root[d.id] = d.original_id
        level[frozenset((d.id, d.original_id))] = d.level
    listed, strong = natural_pairs()
    listed = {p for p in listed if p <= set(story)}
    strong = {p for p in strong if p <= set(story)}

    t0 = time.perf_counter()
    docs = prepare_docs(texts, not args.no_quality, args.cache)
    t_parse = time.perf_counter() - t0
    order = list(texts)
    random.Random(args.seed).shuffle(order)
    if args.order == "originals-first":
        order.sort(key=lambda i: root[i] != i)

    t0 = time.perf_counter()
    fps = {i: fingerprint(docs[i].text, docs[i].sentences) for i in order}
    t_fp = time.perf_counter() - t0
    # Opaque ids: a derivative's id extends its original's ("X~garble"), so any rule that
    # orders by id would otherwise read the answer off the id.
    alias = {i: hashlib.sha1(f"{args.seed}:{i}".encode()).hexdigest()[:16] for i in order}
    back = {a: i for i, a in alias.items()}
    index = ProvenanceIndex(args.threshold)
    returned = 0
    t0 = time.perf_counter()
    for i in order:
        returned += len(index.add(dataclasses.replace(docs[i], id=alias[i]), fps[i]))
    t_link = time.perf_counter() - t0
    # Score the final link set (what the link stage stores), not the stream add() returned.
    links = [
        dataclasses.replace(x, copy=back[x.copy], original=back[x.original]) for x in index.links()
    ]

    def neutral(pair: Pair) -> bool:
        a, b = tuple(pair)
        ra, rb = root[a], root[b]
        return (ra == rb and pair not in level) or frozenset((ra, rb)) in listed

    counts = {lv: Counter() for lv in RELATIONS}
    predicted: dict[Pair, tuple[str, str]] = {}
    cross = same_story = 0
    for link in links:
        pair = frozenset((link.copy, link.original))
        predicted[pair] = (link.relation, link.original)
        if story[root[link.copy]] != story[root[link.original]]:
            cross += 1
        elif pair not in level and not neutral(pair):
            same_story += 1
        if pair in level:
            gold = level[pair]
            if link.relation == gold:
                counts[gold]["tp"] += 1
            else:
                counts[link.relation]["fp"] += 1
        elif not neutral(pair):
            counts[link.relation]["fp"] += 1
    for pair, gold in level.items():
        if predicted.get(pair, ("",))[0] != gold:
            counts[gold]["fn"] += 1

    orig_of = {frozenset((d.id, d.original_id)): d.original_id for d in derivs}
    linked_gold = [p for p in level if p in predicted]
    named = sum(1 for p in linked_gold if predicted[p][1] == orig_of[p])
    spun_tp = sum(1 for p, (r, _) in predicted.items() if r == "spun" and level.get(p) == "spun")
    spun_pred = sum(1 for r, _ in predicted.values() if r == "spun")
    spun_gold = sum(1 for lv in level.values() if lv == "spun")
    strong_linked = sum(1 for p in strong if p in predicted)
    tree = _components(predicted)
    strong_in_tree = sum(1 for p in strong if len({tree.get(i, i) for i in p}) == 1)

    n = len(order)
    print(
        f"\nsplit {args.split}: {len(rows)} originals, {len(derivs)} derivatives, seed "
        f"{args.seed}, arrival {args.order}, "
        f"spun score {'off' if args.no_quality else 'newstrace.quality'}; "
        f"parse+quality {t_parse:.1f}s, fingerprints {t_fp:.1f}s "
        f"({1000 * t_fp / n:.2f} ms/article), index+link {t_link:.1f}s "
        f"({1000 * t_link / n:.2f} ms/article); {len(links)} final links "
        f"({returned} returned by add, re-pointings included)\n"
    )
    print("| level | P | R | F1 | gold pairs | linked at any level |")
    print("| --- | --- | --- | --- | --- | --- |")
    for lv in RELATIONS:
        c = counts[lv]
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        gold_n = sum(1 for v in level.values() if v == lv)
        any_n = sum(1 for q, v in level.items() if v == lv and q in predicted)
        print(f"| {lv} | {p:.3f} | {r:.3f} | {f:.3f} | {gold_n} | {any_n} |")
    confusion = Counter((gold, predicted.get(p, ("no link",))[0]) for p, gold in level.items())
    columns = [*RELATIONS, "no link"]
    print("\n| gold \\ predicted | " + " | ".join(columns) + " |")
    print("| --- " * (len(columns) + 1) + "|")
    for lv in RELATIONS:
        print(f"| {lv} | " + " | ".join(str(confusion[(lv, c)]) for c in columns) + " |")
    by_variant = defaultdict(Counter)
    for d in derivs:
        pr = predicted.get(frozenset((d.id, d.original_id)), ("none", ""))[0]
        by_variant[d.variant][pr] += 1
    print(f"by variant: { {k: dict(v) for k, v in by_variant.items()} }")
    print(f"\noriginal named: {named}/{len(linked_gold)} = {named / max(1, len(linked_gold)):.3f}")
    sp, sr, _ = prf(spun_tp, spun_pred - spun_tp, spun_gold - spun_tp)
    print(f"spun flag: P {sp:.3f} R {sr:.3f} ({spun_tp}/{spun_pred} predicted, {spun_gold} gold)")
    print(
        f"false links across gold stories: {cross}; between same-story independent "
        f"reports: {same_story}"
    )
    print(
        f"natural ECB+ copies (5-gram Jaccard >= 0.5) linked: {strong_linked}/{len(strong)} "
        f"directly, {strong_in_tree}/{len(strong)} in one provenance tree"
    )
    indep = sum(
        1
        for a in story
        for b in story
        if a < b and story[a] == story[b] and frozenset((a, b)) not in listed
    )
    print(f"(same-story independent original pairs in the split: {indep})")

    # Peer: datasketch MinHashLSH at each threshold, same signatures.
    mhs = {i: fps[i].to_minhash() for i in order}
    gold_any = set(level)
    print(
        "\n| datasketch MinHashLSH threshold | P | R | F1 | cross-story | same-story indep. | "
        "natural >= 0.5 | recall dup / near / rewrite / spun |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    best = None
    for th in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        lsh = MinHashLSH(threshold=th, num_perm=len(fps[order[0]].minhash))
        pairs: set[Pair] = set()
        for i in order:
            for j in lsh.query(mhs[i]):
                if mhs[i].jaccard(mhs[j]) >= th:
                    pairs.add(frozenset((i, j)))
            lsh.insert(i, mhs[i])
        tp = len(pairs & gold_any)
        fp = sum(1 for q in pairs - gold_any if not neutral(q))
        p, r, f = prf(tp, fp, len(gold_any) - tp)
        xs = sum(1 for q in pairs if len({story[root[x]] for x in q}) > 1)
        ss = sum(1 for q in pairs if q <= set(story) and q not in listed)
        rec = [
            sum(1 for q, v in level.items() if v == lv and q in pairs)
            / max(1, sum(1 for v in level.values() if v == lv))
            for lv in RELATIONS
        ]
        nat = sum(1 for q in strong if q in pairs)
        print(
            f"| {th} | {p:.3f} | {r:.3f} | {f:.3f} | {xs} | {ss} | {nat}/{len(strong)} | "
            + " / ".join(f"{x:.2f}" for x in rec)
            + " |"
        )
        if best is None or f > best[1]:
            best = (th, f)
    tp_all = len(set(predicted) & gold_any)
    fp_all = sum(1 for q in set(predicted) - gold_any if not neutral(q))
    p, r, f = prf(tp_all, fp_all, len(gold_any) - tp_all)
    print(
        f"\nnewstrace, any level: P {p:.3f} R {r:.3f} F1 {f:.3f}; "
        f"datasketch best threshold {best[0] if best else '-'} F1 {best[1] if best else 0:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
