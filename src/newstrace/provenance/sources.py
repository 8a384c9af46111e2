"""A family of linked articles: its original, and one source for every other article.

Every linked pair has voted for its original (``relation.name_original``, or the family's
third parties for a pair that could not decide: ``family.settle_undecided``); the article
that wins the most of its pairwise decisions is the family's original (ranked after any
article its pair decided it copies: ``family.ordered``), and each other article links to its
closest source, the better-ranked among sources about as close, in the direction that makes
that one the original (the pair's own alignment, re-classified). A copy ranked before an
article it copies far more closely than its source is ranked again after it
(``family.misplaced``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

from newstrace.model import Link
from newstrace.provenance.family import (
    MAX_REORDER,
    SCORE_TIE,
    SOURCE_MARGIN,
    Edges,
    closest_source,
    misplaced,
    ordered,
    settle_undecided,
)

__all__ = ["Realign", "resolve_family"]

# (copy id, root id, relation if no other) -> the copy aligned with a root it was never
# compared with, or None when either text is gone
Realign = Callable[[str, str, str], Link | None]


def resolve_family(edges: Edges, nodes: Sequence[str], realign: Realign) -> dict[str, Link]:
    """Each non-root article of the family and its one link."""
    settled = settle_undecided(edges, nodes)
    votes = dict.fromkeys(nodes, 0)
    copy_of: dict[str, set[str]] = {n: set() for n in nodes}
    for n in nodes:
        for other, edge in edges.get(n, {}).items():
            original = settled.get(frozenset((n, other)), edge.preferred.original)
            if edge.preferred.decided_by == "undecided" and original == "":
                continue
            votes[n] += 1 if original == n else -1
            if original == other and edge.preferred.decided_by != "undecided":
                copy_of[n].add(other)  # the pair's own decision, not the family's vote
    # Ties (pairs that could not decide) go to the family's centre: derivatives are made
    # from the original, each in its own way, so it is closer to each of them than they
    # are to one another.
    centre = {
        n: float(
            np.mean(
                [
                    max(x.score for x in (e.a_copy, e.b_copy, e.preferred) if x is not None)
                    for e in edges.get(n, {}).values()
                ]
            )
        )
        for n in nodes
    }

    def key(n: str) -> tuple[float, float, str]:
        return (-votes[n], -round(centre[n], 6), n)

    rank = ordered(nodes, copy_of, key=key)
    chosen = _choose(edges, rank, realign)
    for _ in range(MAX_REORDER):
        later = [(n, o) for n, o in misplaced(edges, rank, chosen) if n not in copy_of[o]]
        if not later:  # none, or only ones contradicting an earlier re-ranking
            break
        for n, o in later:
            copy_of[n].add(o)
        rank = ordered(nodes, copy_of, key=key)
        chosen = _choose(edges, rank, realign)
    return chosen


def _choose(edges: Edges, rank: list[str], realign: Realign) -> dict[str, Link]:
    """Each article's one source among those ranked before it (none for a root)."""
    place = {n: i for i, n in enumerate(rank)}
    chosen: dict[str, Link] = {}
    roots: set[str] = set()
    for n in rank:
        options = [
            (place[o], -link.score, link)
            for o, edge in edges.get(n, {}).items()
            if (o in roots or o in chosen) and (link := edge.as_copy(n)) is not None
        ]
        if not options:
            roots.add(n)
            continue
        best = _past_duplicates(edges, n, closest_source(options, chosen, roots), chosen)
        if best.decided_by == "undecided":
            best = dataclasses.replace(best, decided_by="family")
        chosen[n] = _to_root(edges, best, chosen, realign)
    return chosen


def _past_duplicates(edges: Edges, copy: str, link: Link, chosen: dict[str, Link]) -> Link:
    """A source that is a duplicate of another article the copy is linked with gives way to
    that one: the same text, so the copy is as much a copy of it (their shared boilerplate
    can make the duplicate score a little closer)."""
    seen = {copy}
    while link.original in chosen and link.original not in seen:
        seen.add(link.original)
        up = chosen[link.original]
        edge = edges.get(copy, {}).get(up.original)
        direct = edge.as_copy(copy) if edge is not None else None
        if up.relation != "duplicate" or direct is None:
            break
        link = direct
    return link


def _to_root(edges: Edges, link: Link, chosen: dict[str, Link], realign: Realign) -> Link:
    """A copy of a duplicate or near-duplicate names that one's original when the root
    explains the copy as well (its own link, or a re-alignment when they were never
    compared); a root that explains less means the source is a copy in its own right."""
    source, seen = link.original, {link.copy}
    while (
        source in chosen
        and source not in seen
        and chosen[source].relation in ("duplicate", "near-duplicate")
    ):
        seen.add(source)
        source = chosen[source].original
    if source == link.original or source in seen:
        return link
    via = f"{link.decided_by}; copy of {link.original}"
    edge = edges.get(link.copy, {}).get(source)
    if edge is not None:
        # linked with the root itself: the root when it explains the copy as well (the
        # source only repeats what the copy took from the root), else the closer source
        direct = edge.as_copy(link.copy)
        if direct is None or direct.score < link.score - SCORE_TIE:
            return link
        return dataclasses.replace(direct, decided_by=via)
    again = realign(link.copy, source, link.relation)
    if again is None or again.score < link.score - SOURCE_MARGIN:
        # the root does not explain the copy as well: the source is a copy in its own
        # right (a natural near-copy with its own wording), and the copy was taken from it
        return link
    return dataclasses.replace(again, decided_by=via)
