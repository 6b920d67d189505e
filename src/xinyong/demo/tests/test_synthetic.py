"""The synthetic demo city: valid, unique codes; rows the real intake accepts; a small demo build."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.collection import readers
from xinyong.collection.models import Batch, Rejection
from xinyong.collection.validation import IntakeContext, ValidRow, validate_row
from xinyong.core import clock
from xinyong.demo import synthetic
from xinyong.demo.management.commands.demo import (
    DEFAULTER_LISTED,
    SHOWCASE_NAMES,
    build_demo,
    demo_built,
    ensure_users,
)
from xinyong.demo.synthetic import (
    DEPARTMENTS,
    HEADERS,
    KINDS,
    PERSON,
    SubjectFactory,
    penalty_rows,
    registration_check_digit,
    write_csv,
)
from xinyong.disclosure.queries import public_subject
from xinyong.records.models import CreditRecord
from xinyong.subjects.codes import NO_USCC_PLACEHOLDER, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject
from xinyong.supervision.models import SocialCreditWarning

TODAY = dt.date(2026, 11, 20)


def intake_context(kind_code: str, domain: int) -> IntakeContext:
    """The context the pipeline builds for a department reporting ``kind_code`` in its own domain."""
    authority = DEPARTMENTS[domain]
    provider = Provider(code=authority.uscc, name=authority.name, active=True)
    kind = RecordKind.objects.get(code=kind_code)
    return IntakeContext.build(provider, kind, [Domain.objects.get(number=domain)], clock.today())


def refusals(ctx: IntakeContext, rows: list[dict[str, str]]) -> list[Any]:
    results = [validate_row(ctx, row) for row in rows]
    return [
        (row, result) for row, result in zip(rows, results, strict=True) if not isinstance(result, ValidRow)
    ]


def test_it_makes_valid_codes_unique_within_a_run() -> None:
    factory = SubjectFactory(random.Random(5))
    subjects = [factory.mixed() for _ in range(20_000)]
    subjects += [factory.individual_business(without_uscc=True) for _ in range(200)]
    subjects += [factory.non_market_organisation() for _ in range(500)]
    codes = [s.code for s in subjects]
    values = [dict(s.fields) for s in subjects]
    usccs = [
        v["统一社会信用代码"]
        for v in values
        if v.get("统一社会信用代码", NO_USCC_PLACEHOLDER) != NO_USCC_PLACEHOLDER
    ]
    ids = [v["证件号码"] for v in values if "证件号码" in v] + [
        v["法定代表人证件号码"] for v in values if "法定代表人证件号码" in v
    ]
    registrations = [v["工商注册号"] for v in values if "工商注册号" in v]
    departments = [a.uscc for a in DEPARTMENTS.values()]

    assert all(uscc_problem(code) is None for code in usccs + departments)
    assert all(resident_id_problem(code) is None for code in ids)
    assert all(len(r) == 15 and registration_check_digit(r[:14]) == r[14] for r in registrations)
    # Persons' codes are their IDs; every other code and ID appears once in the run.
    everything = set(usccs) | set(ids) | set(registrations) | set(departments)
    assert len(everything) == len(usccs) + len(ids) + len(registrations) + len(departments)
    assert len(set(codes)) == len(codes)
    assert {c[:2] for c in usccs} >= {"91", "92", "12", "51", "52"}
    assert {c[2:8] for c in usccs} <= set(synthetic.DIVISIONS)
    assert {i[:6] for i in ids} <= set(synthetic.RESIDENT_AREAS)
    assert all("1950" <= i[6:10] <= "2004" for i in ids)


def test_the_same_seed_makes_the_same_rows() -> None:
    first = list(penalty_rows(200, seed=7, today=TODAY))
    assert first == list(penalty_rows(200, seed=7, today=TODAY))
    assert first != list(penalty_rows(200, seed=8, today=TODAY))


def test_penalty_rows_have_unique_decision_numbers_and_dates_in_range() -> None:
    rows = list(penalty_rows(5_000, seed=3, today=TODAY))
    assert len({r["行政处罚决定书文号"] for r in rows}) == len(rows)
    assert all("2020-08-01" <= r["处罚决定日期"] <= TODAY.isoformat() for r in rows)
    assert all(r["处罚有效期"] > r["处罚决定日期"] for r in rows)
    categories = [r["行政相对人类别"] for r in rows]
    assert (
        categories.count("法人及非法人组织") > categories.count("个体工商户") > categories.count(PERSON) > 0
    )
    assert all(r["程序类型"] == "普通程序" for r in rows if r["行政相对人类别"] == PERSON)


def test_csv_files_carry_chinese_headers_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "penalties.csv"
    rows = list(penalty_rows(50, seed=2, today=TODAY))
    assert write_csv(path, rows) == 50
    assert path.read_bytes().startswith("\ufeff行政相对人名称,".encode())
    read = [row for _, row in readers.read_rows(path, "csv")]
    assert read == rows


@pytest.mark.django_db
def test_the_headers_are_the_catalogue_field_names() -> None:
    for kind in RecordKind.objects.filter(code__in=KINDS):
        names = {f["code"]: f["name"] for f in kind.schema}
        assert HEADERS[kind.code] == tuple(names.values()), kind.code
        assert synthetic.KEY_HEADER[kind.code] == names[kind.key_field]
        assert synthetic.DATE_HEADER[kind.code] == names[kind.decision_date_field]
    # Red lists and registrations are sent by the joint-measures part of the demo (demo.measures), not the city.
    assert set(RecordKind.objects.values_list("code", flat=True)) == {*KINDS, "red_list", "registration"}


@pytest.mark.django_db
def test_penalty_rows_pass_the_intake_without_a_rejection() -> None:
    rows = list(penalty_rows(3_000, seed=11))
    assert refusals(intake_context("penalty", 25), rows) == []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_passes_the_intake_from_several_departments(kind: str) -> None:
    for domain in (25, 1, 33, 11, 20):
        rows = list(synthetic.kind_rows(kind, 150, seed=domain, authority=DEPARTMENTS[domain]))
        assert refusals(intake_context(kind, domain), rows) == [], (kind, domain)


@pytest.mark.django_db
def test_the_demo_builds_a_city_through_the_pipeline(settings: Any, tmp_path: Path) -> None:
    """GIVEN an empty database WHEN a small demo city is built THEN every domain has records, clean
    subjects and 重错码 exist, the bad rows are refused and the ended listings have a second version."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    result = build_demo(400, seed=3, workdir=tmp_path)

    assert Batch.objects.count() == result.files
    assert set(Batch.objects.values_list("status", flat=True)) == {Batch.Status.DONE}
    assert CreditRecord.objects.values("domain").distinct().count() == 37
    dishonest = RecordKind.objects.filter(category="dishonesty").values("code")
    assert Subject.objects.exclude(records__kind_code__in=dishonest).exists()  # clean subjects
    assert CreditRecord.objects.exclude(hold=CreditRecord.Hold.NONE).exists()
    assert Subject.objects.filter(code_valid=False).exists()
    assert result.counts["rejected_count"] == 7
    assert Rejection.objects.values("row_number", "batch").distinct().count() == 7
    assert CreditRecord.objects.filter(latest_version=2).exists()
    assert result.counts["created_count"] + result.counts["versioned_count"] == result.rows - 7

    assert not demo_built()
    ensure_users("demo-password-1", result.providers)
    assert demo_built()

    # The showcase companies (README): a court listing from before every report period, still in force …
    defaulter = Subject.objects.get(name=SHOWCASE_NAMES["defaulter"])
    (listing,) = CreditRecord.objects.filter(subject_code=defaulter.code)
    assert (listing.decision_date, listing.ended_on, listing.domain.number) == (DEFAULTER_LISTED, None, 1)
    # … entries that ended and are history, not current dishonesty …
    exited = public_subject(Subject.objects.get(name=SHOWCASE_NAMES["exited"]).code)
    assert exited.by_category()["失信信息"] == []
    assert {r.state for r in exited.records} == {"已缴清", "已移出"}
    # … a standing social credit warning, and one withdrawn because a list was removed.
    warned = Subject.objects.get(name=SHOWCASE_NAMES["warned"]).code
    withdrawn = Subject.objects.get(name=SHOWCASE_NAMES["withdrawn"]).code
    assert SocialCreditWarning.objects.get(subject_code=warned).withdrawn_at is None
    assert SocialCreditWarning.objects.get(subject_code=withdrawn).withdrawn_at is not None
