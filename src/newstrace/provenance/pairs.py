"""Two articles on their own: both possible links between them and the pair's own decision.

Kept apart from the index so that the family rules (``sources``) and the index share one way
of turning an alignment into a ``Link``.
"""

from __future__ import annotations

from dataclasses import dataclass

from newstrace.model import Link
from newstrace.provenance import relation as rel
from newstrace.provenance.align import Alignment, Prepared, align
from newstrace.provenance.family import Edge

__all__ = ["MAX_EVIDENCE", "ProvenanceDoc", "compare_both", "make_link", "realign"]

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


def compare_both(
    a: ProvenanceDoc,
    b: ProvenanceDoc,
    pa: Prepared,
    pb: Prepared,
    a_arrival: int = 1,
    b_arrival: int = 0,
) -> Edge | None:
    """Both possible links between two articles and the pair's own decision, or None."""
    ab, ba = align(pa, pb), align(pb, pa)
    if not (rel.is_link(ab) or rel.is_link(ba)):
        return None
    side_a = _side(a, ab, b.text, a_arrival)
    side_b = _side(b, ba, a.text, b_arrival)
    copy, _original, decided = rel.name_original(side_a, side_b)
    a_copy = make_link(a, b, ab, side_a.garbled, decided if copy is side_a else "")
    b_copy = make_link(b, a, ba, side_b.garbled, decided if copy is side_b else "")
    preferred = a_copy if copy is side_a else b_copy
    if preferred is None:
        return None
    return Edge(preferred, a_copy, b_copy)


def make_link(
    copy: ProvenanceDoc, orig: ProvenanceDoc, al: Alignment, garbled: int, decided: str
) -> Link | None:
    """The link of ``copy`` to ``orig`` their alignment supports, or None."""
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


def realign(
    copy: ProvenanceDoc, root: ProvenanceDoc, pc: Prepared, pr: Prepared, fallback: str
) -> Link:
    """The copy aligned with a root it was never compared with (its relation ``fallback``
    when that alignment alone would not make a link: the family already decided it is one)."""
    al = align(pc, pr)
    relation = rel.classify(
        al,
        copy.spun_score,
        rel.garbled_names(al, copy.text, root.text),
        rel.articles_kept(al, copy.text, root.text),
        root.spun_score,
    )
    return Link(
        copy=copy.id,
        original=root.id,
        relation=relation or fallback,
        score=rel.score(al),
        evidence=[p.evidence(copy.text, root.text) for p in al.pairs[:MAX_EVIDENCE]],
        decided_by="",
    )


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
