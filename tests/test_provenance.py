"""Provenance: fingerprints, alignment, relations, original naming, the incremental index.

Every text here is fictional, written for these tests.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.provenance import (
    Fingerprint,
    Link,
    ProvenanceDoc,
    ProvenanceIndex,
    find_links,
    fingerprint,
)
from newstrace.provenance.align import AlignedPair, Alignment, align, prepare, split_sentences
from newstrace.provenance.family import Edge, misplaced, ordered, settle_undecided
from newstrace.provenance.fingerprint import words
from newstrace.provenance.index import BandIndex, VectorIndex
from newstrace.provenance.relation import (
    Side,
    articles_kept,
    classify,
    garbled_names,
    is_link,
    name_original,
)

ORIGINAL = """\
HOLLOWAY BAY, June 3 (Tidewater Press) — A landslide closed the coastal railway between Holloway Bay and Marren Point on Tuesday after three days of heavy rain, stranding about 2,300 commuters.

Engineers from Northline Rail said a section of embankment 120 metres long had slipped onto the tracks near the village of Ostby shortly after 6 a.m.

Nobody was hurt. A freight train carrying timber stopped about 400 metres from the slip after its driver saw debris on the line.

“We will not reopen the line until every metre of that embankment has been checked,” said Agnes Telford, the operations director of Northline Rail.

Replacement buses were running every twenty minutes from Holloway Bay station, but passengers complained of long queues and missed connections.

The regional council said it had warned the rail operator in March that drainage along the embankment was failing.

Councillor Bram Okafor said the warning had been ignored for months. “This was not bad luck. This was a report sitting in a drawer,” he said.

Northline Rail said it expected the line to stay closed until at least Friday and would publish an inspection report next week."""

SYNDICATED = (
    """\
Landslide shuts coast line
By Harbour Herald Staff

"""
    + ORIGINAL
    + """

This story was provided by Tidewater Press.
Share this article: Facebook | X | Email"""
)

LEAD_ONLY = "\n\n".join(ORIGINAL.split("\n\n")[:3])

LIGHT_EDIT = (
    ORIGINAL.replace("HOLLOWAY BAY, June 3 (Tidewater Press) — ", "")
    .replace("stranding about 2,300 commuters", "leaving around 2,300 commuters stranded")
    .replace("shortly after 6 a.m.", "just after 6 a.m.")
    .replace(
        "\n\nReplacement buses were running every twenty minutes from Holloway Bay station, "
        "but passengers complained of long queues and missed connections.",
        "",
    )
    + "\n\nAdditional reporting by Tidewater Press."
)

REWRITE = """\
Commuters on the coast faced chaos on Tuesday morning. Roughly 2,300 of them were stranded when the railway linking Holloway Bay and Marren Point was shut by a landslide that followed three straight days of heavy rain.

The slip, which Northline Rail engineers measured at 120 metres of embankment, came down onto the line close to Ostby soon after 6 a.m.

A timber freight train halted some 400 metres short of the debris once its driver spotted it, and no one was injured.

Agnes Telford, who runs operations at Northline Rail, put it plainly: “We will not reopen the line until every metre of that embankment has been checked.”

Buses replaced the trains every twenty minutes from Holloway Bay station, although travellers grumbled about long queues and connections they missed.

According to the regional council, the rail operator had been told in March that the drainage along the embankment was failing.

Councillor Bram Okafor accused the operator of ignoring that warning for months: “This was not bad luck. This was a report sitting in a drawer.”

The operator expects the line to remain shut until Friday at the earliest and plans to release an inspection report next week."""

SPUN = """\
HOLOWAY BAY, June 3 (Tidewater Press) — A earth slide shut the seaside railroad among Holoway Bay and Maren Point upon Tuesday following three days of weighty rainfall, marooning close to 2,300 commuter. rice field.

Technicians out of Northline Railway stated a part of bank 120 metres lengthy had slid onto the rails close to the hamlet of Osby quickly following 6 a.m. I did.

Nobody was hurt. A cargo locomotive bearing lumber halted near 400 metres out of the slip following its chauffeur noticed rubble upon the line.

“We will not reopen the line until every metre of that embankment has been checked,” stated Agnes Telferd, the operations manager of Northline Railway.

Substitute coaches were operating each twenty minutes out of Holoway Bay terminal, though travelers grumbled of lengthy lines and skipped links. It became.

The local authority stated it experienced cautioned the railroad operator within March that draining beside the bank was collapsing.

Councilman Bram Okafur stated the caution had been disregarded for months. “This was not bad luck. This was a report sitting in a drawer,” he stated.

Northline Railway stated it anticipated the line to remain shut till not less than Friday and will publish a examination report following week."""

# Same event, own reporting, and it quotes the same long sentence from Telford.
INDEPENDENT = """\
Passengers waiting at Marren Point on Tuesday morning were told over the loudspeaker that no trains would run to Holloway Bay for the rest of the day.

Mia Corrigan, a nurse who commutes to the hospital in Holloway Bay, said she had waited forty minutes for a bus. “I have never seen the platform this full,” she said.

Northline Rail's operations director Agnes Telford told the Marren Courier: “We will not reopen the line until every metre of that embankment has been checked.”

Local farmers said the fields above the cutting had been waterlogged since the weekend and that cattle had been moved to higher ground.

A spokesman for the bus company said extra drivers had been called in from the depot at Lunde and that services would continue overnight."""

# Same kind of event in another place: a look-alike story.
OTHER_STORY = """\
A mudslide blocked the mountain railway between Kestrel Falls and Dunmere on Saturday after a night of storms, leaving some 600 hikers and residents without a train service.

Alpine Rail said the slide had buried the track near the Dunmere tunnel and that a clearance crew was working through the night.

“We expect to reopen the line by Monday if the weather holds,” said Tomas Quill, a spokesman for Alpine Rail.

Buses were laid on from Kestrel Falls, and the tourist office said hotels had offered discounted rooms to stranded visitors."""

DATES = {
    "orig": "2026-06-03T07:40:00Z",
    "synd": "2026-06-03T09:00:00Z",
    "lead": "2026-06-03T08:10:00Z",
    "edit": "2026-06-03T10:30:00Z",
    "rewrite": "2026-06-03T12:00:00Z",
    "spun": "2026-06-04T01:00:00Z",
    "indep": "2026-06-03T11:00:00Z",
    "other": "2026-06-06T15:00:00Z",
}
TEXTS = {
    "orig": ORIGINAL,
    "synd": SYNDICATED,
    "lead": LEAD_ONLY,
    "edit": LIGHT_EDIT,
    "rewrite": REWRITE,
    "spun": SPUN,
    "indep": INDEPENDENT,
    "other": OTHER_STORY,
}
EXPECTED = {
    "synd": "duplicate",
    "lead": "near-duplicate",
    "edit": "near-duplicate",
    "rewrite": "rewrite",
    "spun": "spun",
}


def doc(key: str, dated: bool = True, **kw: object) -> ProvenanceDoc:
    return ProvenanceDoc(key, TEXTS[key], DATES[key] if dated else None, **kw)  # type: ignore[arg-type]


def by_pair(links: list[Link]) -> dict[frozenset[str], Link]:
    return {frozenset((link.copy, link.original)): link for link in links}


@pytest.fixture(scope="module")
def corpus_links() -> list[Link]:
    order = ["orig", "lead", "synd", "edit", "indep", "rewrite", "other", "spun"]
    return find_links([doc(k) for k in order])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_relation_found_with_the_original(corpus_links: list[Link], key: str) -> None:
    link = by_pair(corpus_links).get(frozenset((key, "orig")))
    assert link is not None, f"{key} not linked to its original"
    assert (link.copy, link.original) == (key, "orig")
    assert link.relation == EXPECTED[key]
    assert link.decided_by == "published"
    assert 0.0 < link.score <= 1.0
    assert link.evidence


def test_no_links_for_independent_or_other_story(corpus_links: list[Link]) -> None:
    linked = {x for link in corpus_links for x in (link.copy, link.original)}
    assert "indep" not in linked, "a shared quotation alone made a link"
    assert "other" not in linked


def test_one_link_per_copy_to_the_root(corpus_links: list[Link]) -> None:
    copies = [link.copy for link in corpus_links]
    assert len(copies) == len(set(copies)) == len(EXPECTED)
    assert {link.original for link in corpus_links} == {"orig"}


def test_shared_long_quote_alone_is_not_a_copy() -> None:
    quote = (
        "“We will not reopen the line until every metre of that embankment has been "
        "checked, and we will not apologise for putting safety ahead of the timetable,”"
    )
    a = f"Trains stopped at Ostby. {quote} said Agnes Telford on Tuesday evening."
    b = f"The council met in Marren Point. {quote} Ms Telford told the meeting."
    assert find_links([ProvenanceDoc("a", a), ProvenanceDoc("b", b)]) == []


def test_evidence_offsets_point_into_each_text(corpus_links: list[Link]) -> None:
    for link in corpus_links:
        for ev in link.evidence:
            for side, key in (("copy", link.copy), ("original", link.original)):
                span = ev[side]
                assert TEXTS[key][span["start"] : span["end"]] == span["text"]
            assert 0.0 <= ev["similarity"] <= 1.0


def test_original_without_dates_by_containment() -> None:
    links = find_links([doc("lead", dated=False), doc("orig", dated=False)])
    assert [(x.copy, x.original, x.decided_by) for x in links] == [("lead", "orig", "containment")]


def test_original_without_dates_by_credit_line() -> None:
    links = find_links([doc("synd", dated=False), doc("orig", dated=False)])
    assert [(x.copy, x.original, x.relation, x.decided_by) for x in links] == [
        ("synd", "orig", "duplicate", "credit")
    ]


def test_original_without_dates_by_fluency() -> None:
    docs = [
        doc("spun", dated=False, spun_score=0.9),
        doc("orig", dated=False, spun_score=0.05),
    ]
    links = find_links(docs)
    assert [(x.copy, x.original, x.relation, x.decided_by) for x in links] == [
        ("spun", "orig", "spun", "fluency")
    ]


def test_fluency_does_not_decide_between_word_for_word_copies() -> None:
    # A lead-only cut of the original reads less fluent (fewer sentences for its rates), but
    # its words are the original's: the spun scores say nothing about who copied whom.
    docs = [
        doc("orig", dated=False, spun_score=0.45),
        doc("lead", dated=False, spun_score=0.1),
    ]
    links = find_links(docs)
    assert [(x.copy, x.original) for x in links] == [("lead", "orig")]
    assert links[0].decided_by != "fluency"


# Word swaps in every paragraph, nothing moved, dropped or credited: on its own, this pair
# has no direction (no dates, no spun scores, equal containment).
LIGHT_SWAPS = (
    ORIGINAL.replace("closed", "shut")
    .replace("heavy rain", "torrential rain")
    .replace("stranding", "leaving")
    .replace("section of embankment", "stretch of embankment")
    .replace("Nobody was hurt", "No one was injured")
    .replace("stopped about", "halted some")
    .replace("Replacement buses", "Substitute buses")
    .replace("complained of", "grumbled about")
    .replace("had warned", "had cautioned")
    .replace("drainage", "the drainage")
    .replace("ignored for months", "disregarded for months")
    .replace("expected the line", "expects the line")
)


def test_undecided_pair_settled_by_the_family() -> None:
    alone = find_links([doc("orig", dated=False), ProvenanceDoc("swaps", LIGHT_SWAPS)])
    assert [x.decided_by for x in alone] == ["family"]  # a fixed order, casting no vote
    # The verbatim copies of the original side with it: it is the family's original.
    for order in (["swaps", "synd", "lead", "orig"], ["lead", "swaps", "orig", "synd"]):
        docs = [ProvenanceDoc("swaps", LIGHT_SWAPS)] + [
            doc(k, dated=False) for k in order if k != "swaps"
        ]
        links = find_links(docs)
        assert {x.copy: x.original for x in links} == {
            "swaps": "orig",
            "synd": "orig",
            "lead": "orig",
        }


def test_settle_undecided_sides_with_the_verbatim_copies() -> None:
    def edge(copy: str, original: str, relation: str, score: float, decided: str) -> Edge:
        link = Link(copy, original, relation, score, [], decided)
        return Edge(link, link, None)

    pairs = {
        ("swaps", "orig"): edge("swaps", "orig", "spun", 0.9, "undecided"),
        ("synd", "orig"): edge("synd", "orig", "duplicate", 1.0, "credit"),
        ("synd", "swaps"): edge("synd", "swaps", "spun", 0.9, "credit"),
        ("lead", "orig"): edge("lead", "orig", "near-duplicate", 1.0, "containment"),
        ("lead", "swaps"): edge("lead", "swaps", "spun", 0.92, "containment"),
    }
    edges: dict[str, dict[str, Edge]] = {}
    for (a, b), e in pairs.items():
        edges.setdefault(a, {})[b] = e
        edges.setdefault(b, {})[a] = e
    settled = settle_undecided(edges, sorted(edges))
    assert settled == {frozenset(("swaps", "orig")): "orig"}
    del edges["synd"], edges["lead"], edges["orig"]["synd"], edges["orig"]["lead"]
    del edges["swaps"]["synd"], edges["swaps"]["lead"]
    assert settle_undecided(edges, sorted(edges)) == {frozenset(("swaps", "orig")): ""}


def test_family_order_puts_an_original_before_its_copies() -> None:
    # "synd" copies "orig" (their pair decided it) but wins more pairs: its own copies.
    votes = {"orig": 2, "synd": 4, "lead": -1, "edit": -1, "x": -1}
    copy_of = {"synd": {"orig"}, "lead": {"synd"}, "edit": {"synd"}, "x": {"orig"}}
    order = ordered(list(votes), copy_of, key=lambda n: (-votes[n], 0.0, n))
    assert order.index("orig") < order.index("synd") < order.index("lead")
    assert order[0] == "orig" and sorted(order) == sorted(votes)
    # Contradicting decisions (a cycle) fall back on the key.
    cyclic = ordered(["a", "b"], {"a": {"b"}, "b": {"a"}}, key=lambda n: (0.0, 0.0, n))
    assert cyclic == ["a", "b"]


def test_a_copy_ranked_before_the_article_it_copies_far_more_closely_is_misplaced() -> None:
    # "spin" was ranked before its own original (the family's votes), so it could only take
    # "lead" as its source, at 0.69 against 0.89 with "orig": it must come after "orig".
    def edge(copy: str, original: str, score: float, decided: str = "undecided") -> Edge:
        link = Link(copy, original, "spun", score, [], decided)
        return Edge(link, link, None)

    edges = {
        "spin": {"orig": edge("spin", "orig", 0.89), "lead": edge("spin", "lead", 0.69)},
        "orig": {"spin": edge("spin", "orig", 0.89)},
        "lead": {"spin": edge("spin", "lead", 0.69)},
    }
    chosen = {"spin": edges["spin"]["lead"].preferred}
    assert misplaced(edges, ["lead", "spin", "orig"], chosen) == [("spin", "orig")]
    # About as close to its source, or ranked after "orig" already: nothing to move.
    assert misplaced(edges, ["lead", "orig", "spin"], chosen) == []
    edges["spin"]["lead"] = edges["lead"]["spin"] = edge("spin", "lead", 0.87)
    chosen = {"spin": edges["spin"]["lead"].preferred}
    assert misplaced(edges, ["lead", "spin", "orig"], chosen) == []
    # Their pair decided by its own evidence (a date) which is the original: it stands.
    edges["spin"]["orig"] = edges["orig"]["spin"] = edge("spin", "orig", 0.99, "date")
    assert misplaced(edges, ["lead", "spin", "orig"], chosen) == [("spin", "orig")]
    decided = Link("orig", "spin", "spun", 0.99, [], "date")
    as_copy = edges["spin"]["orig"].preferred
    edges["spin"]["orig"] = edges["orig"]["spin"] = Edge(decided, decided, as_copy)
    assert misplaced(edges, ["lead", "spin", "orig"], chosen) == []


def _family_links(
    pairs: list[tuple[str, str, str, float, str]], texts: dict[str, str] | None = None
) -> dict[str, Link]:
    """The final links of a family given its linked pairs (copy, original, relation, score,
    decided_by), each pair deciding its own direction; ``texts`` for re-alignments."""
    index = ProvenanceIndex()
    for doc_id, text in (texts or {}).items():
        index._docs[doc_id] = ProvenanceDoc(doc_id, text)
    for copy, original, relation, score, decided in pairs:
        link = Link(copy, original, relation, score, [], decided)
        index._add_edge(copy, original, Edge(link, link, None))
    index._resolve(pairs[0][0])
    return {link.copy: link for link in index.links()}


def test_copy_of_a_near_copy_goes_to_the_root_when_it_explains_it_as_well() -> None:
    # "wire" is the root, "edit" a near-duplicate of it; "repost" duplicates "edit" word for
    # word, and all of it is in "wire" too: the root explains it as well.
    family = [
        ("edit", "wire", "near-duplicate", 1.0, "containment"),
        ("repost", "edit", "duplicate", 1.0, "credit"),
        ("repost", "wire", "near-duplicate", 1.0, "containment"),
    ]
    links = _family_links(family)
    assert (links["repost"].original, links["repost"].relation) == ("wire", "near-duplicate")
    # "edit" changed words that "repost" kept: the root explains it less well.
    family[2] = ("repost", "wire", "near-duplicate", 0.95, "containment")
    assert _family_links(family)["repost"].original == "edit"


def test_copy_of_a_reworded_near_copy_is_not_moved_to_a_root_that_explains_it_less() -> None:
    # "edit" rewords the first half of "wire"; "repost" reposts "edit" and was never
    # compared with "wire": re-aligned with it, "wire" explains much less of the copy.
    paragraphs = ORIGINAL.split("\n\n")
    edit = "\n\n".join(REWRITE.split("\n\n")[:4] + paragraphs[4:])
    texts = {"wire": ORIGINAL, "edit": edit, "repost": edit + "\n\nShare this article."}
    family = [
        ("edit", "wire", "near-duplicate", 0.98, "containment"),
        ("repost", "edit", "duplicate", 1.0, "credit"),
    ]
    assert _family_links(family, texts)["repost"].original == "edit"
    # A repost of a cut of "wire" is the root's copy as much: it goes to the root.
    texts["edit"] = "\n\n".join(paragraphs[:-1])
    texts["repost"] = texts["edit"] + "\n\nShare this article."
    assert _family_links(family, texts)["repost"].original == "wire"


def test_a_family_vote_does_not_rank_an_original_after_its_own_copy() -> None:
    # "orig" and "lead" could not decide between them; the family's vote ("synd" is closer
    # to "lead") says "lead", yet "lead" copies "cut", which copies "orig" by their own
    # evidence: the pairs' own decisions order the family, so "orig" stays the original.
    family = [
        ("cut", "orig", "near-duplicate", 1.0, "derived"),
        ("lead", "cut", "near-duplicate", 1.0, "containment"),
        ("orig", "lead", "near-duplicate", 1.0, "undecided"),
        ("synd", "lead", "duplicate", 1.0, "credit"),
        ("synd", "orig", "near-duplicate", 0.95, "credit"),
    ]
    links = _family_links(family)
    assert "orig" not in links
    assert links["cut"].original == "orig"


def test_a_reworded_copy_gives_way_to_a_first_hand_source_almost_as_close() -> None:
    family = [
        ("rewrite", "wire", "rewrite", 0.95, "credit"),
        ("spin", "rewrite", "spun", 0.944, "fluency"),
        ("spin", "wire", "spun", 0.935, "fluency"),
    ]
    assert _family_links(family)["spin"].original == "wire"
    # Clearly closer to the rewrite: a copy of the rewrite.
    family[2] = ("spin", "wire", "spun", 0.92, "fluency")
    assert _family_links(family)["spin"].original == "rewrite"


def test_shared_outlet_boilerplate_alone_is_not_a_copy() -> None:
    header = "By Harbour Herald Staff\n\n"
    footer = "\n\nCopyright 2026 Harbour Herald. All rights reserved.\nSign up for our newsletter."
    brief_a = (
        "The Ostby ferry will run an extra evening crossing from Monday until the end of June."
    )
    brief_b = "Marren Point library reopens on Saturday after a roof repair that took four months."
    a = ProvenanceDoc("a", header + brief_a + footer)
    b = ProvenanceDoc("b", header + brief_b + footer)
    assert find_links([a, b]) == []
    # A short item whole inside the boilerplate is a duplicate of it.
    links = find_links([ProvenanceDoc("brief", brief_a), a])
    assert [(x.copy, x.original, x.relation) for x in links] == [("a", "brief", "duplicate")]


def test_other_words_of_one_stem_are_not_garbled_names() -> None:
    """A live blog's next update repeats earlier entries and adds new ones; where its
    sentences pair with different ones, "Democrats"/"Democratic" or "March"/"Marco" are two
    words both texts use, not a name a machine misspelt."""
    entries = [
        "Senator Marco Delaunay won the Ostby caucus on Tuesday night with 41 percent of the vote.",
        "Democratic organisers said turnout in March had been the highest in a decade.",
        "Democrats in the valley counties backed the governor's transport plan by a wide margin.",
        "Marco Delaunay told supporters in March that the harbour tunnel would be his first priority.",
        "The count in Holloway Bay finished after midnight because two voting machines failed.",
        "Observers from the regional council said the delays had not changed any result.",
    ]  # fmt: skip
    earlier = "\n\n".join(entries)
    later = "\n\n".join(
        [
            "Democrats said the March turnout figures would be published by the council on Friday.",
            "Senator Marco Delaunay won the Ostby caucus on Tuesday night with 41 percent of the vote.",
            "Democratic leaders in the valley said Marco Delaunay had spent more than any rival.",
            *entries[3:],
        ]
    )  # fmt: skip
    al = align(prepare(later), prepare(earlier))
    assert garbled_names(al, later, earlier) == 0
    garbled = earlier.replace("Delaunay", "Delauney")
    assert garbled_names(align(prepare(garbled), prepare(earlier)), garbled, earlier) >= 2


def test_one_sentence_alike_in_meaning_is_not_a_copy() -> None:
    """Two short transcripts of one outlet are mostly quotation, which alignment leaves
    out; their one remaining sentence follows the outlet's template ("Tuesday at ..., X
    said ...") and matches in meaning, not in words. One such sentence is no link; one
    sharing most of its words is (a one-sentence brief copied)."""

    def one_pair(derived: float) -> Alignment:
        pair = AlignedPair((0, 120), (0, 140), 0.82, derived, 0.3, 14.0)
        return Alignment((pair,), 14.0, 19.0, 1.0, 0.73, derived, 0.3, 0.0, 1.0, 0.82, 0.6)

    assert not is_link(one_pair(derived=0.24))
    assert is_link(one_pair(derived=0.8))


def test_articles_dropped_read_as_machine_made() -> None:
    dropped = re.sub(r"\b(?:the|a) (?=[a-z])", "", ORIGINAL)
    al = align(prepare(dropped), prepare(ORIGINAL))
    assert articles_kept(al, dropped, ORIGINAL) < 0.5
    assert articles_kept(align(prepare(REWRITE), prepare(ORIGINAL)), REWRITE, ORIGINAL) > 0.8
    [link] = find_links([doc("orig"), ProvenanceDoc("dropped", dropped, DATES["spun"])])
    assert (link.copy, link.relation) == ("dropped", "spun")


def test_spun_score_decides_spun_against_rewrite() -> None:
    plain = find_links([doc("orig"), doc("rewrite")])
    flagged = find_links([doc("orig"), doc("rewrite", spun_score=0.8)])
    assert [x.relation for x in plain] == ["rewrite"]
    assert [x.relation for x in flagged] == ["spun"]


def _relation(copy: str, spun_score: float | None = None) -> str | None:
    al = align(prepare(copy), prepare(ORIGINAL))
    articles = articles_kept(al, copy, ORIGINAL)
    return classify(al, spun_score, garbled_names(al, copy, ORIGINAL), articles)


def test_spun_looking_condensed_rewrite_stays_a_rewrite() -> None:
    """A middling spun score marks a reworded copy as spun only when the whole source is
    rendered: a writer condenses, a spinner keeps every sentence."""
    condensed = "\n\n".join(REWRITE.split("\n\n")[:7])
    whole = find_links([doc("orig"), doc("rewrite", spun_score=0.3)])
    part = find_links(
        [doc("orig"), ProvenanceDoc("cond", condensed, DATES["rewrite"], spun_score=0.3)]
    )
    assert [x.relation for x in whole] == ["spun"]
    assert [(x.copy, x.relation) for x in part] == [("cond", "rewrite")]


def test_every_sentence_altered_is_spun_only_with_articles_dropped() -> None:
    """Function words swapped in every sentence, content words all kept: with the articles
    kept that is not the garbling signature; with them dropped it is."""
    swap = {"on": "at", "from": "by", "after": "before", "in": "into", "at": "on"}
    swap |= {"until": "than", "to": "into", "that": "this", "was": "is", "had": "has"}
    kept = re.sub(r"\b(" + "|".join(swap) + r")\b", lambda m: swap[m.group(1)], ORIGINAL)
    dropped = re.sub(r"\b(?:the|a) (?=[a-z])", "", kept)
    assert _relation(kept) == "rewrite"
    assert _relation(dropped) == "spun"


def test_copy_holding_a_shorter_copy_whole_links_to_the_fuller_source() -> None:
    """A longer cut of the story holds the lead-only copy whole, word for word, but is
    mostly other text: its source is the original, not the lead."""
    longer = "\n\n".join(ORIGINAL.split("\n\n")[:6])
    links = find_links([doc("orig"), doc("lead"), ProvenanceDoc("longer", longer, DATES["edit"])])
    got = {x.copy: (x.original, x.relation) for x in links}
    assert got["longer"] == ("orig", "near-duplicate")
    assert got["lead"] == ("orig", "near-duplicate")


def test_batch_equals_incremental_and_persistence() -> None:
    order = ["orig", "synd", "indep", "edit", "rewrite"]
    batch = find_links([doc(k) for k in order])
    index = ProvenanceIndex()
    incremental = [link for k in order[:3] for link in index.add(doc(k))]
    restored = ProvenanceIndex.from_bytes(index.to_bytes(), docs=[doc(k) for k in order[:3]])
    incremental += [link for k in order[3:] for link in restored.add(doc(k))]
    assert [x.to_dict() for x in incremental] == [x.to_dict() for x in batch]
    assert len(restored) == len(order)


def test_rebuild_from_fingerprints() -> None:
    records = [(doc(k), fingerprint(TEXTS[k])) for k in ("orig", "indep")]
    index = ProvenanceIndex.rebuild(records)
    links = index.add(doc("edit"))
    assert [(x.copy, x.original) for x in links] == [("edit", "orig")]


def test_link_roundtrip() -> None:
    link = Link("c", "o", "rewrite", 0.5, [{"similarity": 0.7}], "published")
    assert Link.from_dict(link.to_dict()) == link
    assert list(link.to_dict())[:5] == ["copy", "original", "relation", "score", "evidence"]


def test_fingerprint_bytes_roundtrip_and_similarity() -> None:
    fp = fingerprint(ORIGINAL, split_sentences(ORIGINAL))
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    same = fingerprint(SYNDICATED).to_minhash().jaccard(fp.to_minhash())
    other = fingerprint(OTHER_STORY).to_minhash().jaccard(fp.to_minhash())
    assert same > 0.8 > 0.05 > other
    near = float(fingerprint(REWRITE).embedding.astype(np.float32) @ fp.embedding)
    far = float(fingerprint(OTHER_STORY).embedding.astype(np.float32) @ fp.embedding)
    assert near > far


def test_band_index_finds_near_duplicates_and_persists() -> None:
    index = BandIndex(threshold=0.5)
    sigs = [fingerprint(t).minhash for t in (ORIGINAL, OTHER_STORY, INDEPENDENT)]
    for i, sig in enumerate(sigs):
        index.add(i, sig)
    query = fingerprint(SYNDICATED).minhash
    assert 0 in index.query(query)
    assert 1 not in index.query(query)
    again = BandIndex.from_bytes(index.to_bytes())
    assert again.query(query) == index.query(query)


def test_vector_index_exact_and_ivf_agree_on_the_nearest() -> None:
    rng = np.random.default_rng(3)
    vecs = rng.normal(size=(3000, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    exact = VectorIndex(32, train_at=10**9)
    ivf = VectorIndex(32, train_at=500, nprobe=64)
    exact.add_many(vecs)
    for i, v in enumerate(vecs):
        ivf.add(i, v)
    for q in (5, 777, 2999):
        assert exact.query(vecs[q], k=1)[0][0] == q
        assert ivf.query(vecs[q], k=1)[0][0] == q
    again = VectorIndex.from_bytes(ivf.to_bytes())
    assert again.query(vecs[777], k=1)[0][0] == 777


_TEXT = st.text(
    alphabet=st.sampled_from(list("abc XYZ.,“”\"\n!?'’—é0123")), min_size=0, max_size=300
)


@settings(max_examples=60, deadline=None)
@given(a=_TEXT, b=_TEXT, cut=st.integers(0, 300))
def test_alignment_offsets_in_bounds(a: str, b: str, cut: int) -> None:
    sents = [(0, min(cut, len(a))), (min(cut, len(a)), len(a) + 5)]
    pa, pb = prepare(a, sents, [(cut, cut + 7)]), prepare(b)
    for p in (pa, pb):
        for s, e in p.spans:
            assert 0 <= s < e <= len(p.text)
    al = align(pa, pb)
    for pair in al.pairs:
        ev = pair.evidence(a, b)
        assert a[ev["copy"]["start"] : ev["copy"]["end"]] == ev["copy"]["text"]  # type: ignore[index]
        assert b[ev["original"]["start"] : ev["original"]["end"]] == ev["original"]["text"]  # type: ignore[index]
    assert 0.0 <= al.copy_covered <= 1.0 + 1e-9


def test_copies_before_their_original_are_repointed_when_it_arrives() -> None:
    # No dates: a syndicated copy and a lead-only copy arrive first; until the original
    # comes, the longer copy stands in for it; then every copy points at the original.
    index = ProvenanceIndex()
    first = index.add(doc("synd", dated=False)) + index.add(doc("lead", dated=False))
    assert [(x.copy, x.original) for x in first] == [("lead", "synd")]
    changed = index.add(doc("orig", dated=False))
    assert {(x.copy, x.original) for x in changed} == {("lead", "orig"), ("synd", "orig")}
    final = {x.copy: x for x in index.links()}
    assert set(final) == {"lead", "synd"}
    assert final["synd"].relation == "duplicate"
    assert final["lead"].relation == "near-duplicate"


@pytest.mark.parametrize(
    "order",
    [
        ["orig", "synd", "lead", "edit"],
        ["edit", "lead", "synd", "orig"],
        ["lead", "orig", "edit", "synd"],
    ],
)
def test_final_links_do_not_depend_on_arrival_order(order: list[str]) -> None:
    links = find_links([doc(k, dated=False) for k in order])
    assert sorted((x.copy, x.original, x.relation) for x in links) == [
        ("edit", "orig", "near-duplicate"),
        ("lead", "orig", "near-duplicate"),
        ("synd", "orig", "duplicate"),
    ]


def test_links_survive_persistence() -> None:
    index = ProvenanceIndex()
    for k in ("lead", "synd"):
        index.add(doc(k, dated=False))
    restored = ProvenanceIndex.from_bytes(
        index.to_bytes(), docs=[doc(k, dated=False) for k in ("lead", "synd")]
    )
    assert [x.to_dict() for x in restored.links()] == [x.to_dict() for x in index.links()]
    restored.add(doc("orig", dated=False))
    assert {(x.copy, x.original) for x in restored.links()} == {
        ("lead", "orig"),
        ("synd", "orig"),
    }


def _side(name: str, spun: float, contained: float) -> Side:
    return Side(name, None, spun, 0, 0, False, contained, changed=0.5, derived=contained)


def test_condensed_rewrite_of_a_clumsy_original_is_named_by_containment() -> None:
    # The rewrite takes a third of a long, somewhat clumsy (but not spun-looking) original
    # into its own fluent words: all of it is in the original, a third of the original in it.
    rewrite, original = _side("rewrite", 0.05, 1.0), _side("original", 0.45, 0.35)
    copy, source, decided = name_original(rewrite, original)
    assert (copy.id, source.id, decided) == ("rewrite", "original", "containment")
    # ... but a spun-looking text is the copy of the fluent one, however condensed that is.
    spun, fluent = _side("spun", 0.8, 0.35), _side("fluent", 0.05, 1.0)
    copy, source, decided = name_original(fluent, spun)
    assert (copy.id, source.id, decided) == ("spun", "fluent", "fluency")


def test_condensed_rewrite_of_the_lead_in_own_words_is_a_copy() -> None:
    """The first half of the report retold sentence by sentence in other words (mean
    similarity under 0.9): every sentence from the original, in its order, with its names
    and numbers, is a condensed rewrite even though it names only half the original's."""
    condensed = (
        "A landslide shut the coastal railway from Holloway Bay to Marren Point on Tuesday "
        "following three days of heavy rain, leaving about 2,300 commuters stranded.\n\n"
        "Northline Rail engineers said a 120-metre stretch of embankment slid onto the tracks "
        "close to the village of Ostby soon after 6 a.m.\n\n"
        "No one was injured. A timber freight train halted some 400 metres short of the slip "
        "once its driver spotted debris on the line."
    )
    al = align(prepare(condensed), prepare(ORIGINAL))
    assert al.copy_covered >= 0.9 and al.similarity < 0.9 and al.immutables < 0.7
    assert _relation(condensed) == "rewrite"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalised_words_keep_no_combining_mark(text: str) -> None:
    for word in words(text):
        assert not any(unicodedata.combining(ch) for ch in word)


def test_normalised_words_fold_accents_ligatures_and_apostrophes() -> None:
    assert words("Café ZÜRICH, Kyïv — the ﬁrst’s") == ["cafe", "zurich", "kyiv", "the", "first", "s"]
