"""Who copied whom: candidate search, sentence alignment, relation and original.

Public API::

    doc = ProvenanceDoc(id, text, published, sentences, quotes, spun_score)
    index = ProvenanceIndex(threshold=0.3)
    links = index.add(doc)          # links between the new article and stored ones
    links = find_links(docs)        # batch: the same as adding one by one, in order

For each new article: candidates from the MinHash LSH (near-duplicates) and from the
nearest embeddings (rewrites, spun copies); each candidate is aligned sentence by sentence
in both directions; a pair that passes the link gates gets its direction from
``relation.name_original`` and its relation from ``relation.classify``. When the new article
copies several stored articles that are themselves copies of one of them, only the link
to that root is kept (a syndicated copy and its original do not both count as sources).
"""

from __future__ import annotations

import base64
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
        self._original_of: dict[str, str] = {}
        self._relation_of: dict[str, str] = {}
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
        """Store the article and return its links with the stored ones (new links only)."""
        if doc.id in self._pos:
            return []
        fp = fp if fp is not None else fingerprint(doc.text, doc.sentences)
        links = [
            link
            for other_id in self.candidates(fp)
            if (other := self._get(other_id)) is not None
            and (link := self.compare(doc, other, len(self._ids), self._pos[other_id]))
        ]
        links = [self._to_root(doc, link) for link in self._roots(doc.id, links)]
        for link in links:
            self._relation_of.setdefault(link.copy, link.relation)
            self._original_of.setdefault(link.copy, link.original)
        for link in links:
            # A copy first linked to a sibling is re-pointed to the original when it arrives.
            known = self._original_of[link.copy]
            if link.original == doc.id and self._original_of.get(known) == doc.id:
                self._original_of[link.copy] = doc.id
        self._store(doc, fp)
        return links

    def _roots(self, new_id: str, links: list[Link]) -> list[Link]:
        """Keep one link per copy family: when the new article copies a stored original,
        drop its links to stored articles that are copies (directly or through a chain)
        of that original: siblings, not sources."""
        copied = {link.original for link in links if link.copy == new_id}
        kept = []
        for link in links:
            partner = link.original if link.copy == new_id else link.copy
            up, seen = self._original_of.get(partner), {partner}
            while up is not None and up not in seen and up not in copied:
                seen.add(up)
                up = self._original_of.get(up)
            if up is None or up in seen or up == partner:
                kept.append(link)
        return kept

    def _to_root(self, doc: ProvenanceDoc, link: Link) -> Link:
        """A copy of a stored duplicate or near-duplicate names that one's original."""
        if link.copy != doc.id:
            return link
        source, seen = link.original, {doc.id}
        while (
            self._relation_of.get(source) in ("duplicate", "near-duplicate")
            and source not in seen
            and self._original_of.get(source) not in (None, doc.id)
        ):
            seen.add(source)
            source = self._original_of[source]
        root = self._get(source) if source != link.original else None
        if root is None:
            return link
        al = _align(self._prep(doc), self._prep(root))
        return Link(
            copy=doc.id,
            original=root.id,
            relation=rel.classify(al, doc.spun_score) or link.relation,
            score=rel.score(al),
            evidence=[p.evidence(doc.text, root.text) for p in al.pairs[:MAX_EVIDENCE]],
            decided_by=f"{link.decided_by}; copy of {link.original}",
        )

    def compare(
        self, a: ProvenanceDoc, b: ProvenanceDoc, a_arrival: int = 1, b_arrival: int = 0
    ) -> Link | None:
        """The link between two articles, or None."""
        pa, pb = self._prep(a), self._prep(b)
        ab, ba = _align(pa, pb), _align(pb, pa)
        if not (rel.is_link(ab) or rel.is_link(ba)):
            return None
        side_a = _side(a, ab, b.text, a_arrival)
        side_b = _side(b, ba, a.text, b_arrival)
        copy, original, decided = rel.name_original(side_a, side_b)
        al = ab if copy is side_a else ba
        copy_doc, orig_doc = (a, b) if copy is side_a else (b, a)
        relation = rel.classify(al, copy_doc.spun_score, copy.garbled)
        if relation is None:
            return None
        return Link(
            copy=copy.id,
            original=original.id,
            relation=relation,
            score=rel.score(al),
            evidence=[p.evidence(copy_doc.text, orig_doc.text) for p in al.pairs[:MAX_EVIDENCE]],
            decided_by=decided,
        )

    # -- persistence ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The index (not the article texts: ``fetch`` or ``add`` supplies those)."""
        meta = {
            "threshold": self.threshold,
            "k": self.k,
            "min_cos": self.min_cos,
            "ids": self._ids,
            "published": [self._published[i] for i in self._ids],
            "original_of": self._original_of,
            "relation_of": self._relation_of,
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
        index._original_of = dict(meta["original_of"])
        index._relation_of = dict(meta.get("relation_of") or {})
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
            index._original_of.setdefault(link.copy, link.original)
            index._relation_of.setdefault(link.copy, link.relation)
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
    """All links among the articles, adding them in the given order."""
    index = ProvenanceIndex(threshold)
    return [link for doc in docs for link in index.add(doc)]
