"""The corpus-level stage: facts that need many articles at once.

Runs after the per-article stages have stored a run's articles. Each resolver here is
deterministic and order-independent (a batch is the incremental run over everything
stored), so re-deciding over the whole store after every run gives the same answer as
having linked each article on arrival, and a run that was killed midway leaves nothing
to repair: the next run's link pass starts from what is stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from newstrace.model import Article, Link, Mention, Quote
from newstrace.provenance import Fingerprint, ProvenanceDoc, ProvenanceIndex, stored_doc
from newstrace.quote_clusters import cluster_quotes
from newstrace.resolve import EntityIndex, attach_quotes
from newstrace.store import Store
from newstrace.stories import StoryFeatures, cluster_stories, summarize_stories

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
# Bump when what the link pass decides changes (entity resolution, quote clusters, stories,
# provenance links), so a store linked by an older release is linked again on its next run
# even though none of its articles changed.
LINK_VERSION = "9"


def link_if_changed(store: Store) -> LinkReport | None:
    """Link the corpus unless it is exactly as the last link pass of this link version
    left it.

    The check is against what is stored, not what this run wrote, so a run killed before
    its link pass is caught up by the next run even when that run adds nothing.
    """
    state = f"link-{LINK_VERSION}:{store.digest()}"
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
    # Stories first: an entity's evidence across articles includes "same story", and stories
    # need nothing resolved (their features are the articles' own words and names).
    stories = cluster_stories(StoryFeatures.from_dict(data) for _, data in store.features("story"))
    story_of = {article: story.id for story in stories for article in story.articles}
    index = EntityIndex()
    published: dict[str, str | None] = {}
    texts = []
    # Oldest first (undated last): the earliest report is the likeliest original.
    articles = list(store.articles())
    for article in articles:
        published[article.id] = article.published
        texts.append(
            (article.id, article.text, mentions.get(article.id, []), story_of.get(article.id))
        )
    index.add_articles(texts)
    del texts
    copies = _provenance_links(store, articles, quotes)
    del articles
    store.replace_links(copies)
    clustered, clusters = cluster_quotes(
        (
            (article_quotes, published.get(article_id))
            for article_id, article_quotes in quotes.items()
        ),
        copies={link.copy for link in copies},
    )
    entities = index.entities()
    attached = attach_quotes(entities, clustered)
    store.replace_quote_clusters(attached, clusters)
    store.replace_entities(entities)
    store.replace_stories(summarize_stories(stories, entities, attached, copies))
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


PROVENANCE_STATE = "provenance_state"


def _provenance_links(
    store: Store, articles: Sequence[Article], quotes: Mapping[str, list[Quote]]
) -> list[Link]:
    """The final copy links over every stored article with a fingerprint.

    The provenance index (fingerprints, every verified pair, the links) is kept in the store
    after each pass; the next pass reloads it and aligns only the articles added since, as
    long as none it holds has changed (same content and analysis version, same provenance
    code). Otherwise it is rebuilt from the articles, with the same result.
    """
    fingerprints = dict(store.features("provenance"))
    by_id = {article.id: article for article in articles if article.id in fingerprints}

    @lru_cache(maxsize=1024)
    def stored(doc_id: str) -> tuple[ProvenanceDoc, Fingerprint]:
        article = by_id[doc_id]
        spans = [(q.start, q.end) for q in quotes.get(doc_id, []) if q.kind != "indirect"]
        return stored_doc(
            doc_id,
            article.text,
            article.published,
            fingerprints[doc_id],
            spans,
            article.spun_score,
        )

    def fetch(doc_id: str) -> ProvenanceDoc | None:
        return stored(doc_id)[0] if doc_id in by_id else None

    index = _saved_provenance(store, fetch)
    if index is None:
        index = ProvenanceIndex(fetch=fetch)
    added = 0
    for doc_id in by_id:  # store order: oldest first
        if doc_id not in index:
            index.add(*stored(doc_id))
            added += 1
    logger.info(
        "provenance: %d articles aligned, %d kept from the last pass", added, len(by_id) - added
    )
    state = {
        "code": _provenance_code(),
        "ids": list(by_id),
        "digest": store.digest(by_id),
        "index": base64.b64encode(index.to_bytes()).decode("ascii"),
    }
    store.set_meta(PROVENANCE_STATE, json.dumps(state))
    return index.links()


def _saved_provenance(
    store: Store, fetch: Callable[[str], ProvenanceDoc | None]
) -> ProvenanceIndex | None:
    """The index the last pass left, if every article it holds is stored unchanged."""
    raw = store.get_meta(PROVENANCE_STATE)
    if raw is None:
        return None
    try:
        state = json.loads(raw)
        if state["code"] != _provenance_code() or store.digest(state["ids"]) != state["digest"]:
            return None
        index = ProvenanceIndex.from_bytes(base64.b64decode(state["index"]), fetch=fetch)
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("stored provenance index unreadable (%s): rebuilding it", exc)
        return None
    if not all(doc_id in index for doc_id in state["ids"]) or len(index) != len(state["ids"]):
        return None
    return index


@lru_cache(maxsize=1)
def _provenance_code() -> str:
    """A digest of the provenance code: stored pair decisions are only reused by the code
    that made them."""
    digest = hashlib.sha256()
    package = resources.files("newstrace.provenance")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\x1f" + entry.read_bytes())
    return digest.hexdigest()[:16]
