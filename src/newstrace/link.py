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

from newstrace.model import Mention
from newstrace.resolve import EntityIndex, attach_quotes
from newstrace.store import Store
from newstrace.stories import StoryFeatures, cluster_stories

logger = logging.getLogger(__name__)


@dataclass
class LinkReport:
    """What the corpus-level stage decided, for the run summary."""

    entities: int = 0
    stories: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"entities": self.entities, "stories": self.stories}


def link_corpus(store: Store) -> LinkReport:
    """Resolve entities and stories across every stored article and store the result."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for mention in store.mentions():
        mentions[mention.article].append(mention)
    index = EntityIndex()
    index.add_articles(
        (article.id, article.text, mentions.get(article.id, []), None)
        for article in store.articles()
    )
    entities = attach_quotes(index.entities(), store.quotes())
    store.replace_entities(entities)
    stories = cluster_stories(StoryFeatures.from_dict(data) for _, data in store.features("story"))
    store.replace_stories(stories)
    logger.info("linked: %d entities, %d stories", len(entities), len(stories))
    return LinkReport(entities=len(entities), stories=len(stories))
