"""What a story is about, once the corpus is linked: its main entities, its most repeated
quotes and its provenance groups.

Story clustering sees each article's own mention strings; the summary is written after
entity resolution, so "Hrebenko", "Grebenko" and "Aleksandr Hrebenko" count as one person,
and a quote carried by five outlets counts once with its reach.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from newstrace.model import Entity, Link, Quote, Story

MAIN_ENTITIES = 8
MAIN_QUOTES = 5


def summarize_stories(
    stories: Sequence[Story],
    entities: Iterable[Entity],
    quotes: Iterable[Quote],
    links: Iterable[Link],
) -> list[Story]:
    """The stories with ``entities`` (resolved names, most widely mentioned first),
    ``quotes`` (cluster ids, most widely carried first) and ``provenance`` (original ->
    copies, in the story's time order) filled in."""
    story_of = {article: story.id for story in stories for article in story.articles}
    position = {article: i for story in stories for i, article in enumerate(story.articles)}
    reach: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)  # story -> entity
    mentioned: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for entity in entities:
        key = (entity.id, entity.name)
        for article in entity.articles:
            if article in story_of:
                reach[story_of[article]][key] += 1
        for article, _start, _end in entity.mentions:
            if article in story_of:
                mentioned[story_of[article]][key] += 1
    carried: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    first_seen: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for quote in quotes:
        home = story_of.get(quote.article)
        if home is None or quote.cluster is None:
            continue
        carried[home][quote.cluster].add(quote.article)
        seen = (position[quote.article], quote.start)
        first_seen[home][quote.cluster] = min(first_seen[home].get(quote.cluster, seen), seen)
    copies: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for link in links:
        home = story_of.get(link.copy)
        if home is not None:
            copies[home][link.original].append(link.copy)
    summarized = []
    for story in stories:
        ranked = sorted(
            reach[story.id], key=lambda k: (-reach[story.id][k], -mentioned[story.id][k], k[1])
        )
        clusters = carried[story.id]
        seen_at = first_seen[story.id]
        top = sorted(clusters, key=lambda c: (-len(clusters[c]), seen_at[c], c))
        groups = copies[story.id]
        originals = sorted(groups, key=lambda o: (position.get(o, len(position)), o))
        summarized.append(
            replace(
                story,
                entities=[name for _id, name in ranked[:MAIN_ENTITIES]],
                quotes=top[:MAIN_QUOTES],
                provenance={
                    original: sorted(groups[original], key=lambda a: position.get(a, 0))
                    for original in originals
                },
            )
        )
    return summarized
