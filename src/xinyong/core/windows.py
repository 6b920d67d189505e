"""Per-minute request counters kept in the database, shared by every web worker.

Used by the API keys' quotas (``catalog.quota``) and the public rate limit (``core.ratelimit``). A
counter table has the fields naming whose count it is, a ``minute`` and a ``count``, with a unique
constraint over the naming fields and ``minute``. One ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
statement bumps it: atomic on both SQLite (3.35 or newer) and PostgreSQL, with no read-then-write
race between workers and no lock held across the request.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import connection, models


def _field(model: type[models.Model], name: str) -> models.Field[object, object]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def count_in_window(model: type[models.Model], minute: dt.datetime, **names: object) -> int:
    """Adds one to the count of ``names`` (field name → value) for ``minute``; returns the new count."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [_field(model, name) for name in [*names, "minute"]]
    columns = ", ".join(quote(field.column) for field in fields)
    count = quote(_field(model, "count").column)
    # Only names from the model's own metadata are interpolated; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({columns}, {count}) VALUES ({', '.join(['%s'] * len(fields))}, 1) "  # noqa: S608
        f"ON CONFLICT ({columns}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )
    values = [*names.values(), minute]
    params = [field.get_db_prep_value(value, connection) for field, value in zip(fields, values, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0])


def seconds_to_next_minute(now: dt.datetime) -> int:
    """What ``Retry-After`` says once a minute's allowance is used up: at least one second."""
    minute = now.replace(second=0, microsecond=0)
    return max(1, math.ceil((minute + dt.timedelta(minutes=1) - now).total_seconds()))
