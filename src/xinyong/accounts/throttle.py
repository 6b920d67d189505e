"""Sign-in throttling (登录限制), kept in the database so every web worker sees the same counts.

Counted per **user name and client address together**: ``XINYONG_LOGIN_MAX_FAILURES_PER_USER``
failures of one name from one address lock that pair only, so wrong passwords typed elsewhere (or by an
attacker who knows the name) never lock the owner out at their own address. The lock backs off: the
limit-th failure locks the pair for ``XINYONG_LOGIN_WINDOW_MINUTES`` after it, and each further failure
once the wait is over doubles the wait, up to ``XINYONG_LOGIN_BACKOFF_CAP_MINUTES``; a pair's failures
are remembered that long, and forgotten at its next successful sign-in. Separately, one address may fail
``XINYONG_LOGIN_MAX_FAILURES_PER_IP`` times across all names within the window (password spraying);
beyond that it is refused until the oldest of those failures leaves the window.

Attempts are refused without checking the credential. Every check of a credential counts: a password,
and for centre staff each one-time code. Guessing one account from many addresses is slowed by the
per-address limits, the password rules and Argon2, and for centre staff by the second factor
(docs/security.md).

An attempt is written as failed *before* the credential is checked and marked succeeded afterwards,
so parallel guesses see each other: with check-then-write, a burst of requests in separate workers
would all pass the check before any failure was written.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
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
    """Marks the attempt succeeded and forgets the pair's earlier failures: its back-off starts over."""
    LoginAttempt.objects.filter(pk=attempt.pk).update(succeeded=True)
    _pair(LoginAttempt.objects.filter(succeeded=False, at__lte=attempt.at), attempt).delete()


def _pair(attempts: QuerySet[LoginAttempt], attempt: LoginAttempt) -> QuerySet[LoginAttempt]:
    return attempts.filter(username=attempt.username, ip=attempt.ip)


def _memory() -> dt.timedelta:
    return max(_window(), dt.timedelta(minutes=settings.XINYONG_LOGIN_BACKOFF_CAP_MINUTES))


def _refusal(attempt: LoginAttempt, now: dt.datetime) -> Refusal | None:
    """Refuses while the pair's back-off runs, or while the address's failures in the window reach
    its limit (until the failure that reached it leaves the window)."""
    failed = LoginAttempt.objects.filter(succeeded=False).exclude(pk=attempt.pk)
    waits: list[dt.datetime] = []
    limit = settings.XINYONG_LOGIN_MAX_FAILURES_PER_USER
    pair = list(
        _pair(failed.filter(at__gt=now - _memory()), attempt).order_by("-at").values_list("at", flat=True)
    )
    if len(pair) >= limit:
        doublings = len(pair) - limit
        wait = min(_window() * 2**doublings, _memory()) if doublings < 32 else _memory()
        waits.append(pair[0] + wait)
    if attempt.ip is not None:
        # The limit-th most recent failure: once it is older than the window, one more try is allowed.
        ip_limit = settings.XINYONG_LOGIN_MAX_FAILURES_PER_IP
        recent = failed.filter(ip=attempt.ip, at__gt=now - _window()).order_by("-at")
        reaching = list(recent.values_list("at", flat=True)[ip_limit - 1 : ip_limit])
        if reaching:
            waits.append(reaching[0] + _window())
    retry_at = max((w for w in waits if w > now), default=None)
    return None if retry_at is None else Refusal(retry_at=retry_at, now=now)


def _prune(now: dt.datetime) -> None:
    """Attempts that decide nothing any more are dropped on the way, so the table stays as small as
    the traffic of one window (successes) or of the back-off's memory (failures), without a job."""
    LoginAttempt.objects.filter(at__lte=now - _window(), succeeded=True).delete()
    LoginAttempt.objects.filter(at__lte=now - _memory()).delete()
