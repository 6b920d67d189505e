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

Counts are kept where counting never holds up the site. With SQLite as the main database they live in
a small SQLite file of their own (``XINYONG_RATE_COUNTER_DB``, WAL, one connection per thread): SQLite
has one write lock per file, and bumping a counter in the main file for every anonymous request made
public pages queue behind one another and behind imports (bench/load.py: 89 of 2,308 requests timed
out). The counts are disposable, so the file is written without ``fsync``. With PostgreSQL, or the
setting empty, they live in the main database (``RateWindow``, bumped by one upsert,
``core.windows``), where row writes do not block each other. Either way every web worker shares them
and the default setup needs no Redis. The limit fails open: when the count cannot be written (a
locked file, a lost connection) the request is served uncounted and the failure logged, and a
counter write waits at most ``COUNTER_WAIT_MS`` for a SQLite write lock, so a page view is never held
up or turned into a 500 by its counter.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

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


_COUNTER_SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_window (
    client TEXT NOT NULL, scope TEXT NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (client, scope, minute)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_window_minute ON rate_window (minute);
"""
_BUMP = (
    "INSERT INTO rate_window (client, scope, minute, count) VALUES (?, ?, ?, 1) "
    "ON CONFLICT (client, scope, minute) DO UPDATE SET count = count + 1 RETURNING count"
)
_local = threading.local()


def counter_connection(path: str) -> sqlite3.Connection:
    """This thread's connection to the counter file, opened (and the file made) on first use. Keyed by
    process too: a connection must not cross a fork (gunicorn's workers)."""
    key = (path, os.getpid())
    if getattr(_local, "key", None) != key:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit (each upsert is its own transaction); ``timeout`` is SQLite's busy wait.
        db = sqlite3.connect(path, timeout=COUNTER_WAIT_MS / 1000, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # counts lost in a power cut cost nothing
        db.executescript(_COUNTER_SCHEMA)
        _local.key, _local.db = key, db
    connection: sqlite3.Connection = _local.db
    return connection


def _count_in_file(path: str, client: str, scope: str, minute: int) -> int:
    db = counter_connection(path)
    (counted,) = db.execute(_BUMP, (client, scope, minute)).fetchone()
    if counted == 1:
        db.execute("DELETE FROM rate_window WHERE minute < ?", (minute,))
    return int(counted)


def count(client: str, scope: str) -> int:
    """Adds this request to the client's count for the current minute and returns the new count."""
    minute = clock.now().replace(second=0, microsecond=0)
    if path := settings.XINYONG_RATE_COUNTER_DB:
        # Minutes since the epoch: the pruning compares them as integers.
        return _count_in_file(path, client, scope, int(minute.timestamp()) // 60)
    counted = count_in_window(RateWindow, minute, client=client, scope=scope)
    if counted == 1:
        # A new window: every earlier minute, of any client, decides nothing any more. Pruning on the
        # way keeps the table as small as one minute's clients without a scheduled job; after the
        # first new window of a minute the delete finds nothing, through the index on ``minute``.
        RateWindow.objects.filter(minute__lt=minute).delete()
    return counted


@contextmanager
def _short_wait() -> Iterator[None]:
    """On a SQLite main database, a shorter ``busy_timeout`` for the counter write, restored afterwards
    (the connection is persistent and serves the rest of the request, and later ones)."""
    if connection.vendor != "sqlite" or settings.XINYONG_RATE_COUNTER_DB:
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
    except (DatabaseError, sqlite3.Error):
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
    # The site's own error page (templates/429.html), rendered without the request: a refused request
    # costs no session or database read.
    english = get_language() == "en"
    message = (RATE_LIMITED.english if english else RATE_LIMITED.message).format(limit=limit, seconds=seconds)
    page = render_to_string("429.html", {"message": message})
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
