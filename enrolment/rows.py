"""Rows an enrolment writes under the seat lock, sent to PostgreSQL in one round trip.

While the occasion is locked every round trip counts: each keeps the lock for a trip through the network and,
on a loaded machine, through the CPU's run queue, while every other enrolment for the occasion waits. The
enrolment, its audit entry, its event and its messages are therefore collected and inserted together, in one
simple query (several statements), instead of one `objects.create` each. A row that others point at gets its
primary key before it is inserted (drawn from its sequence, see `services.lock_with_seat_state`); the others get
theirs back from the INSERT.

Without drawn ids (SQLite, the project's default, or PostgreSQL with server-side binding, which sends one
statement at a time) each row is saved when it is made, as before.
"""

import functools

from django.db import connection


class Rows:
    """Make rows with `create(model, **fields)`; `write()` inserts those not yet saved.

    `ids`: {model: [primary key, ...]} drawn beforehand, or None to save each row at once.
    """

    def __init__(self, ids=None):
        self.ids = ids
        self.pending = []

    @property
    def deferred(self):
        return self.ids is not None

    def add(self, row):
        """An unsaved model instance: saved now, or with the others in `write()`."""
        if not self.deferred:
            type(row).objects.bulk_create([row])  # as `create()`, without the signals (none listen to these rows)
            return row
        if drawn := self.ids.get(type(row)):
            row.pk = drawn.pop(0)
        self.pending.append(row)
        return row

    def create(self, model, **fields):
        return model.objects.create(**fields) if not self.deferred else self.add(model(**fields))

    def write(self):
        if self.pending:
            insert(self.pending)
            self.pending = []


# Saves every row at once: for callers outside a rush (organisers' actions, tasks).
AT_ONCE = Rows()


@functools.cache
def _insert_sql(model, with_pk):
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if with_pk or not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    if not with_pk:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields


def insert(rows):
    """INSERT model instances in one round trip (PostgreSQL, client-side binding), as the ORM would one by one:
    the same defaults, `auto_now` values and conversions. Rows without a primary key get theirs back."""
    statements, params = [], []
    for row in rows:
        sql, fields = _insert_sql(type(row), row.pk is not None)
        statements.append(sql)
        params.extend(field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), params)
        for index, row in enumerate(rows):
            if index:
                cursor.nextset()
            if row.pk is None:
                row.pk = cursor.fetchone()[0]
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias
