"""The public home with figures as charts, the services, notices and policies staff publish, a contact
block; the centre's home with what waits for it and how departments keep time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from xinyong.accounts.models import Role
from xinyong.audit.models import AuditEntry
from xinyong.conftest import ProviderPersona, centre_staff, penalty
from xinyong.core.clock import CHINA
from xinyong.portal.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    cache.delete("portal:public-figures")
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA), tick=False):
        yield
    cache.delete("portal:public-figures")


def test_the_home_page_draws_the_figures_and_offers_the_services(
    client: Client, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(Client(), [penalty()])
    Notice.objects.create(
        kind=Notice.Kind.NOTICE,
        title="关于开展信用修复培训的通知",
        body="正文",
        published_on=dt.date(2026, 11, 1),
    )
    Notice.objects.create(
        kind=Notice.Kind.POLICY,
        title="撤下的政策",
        body="正文",
        published_on=dt.date(2026, 11, 2),
        is_published=False,
    )

    html = client.get("/").content.decode()

    assert html.count('<figure class="chart">') == 3 and "信用记录按信息类别" in html and "<table" in html
    for service in ("申请信用报告", "信用修复", "异议申诉", "报告核验"):
        assert service in html
    assert "关于开展信用修复培训的通知" in html and "撤下的政策" not in html
    assert 'id="contact"' in html and "市公共信用信息中心" in html


def test_a_notice_has_its_page_and_an_unpublished_one_is_not_found(client: Client) -> None:
    shown = Notice.objects.create(
        kind=Notice.Kind.POLICY,
        title="厦门市公共信用信息管理办法",
        body="第一条\n\n第二条",
        published_on=dt.date(2026, 1, 1),
    )
    hidden = Notice.objects.create(
        kind=Notice.Kind.POLICY, title="草稿", body="…", published_on=dt.date(2026, 1, 2), is_published=False
    )

    column = client.get("/notices/policy/").content.decode()
    page = client.get(f"/notices/item/{shown.pk}/").content.decode()

    assert "厦门市公共信用信息管理办法" in column and "草稿" not in column
    assert "<p>第一条</p>" in page and "政策法规" in page
    assert client.get(f"/notices/item/{hidden.pk}/").status_code == 404
    assert client.get("/notices/other/").status_code == 404


def test_a_catalogue_administrator_publishes_a_notice_on_the_audit_trail() -> None:
    admin = centre_staff("editor", Role.CATALOGUE_ADMIN)
    client = Client()
    client.force_login(admin)

    response = client.post("/admin/portal/notice/add/", {
        "kind": "notice", "title": "系统维护公告", "source": "", "body": "周六停机", "published_on": "2026-11-22",
        "is_published": "on",
    })  # fmt: skip

    assert response.status_code == 302 and Notice.objects.get().title == "系统维护公告"
    assert AuditEntry.objects.filter(action="admin.add", object_type="portal.notice").exists()


def test_the_centre_home_counts_what_waits_and_charts_timeliness(market_bureau: ProviderPersona) -> None:
    market_bureau.post(Client(), [penalty()])
    client = Client()
    client.force_login(centre_staff("centre", Role.OBJECTION_HANDLER))

    html = client.get("/workspace/").content.decode()

    assert 'id="centre-tiles"' in html
    for tile in ("待办异议", "逾期案件", "待审修复申请", "重错码待核", "失败的批次"):
        assert tile in html
    assert "各部门按时归集率" in html and "厦门市市场监督管理局" in html
