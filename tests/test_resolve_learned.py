"""The learned pair scorer after the resolver's rules, on fictional articles."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from newstrace.resolve import EntityIndex
from newstrace.resolve.learned import (
    FEATURE_VERSION,
    FEATURES,
    Clusters,
    Edge,
    LearnedLinker,
    PairModel,
    load_model,
    model_from_json,
    one_owner,
)
from newstrace.resolve.node import NodeId, _Article, _Node
from resolve_helpers import Article, article, entity_of

TALVEX = [
    article(
        "t1",
        "Talvex Minerals said on Monday it would close the Dunmore mine. Chief executive Ilse "
        "Marwick blamed prices. Petra Osk of the miners' union was angry.",
        {"Talvex Minerals": "ORG", "Dunmore": "GPE", "Ilse Marwick": "PERSON",
         "Petra Osk": "PERSON"},
    ),
    article(
        "t2",
        "Talvex said the Dunmore closure would cost 300 jobs. Union leader Petra Osk called it a "
        "betrayal. Ilse Marwick declined to comment.",
        {"Talvex": "ORG", "Dunmore": "GPE", "Petra Osk": "PERSON", "Ilse Marwick": "PERSON"},
    ),
]  # fmt: skip

BRANNOCH = [
    article(
        "k1",
        "Duncan Brannoch chairs the Kelvar board. Anneli Vosk spoke for the port of Mirrow.",
        {"Duncan Brannoch": "PERSON", "Kelvar": "ORG", "Anneli Vosk": "PERSON",
         "Mirrow": "GPE"},
    ),
    article(
        "k2",
        "Celia Brannoch, a trustee of Kelvar, said the port of Mirrow would reopen. Anneli Vosk "
        "agreed.",
        {"Celia Brannoch": "PERSON", "Kelvar": "ORG", "Anneli Vosk": "PERSON",
         "Mirrow": "GPE"},
    ),
]  # fmt: skip


RIVALS = [
    article(
        "r1",
        "Marek Dolny, the Orlen Vale mayor, met Ilse Marwick and Petra Osk.",
        {"Marek Dolny": "PERSON", "Orlen Vale": "GPE", "Ilse Marwick": "PERSON",
         "Petra Osk": "PERSON"},
    ),
    article(
        "r2",
        "Marek Doubek opened the Orlen Vale fair with Ilse Marwick and Petra Osk.",
        {"Marek Doubek": "PERSON", "Orlen Vale": "GPE", "Ilse Marwick": "PERSON",
         "Petra Osk": "PERSON"},
    ),
    article(
        "r5",
        "Marta Varro chaired the Orlen Vale council; Ilse Marwick and Petra Osk spoke.",
        {"Marta Varro": "PERSON", "Orlen Vale": "GPE", "Ilse Marwick": "PERSON",
         "Petra Osk": "PERSON"},
    ),
    article(
        "r6",
        "J. K. Varro wrote to Orlen Vale; Petra Osk and Ilse Marwick replied.",
        {"J. K. Varro": "PERSON", "Orlen Vale": "GPE", "Ilse Marwick": "PERSON",
         "Petra Osk": "PERSON"},
    ),
    article("r3", "Ivo Raskin won the Tallow Cup.", {"Ivo Raskin": "PERSON"}),
    article("r4", "Ivo Raskine lost in Brenford.", {"Ivo Raskine": "PERSON", "Brenford": "GPE"}),
]  # fmt: skip


def overlap_model(threshold: float = 0.5) -> PairModel:
    """A hand-made model: the names' shared words are all it looks at (a third or more)."""
    weights = tuple(20.0 if name == "token_jaccard" else 0.0 for name in FEATURES)
    n = len(FEATURES)
    return PairModel(weights, -5.0, (0.0,) * n, (1.0,) * n, threshold)


def resolve(articles: list[Article], learner: LearnedLinker | None) -> EntityIndex:
    index = EntityIndex(learner)
    index.add_articles((aid, text, mentions, None) for aid, text, mentions in articles)
    return index


def test_learned_edge_joins_what_the_rules_leave_apart() -> None:
    for learner in (None, LearnedLinker(None, gated=False)):
        rules_only = resolve(TALVEX, learner).entities()
        assert entity_of(rules_only, "Talvex").id != entity_of(rules_only, "Talvex Minerals").id
    joined = resolve(TALVEX, LearnedLinker(overlap_model(), gated=False)).entities()
    entity = entity_of(joined, "Talvex")
    assert entity.id == entity_of(joined, "Talvex Minerals").id
    assert any(e.startswith("learned pair score") for e in entity.evidence)


def test_guards_still_apply_to_learned_edges() -> None:
    # Duncan and Celia Brannoch share a surname and context; first names disagree.
    entities = resolve(BRANNOCH, LearnedLinker(overlap_model(0.0), gated=False)).entities()
    assert entity_of(entities, "Duncan Brannoch").id != entity_of(entities, "Celia Brannoch").id


def test_below_the_threshold_nothing_is_learned() -> None:
    entities = resolve(TALVEX, LearnedLinker(overlap_model(0.999), gated=False)).entities()
    assert entity_of(entities, "Talvex").id != entity_of(entities, "Talvex Minerals").id


def test_learned_merges_do_not_depend_on_article_order() -> None:
    articles = [*TALVEX, *BRANNOCH]
    runs = []
    for order in itertools.permutations(articles):
        index = EntityIndex(LearnedLinker(overlap_model(), gated=False))
        for aid, text, mentions in order:  # one by one: the incremental path
            index.add_article(aid, text, mentions)
        runs.append(sorted((e.id, tuple(e.mentions)) for e in index.entities()))
    assert all(run == runs[0] for run in runs)
    batch = resolve(articles, LearnedLinker(overlap_model(), gated=False)).entities()
    assert sorted((e.id, tuple(e.mentions)) for e in batch) == runs[0]


def test_a_node_whose_candidates_reach_two_clusters_gets_none() -> None:
    a, b, c, d, e = ("x", 0), ("y", 0), ("z", 0), ("w", 0), ("v", 0)
    edges = [(a, b, [1.0]), (a, c, [0.0]), (d, e, [1.0])]
    assert one_owner(edges, {n: n for n in (a, b, c, d, e)}) == edges[2:]
    # the same two targets in one rule cluster: one owner
    assert one_owner(edges, {a: a, b: b, c: b, d: d, e: e}) == edges


def test_a_model_file_round_trips_and_a_stale_one_is_refused(tmp_path: Path) -> None:
    data = overlap_model().to_json()
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    assert load_model(path) == overlap_model()
    with pytest.raises(ValueError, match="stale"):
        model_from_json({**data, "feature_version": FEATURE_VERSION - 1})
    with pytest.raises(ValueError, match="stale"):
        model_from_json({**data, "features": list(FEATURES[:-1])})


def test_gates_keep_short_forms_and_context_free_pairs_from_the_model() -> None:
    """What real news showed wrong: a name inside a longer one (Talvex / Talvex Minerals),
    one given name with another surname (Marek Dolny / Marek Doubek), initials that do not
    fit (J. K. Varro / Marta Varro), a pair whose articles share no one (Ivo Raskin / Ivo
    Raskine)."""
    ungated = candidates([*TALVEX, *RIVALS], gated=False)
    assert {
        ("Talvex", "Talvex Minerals"),
        ("Marek Dolny", "Marek Doubek"),
        ("J. K. Varro", "Marta Varro"),
        ("Ivo Raskin", "Ivo Raskine"),
    } <= ungated
    assert not candidates([*TALVEX, *RIVALS], gated=True)


def candidates(articles: list[Article], gated: bool) -> set[tuple[str, str]]:
    """The pairs a learned stage would score after the rules, by their names."""
    found: set[tuple[str, str]] = set()

    class Spy(LearnedLinker):
        def edges(
            self,
            pairs: list[tuple[NodeId, NodeId]],
            nodes: dict[NodeId, _Node],
            records: dict[str, _Article],
            peers: dict[NodeId, list[_Node]],
            clusters: Clusters,
        ) -> list[Edge]:
            for left, right, _ in self.candidates(pairs, nodes, records, peers, clusters):
                shown = sorted((nodes[left].display, nodes[right].display))
                found.add((shown[0], shown[1]))
            return []

    resolve(articles, Spy(None, gated))
    return found
