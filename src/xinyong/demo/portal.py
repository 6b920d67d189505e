"""The demo city's notices and policies (通知公告, 政策法规) on the public home page."""

from __future__ import annotations

import datetime as dt

from xinyong.core import clock
from xinyong.portal.models import Notice

POLICIES = [
    (
        "《厦门市公共信用信息管理办法》",
        "厦门市人民政府令",
        "信用信息的归集、公开、使用、异议处理与信用修复的规定。",
    ),
    ("《信用修复管理办法》", "国家发展改革委令第36号", "失信信息的最短公示期、修复的申请与办理。"),
]
NOTICES = [
    ("关于信用报告代替无违法违规证明的通知", "企业可在线申请专项信用报告，报告附二维码，可在本网站核验。"),
    ("系统维护公告", "平台将于本周六 22:00–24:00 维护，期间暂停报告申请。"),
]


def seed_notices() -> None:
    """A few items in each column, dated in the last month; idempotent by title."""
    today = clock.today()
    for days, (title, source, body) in enumerate(POLICIES):
        Notice.objects.get_or_create(
            title=title,
            defaults={"kind": Notice.Kind.POLICY, "source": source, "body": body,
                      "published_on": today - dt.timedelta(days=30 - days)},
        )  # fmt: skip
    for days, (title, body) in enumerate(NOTICES):
        Notice.objects.get_or_create(
            title=title,
            defaults={
                "kind": Notice.Kind.NOTICE,
                "body": body,
                "published_on": today - dt.timedelta(days=7 - days),
            },
        )
