"""The link pass's writes (entities, quote clusters, quote speakers, stories, links) store
only what changed, and a store so updated holds what a store written once holds, on both
backends. The articles and people are fictional."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from newstrace.model import Analysis, Article, Entity, Link, Quote, QuoteCluster, Story
from newstrace.store import Store

TEXTS = {
    "harbour-1": "“The quay stays shut,” said Harbourmaster Ines Calvo of Port Ardel on Friday.",
    "harbour-2": "Ines Calvo said the quay stays shut. The Ardel Ferry Company agreed with her.",
}


def quotes_of(article: str) -> list[Quote]:
    text = TEXTS[article]
    end = text.index(".") if article == "harbour-2" else text.index("”")
    start = 1 if article == "harbour-1" else 16
    return [Quote(article, start, end, text[start:end], "direct", "Ines Calvo")]


def entity(eid: str, name: str, mentions: list[tuple[str, int, int]], **kw: Any) -> Entity:
    articles = list(dict.fromkeys(a for a, _, _ in mentions))
    fields: dict[str, Any] = {"aliases": [name], "roles": [], "evidence": [], "quotes": 0}
    fields.update(kw)
    return Entity(eid, name, "person", articles=articles, mentions=mentions, **fields)


CALVO = [("harbour-1", 35, 45), ("harbour-2", 0, 10)]
FIRST = {
    "entities": [
        entity("e-calvo", "Ines Calvo", CALVO, quotes=2),
        entity("e-ardel", "Port Ardel", [("harbour-1", 49, 59)]),
    ],
    "clusters": [
        QuoteCluster(
            "q-shut",
            "Ines Calvo",
            "The quay stays shut",
            "harbour-1",
            None,
            [("harbour-1", 1, 20)],
            ["The quay stays shut"],
        ),
    ],
    "quotes": {("harbour-1", "q-shut", "e-calvo"), ("harbour-2", "q-shut", "e-calvo")},
    "stories": [
        Story(
            "story-quay",
            "The quay stays shut",
            ["harbour-1", "harbour-2"],
            ["Ines Calvo"],
            quotes=["q-shut"],
            provenance={},
        ),
    ],
    "links": [Link("harbour-2", "harbour-1", "rewrite", 0.81, [{"aligned": 1}], "pair")],
}
# The next link pass: Calvo renamed (her mentions unchanged), Port Ardel gone, the ferry
# company new; one quote leaves the cluster, the story splits, the link's score moves.
SECOND = {
    "entities": [
        entity("e-calvo", "Inés Calvo", CALVO, quotes=1, roles=["harbourmaster"]),
        entity("e-ferry", "Ardel Ferry Company", [("harbour-2", 41, 60)]),
    ],
    "clusters": [
        QuoteCluster(
            "q-shut",
            "Inés Calvo",
            "The quay stays shut",
            "harbour-1",
            None,
            [("harbour-1", 1, 20)],
            ["The quay stays shut"],
        ),
        QuoteCluster(
            "q-said",
            None,
            "the quay stays shut",
            "harbour-2",
            None,
            [("harbour-2", 16, 35)],
            ["the quay stays shut"],
        ),
    ],
    "quotes": {("harbour-1", "q-shut", "e-calvo"), ("harbour-2", "q-said", None)},
    "stories": [
        Story(
            "story-quay",
            "The quay stays shut",
            ["harbour-1"],
            ["Inés Calvo"],
            quotes=["q-shut"],
            provenance={},
        ),
        Story("story-ferry", None, ["harbour-2"], [], quotes=[], provenance={}),
    ],
    "links": [Link("harbour-2", "harbour-1", "rewrite", 0.84, [{"aligned": 2}], "pair")],
}


def write_articles(store: Store) -> None:
    store.write(
        [
            Analysis(Article(id=a, raw_text=t, text=t), quotes=quotes_of(a), version="v")
            for a, t in TEXTS.items()
        ]
    )


def link(store: Store, facts: dict[str, Any]) -> None:
    """What ``link_corpus`` writes, in its order."""
    store.replace_links(facts["links"])
    quotes = []
    for article, cluster, speaker in sorted(facts["quotes"]):
        (quote,) = quotes_of(article)
        quotes.append(replace(quote, cluster=cluster, speaker_entity=speaker))
    store.replace_quote_clusters(quotes, facts["clusters"])
    store.replace_entities(facts["entities"])
    store.replace_stories(facts["stories"])


def stored(store: Store) -> dict[str, Any]:
    return {
        "entities": [e.to_dict() for e in store.entities()],
        "clusters": [c.to_dict() for c in store.quote_clusters()],
        "quotes": {(q.article, q.cluster, q.speaker_entity) for q in store.quotes()},
        "stories": [s.to_dict() for s in store.stories()],
        "links": [x.to_dict() for x in store.links()],
    }


EMPTY: dict[str, Any] = {k: [] for k in FIRST} | {"quotes": set()}
TABLES = ("entities", "entity_mentions", "quote_clusters", "stories", "story_articles", "links")


@pytest.mark.parametrize("first", [FIRST, SECOND, EMPTY])
def test_a_later_link_pass_leaves_what_writing_it_once_leaves(db_url: str, first: Any) -> None:
    with Store.open(db_url) as store:
        write_articles(store)
        link(store, first)
        link(store, SECOND)
        grown = stored(store)
        link(store, EMPTY)
        emptied = stored(store)
        link(store, SECOND)  # into empty tables: every row written afresh
        once = stored(store)
    assert grown == once
    assert grown["quotes"] == SECOND["quotes"]
    assert [(e["name"], len(e["mentions"])) for e in grown["entities"]] == [
        ("Inés Calvo", 2),  # renamed in place: her mentions stay
        ("Ardel Ferry Company", 1),
    ]
    assert [x["score"] for x in grown["links"]] == [0.84]
    assert emptied == {
        "entities": [],
        "clusters": [],
        "quotes": {("harbour-1", None, None), ("harbour-2", None, None)},
        "stories": [],
        "links": [],
    }


def test_an_unchanged_link_pass_writes_no_row(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        write_articles(store)
        link(store, FIRST)
        log_writes(store)
        link(store, FIRST)
        assert writes(store) == []
        link(store, SECOND)
        changed = writes(store)
    assert ("UPDATE", "links") in changed  # in place: its key stayed
    assert ("DELETE", "entities") in changed and ("INSERT", "entities") in changed
    assert ("UPDATE", "stories") in changed and ("INSERT", "stories") in changed
    assert ("DELETE", "stories") not in changed


def log_writes(store: Store) -> None:
    """Triggers that note every row written to the link pass's tables (test only)."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE write_log (op TEXT, tbl TEXT)"))
        for table in TABLES:
            for op in ("INSERT", "UPDATE", "DELETE"):
                conn.execute(
                    sa.text(
                        f"CREATE TRIGGER log_{op}_{table} AFTER {op} ON {table} "
                        f"BEGIN INSERT INTO write_log VALUES ('{op}', '{table}'); END"
                    )
                )


def writes(store: Store) -> list[tuple[str, str]]:
    with store.engine.begin() as conn:
        found = [tuple(row) for row in conn.execute(sa.text("SELECT op, tbl FROM write_log"))]
        conn.execute(sa.text("DELETE FROM write_log"))
    return sorted(set(found))
