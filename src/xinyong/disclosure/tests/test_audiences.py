"""Each audience at each overlay and at the edges of the publication window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.core.testing import travel_to
from xinyong.disclosure.audience import Audience, publicly_visible, state_of
from xinyong.records.models import CreditRecord, Overlay

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)
OUTSIDERS = (Audience.AUTHORISED, Audience.GOVERNMENT)


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=CHINA)


@pytest.fixture
def notice(client: Client, market_bureau: ProviderPersona) -> CreditRecord:
    """通报批评 decided 2026-11-02 in market supervision: published until 2027-02-01 (总局令第45号, 3 months)."""
    with travel_to(RECEIVED):
        market_bureau.post(client, [penalty(处罚类别="通报批评", 处罚决定日期="2026-11-02")])
    return CreditRecord.objects.get()


def overlay(record: CreditRecord, kind: str, **extra: Any) -> Overlay:
    return Overlay.objects.create(
        record=record, subject_code=record.subject_code, kind=kind, starts_at=RECEIVED, reason="测试",
        source="test", created_at=RECEIVED, **extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "public"), [("2027-01-31", True), ("2027-02-01", True), ("2027-02-02", False)]
)
def test_the_public_sees_it_through_the_last_day_of_its_window(
    notice: CreditRecord, day: str, public: bool
) -> None:
    state = state_of(notice, [], Audience.PUBLIC, at(day))

    assert state.visible is public
    assert state.label == ("公示中" if public else "公示期满")
    assert publicly_visible(CreditRecord.objects.all(), at(day)).exists() is public


@pytest.mark.parametrize("audience", [*OUTSIDERS, Audience.SELF, Audience.STAFF])
def test_after_expiry_everyone_but_the_public_still_sees_it(notice: CreditRecord, audience: Audience) -> None:
    assert state_of(notice, [], audience, at("2027-06-01")).visible


def test_a_revoked_record_is_seen_by_staff_only(notice: CreditRecord) -> None:
    revoked = [overlay(notice, Overlay.Kind.REVOKED)]

    seen = {a: state_of(notice, revoked, a, at("2026-12-01")).visible for a in Audience}

    assert seen == {a: a is Audience.STAFF for a in Audience}
    assert not publicly_visible(CreditRecord.objects.all(), at("2026-12-01")).exists()


@pytest.mark.parametrize(("stops_sharing", "outsiders_see"), [(False, True), (True, False)])
def test_repair_stops_publication_and_sharing_only_where_the_rule_says(
    notice: CreditRecord, stops_sharing: bool, outsiders_see: bool
) -> None:
    repaired = [overlay(notice, Overlay.Kind.REPAIRED, stops_sharing=stops_sharing)]

    assert not state_of(notice, repaired, Audience.PUBLIC, at("2026-12-01")).visible
    assert all(state_of(notice, repaired, a, at("2026-12-01")).visible is outsiders_see for a in OUTSIDERS)
    assert state_of(notice, repaired, Audience.SELF, at("2026-12-01")).label == "已修复"


def test_a_pending_objection_is_marked_for_the_public(notice: CreditRecord) -> None:
    pending = [overlay(notice, Overlay.Kind.OBJECTION_PENDING)]

    state = state_of(notice, pending, Audience.PUBLIC, at("2026-12-01"))

    assert (state.visible, state.label) == (True, "异议处理中")


def test_an_ended_overlay_no_longer_applies(notice: CreditRecord) -> None:
    ended = [overlay(notice, Overlay.Kind.OBJECTION_PENDING, ends_at=RECEIVED + dt.timedelta(days=2))]

    assert state_of(notice, ended, Audience.PUBLIC, at("2026-11-23")).label == "异议处理中"
    assert state_of(notice, ended, Audience.PUBLIC, at("2026-11-25")).label == "公示中"


def test_the_public_subject_page_shows_the_window_and_its_reason(
    client: Client, notice: CreditRecord
) -> None:
    with travel_to("2026-12-01"):
        page = client.get(f"/s/{COMPANY_USCC}/").content.decode()

    assert "公示至 2027-02-01，依据市场监管总局令第45号：仅受到通报批评或者较低数额罚款的公示期3个月" in page
    assert "失信信息" in page and "公示中" in page


def test_after_expiry_the_public_page_no_longer_lists_it(client: Client, notice: CreditRecord) -> None:
    with travel_to("2027-02-02"):
        page = client.get(f"/s/{COMPANY_USCC}/").content.decode()

    assert notice.key not in page


def test_the_penalty_list_pages_and_filters(client: Client, notice: CreditRecord) -> None:
    with travel_to("2026-12-01"):
        listed = client.get("/publicity/penalties/?domain=25").content.decode()
        other_domain = client.get("/publicity/penalties/?domain=13").content.decode()
        too_late = client.get("/publicity/penalties/?since=2026-11-03").content.decode()

    assert notice.key in listed
    assert notice.key not in other_domain and notice.key not in too_late
