"""Sending to the provincial platform against a receiver on loopback that fails, times out and answers
duplicates on purpose: nothing lost, nothing sent twice as new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.conftest import ProviderPersona, centre_staff, penalty
from xinyong.core.clock import CHINA
from xinyong.exchange import upstream
from xinyong.exchange.models import Delivery
from xinyong.exchange.tests.receiver import Receiver, running
from xinyong.records.models import CreditRecord, Overlay, UpstreamNotice
from xinyong.records.services import add_overlay, queue_upstream

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    with running(Receiver()) as province:
        settings.XINYONG_UPSTREAM_URL = province.url
        settings.XINYONG_UPSTREAM_KEY = "test-key"
        settings.XINYONG_UPSTREAM_SENDER = "12350200MB0000000X"
        settings.XINYONG_UPSTREAM_TIMEOUT_SECONDS = 5  # generous: the machine may be busy
        settings.XINYONG_UPSTREAM_BATCH = 3
        settings.XINYONG_UPSTREAM_BACKOFF_SECONDS = 60
        settings.XINYONG_UPSTREAM_MAX_ATTEMPTS = 3
        yield province


@pytest.fixture
def changes(market_bureau: ProviderPersona) -> list[str]:
    """Five penalties, one corrected by an objection (an overlay and an upstream notice)."""
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        response = market_bureau.post(
            Client(), [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{n}号") for n in range(5)]
        )
        assert response.status_code == 200
        record = CreditRecord.objects.order_by("pk").first()
        assert record is not None
        add_overlay(
            record, Overlay.Kind.CORRECTED, actor=Actor.system("test"), reason="更正", source="异议 Y-1"
        )
        notice = queue_upstream(record, UpstreamNotice.Change.CORRECTED, source="异议 Y-1")
    return [f"v{r}.1" for r in CreditRecord.objects.order_by("pk").values_list("pk", flat=True)] + [
        f"o{Overlay.objects.get().pk}",
        f"n{notice.pk}",
    ]


def run_at(moment: dt.datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return upstream.run()


def test_every_change_reaches_the_province_once_with_its_stable_id(
    receiver: Receiver, changes: list[str]
) -> None:
    counts = run_at(NOW)
    assert counts["queued"] == 7 and counts["acknowledged"] == 7 and counts["failed"] == 0
    assert sorted(receiver.accepted) == sorted(changes)
    assert receiver.deliveries == changes  # in feed order, the notice after the feed's changes
    first = receiver.requests[0]
    assert first["headers"]["Authorization"] == "Bearer test-key"
    assert first["body"]["sender"] == "12350200MB0000000X"
    version = receiver.accepted[changes[0]]
    assert version["type"] == "version" and version["fields"]["cf_wsh"] == "厦市监罚〔2026〕0号"
    assert receiver.accepted[changes[-1]]["change"] == "corrected"
    assert UpstreamNotice.objects.get().sent_at is not None
    assert run_at(NOW + dt.timedelta(hours=1)) == {
        "queued": 0, "sent": 0, "acknowledged": 0, "duplicates": 0, "retrying": 0, "failed": 0,
    }  # fmt: skip
    assert AuditEntry.objects.filter(action="exchange.upstream.send").count() == 1


def test_failures_and_timeouts_are_retried_with_growing_waits(receiver: Receiver, changes: list[str]) -> None:
    receiver.script = ["fail", "slow", "ok"]
    counts = run_at(NOW)
    # Batches of 3: the first gets a 503, the second a timeout, the third (one change) goes through.
    assert (counts["retrying"], counts["acknowledged"]) == (6, 1)
    waiting = Delivery.objects.filter(state=Delivery.State.PENDING)
    assert {d.next_attempt_at for d in waiting} == {NOW + dt.timedelta(seconds=60)}
    assert {d.last_error.split(":")[0] for d in waiting} >= {"HTTP 503"}
    assert run_at(NOW + dt.timedelta(seconds=59))["sent"] == 0  # not before its time
    receiver.script = ["fail", "fail"]
    again = run_at(NOW + dt.timedelta(seconds=60))
    assert again["retrying"] == 6
    assert {d.next_attempt_at for d in Delivery.objects.filter(state="pending")} == {
        NOW + dt.timedelta(seconds=60 + 120)
    }
    final = run_at(NOW + dt.timedelta(seconds=180))
    assert final["acknowledged"] == 6
    assert sorted(receiver.accepted) == sorted(changes)
    # The change in the batch that timed out was received by the province, so the retry was a duplicate.
    assert final["duplicates"] == 3


def test_a_change_still_failing_after_the_last_attempt_becomes_a_dead_letter_staff_can_retry(
    receiver: Receiver, changes: list[str]
) -> None:
    receiver.script = ["fail"] * 9
    run_at(NOW)
    run_at(NOW + dt.timedelta(seconds=60))
    last = run_at(NOW + dt.timedelta(seconds=180))
    assert last["failed"] == 7
    dead = Delivery.objects.filter(state=Delivery.State.FAILED).order_by("pk")
    assert dead.count() == 7 and all(d.attempts == 3 for d in dead)
    staff = Client()
    staff.force_login(centre_staff("centre", "objection_handler"))
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        page = staff.get("/centre/exchange/failed/").content.decode()
        assert dead[0].change_id in page and "HTTP 503" in page
        response = staff.post(f"/centre/exchange/failed/{dead[0].pk}/retry/")
        assert response.status_code == 302
        again = staff.post(f"/centre/exchange/failed/{dead[0].pk}/retry/", follow=True)
        assert "未处于失败状态" in again.content.decode()
    assert Delivery.objects.get(pk=dead[0].pk).state == Delivery.State.PENDING
    assert (
        AuditEntry.objects.filter(action="exchange.upstream.retry", object_id=dead[0].change_id).count() == 1
    )
    assert run_at(NOW + dt.timedelta(hours=1))["acknowledged"] == 1


def test_a_rejected_change_fails_at_once_and_its_batch_goes_on(
    receiver: Receiver, changes: list[str]
) -> None:
    receiver.script = [f"reject:{changes[1]}"]
    counts = run_at(NOW)
    assert (counts["acknowledged"], counts["failed"]) == (6, 1)
    failed = Delivery.objects.get(state=Delivery.State.FAILED)
    assert failed.change_id == changes[1] and "字段不符合省平台标准" in failed.last_error


def test_a_refused_key_fails_the_batch_and_an_unanswered_change_is_retried(
    receiver: Receiver, changes: list[str]
) -> None:
    receiver.script = ["unauthorised", "forget"]
    counts = run_at(NOW)
    assert counts["failed"] == 3  # 401: the whole batch, until staff fix the key and retry
    assert counts["acknowledged"] == 1 + 1 and counts["retrying"] == 2  # "forget" answered one of three


def test_a_sender_killed_after_posting_loses_nothing_and_sends_nothing_twice_as_new(
    receiver: Receiver, changes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a sender that dies after the province received a batch but before it recorded the answer
    WHEN another sender runs once the first one's claim has lapsed
    THEN it posts the same ids, the province answers "duplicate", and every change is acknowledged once."""

    def die(*args: Any, **kwargs: Any) -> None:
        raise SystemExit("killed mid-batch")

    monkeypatch.setattr(upstream, "_settle", die)
    with pytest.raises(SystemExit):
        run_at(NOW)
    monkeypatch.undo()
    assert len(receiver.accepted) == 3  # the first batch arrived
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 7
    assert run_at(NOW + dt.timedelta(minutes=1))["sent"] == 4  # the dead sender's claim still holds its 3
    resumed = run_at(NOW + dt.timedelta(minutes=6))
    assert resumed["acknowledged"] == 3 and resumed["duplicates"] == 3
    assert sorted(receiver.accepted) == sorted(changes)
    assert len(receiver.deliveries) == len(changes) + 3  # the 3 repeats, each answered as a duplicate
    assert not Delivery.objects.exclude(state=Delivery.State.ACKNOWLEDGED).exists()


def test_without_an_address_changes_are_queued_not_sent(settings: Any, changes: list[str]) -> None:
    settings.XINYONG_UPSTREAM_URL = ""
    assert run_at(NOW)["queued"] == 7
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 7


def test_it_refuses_plain_http_to_another_host(settings: Any, changes: list[str]) -> None:
    settings.XINYONG_UPSTREAM_URL = "http://province.example.cn/changes"
    with pytest.raises(Exception, match="https"):
        run_at(NOW)


def test_the_reconciliation_page_counts_by_domain_and_day(receiver: Receiver, changes: list[str]) -> None:
    receiver.script = [f"reject:{changes[0]}"]
    run_at(NOW)
    staff = Client()
    staff.force_login(centre_staff("centre", "auditor"))
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        page = staff.get("/centre/exchange/").content.decode()
    assert "<svg" in page and "2026-11-23" in page
    assert "<td>2026-11-23</td><td>25 市场监督管理领域</td><td>7</td><td>6</td><td>1</td>" in page.replace(
        "\n", ""
    )
