"""Centre staff see an alarm when an uploaded file has waited in the task queue longer than
``XINYONG_QUEUE_ALARM_MINUTES``: the sign that no task worker is running."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult, get_date_max

from xinyong.accounts.models import Role, User
from xinyong.conftest import ProviderPersona, centre_staff
from xinyong.core import clock
from xinyong.core.testing import travel_to

pytestmark = pytest.mark.django_db

ALARM = "个后台任务（上传文件的导入批次）排队超过 15 分钟仍未开始"
NOW = "2026-11-23 10:00 +0800"


def _queued(minutes_ago: float, status: str = "READY") -> DBTaskResult[Any, Any]:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="xinyong.collection.tasks.import_batch",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=clock.now() - dt.timedelta(minutes=minutes_ago)
    )
    return task


def _page(user_client: Client, path: str = "/workspace/") -> str:
    response = user_client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def centre() -> Client:
    client = Client()
    client.force_login(centre_staff("catalogue", Role.CATALOGUE_ADMIN))
    return client


@pytest.mark.parametrize(
    ("minutes_ago", "alarm"), [(14.99, False), (15, False), (15.01, True)], ids=["before", "at", "after"]
)
def test_it_alarms_once_a_task_has_waited_longer_than_the_threshold(
    centre: Client, minutes_ago: float, alarm: bool
) -> None:
    with travel_to(NOW):
        _queued(minutes_ago)

        assert (ALARM in _page(centre)) is alarm


def test_it_counts_the_waiting_tasks_and_shows_on_the_admin_too(centre: Client) -> None:
    with travel_to(NOW):
        _queued(40)
        _queued(20)
        _queued(1)  # recent: being picked up

        assert f"有 2 {ALARM}" in _page(centre)
        assert f"有 2 {ALARM}" in _page(centre, "/admin/")


def test_a_task_being_run_or_finished_is_no_alarm(centre: Client) -> None:
    with travel_to(NOW):
        _queued(40, status="RUNNING")
        _queued(40, status="SUCCESSFUL")

        assert ALARM not in _page(centre)


def test_provider_staff_do_not_see_it(market_bureau: ProviderPersona) -> None:
    client = Client()
    client.force_login(
        User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    )
    with travel_to(NOW):
        _queued(40)

        assert ALARM not in _page(client)
