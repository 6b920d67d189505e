"""Every row-level rejection code, through the API: code, field, Chinese message, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from xinyong.collection import errors as collection_errors
from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona, penalty, person_penalty
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import NO_USCC_PLACEHOLDER

pytestmark = pytest.mark.django_db

TODAY = "2026-11-22 10:00 +0800"

CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("unknown column with a value", penalty(内部编号="A-17"), "field.unknown", "内部编号"),
    ("religion is never collected", penalty(宗教信仰="无"), "field.forbidden", "宗教信仰"),
    ("a forbidden column is refused even when empty", penalty(血型=""), "field.forbidden", "血型"),
    (
        "a person's income needs consent",
        person_penalty(**{"收入(元)": "8000"}),
        "field.consent_required",
        "收入(元)",
    ),
    ("missing document number", penalty(行政处罚决定书文号=""), "field.required", "cf_wsh"),
    ("missing facts", penalty(违法事实=None), "field.required", "cf_sy"),
    ("name too long", penalty(行政相对人名称="厦" * 201), "field.too_long", "cf_xdr_mc"),
    ("impossible date", penalty(处罚决定日期="2026-02-30"), "field.invalid_date", "cf_jdrq"),
    ("decision tomorrow", penalty(处罚决定日期="2026-11-23"), "field.future_date", "cf_jdrq"),
    ("negative fine", penalty(**{"罚款金额(万元)": "-1"}), "field.invalid_number", "cf_nr_fk"),
    ("fine not a number", penalty(**{"罚款金额(万元)": "两万"}), "field.invalid_number", "cf_nr_fk"),
    ("penalty type outside the code list", penalty(处罚类别="罚款;拘役"), "field.codelist", "cf_cflb"),
    ("subject category outside the code list", penalty(行政相对人类别="公司"), "field.codelist", "cf_xdr_lb"),
    (
        "authority code fails its check",
        penalty(处罚机关统一社会信用代码="1135020000413900XD"),
        "code.authority_uscc",
        "cf_cfjgdm",
    ),
    (
        "USCC with a forbidden letter",
        penalty(统一社会信用代码="91350203I8418774XX"),
        "code.uscc_format",
        "cf_xdr_shxym",
    ),
    ("USCC too short", penalty(统一社会信用代码="9135020378418"), "code.uscc_format", "cf_xdr_shxym"),
    (
        "resident ID too short",
        person_penalty(证件号码="3502031985061200"),
        "code.resident_id_format",
        "cf_xdr_zjhm",
    ),
    ("organisation without USCC", penalty(统一社会信用代码=None), "subject.uscc_required", "cf_xdr_shxym"),
    (
        "organisation without legal representative",
        penalty(法定代表人=None),
        "subject.legal_representative_required",
        "cf_frdb",
    ),
    (
        "placeholder without registration number",
        penalty(行政相对人类别="个体工商户", 统一社会信用代码=NO_USCC_PLACEHOLDER),
        "subject.registration_no_required",
        "cf_xdr_gszc",
    ),
    (
        "placeholder for a company",
        penalty(统一社会信用代码=NO_USCC_PLACEHOLDER),
        "subject.placeholder_not_allowed",
        "cf_xdr_shxym",
    ),
    ("person without ID number", person_penalty(证件号码=None), "subject.id_required", "cf_xdr_zjhm"),
    ("a lone UTF-16 surrogate", penalty(违法事实="超标排放\ud800"), "field.invalid_text", "cf_sy"),
    ("a surrogate in a column name", penalty(**{"备注\udc80": ""}), "field.invalid_text", "备注\ufffd"),
    ("NUL in a value", penalty(处罚内容="罚款\x00"), "field.control_character", "cf_nr"),
    ("U+0001 in an unknown column", penalty(**{"内部编号": "A\x01"}), "field.control_character", "内部编号"),
    ("a JSON number where text is due", penalty(行政处罚决定书文号=102), "field.not_text", "cf_wsh"),
    ("a JSON array where text is due", penalty(违法事实=["超标"]), "field.not_text", "cf_sy"),
    ("a JSON true where a date is due", penalty(处罚决定日期=True), "field.not_text", "cf_jdrq"),
    ("a fine of 1e308", penalty(**{"罚款金额(万元)": 1e308}), "field.number_out_of_range", "cf_nr_fk"),
    (
        "a fine over the range",
        penalty(**{"罚款金额(万元)": "10000000.01"}),
        "field.number_out_of_range",
        "cf_nr_fk",
    ),
    (
        "a fine below a fen",
        penalty(**{"罚款金额(万元)": "1e-1000000"}),
        "field.number_out_of_range",
        "cf_nr_fk",
    ),
    (
        "a fine too small to round to 0",
        penalty(**{"罚款金额(万元)": "1e-999999999"}),
        "field.number_out_of_range",
        "cf_nr_fk",
    ),
    (
        "a fine that overflows",
        penalty(**{"罚款金额(万元)": "1e999999999"}),
        "field.number_out_of_range",
        "cf_nr_fk",
    ),
    ("one field in two columns", penalty(cf_xdr_mc="另一家公司"), "field.duplicate", "cf_xdr_mc"),
    (
        "simplified procedure on a person",
        person_penalty(程序类型="简易程序"),
        "penalty.simplified_procedure_person",
        None,
    ),
]


@pytest.mark.parametrize(("case", "record", "code", "field"), CASES, ids=[c[0] for c in CASES])
@time_machine.travel(TODAY, tick=False)
def test_it_rejects_the_row_with_a_stable_code(
    client: Any,
    market_bureau: ProviderPersona,
    case: str,
    record: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    response = market_bureau.post(client, [record])

    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["status"] == "rejected"
    assert any(e["code"] == code and e["field"] == field for e in result["errors"]), result["errors"]
    assert all(e["message"] and not e["message"].isascii() for e in result["errors"]), "messages are Chinese"
    assert CreditRecord.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_a_rejected_row_does_not_stop_the_others(client: Any, market_bureau: ProviderPersona) -> None:
    response = market_bureau.post(
        client, [penalty(违法事实=None), penalty(行政处罚决定书文号="厦市监罚〔2026〕102号")]
    )

    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["rejected", "created"]
    assert response.json()["batch"]["rejected"] == 1


@time_machine.travel(TODAY, tick=False)
def test_it_accepts_an_individual_business_without_uscc_by_its_registration_number(
    client: Any, market_bureau: ProviderPersona
) -> None:
    record = penalty(
        行政相对人类别="个体工商户",
        统一社会信用代码=NO_USCC_PLACEHOLDER,
        工商注册号="350203600123456",
        法定代表人=None,
    )

    result = market_bureau.post(client, [record]).json()["results"][0]

    assert result["status"] == "created"
    assert CreditRecord.objects.get().subject.code == "350203600123456"


@time_machine.travel(TODAY, tick=False)
def test_it_accepts_a_person_under_the_ordinary_procedure_and_keys_the_subject_by_id(
    client: Any, market_bureau: ProviderPersona
) -> None:
    result = market_bureau.post(client, [person_penalty()]).json()["results"][0]

    assert result["status"] == "created"
    subject = CreditRecord.objects.get().subject
    assert subject.code == PERSON_ID
    assert subject.public_code == PERSON_ID[:6] + "********" + PERSON_ID[-4:]


@time_machine.travel(TODAY, tick=False)
def test_todays_decision_is_not_in_the_future(client: Any, market_bureau: ProviderPersona) -> None:
    result = market_bureau.post(client, [penalty(处罚决定日期="2026年11月22日")]).json()["results"][0]

    assert result["status"] == "created"
    assert str(CreditRecord.objects.get().decision_date) == "2026-11-22"


@time_machine.travel(TODAY, tick=False)
def test_field_codes_and_chinese_names_are_the_same_record(
    client: Any, market_bureau: ProviderPersona
) -> None:
    by_name = penalty()
    by_code = {
        "cf_xdr_mc": by_name["行政相对人名称"],
        "cf_xdr_lb": by_name["行政相对人类别"],
        "cf_xdr_shxym": COMPANY_USCC,
        "cf_frdb": by_name["法定代表人"],
        "cf_wsh": by_name["行政处罚决定书文号"],
        "cf_wfxw": by_name["违法行为类型"],
        "cf_sy": by_name["违法事实"],
        "cf_yj": by_name["处罚依据"],
        "cf_cflb": "警告；罚款",
        "cf_nr": by_name["处罚内容"],
        "cf_nr_fk": "2.0",
        "cf_jdrq": "2026/11/2",
        "cf_yxq": "2027-11-02",
        "cf_cfjg": by_name["处罚机关"],
        "cf_cfjgdm": by_name["处罚机关统一社会信用代码"],
        "cf_sjly": by_name["数据来源单位"],
        "cf_sjlydm": by_name["数据来源单位统一社会信用代码"],
    }

    first = market_bureau.post(client, [by_name]).json()["results"][0]
    second = market_bureau.post(client, [by_code]).json()["results"][0]

    assert (first["status"], second["status"]) == ("created", "unchanged")
    assert second["record_id"] == first["record_id"]


def test_every_row_rejection_code_is_covered_here() -> None:
    row_codes = {
        e.code
        for e in vars(collection_errors).values()
        if hasattr(e, "code") and e.code.split(".")[0] in {"field", "code", "subject", "penalty"}
    }
    assert row_codes == {c[2] for c in CASES}
