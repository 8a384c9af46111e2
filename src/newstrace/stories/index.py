"""Online story clustering with a periodic consolidation pass.

``StoryIndex.add`` places each arriving article at once: candidate stories come from an
inverted index over the article's most distinctive terms and entities (never all pairs),
each candidate is scored against the story's centroid, and the article joins the best one
if the score reaches ``threshold``, else it opens a story. ``consolidate`` fixes early
mistakes: it re-weights every article with the document frequencies learnt so far, rebuilds
the stories from scratch in a canonical order (time, then id), moves articles that sit
better elsewhere (split), and merges stories whose centroids agree (merge). Story ids are
carried over by overlap, so a story keeps its id as it grows and a merge keeps the older id.

Similarity of an article to a story (a centroid: per-channel sums of its articles' unit
vectors; two stories compare centroid to centroid)::

    score = sum_c w_c * cos_c / sum_c w_c  -  year_penalty * year_conflict
            - time_penalty * gap_days / window_days

over the channels c = terms (content lemmas), names (people, organisations, places, ...),
dates (years, months, month-days, full dates, weekdays, times) and numbers, each weighted
log-tf x idf with document frequencies learnt from the articles seen so far, plus the
semantic fingerprint (``vector``) when both sides carry one. ``year_conflict`` is 1 when
both sides name years and share none. Articles more than ``window_days`` away from a
story's dated span cannot join it; an undated article, or a story with no dated article, is
never out of reach (time then plays no part).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from newstrace.model import Story
from newstrace.stories.consolidate import (
    _MAX_SPLIT,
    _MIN_PART,
    carry_ids,
    split_all,
    story_id,
    story_record,
)
from newstrace.stories.features import StoryFeatures
from newstrace.stories.similarity import (
    _CHANNELS,
    DetailKeys,
    Vec,
    _Cluster,
    _dot,
    _Member,
    _Prepared,
    _sort_key,
    _unit,
    count_hits,
    cross_similarity,
    parse_time,
    top_stories,
)

__all__ = ["StoryIndex", "cluster_stories", "parse_time", "story_id"]

DEFAULT_THRESHOLD = 0.2
DEFAULT_MERGE_THRESHOLD = 0.2
DEFAULT_WINDOW_DAYS = 7.0
# Relative channel weights: fitted by logistic regression on ECB+ train article pairs
# (terms 15.1, names 8.6, dates 3.1, numbers 2.6, year conflict -1.0), scaled to terms = 1.
DEFAULT_WEIGHTS: dict[str, float] = {
    "terms": 1.0,
    "names": 0.57,
    "dates": 0.2,
    "numbers": 0.17,
    "vector": 1.0,
}
DEFAULT_YEAR_PENALTY = 0.07
DEFAULT_TIME_PENALTY = 0.05
_REFINE_ROUNDS = 2
_MAX_CANDIDATES = 5  # stories scored in full per article (the rest share too few keys)
DEFAULT_SPLIT_THRESHOLD = 0.07


class StoryIndex:
    """Stories built as articles arrive; see the module docstring for the method.

    ``threshold`` (0..1): the score an article needs to join a story (higher: more, smaller
    stories). ``window_days`` (> 0): how far in time an article may be from a story's dated
    articles and still join it. ``merge_threshold``: the score two stories need to be merged
    by ``consolidate``; ``split_threshold``: the detail similarity under which a story is
    cut in two look-alike events (0 turns the split off). ``weights`` overrides channel weights
    (``terms``, ``names``, ``dates``, ``numbers``, ``vector``); ``year_penalty`` and
    ``time_penalty`` are documented in the module docstring. The defaults were fitted on the
    ECB+ train split (weights) and tuned on its dev split (threshold).
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        window_days: float = DEFAULT_WINDOW_DAYS,
        *,
        merge_threshold: float | None = None,
        weights: Mapping[str, float] | None = None,
        year_penalty: float = DEFAULT_YEAR_PENALTY,
        time_penalty: float = DEFAULT_TIME_PENALTY,
        split_threshold: float = DEFAULT_SPLIT_THRESHOLD,
    ) -> None:
        _check_fraction("threshold", threshold, DEFAULT_THRESHOLD)
        if merge_threshold is not None:
            _check_fraction("merge_threshold", merge_threshold, DEFAULT_MERGE_THRESHOLD)
        if (
            isinstance(window_days, bool)
            or not isinstance(window_days, int | float)
            or not math.isfinite(window_days)
            or window_days <= 0
        ):
            raise ValueError(
                f"window_days must be a positive number of days (got {window_days!r}); "
                f"the default is {DEFAULT_WINDOW_DAYS:g} (a story stops taking articles "
                f"more than that many days from its dated ones)"
            )
        chosen = dict(DEFAULT_WEIGHTS)
        for name, value in (weights or {}).items():
            if name not in DEFAULT_WEIGHTS:
                raise ValueError(
                    f"unknown weight {name!r}; the weights are {', '.join(DEFAULT_WEIGHTS)}"
                )
            chosen[name] = value
        for name, value in (
            *((f"weights[{k!r}]", v) for k, v in chosen.items()),
            ("year_penalty", year_penalty),
            ("time_penalty", time_penalty),
            ("split_threshold", split_threshold),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name} must be a number >= 0 (got {value!r})")
        if sum(chosen[c] for c in _CHANNELS) <= 0:
            raise ValueError(
                "the weights of terms, names, dates and numbers sum to 0: "
                "at least one must be positive"
            )
        self.threshold = float(threshold)
        self.merge_threshold = float(
            DEFAULT_MERGE_THRESHOLD if merge_threshold is None else merge_threshold
        )
        self.window_days = float(window_days)
        self.weights = {k: float(v) for k, v in chosen.items()}
        self.year_penalty = float(year_penalty)
        self.time_penalty = float(time_penalty)
        self.split_threshold = float(split_threshold)
        self._window = self.window_days * 86400.0
        self._prepared: dict[str, _Prepared] = {}  # article -> what it brings
        self._term_df: Counter[str] = Counter()
        self._entity_df: Counter[str] = Counter()
        self._clusters: dict[str, _Cluster] = {}
        self._of: dict[str, str] = {}  # article -> story id
        self._postings: dict[str, set[str]] = {}  # key -> story ids
        self._details: DetailKeys | None = None  # the articles' keys, during ``consolidate``
        # Scores under story versions, during ``consolidate`` (where an article's vectors are
        # fixed): a later refine or merge round rescores only the stories that changed.
        self._memo: dict[tuple[str, int, bool], float] | None = None
        self._pair_memo: dict[tuple[int, int], float] = {}

    # ----------------------------------------------------------------- public API
    def __len__(self) -> int:
        return len(self._prepared)

    def add(self, features: StoryFeatures) -> str:
        """Place one article; returns its story id. Re-adding a known article is a no-op."""
        known = self._of.get(features.article)
        if known is not None:
            return known
        prepared = _Prepared(features)
        self._prepared[features.article] = prepared
        self._term_df.update(features.terms.keys())
        self._entity_df.update(features.entities.keys())
        return self._place(self._member(prepared), self._clusters).id

    def consolidate(self) -> None:
        """Merge/split pass: rebuild with current document frequencies, refine, merge.

        The stories depend on the set of articles only (not their arrival order); story ids
        are carried over from the stories before the pass by overlap (see ``_carry_ids``).
        """
        if not self._prepared:
            return
        previous = {
            sid: {m.features.article for m in c.members} for sid, c in self._clusters.items()
        }
        previous_oldest = {sid: c.oldest for sid, c in self._clusters.items()}
        term_idfs: dict[str, float] = {}
        entity_idfs: dict[str, float] = {}
        members = sorted(
            (self._member(p, term_idfs, entity_idfs) for p in self._prepared.values()),
            key=lambda m: m.order,
        )
        clusters: dict[str, _Cluster] = {}
        self._postings = {}
        self._details = DetailKeys(members)
        self._memo, self._pair_memo = {}, {}
        for member in members:
            self._place(member, clusters)
        for _ in range(_REFINE_ROUNDS):
            moved = self._refine(members, clusters)
            merged = self._merge(clusters)
            if not moved and not merged:
                break
        if self.split_threshold > 0:
            split_all(clusters, self._of, self.weights, self.split_threshold, self._details)
        self._clusters = carry_ids(clusters, previous, previous_oldest)
        self._of = {m.features.article: sid for sid, c in self._clusters.items() for m in c.members}
        self._postings = {}
        self._details = None
        self._memo, self._pair_memo = None, {}
        for sid, cluster in self._clusters.items():
            for member in cluster.members:
                for key in member.query:
                    self._postings.setdefault(key, set()).add(sid)

    def stories(self) -> list[Story]:
        """The stories, oldest first (by their first article's time, then id)."""
        clusters = sorted((c for c in self._clusters.values() if c.members), key=lambda c: c.oldest)
        return [story_record(c, self.weights) for c in clusters]

    def story_of(self, article: str) -> str | None:
        """The story an article is in, or None when the article is unknown."""
        return self._of.get(article)

    # ----------------------------------------------------------------- internals
    def _member(
        self, prepared: _Prepared, term_idfs: Vec | None = None, entity_idfs: Vec | None = None
    ) -> _Member:
        """Weighted vectors under the current document frequencies (``*_idfs``: see
        ``_unit``; shared by every article of one consolidation pass)."""
        n = len(self._prepared)
        tfs = prepared.tfs
        vecs = {"terms": _unit(tfs["terms"], self._term_df, n, term_idfs)}
        for channel in _CHANNELS[1:]:
            vecs[channel] = _unit(tfs[channel], self._entity_df, n, entity_idfs)
        return _Member(prepared, vecs)

    def _candidates(self, member: _Member, clusters: Mapping[str, _Cluster]) -> list[_Cluster]:
        """The stories sharing most distinctive keys with an article (at most a few)."""
        hits = count_hits(member.query, self._postings)
        return [clusters[sid] for sid in top_stories(hits, clusters, _MAX_CANDIDATES)]

    def _place(self, member: _Member, clusters: dict[str, _Cluster]) -> _Cluster:
        best: _Cluster | None = None
        best_score = -math.inf
        for cluster in self._candidates(member, clusters):
            score = self._score(member, cluster)
            if score > best_score:
                best, best_score = cluster, score
        if best is None or best_score < self.threshold:
            sid = story_id(member.features.article)
            while sid in clusters:
                sid = story_id(sid)
            best = _Cluster(sid)
            clusters[sid] = best
        self._join(member, best)
        return best

    def _join(self, member: _Member, cluster: _Cluster) -> None:
        cluster.add(member)
        self._of[member.features.article] = cluster.id
        for key in member.query:
            self._postings.setdefault(key, set()).add(cluster.id)

    def _gap_days(
        self,
        a_first: float | None,
        a_last: float | None,
        b_first: float | None,
        b_last: float | None,
    ) -> float | None:
        """Days between two dated spans; None when beyond the window; 0 when undated."""
        if a_first is None or a_last is None or b_first is None or b_last is None:
            return 0.0
        gap = max(0.0, b_first - a_last, a_first - b_last)
        return None if gap > self._window else gap / 86400.0

    def _score(self, member: _Member, cluster: _Cluster, exclude: bool = False) -> float:
        """Score of an article against a story (leave the article out when ``exclude``)."""
        if self._memo is None:
            return self._article_score(member, cluster, exclude)
        key = (member.features.article, cluster.version, exclude)
        score = self._memo.get(key)
        if score is None:
            score = self._memo[key] = self._article_score(member, cluster, exclude)
        return score

    def _article_score(self, member: _Member, cluster: _Cluster, exclude: bool) -> float:
        gap = self._gap_days(member.time, member.time, cluster.first, cluster.last)
        if gap is None:
            return -math.inf
        inside = exclude and member in cluster.members
        if inside and len(cluster.members) == 1:
            return -math.inf
        weights = self.weights
        score = total = 0.0
        for channel in _CHANNELS:
            vec, weight = member.vecs[channel], weights[channel]
            if not weight:
                continue
            total += weight
            norm = cluster.norms[channel]
            if not vec or not norm:
                continue
            dot = _dot(vec, cluster.sums[channel])
            if inside:  # centroid without this article: subtract its own unit vector
                self_dot = 1.0  # a unit vector
                norm = math.sqrt(max(norm * norm - 2 * dot + self_dot, 0.0))
                dot -= self_dot
            if norm > 1e-9:
                score += weight * dot / norm
        if (
            weights["vector"]
            and member.vector is not None
            and cluster.vector is not None
            and len(cluster.vector) == len(member.vector)
        ):
            centroid = cluster.vector
            if inside:
                centroid = [a - b for a, b in zip(centroid, member.vector, strict=True)]
            vnorm = math.sqrt(sum(x * x for x in centroid))
            if vnorm > 1e-9:
                cos = sum(a * b for a, b in zip(member.vector, centroid, strict=True)) / vnorm
                score += weights["vector"] * cos
                total += weights["vector"]
        score /= total
        years = cluster.years - Counter(member.years) if inside else cluster.years
        if member.years and +years and not any(y in years for y in member.years):
            score -= self.year_penalty
        return score - self.time_penalty * gap / self.window_days

    def _cluster_score(self, a: _Cluster, b: _Cluster) -> float:
        """Centroid-to-centroid score of two stories (the same formula as for an article)."""
        gap = self._gap_days(a.first, a.last, b.first, b.last)
        if gap is None:
            return -math.inf
        weights = self.weights
        score = total = 0.0
        for channel in _CHANNELS:
            weight = weights[channel]
            if not weight:
                continue
            total += weight
            if a.norms[channel] and b.norms[channel]:
                dot = _dot(a.sums[channel], b.sums[channel])
                score += weight * dot / (a.norms[channel] * b.norms[channel])
        if (
            weights["vector"]
            and a.vector is not None
            and b.vector is not None
            and len(a.vector) == len(b.vector)
        ):
            na = math.sqrt(sum(x * x for x in a.vector))
            nb = math.sqrt(sum(x * x for x in b.vector))
            if na > 1e-9 and nb > 1e-9:
                cos = sum(x * y for x, y in zip(a.vector, b.vector, strict=True))
                score += weights["vector"] * cos / (na * nb)
                total += weights["vector"]
        score /= total
        if a.years and b.years and not (set(a.years) & set(b.years)):
            score -= self.year_penalty
        return score - self.time_penalty * gap / self.window_days

    def _refine(self, members: list[_Member], clusters: dict[str, _Cluster]) -> int:
        """Move each article to the story it fits best (a new one if none reaches the bar)."""
        moved = 0
        for member in members:
            own = clusters[self._of[member.features.article]]
            own_score = self._score(member, own, exclude=True)
            best, best_score = own, own_score
            for cluster in self._candidates(member, clusters):
                if cluster is own:
                    continue
                score = self._score(member, cluster)
                if score > best_score:
                    best, best_score = cluster, score
            if best is own:
                if own_score >= self.threshold or len(own.members) == 1:
                    continue
                sid = story_id(member.features.article)
                if sid in clusters:
                    continue
                best = _Cluster(sid)
                clusters[sid] = best
            elif best_score < self.threshold:
                continue
            own.remove(member)
            if not own.members:
                del clusters[own.id]
            self._join(member, best)
            moved += 1
        return moved

    def _merge(self, clusters: dict[str, _Cluster]) -> int:
        """Merge the best-scoring pair of stories while it reaches ``merge_threshold``."""
        merged = 0
        scores: dict[tuple[str, str], float] = {}

        def neighbours(sid: str) -> list[str]:
            keys = (k for m in clusters[sid].members for k in m.query)
            hits = count_hits(keys, self._postings)
            hits.pop(sid, None)
            return top_stories(hits, clusters, _MAX_CANDIDATES)

        def score_pairs(sid: str) -> None:
            for other in neighbours(sid):
                pair = (sid, other) if sid < other else (other, sid)
                if pair not in scores:
                    scores[pair] = self._merge_score(clusters[pair[0]], clusters[pair[1]])

        for sid in sorted(clusters):
            score_pairs(sid)
        while True:
            best: tuple[float, str, str] | None = None
            for (a, b), score in scores.items():
                if score >= self.merge_threshold and (
                    best is None or (score, b, a) > (best[0], best[2], best[1])
                ):
                    best = (score, a, b)
            if best is None:
                return merged
            _, a, b = best
            keep, drop = (a, b) if clusters[a].oldest <= clusters[b].oldest else (b, a)
            for member in clusters[drop].members:
                clusters[keep].members.append(member)
                self._of[member.features.article] = keep
            clusters[keep].rebuild()
            del clusters[drop]
            for sids in self._postings.values():
                if drop in sids:
                    sids.discard(drop)
                    sids.add(keep)
            scores = {
                pair: v for pair, v in scores.items() if keep not in pair and drop not in pair
            }
            score_pairs(keep)
            merged += 1

    def _merge_score(self, a: _Cluster, b: _Cluster) -> float:
        """Centroid score of two stories, or -inf when their details set them apart.

        The details test is the split test of ``_bisect`` applied to the union: two
        look-alike events score high on their shared vocabulary but low on the details.
        """
        if self._memo is None:
            return self._pair_score(a, b)
        pair = (a.version, b.version)
        score = self._pair_memo.get(pair)
        if score is None:
            score = self._pair_memo[pair] = self._pair_score(a, b)
        return score

    def _pair_score(self, a: _Cluster, b: _Cluster) -> float:
        score = self._cluster_score(a, b)
        if score < self.merge_threshold or self.split_threshold <= 0:
            return score
        if (
            len(a.members) >= _MIN_PART
            and len(b.members) >= _MIN_PART
            and len(a.members) + len(b.members) <= _MAX_SPLIT
        ):
            cross = cross_similarity(a.members, b.members, self.weights, self._details)
            if cross < self.split_threshold:
                return -math.inf
        return score


def _check_fraction(name: str, value: float, default: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0.0 < value < 1.0
    ):
        raise ValueError(
            f"{name} must be a number between 0 and 1, exclusive (got {value!r}); the "
            f"default is {default:g}; higher values make more, smaller stories"
        )


def cluster_stories(
    features: Iterable[StoryFeatures],
    threshold: float = DEFAULT_THRESHOLD,
    window_days: float = DEFAULT_WINDOW_DAYS,
    **options: Any,
) -> list[Story]:
    """Batch clustering: the incremental index fed in time order, then consolidated.

    The same set of articles gives the same stories and ids in any input order (the input is
    sorted by publication time, undated last, then id). Options are ``StoryIndex``'s.
    """
    index = StoryIndex(threshold, window_days, **options)
    for item in sorted(features, key=_sort_key):
        index.add(item)
    index.consolidate()
    return index.stories()
