"""Issuing special credit reports: who gets which edition, the period, the snapshot, same-day reuse."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.test import Client

from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Domain
from xinyong.conftest import (
    COMPANY_USCC,
    OTHER_COMPANY_USCC,
    PERSON_ID,
    ProviderPersona,
    penalty,
    person_penalty,
)
from xinyong.core.clock import CHINA
from xinyong.core.errors import PlatformError
from xinyong.core.testing import travel_to
from xinyong.reports import services
from xinyong.reports.models import Report
from xinyong.reports.storage import get_storage
from xinyong.reports.tests.conftest import NOW
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db


def _request(user: User, code: str = COMPANY_USCC, **kw: object) -> Report:
    return services.request_report(
        services.Requester(user, user.username), code, edition=str(kw.get("edition", "special")),
        years=int(kw.get("years", 3)),  # type: ignore[call-overload]
    )  # fmt: skip


def _text(report: Report) -> str:
    pdf = get_storage().open(report.pdf_name)
    out = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    # Table cells wrap: compare without the line breaks and spaces the layout adds.
    return "".join(out.stdout.decode().split())


def test_it_issues_a_special_report_at_once_to_the_verified_subject(
    penalised: ProviderPersona, company: User
) -> None:
    report = _request(company)
    assert report.state == Report.State.ISSUED
    assert report.period_to == dt.date(2026, 11, 19)  # 7 working days before Monday 2026-11-30
    assert report.period_from == dt.date(2023, 11, 19)
    assert report.items.get().state == "公示中"
    text = _text(report)
    assert report.number in text and report.verification_code in text
    assert "厦市监罚〔2026〕101号" in text and "虚假宣传" in text
    assert AuditEntry.objects.filter(action="reports.issue", object_id=report.number).count() == 1


def test_every_covered_domain_has_its_heading_in_the_pdf(penalised: ProviderPersona, company: User) -> None:
    text = _text(_request(company))
    domains = Domain.objects.filter(in_special_report=True)
    assert domains.count() == 37
    for domain in domains:
        assert "".join(domain.name.split()) in text, domain.name
    assert "未发现违法违规记录" in text
    assert "本报告覆盖37个领域：1个领域发现记录（共1条）" in text
    assert "2020年8月1日" in text


def test_the_period_never_starts_before_the_data_start(market_bureau: ProviderPersona, company: User) -> None:
    with travel_to(dt.datetime(2024, 3, 4, 10, tzinfo=CHINA)):
        market_bureau.post(Client(), [penalty(处罚决定日期="2024-02-01", 处罚有效期="2025-02-01")])
        report = _request(company, years=5)
    assert report.period_from == dt.date(2020, 8, 1)
    assert report.data_start == dt.date(2020, 8, 1)


@pytest.mark.parametrize("years", [1, 4, 10])
def test_it_refuses_other_periods(penalised: ProviderPersona, company: User, years: int) -> None:
    with pytest.raises(PlatformError) as refused:
        _request(company, years=years)
    assert refused.value.error.code == "report.invalid_years"
    assert not Report.objects.exists()


def test_the_same_request_on_the_same_day_returns_the_same_report(
    penalised: ProviderPersona, company: User
) -> None:
    first = _request(company)
    assert _request(company).pk == first.pk
    assert _request(company, years=5).pk != first.pk
    with travel_to(NOW + dt.timedelta(days=1)):
        assert _request(company).pk != first.pk


def test_a_data_change_gives_a_new_report_the_same_day(penalised: ProviderPersona, company: User) -> None:
    first = _request(company)
    response = penalised.post(Client(), [penalty(处罚内容="警告，罚款人民币3万元")])
    assert response.status_code == 200
    second = _request(company)
    assert second.pk != first.pk
    assert second.items.get().version == 2


def test_nobody_else_gets_a_report_without_a_basis(penalised: ProviderPersona, company: User) -> None:
    other = User.objects.create_user(
        "other", kind=User.Kind.SUBJECT, subject_code=OTHER_COMPANY_USCC, verified_at=NOW
    )
    with pytest.raises(PlatformError) as refused:
        _request(other)
    assert refused.value.error.code == "query.no_basis"
    assert not Report.objects.exists()


def test_the_financial_edition_is_only_for_listed_companies(
    penalised: ProviderPersona, company: User
) -> None:
    with pytest.raises(PlatformError) as refused:
        _request(company, edition="financial")
    assert refused.value.error.code == "report.not_on_financial_list"


def test_a_unit_gets_the_full_report_for_a_stated_legal_purpose(penalised: ProviderPersona) -> None:
    unit = Unit.objects.create(
        code=complete_uscc("1135020000987654"),
        name="厦门市发展和改革委员会",
        purposes=["licensing_inspection_penalty"],
    )
    officer = User.objects.create_user("fgw-officer", kind=User.Kind.UNIT, unit=unit)
    requester = services.Requester(officer, officer.username)
    with pytest.raises(PlatformError) as refused:
        services.request_report(requester, COMPANY_USCC, edition="full", years=3)
    assert refused.value.error.code == "query.purpose_required"
    report = services.request_report(
        requester, COMPANY_USCC, edition="full", years=3, purpose="licensing_inspection_penalty"
    )
    assert (report.basis, report.audience) == ("purpose", "government")
    assert "licensing_inspection_penalty" in report.purpose
    entry = AuditEntry.objects.get(action="reports.request", object_id=report.number)
    assert entry.purpose == report.purpose and entry.subject_code == COMPANY_USCC


def test_a_persons_report_masks_the_id_number(market_bureau: ProviderPersona, at_now: None) -> None:
    assert market_bureau.post(Client(), [person_penalty()]).status_code == 200
    person = User.objects.create_user(
        "linxh", kind=User.Kind.SUBJECT, subject_code=PERSON_ID, verified_at=NOW
    )
    report = services.request_report(
        services.Requester(person, "linxh"), PERSON_ID, edition="special", years=3
    )
    text = _text(report)
    assert report.subject_code_shown != PERSON_ID and report.subject_code_shown in text
    assert PERSON_ID not in text


def test_reports_are_drawn_with_reportlabs_c_accelerator() -> None:
    # Without the rl_accel package ReportLab silently falls back to pure Python and a report takes
    # ~70% longer to render (bench/report.py); the dependency must not go missing unnoticed.
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str.__module__ == "_rl_accel"


def test_it_states_the_data_cut_off_on_the_pdf_and_the_page(
    penalised: ProviderPersona, company: User
) -> None:
    report = _request(company)
    # Monday 2026-11-30: seven working days back is Thursday 2026-11-19.
    statement = "本报告数据截止日为2026年11月19日（申请日2026年11月30日前7个工作日）"
    assert statement in _text(report)
    assert "申请日前7个工作日内归集的信息尚未纳入本报告" in _text(report)
    client = Client()
    client.force_login(company)
    page = client.get(f"/reports/{report.number}/").content.decode()
    assert (
        statement in page
        and "作出决定后7个工作日内报送，申请日前7个工作日内归集的信息尚未纳入本报告。" in page
    )


def test_a_report_of_an_older_template_version_keeps_its_words(
    penalised: ProviderPersona, company: User
) -> None:
    report = _request(company)
    Report.objects.filter(pk=report.pk).update(template_version="2026.2")
    report.refresh_from_db()
    services.reissue(report, actor=services.Requester(None, "test").actor)
    report.refresh_from_db()
    assert "尚未纳入本报告" not in _text(report)
    assert "2026.2" in _text(report)
