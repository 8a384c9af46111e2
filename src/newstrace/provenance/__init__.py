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

Modules: ``fingerprint`` and ``index`` (candidate search), ``align`` and ``relation`` (a pair's
alignment, relation and original), ``pairs`` (both links of a pair), ``family`` and
``sources`` (a family's order and each copy's one source); this one keeps the index and its
persistence.
"""

from __future__ import annotations

import base64
import io
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from newstrace.model import Link
from newstrace.provenance.align import Prepared, prepare
from newstrace.provenance.family import Edge
from newstrace.provenance.fingerprint import NUM_PERM, Fingerprint, fingerprint, load_embedder
from newstrace.provenance.index import BandIndex, VectorIndex
from newstrace.provenance.pairs import ProvenanceDoc, compare_both, realign
from newstrace.provenance.sources import resolve_family

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
        """Re-decide the links of the family around ``start`` (``sources.resolve_family``);
        return the changed ones."""
        nodes = self._component(start)
        if len(nodes) < 2:
            return []
        chosen = resolve_family(self._edges, nodes, self._realign)
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

    def _realign(self, copy_id: str, root_id: str, fallback: str) -> Link | None:
        copy_doc, root = self._get(copy_id), self._get(root_id)
        if copy_doc is None or root is None:
            return None
        return realign(copy_doc, root, self._prep(copy_doc), self._prep(root), fallback)

    def compare_both(
        self, a: ProvenanceDoc, b: ProvenanceDoc, a_arrival: int = 1, b_arrival: int = 0
    ) -> Edge | None:
        """Both possible links between two articles and the pair's own decision, or None."""
        return compare_both(a, b, self._prep(a), self._prep(b), a_arrival, b_arrival)

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
