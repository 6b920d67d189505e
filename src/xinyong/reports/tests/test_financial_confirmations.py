"""The financial edition as the Dongguan plan has it: the right departments are asked, each sees and
seals its own part by a deadline in working days, and a department that lets it pass is named."""

from __future__ import annotations

import datetime as dt
import subprocess
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.catalog.models import Domain, Provider
from xinyong.catalog.services import create_provider
from xinyong.conftest import COMPANY_USCC, ProviderPersona, penalty
from xinyong.core.clock import CHINA
from xinyong.core.errors import PlatformError
from xinyong.core.models import CalendarYear
from xinyong.core.testing import travel_to
from xinyong.reports import services
from xinyong.reports.models import Confirmation, FinancialListEntry, Report
from xinyong.reports.queries import Status, verify_file
from xinyong.reports.signing import check_pdf
from xinyong.reports.storage import get_storage
from xinyong.reports.tests.conftest import NOW
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db

#: Requested on Monday 2026-11-30 (day 0), five working days to answer: Monday 2026-12-07 included.
DUE = dt.date(2026, 12, 7)
CULTURE_KEY = "厦文旅罚〔2026〕7号"


def _at(day: dt.date, hour: int = 10) -> time_machine.travel:
    return travel_to(dt.datetime(day.year, day.month, day.day, hour, tzinfo=CHINA))


def _provider(code: str, name: str, domain: int) -> ProviderPersona:
    provider, key = create_provider(
        code=complete_uscc(code),
        name=name,
        domains=[Domain.objects.get(number=domain)],
        kind_codes=["penalty"],
    )
    return ProviderPersona(provider, key)


@pytest.fixture
def culture(penalised: ProviderPersona) -> ProviderPersona:
    """A culture and tourism bureau (domain 19, not bound to state "no record") with one penalty on the
    company in the period."""
    bureau = _provider("1135020000555001", "厦门市文化和旅游局", 19)
    with _at(NOW.date()):
        response = bureau.post(Client(), [penalty(行政处罚决定书文号=CULTURE_KEY, 处罚决定日期="2026-10-12",
                                                  处罚机关="厦门市文化和旅游局")])  # fmt: skip
    assert response.status_code == 200, response.content
    return bureau


@pytest.fixture
def idle_culture(penalised: ProviderPersona) -> ProviderPersona:
    """Another domain-19 department with nothing on the company in the period: its only penalty was
    decided on 2026-11-25, after the data cut-off (2026-11-19). It is not asked."""
    bureau = _provider("1135020000555002", "厦门市文化市场综合执法支队", 19)
    with _at(NOW.date()):
        late = penalty(
            行政处罚决定书文号="厦文执罚〔2026〕9号",
            处罚决定日期="2026-11-25",
            处罚机关="厦门市文化市场综合执法支队",
        )
        assert bureau.post(Client(), [late]).status_code == 200
    return bureau


@pytest.fixture
def listed(penalised: ProviderPersona) -> None:
    FinancialListEntry.objects.create(subject_code=COMPANY_USCC, name="厦门鹭江贸易有限公司", added_at=NOW)


def _request(company: User, day: dt.date | None = None) -> Report:
    with _at(day or NOW.date()):
        return services.request_report(
            services.Requester(company, company.username), COMPANY_USCC, edition="financial", years=3
        )


def _clerk(bureau: ProviderPersona) -> User:
    return User.objects.create_user(
        f"clerk-{bureau.provider.pk}", kind=User.Kind.PROVIDER, provider=bureau.provider
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _confirmation(report: Report, bureau: ProviderPersona) -> Confirmation:
    return Confirmation.objects.get(report=report, provider=bureau.provider)


def _answer(report: Report, bureau: ProviderPersona, day: dt.date, *, confirm: bool = True) -> Confirmation:
    with _at(day):
        return services.answer_confirmation(
            _confirmation(report, bureau),
            actor=_clerk(bureau),
            confirm=confirm,
            instructions="" if confirm else "x",
        )


def _pdf(report: Report) -> bytes:
    report.refresh_from_db()
    return get_storage().open(report.pdf_name)


def _text(pdf: bytes) -> str:
    out = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())


def _pdfsig(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def test_it_asks_departments_with_records_and_those_bound_to_state_no_record_only(
    listed: None, culture: ProviderPersona, idle_culture: ProviderPersona, tax_bureau: ProviderPersona,
    penalised: ProviderPersona, company: User,
) -> None:  # fmt: skip
    report = _request(company)
    asked = {c.provider.name: sorted(d.number for d in c.domains.all()) for c in report.confirmations.all()}
    # Market supervision holds a record (and is bound for 25); tax holds none but must state it (33);
    # the culture bureau holds a record in 19; the other domain-19 department holds none and is not bound.
    assert asked == {
        "厦门市市场监督管理局": [25],
        "国家税务总局厦门市税务局": [33],
        "厦门市文化和旅游局": [19],
    }
    assert {c.due_on for c in report.confirmations.all()} == {DUE}
    assert {c.deadline_rule for c in report.confirmations.all()} == {"report.financial_confirmation@1"}


def test_each_department_sees_only_its_own_part(
    listed: None, culture: ProviderPersona, tax_bureau: ProviderPersona, penalised: ProviderPersona,
    company: User,
) -> None:  # fmt: skip
    report = _request(company)
    market_page = _client(_clerk(penalised)).get(
        f"/reports/confirmations/{_confirmation(report, penalised).pk}/"
    )
    assert market_page.status_code == 200
    text = market_page.content.decode()
    assert "厦市监罚〔2026〕101号" in text and CULTURE_KEY not in text
    culture_page = _client(_clerk(culture)).get(
        f"/reports/confirmations/{_confirmation(report, culture).pk}/"
    )
    assert CULTURE_KEY in culture_page.content.decode()
    assert "厦市监罚〔2026〕101号" not in culture_page.content.decode()
    tax = _client(_clerk(tax_bureau))
    tax_page = tax.get(f"/reports/confirmations/{_confirmation(report, tax_bureau).pk}/").content.decode()
    assert 'id="part-no-record"' in tax_page and "厦市监罚" not in tax_page and CULTURE_KEY not in tax_page
    # Another department's part is not there for it at all.
    assert tax.get(f"/reports/confirmations/{_confirmation(report, penalised).pk}/").status_code == 404


def test_pdfsig_lists_every_confirming_department_and_the_platform_last(
    listed: None, culture: ProviderPersona, tax_bureau: ProviderPersona, penalised: ProviderPersona,
    company: User, tmp_path: Path,
) -> None:  # fmt: skip
    report = _request(company)
    _answer(report, penalised, dt.date(2026, 12, 1))
    _answer(report, tax_bureau, dt.date(2026, 12, 2))
    assert Report.objects.get(pk=report.pk).state == Report.State.AWAITING
    _answer(report, culture, dt.date(2026, 12, 3))
    report.refresh_from_db()
    assert report.state == Report.State.ISSUED
    pdf = _pdf(report)
    out = _pdfsig(pdf, tmp_path)
    signers = [
        line.split(":", 1)[1].strip() for line in out.splitlines() if "Signer Certificate Common Name" in line
    ]
    assert signers == [
        "厦门市市场监督管理局确认签章",
        "国家税务总局厦门市税务局确认签章",
        "厦门市文化和旅游局确认签章",
        "xinyong 公共信用信息平台 报告签章 (development)",
    ]
    assert out.count("Signature is Valid") == 4
    assert check_pdf(pdf).trusted
    assert verify_file(pdf).status == Status.AUTHENTIC
    text = _text(pdf)
    assert (
        "本领域内容已经国家税务总局厦门市税务局确认" in text
        and "本领域内容已经厦门市市场监督管理局确认" in text
    )
    # A reissue seals again with the same departments' keys, and the new file verifies too.
    services.reissue(report, actor=services.Requester(None, "test").actor)
    again = _pdf(report)
    assert again != pdf and _pdfsig(again, tmp_path).count("Signature is Valid") == 4
    assert verify_file(again).status == Status.AUTHENTIC


def test_a_seal_of_a_department_cannot_pass_for_the_platforms_signature(
    listed: None, penalised: ProviderPersona, company: User
) -> None:
    from xinyong.reports.signing import SignatureKind, department_signer, get_signer

    report = _request(company)
    _answer(report, penalised, dt.date(2026, 12, 1))
    pdf = _pdf(report)
    forged = department_signer(penalised.provider.code, penalised.provider.name).sign(
        pdf, reason="x", location="x", field="Forged", kind=SignatureKind.DEPARTMENT
    )
    assert not check_pdf(forged).trusted
    # Nor may anything be signed after the platform's closing signature, even by the platform.
    again = get_signer().sign(pdf, reason="x", location="x", field="Again", kind=SignatureKind.DEPARTMENT)
    assert not check_pdf(again).trusted


@pytest.mark.parametrize(
    ("day", "accepted"),
    [(dt.date(2026, 12, 4), True), (DUE, True), (dt.date(2026, 12, 8), False)],
    ids=["the working day before", "on the last day", "the day after"],
)
def test_a_department_answers_up_to_and_including_its_deadline(
    listed: None, penalised: ProviderPersona, company: User, day: dt.date, accepted: bool
) -> None:
    report = _request(company)
    if accepted:
        assert _answer(report, penalised, day).state == Confirmation.State.CONFIRMED
        return
    with pytest.raises(PlatformError) as refused:
        _answer(report, penalised, day)
    assert refused.value.error.code == "report.confirmation_overdue"
    assert _confirmation(report, penalised).state == Confirmation.State.PENDING


def test_the_deadline_counts_working_days_across_a_holiday(
    listed: None, penalised: ProviderPersona, company: User
) -> None:
    """GIVEN a request on Tuesday 2026-09-29, before the National Day holiday (10-01..07 off, Saturday
    10-10 a make-up working day) THEN the five working days end on Monday 2026-10-12."""
    report = _request(company, dt.date(2026, 9, 29))
    assert _confirmation(report, penalised).due_on == dt.date(2026, 10, 12)
    with _at(dt.date(2026, 10, 12)):
        assert services.flag_overdue_confirmations() == 0
    with _at(dt.date(2026, 10, 13)):
        assert services.flag_overdue_confirmations() == 1
    assert _confirmation(report, penalised).state == Confirmation.State.OVERDUE


def test_an_overdue_department_is_named_in_its_section_and_the_report_issues(
    listed: None, tax_bureau: ProviderPersona, penalised: ProviderPersona, company: User, tmp_path: Path
) -> None:
    report = _request(company)
    _answer(report, penalised, dt.date(2026, 12, 2))
    with _at(DUE, 23):
        assert call_command("report", "overdue", stdout=StringIO()) is None
    assert Report.objects.get(pk=report.pk).state == Report.State.AWAITING
    with _at(dt.date(2026, 12, 8), 0):
        out = StringIO()
        call_command("report", "overdue", stdout=out)
        assert "1 个" in out.getvalue()
        assert services.flag_overdue_confirmations() == 0  # a second run changes nothing
    report.refresh_from_db()
    assert report.state == Report.State.ISSUED
    assert _confirmation(report, tax_bureau).state == Confirmation.State.OVERDUE
    assert AuditEntry.objects.filter(action="reports.confirmation_overdue").count() == 1
    pdf = _pdf(report)
    text = _text(pdf)
    assert "33.税务领域逾期未确认，请到本单位办理：国家税务总局厦门市税务局（确认期限2026-12-07）" in text
    signers = _pdfsig(pdf, tmp_path).count("Signer Certificate Common Name")
    assert signers == 2  # market supervision's seal and the platform's; no seal for the silent department


def test_the_report_page_issues_an_overdue_report_even_if_the_job_did_not_run(
    listed: None, tax_bureau: ProviderPersona, penalised: ProviderPersona, company: User
) -> None:
    report = _request(company)
    _answer(report, penalised, dt.date(2026, 12, 2))
    with _at(DUE):
        page = _client(company).get(f"/reports/{report.number}/").content.decode()
        assert Report.objects.get(pk=report.pk).state == Report.State.AWAITING and "逾期" not in page
    with _at(dt.date(2026, 12, 8)):
        page = _client(company).get(f"/reports/{report.number}/").content.decode()
        assert "逾期未确认，请到本单位办理" in page
        assert _client(company).get(f"/reports/{report.number}/pdf").status_code == 200
    assert Report.objects.get(pk=report.pk).state == Report.State.ISSUED


def test_a_missing_holiday_calendar_refuses_the_request_and_writes_nothing(
    listed: None, penalised: ProviderPersona, company: User
) -> None:
    # Requested on 2026-12-28: the five working days run into 2027, which has no holiday notice.
    CalendarYear.objects.filter(year=2027).delete()
    with pytest.raises(PlatformError) as refused:
        _request(company, dt.date(2026, 12, 28))
    assert refused.value.error.code == "calendar.missing"
    assert not Report.objects.exists() and not Confirmation.objects.exists()


def test_a_company_without_records_or_bound_departments_gets_its_report_at_once(
    listed: None, company: User
) -> None:
    # Only the market supervision bureau reports here (bound for 25): unbind it and nobody is asked.
    Provider.objects.update(active=False)
    report = _request(company)
    assert report.state == Report.State.ISSUED and not report.confirmations.exists()
