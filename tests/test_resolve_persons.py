"""Bare short names among several firms, blocks for place and name spellings that share no
key, and people's names across languages (session 13). Fictional names only."""

from __future__ import annotations

from newstrace.resolve import resolve_entities
from resolve_helpers import article, entity_of

PEOPLE = {"Ilse Varga": "PERSON", "Oskar Linde": "PERSON"}


def test_a_short_name_other_articles_use_for_one_firm_does_not_join_another() -> None:
    entities = resolve_entities(
        [
            article(
                "f1",
                "Tarnfield Logistics Group cut forty jobs, Ilse Varga said. Tarnfield's "
                "depots will close, Oskar Linde added.",
                {**PEOPLE, "Tarnfield Logistics Group": "ORG", "Tarnfield's": "ORG"},
            ),
            article(
                "f2",
                "Tarnfield Logistics lost a contract. Tarnfield's board said Ilse Varga and "
                "Oskar Linde would meet the union.",
                {**PEOPLE, "Tarnfield Logistics": "ORG", "Tarnfield's": "ORG"},
            ),
            article(
                "f3",
                "Tarnfield closed a depot, Ilse Varga and Oskar Linde said.",
                {**PEOPLE, "Tarnfield": "ORG"},
            ),
            article(
                "f4",
                "Tarnfield Capital, a fund, bought shares, Ilse Varga and Oskar Linde said.",
                {**PEOPLE, "Tarnfield Capital": "ORG"},
            ),
        ]
    )
    capital = entity_of(entities, "Tarnfield Capital")
    assert entity_of(entities, "Tarnfield", "f3") is not capital
    assert entity_of(entities, "Tarnfield Logistics") is not capital
