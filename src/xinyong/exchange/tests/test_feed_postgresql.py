"""The feed under concurrent writers on PostgreSQL: real threads, real connections, real commits.

GIVEN transactions that draw their change numbers in one order and commit in another
WHEN a reader follows the feed while they run
THEN it gets every change exactly once, and never one behind a cursor it has already handed out.
"""

from __future__ import annotations

import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import Client

from xinyong.catalog.models import Domain, RecordKind
from xinyong.catalog.services import create_provider
from xinyong.conftest import MARKET_BUREAU_USCC, ProviderPersona, penalty
from xinyong.core import clock
from xinyong.disclosure.audience import Audience
from xinyong.exchange import feed
from xinyong.exchange.models import Change
from xinyong.records.models import CreditRecord, Overlay, RecordVersion

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL"
    ),
]
STAFF = feed.Scope(Audience.STAFF)


def _admin(statement: str) -> None:
    import psycopg

    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=url["HOST"], port=url["PORT"] or 5432, user=url["USER"], password=url["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(statement)


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[ProviderPersona]:
    """A copy of the test database where every transaction really commits (the suite's own database
    is wrapped in one transaction per test, and its append-only tables refuse the flush that would
    undo committed writes), dropped afterwards; with the market bureau as provider."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        template = connection.settings_dict["NAME"]
        copy = f"{template}_feed_{uuid.uuid4().hex[:8]}"
        connections.close_all()
        _admin(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
        connection.settings_dict["NAME"] = copy  # shared with the connections other threads open
        try:
            provider, key = create_provider(
                code=MARKET_BUREAU_USCC, name="厦门市市场监督管理局", domains=[Domain.objects.get(number=25)],
                kind_codes=set(RecordKind.objects.values_list("code", flat=True)),
            )  # fmt: skip
            yield ProviderPersona(provider, key)
        finally:
            connections.close_all()
            connection.settings_dict["NAME"] = template
            _admin(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def in_thread(work: Callable[[], None]) -> Callable[[], None]:
    """``work`` on its own connection, closed when it ends."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    return run


def lay(record: CreditRecord, reason: str) -> Overlay:
    now = clock.now()
    return Overlay.objects.create(
        record=record, subject_code=record.subject_code, kind=Overlay.Kind.CORRECTED, starts_at=now,
        reason=reason, source="test", created_at=now,
    )  # fmt: skip


def read_everything(after: feed.Cursor) -> tuple[list[str], feed.Cursor]:
    ids = []
    while True:
        page = feed.read(STAFF, after, 1000)
        ids += [item["id"] for item in page.items]
        after = page.next
        if not page.more:
            return ids, after


def test_a_younger_commit_waits_until_the_older_transaction_ends(committed: ProviderPersona) -> None:
    committed.post(Client(), [penalty(), penalty(行政处罚决定书文号="B-1")])
    older_record, younger_record = CreditRecord.objects.order_by("pk")
    _, start = read_everything(feed.Cursor())
    older_wrote, finish_older = threading.Event(), threading.Event()
    holder: list[Overlay] = []

    def older() -> None:
        with transaction.atomic():
            holder.append(lay(older_record, "older"))  # draws its change number first …
            older_wrote.set()
            assert finish_older.wait(30)
        # … and commits last.

    thread = threading.Thread(target=in_thread(older))
    thread.start()
    assert older_wrote.wait(30)
    with transaction.atomic():
        younger = lay(younger_record, "younger")

    held_back, cursor = read_everything(start)
    assert held_back == []  # the younger change is committed but waits behind the older transaction
    assert cursor == start
    finish_older.set()
    thread.join()
    released, _ = read_everything(cursor)
    assert released == [f"o{holder[0].pk}", f"o{younger.pk}"]


def test_parallel_writers_and_a_reader_see_each_change_exactly_once(committed: ProviderPersona) -> None:
    committed.post(Client(), [penalty(行政处罚决定书文号=f"P-{n}") for n in range(8)])
    records = list(CreditRecord.objects.order_by("pk"))
    stop = threading.Event()
    delivered: list[str] = []
    errors: list[BaseException] = []

    def overlay_writer(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(25):
            with transaction.atomic():
                lay(rng.choice(records), f"{seed}-{n}")
                time.sleep(rng.random() * 0.01)  # hold the transaction open: commits overtake each other

    def intake_writer(seed: int) -> None:
        for n in range(4):
            rows = [penalty(行政处罚决定书文号=f"W{seed}-{n}-{k}") for k in range(20)]
            response = committed.post(Client(), rows)
            assert response.status_code == 200, response.content

    def reader() -> None:
        after = feed.Cursor()
        while True:
            finished = stop.is_set()
            page = feed.read(STAFF, after, 50)
            assert page.next >= after
            delivered.extend(item["id"] for item in page.items)
            after = page.next
            if finished and not page.more:
                return

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)

        return in_thread(run)

    writers = [threading.Thread(target=guarded(lambda s=s: overlay_writer(s))) for s in range(4)]
    writers += [threading.Thread(target=guarded(lambda s=s: intake_writer(s))) for s in range(2)]
    follower = threading.Thread(target=guarded(reader))
    follower.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    follower.join()

    assert errors == []
    expected = {f"v{r}.{v}" for r, v in RecordVersion.objects.values_list("record_id", "version")}
    expected |= {f"o{pk}" for pk in Overlay.objects.values_list("pk", flat=True)}
    assert len(delivered) == len(set(delivered)), "a change was delivered twice"
    assert set(delivered) == expected, "a change was skipped"
    assert Change.objects.count() == len(expected) == 8 + 4 * 25 + 2 * 4 * 20
