"""A learned pair scorer for the pairs the tiered rules leave apart (opt-in, not default).

After the rules' clustering, each blocked pair of local entities of two articles that the
rules did not join, and whose names and context allow it (``eligible``), is scored by a
logistic regression over dense evidence the resolver already computes (name likeness of
several kinds, keys, initials, given-name agreement, context: story, roles, how many other
entities the two articles share); a pair at or above the model's threshold becomes a merge
of the last tier, under the same cannot-link guards. Candidates are the index's blocked
pairs of one component and features depend only on that component, so the incremental run
still equals the batch run. ``scripts/train_entity_pairs.py`` fits a model on the gold
set's read splits and reports leave-one-split-out figures.

Not on by default (``EntityIndex(learner=...)``): on the gold set the pairs the rules miss
are mostly pairs without the rules' context, and merging those on name evidence alone made
mostly wrong merges on real news (Rick Snyder / Rick Scott, China / Cigna, Iowa / Iowa State
Fair); with the gates of ``eligible`` the held-out gain is nil (bench/RESULTS.md, session 13).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from newstrace.resolve.keys import fold, givens_agree, sound_key
from newstrace.resolve.node import NodeId, _Article, _Node
from newstrace.resolve.persons import initials_fit, loose_surnames, roles_conflict

FEATURE_VERSION = 1  # bump whenever ``FEATURES`` or their meaning change: retrain
LEARNED_TIER = 5  # after every rule's tier
MAX_PEER_ARTICLES = 8  # articles of a same-name group looked at for context

FEATURES = (
    "both_person",
    "both_org",
    "both_place",
    "both_full",
    "one_bare",
    "ratio",
    "token_sort",
    "partial",
    "surname_jw",
    "given_jw",
    "first_key_same",
    "givens_agree",
    "sound_key_same",
    "loose_surname",
    "initials_fit",
    "token_jaccard",
    "last_word_same",
    "nested",
    "unmatched_words",
    "acronym_fit",
    "same_story",
    "shared_entities",
    "shared_role",
    "roles_conflict",
    "gender_same",
    "titled",
    "mentions",
)

_UNMATCHED = FEATURES.index("unmatched_words")
_SURNAME_JW = FEATURES.index("surname_jw")
_INITIALS = FEATURES.index("initials_fit")
_STORY = FEATURES.index("same_story")
_SHARED = FEATURES.index("shared_entities")
_ROLE = FEATURES.index("shared_role")
_SOUND = FEATURES.index("sound_key_same")
_LOOSE = FEATURES.index("loose_surname")
# The rule clusters after the first passes: each article's clusters that reach another
# article, and each node's cluster (see ``cluster.shared_entities``).
Clusters = tuple[dict[str, set[NodeId]], dict[NodeId, NodeId]]
# A candidate merge, as ``cluster.single_link`` takes it.
Edge = tuple[int, float, NodeId, NodeId, str]


@dataclass(frozen=True)
class PairModel:
    """Logistic regression over standardised ``FEATURES``."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float

    def probability(self, row: list[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s
            for w, x, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict[str, object]:
        return {
            "feature_version": FEATURE_VERSION,
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "threshold": self.threshold,
        }


def model_from_json(data: dict[str, object]) -> PairModel:
    """A model read back; one fit on other features is refused (retrain it)."""
    if data.get("feature_version") != FEATURE_VERSION or data.get("features") != list(FEATURES):
        raise ValueError("entity pair model is stale: run scripts/train_entity_pairs.py")
    return PairModel(
        tuple(data["weights"]),  # type: ignore[arg-type]
        float(data["bias"]),  # type: ignore[arg-type]
        tuple(data["mean"]),  # type: ignore[arg-type]
        tuple(data["scale"]),  # type: ignore[arg-type]
        float(data["threshold"]),  # type: ignore[arg-type]
    )


def load_model(path: Path) -> PairModel:
    """A model written by ``scripts/train_entity_pairs.py --write``."""
    return model_from_json(json.loads(path.read_text("utf-8")))


def _names(node: _Node) -> set[str]:
    return {fold(parsed.surface) for _, parsed in node.names} - {""}


def _surnames(node: _Node) -> set[str]:
    return {fold(parsed.surname) for _, parsed in node.names if parsed.surname} - {""}


def _best(scorer: Callable[[str, str], float], left: set[str], right: set[str]) -> float:
    return max((scorer(x, y) for x in left for y in right), default=0.0)


def _nested(x: str, y: str) -> bool:
    """One name's words are all words of the other ('Haesong' of 'Haesong Marine')."""
    left, right = set(x.split()), set(y.split())
    return left <= right or right <= left


def _unmatched(x: str, y: str) -> int:
    """Words of either name that nothing in the other is near (85 ratio): 'Marrow Bay
    Ferries' / 'Marrow Bay Trust' 2, 'Khirbet Salhoub' / 'Kherbet Salhoub' 0."""
    left, right = x.split(), y.split()

    def alone(words: list[str], others: list[str]) -> int:
        return sum(all(fuzz.ratio(w, o) < 85 for o in others) for w in words)

    return alone(left, right) + alone(right, left)


def _acronym_fit(a: _Node, b: _Node) -> bool:
    """One side is initials ('CWA') that the other's name or definition gives."""
    return any(
        short.acronym and short.acronym in (long.initials | long.defined)
        for short, long in ((a, b), (b, a))
    )


def pair_features(a: _Node, b: _Node, context: tuple[bool, int]) -> list[float]:
    """The evidence of one pair, in ``FEATURES`` order; ``context`` is (same story, other
    entities the two articles share, see ``LearnedLinker``)."""
    same_story, shared = context
    names_a, names_b = _names(a), _names(b)
    surnames_a, surnames_b = _surnames(a), _surnames(b)
    givens_a = {fold(g) for g in a.givens} - {""}
    givens_b = {fold(g) for g in b.givens} - {""}
    tokens_a = {t for n in names_a for t in n.split()}
    tokens_b = {t for n in names_b for t in n.split()}
    last_a = {n.split()[-1] for n in names_a}
    last_b = {n.split()[-1] for n in names_b}
    bare = b if a.fulls else a
    full = a if a.fulls else b
    persons = a.person and b.person
    return [
        float(persons),
        float(a.kind == b.kind == "organisation"),
        float(a.kind == b.kind == "place"),
        float(bool(a.fulls and b.fulls)),
        float(bool(a.fulls) != bool(b.fulls)),
        _best(fuzz.ratio, names_a, names_b) / 100,
        _best(fuzz.token_sort_ratio, names_a, names_b) / 100,
        _best(fuzz.partial_ratio, names_a, names_b) / 100,
        _best(JaroWinkler.similarity, surnames_a, surnames_b),
        _best(JaroWinkler.similarity, givens_a, givens_b),
        float(bool(a.first_keys & b.first_keys)),
        float(bool(givens_a and givens_b and givens_agree(a.givens, b.givens))),
        float(any(sound_key(x) == sound_key(y) for x in a.surname_keys for y in b.surname_keys)),
        float(persons and loose_surnames(a, b)),
        float(not persons or initials_fit(bare, full)),
        len(tokens_a & tokens_b) / max(1, len(tokens_a | tokens_b)),
        float(bool(last_a & last_b)),
        float(any(_nested(x, y) for x in names_a for y in names_b)),
        min((_unmatched(x, y) for x in names_a for y in names_b), default=0),
        float(_acronym_fit(a, b)),
        float(same_story),
        math.log1p(shared),
        float(bool(set(a.role_stems) & set(b.role_stems))),
        float(persons and roles_conflict(a, b)),
        float(bool(a.gender and a.gender == b.gender)),
        float(any(p.titles for n in (a, b) for _, p in n.names)),
        math.log1p(min(len(a.names), len(b.names))),
    ]


class LearnedLinker:
    """Turns the rules' unjoined blocked pairs into learned edges (``edges``)."""

    def __init__(self, model: PairModel | None, gated: bool = True) -> None:
        self.model = model
        self.gated = gated  # False: every candidate, for the trainer's comparison only

    def edges(
        self,
        pairs: list[tuple[NodeId, NodeId]],
        nodes: dict[NodeId, _Node],
        articles: dict[str, _Article],
        peers: dict[NodeId, list[_Node]],
        clusters: Clusters,
    ) -> list[Edge]:
        """Learned edges, strongest first (ties in the pairs' canonical order)."""
        model = self.model
        if model is None:
            return []
        found: list[Edge] = []
        candidates = self.candidates(pairs, nodes, articles, peers, clusters)
        for left, right, row in one_owner(candidates, clusters[1]):
            score = model.probability(row)
            if score >= model.threshold:
                shown = f"{nodes[left].display}~{nodes[right].display}"
                reason = f"learned pair score {score:.2f} ({shown})"
                found.append((LEARNED_TIER, score, left, right, reason))
        found.sort(key=lambda e: -e[1])  # stable: the pairs come in canonical order
        return found

    def candidates(
        self,
        pairs: list[tuple[NodeId, NodeId]],
        nodes: dict[NodeId, _Node],
        articles: dict[str, _Article],
        peers: dict[NodeId, list[_Node]],
        clusters: Clusters,
        keep_joined: bool = False,
    ) -> list[tuple[NodeId, NodeId, list[float]]]:
        """Blocked pairs of two articles in different rule clusters (in any, with
        ``keep_joined``: for training), of one kind, neither a bare surname its article leaves
        open, whose names allow it (``eligible``), with features."""
        by_article, cluster_of = clusters
        found = []
        for left, right in pairs:
            a, b = nodes[left], nodes[right]
            if a.ambiguous or b.ambiguous or a.choices or b.choices:
                continue
            if not keep_joined and cluster_of[left] == cluster_of[right]:
                continue
            if a.kind != b.kind:
                continue
            own = {cluster_of[left], cluster_of[right]}
            docs_a = [left[0], *sorted({n.id[0] for n in peers.get(left, [])} - {left[0]})]
            docs_b = [right[0], *sorted({n.id[0] for n in peers.get(right, [])} - {right[0]})]
            shared = max(
                len(by_article.get(x, set()) & by_article.get(y, set()) - own)
                for x in docs_a[:MAX_PEER_ARTICLES]
                for y in docs_b[:MAX_PEER_ARTICLES]
            )
            stories = {articles[x].story for x in docs_a} - {None}
            same = bool(stories & {articles[y].story for y in docs_b})
            row = pair_features(a, b, (same, shared))
            if not self.gated or eligible(a, b, row):
                found.append((left, right, row))
        return found


def eligible(a: _Node, b: _Node, row: list[float]) -> bool:
    """Whether the names themselves allow a learned merge. Initials must fit a full name's
    given names (as the rules ask, ``persons.initials_fit``). Two people named in full need
    surnames alike (Jaro-Winkler 0.9, or one sound or loose key): a given name shared by
    two surnames is how a name's commonest distractors look in real news (Rick Snyder /
    Rick Scott), which the gold set's blocks rarely hold. Organisations and places need the
    same number of words, each near a word of the other (a spelling: Kfar / Kefar Netafim):
    names that each have a word of their own are the gold set's distractors ('Marrow Bay
    Ferries' / 'Marrow Bay Trust'), and one name inside a longer one is, in real news, as
    often another thing (Iowa / Iowa State Fair, Senate / Senate Budget Committee)."""
    if not (row[_STORY] or row[_SHARED] >= math.log1p(2) or row[_ROLE]):
        return False  # the model stands in for the rules' name tests, not their context
    if a.person:
        if not row[_INITIALS]:
            return False  # 'W.C. Fields' is not Michelle Fields
        if not (a.fulls and b.fulls):
            return True
        close = row[_SURNAME_JW] >= 0.9 or row[_SOUND] or row[_LOOSE]
        return bool(close)
    return row[_UNMATCHED] == 0


def one_owner(
    candidates: list[tuple[NodeId, NodeId, list[float]]], cluster_of: dict[NodeId, NodeId]
) -> list[tuple[NodeId, NodeId, list[float]]]:
    """The candidates of local entities whose candidates all lie in one rule cluster: a
    bare 'Kulyk' that may be Mykhailo or Vasyl Kulyk, or 'Bush' beside several Bushes, is
    left to the rules, as the rules leave a bare surname two people bear
    (``EntityIndex._one_owner``), however the model scores one of them."""
    reach: dict[NodeId, set[NodeId]] = {}
    for left, right, _ in candidates:
        reach.setdefault(left, set()).add(cluster_of[right])
        reach.setdefault(right, set()).add(cluster_of[left])
    return [c for c in candidates if len(reach[c[0]]) == 1 and len(reach[c[1]]) == 1]
