"""What one page or one API detail shows, assembled once from the store for both front ends.

The API serializes these with the records' own ``to_dict`` (and ``export.article_record``,
the CLI's article JSONL); the pages render the same records through templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newstrace import export
from newstrace.model import Article, Entity, Link, Mention, Quote, Story
from newstrace.store import Store, read


class NotFound(LookupError):
    """A record the request names is not stored; the app answers 404 with this message."""


@dataclass
class ArticleView:
    article: Article
    quotes: list[Quote]
    mentions: list[Mention]
    links: list[Link]
    stories: list[Story]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": export.article_record(self.article),
            "quotes": [quote.to_dict() for quote in self.quotes],
            "mentions": [mention.to_dict() for mention in self.mentions],
            "links": [link.to_dict() for link in self.links],
            "stories": [story.id for story in self.stories],
        }


@dataclass
class ProvenanceGroup:
    """One original and the articles derived from it (each edge with its relation)."""

    original: str
    copies: list[Link] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"original": self.original, "copies": [link.to_dict() for link in self.copies]}


@dataclass
class StoryView:
    story: Story
    articles: list[Article]  # time order
    quotes: list[Quote]
    provenance: list[ProvenanceGroup]

    def to_dict(self) -> dict[str, Any]:
        return {
            "story": self.story.to_dict(),
            "articles": [export.article_record(article) for article in self.articles],
            "quotes": [quote.to_dict() for quote in self.quotes],
            "provenance": [group.to_dict() for group in self.provenance],
        }


@dataclass
class EntityView:
    entity: Entity
    articles: list[Article]
    quotes: list[Quote]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity.to_dict(),
            "quotes": [quote.to_dict() for quote in self.quotes],
        }


def article_view(store: Store, article_id: str) -> ArticleView:
    found = next(store.articles([article_id]), None)
    if found is None:
        raise NotFound(f"no article {article_id!r}")
    return ArticleView(
        article=found,
        quotes=list(store.quotes([article_id])),
        mentions=list(store.mentions([article_id])),
        links=read.links_touching(store, article_id),
        stories=read.stories_of_article(store, article_id),
    )


def story_view(store: Store, story_id: str) -> StoryView:
    found = read.story(store, story_id)
    if found is None:
        raise NotFound(f"no story {story_id!r}")
    order = {article_id: position for position, article_id in enumerate(found.articles)}
    articles = sorted(store.articles(found.articles), key=lambda a: order[a.id])
    # The link stage stored the story's groups (original -> copies in time order).
    links = read.links_of_copies(store, [c for cs in found.provenance.values() for c in cs])
    provenance = [
        ProvenanceGroup(original, [links[copy] for copy in copies if copy in links])
        for original, copies in found.provenance.items()
    ]
    return StoryView(found, articles, list(store.quotes(found.articles)), provenance)


def entity_view(store: Store, entity_id: str) -> EntityView:
    found = read.entity(store, entity_id)
    if found is None:
        raise NotFound(f"no entity {entity_id!r}")
    return EntityView(found, list(store.articles(found.articles)), read.entity_quotes(store, found))


def repeats(quotes: list[Quote]) -> list[list[Quote]]:
    """The same quote across articles (one cross-article cluster) as one group, first
    appearance first; unclustered quotes stand alone."""
    groups: dict[str, list[Quote]] = {}
    for number, quote in enumerate(quotes):
        groups.setdefault(quote.cluster or f"#{number}", []).append(quote)
    return list(groups.values())


def marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int | None]]:
    """Cut ``text`` into (piece, index of the span it belongs to, or None) for highlighting;
    a span overlapping an earlier one is left unmarked, since markup cannot nest across."""
    pieces: list[tuple[str, int | None]] = []
    position = 0
    for index, (start, end) in sorted(enumerate(spans), key=lambda item: (item[1][0], -item[1][1])):
        if start < position or not 0 <= start < end <= len(text):
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], index))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
