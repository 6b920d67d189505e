"""Sign-in throttling (登录限制), kept in the database so every web worker sees the same counts.

A user name may fail ``XINYONG_LOGIN_MAX_FAILURES_PER_USER`` times, and a client address
``XINYONG_LOGIN_MAX_FAILURES_PER_IP`` times, within a sliding window of
``XINYONG_LOGIN_WINDOW_MINUTES``; further attempts are refused, without checking the password, until
the oldest of those failures leaves the window. Every check of a credential counts: a password, and
for centre staff each one-time code.

An attempt is written as failed *before* the credential is checked and marked succeeded afterwards,
so parallel guesses see each other: with check-then-write, a burst of requests in separate workers
would all pass the check before any failure was written.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.accounts.models import LoginAttempt
from xinyong.core import clock


@dataclass(frozen=True)
class Refusal:
    """Sign-in is refused until ``retry_at``."""

    retry_at: dt.datetime
    now: dt.datetime

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - self.now).total_seconds()))

    @property
    def message(self) -> str:
        return _("登录失败次数过多，请 %(minutes)d 分钟后（%(time)s 之后）再试。") % {
            "minutes": math.ceil(self.seconds / 60),
            "time": self.retry_at.astimezone(clock.CHINA).strftime("%H:%M"),
        }


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.XINYONG_LOGIN_WINDOW_MINUTES)


def normalise(username: str) -> str:
    """Counted case-insensitively, so ``Alice`` and ``alice`` share one allowance."""
    return username.strip().casefold()[: LoginAttempt._meta.get_field("username").max_length]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from the proxy's header if one is configured, else the connection's."""
    header = settings.XINYONG_CLIENT_IP_HEADER
    candidates = [request.headers.get(header, "") if header else "", request.META.get("REMOTE_ADDR", "")]
    for value in candidates:
        # A proxy may append a chain ("client, proxy1"); the first is the client.
        first = value.split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(first))
        except ValueError:
            continue
    return None


def begin(username: str, ip: str | None) -> LoginAttempt | Refusal:
    """Records an attempt (as failed until ``succeeded`` is called), or refuses it.

    A refused attempt is not kept: it checked nothing, and keeping it would let an attacker extend a
    victim's lock-out forever.
    """
    now = clock.now()
    _prune(now)
    attempt = LoginAttempt.objects.create(username=normalise(username), ip=ip, at=now, succeeded=False)
    refusal = _refusal(attempt, now)
    if refusal is not None:
        attempt.delete()
        return refusal
    return attempt


def succeeded(attempt: LoginAttempt) -> None:
    LoginAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)


def _refusal(attempt: LoginAttempt, now: dt.datetime) -> Refusal | None:
    """Refuses when earlier failures in the window already reach a limit; the wait lasts until the
    failure that reached it leaves the window."""
    earlier = LoginAttempt.objects.filter(at__gt=now - _window(), succeeded=False).exclude(pk=attempt.pk)
    limits = [(earlier.filter(username=attempt.username), settings.XINYONG_LOGIN_MAX_FAILURES_PER_USER)]
    if attempt.ip is not None:
        limits.append((earlier.filter(ip=attempt.ip), settings.XINYONG_LOGIN_MAX_FAILURES_PER_IP))
    retry_at = None
    for failures, limit in limits:
        # The limit-th most recent failure: once it is older than the window, one more try is allowed.
        reaching = list(failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit])
        if reaching:
            until = reaching[0] + _window()
            retry_at = until if retry_at is None else max(retry_at, until)
    return None if retry_at is None else Refusal(retry_at=retry_at, now=now)


def _prune(now: dt.datetime) -> None:
    """Attempts older than the window decide nothing any more; dropping them on the way keeps the
    table as small as the traffic of one window, so the counts stay cheap without a scheduled job."""
    LoginAttempt.objects.filter(at__lte=now - _window()).delete()
