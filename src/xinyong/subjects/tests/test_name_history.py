"""Subjects keep every name they were reported under; the newest decision sets the current name."""

from __future__ import annotations

from typing import Any

import pytest

from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.testing import travel_to
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with travel_to("2026-11-22 10:00"):
        yield


def test_a_later_decision_under_a_new_name_renames_the_subject(
    client: Any, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(client, [penalty(处罚决定日期="2025-03-01")])
    market_bureau.post(
        client,
        [
            penalty(
                行政处罚决定书文号="厦市监罚〔2026〕9号",
                行政相对人名称="厦门鹭江科技有限公司",
                法定代表人="王丽",
                处罚决定日期="2026-06-01",
            )
        ],
    )

    subject = Subject.objects.get(code=COMPANY_USCC)
    assert (subject.name, subject.legal_representative) == ("厦门鹭江科技有限公司", "王丽")
    history = list(
        subject.names.order_by("first_seen_on").values_list("name", "first_seen_on", "last_seen_on")
    )
    assert [(n, str(a), str(b)) for n, a, b in history] == [
        ("厦门鹭江贸易有限公司", "2025-03-01", "2025-03-01"),
        ("厦门鹭江科技有限公司", "2026-06-01", "2026-06-01"),
    ]


def test_an_older_record_arriving_late_does_not_bring_back_the_old_name(
    client: Any, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(client, [penalty(行政相对人名称="厦门鹭江科技有限公司", 处罚决定日期="2026-06-01")])
    market_bureau.post(client, [penalty(行政处罚决定书文号="厦市监罚〔2021〕3号", 处罚决定日期="2021-05-01")])

    subject = Subject.objects.get(code=COMPANY_USCC)
    assert subject.name == "厦门鹭江科技有限公司"
    assert subject.names.count() == 2


def test_one_subject_however_many_records(client: Any, market_bureau: ProviderPersona) -> None:
    market_bureau.post(client, [penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{i}号") for i in range(1, 6)])

    assert Subject.objects.filter(code=COMPANY_USCC).count() == 1
    assert Subject.objects.get(code=COMPANY_USCC).records.count() == 5
