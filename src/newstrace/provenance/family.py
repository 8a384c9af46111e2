"""Linked pairs and what a family of linked articles adds to their own evidence.

An ``Edge`` is one linked pair: the link the pair decides on its own
(``relation.name_original``) and the link each way. Pairs the two articles alone cannot
orient (a light rewrite or a spin and its source carry no date, credit or containment
gap) are settled by the articles linked to both (``settle_undecided``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newstrace.model import Link
from newstrace.provenance.relation import RELATIONS

__all__ = [
    "MAX_REORDER",
    "SCORE_TIE",
    "SETTLE_MAX_FAMILY",
    "SOURCE_MARGIN",
    "THIRD_PARTY_GAP",
    "Edge",
    "closeness",
    "closest_source",
    "misplaced",
    "ordered",
    "settle_undecided",
]

SOURCE_MARGIN = 0.03  # a copy's sources this close in score count as equally close
DUP_SCORE = 0.9  # a duplicate source comes first when it is at least this share of the copy
SCORE_TIE = 0.001  # sources this close in score are equally close (a word in a thousand)
REWORDED_MARGIN = 0.015  # a first-hand source this close stands before a reworded copy
RANK_GAP = 0.05  # a copy this much closer to an article ranked after it is misplaced
MAX_REORDER = 3  # re-rankings of a family for misplaced copies (each can expose another)
THIRD_PARTY_GAP = 0.005  # a third article this much closer to one side of a pair votes for it
SETTLE_MAX_FAMILY = 64  # larger families are not settled by third parties (cubic cost)

Edges = Mapping[str, Mapping[str, "Edge"]]


@dataclass(frozen=True)
class Edge:
    """A linked pair: the link the pair decides on its own, and each possible direction."""

    preferred: Link
    a_copy: Link | None
    b_copy: Link | None

    def as_copy(self, doc_id: str) -> Link | None:
        for link in (self.a_copy, self.b_copy):
            if link is not None and link.copy == doc_id:
                return link
        return None

    def to_list(self) -> list[dict[str, Any] | None]:
        return [
            x.to_dict() if x is not None else None
            for x in (self.preferred, self.a_copy, self.b_copy)
        ]

    @classmethod
    def from_list(cls, data: list[dict[str, Any] | None]) -> Edge:
        pref, a, b = (Link.from_dict(x) if x is not None else None for x in data)
        assert pref is not None
        return cls(pref, a, b)


def closeness(edges: Edges, a: str, b: str) -> tuple[int, float]:
    """How close two linked articles are: the closest relation either way (duplicate
    closest), then the score (which counts content words only, so it cannot tell a
    verbatim copy from one with its articles dropped)."""
    edge = edges.get(a, {}).get(b)
    if edge is None:
        return (-1, 0.0)
    links = [x for x in (edge.a_copy, edge.b_copy, edge.preferred) if x is not None]
    return max((-RELATIONS.index(x.relation), x.score) for x in links)


def settle_undecided(edges: Edges, nodes: Sequence[str]) -> dict[frozenset[str], str]:
    """Pairs the articles alone could not decide, settled by the rest of the family.

    The source is what the family's other copies were taken from: each article linked to
    both votes for the one it is closer to (verbatim copies of a wire story align word
    for word with it, only approximately with a rewrite of it). The side with more such
    votes is the original; a tie leaves the pair undecided (""). The work grows with the
    cube of the family, so a family of more than ``SETTLE_MAX_FAMILY`` articles (a template
    repeated many times over rather than a story and its copies) is left to rank order.
    """
    settled: dict[frozenset[str], str] = {}
    if len(nodes) > SETTLE_MAX_FAMILY:
        return settled
    close = {(a, b): closeness(edges, a, b) for a in nodes for b in edges.get(a, {})}
    for a in nodes:
        for b, edge in edges.get(a, {}).items():
            if b <= a or edge.preferred.decided_by != "undecided":
                continue
            tally = 0
            for c in edges.get(a, {}).keys() & edges.get(b, {}).keys():
                (rank_a, score_a), (rank_b, score_b) = close[(c, a)], close[(c, b)]
                if rank_a != rank_b:
                    tally += 1 if rank_a > rank_b else -1
                elif abs(score_a - score_b) >= THIRD_PARTY_GAP:
                    tally += 1 if score_a > score_b else -1
            settled[frozenset((a, b))] = a if tally > 0 else b if tally < 0 else ""
    return settled


def ordered(
    nodes: Sequence[str],
    copy_of: Mapping[str, set[str]],
    key: Callable[[str], tuple[float, float, str]],
) -> list[str]:
    """The family's articles, best original first: by ``key`` (votes won, closeness to the
    rest), but never before an article its own pair decided it copies. A copy linked with
    more articles (its own copies, a second family) can win more votes than its original;
    it still comes after it. Decisions that contradict one another (a cycle) are broken
    by ``key``."""
    copies: dict[str, list[str]] = {n: [] for n in nodes}
    waiting = dict.fromkeys(nodes, 0)
    for n in nodes:
        for original in copy_of.get(n, ()):
            if original in copies:
                copies[original].append(n)
                waiting[n] += 1
    heap = [(key(n), n) for n in nodes if not waiting[n]]
    heapq.heapify(heap)
    out: list[str] = []
    placed: set[str] = set()
    while len(out) < len(nodes):
        if heap:
            _, n = heapq.heappop(heap)
        else:  # a cycle of decisions: its best-keyed article goes first
            n = min((x for x in nodes if x not in placed), key=key)
        if n in placed:
            continue
        placed.add(n)
        out.append(n)
        for c in copies[n]:
            waiting[c] -= 1
            if waiting[c] == 0 and c not in placed:
                heapq.heappush(heap, (key(c), c))
    return out


def closest_source(
    options: list[tuple[int, float, Link]], chosen: Mapping[str, Link], roots: set[str]
) -> Link:
    """A copy's one source among its linked articles already placed (rank, -score, link).

    One it duplicates if any (word for word, rather than a near-duplicate of another; and
    mostly made of it: a copy that holds a shorter article whole plus much more is not a
    copy of that one), then by score. Among sources about as close (within
    ``SOURCE_MARGIN``): a reworded copy of another only when clearly closer than every
    first-hand source (two copies of one text can share their changes, a syndicated rewrite
    or the same spinner; a rewrite of a rewrite is rarer); one that is itself a verbatim
    duplicate of another last (a syndicated copy and its original are one source, and the
    original stands for it); then the closer (a copy of an article that is itself a
    near-copy of the root is closer to it than to the root); among sources equally close
    (within ``SCORE_TIE``) the root, then the better-ranked.
    """

    def duplicate_of_another(link: Link) -> bool:
        return link.original in chosen and chosen[link.original].relation == "duplicate"

    def reworded(link: Link) -> bool:
        return link.original in chosen and chosen[link.original].relation in ("rewrite", "spun")

    duplicated = [t for t in options if t[2].relation == "duplicate" and t[2].score >= DUP_SCORE]
    options = duplicated or options
    top = max(link.score for _, _, link in options)
    options = [t for t in options if t[2].score >= top - SOURCE_MARGIN]
    first = max((t[2].score for t in options if not reworded(t[2])), default=-1.0)
    options = [t for t in options if not reworded(t[2]) or t[2].score > first + REWORDED_MARGIN]
    options.sort(key=lambda t: (duplicate_of_another(t[2]), t[1], t[0]))
    best = options[0][2]
    tied = [
        t
        for t in options
        if t[2].score >= best.score - SCORE_TIE
        and duplicate_of_another(t[2]) == duplicate_of_another(best)
    ]
    tied.sort(key=lambda t: (t[2].original not in roots, t[0]))
    return tied[0][2]


def misplaced(
    edges: Edges, rank: Sequence[str], chosen: Mapping[str, Link]
) -> list[tuple[str, str]]:
    """Copies ranked before an article they copy far more closely (by ``RANK_GAP``) than
    the source they were given, each with that article: a copy can only take a source
    ranked before it, so one placed before its own original (by votes the family's other
    copies cast) links to a sibling at a much lower score. An article its pair decided is
    the original of the other, or that the other now copies, stays first."""
    place = {n: i for i, n in enumerate(rank)}
    out: dict[str, str] = {}
    for n, link in chosen.items():
        best: tuple[float, str] | None = None
        for o, edge in edges.get(n, {}).items():
            if (
                place[o] < place[n]
                or (o in chosen and chosen[o].original == n)
                or (edge.preferred.decided_by != "undecided" and edge.preferred.original == n)
            ):
                continue
            as_copy = edge.as_copy(n)
            if (
                as_copy is not None
                and as_copy.score >= link.score + RANK_GAP
                and (best is None or as_copy.score > best[0])
            ):
                best = (as_copy.score, o)
        if best is not None:
            out[n] = best[1]
    # two articles misplaced before each other (a pair no one decided): the one given the
    # poorer source goes after the other
    return [(n, o) for n, o in out.items() if out.get(o) != n or chosen[n].score < chosen[o].score]
