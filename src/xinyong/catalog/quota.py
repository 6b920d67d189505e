"""Per-key request quotas (接口限额): at most ``ApiKey.requests_per_minute`` calls in a calendar minute.

The count lives in the database (``ApiKeyWindow``), so every web worker shares it, and is bumped by
one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement: atomic on both SQLite (3.35 or newer)
and PostgreSQL, with no read-then-write race between workers and no lock held across the request.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db import connection, models

from xinyong.catalog.errors import QUOTA_EXCEEDED
from xinyong.catalog.models import ApiKey, ApiKeyWindow
from xinyong.core import clock
from xinyong.core.errors import PlatformError


def _column(name: str) -> str:
    field = ApiKeyWindow._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.column


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    meta = ApiKeyWindow._meta
    table = quote(meta.db_table)
    key, minute, count = (quote(_column(name)) for name in ("key", "minute", "count"))
    # Only names from the model's own metadata are interpolated; the values are parameters.
    return (
        f"INSERT INTO {table} ({key}, {minute}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key}, {minute}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )


def count_request(api_key: ApiKey, minute: dt.datetime) -> int:
    """Adds one request to the key's count for ``minute`` and returns the new count."""
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [api_key.pk, connection.ops.adapt_datetimefield_value(minute)])
        row = cursor.fetchone()
    count = int(row[0])
    if count == 1:
        # The key's first request this minute: earlier windows decide nothing any more. Deleting them
        # here, once per key and minute through the (key, minute) index, keeps the table small
        # without a scheduled job.
        ApiKeyWindow.objects.filter(key=api_key, minute__lt=minute).delete()
    return count


def check_quota(api_key: ApiKey) -> None:
    """Counts this request against the key's quota; refuses it (429, ``Retry-After``) once over."""
    now = clock.now()
    minute = now.replace(second=0, microsecond=0)
    if count_request(api_key, minute) <= api_key.requests_per_minute:
        return
    seconds = max(1, math.ceil((minute + dt.timedelta(minutes=1) - now).total_seconds()))
    raise PlatformError(
        QUOTA_EXCEEDED,
        headers={"Retry-After": str(seconds)},
        limit=api_key.requests_per_minute,
        seconds=seconds,
    )
