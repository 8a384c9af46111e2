"""Stories give entity resolution its context: two outlets' reports of one event, where
the second names the harbour master only as "Ostergren's office", share no other person, so
only the story they are both in says the bare surname is his."""

from __future__ import annotations

import json
from pathlib import Path

from newstrace.model import Mention
from newstrace.pipeline import run
from newstrace.resolve import resolve_entities
from newstrace.store import Store

ARTICLES = [
    {
        "id": "gull-1",
        "title": "Storm wrecks forty boats in Brindlecombe harbour",
        "outlet": "Coastal Courier",
        "published": "2026-03-02T08:00:00",
        "text": (
            "A storm wrecked forty fishing boats in Brindlecombe harbour overnight, the "
            "harbour master said on Monday. Halvard Ostergren, who has run the harbour for "
            "twelve years, said the sea wall gave way shortly after midnight. Ostergren said "
            "repairs to the wall would take months and cost the town dearly. Fishermen "
            "gathered on the quay at dawn to count the wrecked boats."
        ),
    },
    {
        "id": "gull-2",
        "title": "Brindlecombe fishermen count cost of storm that wrecked forty boats",
        "outlet": "Western Ledger",
        "published": "2026-03-02T15:00:00",
        "text": (
            "Fishermen in Brindlecombe counted the cost on Monday after a storm wrecked forty"
            " boats in the harbour overnight. Ostergren's office said the sea wall gave way "
            "shortly after midnight and that repairs would take months. Several wrecked boats"
            " were still lying on the quay at dusk."
        ),
    },
    {
        "id": "vote-1",
        "title": "Tarnholt council approves new library",
        "outlet": "Midland Post",
        "published": "2026-03-02T09:00:00",
        "text": (
            "The Tarnholt council voted on Monday to build a new library on the old market "
            "site. Councillor Ruth Pennyworth said the building would open in two years. The "
            "vote passed by nine votes to four."
        ),
    },
]


def test_a_bare_surname_joins_the_full_name_of_its_story(tmp_path: Path) -> None:
    corpus = tmp_path / "storm.jsonl"
    corpus.write_text("\n".join(json.dumps(article) for article in ARTICLES), "utf-8")
    with Store.open(f"sqlite:///{tmp_path / 'storm.db'}") as store:
        run([str(corpus)], store)
        stories = sorted(sorted(story.articles) for story in store.stories())
        people = {entity.name: sorted(entity.articles) for entity in store.entities("person")}
        texts = {article.id: article.text for article in store.articles()}
        mentions: dict[str, list[Mention]] = {article_id: [] for article_id in texts}
        for mention in store.mentions():
            mentions[mention.article].append(mention)
    assert stories == [["gull-1", "gull-2"], ["vote-1"]]
    assert people["Halvard Ostergren"] == ["gull-1", "gull-2"]
    # Without the story the two articles share one place and no person: not enough.
    alone = resolve_entities([(key, texts[key], mentions[key]) for key in sorted(texts)])
    assert {entity.name: entity.articles for entity in alone}["Halvard Ostergren"] == ["gull-1"]
