"""The corpus-level stage: facts that need many articles at once.

Runs after the per-article stages have stored a run's articles. Each resolver here is
deterministic and order-independent (a batch is the incremental run over everything
stored), so re-deciding over the whole store after every run gives the same answer as
having linked each article on arrival, and a run that was killed midway leaves nothing
to repair: the next run's link pass starts from what is stored.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from newstrace.model import Mention, Quote
from newstrace.provenance import ProvenanceIndex, stored_doc
from newstrace.quote_clusters import cluster_quotes
from newstrace.resolve import EntityIndex, attach_quotes
from newstrace.store import Store
from newstrace.stories import StoryFeatures, cluster_stories

logger = logging.getLogger(__name__)


@dataclass
class LinkReport:
    """What the corpus-level stage decided, for the run summary."""

    entities: int = 0
    stories: int = 0
    quote_clusters: int = 0
    links: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "stories": self.stories,
            "quote_clusters": self.quote_clusters,
            "links": self.links,
        }


LINKED_STATE = "linked_state"


def link_if_changed(store: Store) -> LinkReport | None:
    """Link the corpus unless it is exactly as the last link pass left it.

    The check is against what is stored, not what this run wrote, so a run killed before
    its link pass is caught up by the next run even when that run adds nothing.
    """
    state = store.digest()
    if store.get_meta(LINKED_STATE) == state:
        return None
    report = link_corpus(store)
    store.set_meta(LINKED_STATE, state)
    return report


def link_corpus(store: Store) -> LinkReport:
    """Resolve entities, quote clusters and stories across every stored article."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for mention in store.mentions():
        mentions[mention.article].append(mention)
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in store.quotes():
        quotes[quote.article].append(quote)
    index = EntityIndex()
    published: dict[str, str | None] = {}
    texts = []
    provenance = ProvenanceIndex()
    fingerprints = dict(store.features("provenance"))
    # Oldest first (undated last): the earliest report is the likeliest original.
    for article in store.articles():
        published[article.id] = article.published
        texts.append((article.id, article.text, mentions.get(article.id, []), None))
        if article.id in fingerprints:
            spans = [(q.start, q.end) for q in quotes.get(article.id, []) if q.kind != "indirect"]
            doc, fp = stored_doc(
                article.id,
                article.text,
                article.published,
                fingerprints.pop(article.id),
                spans,
                article.spun_score,
            )
            provenance.add(doc, fp)
    index.add_articles(texts)
    del texts
    copies = provenance.links()  # the final set: later articles re-point earlier links
    store.replace_links(copies)
    clustered, clusters = cluster_quotes(
        (
            (article_quotes, published.get(article_id))
            for article_id, article_quotes in quotes.items()
        ),
        copies={link.copy for link in copies},
    )
    store.replace_quote_clusters(clustered, clusters)
    entities = attach_quotes(index.entities(), clustered)
    store.replace_entities(entities)
    stories = cluster_stories(StoryFeatures.from_dict(data) for _, data in store.features("story"))
    store.replace_stories(stories)
    logger.info(
        "linked: %d entities, %d quote clusters, %d stories",
        len(entities),
        len(clusters),
        len(stories),
    )
    return LinkReport(
        entities=len(entities),
        stories=len(stories),
        quote_clusters=len(clusters),
        links=len(copies),
    )
