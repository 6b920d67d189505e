"""Benchmark: computing every credit risk warning (信用风险预警) over N subjects and M records on PostgreSQL.

    .venv/bin/python bench/risk_warnings.py [--subjects 1000000] [--records 10000000] [--database bench_warnings]
                                       [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--rebuild]

Target (credit-based supervision issue): all risk warnings at 1,000,000 subjects and 10,000,000 records in
≤ 30 s with a peak RSS ≤ 1 GB.

The database is created (UTF-8, C.UTF-8), migrated and filled once, then reused (``--rebuild`` drops it
first). The filling is plain ``INSERT … SELECT`` over ``generate_series`` inside PostgreSQL — only what the
warning rules read: subjects; ten departments (providers); records, of which 33 % penalties, 1 %
serious-dishonesty list entries (each with its latest version carrying one of five list types, half of
them exited some months after listing) and the rest licences; decision dates uniform from 2020-08-01 to
today; records spread over subjects with a long tail (a subject's share ∝ 1/√rank, as u² draws it: the
first subjects hold thousands of records, many hold none); 0.3 % of penalties revoked.

Then, in process, ``supervision.risk.review_risk_warnings(None)`` (the daily job) twice: the first run
raises every warning due (with its records, departments, audit entries and notifications), the second is
the steady state (nothing new: one GROUP BY per rule and the comparison with the standing warnings); the
warnings of an earlier run are deleted first. Each
run's time, the warnings raised and the process's peak RSS are printed, with the EXPLAIN ANALYZE of the
three measuring queries. Run by hand; keep it short on a shared machine.
"""

from __future__ import annotations

import os
import sys

# This file's name is the standard library's ``warnings``: while its directory leads ``sys.path`` every
# later ``import warnings`` would find it. It imports nothing from its own directory.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import argparse
import platform
import resource
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LIST_TYPES = ["失信被执行人", "重大税收违法失信主体", "严重违法失信企业(市场监管)", "拖欠农民工工资失信联合惩戒对象",
              "政府采购严重违法失信行为记录"]  # fmt: skip
DOMAINS = (25, 33, 13, 14, 21, 7, 15, 20, 34, 1)


def _admin(admin_url: str, statement: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute(statement).rowcount > 0


def _stage(label: str, sql: str, params: list[object] | None = None) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    print(f"  {label:<44} {time.perf_counter() - started:8.1f} s", flush=True)


def fill(subjects: int, records: int) -> None:
    """Fill the migrated, empty database Django is connected to (module docstring)."""
    from django.db import transaction

    from xinyong.catalog.models import Domain, Provider, RecordKind
    from xinyong.core import clock
    from xinyong.subjects.codes import complete_uscc

    now = clock.now()
    providers = [
        Provider.objects.create(
            code=complete_uscc(f"11350200{9000 + n:08d}"), name=f"基准执法部门{n}", created_at=now
        ).pk
        for n in range(len(DOMAINS))
    ]
    domains = [Domain.objects.get(number=n).pk for n in DOMAINS]
    list_kind = RecordKind.objects.filter(code="serious_dishonesty_list").order_by("-version").first()
    assert list_kind is not None
    span = (clock.today() - clock.today().replace(year=2020, month=8, day=1)).days
    with transaction.atomic():
        _stage(f"{subjects:,} subjects", """
            INSERT INTO subjects_subject (id, code, code_type, code_valid, kind, name, legal_representative,
                                          created_at, updated_at)
            SELECT i, '91350203' || lpad(i::text, 10, '0'), 'uscc', true, 'organisation', '厦门基准' || i || '有限公司',
                   '陈基准', now(), now()
            FROM generate_series(1, %s) i""", [subjects])  # fmt: skip
        _stage(f"{records:,} records", """
            INSERT INTO records_creditrecord (
                id, subject_id, subject_code, provider_id, kind_code, domain_id, key, latest_version, decision_date,
                first_received_at, hold, published, publish_from, publish_until, severity, publication_rule,
                publication_note, ended_on, natural_days_to_receipt, met_natural_day_rule, natural_day_rule,
                met_working_day_rule, working_day_rule)
            SELECT g, s, '91350203' || lpad(s::text, 10, '0'), (%s::int[])[p], k, (%s::int[])[p], 'BENCH-' || g, 1, d,
                   d + time '10:00', '', true, d, d + 365, 'general', 'bench@1', '基准数据',
                   CASE WHEN k = 'serious_dishonesty_list' AND random() < 0.5 THEN d + 30 + (random() * 700)::int END,
                   3, true, 'bench@1', true, 'bench@1'
            FROM (SELECT g, 1 + floor(%s * random() ^ 2)::int AS s, 1 + floor(random() * %s)::int AS p,
                         CASE WHEN r < 0.33 THEN 'penalty' WHEN r < 0.34 THEN 'serious_dishonesty_list'
                              ELSE 'licence' END AS k,
                         date '2020-08-01' + floor(random() * %s)::int AS d
                  FROM (SELECT g, random() AS r FROM generate_series(1, %s) g) draws) rows""",
               [providers, domains, subjects, len(providers), span, records])  # fmt: skip
        _stage("list entries' versions (名单类型)", """
            WITH batch AS (
                INSERT INTO collection_batch (provider_id, kind_code, source, status, filename, file_path,
                    file_sha256, file_format, received_at, owner, rows_done, created_count, versioned_count,
                    unchanged_count, held_count, rejected_count, error)
                VALUES (%s, 'serious_dishonesty_list', 'api', 'done', '', '', '', '', now(), '', 0, 0, 0, 0, 0, 0, '')
                RETURNING id)
            INSERT INTO records_recordversion (record_id, subject_code, version, kind_id, batch_id, row_number,
                received_at, content_hash, data, raw)
            SELECT r.id, r.subject_code, 1, %s, batch.id, 1, r.first_received_at, md5(r.key),
                   jsonb_build_object('yzsx_mdlx', (%s::text[])[1 + floor(random() * %s)::int]), '[]'
            FROM records_creditrecord r, batch WHERE r.kind_code = 'serious_dishonesty_list'""",
               [providers[0], list_kind.pk, LIST_TYPES, len(LIST_TYPES)])  # fmt: skip
        _stage("0.3 % of penalties revoked", """
            INSERT INTO records_overlay (record_id, subject_code, kind, starts_at, stops_sharing, reason, source,
                                         created_at)
            SELECT id, subject_code, 'revoked', now() - interval '1 day', false, '基准', 'bench', now()
            FROM records_creditrecord WHERE kind_code = 'penalty' AND random() < 0.003""")  # fmt: skip
    _stage("ANALYZE", "ANALYZE")


def explain(at: object) -> None:
    """EXPLAIN ANALYZE of each rule's measuring query (the GROUP BY … HAVING over all subjects)."""
    from django.db import connection

    from xinyong.core import clock
    from xinyong.supervision.risk import counted, measured
    from xinyong.supervision.rules import RISK_RULES

    for spec in RISK_RULES:
        rule = spec.on(clock.local_date(at)).value  # type: ignore[arg-type]
        query = measured(rule, counted(rule, at=at)).filter(n__gte=rule.at_least)  # type: ignore[arg-type]
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
            plan = "\n".join(f"    {row[0]}" for row in cursor.fetchall())
        print(f"\n  {spec.id}:\n{plan}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--postgres-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()
    name = args.database or f"bench_warnings_{args.subjects}_{args.records}"
    if args.rebuild:
        _admin(args.postgres_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    import psycopg

    with psycopg.connect(args.postgres_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
    if not exists:
        _admin(
            args.postgres_url, f"CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    os.environ["DATABASE_URL"] = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"

    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from xinyong.core import clock
    from xinyong.subjects.models import Subject
    from xinyong.supervision.models import RiskWarning
    from xinyong.supervision.risk import review_risk_warnings

    call_command("migrate", verbosity=0)
    if not Subject.objects.exists():
        print(f"building {name}:")
        fill(args.subjects, args.records)
    # Each run starts from no warnings (their link rows first; the audit trail cannot be emptied, and need not).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM supervision_riskwarning_records; DELETE FROM supervision_riskwarning_departments; "
                       "DELETE FROM supervision_riskwarning")  # fmt: skip
    print(f"\n{platform.node()} · {os.cpu_count()} cores · load {os.getloadavg()[0]:.1f} (shared machine)")
    print(f"{Subject.objects.count():,} subjects, database {name}\n")
    for label in ("first run (raises every warning due)", "second run (steady state)"):
        started = time.perf_counter()
        changes = review_risk_warnings(None)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {label:<40} {seconds:7.1f} s  raised {len(changes.raised):>6}  withdrawn "
              f"{len(changes.withdrawn):>5}  peak RSS {peak:6.0f} MB", flush=True)  # fmt: skip
    by_rule = {r: RiskWarning.objects.filter(rule_id=r, state="standing").count()
               for r in RiskWarning.objects.values_list("rule_id", flat=True).distinct()}  # fmt: skip
    print(f"  standing warnings by rule: {by_rule}")
    if args.explain:
        explain(clock.now())


if __name__ == "__main__":
    main()
