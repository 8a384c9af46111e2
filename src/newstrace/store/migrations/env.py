"""Alembic environment: migrations run only through ``newstrace.store``, on its connection.

There is no alembic.ini: ``newstrace.store.migrate`` builds the config and passes an open
connection (already inside the transaction that makes the upgrade all-or-nothing) in
``config.attributes["connection"]``.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from newstrace.store.schema import metadata

# Backend-specific full-text search objects live only in the migrations; autogenerate must not
# propose dropping them because the shared metadata does not describe them.
_SEARCH_TABLE_PREFIX = "articles_fts"
_SEARCH_COLUMN = ("articles", "search")


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and name is not None and name.startswith(_SEARCH_TABLE_PREFIX):
        return False
    return not (type_ == "column" and (obj.table.name, name) == _SEARCH_COLUMN)


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "newstrace migrations run through newstrace.store (Store.open or migrate), "
            "which passes the connection in config.attributes['connection']"
        )
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


_run()
