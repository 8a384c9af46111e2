"""Who copied whom: candidate search, sentence alignment, relation and original.

Public API::

    doc = ProvenanceDoc(id, text, published, sentences, quotes, spun_score)
    index = ProvenanceIndex(threshold=0.3)
    changed = index.add(doc, fp)    # links new or re-pointed because of this article
    links = index.links()           # the current final set: one link per copy
    links = find_links(docs)        # batch: the final set after adding them in order

For each new article: candidates from the MinHash LSH (near-duplicates) and from the
nearest embeddings (rewrites, spun copies); each candidate is aligned sentence by sentence
in both directions; a pair that passes the link gates records both possible links
(``relation.classify`` of each direction) and the pair's own vote for its original
(``relation.name_original``; pairs that cannot decide alone are settled by the articles
linked to both, ``family.settle_undecided``). Linked pairs form families; in each, the
article that wins most of its pairwise votes is the original (never ranked before an
article its own pair decided it copies, ``family.ordered``), and every other article
keeps ONE link, to its closest source (one it duplicates word for word first, if the copy
is mostly that one), never to a verbatim duplicate of another among sources about as close
(a syndicated copy and its original do not both count as sources), nor to a reworded copy of
another when a first-hand source is almost as close; a source that is a light copy of the
root gives way to the root when the root explains the copy as well. A later article that is a
better original re-points the family; the changed links are returned by ``add`` and
``links()`` always gives the final set.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newstrace.model import Link
from newstrace.provenance import relation as rel
from newstrace.provenance.align import Alignment, Prepared, prepare
from newstrace.provenance.align import align as _align
from newstrace.provenance.family import (
    MAX_REORDER,
    SCORE_TIE,
    SOURCE_MARGIN,
    Edge,
    closest_source,
    misplaced,
    ordered,
    settle_undecided,
)
from newstrace.provenance.fingerprint import NUM_PERM, Fingerprint, fingerprint, load_embedder
from newstrace.provenance.index import BandIndex, VectorIndex

__all__ = [
    "Fingerprint",
    "Link",
    "ProvenanceDoc",
    "ProvenanceIndex",
    "find_links",
    "fingerprint",
    "provenance_features",
    "stored_doc",
]

MAX_EVIDENCE = 40


@dataclass(frozen=True)
class ProvenanceDoc:
    """One article as provenance sees it: cleaned text, date, sentence and quote spans."""

    id: str
    text: str
    published: str | None = None
    sentences: tuple[tuple[int, int], ...] = ()
    quotes: tuple[tuple[int, int], ...] = ()  # spans to mask (direct and mixed quotes)
    spun_score: float | None = None


class ProvenanceIndex:
    """Stored articles' fingerprints, searched and verified as new articles arrive.

    ``fetch`` returns a stored article by id (the store); without it the index keeps the
    articles it was given in memory. ``threshold`` is the MinHash LSH Jaccard threshold;
    ``k`` and ``min_cos`` bound the semantic neighbours checked per new article.
    """

    def __init__(
        self,
        threshold: float = 0.3,
        *,
        k: int = 10,
        min_cos: float = 0.75,
        fetch: Callable[[str], ProvenanceDoc | None] | None = None,
        num_perm: int = NUM_PERM,
    ) -> None:
        self.threshold = threshold
        self.k = k
        self.min_cos = min_cos
        self._fetch = fetch
        self._docs: dict[str, ProvenanceDoc] = {}
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._published: dict[str, str | None] = {}
        self._edges: dict[str, dict[str, Edge]] = {}
        self._links: dict[str, Link] = {}
        self._returned: set[tuple[str, str]] = set()
        self.bands = BandIndex(threshold, num_perm)
        self.vectors = VectorIndex(load_embedder().dim)
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    # -- storage --------------------------------------------------------------------------
    def _get(self, doc_id: str) -> ProvenanceDoc | None:
        if doc_id in self._docs:
            return self._docs[doc_id]
        return self._fetch(doc_id) if self._fetch else None

    def _prep(self, doc: ProvenanceDoc) -> Prepared:
        hit = self._prepared.get(doc.id)
        if hit is not None and hit.text == doc.text:
            self._prepared.move_to_end(doc.id)
            return hit
        prepared = prepare(doc.text, doc.sentences, doc.quotes)
        self._prepared[doc.id] = prepared
        if len(self._prepared) > 512:
            self._prepared.popitem(last=False)
        return prepared

    def _store(self, doc: ProvenanceDoc, fp: Fingerprint) -> None:
        pos = len(self._ids)
        self._ids.append(doc.id)
        self._pos[doc.id] = pos
        self._published[doc.id] = doc.published
        if self._fetch is None:
            self._docs[doc.id] = doc
        self.bands.add(pos, fp.minhash)
        self.vectors.add(pos, fp.embedding)

    # -- search ---------------------------------------------------------------------------
    def candidates(self, fp: Fingerprint) -> list[str]:
        """Stored ids whose fingerprints are close to this one (LSH hits, then neighbours)."""
        found = set(self.bands.query(fp.minhash))
        found.update(p for p, _ in self.vectors.query(fp.embedding, self.k, self.min_cos))
        return [self._ids[p] for p in sorted(found)]

    def add(self, doc: ProvenanceDoc, fp: Fingerprint | None = None) -> list[Link]:
        """Store the article and return the links it made or re-pointed.

        Each copy keeps one link, to its family's original; when the new article turns out
        to be a better original for a stored family, that family's links are re-pointed to
        it and returned too. A (copy, original) pair is returned at most once over the
        index's life, so the stream never repeats a pair, but it can hold links since
        re-pointed: ``links()`` is the current, final set, the one to store.
        """
        if doc.id in self._pos:
            return []
        fp = fp if fp is not None else fingerprint(doc.text, doc.sentences)
        for other_id in self.candidates(fp):
            other = self._get(other_id)
            if other is None:
                continue
            edge = self.compare_both(doc, other, len(self._ids), self._pos[other_id])
            if edge is not None:
                self._add_edge(doc.id, other_id, edge)
        self._store(doc, fp)
        fresh = []
        for link in self._resolve(doc.id):
            if (link.copy, link.original) not in self._returned:
                self._returned.add((link.copy, link.original))
                fresh.append(link)
        return fresh

    def links(self) -> list[Link]:
        """Every current link, one per copy, in the order the copies were stored."""
        return [self._links[c] for c in sorted(self._links, key=lambda c: self._pos.get(c, -1))]

    # -- families -------------------------------------------------------------------------
    def _add_edge(self, a: str, b: str, edge: Edge) -> None:
        self._edges.setdefault(a, {})[b] = edge
        self._edges.setdefault(b, {})[a] = edge

    def _component(self, start: str) -> list[str]:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            for other in self._edges.get(node, {}):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return sorted(seen, key=lambda x: self._pos.get(x, len(self._pos)))

    def _resolve(self, start: str) -> list[Link]:
        """Re-decide the links of the family around ``start``; return the changed ones.

        Every linked pair has voted for its original (``relation.name_original``, or the
        family's third parties for a pair that could not decide); the article that wins the
        most of its pairwise decisions is the family's original (ranked after any article
        its pair decided it copies: ``family.ordered``), and each other article
        links to its closest source, the better-ranked among sources about as close, in the
        direction that makes that one the original (the pair's own alignment, re-classified).
        A copy ranked before an article it copies far more closely than its source is ranked
        again after it (``family.misplaced``).
        """
        nodes = self._component(start)
        if len(nodes) < 2:
            return []
        settled = settle_undecided(self._edges, nodes)
        votes = dict.fromkeys(nodes, 0)
        copy_of: dict[str, set[str]] = {n: set() for n in nodes}
        for n in nodes:
            for other, edge in self._edges.get(n, {}).items():
                original = settled.get(frozenset((n, other)), edge.preferred.original)
                if edge.preferred.decided_by == "undecided" and original == "":
                    continue
                votes[n] += 1 if original == n else -1
                if original == other and edge.preferred.decided_by != "undecided":
                    copy_of[n].add(other)  # the pair's own decision, not the family's vote
        # Ties (pairs that could not decide) go to the family's centre: derivatives are made
        # from the original, each in its own way, so it is closer to each of them than
        # they are to one another.
        centre = {
            n: float(
                np.mean(
                    [
                        max(x.score for x in (e.a_copy, e.b_copy, e.preferred) if x is not None)
                        for e in self._edges.get(n, {}).values()
                    ]
                )
            )
            for n in nodes
        }

        def key(n: str) -> tuple[float, float, str]:
            return (-votes[n], -round(centre[n], 6), n)

        rank = ordered(nodes, copy_of, key=key)
        chosen = self._choose(rank)
        for _ in range(MAX_REORDER):
            later = [(n, o) for n, o in misplaced(self._edges, rank, chosen) if n not in copy_of[o]]
            if not later:  # none, or only ones contradicting an earlier re-ranking
                break
            for n, o in later:
                copy_of[n].add(o)
            rank = ordered(nodes, copy_of, key=key)
            chosen = self._choose(rank)
        changed = []
        for n in nodes:
            old, new = self._links.get(n), chosen.get(n)
            if new is None:
                self._links.pop(n, None)
            else:
                self._links[n] = new
                if old is None or old.to_dict() != new.to_dict():
                    changed.append(new)
        return changed

    def _choose(self, rank: list[str]) -> dict[str, Link]:
        """Each article's one source among those ranked before it (none for a root)."""
        place = {n: i for i, n in enumerate(rank)}
        chosen: dict[str, Link] = {}
        roots: set[str] = set()
        for n in rank:
            options = [
                (place[o], -link.score, link)
                for o, edge in self._edges.get(n, {}).items()
                if (o in roots or o in chosen) and (link := edge.as_copy(n)) is not None
            ]
            if not options:
                roots.add(n)
                continue
            best = self._past_duplicates(n, closest_source(options, chosen, roots), chosen)
            if best.decided_by == "undecided":
                best = dataclasses.replace(best, decided_by="family")
            chosen[n] = self._to_root(best, chosen)
        return chosen

    def _past_duplicates(self, copy: str, link: Link, chosen: dict[str, Link]) -> Link:
        """A source that is a duplicate of another article the copy is linked with gives way
        to that one: the same text, so the copy is as much a copy of it (their shared
        boilerplate can make the duplicate score a little closer)."""
        seen = {copy}
        while link.original in chosen and link.original not in seen:
            seen.add(link.original)
            up = chosen[link.original]
            edge = self._edges.get(copy, {}).get(up.original)
            direct = edge.as_copy(copy) if edge is not None else None
            if up.relation != "duplicate" or direct is None:
                break
            link = direct
        return link

    def _to_root(self, link: Link, chosen: dict[str, Link]) -> Link:
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
        edge = self._edges.get(link.copy, {}).get(source)
        if edge is not None:
            # linked with the root itself: the root when it explains the copy as well (the
            # source only repeats what the copy took from the root), else the closer source
            direct = edge.as_copy(link.copy)
            if direct is None or direct.score < link.score - SCORE_TIE:
                return link
            return dataclasses.replace(
                direct, decided_by=f"{link.decided_by}; copy of {link.original}"
            )
        copy_doc, root = self._get(link.copy), self._get(source)
        if copy_doc is None or root is None:
            return link
        al = _align(self._prep(copy_doc), self._prep(root))
        if rel.score(al) < link.score - SOURCE_MARGIN:
            # the root does not explain the copy as well: the source is a copy in its own
            # right (a natural near-copy with its own wording), and the copy was taken from it
            return link
        relation = rel.classify(
            al,
            copy_doc.spun_score,
            rel.garbled_names(al, copy_doc.text, root.text),
            rel.articles_kept(al, copy_doc.text, root.text),
            root.spun_score,
        )
        return Link(
            copy=link.copy,
            original=root.id,
            relation=relation or link.relation,
            score=rel.score(al),
            evidence=[p.evidence(copy_doc.text, root.text) for p in al.pairs[:MAX_EVIDENCE]],
            decided_by=f"{link.decided_by}; copy of {link.original}",
        )

    def compare_both(
        self, a: ProvenanceDoc, b: ProvenanceDoc, a_arrival: int = 1, b_arrival: int = 0
    ) -> Edge | None:
        """Both possible links between two articles and the pair's own decision, or None."""
        pa, pb = self._prep(a), self._prep(b)
        ab, ba = _align(pa, pb), _align(pb, pa)
        if not (rel.is_link(ab) or rel.is_link(ba)):
            return None
        side_a = _side(a, ab, b.text, a_arrival)
        side_b = _side(b, ba, a.text, b_arrival)
        copy, _original, decided = rel.name_original(side_a, side_b)
        a_copy = self._link(a, b, ab, side_a.garbled, decided if copy is side_a else "")
        b_copy = self._link(b, a, ba, side_b.garbled, decided if copy is side_b else "")
        preferred = a_copy if copy is side_a else b_copy
        if preferred is None:
            return None
        return Edge(preferred, a_copy, b_copy)

    def _link(
        self, copy: ProvenanceDoc, orig: ProvenanceDoc, al: Alignment, garbled: int, decided: str
    ) -> Link | None:
        relation = rel.classify(
            al,
            copy.spun_score,
            garbled,
            rel.articles_kept(al, copy.text, orig.text),
            orig.spun_score,
        )
        if relation is None:
            return None
        return Link(
            copy=copy.id,
            original=orig.id,
            relation=relation,
            score=rel.score(al),
            evidence=[p.evidence(copy.text, orig.text) for p in al.pairs[:MAX_EVIDENCE]],
            decided_by=decided or "family",
        )

    def compare(
        self, a: ProvenanceDoc, b: ProvenanceDoc, a_arrival: int = 1, b_arrival: int = 0
    ) -> Link | None:
        """The link between two articles on their own, or None."""
        edge = self.compare_both(a, b, a_arrival, b_arrival)
        return edge.preferred if edge is not None else None

    # -- persistence ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The index (not the article texts: ``fetch`` or ``add`` supplies those)."""
        meta = {
            "threshold": self.threshold,
            "k": self.k,
            "min_cos": self.min_cos,
            "ids": self._ids,
            "published": [self._published[i] for i in self._ids],
            "edges": [
                edge.to_list()
                for a, row in sorted(self._edges.items())
                for b, edge in sorted(row.items())
                if a < b
            ],
            "links": [link.to_dict() for link in self.links()],
            "returned": sorted(self._returned),
        }
        buf = io.BytesIO()
        np.savez(
            buf,
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
            bands=np.frombuffer(self.bands.to_bytes(), np.uint8),
            vectors=np.frombuffer(self.vectors.to_bytes(), np.uint8),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        fetch: Callable[[str], ProvenanceDoc | None] | None = None,
        docs: Iterable[ProvenanceDoc] = (),
    ) -> ProvenanceIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes())
            index = cls(meta["threshold"], k=meta["k"], min_cos=meta["min_cos"], fetch=fetch)
            index.bands = BandIndex.from_bytes(z["bands"].tobytes())
            index.vectors = VectorIndex.from_bytes(z["vectors"].tobytes())
        index._ids = list(meta["ids"])
        index._pos = {doc_id: i for i, doc_id in enumerate(index._ids)}
        index._published = dict(zip(index._ids, meta["published"], strict=True))
        for row in meta.get("edges") or []:
            edge = Edge.from_list(row)
            index._add_edge(edge.preferred.copy, edge.preferred.original, edge)
        index._links = {x["copy"]: Link.from_dict(x) for x in meta.get("links") or []}
        index._returned = {(c, o) for c, o in meta.get("returned") or []}
        for doc in docs:
            index._docs[doc.id] = doc
        return index

    @classmethod
    def rebuild(
        cls,
        records: Iterable[tuple[ProvenanceDoc, Fingerprint]],
        links: Iterable[Link] = (),
        threshold: float = 0.3,
        fetch: Callable[[str], ProvenanceDoc | None] | None = None,
    ) -> ProvenanceIndex:
        """An index from stored articles and fingerprints (in arrival order) and links."""
        index = cls(threshold, fetch=fetch)
        for doc, fp in records:
            index._store(doc, fp)
        for link in links:
            index._add_edge(link.copy, link.original, Edge(link, link, None))
            index._links.setdefault(link.copy, link)
            index._returned.add((link.copy, link.original))
        return index


def _side(doc: ProvenanceDoc, al: Alignment, other_text: str, arrival: int) -> rel.Side:
    return rel.Side(
        id=doc.id,
        published=rel.parse_date(doc.published),
        spun_score=doc.spun_score,
        arrival=arrival,
        garbled=rel.garbled_names(al, doc.text, other_text),
        credit=rel.has_credit(al, doc.text),
        contained=al.copy_covered,
        day_only=bool(doc.published) and len((doc.published or "").strip()) <= 10,
        changed=rel.changed_share(al),
        derived=rel.score(al),
    )


def provenance_features(text: str, sentences: Sequence[tuple[int, int]]) -> dict[str, Any]:
    """The per-article part, JSON-ready for the store: computed where the parse is, so the
    corpus stage never re-parses or re-embeds an article."""
    return {
        "fingerprint": base64.b64encode(fingerprint(text, sentences).to_bytes()).decode("ascii"),
        "sentences": [[start, end] for start, end in sentences],
    }


def stored_doc(
    article_id: str,
    text: str,
    published: str | None,
    features: dict[str, Any],
    quotes: Sequence[tuple[int, int]] = (),
    spun_score: float | None = None,
) -> tuple[ProvenanceDoc, Fingerprint]:
    """A stored article back as the index wants it (the inverse of ``provenance_features``)."""
    sentences = tuple((int(start), int(end)) for start, end in features["sentences"])
    doc = ProvenanceDoc(article_id, text, published, sentences, tuple(quotes), spun_score)
    return doc, Fingerprint.from_bytes(base64.b64decode(features["fingerprint"]))


def find_links(docs: Sequence[ProvenanceDoc], threshold: float = 0.3) -> list[Link]:
    """The final links among the articles (one per copy), adding them in the given order."""
    index = ProvenanceIndex(threshold)
    for doc in docs:
        index.add(doc)
    return index.links()
