"""The change feed: every version, exit and overlay once, in order, resumable, as the caller may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.accounts.services import create_grant
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor
from xinyong.conftest import (
    COMPANY_USCC,
    MARKET_BUREAU_USCC,
    PERSON_ID,
    ProviderPersona,
    centre_staff,
    penalty,
    person_penalty,
)
from xinyong.core.clock import CHINA
from xinyong.disclosure.queries import lookups_of
from xinyong.exchange.feed import Cursor
from xinyong.exchange.models import Change
from xinyong.records.models import CreditRecord, Overlay
from xinyong.records.services import add_overlay, end_overlay
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CHINA)
SECRET = "仅本人与信用中心可见的标注理由"


def arrear(**changes: str) -> dict[str, Any]:
    return {
        "行政相对人名称": "厦门鹭江贸易有限公司", "行政相对人类别": "法人及非法人组织", "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "陈志明", "欠缴类别": "欠缴税款", "欠缴认定文书号": "厦税欠〔2026〕8号", "欠缴金额(万元)": "12.5",
        "认定日期": "2026-11-01", "认定机关": "厦门市市场监督管理局", "认定机关统一社会信用代码": MARKET_BUREAU_USCC,
        "数据来源单位": "厦门市市场监督管理局", "数据来源单位统一社会信用代码": MARKET_BUREAU_USCC,
    } | changes  # fmt: skip


def send(persona: ProviderPersona, records: list[dict[str, Any]], kind: str = "penalty") -> None:
    with time_machine.travel(RECEIVED, tick=False):
        response = persona.post(Client(), records, kind=kind)
    assert all(r["status"] != "rejected" for r in response.json()["results"]), response.json()


def read_all(client: Client, limit: int = 100, key: str = "", **params: str) -> list[dict[str, Any]]:
    items, after = [], ""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    while True:
        with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False):
            query = {"after": after, "limit": limit, **params}
            page = client.get("/api/v1/changes", query, headers=headers).json()
        items += page["items"]
        assert page["next"]
        after = page["next"]
        if not page["more"]:
            return items


@pytest.fixture
def city(market_bureau: ProviderPersona) -> dict[str, Any]:
    """A company penalty changed once, an arrear later settled (an exit), a person's penalty, and an
    objection laid and ended on the company penalty."""
    send(market_bureau, [penalty(), person_penalty()])
    send(market_bureau, [penalty(违法事实="当事人在网店发布虚假广告，已更正。")])
    send(market_bureau, [arrear()], kind="arrears")
    send(market_bureau, [arrear(缴清日期="2026-11-20")], kind="arrears")
    record = CreditRecord.objects.get(key="厦市监罚〔2026〕101号")
    with time_machine.travel(RECEIVED + dt.timedelta(minutes=5), tick=False):
        overlay = add_overlay(
            record,
            Overlay.Kind.OBJECTION_PENDING,
            actor=Actor.system("test"),
            reason=SECRET,
            source="异议 Y-1",
        )
        end_overlay(overlay, actor=Actor.system("test"), reason="维持")
    staff = Client()
    staff.force_login(centre_staff("centre", "objection_handler"))
    return {"record": record, "overlay": overlay, "staff": staff}


def test_it_lists_every_version_exit_and_overlay_once_in_commit_order(city: dict[str, Any]) -> None:
    items = read_all(city["staff"])
    record, overlay = city["record"].pk, city["overlay"].pk
    arrear_id = CreditRecord.objects.get(kind_code="arrears").pk
    assert [(i["type"], i["id"]) for i in items if i["record"] in (record, arrear_id)] == [
        ("version", f"v{record}.1"),
        ("version", f"v{record}.2"),
        ("version", f"v{arrear_id}.1"),
        ("exit", f"v{arrear_id}.2"),
        ("overlay", f"o{overlay}"),
        ("overlay_ended", f"e{overlay}"),
    ]
    assert len(items) == Change.objects.count() == 7
    assert all(i["at"].endswith("Z") or "+" in i["at"] for i in items)  # timestamps carry their zone
    second = next(i for i in items if i["id"] == f"v{record}.2")
    assert second["fields"]["cf_sy"] == "当事人在网店发布虚假广告，已更正。"
    assert next(i for i in items if i["type"] == "overlay")["overlay"]["reason"] == SECRET


def test_a_cursor_resumes_exactly_where_it_stopped_whatever_the_page_size(city: dict[str, Any]) -> None:
    whole = [i["id"] for i in read_all(city["staff"], limit=1000)]
    assert [i["id"] for i in read_all(city["staff"], limit=1)] == whole
    assert [i["id"] for i in read_all(city["staff"], limit=3)] == whole
    middle = read_all(city["staff"], limit=1000)[2]["cursor"]
    assert [i["id"] for i in read_all(city["staff"], after=middle)] == whole[3:]


def test_the_public_sees_what_the_public_pages_show(city: dict[str, Any]) -> None:
    items = read_all(Client())
    shown = [i for i in items if i["visible"]]
    assert shown and all(PERSON_ID not in str(i) for i in items)
    person = next(i for i in shown if i["key"] == "厦市监罚〔2026〕201号")
    assert person["subject_name"] == "林**" and person["fields"]["cf_xdr_mc"] == "林**"
    assert person["subject_code"] != PERSON_ID
    overlay = next(i for i in items if i["type"] == "overlay")
    assert "reason" not in overlay["overlay"] or overlay["overlay"]["reason"] is None
    assert SECRET not in str(items)
    assert not AuditEntry.objects.filter(action="exchange.feed.read").exists()  # public reads are not logged


def test_a_revoked_record_leaves_only_a_withdrawal_for_the_public(city: dict[str, Any]) -> None:
    record = city["record"]
    with time_machine.travel(RECEIVED + dt.timedelta(minutes=10), tick=False):
        add_overlay(
            record, Overlay.Kind.REVOKED, actor=Actor.system("test"), reason="撤销", source="异议 Y-2"
        )
    items = [i for i in read_all(Client()) if i["record"] == record.pk]
    assert [(i["type"], i["overlay"]["kind"], i["visible"]) for i in items] == [
        ("overlay", "objection_pending", False),
        ("overlay_ended", "objection_pending", False),
        ("overlay", "revoked", False),
    ]
    assert all(i["fields"] is None and i["subject_code"] is None for i in items)


def test_a_provider_reads_only_its_own_records(
    city: dict[str, Any], tax_bureau: ProviderPersona, market_bureau: ProviderPersona
) -> None:
    assert read_all(Client(), key=tax_bureau.key) == []
    own = read_all(Client(), key=market_bureau.key)
    assert len(own) == 7
    assert PERSON_ID not in str(own)  # only the person and the centre see a full ID number
    assert AuditEntry.objects.filter(action="exchange.feed.read", actor_name="厦门市市场监督管理局").exists()


def test_a_subject_reads_only_its_own_changes(city: dict[str, Any]) -> None:
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=company.pk).update(subject_code=COMPANY_USCC, verified_at="2026-11-01T00:00:00Z")
    client = Client()
    client.force_login(User.objects.get(pk=company.pk))
    items = read_all(client)
    assert {i["subject_code"] for i in items} == {COMPANY_USCC}
    assert len(items) == 6
    assert next(i for i in items if i["type"] == "overlay")["overlay"]["reason"] == SECRET


def test_a_unit_reads_for_a_purpose_its_unit_holds_on_the_record(city: dict[str, Any]) -> None:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    client = Client()
    client.force_login(User.objects.create_user("fgw", kind=User.Kind.UNIT, unit=unit))
    items = read_all(client, purpose="licensing_inspection_penalty")
    assert len(items) == 7 and PERSON_ID not in str(items)
    entry = AuditEntry.objects.get(action="exchange.feed.read")
    assert entry.purpose.startswith("licensing_inspection_penalty") and COMPANY_USCC in entry.detail
    refused = client.get("/api/v1/changes", {"purpose": "public_procurement"})
    assert refused.status_code == 403 and refused.json()["code"] == "query.purpose_not_allowed"


@pytest.mark.parametrize("cursor", ["garbage!", "YzEuMS4y=x", Cursor(1, 2).encode()[:-1] + "@", "YzIuMS4y"])
def test_it_refuses_a_cursor_it_did_not_hand_out(db: None, cursor: str) -> None:
    response = Client().get("/api/v1/changes", {"after": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "feed.bad_cursor" and response.json()["field"] == "after"


def test_a_cursor_round_trips() -> None:
    assert Cursor.decode(Cursor(2**40, 17).encode()) == Cursor(2**40, 17)
    assert Cursor.decode("") == Cursor()


def test_each_version_and_overlay_writes_its_change_in_the_same_transaction(
    market_bureau: ProviderPersona,
) -> None:
    send(market_bureau, [penalty(行政处罚决定书文号=f"F-{n}") for n in range(5)])
    assert Change.objects.filter(kind="version").count() == 5
    assert set(Change.objects.values_list("provider__code", flat=True)) == {MARKET_BUREAU_USCC}


def test_a_bank_reads_in_bulk_only_the_subjects_that_authorised_it_on_their_record(
    city: dict[str, Any],
) -> None:
    """GIVEN a company that authorised a bank (授权查询) and a person who did not
    WHEN the bank reads the feed under its grants
    THEN it gets the company's changes only, as an authorised querier, and the company sees the read."""
    bank = Unit.objects.create(code=complete_uscc("9135020000123456"), name="演示银行厦门分行")
    officer = User.objects.create_user("bank", kind=User.Kind.UNIT, unit=bank)
    company = User.objects.create_user("company", kind=User.Kind.SUBJECT)
    User.objects.filter(pk=company.pk).update(subject_code=COMPANY_USCC, verified_at="2026-11-01T00:00:00Z")
    with time_machine.travel(RECEIVED, tick=False):
        create_grant(
            actor=User.objects.get(pk=company.pk), grantee=bank.code, purpose="信易贷授信审查",
            valid_until=RECEIVED + dt.timedelta(days=30),
        )  # fmt: skip
    client = Client()
    client.force_login(officer)
    items = read_all(client, authorised="true")
    assert {i["subject_code"] for i in items} == {COMPANY_USCC} and len(items) == 6
    assert SECRET not in str(items)  # overlay reasons stay with the subject and the centre
    with time_machine.travel(RECEIVED + dt.timedelta(hours=1), tick=False):
        lookups = lookups_of(COMPANY_USCC)
    assert [(e.purpose, e.actor_name) for e in lookups] == [("信易贷授信审查", "bank")]
    refused = Client().get("/api/v1/changes", {"authorised": "true"})
    assert refused.status_code == 401 and refused.json()["code"] == "auth.required"


def test_without_a_grant_the_bulk_read_is_empty(city: dict[str, Any]) -> None:
    bank = Unit.objects.create(code=complete_uscc("9135020000123456"), name="演示银行厦门分行")
    client = Client()
    client.force_login(User.objects.create_user("bank", kind=User.Kind.UNIT, unit=bank))
    assert read_all(client, authorised="true") == []
