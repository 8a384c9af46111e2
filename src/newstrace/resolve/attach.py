"""Quotes to entities: which entity speaks each quote. Split from ``index``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from newstrace.model import Entity, Quote
from newstrace.resolve.keys import fold
from newstrace.resolve.node import _alias


def attach_quotes(entities: list[Entity], quotes: Iterable[Quote]) -> list[Quote]:
    """The quotes with ``speaker_entity`` set, each entity's ``quotes`` counted: the speaker
    is the person (or the entity so named) with a mention at the speaker mention's span, else
    the one entity of the quote's article that bears the speaker's name."""
    by_span: dict[str, list[tuple[int, int, Entity]]] = {}
    by_name: dict[tuple[str, str], set[str]] = {}
    lookup = {entity.id: entity for entity in entities}
    names = {entity.id: {fold(a) for a in [entity.name, *entity.aliases]} for entity in entities}
    for entity in entities:
        entity.quotes = 0
        for article, start, end in entity.mentions:
            by_span.setdefault(article, []).append((start, end, entity))
        for alias in [entity.name, *entity.aliases]:
            for article in entity.articles:
                by_name.setdefault((article, fold(alias)), set()).add(entity.id)
    attached = []
    for quote in quotes:
        found: Entity | None = None
        named = fold(_alias(quote.speaker)) if quote.speaker else ""
        if quote.speaker_start is not None and quote.speaker_end is not None:
            for start, end, entity in by_span.get(quote.article, []):
                # "Former Kremlin adviser Sergei Markov", "one Moscow businessman": a place or
                # organisation inside the speaker's words speaks only if it is the speaker.
                if (
                    start < quote.speaker_end
                    and quote.speaker_start < end
                    and (entity.kind == "person" or named in names[entity.id])
                ):
                    found = entity
                    break
        if found is None and named:
            ids = by_name.get((quote.article, named), set())
            if len(ids) == 1:
                found = lookup[next(iter(ids))]
        if found is not None:
            found.quotes += 1
        attached.append(replace(quote, speaker_entity=found.id if found is not None else None))
    return attached
