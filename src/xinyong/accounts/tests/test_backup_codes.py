"""Staff enrolment with a QR code, and single-use backup codes (备用码): shown once, kept hashed, audited
when used, regenerated with the password."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from xinyong.accounts import backup_codes, totp
from xinyong.accounts.models import BackupCode, TotpDevice, User
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
CODE = re.compile(r"<code>([2-9a-z]{5}-[2-9a-z]{5})</code>")


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> None:
    settings.XINYONG_LOGIN_MAX_FAILURES_PER_USER = 5
    settings.XINYONG_LOGIN_WINDOW_MINUTES = 15
    settings.XINYONG_CLIENT_IP_HEADER = ""


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with travel_to("2026-11-23 09:00:10") as travel:
        yield travel


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("chen.centre", password=PASSWORD, kind=User.Kind.CENTRE)


@pytest.fixture
def enrolled(staff: User, traveller: time_machine.Traveller) -> list[str]:
    """The staff member's authenticator and the codes shown at enrolment."""
    TotpDevice.objects.create(user=staff, secret=totp.new_secret(), confirmed_at=clock.now())
    return backup_codes.issue(staff, reason="enrolment")


def password_step(client: Client) -> Any:
    return client.post(reverse("accounts:login"), {"username": "chen.centre", "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_enrolment_shows_a_qr_code_the_secret_in_text_and_then_the_backup_codes_once(
    client: Client, staff: User, traveller: time_machine.Traveller
) -> None:
    assert password_step(client)["Location"] == reverse("accounts:totp-setup")
    page = client.get(reverse("accounts:totp-setup")).content.decode()
    device = TotpDevice.objects.get(user=staff)
    assert re.search(r"<svg[^>]*>.*<path[^>]*d=\"M", page, re.S)  # the QR code, inline, no image file
    assert "<script" not in page.split("<main>", 1)[1]  # no script needed to show or scan it
    assert " ".join(device.secret[i : i + 4] for i in range(0, 32, 4)) in page  # for manual entry

    traveller.shift(30)
    response = client.post(
        reverse("accounts:totp-setup"), {"code": totp.code_at(device.secret, totp.current_step())}
    )

    assert response.status_code == 200 and signed_in(client)
    codes = CODE.findall(response.content.decode())
    assert len(codes) == backup_codes.COUNT == len(set(codes))
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache: not kept by the browser
    stored = set(BackupCode.objects.filter(user=staff).values_list("code_hash", flat=True))
    assert len(stored) == backup_codes.COUNT
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)
    entry = AuditEntry.objects.get(action="accounts.backup_codes.issue")
    assert json.loads(entry.detail) == {"count": 10, "reason": "enrolment"}


def test_a_backup_code_signs_in_once_and_is_audited(client: Client, staff: User, enrolled: list[str]) -> None:
    password_step(client)
    assert 'href="/accounts/login/backup/"' in client.get(reverse("accounts:totp")).content.decode()

    response = client.post(reverse("accounts:backup"), {"code": enrolled[3].upper().replace("-", " ")})

    assert response.status_code == 302 and signed_in(client)
    entry = AuditEntry.objects.get(action="accounts.backup_code.use")
    assert (entry.actor_name, json.loads(entry.detail)) == ("chen.centre", {"remaining": 9})
    assert (
        "还剩 9 个" in client.get(reverse("portal:notifications")).content.decode()
    )  # the next page says so

    again = Client()
    password_step(again)
    refused = again.post(reverse("accounts:backup"), {"code": enrolled[3]})
    assert refused.status_code == 200 and not signed_in(again)
    assert "备用码不正确或已使用过" in refused.content.decode()
    assert AuditEntry.objects.filter(action="accounts.backup_code.use").count() == 1


def test_a_backup_code_needs_the_password_first_and_is_throttled(
    client: Client, staff: User, enrolled: list[str]
) -> None:
    # Without the password step there is nothing to complete.
    assert client.post(reverse("accounts:backup"), {"code": enrolled[0]})["Location"] == reverse(
        "accounts:login"
    )
    password_step(client)
    for _ in range(4):
        assert client.post(reverse("accounts:backup"), {"code": "22222-22222"}).status_code == 200
    assert client.post(reverse("accounts:backup"), {"code": "22222-22222"}).status_code == 200
    throttled = client.post(reverse("accounts:backup"), {"code": enrolled[0]})
    assert throttled.status_code == 429 and not signed_in(client)
    assert BackupCode.objects.filter(used_at__isnull=False).count() == 0  # the right code was not even tried


def test_codes_are_the_users_own(client: Client, staff: User, enrolled: list[str]) -> None:
    other = User.objects.create_user("li.centre", password=PASSWORD, kind=User.Kind.CENTRE)
    TotpDevice.objects.create(user=other, secret=totp.new_secret(), confirmed_at=clock.now())
    assert backup_codes.use(other, enrolled[0]) is False
    assert backup_codes.use(staff, enrolled[0]) is True


def test_regenerating_needs_the_password_and_voids_the_old_codes(
    client: Client, staff: User, enrolled: list[str]
) -> None:
    client.force_login(staff)
    page = client.get(reverse("accounts:backup-codes"))
    assert "您还有 10 个未使用的备用码" in page.content.decode()

    wrong = client.post(reverse("accounts:backup-codes"), {"password": "wrong"})
    assert wrong.status_code == 200 and "密码不正确" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="accounts.backup_codes.issue").count() == 1

    response = client.post(reverse("accounts:backup-codes"), {"password": PASSWORD})

    fresh = CODE.findall(response.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(enrolled)
    assert backup_codes.use(staff, enrolled[0]) is False
    assert backup_codes.use(staff, fresh[0]) is True
    assert AuditEntry.objects.filter(action="accounts.backup_codes.issue").count() == 2


def test_only_centre_staff_have_backup_codes(client: Client, db: None) -> None:
    citizen = User.objects.create_user("linxiaohua", password=PASSWORD, kind=User.Kind.SUBJECT)
    client.force_login(citizen)
    assert client.get(reverse("accounts:backup-codes")).status_code == 404
    assert Client().get(reverse("accounts:backup-codes")).status_code == 302  # to sign in
