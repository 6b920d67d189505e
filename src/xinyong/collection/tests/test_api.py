"""POST /api/v1/records: authentication, call-level refusals, versions and idempotent resubmission."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from xinyong.catalog.models import Domain, ProviderGrant
from xinyong.catalog.services import rotate_key
from xinyong.conftest import ProviderPersona, penalty
from xinyong.records.models import CreditRecord, RecordVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


def test_it_refuses_a_call_without_a_key(client: Any) -> None:
    response = client.post(
        "/api/v1/records", {"kind": "penalty", "records": []}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


def test_it_refuses_an_unknown_key(client: Any, market_bureau: ProviderPersona) -> None:
    stranger = ProviderPersona(market_bureau.provider, market_bureau.key[:-4] + "AAAA")

    response = stranger.post(client, [penalty()])

    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_key"


def test_a_rotated_key_stops_working_and_the_new_one_works(
    client: Any, market_bureau: ProviderPersona
) -> None:
    new_key = rotate_key(market_bureau.provider)

    assert market_bureau.post(client, [penalty()]).json()["code"] == "auth.invalid_key"
    assert ProviderPersona(market_bureau.provider, new_key).post(client, [penalty()]).status_code == 200


def test_a_deactivated_provider_cannot_submit(client: Any, market_bureau: ProviderPersona) -> None:
    market_bureau.provider.active = False
    market_bureau.provider.save()

    assert market_bureau.post(client, [penalty()]).status_code == 401


@override_settings(XINYONG_MAX_RECORDS_PER_CALL=3)
def test_it_refuses_more_records_than_the_limit_and_stores_nothing(
    client: Any, market_bureau: ProviderPersona
) -> None:
    response = market_bureau.post(client, [penalty()] * 4)

    assert response.status_code == 413
    assert response.json() == {
        "code": "intake.too_many_records",
        "field": "records",
        "row": None,
        "message": "每次最多提交 3 条记录，本次 4 条。",
    }
    assert CreditRecord.objects.count() == 0


def test_it_refuses_an_empty_call(client: Any, market_bureau: ProviderPersona) -> None:
    response = market_bureau.post(client, [])

    assert (response.status_code, response.json()["code"]) == (400, "intake.empty")


def test_it_refuses_an_unknown_kind(client: Any, market_bureau: ProviderPersona) -> None:
    response = market_bureau.post(client, [penalty()], kind="parking_ticket")

    assert (response.status_code, response.json()["code"]) == (400, "intake.kind_unknown")


def test_it_refuses_a_kind_the_provider_may_not_report(client: Any, tax_bureau: ProviderPersona) -> None:
    response = tax_bureau.post(client, [penalty()])

    assert (response.status_code, response.json()["code"]) == (403, "intake.kind_not_granted")
    assert "行政处罚" in response.json()["message"]


def test_a_malformed_body_is_a_400_with_a_code(client: Any, market_bureau: ProviderPersona) -> None:
    response = client.post(
        "/api/v1/records",
        json.dumps({"kind": "penalty", "records": "nope"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {market_bureau.key}"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"
    assert response.json()["field"] == "records"


def test_a_provider_in_several_domains_must_name_the_domain(
    client: Any, market_bureau: ProviderPersona
) -> None:
    ProviderGrant.objects.create(
        provider=market_bureau.provider, domain=Domain.objects.get(number=32), kind_code="penalty"
    )

    results = market_bureau.post(
        client,
        [
            penalty(),
            penalty(行政处罚决定书文号="厦市监罚〔2026〕102号", 领域="32"),
            penalty(行政处罚决定书文号="厦市监罚〔2026〕103号", 领域="税务领域"),
        ],
    ).json()["results"]

    assert [r["status"] for r in results] == ["rejected", "created", "rejected"]
    assert results[0]["errors"][0]["code"] == "domain.required"
    assert "32 药品监管领域" in results[0]["errors"][0]["message"]
    assert results[2]["errors"][0]["code"] == "domain.not_granted"
    assert CreditRecord.objects.get().domain.number == 32


def test_resubmitting_an_identical_record_adds_nothing(client: Any, market_bureau: ProviderPersona) -> None:
    first = market_bureau.post(client, [penalty()]).json()["results"][0]
    again = market_bureau.post(client, [penalty(处罚类别="罚款；警告")]).json()["results"][0]

    assert first["status"] == "created"
    assert again == {**first, "status": "unchanged"}
    assert RecordVersion.objects.count() == 1


def test_a_changed_record_gets_a_new_version_and_keeps_the_old_one(
    client: Any, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(client, [penalty()])

    result = market_bureau.post(
        client, [penalty(处罚内容="警告，罚款人民币3万元", **{"罚款金额(万元)": "3"})]
    ).json()

    assert result["results"][0]["status"] == "versioned"
    assert result["results"][0]["version"] == 2
    versions = list(RecordVersion.objects.order_by("version"))
    assert [v.data["cf_nr_fk"] for v in versions] == ["2", "3"]
    assert versions[0].batch_id != versions[1].batch_id
    assert ["罚款金额(万元)", "3"] in versions[1].raw_pairs
    assert CreditRecord.objects.get().latest_version == 2


def test_the_same_record_twice_in_one_call_is_one_record(client: Any, market_bureau: ProviderPersona) -> None:
    results = market_bureau.post(client, [penalty(), penalty(), penalty(违法事实="更正后的违法事实")]).json()[
        "results"
    ]

    assert [(r["status"], r["version"]) for r in results] == [
        ("created", 1),
        ("unchanged", 1),
        ("versioned", 2),
    ]
    assert CreditRecord.objects.count() == 1


def test_a_version_keeps_its_provenance(client: Any, market_bureau: ProviderPersona) -> None:
    batch_id = market_bureau.post(client, [penalty()]).json()["batch"]["id"]

    version = RecordVersion.objects.get()
    assert version.batch_id == batch_id
    assert version.batch.provider == market_bureau.provider
    assert len(version.content_hash) == 64
    assert version.raw_pairs[:2] == [
        ["行政相对人名称", "厦门鹭江贸易有限公司"],
        ["行政相对人类别", "法人及非法人组织"],
    ]
    assert version.data["cf_wsh"] == "厦市监罚〔2026〕101号"
    assert version.received_at.isoformat() == "2026-11-22T02:00:00+00:00"


def test_a_code_failing_its_check_is_held_not_dropped(client: Any, market_bureau: ProviderPersona) -> None:
    good = penalty()["统一社会信用代码"]
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")

    result = market_bureau.post(client, [penalty(统一社会信用代码=wrong)]).json()["results"][0]

    assert (result["status"], result["held"]) == ("created", "code_conflict")
    queue = client.get(
        "/api/v1/code-conflicts", headers={"Authorization": f"Bearer {market_bureau.key}"}
    ).json()
    assert [(q["subject_code"], q["problem"]) for q in queue] == [(wrong, "校验码错误")]


def test_correcting_the_code_releases_the_hold(client: Any, market_bureau: ProviderPersona) -> None:
    good = penalty()["统一社会信用代码"]
    market_bureau.post(client, [penalty(统一社会信用代码=good[:-1] + ("0" if good[-1] != "0" else "1"))])

    result = market_bureau.post(client, [penalty()]).json()["results"][0]

    assert (result["status"], result["held"]) == ("versioned", None)
    record = CreditRecord.objects.get()
    assert (record.hold, record.subject_code) == ("", good)


def test_a_provider_sees_only_its_own_batches_and_held_records(
    client: Any, market_bureau: ProviderPersona, tax_bureau: ProviderPersona
) -> None:
    batch_id = market_bureau.post(client, [penalty()]).json()["batch"]["id"]
    as_tax = {"Authorization": f"Bearer {tax_bureau.key}"}

    assert client.get(f"/api/v1/batches/{batch_id}", headers=as_tax).status_code == 404
    assert client.get(f"/api/v1/batches/{batch_id}/rejections.csv", headers=as_tax).status_code == 404
    assert client.get("/api/v1/code-conflicts", headers=as_tax).json() == []


def test_the_openapi_document_describes_the_intake(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/records" in spec["paths"]
