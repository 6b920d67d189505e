"""Set-based writes for the import hot path (docs/architecture.md, principle 8).

The ORM's ``bulk_create`` spends most of an import preparing each value of each field in Python.
These helpers take rows already in database form and hand them to the driver in one go: ``COPY`` on
PostgreSQL, ``executemany`` on SQLite. They run inside the caller's transaction and bypass model
``save()`` — use them only for append-style inserts of validated data.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


@contextmanager
def collector_spared() -> Iterator[None]:
    """Hide the objects that exist now (Django, the app registry, the rulebook: ~a million) from the
    cycle collector while bulk work runs. A chunk allocates tens of thousands of small containers, so
    the collector runs often, and each full pass walked every one of those long-lived objects: a
    fifth of an import's CPU. What the work itself allocates is collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def db_date(value: dt.date) -> Any:
    # What ``adapt_datefield_value`` returns on either backend, without its per-call lookups: this
    # runs several times for every stored row.
    return value if is_postgresql() else value.isoformat()


def db_datetime(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def db_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, so children can reference them before they are inserted.

    PostgreSQL draws from the table's sequence. SQLite continues after the largest id: writers are
    serialised by the IMMEDIATE transaction the caller holds (settings), so nobody else can take them.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            sequence = f"pg_get_serial_sequence('{table}', 'id')"  # table name from the model, not input
            cursor.execute(f"SELECT nextval({sequence}) FROM generate_series(1, %s)", [count])  # noqa: S608
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - table name from the model
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, values in database form)."""
    if not rows:
        return
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def update(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Set ``columns`` of existing rows in one statement: ``rows`` are tuples of (id, *values) in
    database form. The ORM's ``bulk_update`` builds a CASE expression per column whose cost grows
    with the square of the rows (3 s for 1,000 record heads); this is one ``UPDATE … FROM unnest``
    on PostgreSQL and one prepared ``UPDATE`` run over the rows on SQLite."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            names = ["id", *columns]
            by_column = {f.column: f for f in model._meta.concrete_fields}
            types = [by_column[name].db_type(connection) or "text" for name in names]
            arrays = ", ".join(f"%s::{kind}[]" for kind in types)
            assignments = ", ".join(f"{name} = v.{name}" for name in columns)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}) "  # noqa: S608 - names from the model
                "WHERE t.id = v.id",
                [list(values) for values in zip(*rows, strict=True)],
            )
        else:
            assignments = ", ".join(f"{name} = %s" for name in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - names from the model
                [(*row[1:], row[0]) for row in rows],
            )


def insert_ignoring_conflicts(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows``, skipping those that would violate a unique constraint (a concurrent import
    may have created the same row a moment ago)."""
    if not rows:
        return
    table = model._meta.db_table
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT DO NOTHING",  # noqa: S608
            rows,
        )


class _AnyArray:
    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)  # type: ignore[attr-defined]
        values = [getattr(v, "pk", v) for v in self.rhs]  # type: ignore[attr-defined]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


@models.Field.register_lookup
class InSet(_AnyArray, In):  # type: ignore[type-arg]
    """``field__in_set=values``: ``IN (…)`` that stays fast for thousands of values.

    On PostgreSQL it is ``= ANY(%s)`` with one array parameter: psycopg parses a query with thousands
    of placeholders slowly, and the server plans one parameter as fast as many.
    """

    lookup_name = "in_set"


@models.ForeignObject.register_lookup
class RelatedInSet(_AnyArray, RelatedIn):
    lookup_name = "in_set"
