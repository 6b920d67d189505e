"""One open objection in the demo city: the demo company's account objects to one of its records,
preferably one from a provider whose staff have demo accounts, so every party has something to click;
and one objection for an omission (遗漏异议): a commendation a staffed department has not reported."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from xinyong.accounts.models import User
from xinyong.catalog.models import ProviderGrant
from xinyong.core import clock
from xinyong.core.calendar import CalendarMissing
from xinyong.core.errors import PlatformError
from xinyong.disputes.models import Objection
from xinyong.disputes.services import file_objection, file_omission
from xinyong.records.models import CreditRecord

STATEMENT = "该处罚信息中的罚款金额与处罚决定书不一致，申请核实更正。（演示数据）"
OMISSION_STATEMENT = "本公司获评市级守合同重信用企业，平台上未见该表彰信息，申请补录。（演示数据）"


def seed_objection(username: str = "qiye") -> Objection | None:
    """File the demo objection once; nothing when the account, a record or the calendar is missing."""
    user = User.objects.filter(username=username, kind=User.Kind.SUBJECT).first()
    if user is None or Objection.objects.filter(applicant=user).exists():
        return None
    staffed = User.objects.filter(provider=OuterRef("provider"), kind=User.Kind.PROVIDER)
    record = (
        CreditRecord.objects.filter(subject_code=user.subject_code, hold="")
        .annotate(staffed=Exists(staffed))
        # The newest: the company's older demo penalty stays free for test_browser_objection.
        .order_by("-staffed", "-decision_date", "pk")
        .first()
    )
    if record is None:
        return None
    try:
        return file_objection(actor=user, record=record, grounds="error", statement=STATEMENT)
    except (PlatformError, CalendarMissing):
        return None  # e.g. the calendar lacks next year: the demo goes on without it


def seed_omission(username: str = "qiye") -> Objection | None:
    """File the demo omission once: a commendation from a department whose staff have demo accounts."""
    user = User.objects.filter(username=username, kind=User.Kind.SUBJECT).first()
    if user is None or Objection.objects.filter(applicant=user, record__isnull=True).exists():
        return None
    staffed = User.objects.filter(kind=User.Kind.PROVIDER).values("provider_id")
    grant = (
        ProviderGrant.objects.filter(kind_code="commendation", provider_id__in=staffed)
        .select_related("provider")
        .order_by("provider__name")
        .first()
    )
    if grant is None:
        return None
    today = clock.today()
    try:
        return file_omission(
            actor=user, provider=grant.provider.code, kind="表彰奖励", document_number=f"演示表〔{today.year}〕1号",
            document_date=today - dt.timedelta(days=30), statement=OMISSION_STATEMENT,
        )  # fmt: skip
    except (PlatformError, CalendarMissing):
        return None  # e.g. the calendar lacks next year: the demo goes on without it
