"""Anti-crawling: per-address limits on anonymous pages and API calls, and the robots policy."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve

from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.core import ratelimit
from xinyong.core.models import RateWindow
from xinyong.core.ratelimit import client_key
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

LIMIT, SEARCH_LIMIT = 4, 2


@pytest.fixture(autouse=True)
def small_limits() -> Iterator[None]:
    with override_settings(
        XINYONG_PUBLIC_REQUESTS_PER_MINUTE=LIMIT, XINYONG_SEARCH_REQUESTS_PER_MINUTE=SEARCH_LIMIT
    ):
        yield


@pytest.fixture
def traveller() -> Iterator[time_machine.Traveller]:
    with travel_to("2026-11-23 10:00:45") as travel:
        yield travel


def test_the_limit_th_page_view_passes_the_next_is_refused_until_the_next_minute(
    client: Client, traveller: time_machine.Traveller
) -> None:
    for _ in range(LIMIT):
        assert client.get("/").status_code == 200

    refused = client.get("/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "访问过于频繁" in page
    assert f"每个地址每分钟最多 {LIMIT} 次，请 15 秒后重试" in page

    traveller.shift(14)
    assert client.get("/")["Retry-After"] == "1"
    traveller.shift(1)
    assert client.get("/").status_code == 200


def test_the_api_answers_the_error_envelope(client: Client, traveller: time_machine.Traveller) -> None:
    for _ in range(LIMIT):
        assert client.get("/api/v1/code-conflicts").status_code == 401  # counted, though refused

    refused = client.get("/api/v1/code-conflicts")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"
    assert refused.json() == {
        "code": "request.rate_limited",
        "field": None,
        "row": None,
        "message": f"请求过于频繁：每个地址每分钟最多 {LIMIT} 次，请 15 秒后重试。",
    }


def test_search_has_its_own_stricter_count(client: Client, traveller: time_machine.Traveller) -> None:
    for _ in range(SEARCH_LIMIT):
        assert client.get("/search/", {"q": "厦门"}).status_code != 429
    assert client.get("/search/", {"q": "厦门"}).status_code == 429
    assert client.get("/api/v1/subjects", {"q": "厦门"}).status_code == 429
    assert client.get("/").status_code == 200, "pages have their own allowance"


def test_each_address_has_its_own_count(client: Client, traveller: time_machine.Traveller) -> None:
    for _ in range(LIMIT + 1):
        client.get("/", REMOTE_ADDR="203.0.113.7")
    assert client.get("/", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get("/", REMOTE_ADDR="203.0.113.8").status_code == 200


def test_signed_in_users_are_not_limited(client: Client, traveller: time_machine.Traveller) -> None:
    client.force_login(centre_staff("staff"))
    for _ in range(LIMIT + 2):
        assert client.get("/").status_code == 200
    assert not RateWindow.objects.exists()


def test_a_live_provider_key_is_not_limited_here_a_made_up_one_is(
    client: Client, market_bureau: ProviderPersona, traveller: time_machine.Traveller
) -> None:
    def call(key: str) -> int:
        return client.get("/api/v1/code-conflicts", headers={"Authorization": f"Bearer {key}"}).status_code

    assert [call(market_bureau.key) for _ in range(LIMIT + 2)] == [200] * (LIMIT + 2)
    assert [call("xy_made_up") for _ in range(LIMIT + 1)] == [401] * LIMIT + [429]


def test_static_files_and_robots_are_not_limited(client: Client, traveller: time_machine.Traveller) -> None:
    for _ in range(LIMIT + 2):
        assert client.get("/static/portal/site.css").status_code == 200
        assert client.get("/robots.txt").status_code == 200
    assert client.get("/").status_code == 200


@override_settings(XINYONG_PUBLIC_REQUESTS_PER_MINUTE=0)
def test_a_limit_of_zero_turns_it_off(client: Client) -> None:
    for _ in range(LIMIT + 2):
        assert client.get("/").status_code == 200
    assert not RateWindow.objects.exists()


def test_past_minutes_are_pruned_when_a_new_window_opens(
    client: Client, traveller: time_machine.Traveller
) -> None:
    client.get("/", REMOTE_ADDR="203.0.113.7")
    client.get("/", REMOTE_ADDR="203.0.113.8")
    traveller.shift(60)
    client.get("/", REMOTE_ADDR="203.0.113.7")
    assert list(RateWindow.objects.values_list("client", "count")) == [("203.0.113.7", 1)]


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),  # one subscriber's /64 is one client
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not an address", "unknown"),
    ],
)
def test_clients_are_counted_by_address_and_ipv6_by_network(address: str, key: str) -> None:
    assert client_key(RequestFactory().get("/", REMOTE_ADDR=address)) == key


@override_settings(XINYONG_CLIENT_IP_HEADER="X-Real-IP")
def test_behind_a_proxy_the_configured_header_names_the_client() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", headers={"X-Real-IP": "203.0.113.9"})
    assert client_key(request) == "203.0.113.9"


def test_robots_allow_the_home_page_and_lists_and_disallow_search_and_subject_pages(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    rules = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert rules[0] == ["User-agent", "*"]
    allowed = {path for rule, path in rules if rule == "Allow"}
    disallowed = {path for rule, path in rules if rule == "Disallow"}
    assert {"/$", "/publicity/"} <= allowed
    assert {"/search", "/s/", "/api/", "/account/", "/workspace/", "/admin/", "/centre/"} <= disallowed
    # The allowed lists are real pages, so the policy follows the site's URLs.
    assert resolve("/publicity/penalties/").url_name == "publicity"


def test_it_fails_open_and_logs_when_the_counter_cannot_be_written(
    client: Client,
    traveller: time_machine.Traveller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A locked or lost store serves the page uncounted (a locked SQLite file: test_serve_supervision)."""

    def locked(*args: object, **kwargs: object) -> int:
        raise OperationalError("database is locked")

    monkeypatch.setattr(ratelimit, "count_in_window", locked)

    with caplog.at_level(logging.WARNING, logger="xinyong.core.ratelimit"):
        answers = [client.get("/").status_code for _ in range(LIMIT + 2)]

    assert answers == [200] * (LIMIT + 2)
    assert sum("公共访问计数写入失败" in m for m in caplog.messages) == LIMIT + 2


# --- Counts in a SQLite file of their own (the default when the main database is SQLite) -------------


@pytest.fixture
def counter_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "counters" / "ratelimit.sqlite3"
    with override_settings(XINYONG_RATE_COUNTER_DB=str(path)):
        yield path


def test_it_counts_in_its_own_file_with_the_same_limit_and_retry_after(
    client: Client, traveller: time_machine.Traveller, counter_file: Path
) -> None:
    for _ in range(LIMIT):
        assert client.get("/").status_code == 200
    refused = client.get("/")
    assert (refused.status_code, refused["Retry-After"]) == (429, "15")
    assert client.get("/", REMOTE_ADDR="203.0.113.7").status_code == 200  # another address
    assert not RateWindow.objects.exists()  # nothing written to the main database

    traveller.shift(15)
    assert client.get("/").status_code == 200
    with sqlite3.connect(counter_file) as db:
        # The new minute's first count pruned the old minute, of every client.
        assert db.execute("SELECT client, scope, count FROM rate_window").fetchall() == [
            ("127.0.0.1", "public", 1)
        ]


def test_search_keeps_its_own_stricter_count_in_the_file(
    client: Client, traveller: time_machine.Traveller, counter_file: Path
) -> None:
    answers = [client.get("/api/v1/subjects", {"q": "厦门"}).status_code for _ in range(SEARCH_LIMIT + 1)]
    assert answers == [200] * SEARCH_LIMIT + [429]
    assert client.get("/").status_code == 200


def test_it_fails_open_and_logs_when_the_counter_file_is_locked(
    client: Client,
    traveller: time_machine.Traveller,
    counter_file: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.get("/")  # makes the file
    holder = sqlite3.connect(counter_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the counters' write lock
    try:
        with caplog.at_level(logging.WARNING, logger="xinyong.core.ratelimit"):
            answers = [client.get("/").status_code for _ in range(LIMIT + 1)]
    finally:
        holder.rollback()
        holder.close()
    assert answers == [200] * (LIMIT + 1)
    assert sum("公共访问计数写入失败" in m for m in caplog.messages) == LIMIT + 1
