"""The enrolment's read statements, prepared once per database connection (PostgreSQL's PREPARE and EXECUTE).

PostgreSQL plans every statement it is sent as text, each time: for the occasion an enrolment reads and for the
seat state read under the seat lock, planning took five times as long as running them (0.25 and 0.16 ms against
0.05 and 0.03). A prepared statement is planned once per connection (PostgreSQL keeps a generic plan after a few
runs), and `EXECUTE name(values)` is still a plain statement, so it travels in the seat lock's one round trip with
the others, which psycopg's own prepared statements (one statement per round trip) could not. The person's own
row, read with the occasion, is prepared the same way (about 0.1 ms of PostgreSQL's CPU an enrolment).

A prepared statement belongs to the connection and outlives transactions, so each connection prepares them once,
in one round trip of its own outside any transaction block that could fail it. Until it has, and on other
databases (or with server-side binding), the statements are sent as they are. Not for a pooler in transaction
mode (PgBouncer), which would hand the connection's prepared statements to another client: the production
topology connects to PostgreSQL directly (docker-compose.yml).
"""

import weakref

from django.db import connection

_prepared = weakref.WeakKeyDictionary()  # psycopg connection -> {name: the EXECUTE to send} of those prepared on it


def usable():
    return connection.vendor == "postgresql" and not connection.settings_dict["OPTIONS"].get("server_side_binding")


def prepare(statements):
    """Prepare {name: SQL with %s placeholders} on this connection, those not yet prepared, in one round trip.
    Call outside the seat transaction (it is the first thing an enrolment reads)."""
    if not usable():
        return
    connection.ensure_connection()
    done = _prepared.setdefault(connection.connection, {})
    missing = {name: sql for name, sql in statements.items() if name not in done}
    if not missing:
        return
    with connection.cursor() as cursor:
        cursor.execute("; ".join(f"PREPARE {name} AS {_numbered(sql)}" for name, sql in missing.items()))
    done.update({name: _execute(name, sql.count("%s")) for name, sql in missing.items()})


def _execute(name, parameters):
    return f"EXECUTE {name}({', '.join(['%s'] * parameters)})" if parameters else f"EXECUTE {name}"


def sql(name, statement):
    """What to send for `statement` (SQL with %s placeholders): EXECUTE of its prepared form when this connection
    has prepared it under `name`, the statement itself otherwise. The parameters are the same."""
    try:
        return _prepared[connection.connection][name]
    except (KeyError, TypeError):  # not prepared here; TypeError: no connection yet, or one without weak references
        return statement


def _numbered(statement):
    """%s placeholders as PREPARE wants them: $1, $2, ..."""
    parts = statement.split("%s")
    if any("%" in part for part in parts):
        raise ValueError(f"only %s placeholders can be numbered: {statement}")
    return "".join(part + (f"${number}" if number < len(parts) else "") for number, part in enumerate(parts, 1))
