"""信用监测: following subjects, in-app notices, the daily digest, and signed webhooks."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from xinyong.accounts.models import Notification, Unit, User
from xinyong.conftest import (
    COMPANY_USCC,
    OTHER_COMPANY_USCC,
    PERSON_ID,
    ProviderPersona,
    penalty,
    person_penalty,
)
from xinyong.core.clock import CHINA
from xinyong.exchange import watch
from xinyong.exchange.models import WebhookCall
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 7, 30, tzinfo=CHINA)


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """The recipe of docs/exchange.md, written again from the documentation, not the platform's code."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(
        secret.encode("utf-8"), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts["v1"])


class Hook:
    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []


@pytest.fixture
def hook() -> Iterator[tuple[Hook, str]]:
    received = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.calls.append((dict(self.headers), body))
            self.send_response(received.statuses.pop(0) if received.statuses else 204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def officer(db: None) -> User:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    return User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit, email="fgw@example.cn")


def send(persona: ProviderPersona, rows: list[dict[str, Any]], at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        assert persona.post(Client(), rows).status_code == 200


def test_it_follows_a_list_of_codes_or_refuses_it_whole(
    market_bureau: ProviderPersona, officer: User
) -> None:
    send(
        market_bureau, [penalty(), penalty(统一社会信用代码=OTHER_COMPANY_USCC, 行政处罚决定书文号="B")], NOW
    )
    client = Client()
    client.force_login(officer)
    refused = client.post(
        "/api/v1/watches", {"codes": [COMPANY_USCC, "91350200000000000X"]}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["row"]) == ("watch.unknown_subject", 2)
    assert client.get("/api/v1/watches").json()["following"] == []
    added = client.post(
        "/api/v1/watches",
        {"codes": [COMPANY_USCC, f" {OTHER_COMPANY_USCC}\n", ""]},
        content_type="application/json",
    ).json()
    assert added == {"added": 2, "following": sorted([COMPANY_USCC, OTHER_COMPANY_USCC])}
    assert client.delete(f"/api/v1/watches/{OTHER_COMPANY_USCC}").json()["following"] == [COMPANY_USCC]


def test_a_follower_hears_of_a_change_in_app_by_daily_email_and_by_signed_webhook(
    market_bureau: ProviderPersona, officer: User, hook: tuple[Hook, str]
) -> None:
    received, url = hook
    send(market_bureau, [penalty(), person_penalty()], NOW - dt.timedelta(days=2))
    watch.follow(officer, [COMPANY_USCC, PERSON_ID])
    client = Client()
    client.force_login(officer)
    secret = client.put("/api/v1/webhook", {"url": url}, content_type="application/json").json()["secret"]
    with time_machine.travel(NOW, tick=False):
        counts = watch.run()
    assert counts["notices"] == 1 and counts["webhook_calls"] == 2 and counts["delivered"] == 2
    note = Notification.objects.get(user=officer)
    assert "2 条新变更" in note.title and "厦门鹭江贸易有限公司" in note.body
    assert len(mail.outbox) == 1 and "信用监测日报" in mail.outbox[0].subject
    for headers, body in received.calls:
        assert verify(secret, headers["X-Xinyong-Signature"], body, int(NOW.timestamp()))
        assert not verify("whsec_wrong", headers["X-Xinyong-Signature"], body, int(NOW.timestamp()))
        assert PERSON_ID not in body.decode()  # a unit without a stated purpose sees what the public sees
    changes = [json.loads(body)["change"] for _, body in received.calls]
    assert {c["key"] for c in changes} == {"厦市监罚〔2026〕101号", "厦市监罚〔2026〕201号"}
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert watch.run()["changes"] == 0  # nothing new: nothing told twice


def test_a_failing_webhook_is_retried_with_back_off_and_logged(
    market_bureau: ProviderPersona, officer: User, hook: tuple[Hook, str]
) -> None:
    received, url = hook
    received.statuses = [500]
    send(market_bureau, [penalty()], NOW - dt.timedelta(days=1))
    watch.follow(officer, [COMPANY_USCC])
    watch.register_webhook(officer, url)
    with time_machine.travel(NOW, tick=False):
        assert watch.run()["retrying"] == 1
    call = WebhookCall.objects.get()
    assert (call.state, call.attempts, call.status_code) == ("pending", 1, 500)
    assert call.next_attempt_at == NOW + dt.timedelta(seconds=60)
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert watch.send_webhooks()["delivered"] == 1
    assert len(received.calls) == 2
    assert received.calls[0][0]["X-Xinyong-Delivery"].endswith(".1")
    assert received.calls[1][0]["X-Xinyong-Delivery"].endswith(".2")


def test_a_webhook_must_be_https(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    response = client.put(
        "/api/v1/webhook", {"url": "http://example.cn/hook"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "webhook.invalid_url"


def test_the_page_follows_typed_codes_and_a_file_and_shows_the_secret_once(
    market_bureau: ProviderPersona, officer: User
) -> None:
    send(
        market_bureau, [penalty(), penalty(统一社会信用代码=OTHER_COMPANY_USCC, 行政处罚决定书文号="B")], NOW
    )
    client = Client()
    client.force_login(officer)
    upload = SimpleUploadedFile("codes.csv", f"代码,名称\n{OTHER_COMPANY_USCC},某公司\n".encode())
    page = client.post(
        "/account/watches/", {"action": "follow", "codes": COMPANY_USCC, "file": upload}, follow=True
    ).content.decode()
    assert COMPANY_USCC in page and OTHER_COMPANY_USCC in page
    assert "新关注 2 个信用主体" in page  # the file's header line is not taken for a code
    issued = client.post("/account/watches/", {"action": "webhook", "url": "https://bank.example.cn/hook"})
    secret = issued.context["secret"]
    assert secret.startswith("whsec_") and secret in issued.content.decode()
    assert secret not in client.get("/account/watches/").content.decode()
    assert client.post("/account/watches/", {"action": "unfollow", "code": COMPANY_USCC}).status_code == 302
    assert list(watch.Watch.objects.filter(user=officer).values_list("subject_code", flat=True)) == [
        OTHER_COMPANY_USCC
    ]
