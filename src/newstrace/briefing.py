"""The human-readable briefing printed by `newstrace analyze` and `newstrace demo`.

Built from stored records only, so the same briefing comes out of a fresh run and of a
database reopened later.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from newstrace.model import (
    Article,
    Entity,
    InputFailure,
    Link,
    Quote,
    QuoteCluster,
    Story,
    by_speaker,
)
from newstrace.store import Store

MAX_ARTICLE_ROWS = 60
MAX_NAMES = 12
MAX_STORIES = 12
MAX_QUOTES_PER_SPEAKER = 3
GROUPS = (("People", "person"), ("Organisations", "organisation"), ("Places", "place"))


@dataclass
class Briefing:
    """The stored records a briefing shows, for one run's articles or the whole store."""

    articles: list[Article]
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    failures: list[InputFailure] = field(default_factory=list)

    @classmethod
    def from_store(
        cls, store: Store, ids: list[str] | None, failures: list[InputFailure]
    ) -> Briefing:
        """The stored records about ``ids`` (all when None)."""
        return cls(
            articles=list(store.articles(ids)),
            quotes=list(store.quotes(ids)),
            entities=touching(store.entities(), ids),
            stories=touching(store.stories(), ids),
            links=links_touching(store.links(), ids),
            failures=failures,
        )


_WithArticles = TypeVar("_WithArticles", Story, Entity)


def links_touching(links: Iterable[Link], ids: list[str] | None) -> list[Link]:
    """Links with either end among ``ids``; all when ``ids`` is None."""
    wanted = None if ids is None else set(ids)
    return [link for link in links if wanted is None or {link.copy, link.original} & wanted]


def touching(records: Iterable[_WithArticles], ids: list[str] | None) -> list[_WithArticles]:
    """Records (stories, entities) that involve any of ``ids``; all when ``ids`` is None."""
    if ids is None:
        return list(records)
    wanted = set(ids)
    return [record for record in records if wanted.intersection(record.articles)]


def render_briefing(console: Console, briefing: Briefing) -> None:
    articles = briefing.articles
    outlets = {article.outlet for article in articles if article.outlet}
    dates = sorted(article.published[:10] for article in articles if article.published)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    console.rule(
        f"[bold]newstrace briefing[/]: {len(articles)} articles, {len(outlets)} outlets{span}"
    )
    if articles:
        console.print(_articles_table(articles))
    else:
        console.print("no articles (nothing read, and nothing stored yet)")
    _print_cleaning(console, articles)
    known = {article.id: article for article in articles}
    _print_stories(console, briefing.stories, known, briefing.quotes)
    if briefing.links:
        console.print()
        render_links(console, briefing.links, known)
    for group, kind in GROUPS:
        _print_entities(console, group, [e for e in briefing.entities if e.kind == kind])
    if briefing.quotes:
        console.print()
        render_quotes(
            console,
            briefing.quotes,
            per_speaker=MAX_QUOTES_PER_SPEAKER,
            speakers=MAX_NAMES,
            names={entity.id: entity.name for entity in briefing.entities},
            once_per_cluster=True,
            copies=frozenset(link.copy for link in briefing.links),
        )
    if briefing.failures:
        console.print(f"\n[bold red]{len(briefing.failures)} input(s) failed[/]")
        for failure in briefing.failures:
            console.print(Text(f"  {failure}"))


def render_quotes(
    console: Console,
    quotes: list[Quote],
    per_speaker: int | None = None,
    speakers: int | None = None,
    *,
    names: Mapping[str, str] | None = None,
    once_per_cluster: bool = False,
    copies: frozenset[str] = frozenset(),
) -> None:
    """Quotes grouped by speaker (an entity under every spelling, named by ``names``: entity
    id -> name), most quoted first; each with where it appeared.

    With ``once_per_cluster`` a statement carried by several articles (one quote cluster)
    is shown once, at its first listed article that is not a known copy (``copies``), with
    the number of others."""
    ranked = by_speaker(quotes, names or {})
    console.print(Text(f"Quotes: {len(quotes)} from {len(ranked)} speakers", style="bold"))
    for name, said in ranked[:speakers]:
        roles = sorted({quote.speaker_role for quote in said if quote.speaker_role})
        described = f", {'; '.join(roles)}" if roles else ""
        heading = f"{name or '(unattributed)'}{described} ({len(said)})"
        console.print(Text("  " + heading, style="bold"))
        groups = _by_cluster(said, copies) if once_per_cluster else [[quote] for quote in said]
        for group in groups[:per_speaker]:
            quote = group[0]
            mark = "“”" if quote.kind == "direct" else "  "
            line = f"    [{quote.kind}] {mark[0]}{_shorten(quote.text, 110)}{mark[1]}"
            where = quote.article + (f" +{len(group) - 1} more" if len(group) > 1 else "")
            console.print(Text(line + f"  ({where}, {quote.confidence:.2f})"))
        if per_speaker is not None and len(groups) > per_speaker:
            console.print(Text(f"    ... and {len(groups) - per_speaker} more"))
    if speakers is not None and len(ranked) > speakers:
        console.print(Text(f"  ... and {len(ranked) - speakers} more speakers"))


def _by_cluster(quotes: list[Quote], copies: frozenset[str]) -> list[list[Quote]]:
    """Quotes grouped by cluster in order of first listing, known copies last in each
    group; unclustered quotes alone."""
    groups: dict[str | int, list[Quote]] = {}
    for position, quote in enumerate(quotes):
        groups.setdefault(quote.cluster or position, []).append(quote)
    return [sorted(group, key=lambda q: q.article in copies) for group in groups.values()]


def _articles_table(articles: list[Article]) -> Table:
    table = Table(title="Articles", title_justify="left", expand=False)
    for column in ("published", "outlet", "title", "id", "notes"):
        table.add_column(column, overflow="fold")
    for article in articles[:MAX_ARTICLE_ROWS]:
        notes = list(article.flags)
        if article.spun_score is not None and "machine-spun" in article.flags:
            notes.append(f"spun {article.spun_score:.2f}")
        if article.removed:
            notes.append(f"{len(article.removed)} removed")
        table.add_row(
            Text(article.published[:16] if article.published else "undated"),
            Text(article.outlet or "?"),
            Text(article.title or _first_words(article.text)),
            Text(article.id),
            Text(", ".join(notes)),
        )
    if len(articles) > MAX_ARTICLE_ROWS:
        table.caption = f"... and {len(articles) - MAX_ARTICLE_ROWS} more"
    return table


def _print_cleaning(console: Console, articles: list[Article]) -> None:
    cleaned = [article for article in articles if article.removed]
    if not cleaned:
        return
    total = sum(len(article.removed) for article in cleaned)
    console.print(f"\n[bold]Cleaned[/]: {total} inserts removed from {len(cleaned)} articles")
    kinds = Counter(removal.kind for article in cleaned for removal in article.removed)
    console.print(Text("  by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common())))
    for article in cleaned[:MAX_ARTICLE_ROWS]:
        for removal in article.removed:
            console.print(Text(f"  {article.id}: [{removal.kind}] {_shorten(removal.text, 90)}"))


def render_quote_clusters(console: Console, clusters: list[QuoteCluster]) -> None:
    """Each repeated quote once: speaker, first appearance, and every article that carries it."""
    for cluster in clusters:
        first = f"first in {cluster.first_article} ({cluster.first_published or 'undated'})"
        console.print(Text(f"{cluster.speaker or '(unattributed)'}: “{cluster.text}”", "bold"))
        console.print(Text(f"  [{cluster.id}] {len(cluster.members)} appearances, {first}"))
        for article, start, end in cluster.members:
            console.print(Text(f"    {article} [{start}:{end}]"))
        for variant in cluster.variants[1:]:
            console.print(Text(f"    variant: “{_shorten(variant, 110)}”"))


def render_links(console: Console, links: list[Link], known: dict[str, Article]) -> None:
    """A provenance tree per original: each copy with its relation and what decided it."""
    by_original: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_original[link.original].append(link)
    console.print(Text(f"Provenance: {len(links)} copies of {len(by_original)} originals", "bold"))
    for original, copies in sorted(by_original.items(), key=lambda item: (-len(item[1]), item[0])):
        console.print(Text(f"  {_label(original, known)}"))
        for number, link in enumerate(sorted(copies, key=lambda c: c.copy)):
            branch = "└─" if number == len(copies) - 1 else "├─"
            line = (
                f"    {branch} {link.relation:14} {_label(link.copy, known)}  "
                f"score {link.score:.2f}, original by {link.decided_by or '?'}"
            )
            console.print(Text(line))


def _label(article_id: str, known: dict[str, Article]) -> str:
    article = known.get(article_id)
    if article is None:
        return article_id
    when = (article.published or "undated")[:10]
    return f"{article_id} ({article.outlet or '?'}, {when})"


def _print_stories(
    console: Console, stories: list[Story], known: dict[str, Article], quotes: list[Quote]
) -> None:
    if not stories:
        return
    carried: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        if quote.cluster:
            carried[quote.cluster].append(quote)
    console.print(Text(f"\nStories: {len(stories)}", style="bold"))
    for story in stories[:MAX_STORIES]:
        console.print(Text(f"  {story.title or '(untitled)'} ({len(story.articles)} articles)"))
        if story.entities:
            console.print(Text(f"    about: {', '.join(story.entities[:5])}", style="dim"))
        said = next((carried[c] for c in story.quotes if carried.get(c)), [])
        outlets = len({quote.article for quote in said})
        if outlets > 1:  # a quote only one article carries is not the story's refrain
            who = said[0].speaker or "unattributed"
            line = f"    most carried: “{_shorten(said[0].text, 90)}” ({who}, {outlets} articles)"
            console.print(Text(line, style="dim"))
        for article_id in story.articles:
            article = known.get(article_id)
            when = (article.published or "undated")[:10] if article else ""
            outlet = (article.outlet or "?") if article else ""
            console.print(Text(f"    {when:10} {outlet:18} {article_id}"))
    if len(stories) > MAX_STORIES:
        console.print(Text(f"  ... and {len(stories) - MAX_STORIES} more stories"))


def _print_entities(console: Console, group: str, entities: list[Entity]) -> None:
    if not entities:
        return
    shown = []
    for entity in entities[:MAX_NAMES]:
        extra = [f"{len(entity.articles)} art."]
        if entity.quotes:
            extra.append(f"{entity.quotes} quotes")
        aliases = [alias for alias in entity.aliases if alias != entity.name][:3]
        if aliases:
            extra.append("aka " + " / ".join(aliases))
        shown.append(f"{entity.name} ({', '.join(extra)})")
    more = f" and {len(entities) - MAX_NAMES} more" if len(entities) > MAX_NAMES else ""
    console.print(Text.assemble((f"\n{group}: ", "bold"), "; ".join(shown) + more))


def _first_words(text: str, limit: int = 60) -> str:
    return _shorten(text.split("\n", 1)[0], limit) if text else "(empty)"


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
