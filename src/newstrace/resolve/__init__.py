"""Cross-article entity resolution: mentions in, one entity per person, organisation, place.

``resolve_entities`` is the batch entry point; ``EntityIndex`` the incremental one (a batch
run is the incremental run over all articles). Name rules live in ``data/name_rules.json``.
"""

from newstrace.model import Entity
from newstrace.resolve.attach import attach_quotes
from newstrace.resolve.index import EntityIndex, entity_id, resolve_entities

__all__ = ["Entity", "EntityIndex", "attach_quotes", "entity_id", "resolve_entities"]
