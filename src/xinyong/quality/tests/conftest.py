"""A small month of intake whose every rate is worked out by hand in ``QualityMonth``'s docstring."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from xinyong.catalog.models import Domain, Provider
from xinyong.catalog.services import create_provider
from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.quality.months import parse_month
from xinyong.quality.services import Total, declare
from xinyong.subjects.codes import complete_uscc

#: A well-formed USCC whose check character is wrong (held as 重错码, never rejected).
WRONG_CHECK = COMPANY_USCC[:-1] + ("1" if COMPANY_USCC[-1] != "1" else "2")


@dataclass
class QualityMonth:
    """November 2026 at three providers.

    Market bureau (penalties, domain 25) declares 6 penalties and 0 licences, nothing else it is granted.
    - 2026-11-05 (Thu): a batch of 5 rows: A, B, C valid and E held (wrong check digit), all decided
      2026-11-02 (Mon), 3 working days earlier; D rejected (bad date).
    - 2026-11-20 (Fri): F, decided 2026-11-03 (Tue): 13 working days and 17 natural days later (late).
    Upload: 5 penalties decided in November reached the platform, declared 6 → 5/6 = 83.3%; licences
    declared 0 add nothing. Compliance: 6 rows received, 1 rejected, 1 held → 4/6 = 66.7%.
    Timeliness: A, B, C, E, F first received in November, F late → 4/5 = 80.0%.
    Tax bureau (arrears) declares 0 arrears and sends nothing: no rate can be computed, nothing is
    missing. The port authority sends nothing and declares nothing: its one kind is missing.
    """

    market: ProviderPersona
    tax: ProviderPersona
    port: Provider


@pytest.fixture
def november(market_bureau: ProviderPersona, tax_bureau: ProviderPersona) -> QualityMonth:
    client = Client()
    with time_machine.travel("2026-11-05 10:00 +0800", tick=False):
        rows = [
            penalty(行政处罚决定书文号=f"厦市监罚〔2026〕{n}号", 处罚决定日期="2026-11-02")
            for n in ("A", "B", "C")
        ]
        rows.append(penalty(行政处罚决定书文号="厦市监罚〔2026〕D号", 处罚决定日期="bad"))
        rows.append(
            penalty(
                行政处罚决定书文号="厦市监罚〔2026〕E号",
                处罚决定日期="2026-11-02",
                统一社会信用代码=WRONG_CHECK,
                行政相对人名称="厦门错码贸易有限公司",
            )
        )
        assert market_bureau.post(client, rows).status_code == 200
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        late = penalty(行政处罚决定书文号="厦市监罚〔2026〕F号", 处罚决定日期="2026-11-03")
        assert market_bureau.post(client, [late]).status_code == 200
    port, _key = create_provider(
        code=complete_uscc("1135020000765432"),
        name="厦门港口管理局",
        domains=[Domain.objects.get(number=15)],
        kind_codes=["licence"],
    )
    with time_machine.travel("2026-12-02 10:00 +0800", tick=False):
        month = parse_month("2026-11")
        declare(
            market_bureau.provider,
            month,
            [Total("penalty", 6), Total("licence", 0)],
            actor=market_bureau.provider,
        )
        declare(tax_bureau.provider, month, [Total("arrears", 0)], actor=tax_bureau.provider)
    return QualityMonth(market_bureau, tax_bureau, port)
