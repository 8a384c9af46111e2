"""Article and story vectors, and the similarities consolidation compares them on.

An article (``_Member``) is a unit vector per channel (terms, names, dates, numbers) of
log-tf x idf weights; a story (``_Cluster``) keeps per-channel sums of its articles' vectors
with exact norms. ``local_similarity`` is the details-only similarity ``consolidate`` uses to
split look-alike events, ``average_link_two`` the cut it makes.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newstrace.stories.features import StoryFeatures

Vec = dict[str, float]

# Channels an article is compared on, each a unit vector of log-tf x idf weights.
_CHANNELS = ("terms", "names", "dates", "numbers")
_NAME_PREFIXES = ("person:", "org:", "place:", "event:", "norp:", "product:", "work:", "surname:")
_DATE_PREFIXES = ("year:", "month:", "md:", "date:", "weekday:", "time:")
_QUERY_KEYS = 10  # distinctive keys per channel of an article used to find candidate stories
_CENTROID_KEYS = 400  # a centroid keeps its heaviest term keys only (speed; the tail is tiny)
_VERSIONS = itertools.count()  # every change to any story gets a new number (memo keys)


def parse_time(value: str | None) -> float | None:
    """Seconds since the epoch for an ISO 8601 timestamp, or None when absent/unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


TimeOrder = tuple[int, float, int, float, str]


def _sort_key(features: StoryFeatures) -> TimeOrder:
    """Time order, undated last; within a day a known time before a bare date, which could
    mean any hour (syndicated copies often carry only the date)."""
    when = parse_time(features.published)
    if when is None:
        return (1, 0.0, 0, 0.0, features.article)
    date_only = len((features.published or "").strip()) == 10
    return (0, when // 86400, int(date_only), when, features.article)


def _unit(
    tfs: Sequence[tuple[str, float]], df: Mapping[str, int], n: int, idfs: Vec | None = None
) -> Vec:
    """Unit log-tf x idf vector; ``idfs`` memoises idf per key for one (df, n) state, so a
    consolidation pass (df fixed) computes each key's idf once, not once per article."""
    log, get = math.log, df.get
    if idfs is None:
        vec = {key: tf * (log((n + 1) / (get(key, 0) + 1)) + 1.0) for key, tf in tfs}
    else:
        vec = {}
        for key, tf in tfs:
            idf = idfs.get(key)
            if idf is None:
                idf = idfs[key] = log((n + 1) / (get(key, 0) + 1)) + 1.0
            vec[key] = tf * idf
    norm = math.sqrt(sum([v * v for v in vec.values()]))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(small: Mapping[str, float], big: Mapping[str, float]) -> float:
    if len(small) > len(big):
        small, big = big, small
    return sum([small[k] * big[k] for k in small.keys() & big.keys()])


def _channel_of(key: str) -> str:
    if key.startswith(_NAME_PREFIXES):
        return "names"
    if key.startswith(_DATE_PREFIXES):
        return "dates"
    return "numbers"


class _Prepared:
    """What an article brings whatever the document frequencies are (log tf per channel,
    years, time, unit fingerprint): computed once when it arrives, reused by every pass."""

    __slots__ = ("features", "order", "tfs", "time", "vector", "years")

    def __init__(self, features: StoryFeatures) -> None:
        self.features = features
        tfs: dict[str, list[tuple[str, float]]] = {channel: [] for channel in _CHANNELS}
        tfs["terms"] = [(k, 1.0 + math.log(v)) for k, v in features.terms.items() if v > 0]
        for key, value in features.entities.items():
            if value > 0:
                tfs[_channel_of(key)].append((key, 1.0 + math.log(value)))
        self.tfs = tfs
        self.years = frozenset(k for k in features.entities if k.startswith("year:"))
        self.time = parse_time(features.published)
        self.order = _sort_key(features)
        vector = features.vector
        norm = math.sqrt(sum(x * x for x in vector)) if vector else 0.0
        self.vector = tuple(x / norm for x in vector) if vector and norm else None


class _Member:
    """An article inside the index: its features and its weighted unit vectors."""

    __slots__ = ("features", "order", "query", "time", "vecs", "vector", "years")

    def __init__(self, prepared: _Prepared, vecs: dict[str, Vec]) -> None:
        self.features = prepared.features
        self.vecs = vecs
        self.years = prepared.years
        self.time = prepared.time
        self.order = prepared.order
        self.vector = prepared.vector
        query: list[str] = []
        for channel in _CHANNELS:  # the heaviest keys, ties by key (as (weight, key) tuples)
            ranked = heapq.nlargest(_QUERY_KEYS, [(v, k) for k, v in vecs[channel].items()])
            query.extend(k for _, k in ranked if not k.startswith("weekday:"))
        self.query = query


class _Cluster:
    """A story under construction: per-channel sums of its members' unit vectors.

    ``version`` changes with every change to the story and is never reused, so a score
    memoised under it is the score the story would give now."""

    __slots__ = ("first", "id", "last", "members", "norms", "sums", "vector", "version", "years")

    def __init__(self, sid: str) -> None:
        self.id = sid
        self.version = next(_VERSIONS)
        self.members: list[_Member] = []
        self.sums: dict[str, Vec] = {channel: {} for channel in _CHANNELS}
        self.norms: dict[str, float] = dict.fromkeys(_CHANNELS, 0.0)
        self.vector: list[float] | None = None
        self.years: Counter[str] = Counter()
        self.first: float | None = None
        self.last: float | None = None

    def add(self, member: _Member) -> None:
        self.version = next(_VERSIONS)
        self.members.append(member)
        self._absorb(member, 1.0)
        self._trim()

    def remove(self, member: _Member) -> None:
        self.version = next(_VERSIONS)
        self.members.remove(member)
        if not self.members:
            self.rebuild()
            return
        self._absorb(member, -1.0)
        if member.time is not None and member.time in (self.first, self.last):
            times = [m.time for m in self.members if m.time is not None]
            self.first = min(times) if times else None
            self.last = max(times) if times else None

    def rebuild(self) -> None:
        self.version = next(_VERSIONS)
        self.sums = {channel: {} for channel in _CHANNELS}
        self.norms = dict.fromkeys(_CHANNELS, 0.0)
        self.vector, self.years = None, Counter()
        self.first = self.last = None
        for member in self.members:
            self._absorb(member, 1.0)
        self._trim()

    def _absorb(self, member: _Member, sign: float) -> None:
        """Add (sign 1) or take away (sign -1) one member's vectors; norms kept exact."""
        for channel in _CHANNELS:
            total = self.sums[channel]
            vec = member.vecs[channel]
            if not vec:
                continue
            # |S + sv|^2 = |S|^2 + 2s S.v + |v|^2 (unit v): no pass over the whole centroid
            squared = self.norms[channel] ** 2 + 2 * sign * _dot(vec, total) + 1.0
            get = total.get
            if sign > 0:
                total.update({key: get(key, 0.0) + value for key, value in vec.items()})
            else:
                for key, value in vec.items():
                    updated = get(key, 0.0) - value
                    if abs(updated) < 1e-12:
                        total.pop(key, None)
                    else:
                        total[key] = updated
            self.norms[channel] = math.sqrt(max(squared, 0.0))
        if sign > 0:
            self.years.update(member.years)
        else:
            self.years.subtract(member.years)
            self.years = +self.years
        if member.vector is not None:
            if self.vector is None:
                self.vector = [0.0] * len(member.vector)
            if len(self.vector) == len(member.vector):
                self.vector = [
                    a + sign * b for a, b in zip(self.vector, member.vector, strict=True)
                ]
        if sign > 0 and member.time is not None:
            self.first = member.time if self.first is None else min(self.first, member.time)
            self.last = member.time if self.last is None else max(self.last, member.time)

    def _trim(self) -> None:
        terms = self.sums["terms"]
        if len(terms) > _CENTROID_KEYS * 2:
            kept = dict(heapq.nlargest(_CENTROID_KEYS, terms.items(), key=lambda kv: kv[1]))
            self.sums["terms"] = kept
            self.norms["terms"] = math.sqrt(sum(v * v for v in kept.values()))

    @property
    def oldest(self) -> TimeOrder:
        return min(member.order for member in self.members)


def count_hits(keys: Iterable[str], postings: Mapping[str, set[str]]) -> Counter[str]:
    """How many of ``keys`` each story's postings hold (counted in one pass)."""
    return Counter(itertools.chain.from_iterable(postings.get(key, ()) for key in keys))


def top_stories(hits: Mapping[str, int], clusters: Mapping[str, _Cluster], k: int) -> list[str]:
    """The ``k`` stories with the most hits (ties by id) among ``clusters``."""
    ranked = [(-count, sid) for sid, count in hits.items() if sid in clusters]
    return [sid for _, sid in heapq.nsmallest(k, ranked)]


class DetailKeys:
    """Every key of a fixed set of articles, numbered in sorted order per channel, and each
    article's vectors as (key numbers, values) arrays: ``local_similarity`` builds its
    matrices from these, with the columns in the same (sorted key) order as key by key."""

    def __init__(self, members: Sequence[_Member]) -> None:
        self._rank: dict[str, dict[str, int]] = {}
        self._weekday: dict[str, np.ndarray[Any, Any]] = {}
        for channel in _CHANNELS:
            keys = sorted({key for member in members for key in member.vecs[channel]})
            self._rank[channel] = {key: i for i, key in enumerate(keys)}
            self._weekday[channel] = np.array([key.startswith("weekday:") for key in keys], bool)
        self._arrays: dict[tuple[int, str], tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = {}
        self._members = list(members)  # keeps the ids in ``_arrays`` from being reused

    def arrays(
        self, member: _Member, channel: str
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        found = self._arrays.get((id(member), channel))
        if found is None:
            vec, rank = member.vecs[channel], self._rank[channel]
            found = (
                np.fromiter((rank[key] for key in vec), np.int64, len(vec)),
                np.fromiter(vec.values(), float, len(vec)),
            )
            self._arrays[(id(member), channel)] = found
        return found


def local_similarity(
    members: Sequence[_Member], weights: Mapping[str, float], details: DetailKeys | None = None
) -> np.ndarray[Any, Any]:
    """Pairwise similarity of a story's members on the details they do not all share.

    Per channel, keys that every member or only one member has (and weekdays) are dropped
    and the rest weighted by their rarity inside the story (log k/df). ``details`` must
    cover ``members``; without it one is built for them.
    """
    k = len(members)
    sim = np.zeros((k, k))
    total = 0.0
    for weight, rows, columns, values, width in _detail_rows(members, weights, details):
        total += weight
        if not width:
            continue
        matrix = np.zeros((k, width))
        matrix[rows, columns] = values
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms > 0, norms, 1.0)
        sim += weight * (matrix @ matrix.T)
    sim /= total or 1.0
    return sim


def cross_similarity(
    first: Sequence[_Member],
    second: Sequence[_Member],
    weights: Mapping[str, float],
    details: DetailKeys | None = None,
) -> float:
    """``local_similarity(first + second)[:len(first), len(first):].mean()`` without the
    k x k matrix: the mean of the cross block is the dot product of the two halves' sums of
    normalised rows, so merging two large stories costs their keys, not k^2 x keys."""
    members = [*first, *second]
    n, k = len(first), len(members)
    cross = total = 0.0
    for weight, rows, columns, values, width in _detail_rows(members, weights, details):
        total += weight
        if not width:
            continue
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=k))
        unit = values / np.where(norms > 0, norms, 1.0)[rows]
        left = rows < n
        sums_first = np.bincount(columns[left], weights=unit[left], minlength=width)
        sums_second = np.bincount(columns[~left], weights=unit[~left], minlength=width)
        cross += weight * float(sums_first @ sums_second)
    return cross / (total or 1.0) / (n * (k - n))


def _detail_rows(
    members: Sequence[_Member], weights: Mapping[str, float], details: DetailKeys | None
) -> Iterator[tuple[float, np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any], int]]:
    """Per weighted channel: its weight and the members' detail keys as sparse rows (row,
    column, rarity-weighted value) over ``width`` columns (see ``local_similarity``)."""
    if details is None:
        details = DetailKeys(members)
    k = len(members)
    rarity = np.array([math.log(k / n) if n else 0.0 for n in range(k + 1)])
    empty = np.zeros(0, np.int64)
    for channel in _CHANNELS:
        weight = weights[channel]
        if not weight:
            continue
        pairs = [details.arrays(member, channel) for member in members]
        ids = np.concatenate([keys for keys, _ in pairs])
        if not len(ids):
            yield weight, empty, empty, np.zeros(0), 0
            continue
        values = np.concatenate([vals for _, vals in pairs])
        rows = np.repeat(np.arange(k), [len(keys) for keys, _ in pairs])
        ranks, inverse, df = np.unique(ids, return_inverse=True, return_counts=True)
        kept = (df > 1) & (df < k) & ~details._weekday[channel][ranks]
        column = np.cumsum(kept) - 1
        chosen = kept[inverse]
        weighted = values[chosen] * rarity[df[inverse[chosen]]]
        yield weight, rows[chosen], column[inverse[chosen]], weighted, int(kept.sum())


def average_link_two(sim: np.ndarray[Any, Any]) -> tuple[list[int], list[int]]:
    """Average-link agglomeration of a similarity matrix down to two groups."""
    k = sim.shape[0]
    work = sim.astype(float).copy()
    np.fill_diagonal(work, -np.inf)
    sizes = np.ones(k)
    groups: dict[int, list[int]] = {i: [i] for i in range(k)}
    alive = np.ones(k, dtype=bool)
    while len(groups) > 2:
        masked = np.where(np.outer(alive, alive), work, -np.inf)
        flat = int(np.argmax(masked))
        i, j = divmod(flat, k)
        if i > j:
            i, j = j, i
        merged = (work[i] * sizes[i] + work[j] * sizes[j]) / (sizes[i] + sizes[j])
        work[i, :] = merged
        work[:, i] = merged
        work[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        work[j, :] = -np.inf
        work[:, j] = -np.inf
        groups[i].extend(groups.pop(j))
    first, second = (sorted(g) for g in groups.values())
    return first, second
