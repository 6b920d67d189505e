"""Each transition of a commitment, the dishonesty record a breach creates, and who may act."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from xinyong.accounts.models import Notification, User
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Provider, ProviderGrant
from xinyong.commitments import services
from xinyong.commitments.models import Commitment
from xinyong.commitments.tests.conftest import UNIT_USCC, commitment_fields
from xinyong.conftest import COMPANY_USCC, OTHER_COMPANY_USCC, PERSON_ID, ProviderPersona
from xinyong.core.errors import PlatformError
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.subjects.codes import complete_resident_id
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_it_records_a_commitment_as_a_credit_record_through_intake(
    company: User, commitment: Commitment
) -> None:
    assert commitment.state == Commitment.State.PENDING
    assert commitment.number == f"CN{commitment.made_on:%Y%m%d}-{commitment.pk:04d}"
    assert commitment.type_name == "审批替代型-告知承诺"
    assert commitment.types_rule == "commitments.types@1"
    # The unit submits as itself: 数据来源单位 is the unit that accepted the commitment.
    assert commitment.intake_provider.code == UNIT_USCC
    assert set(
        ProviderGrant.objects.filter(provider=commitment.intake_provider).values_list("kind_code", flat=True)
    ) == {
        "commitment",
        "commitment_breach",
    }
    assert commitment.record_id is not None
    record = CreditRecord.objects.get(pk=commitment.record_id)
    assert (record.kind_code, record.key, record.subject_code) == (
        "commitment",
        commitment.number,
        COMPANY_USCC,
    )
    assert [e.action for e in commitment.events.all()] == ["record_commitment"]
    entry = AuditEntry.objects.get(action="commitments.record", subject_code=COMPANY_USCC)
    # The unit's basis for recording about this subject (S2): who it acts as, in which duty domain.
    assert json.loads(entry.detail)["basis"] == {
        "party": UNIT_USCC, "party_name": "厦门市发展和改革委员会", "domain": commitment.domain.code,
        "subject_name": "厦门鹭江贸易有限公司", "matter": "粮食收购资格认定",
    }  # fmt: skip
    assert Notification.objects.filter(user=company, title__contains="信用承诺已记录").exists()


def test_it_records_fulfilment_as_a_new_version_of_the_commitment_record(
    commitment: Commitment, officer: User
) -> None:
    c = services.record_fulfilment(commitment, actor=officer, note="已补交仓储设施证明")
    assert (c.state, c.closed_on) == (Commitment.State.FULFILLED, dt.date(2026, 11, 22))
    latest = RecordVersion.objects.filter(record_id=c.record_id).order_by("-version").first()
    assert latest is not None and latest.version == 2
    assert latest.data["xycn_jnqk"].startswith("已践诺")
    assert not CreditRecord.objects.filter(kind_code="commitment_breach").exists()
    with pytest.raises(PlatformError) as again:
        services.record_fulfilment(c, actor=officer)
    assert (again.value.error.code, again.value.error.status) == ("workflow.transition_not_allowed", 409)


def test_a_breach_creates_exactly_one_dishonesty_record_and_a_second_is_refused(
    company: User, commitment: Commitment, officer: User
) -> None:
    c = services.record_breach(
        commitment,
        actor=officer,
        outcome="broken",
        reasons="逾期未补交仓储设施证明",
        document_no="厦发改认〔2026〕8号",
    )
    assert c.state == Commitment.State.BROKEN
    breach = CreditRecord.objects.get(kind_code="commitment_breach")
    assert c.breach_record_id == breach.pk
    assert (breach.subject_code, breach.key, breach.decision_date) == (
        COMPANY_USCC,
        "厦发改认〔2026〕8号",
        dt.date(2026, 11, 22),
    )
    # 一般 severity; the Xiamen period for general dishonesty: 12 months, the last day published included.
    assert (breach.severity, breach.publish_until) == ("general", dt.date(2027, 11, 21))
    assert breach.publication_rule == "publication.xiamen_dishonesty@1"
    assert c.breach_rule == "commitments.breach_record@1"
    with pytest.raises(PlatformError) as again:
        services.record_breach(
            c, actor=officer, outcome="broken", reasons="重复", document_no="厦发改认〔2026〕9号"
        )
    assert again.value.error.status == 409
    with pytest.raises(PlatformError) as false_too:
        services.record_breach(
            c, actor=officer, outcome="false", reasons="重复", document_no="厦发改认〔2026〕9号"
        )
    assert false_too.value.error.status == 409
    assert CreditRecord.objects.filter(kind_code="commitment_breach").count() == 1
    assert Notification.objects.filter(user=company, title__contains="未践诺").exists()
    assert [e.action for e in c.events.all()] == ["record_commitment", "record_broken"]


def test_a_fulfilled_commitment_found_false_later_is_a_false_commitment(
    commitment: Commitment, officer: User
) -> None:
    services.record_fulfilment(commitment, actor=officer)
    c = services.record_breach(
        commitment,
        actor=officer,
        outcome="false",
        reasons="核查发现仓储设施证明系伪造",
        document_no="厦发改认〔2026〕10号",
    )
    assert c.state == Commitment.State.FALSE
    version = RecordVersion.objects.get(record_id=c.breach_record_id)
    assert version.data["wfcn_wnqx"].startswith("虚假承诺")
    assert version.data["wfcn_cnbh"] == c.number


def test_it_refuses_a_document_number_already_used_for_another_breach(officer: User) -> None:
    first = services.record_commitment(actor=officer, **commitment_fields())
    second = services.record_commitment(actor=officer, **commitment_fields(matter="另一事项"))
    services.record_breach(
        first, actor=officer, outcome="broken", reasons="未补交", document_no="厦发改认〔2026〕8号"
    )
    with pytest.raises(PlatformError) as used:
        services.record_breach(
            second, actor=officer, outcome="broken", reasons="未补交", document_no="厦发改认〔2026〕8号"
        )
    assert used.value.error.code == "commitments.document_number_used"
    second.refresh_from_db()
    assert second.state == Commitment.State.PENDING


def test_two_breaches_given_one_document_number_at_once_the_constraint_refuses_the_second(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: the other breach commits between this one's check and its write, so the check sees
    nothing; the unique constraint refuses it with the same 409, and nothing of it is kept."""
    first = services.record_commitment(actor=officer, **commitment_fields())
    second = services.record_commitment(actor=officer, **commitment_fields(matter="另一事项"))
    services.record_breach(
        first, actor=officer, outcome="broken", reasons="未补交", document_no="厦发改认〔2026〕9号"
    )
    monkeypatch.setattr(services, "_document_number_used", lambda provider, number: False)
    records = CreditRecord.objects.count()
    with pytest.raises(PlatformError) as used:
        services.record_breach(
            second, actor=officer, outcome="false", reasons="伪造", document_no="厦发改认〔2026〕9号"
        )
    assert (used.value.error.code, used.value.error.status, used.value.field) == (
        "commitments.document_number_used", 409, "document_no",
    )  # fmt: skip
    second.refresh_from_db()
    assert (second.state, second.breach_document_no, second.breach_record_id) == (
        Commitment.State.PENDING,
        "",
        None,
    )
    assert CreditRecord.objects.count() == records


def test_a_provider_records_commitments_as_itself(market_bureau: ProviderPersona) -> None:
    clerk = User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    c = services.record_commitment(actor=clerk, **commitment_fields())
    assert (c.provider, c.intake_provider, c.unit) == (market_bureau.provider, market_bureau.provider, None)
    assert c.domain.number == 25
    assert Provider.objects.count() == 1  # no stand-in provider


def test_a_person_can_make_a_commitment(officer: User) -> None:
    c = services.record_commitment(
        actor=officer,
        **commitment_fields(
            subject_code=PERSON_ID, subject_name="林小华", subject_kind="person", legal_representative=""
        ),
    )
    assert c.record_id is not None
    assert CreditRecord.objects.get(pk=c.record_id).subject_code == PERSON_ID


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"deadline": None}, "commitments.deadline_required"),  # 告知承诺 needs one
        ({"deadline": dt.date(2026, 11, 1)}, "commitments.date_invalid"),  # before the commitment
        ({"made_on": dt.date(2026, 11, 23)}, "commitments.date_invalid"),  # in the future
        ({"type": "approval_substitute"}, "commitments.type_unknown"),  # a type with subtypes needs one
        ({"subject_code": "91350203784187741X"}, "commitments.subject_code_invalid"),
        ({"legal_representative": ""}, "commitments.legal_representative_required"),
        ({"content": " "}, "commitments.field_required"),
        ({"made_on": dt.date(2018, 12, 31), "deadline": dt.date(2019, 1, 31)}, "commitments.date_invalid"),
        ({"subject_code": OTHER_COMPANY_USCC}, "commitments.subject_unknown"),  # not registered
        ({"subject_name": "别的公司"}, "commitments.subject_mismatch"),
        (
            {
                "subject_code": complete_resident_id("35020319900101002"),
                "subject_name": "王五",
                "subject_kind": "person",
                "legal_representative": "",
            },
            "commitments.subject_unknown",
        ),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(
    officer: User, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(PlatformError) as refused:
        services.record_commitment(actor=officer, **commitment_fields(**changes))
    assert refused.value.error.code == code
    assert not Commitment.objects.exists()
    assert not CreditRecord.objects.exists()
    assert Subject.objects.count() == 2  # the registered ones; a commitment creates none


def test_an_optional_deadline_type_needs_none(officer: User) -> None:
    c = services.record_commitment(actor=officer, **commitment_fields(type="self_discipline", deadline=None))
    assert c.deadline is None and c.type_name == "行业自律型"


def test_a_subject_cannot_record_commitments(company: User) -> None:
    with pytest.raises(PlatformError) as refused:
        services.record_commitment(actor=company, **commitment_fields())
    assert (refused.value.error.code, refused.value.error.status) == ("commitments.not_allowed", 403)


def test_another_unit_cannot_touch_a_commitment_it_did_not_accept(
    commitment: Commitment, market_bureau: ProviderPersona
) -> None:
    clerk = User.objects.create_user("scjg", kind=User.Kind.PROVIDER, provider=market_bureau.provider)
    with pytest.raises(PlatformError) as refused:
        services.record_breach(commitment, actor=clerk, outcome="broken", reasons="x", document_no="y")
    assert refused.value.error.status == 404
    commitment.refresh_from_db()
    assert commitment.state == Commitment.State.PENDING
