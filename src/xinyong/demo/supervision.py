"""Risk warnings and interviews in the demo city (docs/supervision.md).

One showcase company, 厦门演示风险预警有限公司, collects through the departments' own intake 60 penalties from
the market regulator within the year, penalties from two more departments and entries on two
serious-dishonesty lists, so it carries all three risk warnings; the daily job then judges the whole city.
The market regulator interviews it on the 60-penalty warning (警示约谈, still rectifying, past its
deadline: flagged overdue), the environment bureau on the three-department warning (提示约谈, rectified),
and the court on its own 失信被执行人 listing, without a warning. The departments act through their demo
staff accounts where they have one (scjg, sthj, fy), otherwise through their system.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinyong.accounts.models import User
from xinyong.catalog.models import Provider
from xinyong.collection.services import submit_records
from xinyong.core import clock
from xinyong.demo.synthetic import DEPARTMENTS
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import complete_uscc
from xinyong.supervision.interviews import flag_overdue_interviews, record_interview, record_outcome
from xinyong.supervision.models import Interview, RiskWarning
from xinyong.supervision.risk import review_risk_warnings

NAME = "厦门演示风险预警有限公司"
CODE = complete_uscc("9135020300060001")
MARKET, ENVIRONMENT, CONSTRUCTION, COURT, TAX = 25, 13, 14, 1, 33


def _subject(prefix: str) -> dict[str, str]:
    return {f"{prefix}_xdr_mc": NAME, f"{prefix}_xdr_lb": "法人及非法人组织", f"{prefix}_xdr_shxym": CODE,
            f"{prefix}_frdb": "郑演示"}  # fmt: skip


def _penalty(number: int, domain: int, decided: dt.date) -> dict[str, Any]:
    authority = DEPARTMENTS[domain]
    return _subject("cf") | {
        "cf_wsh": f"{authority.abbreviation}罚〔{decided:%Y}〕风险{number}号", "cf_wfxw": "未按规定履行义务",
        "cf_sy": "当事人多次未按规定履行法定义务。（演示数据）", "cf_yj": "相关法律法规", "cf_cflb": "罚款",
        "cf_nr": "罚款人民币5000元", "cf_nr_fk": "0.5", "cf_jdrq": decided.isoformat(),
        "cf_yxq": (decided + dt.timedelta(days=365)).isoformat(), "cf_cfjg": authority.name,
        "cf_cfjgdm": authority.uscc, "cf_sjly": authority.name, "cf_sjlydm": authority.uscc,
    }  # fmt: skip


def _listing(number: int, domain: int, list_type: str, listed: dt.date) -> dict[str, Any]:
    authority = DEPARTMENTS[domain]
    return _subject("yzsx") | {
        "yzsx_mdlx": list_type, "yzsx_wh": f"{authority.abbreviation}列〔{listed:%Y}〕风险{number}号",
        "yzsx_sy": "拒不履行生效法律文书确定的义务。（演示数据）", "yzsx_yj": "相关规定", "yzsx_lrrq": listed.isoformat(),
        "yzsx_rdjg": authority.name, "yzsx_rdjgdm": authority.uscc, "yzsx_sjly": authority.name,
        "yzsx_sjlydm": authority.uscc,
    }  # fmt: skip


def _send(provider: Provider, kind: str, rows: list[dict[str, Any]]) -> None:
    _, outcomes = submit_records(provider, kind, rows)
    refused = [error.message for o in outcomes if o.stored is None for error in o.errors]
    if refused:
        raise RuntimeError(f"演示数据被拒收：{refused[:3]}")


def _actor(provider: Provider) -> User | Provider:
    return (
        User.objects.filter(provider=provider, kind=User.Kind.PROVIDER, is_active=True).order_by("pk").first()
        or provider
    )


def seed_supervision(providers: dict[int, Provider]) -> int:
    """The showcase company's records, warnings and interviews, then the daily job over the city; once.
    Returns the number of standing risk warnings."""
    if CreditRecord.objects.filter(subject_code=CODE).exists():
        return RiskWarning.objects.filter(state=RiskWarning.State.STANDING).count()
    today = clock.today()
    # Decided in the year before today, each department's penalties a week apart at most.
    _send(
        providers[MARKET],
        "penalty",
        [_penalty(n, MARKET, today - dt.timedelta(days=30 + n * 5)) for n in range(60)],
    )
    _send(providers[ENVIRONMENT], "penalty", [_penalty(1, ENVIRONMENT, today - dt.timedelta(days=90))])
    _send(providers[CONSTRUCTION], "penalty", [_penalty(1, CONSTRUCTION, today - dt.timedelta(days=120))])
    _send(
        providers[COURT],
        "serious_dishonesty_list",
        [_listing(1, COURT, "失信被执行人", today - dt.timedelta(days=200))],
    )
    _send(providers[TAX], "serious_dishonesty_list",
          [_listing(2, TAX, "重大税收违法失信主体", today - dt.timedelta(days=400))])  # fmt: skip
    review_risk_warnings(None)
    warnings = {
        w.rule_id.rsplit(".", 1)[1]: w
        for w in RiskWarning.objects.filter(subject_code=CODE, state="standing")
    }
    held = today - dt.timedelta(days=20)
    # Deadlines stay in this year: the working-day calendar may not have next year's holidays yet.
    last = dt.date(today.year, 12, 20)
    market = record_interview(
        actor=_actor(providers[MARKET]), warning=warnings["penalty_count"], type=Interview.Type.CAUTION,
        held_on=held, place="市市场监管局三楼约谈室", attendees="市市场监管局：执法科王科长；企业：郑演示（法定代表人）",
        obligations="一、缴清全部罚款；二、建立合规审查制度并报送整改报告", deadline=today - dt.timedelta(days=3),
    )  # fmt: skip
    environment = record_interview(
        actor=_actor(providers[ENVIRONMENT]), warning=warnings["penalty_departments"], type=Interview.Type.REMINDER,
        held_on=held, place="市生态环境局会议室", attendees="市生态环境局：李科员；企业：郑演示",
        obligations="完成排污设施整改并申请信用修复", deadline=min(today + dt.timedelta(days=30), last),
    )  # fmt: skip
    record_outcome(
        environment, actor=_actor(providers[ENVIRONMENT]), rectified=True, note="已完成整改（演示数据）"
    )
    court_listing = CreditRecord.objects.get(subject_code=CODE, provider=providers[COURT])
    record_interview(
        actor=_actor(providers[COURT]), basis=court_listing, type=Interview.Type.CAUTION, held_on=held,
        place="市中级人民法院执行局", attendees="执行法官；企业法定代表人", obligations="履行生效判决确定的给付义务",
        deadline=min(today + dt.timedelta(days=60), last),
    )  # fmt: skip
    flag_overdue_interviews()  # the market regulator's interview is past its deadline
    assert market.overdue_flagged_at is None  # flagged in the database by the job, not on this object
    return RiskWarning.objects.filter(state=RiskWarning.State.STANDING).count()
