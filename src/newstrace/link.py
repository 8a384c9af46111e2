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

logger = logging.getLogger(__name__)


@dataclass
class LinkReport:
    """What the corpus-level stage decided, for the run summary."""

    entities: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"entities": self.entities}


def link_corpus(store: Store) -> LinkReport:
    """Resolve entities across every stored article and store the result."""
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
    logger.info("linked %d articles into %d entities", len(mentions), len(entities))
    return LinkReport(entities=len(entities))
