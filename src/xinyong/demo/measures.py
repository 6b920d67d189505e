"""Demo-city data for joint rewards and punishments: the registrations of the court-listed showcase
company (a legal representative in office at the listing, and the one who took over after it), and a
red-list company, so the counter check and the batch check show punishments, rewards and a person
reached through a company. Everything goes through intake, as a department would send it."""

from __future__ import annotations

from typing import Any

from xinyong.catalog.models import Domain, Provider, ProviderGrant
from xinyong.collection.services import submit_records
from xinyong.demo.synthetic import DEPARTMENTS
from xinyong.subjects.codes import complete_resident_id
from xinyong.subjects.models import Subject

DEFAULTER = "厦门演示失信被执行有限公司"
#: The legal representative in office when the court listed the company (2023-04-16): reached by measures
#: that extend to persons. The one who took over in 2024 is not.
AT_LISTING = ("演示法人甲", complete_resident_id("35020319750101021"))
AFTER_LISTING = ("演示法人乙", complete_resident_id("35020319820202032"))


def _registration(
    company: Subject, number: str, day: str, kind: str, name: str, id_number: str
) -> dict[str, Any]:
    market = DEPARTMENTS[25]
    return {
        "行政相对人名称": company.name, "行政相对人类别": "法人及非法人组织", "统一社会信用代码": company.code,
        "法定代表人": name, "法定代表人证件号码": id_number, "核准文书号": number, "登记类型": kind, "核准日期": day,
        "登记机关": market.name, "登记机关统一社会信用代码": market.uscc, "数据来源单位": market.name,
        "数据来源单位统一社会信用代码": market.uscc,
    }  # fmt: skip


def seed_joint_measures() -> None:
    """Idempotent: intake finds identical records unchanged."""
    market = Provider.objects.filter(code=DEPARTMENTS[25].uscc).first()
    defaulter = Subject.objects.filter(name=DEFAULTER).first()
    if market is None or defaulter is None:
        return
    domain = Domain.objects.get(number=25)
    for kind in ("registration", "red_list"):
        ProviderGrant.objects.get_or_create(provider=market, domain=domain, kind_code=kind)
    submit_records(market, "registration", [
        _registration(defaulter, "厦市监设〔2020〕演示1号", "2020-09-01", "设立登记", *AT_LISTING),
        _registration(defaulter, "厦市监变〔2024〕演示2号", "2024-01-05", "变更登记", *AFTER_LISTING),
    ])  # fmt: skip
    # A company with licences and no dishonesty record becomes a 纳税信用A级纳税人.
    honest = (
        Subject.objects.filter(kind=Subject.Kind.ORGANISATION, code_valid=True, records__kind_code="licence")
        .exclude(
            records__kind_code__in=["penalty", "serious_dishonesty_list", "key_attention_list", "arrears"]
        )
        .order_by("pk")
        .first()
    )
    if honest is None:
        return
    tax = DEPARTMENTS[33]
    submit_records(market, "red_list", [{
        "行政相对人名称": honest.name, "行政相对人类别": "法人及非法人组织", "统一社会信用代码": honest.code,
        "法定代表人": honest.legal_representative or "演示法人", "名单类型": "纳税信用A级纳税人",
        "认定文书号": "厦税信〔2026〕演示1号", "认定依据": "《纳税信用管理办法（试行）》", "认定日期": "2026-04-01",
        "有效期至": "2027-03-31", "认定机关": tax.name, "认定机关统一社会信用代码": tax.uscc,
        "数据来源单位": tax.name, "数据来源单位统一社会信用代码": tax.uscc,
    }])  # fmt: skip
