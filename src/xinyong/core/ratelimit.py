"""Per-client rate limits on public traffic (反爬取): anonymous page views and anonymous API calls.

A client address may make ``XINYONG_PUBLIC_REQUESTS_PER_MINUTE`` requests in a calendar minute, and
``XINYONG_SEARCH_REQUESTS_PER_MINUTE`` to search (``/search…``, ``/api/v1/subjects…``), where one
request makes a crawler's harvest grow fastest. Beyond that: 429 with ``Retry-After``, a short page for
browsers and the error envelope (``request.rate_limited``) for the API. A limit of 0 turns its scope off
(for a deployment whose proxy or CDN limits already).

Not limited: signed-in users (their accounts are verified, and what they may see is decided per
account), provider systems with a live API key (they have their own quota, ``catalog.quota``), static
files, ``/robots.txt`` (crawlers must be able to read the rules) and the admin (staff only; its sign-in
is throttled on its own).

Counts live in the database (``RateWindow``, bumped by one upsert, ``core.windows``), so every web
worker shares them and the default setup needs no Redis. The limit fails open: when the count cannot be
written (a database locked by an import, a lost connection) the request is served uncounted and the
failure logged, and on SQLite the counter waits at most ``COUNTER_WAIT_MS`` for the write lock, so a
page view is never held up or turned into a 500 by its counter.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from xinyong.catalog.services import live_key
from xinyong.core import clock
from xinyong.core.api import error_response
from xinyong.core.client import client_ip
from xinyong.core.errors import RATE_LIMITED, PlatformError
from xinyong.core.models import RateWindow
from xinyong.core.windows import count_in_window, seconds_to_next_minute

PUBLIC, SEARCH = "public", "search"
SEARCH_PREFIXES = ("/search", "/api/v1/subjects")
EXEMPT_PREFIXES = ("/robots.txt", "/admin/")
#: How long a counter write waits for SQLite's write lock before the request goes on uncounted: a
#: public page reads under WAL while an import writes, and must not wait the full ``busy_timeout``.
COUNTER_WAIT_MS = 200

logger = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>访问过于频繁 · xinyong</title></head>
<body><h1>访问过于频繁</h1><p>{}</p><p lang="en">{}</p><p><a href="/">返回首页</a></p></body></html>
"""


def client_key(request: HttpRequest) -> str:
    """Whose count a request goes to: its client address, with IPv6 taken per /64 network, since one
    subscriber is usually given a whole /64 and could otherwise change address at every request."""
    address = client_ip(request)
    if address is None:
        # No usable address (e.g. a Unix-socket proxy without XINYONG_CLIENT_IP_HEADER): such
        # clients share one count, which a misconfigured proxy makes visible quickly.
        return "unknown"
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return address


def _is_public(request: HttpRequest) -> bool:
    """Whether the request is anonymous public traffic that the limit applies to."""
    path = request.path
    if path.startswith(EXEMPT_PREFIXES) or path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return False
    if request.user.is_authenticated:
        return False
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    # Only a live key is exempt: any header at all would let a crawler opt out of the limit.
    return not (scheme.lower() == "bearer" and live_key(token.strip()) is not None)


def _limits() -> dict[str, int]:
    # Read per request, not at import, so a deployment's settings and tests' overrides take effect.
    return {
        PUBLIC: settings.XINYONG_PUBLIC_REQUESTS_PER_MINUTE,
        SEARCH: settings.XINYONG_SEARCH_REQUESTS_PER_MINUTE,
    }


def count(client: str, scope: str) -> int:
    """Adds this request to the client's count for the current minute and returns the new count."""
    minute = clock.now().replace(second=0, microsecond=0)
    counted = count_in_window(RateWindow, minute, client=client, scope=scope)
    if counted == 1:
        # A new window: every earlier minute, of any client, decides nothing any more. Pruning on the
        # way keeps the table as small as one minute's clients without a scheduled job; after the
        # first new window of a minute the delete finds nothing, through the index on ``minute``.
        RateWindow.objects.filter(minute__lt=minute).delete()
    return counted


@contextmanager
def _short_wait() -> Iterator[None]:
    """On SQLite, a shorter ``busy_timeout`` for the counter write, restored afterwards (the
    connection is persistent and serves the rest of the request, and later ones)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {COUNTER_WAIT_MS:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous):d}")


def counted(client: str, scope: str) -> int | None:
    """``count``, or None when the store cannot be written: the limit fails open, and says so in the log."""
    try:
        with _short_wait():
            return count(client, scope)
    except DatabaseError:
        logger.warning(
            "公共访问计数写入失败，本次请求未计数（限流放行）: client=%s scope=%s",
            client,
            scope,
            exc_info=True,
        )
        return None


def refusal(request: HttpRequest, limit: int) -> HttpResponse:
    seconds = seconds_to_next_minute(clock.now())
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        return error_response(
            request, PlatformError(RATE_LIMITED, headers=headers, limit=limit, seconds=seconds)
        )
    page = format_html(
        PAGE,
        RATE_LIMITED.format(limit=limit, seconds=seconds),
        RATE_LIMITED.english.format(limit=limit, seconds=seconds),
    )
    return HttpResponse(page, status=RATE_LIMITED.status, headers=headers)


class PublicRateLimitMiddleware:
    """Refuses anonymous public requests beyond the per-minute limit of their client address.
    Placed after ``AuthenticationMiddleware``: it needs ``request.user``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_public(request):
            scope = SEARCH if request.path.startswith(SEARCH_PREFIXES) else PUBLIC
            limit = _limits()[scope]
            if limit > 0:
                so_far = counted(client_key(request), scope)
                if so_far is not None and so_far > limit:
                    return refusal(request, limit)
        return self.get_response(request)
