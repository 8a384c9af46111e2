"""Fictional articles for the resolver tests, with mentions placed as NER gives them."""

from __future__ import annotations

import re

from newstrace.model import Mention
from newstrace.resolve import Entity

Article = tuple[str, str, list[Mention]]


def article(article_id: str, text: str, names: dict[str, str]) -> Article:
    """An article whose mentions are every occurrence of the given names, as NER gives them."""
    mentions = []
    for surface, label in names.items():
        for found in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            mentions.append(Mention(article_id, found.start(), found.end(), surface, label))
    return article_id, text, mentions


def entity_of(entities: list[Entity], alias: str, article_id: str | None = None) -> Entity:
    found = [
        e
        for e in entities
        if alias in e.aliases and (article_id is None or article_id in e.articles)
    ]
    assert len(found) == 1, (alias, [(e.name, e.aliases) for e in found])
    return found[0]
