"""The same quote across outlets: verbatim, trimmed, re-punctuated, partial or reworded copies
of one utterance by one speaker, grouped into clusters with a first appearance and variants.

Matching is over normalised tokens (casefolded, punctuation and quote-mark style dropped,
bracketed editorial insertions optional; rules in ``quote_match``). Four kinds of match make an
edge between two quotes, strongest first: verbatim (same tokens); containment (the shorter's
tokens, at least ``MIN_TOKENS`` of them, mostly found in order inside the longer; or, for one
speaker, the quoted words of a mixed quote or a short quote found in another quote); reworded
(content words shared by both, as when two outlets translate one statement); and same meaning
(one speaker's two quotes whose meaning vectors are close and which share content words: a
direct quote and its indirect report). A quote that denies what the other affirms never joins
it by anything but its very words. Clusters are the connected components of these edges, split
where they would put two different named speakers together.

Candidates come from prefix filtering over content words (set-similarity-join style) and, for
the per-speaker matches, from every earlier quote by a speaker of the same last name: every
pair that could pass is found, with no all-pairs scan and no corpus-dependent pruning, so the
edges, and hence the partition, do not depend on arrival order.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from newstrace.model import Quote, QuoteCluster
from newstrace.provenance.fingerprint import embed
from newstrace.quote_match import (
    CONFLICT,
    MIN_TOKENS,
    SAME,
    UNKNOWN,
    MeaningBucket,
    QuoteText,
    containment,
    denial_differs,
    found_in,
    is_named,
    names_match,
    need,
    pieces,
    prepare_quote,
    same_figures,
    speaker_key,
    speaker_relation,
)

PARAPHRASE_MARGIN = 0.2
PARAPHRASE_SHARED = 2  # content words a paraphrase shares: meaning vectors alone drift ...
PARAPHRASE_SHARED_SHARE = 0.5  # ... and this share of the smaller quote's content words
PIECE_SHARE = 0.3  # of the quote a piece is found in, in words
PARAPHRASE_WORDS = 12  # content words of the longer: long quotes' mean vectors all look alike
MIN_SHARED_REWORDED = 3  # content words two rewordings must share


def normalize_published(value: str | None) -> str | None:
    """ISO 8601 made comparable as a string: aware times in UTC; unparseable means unknown."""
    if not value or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if len(value.strip()) == 10:  # a date alone stays a date: it sorts before that day's times
        return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


# (undated, day, a known copy, date only, published, article, start, end): within one day a
# known copy never comes first, and a known time beats a bare date (which could mean any hour;
# syndicated copies often carry only the date).
_Order = tuple[bool, str, bool, bool, str, str, int, int]


class _Edge(NamedTuple):
    rank: int  # 0 verbatim, 1 containment, 2 reworded, 3 same meaning: stronger merge first
    score: float
    a: int
    b: int


@dataclass
class _Unit:
    """Quotes with the same tokens and speaker string: they always share a cluster, so a wire
    quote syndicated a thousand times is one node of the match graph, not a thousand."""

    text: QuoteText
    speaker: str | None
    first: _Order  # of its earliest quote
    members: list[int] = field(default_factory=list)  # quote indexes
    edges: list[_Edge] = field(default_factory=list)
    cluster: str = ""


class QuoteClusterIndex:
    """Clusters quotes incrementally, article by article, as articles are stored.

    ``add`` returns the new quotes with ``cluster`` set. A later article can change an earlier
    quote's cluster (it bridges two clusters, or appeared earlier); ``take_changes`` hands back
    those earlier quotes so a store can update them.
    """

    def __init__(self, threshold: float = 0.6, copies: Iterable[str] = ()) -> None:
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0.0 < threshold <= 1.0
        ):
            raise ValueError(
                f"threshold must be a number in (0, 1], how similar two quote texts must be "
                f"(got {threshold!r}); the default 0.6 joins translations of one statement, "
                "0.9 only near-verbatim copies"
            )
        self.threshold = float(threshold)
        self._copies = frozenset(copies)  # articles provenance found to copy another
        self._contained = (1.0 + self.threshold) / 2  # containment is scored on the shorter only
        # Meaning alone (a cosine of meaning vectors) must be 0.2 closer than wording: the
        # default joins paraphrases at 0.8; from 0.8 up, only wording joins quotes.
        self._paraphrase = self.threshold + PARAPHRASE_MARGIN
        self._quotes: list[Quote] = []
        self._order: list[_Order] = []  # per quote: its first-appearance sort key
        self._unit_of: list[int] = []
        self._ids: dict[tuple[str, int, int], int] = {}
        self._published: dict[str, str | None] = {}  # article -> published as given
        self._unit_keys: dict[tuple[object, ...], int] = {}
        self._units: list[_Unit] = []
        # per unit: content words to share for containment (as the smaller) and rewording
        self._needs: list[tuple[int, int]] = []
        self._contents: list[frozenset[str]] = []  # per unit: its text's content words
        self._parent: list[int] = []  # union-find over units: the match graph's components
        self._component: dict[int, list[int]] = {}  # root unit -> units
        self._verbatim: defaultdict[str, list[int]] = defaultdict(list)
        self._postings: defaultdict[str, list[int]] = defaultdict(list)  # every content word
        self._contain_prefix: defaultdict[str, list[int]] = defaultdict(list)
        self._reword_prefix: defaultdict[str, list[int]] = defaultdict(list)
        self._changed: dict[int, None] = {}  # quotes returned earlier, relabelled since
        self._said_by: dict[str, MeaningBucket] = {}  # speaker key -> that speaker's long quotes
        # (speaker key, content word) -> units with the word; -> (unit, piece) with it in a piece
        self._spoken: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        self._pieced: defaultdict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        self._pieces: list[tuple[tuple[tuple[str, ...], frozenset[str]], ...]] = []  # per unit

    def add(self, quotes: Sequence[Quote], published: str | None) -> list[Quote]:
        """Index one article's quotes (all published at ``published``) and cluster them."""
        when = normalize_published(published)
        new_quotes: set[int] = set()
        new_units: list[int] = []
        touched: set[int] = set()
        for quote in quotes:
            key = (quote.article, quote.start, quote.end)
            if key in self._ids:  # the same quote again: re-ingesting changes nothing
                continue
            index = self._ids[key] = len(self._quotes)
            self._published.setdefault(quote.article, published)
            self._quotes.append(quote)
            order = (
                when is None,
                (when or "")[:10],
                quote.article in self._copies,
                len(when or "") == 10,
                when or "",
                quote.article,
                quote.start,
                quote.end,
            )
            self._order.append(order)
            text = prepare_quote(quote.text)
            grouped = quote.speaker is not None or len(text.core) >= MIN_TOKENS
            unit_key = (text.full, text.segments, quote.speaker) if grouped else (index,)
            unit = self._unit_keys.get(unit_key)
            if unit is None:
                unit = self._unit_keys[unit_key] = len(self._units)
                self._units.append(_Unit(text, quote.speaker, order))
                size = len(text.content)
                self._contents.append(text.content)
                self._needs.append(
                    (
                        need(self._contained, size),
                        max(MIN_SHARED_REWORDED, need(self.threshold, size)),
                    )
                )
                self._parent.append(unit)
                self._pieces.append(pieces(text))
                self._component[unit] = [unit]
                new_units.append(unit)
            self._unit_of.append(unit)
            self._units[unit].members.append(index)
            self._units[unit].first = min(self._units[unit].first, order)
            new_quotes.add(index)
            touched.add(unit)
        vectors = self._embed(new_units)
        for unit in new_units:
            similar = self._paraphrases_then_post(unit, vectors.get(unit))
            pieced = self._piece_candidates_then_post(unit)
            for other in sorted({*self._candidates_then_post(unit), *similar, *pieced}):
                if (edge := self._match(unit, other, similar.get(other, 0.0))) is not None:
                    self._units[unit].edges.append(edge)
                    self._units[other].edges.append(edge)
                    self._union(unit, other)
        for root in {self._find(unit) for unit in touched}:
            self._relabel(root, new_quotes)
        return [
            replace(q, cluster=self._cluster_of(self._ids[(q.article, q.start, q.end)]))
            for q in quotes
        ]

    def take_changes(self) -> list[Quote]:
        """Quotes returned by an earlier ``add`` whose cluster has changed since; clears them."""
        changed = [replace(self._quotes[i], cluster=self._cluster_of(i)) for i in self._changed]
        self._changed.clear()
        return changed

    def quotes(self) -> list[Quote]:
        """Every quote indexed so far, in arrival order, with its current cluster."""
        return [replace(q, cluster=self._cluster_of(i)) for i, q in enumerate(self._quotes)]

    def clusters(self) -> list[QuoteCluster]:
        """Every cluster, in order of first appearance."""
        groups: defaultdict[str, list[int]] = defaultdict(list)
        for index in range(len(self._quotes)):
            groups[self._cluster_of(index)].append(index)
        ordered = sorted(
            (sorted(group, key=self._order.__getitem__) for group in groups.values()),
            key=lambda group: self._order[group[0]],
        )
        return [self._describe(self._cluster_of(group[0]), group) for group in ordered]

    def _cluster_of(self, index: int) -> str:
        return self._units[self._unit_of[index]].cluster

    def _describe(self, cid: str, indexes: list[int]) -> QuoteCluster:
        quotes = [self._quotes[i] for i in indexes]
        first = quotes[0].article
        opening = [q for q in quotes if q.article == first]
        direct = [q for q in opening if q.kind == "direct"] or opening
        speakers = Counter(q.speaker for q in quotes if q.speaker)
        speaker = min(
            speakers, default=None, key=lambda s: (not is_named(s), -speakers[s], -len(s), s)
        )
        return QuoteCluster(
            id=cid,
            speaker=speaker,
            text=max(direct, key=lambda q: (len(q.text), -q.start)).text,
            first_article=first,
            first_published=self._published[first],
            members=[(q.article, q.start, q.end) for q in quotes],
            variants=list(dict.fromkeys(q.text for q in quotes)),
        )

    def _prefixes(self, text: QuoteText) -> tuple[list[str], list[str]]:
        """Prefix filtering with a fixed token order (longest, usually rarest, first) is exact:
        quotes sharing ``need(f, n)`` of the smaller's ``n`` content words share a word of its
        prefix for ``f``, and reworded pairs (``need`` of the larger) share a prefix word."""
        content = sorted(text.content, key=lambda t: (-len(t), t))
        size = len(content)
        return (
            content[: size - need(self._contained, size) + 1],
            content[: size - need(self.threshold, size) + 1],
        )

    def _candidates_then_post(self, unit: int) -> list[int]:
        """Earlier units that may match this one; then this one joins the postings.

        Containment and rewording both need each quote to have at least ``MIN_TOKENS`` tokens,
        so a shorter quote is looked up and posted by its verbatim keys only; every other
        candidate must already share enough content words to pass ``_match``'s first gate."""
        text = self._units[unit].text
        found = {other for key in text.keys for other in self._verbatim.get(key, ())}
        for key in text.keys:
            self._verbatim[key].append(unit)
        if len(text.core) < MIN_TOKENS:
            return sorted(found - {unit})
        contain, reword = self._prefixes(text)
        overlap: set[int] = set()
        for token in contain:  # this quote is the smaller one, inside an older one
            overlap.update(self._postings.get(token, ()))
        for token in text.content:  # an older, smaller quote inside this one
            overlap.update(self._contain_prefix.get(token, ()))
            self._postings[token].append(unit)
        for token in reword:
            overlap.update(self._reword_prefix.get(token, ()))
            self._reword_prefix[token].append(unit)
        for token in contain:
            self._contain_prefix[token].append(unit)
        # ``need`` grows with size, so the pair's bars come from the two units' own bars:
        # containment needs the smaller one's, rewording the larger one's.
        content, contents, needs = text.content, self._contents, self._needs
        contain_bar, reword_bar = needs[unit]
        for other in overlap - found:
            other_contain, other_reword = needs[other]
            bar = contain_bar if contain_bar < other_contain else other_contain
            if reword_bar > other_reword:
                other_reword = reword_bar
            if other_reword < bar:
                bar = other_reword
            if len(content & contents[other]) >= bar:
                found.add(other)
        return sorted(found - {unit})

    def _embed(self, units: Sequence[int]) -> dict[int, np.ndarray]:
        """Meaning vectors of the units that can match by meaning alone: named speaker, long."""
        wanted = [
            u
            for u in units
            if speaker_key(self._units[u].speaker) and len(self._units[u].text.core) >= MIN_TOKENS
        ]
        if not wanted:
            return {}
        texts = [" ".join(self._units[u].text.core) for u in wanted]
        return dict(zip(wanted, embed(texts), strict=True))

    def _paraphrases_then_post(self, unit: int, vector: np.ndarray | None) -> dict[int, float]:
        """Earlier units by a speaker of the same name whose meaning is at least
        ``_paraphrase`` close (cosine); then this one joins its speaker's bucket. Every earlier
        unit of the bucket is compared, so no pair depends on arrival order."""
        key = speaker_key(self._units[unit].speaker)
        if vector is None or key is None:
            return {}
        bucket = self._said_by.setdefault(key, MeaningBucket())
        found = bucket.closer_than(vector, self._paraphrase)
        bucket.append(unit, vector)
        return found

    def _piece_candidates_then_post(self, unit: int) -> list[int]:
        """Earlier units by a speaker of the same last name that hold enough of a piece's
        content words (this one's pieces in them, or their pieces in this one) for
        ``_piece_found`` to find it; then this one joins its speaker's postings."""
        key = speaker_key(self._units[unit].speaker)
        if key is None:
            return []
        contents, pieces, bar = self._contents, self._pieces, self._contained
        found: set[int] = set()
        for _, content in pieces[unit]:
            hits = Counter(o for w in content for o in self._spoken.get((key, w), ()))
            found.update(o for o, n in hits.items() if n >= need(bar, len(content)))
        piece_hits = Counter(o for w in contents[unit] for o in self._pieced.get((key, w), ()))
        found.update(
            other
            for (other, k), n in piece_hits.items()
            if n >= need(bar, len(pieces[other][k][1]))
        )
        for word in contents[unit]:
            self._spoken[(key, word)].append(unit)
        for k, (_, content) in enumerate(pieces[unit]):
            for word in content:
                self._pieced[(key, word)].append((unit, k))
        return sorted(found)

    def _piece_found(self, a: int, b: int) -> float:
        """How well a piece of either quote is found in the other (see ``_pieces``): a piece
        must make up ``PIECE_SHARE`` of the quote it is found in, or a slogan would join every
        speech that repeats it."""
        best = 0.0
        for piece_of, other in ((a, b), (b, a)):
            text = self._units[other].text
            for words, content in self._pieces[piece_of]:
                if len(words) < PIECE_SHARE * len(text.core):
                    continue
                if len(content & text.content) >= need(self._contained, len(content)):
                    best = max(best, found_in(words, text) or 0.0)
        return best

    def _match(self, a: int, b: int, meaning: float = 0.0) -> _Edge | None:
        """The strongest match kind between two quotes that their speakers allow, if any;
        ``meaning`` is the cosine of their meaning vectors where a search found it close."""
        ta, tb = self._units[a].text, self._units[b].text
        pair = (min(a, b), max(a, b))
        long_enough = min(len(ta.core), len(tb.core)) >= MIN_TOKENS
        verbatim = bool(ta.keys & tb.keys)
        shared = len(ta.content & tb.content)
        small, large = sorted((len(ta.content), len(tb.content)))
        may_contain = long_enough and shared >= need(self._contained, small)
        may_reword = long_enough and shared >= max(MIN_SHARED_REWORDED, need(self.threshold, large))
        key = speaker_key(self._units[a].speaker)
        one_name = key is not None and key == speaker_key(self._units[b].speaker)
        may_paraphrase = (
            one_name
            and meaning >= self._paraphrase
            and shared >= max(PARAPHRASE_SHARED, need(PARAPHRASE_SHARED_SHARE, small))
            and large <= PARAPHRASE_WORDS
        )
        may_piece = one_name and bool(self._pieces[a] or self._pieces[b])
        if not (verbatim or may_contain or may_reword or may_paraphrase or may_piece):
            return None
        relation = speaker_relation(self._units[a].speaker, self._units[b].speaker)
        if relation == CONFLICT:
            return None
        if verbatim:
            return _Edge(0, 1.0, *pair) if long_enough or relation == SAME else None
        contained = max(containment(ta, tb), containment(tb, ta)) if may_contain else 0.0
        if contained >= self._contained:
            return _Edge(1, contained, *pair)
        if may_piece and relation == SAME:
            found = self._piece_found(a, b)
            if found >= self._contained:
                return _Edge(1, found, *pair)
        if denial_differs(ta, tb) or not same_figures(ta, tb):
            return None  # one denies what the other affirms, or gives other figures
        if may_reword and relation in (SAME, UNKNOWN):
            covered = shared / large  # of both sides, so a longer statement is not a rewording
            order = fuzz.token_sort_ratio(" ".join(ta.core), " ".join(tb.core)) / 100
            if min(covered, order) >= self.threshold:
                return _Edge(2, min(covered, order), *pair)
        if may_paraphrase and relation == SAME:
            return _Edge(3, meaning, *pair)
        return None

    def _find(self, node: int) -> int:
        while self._parent[node] != node:
            self._parent[node] = self._parent[self._parent[node]]
            node = self._parent[node]
        return node

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._component[ra]) < len(self._component[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._component[ra].extend(self._component.pop(rb))

    def _relabel(self, root: int, new: set[int]) -> None:
        """Re-derive the clusters of one connected component from its edges alone."""
        units = self._component[root]
        names = {s for s in (self._units[u].speaker for u in units) if s and is_named(s)}
        for group in [units] if _compatible(names, set()) else self._split(units):
            first = min(self._units[unit].first for unit in group)
            digest = hashlib.sha1(
                "\x1f".join(map(str, first[-3:])).encode(), usedforsecurity=False
            ).hexdigest()
            cid = "q" + digest[:12]
            for unit in group:
                if (record := self._units[unit]).cluster != cid:
                    record.cluster = cid
                    self._changed.update(dict.fromkeys(sorted(set(record.members) - new)))

    def _split(self, units: list[int]) -> list[list[int]]:
        """Kruskal over the component's edges, strongest first in a fixed order, refusing any
        merge that would put two different named speakers in one cluster."""
        parent = {unit: unit for unit in units}
        names = {
            unit: ({s} if (s := self._units[unit].speaker) and is_named(s) else set())
            for unit in units
        }

        def find(unit: int) -> int:
            while parent[unit] != unit:
                unit = parent[unit]
            return unit

        edges = sorted(
            {e for unit in units for e in self._units[unit].edges},
            key=lambda e: (
                e.rank,
                -e.score,
                sorted((self._units[e.a].first, self._units[e.b].first)),
            ),
        )
        for edge in edges:
            ra, rb = find(edge.a), find(edge.b)
            if ra != rb and _compatible(names[ra], names[rb]):
                parent[rb] = ra
                names[ra] |= names.pop(rb)
        groups: defaultdict[int, list[int]] = defaultdict(list)
        for unit in units:
            groups[find(unit)].append(unit)
        return list(groups.values())


def _compatible(left: set[str], right: set[str]) -> bool:
    """No two different named speakers across (or within) the two sets."""
    names = sorted(left | right)
    return all(names_match(a, b) for i, a in enumerate(names) for b in names[i + 1 :])


def cluster_quotes(
    items: Iterable[tuple[Sequence[Quote], str | None]],
    threshold: float = 0.6,
    copies: Iterable[str] = (),
) -> tuple[list[Quote], list[QuoteCluster]]:
    """Batch form: (quotes of one article, its published date) pairs in any order; returns every
    quote with its final cluster, in input order, and the clusters. ``copies`` names articles
    known to copy another, which never count as a same-day first appearance."""
    index = QuoteClusterIndex(threshold, copies)
    for quotes, published in items:
        index.add(quotes, published)
    return index.quotes(), index.clusters()
