"""``xinyong demo``: build the synthetic demo city through the real intake pipeline, then serve it.

    xinyong demo [--subjects 5000] [--seed 1] [--no-serve] [--host 127.0.0.1 --port 8000]

One provider per report domain (37), a centre account and a few provider staff accounts, and N
subjects of whom most are clean, most others have one to three records and a few have many. Every row
reaches the database as a department's CSV file through ``start_file_import`` + ``run_batch``, so the
demo also shows batches, rejections (a few deliberately bad rows), 重错码 (mistyped USCCs) and later
versions (removals from lists, settled arrears). A database that already holds the demo is served as is.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from xinyong.accounts.models import Role, RoleAssignment, Unit, User
from xinyong.accounts.purposes import purposes
from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.catalog.services import create_provider, rotate_key
from xinyong.collection.models import Batch
from xinyong.collection.services import run_batch, start_file_import
from xinyong.core import clock
from xinyong.core.management.commands.serve import derive_public_url
from xinyong.demo.evaluation import seed_evaluation
from xinyong.demo.exchange import seed_exchange
from xinyong.demo.measures import seed_joint_measures
from xinyong.demo.portal import seed_notices
from xinyong.demo.quality import seed_quality
from xinyong.demo.supervision import seed_supervision
from xinyong.demo.synthetic import (
    DEPARTMENTS,
    HEADERS,
    CsvFile,
    RecordMaker,
    SubjectFactory,
    SubjectForm,
    SyntheticSubject,
    department_uscc,
    suits,
    with_uscc,
    with_wrong_check_character,
)
from xinyong.disputes.demo import seed_objection, seed_omission
from xinyong.reports.demo import seed_financial_list
from xinyong.subjects.models import Subject

#: The showcase companies of issue "trustworthy outputs", found on the public site by searching 演示.
SHOWCASE_NAMES = {
    "defaulter": "厦门演示失信被执行有限公司",  # 失信被执行人 listed 2023-04-16: in every report, no city repair
    "exited": "厦门演示已移出名单有限公司",  # removed, settled, removed: history, not on the black list
    "warned": "厦门演示社会信用预警有限公司",  # three key-attention lists within a year: a warning
    "withdrawn": "厦门演示预警撤回有限公司",  # three lists, one removed since: the warning withdrawn
}
DEFAULTER_LISTED = dt.date(2023, 4, 16)
#: Provider staff accounts: username → the domain of their department.
STAFF = {"scjg": 25, "swj": 33, "fy": 1, "sthj": 13, "rsj": 11}
CENTRE_USERNAME = "centre"
PASSWORD_ENV = "XINYONG_DEMO_PASSWORD"  # noqa: S105 (the variable's name, not a password)
KEYS_FILE = "demo-keys.txt"

# ---------------------------------------------------------------------------------------------------
# The city's plan: who has which records, from which department


K = TypeVar("K")
Weights = dict[int, float]
#: Progress of a stage: its label, units done, units in all.
ProgressCallback = Callable[[str, int, int], None]
#: Where each kind of record comes from (domain → weight); persons have their own table where it differs.
# fmt: off
_PENALTY_DOMAINS: Weights = {number: 1.0 for number in DEPARTMENTS if number != 1} | {
    25: 30, 33: 8, 13: 8, 34: 8, 15: 6, 14: 6, 20: 6, 21: 6, 32: 4, 7: 3, 11: 3, 12: 2, 19: 2, 18: 2, 17: 2,
    37: 2, 30: 2,
}
_SOURCES: dict[str, tuple[Weights, Weights]] = {  # kind → (organisations, persons)
    "penalty": (_PENALTY_DOMAINS, {7: 5, 15: 4, 25: 3, 33: 2, 34: 2, 20: 1, 12: 1, 17: 1, 24: 1, 23: 1, 37: 1}),
    "enforcement": ({25: 3, 33: 3, 13: 2, 34: 2, 21: 1, 15: 1, 7: 1, 11: 1}, {7: 1, 15: 1, 33: 1}),
    "abnormal_operation": ({25: 1}, {25: 1}),
    "arrears": ({33: 5, 11: 3, 14: 1, 10: 1}, {33: 1}),
    "key_attention_list": ({33: 3, 21: 2, 15: 2, 11: 2, 25: 1}, {11: 1}),
    "serious_dishonesty_list": ({1: 5, 33: 1, 25: 1, 11: 1, 21: 0.5, 10: 0.5, 28: 0.5}, {1: 1}),
    "commitment_breach": ({25: 3, 14: 2, 20: 1, 15: 1, 3: 1, 19: 1}, {25: 1}),
    "commitment": ({25: 3, 14: 1, 20: 1, 15: 1, 3: 0.5, 19: 0.5, 33: 1, 11: 1}, {11: 1, 9: 1}),
    "commendation": ({25: 2, 11: 1, 5: 1, 4: 1, 2: 0.5}, {7: 1, 11: 1}),
}
_LICENCE_DOMAINS: dict[str, Weights] = {
    SubjectForm.COMPANY: {25: 5, 20: 1, 15: 1, 13: 1, 14: 1, 19: 0.5, 34: 1, 32: 0.5, 7: 0.5, 21: 0.5},
    SubjectForm.INDIVIDUAL_BUSINESS: {25: 6, 20: 2, 37: 2, 34: 1},
    SubjectForm.PRIVATE_NON_ENTERPRISE: {3: 1},
    SubjectForm.PUBLIC_INSTITUTION: {20: 1},
}
#: Dishonesty records: kind → weight, for organisations and businesses / for persons.
_DISHONESTY = {"penalty": 62, "enforcement": 7, "abnormal_operation": 9, "arrears": 7, "key_attention_list": 5,
               "serious_dishonesty_list": 4, "commitment_breach": 6}
_DISHONESTY_PERSON = {"penalty": 45, "serious_dishonesty_list": 35, "arrears": 12, "commitment_breach": 4,
                      "enforcement": 4}
_HEAVY_DOMAINS: Weights = {25: 5, 13: 2, 34: 2, 15: 1, 21: 1, 14: 1, 20: 1, 32: 1, 33: 1}
#: Share of listings and arrears that later end (a new version of the record: removal, settlement).
_ENDING_SHARE = {"abnormal_operation": 0.3, "arrears": 0.3, "serious_dishonesty_list": 0.15,
                 "key_attention_list": 0.2}
# fmt: on
CLEAN_SHARE = 0.60
#: Days before the demo date on which the demo company's two market-supervision penalties were decided.
SHOWCASE_PENALTY_DAYS = (60, 30)
HEAVY_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class CityRow:
    """One row of a department's file. Phase 1 rows are later versions, imported after every first one."""

    domain: int
    kind: str
    row: dict[str, str]
    phase: int = 0


class _Draw(Generic[K]):
    """Weighted choice from a fixed table; the cumulative weights are summed once, not per draw."""

    def __init__(self, weights: Mapping[K, float]) -> None:
        self.items = list(weights)
        self.bounds = list(accumulate(weights.values()))

    def __call__(self, rng: random.Random) -> K:
        return rng.choices(self.items, cum_weights=self.bounds)[0]


class DemoCity:
    """The rows of the demo city, subject by subject, in a stream (a million subjects fit in memory)."""

    def __init__(self, subjects: int, *, seed: int, today: dt.date) -> None:
        self.count = subjects
        self.today = today
        self.rng = random.Random(seed)
        self.factory = SubjectFactory(self.rng)
        self.makers = {d: RecordMaker(a, rng=self.rng, today=today) for d, a in DEPARTMENTS.items()}
        self.sources = {kind: (_Draw(org), _Draw(person)) for kind, (org, person) in _SOURCES.items()}
        self.showcase_code = ""  # set by _showcase_rows: the company of the demo account qiye
        self.licence_sources = {form: _Draw(weights) for form, weights in _LICENCE_DOMAINS.items()}
        self.dishonesty, self.dishonesty_person = _Draw(_DISHONESTY), _Draw(_DISHONESTY_PERSON)
        self.heavy_domains = _Draw(_HEAVY_DOMAINS)
        # Domains without a record yet: the first subjects with records are sent one to each, so a
        # small demo still has records in all 37 domains.
        self.uncovered = sorted(DEPARTMENTS, reverse=True)
        self.mistyped_left = max(3, subjects // 1000)

    def rows(self, progress: ProgressCallback | None = None) -> Iterator[CityRow]:
        yield from self._bad_rows()
        for done in range(self.count):
            if progress is not None and done % 1000 == 0:
                progress("生成信用主体", done, self.count)
            yield from self._showcase_rows() if done == 0 else self._subject_rows(self._subject())
        # Last, so the random city before them is the same with or without them.
        yield from self._standing_showcase_rows()
        if progress is not None:
            progress("生成信用主体", self.count, self.count)

    # subjects ------------------------------------------------------------------------------------
    def _subject(self) -> SyntheticSubject:
        roll = self.rng.random()
        if roll < 0.10:
            return self.factory.person()
        if roll < 0.20:
            return self.factory.individual_business(without_uscc=self.rng.random() < 0.02)
        if roll < 0.25:
            return self.factory.non_market_organisation()
        return self.factory.company()

    def _subject_rows(self, subject: SyntheticSubject) -> Iterator[CityRow]:
        yield from self._basic_rows(subject)
        roll = self.rng.random()
        if roll < CLEAN_SHARE:
            return
        if self.mistyped_left and not self.uncovered and subject.code == _uscc_of(subject):
            # The department mistyped the USCC: the records are kept and held as 重错码. (Only once every
            # domain has a record, so each domain's first record is a published one.)
            self.mistyped_left -= 1
            subject = with_uscc(subject, with_wrong_check_character(subject.code))
        if roll < 1 - HEAVY_SHARE or subject.is_person:
            for _ in range(self._record_count()):
                yield from self._dishonesty_row(subject)
        else:
            yield from self._heavy_rows(subject)

    def _showcase_rows(self) -> Iterator[CityRow]:
        """The company of the demo account ``qiye`` (``showcase_code``): it has two market-supervision
        penalties decided 60 and 30 days ago, inside every report period and publicity period. The demo
        objection (``disputes.demo``) takes the newest staffed record, never the older penalty, which stays
        free for the objection walk-through (disputes/tests/test_browser_objection)."""
        company = self.factory.company()
        self.showcase_code = _uscc_of(company)
        yield from self._basic_rows(company)
        yield from self._dishonesty_row(company)
        for days in SHOWCASE_PENALTY_DAYS:
            decided = self.today - dt.timedelta(days=days)
            yield CityRow(25, "penalty", self.makers[25].make("penalty", company, decided=decided))

    def _named(self, name: str) -> SyntheticSubject:
        company = self.factory.company()
        fields = tuple((h, name if h == "行政相对人名称" else v) for h, v in company.fields)
        return company._replace(name=name, fields=fields)

    def _standing_showcase_rows(self) -> Iterator[CityRow]:
        """Companies named after what they show (README: 演示案例): a court listing from before any report
        period still in force; lists removed, an arrear settled and an abnormal-operation entry removed
        (history, not current); three key-attention lists (a standing warning); and three lists of which
        one was removed later (a withdrawn warning)."""
        today = self.today
        defaulter = self._named(SHOWCASE_NAMES["defaulter"])
        yield CityRow(1, "serious_dishonesty_list", self.makers[1].make(
            "serious_dishonesty_list", defaulter, decided=DEFAULTER_LISTED
        ))  # fmt: skip
        exited = self._named(SHOWCASE_NAMES["exited"])
        removed, settled = (today - dt.timedelta(days=days) for days in (150, 120))
        for domain, kind, decided, end in (
            (33, "serious_dishonesty_list", today - dt.timedelta(days=900), {"移出日期": removed.isoformat(), "移出原因": "已纠正失信行为，依法移出"}),
            (33, "arrears", today - dt.timedelta(days=200), {"缴清日期": settled.isoformat(), "备注": "已缴清欠缴款项"}),
            (25, "abnormal_operation", today - dt.timedelta(days=300), {"移出日期": removed.isoformat(), "移出经营异常名录原因": "已补报年度报告并公示", "移出决定机关": DEPARTMENTS[25].name}),
        ):  # fmt: skip
            row = self.makers[domain].make(kind, exited, decided=decided)
            yield CityRow(domain, kind, row)
            yield CityRow(domain, kind, row | end, phase=1)
        for key in ("warned", "withdrawn"):
            company = self._named(SHOWCASE_NAMES[key])
            for domain, days in ((33, 300), (21, 200), (15, 30)):
                row = self.makers[domain].make(
                    "key_attention_list", company, decided=today - dt.timedelta(days=days)
                )
                yield CityRow(domain, "key_attention_list", row)
                if key == "withdrawn" and domain == 21:
                    removal = {
                        "移出日期": (today - dt.timedelta(days=5)).isoformat(),
                        "移出原因": "已完成整改，依法移出",
                    }
                    yield CityRow(domain, "key_attention_list", row | removal, phase=1)

    def _record_count(self) -> int:
        roll = self.rng.random()
        return 1 if roll < 0.55 else 2 if roll < 0.85 else 3

    # records -------------------------------------------------------------------------------------
    def _row(self, domain: int, kind: str, subject: SyntheticSubject) -> Iterator[CityRow]:
        maker = self.makers[domain]
        row = maker.make(kind, subject)
        yield CityRow(domain, kind, row)
        share = _ENDING_SHARE.get(kind)
        if share and self.rng.random() < share:
            ended = maker.ending(kind, row)
            if ended is not None:
                yield CityRow(domain, kind, ended, phase=1)

    def _from(self, kind: str, subject: SyntheticSubject) -> Iterator[CityRow]:
        organisations, persons = self.sources[kind]
        domain = (persons if subject.is_person else organisations)(self.rng)
        return self._row(domain, kind, subject)

    def _basic_rows(self, subject: SyntheticSubject) -> Iterator[CityRow]:
        """基本信息 and 守信信息: licences, commitments, commendations (they make no subject unclean)."""
        rng = self.rng
        licences = self.licence_sources.get(subject.form)
        if licences is not None and rng.random() < 0.7:
            for _ in range(2 if rng.random() < 0.3 else 1):
                yield from self._row(licences(rng), "licence", subject)
        if rng.random() < 0.15:
            yield from self._from("commitment", subject)
        if rng.random() < 0.03:
            yield from self._from("commendation", subject)

    def _dishonesty_row(self, subject: SyntheticSubject) -> Iterator[CityRow]:
        if self.uncovered and not subject.is_person:
            domain = self.uncovered.pop()
            kind = "serious_dishonesty_list" if domain == 1 else "penalty"
            return self._row(domain, kind, subject)
        kind = (self.dishonesty_person if subject.is_person else self.dishonesty)(self.rng)
        while not suits(kind, subject):
            kind = self.dishonesty(self.rng)
        return self._from(kind, subject)

    def _heavy_rows(self, subject: SyntheticSubject) -> Iterator[CityRow]:
        """A subject with a long record: many penalties, often listed too (a social credit warning case)."""
        rng = self.rng
        for _ in range(rng.randint(10, 40)):
            yield from self._row(self.heavy_domains(rng), "penalty", subject)
        if rng.random() < 0.5:
            yield from self._row(25, "serious_dishonesty_list", subject)
        if subject.is_market_entity and rng.random() < 0.5:
            yield from self._row(25, "abnormal_operation", subject)
        if rng.random() < 0.4:
            yield from self._row(rng.choice((33, 21, 15)), "key_attention_list", subject)

    def _bad_rows(self) -> Iterator[CityRow]:
        """A handful of rows the intake must refuse, one reason each, so the rejection report has content."""
        market, factory = self.makers[25], self.factory
        future = market.penalty(factory.company(), decided=self.today + dt.timedelta(days=10))
        no_representative = market.penalty(factory.company()) | {"法定代表人": ""}
        unknown_sanction = market.penalty(factory.company()) | {"处罚类别": "罚金"}
        impossible_date = market.penalty(factory.company()) | {"处罚决定日期": "2023-02-30"}
        short_code = factory.company()
        malformed = market.penalty(short_code) | {"统一社会信用代码": short_code.code[:17]}
        simple_person = market.penalty(factory.person()) | {"程序类型": "简易程序"}
        unknown_licence = market.licence(factory.company()) | {"许可类别": "特殊许可"}
        for row in (future, no_representative, unknown_sanction, impossible_date, malformed, simple_person):
            yield CityRow(25, "penalty", row)
        yield CityRow(25, "licence", unknown_licence)


def _uscc_of(subject: SyntheticSubject) -> str:
    return dict(subject.fields).get("统一社会信用代码", "")


# ---------------------------------------------------------------------------------------------------
# Building: providers, files, imports, accounts


@dataclass
class ImportFile:
    domain: int
    kind: str
    phase: int
    path: Path
    rows: int


@dataclass
class DemoResult:
    subjects: int
    rows: int = 0
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    showcase_code: str = ""  # the company of the demo account ``qiye``
    providers: dict[int, Provider] = field(default_factory=dict)  # domain → its department
    keys: dict[int, str] = field(default_factory=dict)  # domain → the department's new API key
    seconds: float = 0.0


def demo_built() -> bool:
    """The marker: the market-supervision department and the centre account exist (created last)."""
    return (
        Provider.objects.filter(code=department_uscc(25)).exists()
        and User.objects.filter(username=CENTRE_USERNAME).exists()
    )


def ensure_providers() -> tuple[dict[int, Provider], dict[int, str]]:
    """One provider per domain, granted every record kind in its own domain; returns them and fresh keys.
    A provider left by an interrupted build is kept and given a new key."""
    domains = {d.number: d for d in Domain.objects.all()}
    kinds = sorted(set(RecordKind.objects.values_list("code", flat=True)))
    providers, keys = {}, {}
    for number, authority in DEPARTMENTS.items():
        existing = Provider.objects.filter(code=authority.uscc).first()
        if existing is not None:
            providers[number], keys[number] = existing, rotate_key(existing, label="demo")
            continue
        providers[number], keys[number] = create_provider(
            code=authority.uscc, name=authority.name, domains=[domains[number]], kind_codes=kinds
        )
    return providers, keys


def write_files(directory: Path, rows: Iterator[CityRow]) -> list[ImportFile]:
    """Route every row into its department's file for its kind and phase; returns them in import order."""
    files: dict[tuple[int, int, str], CsvFile] = {}
    try:
        for item in rows:
            key = (item.phase, item.domain, item.kind)
            out = files.get(key)
            if out is None:
                path = directory / f"{item.phase}-{item.domain:02d}-{item.kind}.csv"
                out = files[key] = CsvFile(path, HEADERS[item.kind])
            out.write(item.row)
    finally:
        for out in files.values():
            out.close()
    return [
        ImportFile(domain, kind, phase, out.path, out.rows)
        for (phase, domain, kind), out in sorted(files.items())
    ]


def import_files(
    files: Sequence[ImportFile], providers: dict[int, Provider], progress: ProgressCallback | None = None
) -> dict[str, int]:
    """Import each file as its department would upload it; returns the summed batch counters."""
    names = dict(RecordKind.objects.values_list("code", "name"))
    counters = ("created_count", "versioned_count", "unchanged_count", "held_count", "rejected_count")
    totals = dict.fromkeys(counters, 0)
    total_rows, rows_before = sum(f.rows for f in files), 0
    for index, demo_file in enumerate(files):
        provider = providers[demo_file.domain]
        suffix = "（变更）" if demo_file.phase else ""
        filename = f"{provider.name}_{names.get(demo_file.kind, demo_file.kind)}{suffix}.csv"
        batch = start_file_import(provider, demo_file.path, filename=filename, kind_code=demo_file.kind)

        def report(
            batch: Batch, label: str = f"导入第 {index + 1}/{len(files)} 个文件", before: int = rows_before
        ) -> None:
            if progress is not None:
                progress(label, before + batch.rows_done, total_rows)

        batch = run_batch(batch, progress=report)
        for counter in counters:
            totals[counter] += getattr(batch, counter)
        rows_before += demo_file.rows
    return totals


def build_demo(
    subjects: int, *, seed: int = 1, progress: ProgressCallback | None = None, workdir: Path | None = None
) -> DemoResult:
    """Providers, then the city's files written and imported through the real pipeline."""
    started = time.monotonic()
    result = DemoResult(subjects)
    providers, result.keys = ensure_providers()
    result.providers = providers
    city = DemoCity(subjects, seed=seed, today=clock.today())
    with tempfile.TemporaryDirectory(prefix="demo-", dir=workdir or settings.VAR_DIR) as directory:
        files = write_files(Path(directory), city.rows(progress))
        result.files, result.rows = len(files), sum(f.rows for f in files)
        result.counts = import_files(files, providers, progress)
    result.showcase_code = city.showcase_code
    result.seconds = time.monotonic() - started
    return result


@transaction.atomic
def ensure_users(password: str, providers: dict[int, Provider], company_code: str = "") -> list[str]:
    """Accounts of every kind, all with ``password``: the centre (every sub-role), staff of a few
    providers, an officer of 发改委 (a unit with every legal query purpose), an officer of the financial
    bureau (who keeps the financial edition's company list) and a company's verified account."""
    hashed = make_password(password)  # hashed once: a slow hash per account would cost seconds
    unit, _ = Unit.objects.get_or_create(
        code=DEPARTMENTS[2].uscc, defaults={"name": DEPARTMENTS[2].name, "purposes": sorted(purposes())}
    )
    # The financial bureau (金融工作部门) keeps the financial edition's company list (reports.financial_list).
    bureau, _ = Unit.objects.get_or_create(
        code=DEPARTMENTS[31].uscc,
        defaults={"name": DEPARTMENTS[31].name, "purposes": sorted(purposes()), "financial_bureau": True},
    )
    companies = Subject.objects.filter(kind=Subject.Kind.ORGANISATION, records__isnull=False)
    company = companies.filter(code=company_code).first() or companies.order_by("pk").first()
    accounts: list[tuple[str, dict[str, Any]]] = [
        (
            CENTRE_USERNAME,
            {"kind": User.Kind.CENTRE, "is_staff": True, "is_superuser": True, "first_name": "信用中心"},
        ),
        ("fgw", {"kind": User.Kind.UNIT, "unit": unit, "first_name": "发改委经办人"}),
        ("jrj", {"kind": User.Kind.UNIT, "unit": bureau, "first_name": "金融工作部门经办人"}),
    ]
    accounts += [
        (name, {"kind": User.Kind.PROVIDER, "provider": providers[domain]}) for name, domain in STAFF.items()
    ]
    if company is not None:
        verified = {"verified_at": clock.now(), "verified_by": "演示数据（未经实名核验）"}
        accounts.append(
            (
                "qiye",
                {
                    "kind": User.Kind.SUBJECT,
                    "subject_code": company.code,
                    "first_name": company.name,
                    **verified,
                },
            )
        )
    for username, attributes in accounts:
        user, _ = User.objects.get_or_create(username=username, defaults=attributes)
        user.password = hashed
        user.save(update_fields=["password"])
        if user.kind == User.Kind.CENTRE:
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=user, role=role) for role in Role], ignore_conflicts=True
            )
    return [username for username, _ in accounts]


def write_keys(path: Path, keys: dict[int, str]) -> None:
    """The providers' API keys, readable by the owner only (created 0600, never world-readable)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("# 演示信息提供单位的接口密钥（领域 单位 统一社会信用代码 密钥），请妥善保管\n")
        for number, key in sorted(keys.items()):
            authority = DEPARTMENTS[number]
            out.write(f"{number}\t{authority.name}\t{authority.uscc}\t{key}\n")


# ---------------------------------------------------------------------------------------------------
# The command


class Command(BaseCommand):
    help = "Build the synthetic demo city (unless the database has it) and serve the platform."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subjects", type=int, default=5000, help="number of subjects (default 5000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same city)")
        parser.add_argument("--no-serve", action="store_true", help="build only, do not start the server")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(
        self, *args: Any, subjects: int, seed: int, no_serve: bool, host: str, port: int, **options: Any
    ) -> None:
        if not no_serve:
            # Anything the build prints or signs points where the demo will be served (unless configured).
            derive_public_url(host, port)
        self.stdout.write("迁移数据库…")
        call_command("migrate", verbosity=0, interactive=False)
        if demo_built():
            self.stdout.write("数据库中已有演示数据，跳过生成。")
            self.stdout.write("演示账号密码只在生成时显示；忘记时可运行 xinyong changepassword centre 重设。")
        else:
            self._build(max(1, subjects), seed)
        if not no_serve:
            call_command("serve", host=host, port=port)

    def _build(self, subjects: int, seed: int) -> None:
        self.stdout.write(f"生成演示城市：{subjects:,} 个信用主体（种子 {seed}），经文件导入归集…")
        result = build_demo(subjects, seed=seed, progress=self._progress())
        sys.stderr.write("\n")
        counts = result.counts
        self.stdout.write(
            f"{result.files} 个文件 {result.rows:,} 行，共用时 {result.seconds:.1f} 秒："
            f"新增 {counts['created_count']:,}，新版本 {counts['versioned_count']:,}，"
            f"重错码 {counts['held_count']:,}，拒收 {counts['rejected_count']:,}"
        )
        keys_path = settings.VAR_DIR / KEYS_FILE
        write_keys(keys_path, result.keys)
        self.stdout.write(f"37 个信息提供单位的接口密钥已写入 {keys_path}（仅本人可读）")
        password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(12)
        usernames = ensure_users(password, result.providers, result.showcase_code)
        seed_objection()  # one open 异议 for the walk-through (disputes.demo)
        seed_omission()  # and one 遗漏异议 (a commendation not reported)
        seed_financial_list()  # the demo company may request the 金融专用版 (reports.demo)
        seed_quality()  # twelve months of declared totals for the quality scorecards (demo.quality)
        self.stdout.write(f"公共信用综合评价：{seed_evaluation()}")  # grades A–D (demo/evaluation.py)
        seed_supervision(result.providers)  # risk warnings and interviews (demo/supervision.py)
        seed_joint_measures()  # registrations, linked persons and a red list (demo.measures)
        seed_exchange()  # a followed company and a first batch sent to a stand-in province (demo.exchange)
        seed_notices()  # 通知公告 and 政策法规 on the home page (demo.portal)
        self.stdout.write(f"演示账号：{'、'.join(usernames)}（{CENTRE_USERNAME} 为信用中心管理员）")
        self.stdout.write(f"演示案例（在首页搜索“演示”）：{'、'.join(SHOWCASE_NAMES.values())}")
        if os.environ.get(PASSWORD_ENV):
            self.stdout.write(f"密码为环境变量 {PASSWORD_ENV} 的值。")
        else:
            self.stdout.write(f"密码（只显示这一次）：{password}")

    def _progress(self) -> ProgressCallback:
        """One line on stderr, rewritten a few times a second, with the rate of the current stage."""
        stage, stage_started, shown = "", 0.0, 0.0

        def show(label: str, done: int, total: int) -> None:
            nonlocal stage, stage_started, shown
            now = time.monotonic()
            if label.split()[0] != stage:  # a new stage: restart its clock (files of an import are one stage)
                stage, stage_started = label.split()[0], now
                sys.stderr.write("\n" if shown else "")
            elif now - shown < 0.25 and done < total:
                return  # a terminal is slow to scroll; a few updates a second are enough
            shown = now
            elapsed = now - stage_started
            rate = f" · {done / elapsed:,.0f}/秒" if elapsed > 0.5 else ""  # too early to say
            sys.stderr.write(f"\r{label} · {done:,}/{total:,}{rate}   ")
            sys.stderr.flush()

        return show
