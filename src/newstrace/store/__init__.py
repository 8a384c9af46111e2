"""Storage for newstrace records: one ``Store`` over SQLite (default) or PostgreSQL.

``Store.open(url)`` connects and migrates; see ``resolve_db_url`` for what ``url`` may be.
"""

from newstrace.store.batch import WriteResult
from newstrace.store.db import Store
from newstrace.store.engine import DEFAULT_DB, resolve_db_url
from newstrace.store.search import SearchHit

__all__ = ["DEFAULT_DB", "SearchHit", "Store", "WriteResult", "resolve_db_url"]
