"""The working-day calendar's staff-facing parts: editing it in the admin (validated, audited), the
warning when a year deadlines will soon need is missing, ``xinyong calendar check``, and deadlines
that run into a missing year failing loudly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from xinyong.accounts.models import Role
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Provider
from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.core.calendar import CalendarMissing, WorkingCalendar, WorkingDays
from xinyong.core.models import CalendarDay, CalendarYear
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

WARNING = "工作日历缺少 2027 年的节假日安排"


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(centre_staff("catalogue", Role.CATALOGUE_ADMIN))
    return client


def _year_form(year: int, days: list[tuple[str, str]]) -> dict[str, Any]:
    form: dict[str, Any] = {
        "year": year,
        "source": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "days-TOTAL_FORMS": len(days),
        "days-INITIAL_FORMS": 0,
        "days-MIN_NUM_FORMS": 0,
        "days-MAX_NUM_FORMS": 1000,
    }
    for i, (day, kind) in enumerate(days):
        form |= {f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-year": year}
    return form


def test_a_catalogue_admin_enters_next_years_notice_and_each_day_is_audited(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/core/calendaryear/add/",
        _year_form(2027, [("2027-01-01", "off"), ("2027-02-06", "makeup")]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dict(CalendarDay.objects.filter(year=2027).values_list("date", "kind")) == {
        dt.date(2027, 1, 1): "off",
        dt.date(2027, 2, 6): "makeup",
    }
    trail = list(AuditEntry.objects.filter(action__startswith="admin.").values_list("action", "object_type"))
    assert ("admin.add", "core.calendaryear") in trail
    assert trail.count(("admin.add", "core.calendarday")) == 2
    assert WorkingCalendar.load().is_working_day(dt.date(2027, 2, 6))  # a Saturday make-up day


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        ("2028-01-03", "off", "不属于 2027 年度"),
        ("2027-01-04", "makeup", "2027-01-04 是星期一，本来就是工作日"),  # a Monday
        ("2027-01-02", "off", "2027-01-02 是星期六，本来就休息"),  # a Saturday
    ],
)
def test_it_refuses_a_day_that_says_nothing_or_belongs_to_another_year(
    admin_client: Client, day: str, kind: str, message: str
) -> None:
    response = admin_client.post("/admin/core/calendaryear/add/", _year_form(2027, [(day, kind)]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()


def test_a_seeded_year_with_weekend_days_in_its_ranges_can_still_be_edited(admin_client: Client) -> None:
    """The notices list whole ranges (2026-10-01..07 includes a weekend); only new or changed days are
    judged, so correcting the source of 2026 is not blocked by its own seeded days."""
    days = list(CalendarDay.objects.filter(year=2026).order_by("date"))
    form = _year_form(2026, [(d.date.isoformat(), d.kind) for d in days])
    form |= {"days-INITIAL_FORMS": len(days), "source": "国办发明电〔2025〕7号"}
    response = admin_client.post("/admin/core/calendaryear/2026/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CalendarYear.objects.get(year=2026).source == "国办发明电〔2025〕7号"
    assert AuditEntry.objects.filter(action="admin.change", object_type="core.calendaryear").count() == 1


def test_only_catalogue_admins_may_change_the_calendar() -> None:
    client = Client()
    client.force_login(centre_staff("auditor", Role.AUDITOR))
    response = client.post("/admin/core/calendaryear/add/", _year_form(2027, [("2027-01-01", "off")]))
    assert response.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- The warning, well before the year starts ---------------------------------------------------------


def _workspace(client: Client, when: str) -> str:
    with travel_to(when):
        return client.get("/workspace/").content.decode()


def test_centre_staff_are_warned_from_october_when_next_year_is_missing() -> None:
    client = Client()
    client.force_login(centre_staff("watcher", Role.OBJECTION_HANDLER))
    assert WARNING not in _workspace(client, "2026-09-30 23:00 +0800")
    assert WARNING in _workspace(client, "2026-10-01 09:00 +0800")
    with travel_to("2026-11-22 10:00"):
        assert WARNING in client.get("/admin/").content.decode()


def test_the_warning_goes_once_the_year_is_entered() -> None:
    client = Client()
    client.force_login(centre_staff("watcher", Role.OBJECTION_HANDLER))
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    assert WARNING not in _workspace(client, "2026-11-22 10:00 +0800")


def test_provider_staff_are_not_shown_the_calendar_warning(market_bureau: ProviderPersona) -> None:
    from xinyong.accounts.models import User

    clerk = User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    client = Client()
    client.force_login(clerk)
    assert Provider.objects.exists()
    assert WARNING not in _workspace(client, "2026-11-22 10:00 +0800")


# --- xinyong calendar check ---------------------------------------------------------------------------


def test_calendar_check_passes_in_september_and_fails_in_october_naming_the_year(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with travel_to("2026-09-30 12:00"):
        call_command("calendar", "check")
    assert "2024、2025、2026" in capsys.readouterr().out
    with travel_to("2026-10-01 12:00"), pytest.raises(CommandError) as failure:
        call_command("calendar", "check")
    assert failure.value.returncode == 1
    assert "2027" in str(failure.value)


def test_calendar_check_fails_for_a_missing_current_year() -> None:
    with travel_to("2027-01-04 12:00"), pytest.raises(CommandError, match="2027"):
        call_command("calendar", "check")


# --- A deadline that needs a missing year ---------------------------------------------------------------


def test_a_working_day_deadline_across_new_year_into_a_missing_year_fails_loudly() -> None:
    calendar = WorkingCalendar.load()
    # 2026-12-29 (Tue) + 2 working days stays in 2026: Wed 12-30, Thu 12-31.
    assert WorkingDays(2).due(dt.date(2026, 12, 29), calendar) == dt.date(2026, 12, 31)
    with pytest.raises(CalendarMissing) as missing:
        WorkingDays(3).due(dt.date(2026, 12, 29), calendar)
    assert missing.value.year == 2027
