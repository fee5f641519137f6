"""Django's PostgreSQL backend, with prepared statements.

Each connection prepares a query the first time it runs it, then sends only the parameters: the
server parses and analyses the query once per connection instead of on every page. A case page's
queries cost about 15 % less (issue #8).

Statements run without parameters are never prepared. Django's schema editor sends several
commands in one statement (``ALTER TABLE ...; SET CONSTRAINTS ... IMMEDIATE``), which PostgreSQL
refuses to prepare, and a one-off maintenance statement gains nothing from it. Almost every query
a page runs has parameters (the person, the case, the organisation).

A connection pooler in transaction mode that does not track prepared statements (PgBouncer before
1.21, or later without ``max_prepared_statements``) would hand a prepared statement to another
session: set ``HARBOUR_PG_PREPARED_STATEMENTS=false`` behind one.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # psycopg 3 only
    ServerBindingCursor,
)

#: Prepared statements kept per connection (psycopg keeps 100 by default, dropping the least
#: recently used). Harbour's pages run a few hundred distinct queries between them; with too few
#: kept, each would be prepared again and its predecessor deallocated, a round trip each.
PREPARED_MAX = 256


class PreparingCursor(ServerBindingCursor):  # type: ignore[misc]  # defined only under psycopg 3
    """A server-side binding cursor that prepares a query only when it comes with parameters."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if not params and kwargs.get("prepare") is None:
            kwargs["prepare"] = False
        return super().execute(query, params, **kwargs)


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["cursor_factory"] = PreparingCursor
        params["prepare_threshold"] = 0
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.prepared_max = PREPARED_MAX
        return connection
