"""Demo-city data for reports: the demo company is on the financial list, so every edition can be tried."""

from __future__ import annotations

from xinyong.accounts.models import User
from xinyong.core import clock
from xinyong.reports.models import FinancialListEntry


def seed_financial_list(username: str = "qiye") -> None:
    user = User.objects.filter(username=username, kind=User.Kind.SUBJECT).exclude(subject_code="").first()
    if user is None:
        return
    FinancialListEntry.objects.get_or_create(
        subject_code=user.subject_code,
        defaults={
            "name": user.first_name or user.subject_code,
            "reason": "演示：拟上市企业",
            "added_at": clock.now(),
        },
    )
