"""Deadline countdowns and the overdue flag, on the day before, the day of and the day after the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.commitments import queries, services
from xinyong.commitments.models import Commitment
from xinyong.commitments.rules import DEADLINE_COUNTING, Counting
from xinyong.core import rulebook
from xinyong.core.calendar import Countdown
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("today", "text", "overdue"),
    [
        (dt.date(2026, 11, 29), "剩余 1 天", False),
        (dt.date(2026, 11, 30), "今日到期", False),
        (dt.date(2026, 12, 1), "已逾期 1 天", True),
    ],
)
def test_the_countdown_at_the_deadline(
    commitment: Commitment, today: dt.date, text: str, overdue: bool
) -> None:
    countdown = queries.countdown(commitment, today)
    assert isinstance(countdown, Countdown)  # the one Countdown of core.calendar, natural days
    assert (countdown.text, countdown.overdue, countdown.working) == (text, overdue, False)
    assert commitment.is_overdue_on(today) is overdue


def test_a_closed_commitment_has_no_countdown(commitment: Commitment, officer: User) -> None:
    fulfilled = services.record_fulfilment(commitment, actor=officer)
    assert queries.countdown(fulfilled, dt.date(2026, 12, 5)) is None


def test_overdue_commitments_are_flagged_once_from_the_day_after_the_deadline(
    commitment: Commitment, officer: User
) -> None:
    assert services.flag_overdue_commitments(DEADLINE) == []
    with travel_to("2026-12-01 08:00"):
        flagged = services.flag_overdue_commitments(dt.date(2026, 12, 1))
        assert [c.pk for c in flagged] == [commitment.pk]
        assert services.flag_overdue_commitments(dt.date(2026, 12, 1)) == []  # idempotent
        assert services.flag_overdue_commitments(dt.date(2026, 12, 2)) == []
    assert Notification.objects.filter(user=officer, title__contains="逾期未践诺").count() == 1
    assert AuditEntry.objects.filter(action="commitments.overdue").count() == 1
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.PENDING  # overdue is a flag; the unit decides


def test_a_fulfilled_commitment_is_never_flagged(commitment: Commitment, officer: User) -> None:
    services.record_fulfilment(commitment, actor=officer)
    assert services.flag_overdue_commitments(dt.date(2026, 12, 10)) == []


def test_the_overdue_command(commitment: Commitment) -> None:
    out = StringIO()
    with travel_to("2026-12-01 08:00"):
        call_command("commitments", "overdue", stdout=out)
        call_command("commitments", "overdue", stdout=out)
    text = out.getvalue()
    assert commitment.number in text
    assert "新标记逾期未践诺承诺 1 项" in text and "新标记逾期未践诺承诺 0 项" in text


@pytest.fixture
def working_days() -> Iterator[None]:
    with rulebook.override(DEADLINE_COUNTING, Counting.WORKING_DAY):
        yield


def test_working_day_countdowns_when_the_rule_says_so(commitment: Commitment, working_days: None) -> None:
    """With counting set to working days, Fri 2026-11-27 → Mon 11-30 is one working day; past the
    calendar's last year the countdown says so instead of guessing."""

    def text(day: dt.date) -> str:
        found = queries.countdown(commitment, day)
        assert isinstance(found, Countdown) and found.working
        return found.text

    assert text(dt.date(2026, 11, 27)) == "剩余 1 个工作日"
    assert text(dt.date(2026, 11, 30)) == "今日到期"
    assert text(dt.date(2026, 12, 1)) == "已逾期 1 个工作日"
    commitment.deadline = dt.date(2027, 1, 15)
    assert text(dt.date(2026, 12, 28)) == "截止 2027-01-15"  # no 2027 calendar: the date, not a guess
