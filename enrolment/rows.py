"""Rows an enrolment writes under the seat lock, sent to PostgreSQL in one round trip.

While the occasion is locked every round trip counts: each keeps the lock for a trip through the network and,
on a loaded machine, through the CPU's run queue, while every other enrolment for the occasion waits. The
enrolment, its audit entry, its event and its messages are therefore collected and inserted together, in one
simple query (several statements), instead of one `objects.create` each. A row that others point at gets its
primary key before it is inserted (drawn from its sequence, see `services.lock_with_seat_state`); the others get
theirs back from the INSERT.

The seat transaction's own BEGIN and COMMIT travel the same way (`begin_in_statement`): BEGIN with the lock's
statement and COMMIT after the INSERTs, so a whole enrolment is two round trips to the database, the lock held
for one, instead of the four psycopg would make (BEGIN, lock, INSERTs, COMMIT).

Without drawn ids (SQLite, the project's default, or PostgreSQL with server-side binding, which sends one
statement at a time) each row is saved when it is made, as before.
"""

import datetime as dt
import functools

from django.db import connection, connections, models


class Drawn(dict):
    """{model: [primary key, ...]} drawn with the seat lock. `commit`: the transaction began with the lock's
    statement (`begin_in_statement`), so the rows' INSERTs end it, in their round trip."""

    def __init__(self, ids, commit=False):
        super().__init__(ids)
        self.commit = commit


class Rows:
    """Make rows with `create(model, **fields)`; `write()` inserts those not yet saved.

    `ids`: {model: [primary key, ...]} drawn beforehand (a `Drawn`), or None to save each row at once.
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
        return model.objects.create(**fields) if not self.deferred else self.add(make(model, fields))

    def write(self):
        """Insert the pending rows. When the transaction began with the lock (`Drawn.commit`) this commits it:
        nothing may be written after, in the same `atomic()` block."""
        commit = getattr(self.ids, "commit", False)
        if self.pending or commit:
            insert(self.pending, commit=commit)
            self.pending = []


# Saves every row at once: for callers outside a rush (organisers' actions, tasks).
AT_ONCE = Rows()


@functools.cache
def _layout(model):
    """make()'s plan for `model`: per concrete field, in order, (field, the keyword naming its related instance or
    None); None for a model with a one-to-one field (its reverse side is set too: model(**fields) is kept)."""
    fields = model._meta.concrete_fields
    if any(field.one_to_one for field in fields):
        return None
    return [(field, field.name if field.is_relation else None) for field in fields]


def make(model, fields):
    """`model(**fields)`, built as Django builds an instance from a database row: by position, which skips the
    work __init__ does per keyword (a fifth of an enrolment's rows' cost). Fields not given get their defaults,
    and a related instance given is cached on the row, as model(**fields) does."""
    layout = _layout(model)
    if layout is None:
        return model(**fields)
    fields, values, related = dict(fields), [], []
    for field, name in layout:
        if name is not None and name in fields:
            instance = fields.pop(name)
            values.append(None if instance is None else getattr(instance, field.target_field.attname))
            related.append((field, instance))
        elif field.attname in fields:
            values.append(fields.pop(field.attname))
        else:
            values.append(field.get_default())
    if fields:
        raise TypeError(f"{model.__name__}() got unexpected keyword arguments: {', '.join(fields)}")
    row = model(*values)
    for field, instance in related:
        field.set_cached_value(row, instance)
    return row


def begin_in_statement():
    """Whether this transaction's BEGIN may go with its first statement, which must then start with "BEGIN;": only
    for the outermost `atomic()` block, before it has sent anything, on a connection with the server's defaults
    (no isolation level or read-only of its own). psycopg is then told not to send a BEGIN of its own, so the
    statements that follow run in the transaction the server opened; Django's commit() or rollback() at the end
    of the block finish it as usual (psycopg sends COMMIT or ROLLBACK only while a transaction is open)."""
    from psycopg.pq import TransactionStatus

    if connection.vendor != "postgresql" or len(connection.atomic_blocks) != 1:
        return False
    raw = connection.connection
    if raw.info.transaction_status != TransactionStatus.IDLE or (raw.isolation_level, raw.read_only) != (None, None):
        return False
    raw.autocommit = True  # psycopg's own flag only: Django still sees the atomic block it opened
    return True


# How each column's value is made, from the cheapest: a value of the field's own plain type (or None) is saved as
# it is, since get_db_prep_save() would only check that (most of a row's fields); a date and time, or nothing, of
# one of Django's own fields is saved as it is on PostgreSQL (its adapt_datetimefield_value() returns the value);
# the rest (JSON, decimals, UUIDs, other types) goes through the field as the ORM would.
PLAIN, DATETIME, FIELD = range(3)
_PLAIN_TYPES = (
    (models.CharField, str),
    (models.TextField, str),
    (models.BooleanField, bool),
    (models.IntegerField, int),  # AutoFields too
)


def _reader(field):
    """(field, attname, how, plain type or None) for one column of an INSERT."""
    target = field.target_field if field.is_relation else field
    if type(target).pre_save is models.Field.pre_save:
        plain = next((plain for kind, plain in _PLAIN_TYPES if isinstance(target, kind)), None)
        if plain is not None:
            return field, field.attname, PLAIN, plain
    if type(field) is models.DateTimeField:  # insert() is PostgreSQL's only
        return field, field.attname, DATETIME, None
    return field, field.attname, FIELD, None


@functools.cache
def _insert_sql(model, with_pk):
    """The INSERT of one row of `model` around its values, as bytes: (before the values, after them, readers)."""
    meta = model._meta
    fields = [field for field in meta.local_concrete_fields if with_pk or not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    after = ")" if with_pk else f") RETURNING {quote(meta.pk.column)}"
    readers = [_reader(field) for field in fields]
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (".encode(), after.encode(), readers  # noqa: S608


def _values(row, readers, db):
    """The row's values as the ORM would save them; `db` is the connection itself (not the proxy for it, which
    looks the connection up again on every attribute)."""
    for field, attname, how, plain in readers:
        if how == PLAIN:
            value = getattr(row, attname)
            if value is None or type(value) is plain:
                yield value
                continue
        else:
            value = field.pre_save(row, True)  # auto_now and auto_now_add set the time here
            if how == DATETIME and (value is None or (type(value) is dt.datetime and value.tzinfo is not None)):
                yield value
                continue
        yield field.get_db_prep_save(value, db)


def insert(rows, *, commit=False):
    """INSERT model instances in one round trip (PostgreSQL, client-side binding), as the ORM would one by one:
    the same defaults, `auto_now` values and conversions. Rows without a primary key get theirs back. `commit`:
    COMMIT goes in the same round trip.

    The values are made literals by psycopg's own adapters, as its client-side cursor would, but written into
    the statement here: psycopg re-parses a statement with more than 50 parameters on every execution."""
    from psycopg.adapt import Transformer

    db = connections[connection.alias]
    literal = Transformer(db.connection).as_literal
    statements = []
    for row in rows:
        before, after, readers = _insert_sql(type(row), row.pk is not None)
        values = _values(row, readers, db)
        statements.append(before + b", ".join(b"NULL" if value is None else literal(value) for value in values) + after)
    if commit:
        statements.append(b"COMMIT")
    with db.cursor() as cursor:
        cursor.execute(b"; ".join(statements).decode(db.connection.info.encoding))
        for index, row in enumerate(rows):
            if index:
                cursor.nextset()
            if row.pk is None:
                row.pk = cursor.fetchone()[0]
    for row in rows:
        row._state.adding, row._state.db = False, db.alias
