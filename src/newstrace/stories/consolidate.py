"""Consolidation steps that work on stories as a whole: splitting a story that holds two
look-alike events, carrying story ids over a rebuild by overlap, and a story's record."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np

from newstrace.model import Story
from newstrace.stories.similarity import (
    _CHANNELS,
    _NAME_PREFIXES,
    DetailKeys,
    TimeOrder,
    _Cluster,
    _dot,
    _Member,
    average_link_two,
    local_similarity,
)

_MIN_PART = 2  # a split leaves at least this many articles on each side
_MAX_SPLIT = 400  # larger stories are not checked for look-alikes (quadratic cost)


def story_id(first_article: str) -> str:
    """The id a story gets from the article that opened it (deterministic)."""
    return "story-" + hashlib.sha1(first_article.encode("utf-8")).hexdigest()[:12]


def split_all(
    clusters: dict[str, _Cluster],
    of: dict[str, str],
    weights: Mapping[str, float],
    split_threshold: float,
    details: DetailKeys | None = None,
) -> None:
    """Split stories that hold two look-alike events (see ``bisect``), recursively; ``of``
    (article -> story id) is kept up to date."""
    queue = sorted(clusters, key=lambda sid: clusters[sid].oldest)
    while queue:
        sid = queue.pop(0)
        cluster = clusters[sid]
        parts = bisect(cluster.members, weights, split_threshold, details)
        if parts is None:
            continue
        first, second = sorted(parts, key=lambda part: min(m.order for m in part))
        cluster.members = first
        cluster.rebuild()
        new_sid = story_id(min(second, key=lambda m: m.order).features.article)
        while new_sid in clusters:
            new_sid = story_id(new_sid)
        other = _Cluster(new_sid)
        other.members = second
        other.rebuild()
        clusters[new_sid] = other
        for member in second:
            of[member.features.article] = new_sid
        queue.extend((sid, new_sid))


def bisect(
    members: list[_Member],
    weights: Mapping[str, float],
    split_threshold: float,
    details: DetailKeys | None = None,
) -> tuple[list[_Member], list[_Member]] | None:
    """Two look-alike events inside one story, or None when it is one event.

    Keys that every member shares (the common vocabulary of the event type) or that
    only one member has are dropped, the rest re-weighted by their rarity inside the
    story (log k/df), so what is left are the details that groups of articles share.
    Average-link cuts the members in two; the cut is kept when both halves have at
    least ``_MIN_PART`` articles and their mean similarity stays below
    ``split_threshold``.
    """
    k = len(members)
    if k < 2 * _MIN_PART or k > _MAX_SPLIT:
        return None
    sim = local_similarity(members, weights, details)
    groups = average_link_two(sim)
    a, b = groups
    if min(len(a), len(b)) < _MIN_PART:
        return None
    cross = float(sim[np.ix_(a, b)].mean())
    if cross >= split_threshold:
        return None
    return [members[i] for i in a], [members[i] for i in b]


def story_record(cluster: _Cluster, weights: Mapping[str, float]) -> Story:
    """The stored record of a story: articles in time order, its most central titled
    article's title, its most named people, organisations and places."""
    members = sorted(cluster.members, key=lambda m: m.order)

    def centrality(member: _Member) -> float:
        return sum(_dot(member.vecs[c], cluster.sums[c]) * weights[c] for c in _CHANNELS)

    titled = [m for m in members if m.features.title] or members
    best = max(centrality(m) for m in titled)
    central = next(m for m in titled if centrality(m) >= best - 1e-12)
    counts: dict[str, float] = {}
    names: dict[str, str] = {}
    for member in members:
        for key, value in member.features.entities.items():
            if key.startswith(_NAME_PREFIXES) and not key.startswith("surname:"):
                counts[key] = counts.get(key, 0.0) + 1.0 + 0.01 * value
        names.update(member.features.names)
    top = [
        names.get(key) or key.partition(":")[2]
        for key, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    ]
    dated = [m.features.published for m in members if m.time is not None]
    return Story(
        id=cluster.id,
        title=central.features.title,
        articles=[m.features.article for m in members],
        entities=top,
        first_published=dated[0] if dated else None,
        last_published=dated[-1] if dated else None,
    )


def carry_ids(
    clusters: dict[str, _Cluster],
    previous: dict[str, set[str]],
    previous_oldest: dict[str, TimeOrder],
) -> dict[str, _Cluster]:
    """Give each rebuilt story the id of the earlier story it overlaps most.

    Pairs are taken greedily by overlap (larger first, then the older earlier story), so
    a story that only grew keeps its id and a merge keeps the older story's id. A story
    with no unclaimed predecessor gets the id of its first article.
    """
    pairs: list[tuple[int, TimeOrder, str, str]] = []
    for new_sid, cluster in clusters.items():
        articles = {m.features.article for m in cluster.members}
        for old_sid, old_articles in previous.items():
            overlap = len(articles & old_articles)
            if overlap:
                pairs.append((-overlap, previous_oldest[old_sid], old_sid, new_sid))
    pairs.sort()
    assigned: dict[str, str] = {}
    used: set[str] = set()
    for _, _, old_sid, new_sid in pairs:
        if new_sid in assigned or old_sid in used:
            continue
        assigned[new_sid] = old_sid
        used.add(old_sid)
    result: dict[str, _Cluster] = {}
    for new_sid in sorted(clusters, key=lambda s: clusters[s].oldest):
        cluster = clusters[new_sid]
        sid = assigned.get(new_sid)
        if sid is None:
            sid = story_id(min(cluster.members, key=lambda m: m.order).features.article)
            while sid in used or sid in result:
                sid = story_id(sid)
            used.add(sid)
        cluster.id = sid
        result[sid] = cluster
    return result
