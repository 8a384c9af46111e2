"""A story's summary after linking: resolved entities, its refrains, its copies."""

from __future__ import annotations

import json

from newstrace.model import Entity, Link, Quote, Story
from newstrace.stories import summarize_stories


def quote(article: str, start: int, cluster: str | None) -> Quote:
    return Quote(article, start, start + 5, "words", "direct", cluster=cluster)


def test_summary_ranks_by_reach_and_groups_copies_by_original() -> None:
    stories = [Story("s1", "Dam breach", ["w1", "c1", "c2"]), Story("s2", "Rail strike", ["r1"])]
    entities = [
        # One person under two spellings is one entity: it reaches all three articles.
        Entity("e1", "Odile Farrant", "person", aliases=["Odile Farant"],
               articles=["w1", "c1", "c2"], mentions=[("w1", 0, 5), ("c2", 0, 5)]),
        Entity("e2", "Harlow Dam", "place", articles=["w1", "c1"],
               mentions=[("w1", 9, 14), ("w1", 20, 25), ("c1", 9, 14)]),
        Entity("e3", "Tarn Valley", "place", articles=["w1", "r1"], mentions=[("w1", 40, 45)]),
    ]  # fmt: skip
    quotes = [
        quote("w1", 0, "qa"), quote("c1", 0, "qa"), quote("c2", 0, "qa"),
        quote("w1", 50, "qb"), quote("c1", 50, "qb"),
        quote("c2", 90, "qc"), quote("w1", 99, None), quote("r1", 0, "qr"),
    ]  # fmt: skip
    links = [
        Link(copy="c2", original="w1", relation="spun", score=0.8),
        Link(copy="c1", original="w1", relation="duplicate", score=1.0),
        Link(copy="x9", original="w1", relation="duplicate", score=1.0),  # in no story
    ]
    dam, rail = summarize_stories(stories, entities, quotes, links)
    assert dam.entities == ["Odile Farrant", "Harlow Dam", "Tarn Valley"]
    assert dam.quotes == ["qa", "qb", "qc"]
    assert dam.provenance == {"w1": ["c1", "c2"]}
    assert (rail.entities, rail.quotes, rail.provenance) == (["Tarn Valley"], ["qr"], {})
    assert Story.from_dict(json.loads(json.dumps(dam.to_dict()))) == dam
    assert stories[0].entities == []  # the clustering's records are left as they were
