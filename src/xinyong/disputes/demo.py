"""One open objection in the demo city: the demo company's account objects to one of its records,
preferably one from a provider whose staff have demo accounts, so every party has something to click."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from xinyong.accounts.models import User
from xinyong.core.calendar import CalendarMissing
from xinyong.core.errors import PlatformError
from xinyong.disputes.models import Objection
from xinyong.disputes.services import file_objection
from xinyong.records.models import CreditRecord

STATEMENT = "该处罚信息中的罚款金额与处罚决定书不一致，申请核实更正。（演示数据）"


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
