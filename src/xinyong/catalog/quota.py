"""Per-key request quotas (接口限额): at most ``ApiKey.requests_per_minute`` calls in a calendar minute.

The count lives in the database (``ApiKeyWindow``), so every web worker shares it, and is bumped by
one atomic upsert (``core.windows``).
"""

from __future__ import annotations

import datetime as dt

from xinyong.catalog.errors import QUOTA_EXCEEDED
from xinyong.catalog.models import ApiKey, ApiKeyWindow
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.core.windows import count_in_window, seconds_to_next_minute


def count_request(api_key: ApiKey, minute: dt.datetime) -> int:
    """Adds one request to the key's count for ``minute`` and returns the new count."""
    count = count_in_window(ApiKeyWindow, minute, key=api_key.pk)
    if count == 1:
        # The key's first request this minute: earlier windows decide nothing any more. Deleting them
        # here, once per key and minute through the (key, minute) index, keeps the table small
        # without a scheduled job.
        ApiKeyWindow.objects.filter(key=api_key, minute__lt=minute).delete()
    return count


def check_quota(api_key: ApiKey) -> None:
    """Counts this request against the key's quota; refuses it (429, ``Retry-After``) once over."""
    now = clock.now()
    if count_request(api_key, now.replace(second=0, microsecond=0)) <= api_key.requests_per_minute:
        return
    seconds = seconds_to_next_minute(now)
    raise PlatformError(
        QUOTA_EXCEEDED,
        headers={"Retry-After": str(seconds)},
        limit=api_key.requests_per_minute,
        seconds=seconds,
    )
