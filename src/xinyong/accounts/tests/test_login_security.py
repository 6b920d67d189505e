"""Sign-in security: throttling, a second factor for centre staff, one-time codes, password hashing."""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.fixtures import Settings

from xinyong.accounts import totp
from xinyong.accounts.models import LoginAttempt, TotpDevice, User
from xinyong.conftest import ProviderPersona
from xinyong.core import clock
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
RFC_SECRET = b"12345678901234567890"


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> None:
    settings.XINYONG_LOGIN_MAX_FAILURES_PER_USER = 5
    settings.XINYONG_LOGIN_MAX_FAILURES_PER_IP = 20
    settings.XINYONG_LOGIN_WINDOW_MINUTES = 15
    settings.XINYONG_LOGIN_BACKOFF_CAP_MINUTES = 24 * 60
    settings.XINYONG_CLIENT_IP_HEADER = ""


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with travel_to("2026-11-23 09:00:10") as travel:
        yield travel


@pytest.fixture
def clerk(market_bureau: ProviderPersona) -> User:
    return User.objects.create_user(
        "scjg", password=PASSWORD, kind=User.Kind.PROVIDER, provider=market_bureau.provider
    )


@pytest.fixture
def citizen(db: None) -> User:
    return User.objects.create_user("linxiaohua", password=PASSWORD, kind=User.Kind.SUBJECT)


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("chen.centre", password=PASSWORD, kind=User.Kind.CENTRE)


@pytest.fixture
def staff_device(staff: User) -> TotpDevice:
    return TotpDevice.objects.create(user=staff, secret=totp.new_secret(), confirmed_at=clock.now())


def sign_in(
    client: Client, username: str, password: str = PASSWORD, headers: dict[str, str] | None = None
) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, headers=headers
    )


def code_now(device: TotpDevice, offset_steps: int = 0) -> str:
    return totp.code_at(device.secret, totp.current_step() + offset_steps)


def wrong_code(device: TotpDevice) -> str:
    valid = {code_now(device, offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# --- throttling -----------------------------------------------------------------------------------


def test_the_fifth_failure_is_still_checked_and_the_sixth_attempt_is_refused(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for _ in range(4):
        assert sign_in(client, "scjg", "wrong").status_code == 200
    fifth = sign_in(client, "scjg", "wrong")
    assert fifth.status_code == 200
    assert "用户名或密码不正确" in fifth.content.decode()

    # Even the right password is not checked once the limit is reached.
    sixth = sign_in(client, "scjg")
    assert sixth.status_code == 429
    assert sixth["Retry-After"] == str(15 * 60)
    assert "登录失败次数过多，请 15 分钟后（09:15 之后）再试" in sixth.content.decode()
    assert not signed_in(client)


def test_sign_in_works_again_once_the_failures_leave_the_window(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for _ in range(5):
        sign_in(client, "scjg", "wrong")

    traveller.shift(15 * 60 - 1)
    assert sign_in(client, "scjg").status_code == 429

    traveller.shift(1)
    response = sign_in(client, "scjg")
    assert response.status_code == 302
    assert signed_in(client)


def test_wrong_passwords_from_another_address_do_not_lock_the_owner_out_at_theirs(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        sign_in(attacker, "scjg", "wrong")
    assert sign_in(attacker, "scjg").status_code == 429

    assert sign_in(client, "scjg").status_code == 302  # the owner, at 127.0.0.1
    assert sign_in(attacker, "scjg").status_code == 429  # their success does not free the attacker


def test_each_failure_after_a_lock_doubles_the_wait(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    """GIVEN five failures WHEN the wait is over and the next try fails too THEN the wait doubles."""
    for _ in range(5):
        sign_in(client, "scjg", "wrong")
        traveller.shift(150)
    # The wait runs from the last failure, not the first.
    assert sign_in(client, "scjg")["Retry-After"] == str(15 * 60 - 150)
    traveller.shift(15 * 60 - 150)

    assert sign_in(client, "scjg", "wrong").status_code == 200  # the sixth is checked, and fails
    assert sign_in(client, "scjg")["Retry-After"] == str(30 * 60)
    traveller.shift(30 * 60)
    assert sign_in(client, "scjg", "wrong").status_code == 200
    assert sign_in(client, "scjg")["Retry-After"] == str(60 * 60)


def test_the_wait_stops_growing_at_the_cap(
    settings: Settings, client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    settings.XINYONG_LOGIN_BACKOFF_CAP_MINUTES = 20
    for _ in range(5):
        sign_in(client, "scjg", "wrong")
    traveller.shift(15 * 60)
    sign_in(client, "scjg", "wrong")

    assert sign_in(client, "scjg")["Retry-After"] == str(20 * 60)  # not 30


def test_a_successful_sign_in_forgets_the_failures_before_it(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for _ in range(4):
        sign_in(client, "scjg", "wrong")
    assert sign_in(Client(), "scjg").status_code == 302

    for _ in range(4):
        assert sign_in(client, "scjg", "wrong").status_code == 200
    assert sign_in(client, "scjg").status_code == 302


def test_user_names_are_counted_without_regard_to_case(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for name in ["SCJG", "Scjg", "scjg ", "sCjg", "scjG"]:
        sign_in(client, name, "wrong")
    assert sign_in(client, "scjg").status_code == 429


def test_refused_attempts_do_not_prolong_the_lock(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for _ in range(5):
        sign_in(client, "scjg", "wrong")
    traveller.shift(14 * 60)
    assert sign_in(client, "scjg", "wrong").status_code == 429
    traveller.shift(60)
    assert sign_in(client, "scjg").status_code == 302


def test_one_address_may_fail_twenty_times_across_user_names(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    for number in range(20):
        assert sign_in(client, f"guess{number}", "wrong").status_code == 200
    assert sign_in(client, "scjg").status_code == 429

    # Another address is not affected.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "scjg").status_code == 302


def test_the_address_comes_from_the_configured_proxy_header(
    settings: Settings, client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    settings.XINYONG_CLIENT_IP_HEADER = "X-Real-IP"
    for number in range(20):
        sign_in(client, f"guess{number}", "wrong", headers={"X-Real-IP": "203.0.113.7"})
    assert sign_in(client, "scjg", headers={"X-Real-IP": "203.0.113.7"}).status_code == 429
    assert sign_in(client, "scjg", headers={"X-Real-IP": "203.0.113.8"}).status_code == 302
    assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {"203.0.113.7", "203.0.113.8"}


def test_successful_sign_ins_are_recorded_and_old_attempts_pruned(
    client: Client, clerk: User, traveller: time_machine.Traveller
) -> None:
    sign_in(Client(REMOTE_ADDR="10.0.0.9"), "scjg", "wrong")
    sign_in(Client(), "scjg")
    assert list(LoginAttempt.objects.order_by("at", "pk").values_list("ip", "succeeded")) == [
        ("10.0.0.9", False),
        ("127.0.0.1", True),
    ]

    # Successes decide nothing after the window; failures feed the back-off for a day.
    traveller.shift(15 * 60)
    sign_in(Client(), "scjg")
    assert list(LoginAttempt.objects.order_by("at", "pk").values_list("ip", "succeeded")) == [
        ("10.0.0.9", False),
        ("127.0.0.1", True),
    ]
    traveller.shift(24 * 60 * 60)
    sign_in(Client(), "scjg")
    assert LoginAttempt.objects.count() == 1


# --- who needs a second factor ----------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "home"), [("clerk", "portal:workspace"), ("citizen", "portal:account")])
def test_provider_and_subject_accounts_sign_in_with_a_password_alone(
    request: pytest.FixtureRequest, client: Client, persona: str, home: str
) -> None:
    user: User = request.getfixturevalue(persona)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse(home)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_safe_next_page_is_followed_and_a_foreign_one_ignored(client: Client, clerk: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "scjg", "password": PASSWORD, "next": "/workspace/batches/1/"}
    )
    assert response["Location"] == "/workspace/batches/1/"
    response = Client().post(
        reverse("accounts:login"), {"username": "scjg", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("portal:workspace")


def test_centre_staff_with_the_right_password_are_not_yet_signed_in(
    client: Client, staff_device: TotpDevice
) -> None:
    response = sign_in(client, "chen.centre")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:totp")
    assert not signed_in(client)
    assert client.get("/workspace/").status_code == 302


def test_a_right_password_and_a_wrong_code_do_not_sign_in(
    client: Client, staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    sign_in(client, "chen.centre")
    response = client.post(reverse("accounts:totp"), {"code": wrong_code(staff_device)})
    assert response.status_code == 200
    assert "动态口令不正确或已使用过" in response.content.decode()
    assert not signed_in(client)


def test_the_right_code_signs_centre_staff_in(
    client: Client, staff: User, staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    sign_in(client, "chen.centre")
    page = client.get(reverse("accounts:totp"))
    assert "chen.centre" in page.content.decode()
    response = client.post(reverse("accounts:totp"), {"code": code_now(staff_device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_a_code_that_signed_in_once_is_refused_the_second_time(
    client: Client, staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    code = code_now(staff_device)
    sign_in(client, "chen.centre")
    assert client.post(reverse("accounts:totp"), {"code": code}).status_code == 302

    other = Client()
    sign_in(other, "chen.centre")
    response = other.post(reverse("accounts:totp"), {"code": code})
    assert response.status_code == 200
    assert not signed_in(other)


def test_wrong_codes_count_towards_the_throttle(
    client: Client, staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    sign_in(client, "chen.centre")
    for _ in range(5):
        assert client.post(reverse("accounts:totp"), {"code": wrong_code(staff_device)}).status_code == 200
    response = client.post(reverse("accounts:totp"), {"code": code_now(staff_device)})
    assert response.status_code == 429
    assert "分钟后" in response.content.decode()
    assert not signed_in(client)


def test_the_code_step_expires_with_the_pending_sign_in(
    client: Client, staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    sign_in(client, "chen.centre")
    traveller.shift(5 * 60 + 1)
    response = client.post(reverse("accounts:totp"), {"code": code_now(staff_device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not signed_in(client)


def test_the_code_pages_need_a_password_first(client: Client, staff_device: TotpDevice) -> None:
    assert client.get(reverse("accounts:totp"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:totp-setup"))["Location"] == reverse("accounts:login")


def test_staff_without_an_authenticator_set_one_up_with_a_first_code(
    client: Client, staff: User, traveller: time_machine.Traveller
) -> None:
    response = sign_in(client, "chen.centre")
    assert response["Location"] == reverse("accounts:totp-setup")
    assert client.get(reverse("accounts:totp"))["Location"] == reverse("accounts:totp-setup")

    page = client.get(reverse("accounts:totp-setup")).content.decode()
    device = TotpDevice.objects.get(user=staff)
    assert device.confirmed_at is None
    assert "otpauth://totp/xinyong:chen.centre?secret=" + device.secret in page
    assert " ".join(device.secret[i : i + 4] for i in range(0, 32, 4)) in page
    # Reloading the page keeps the secret the app has already scanned.
    client.get(reverse("accounts:totp-setup"))
    assert TotpDevice.objects.get(user=staff).secret == device.secret

    assert client.post(reverse("accounts:totp-setup"), {"code": "123"}).status_code == 200
    assert not signed_in(client)

    response = client.post(reverse("accounts:totp-setup"), {"code": code_now(device)})
    assert response.status_code == 200  # signed in, on the page that shows the backup codes once
    assert "备用码只显示这一次" in response.content.decode()
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed_at == clock.now()


def test_a_confirmed_authenticator_cannot_be_replaced_from_the_set_up_page(
    client: Client, staff_device: TotpDevice
) -> None:
    sign_in(client, "chen.centre")
    assert client.get(reverse("accounts:totp-setup"))["Location"] == reverse("accounts:totp")
    assert client.post(reverse("accounts:totp-setup"), {"code": wrong_code(staff_device)})[
        "Location"
    ] == reverse("accounts:totp")


def test_sign_out_is_post_only(client: Client, clerk: User) -> None:
    sign_in(client, "scjg")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in(client)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not signed_in(client)


# --- TOTP itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_the_rfc_6238_sha1_test_vectors(unix_time: int, expected: str) -> None:
    # The RFC's vectors have 8 digits; the last 6 are the 6-digit code of the same step.
    secret = base64.b32encode(RFC_SECRET).decode()
    assert totp.code_at(secret, totp.step_at(unix_time)) == expected[-6:]


def test_secrets_enrolled_before_the_library_still_give_the_same_codes() -> None:
    """A secret from the hand-written version (unpadded base32, as stored), in lower case and with
    the spaces some apps show, gives the RFC 4226 appendix D codes for counters 0 and 1."""
    stored = base64.b32encode(RFC_SECRET).decode().rstrip("=")
    assert [totp.code_at(stored, step) for step in (0, 1)] == ["755224", "287082"]
    spaced = " ".join(stored[i : i + 4] for i in range(0, len(stored), 4)).lower()
    assert totp.code_at(spaced, 1) == "287082"


def test_a_code_is_accepted_one_step_either_side_and_no_further(staff_device: TotpDevice) -> None:
    step = 1000
    for offset in (-1, 0, 1):
        code = totp.code_at(staff_device.secret, step + offset)
        assert totp.matching_step(staff_device.secret, code, step=step) == step + offset
    for offset in (-2, 2):
        code = totp.code_at(staff_device.secret, step + offset)
        assert totp.matching_step(staff_device.secret, code, step=step) is None
    assert totp.matching_step(staff_device.secret, "12345", step=step) is None
    assert totp.matching_step(staff_device.secret, "abcdef", step=step) is None


def test_a_code_older_than_one_already_used_is_refused(
    staff_device: TotpDevice, traveller: time_machine.Traveller
) -> None:
    previous, current = code_now(staff_device, -1), code_now(staff_device)
    assert totp.verify(staff_device, current)
    assert not totp.verify(TotpDevice.objects.get(pk=staff_device.pk), previous)
    assert not totp.verify(TotpDevice.objects.get(pk=staff_device.pk), current)


def test_new_secrets_are_random_160_bit_base32() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second
    assert len(base64.b32decode(first)) == 20


def test_the_provisioning_uri_names_the_issuer_and_the_parameters(staff_device: TotpDevice) -> None:
    uri = urlparse(totp.provisioning_uri(staff_device))
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/xinyong:chen.centre")
    # SHA1, 6 digits and 30 s are the format's defaults, which every authenticator app assumes.
    assert parse_qs(uri.query) == {"secret": [staff_device.secret], "issuer": ["xinyong"]}


# --- password hashing -----------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    production = importlib.import_module("xinyong.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password(PASSWORD).startswith("argon2")
