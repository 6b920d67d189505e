"""Benchmark: the public subject page GET /s/<code>/ over N subjects (default 1,000,000) on SQLite and PostgreSQL.

    .venv/bin/python bench/subject_page.py [--subjects 1000000] [--db sqlite|postgresql|both]
                                           [--sample 2000] [--requests 400]
                                           [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]
                                           [--rebuild]

Reuses the databases of ``bench/search.py`` (``bench/out/search-N.sqlite3`` and ``bench_search_N``),
building them with its builder when empty (``--rebuild`` drops them first). Then, once per database,
adds credit records for ``--sample`` non-person subjects: 10–30 each, penalties and licences from six
departments, sent through the platform's own intake (``collection.services.submit_records``, i.e.
``ingest_chunk`` → ``upsert_subjects`` + ``store_rows``, so publication fields are set as in production),
one in ten then corrected once so it has a second version. Generation is deterministic and subjects that
already hold records are skipped, so a rerun reuses what an earlier run stored.

Measures, after a warm-up, ``--requests`` GETs of /s/<code>/ with the Django test client in process
(three quarters over the sampled subjects, a quarter over subjects without records), and
``disclosure.queries.public_subject(code)`` alone over the same codes; counts the queries of a page with
``CaptureQueriesContext`` and lists the slowest statements. Target (publication issue): page p95 ≤ 50 ms.
Prints a table and the machine. Run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import DOMAINS, line, providers, search_bench

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

SUBJECTS_PER_ROUND = 100
CORRECTED_SHARE = 0.1


def sampled_subjects(count: int, seed: int) -> list[Any]:
    """``count`` organisations and individual businesses spread over the id range, always the same."""
    from django.db import connection

    from xinyong.demo.synthetic import INDIVIDUAL_BUSINESS, ORGANISATION, SubjectForm, SyntheticSubject

    rng = random.Random(seed)
    chosen: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM subjects_subject")
        top = cursor.fetchone()[0]
        while len(chosen) < count:
            cursor.execute(
                "SELECT code, name, kind, legal_representative FROM subjects_subject "
                "WHERE id >= %s AND kind <> 'person' ORDER BY id LIMIT 1",
                [rng.randrange(top)],
            )
            row = cursor.fetchone()
            if row is None or row[0] in chosen:
                continue
            code, name, kind, representative = row
            business = kind == "individual_business"
            category = INDIVIDUAL_BUSINESS if business else ORGANISATION
            fields = (
                ("行政相对人名称", name),
                ("行政相对人类别", category),
                ("统一社会信用代码", code),
                ("法定代表人", representative),
            )
            form = SubjectForm.INDIVIDUAL_BUSINESS if business else SubjectForm.COMPANY
            chosen[code] = SyntheticSubject(form, category, name, code, representative, fields)
    return list(chosen.values())


def seed_records(subjects: list[Any], seed: int) -> dict[str, Any]:
    """Records for ``subjects`` through the intake, skipping subjects that already have some."""
    from xinyong.collection.services import submit_records
    from xinyong.core import clock
    from xinyong.demo.synthetic import DEPARTMENTS, RecordMaker
    from xinyong.records.models import CreditRecord

    by_domain = providers()
    rng = random.Random(seed)
    today = clock.today()
    makers = {d: RecordMaker(DEPARTMENTS[d], rng=random.Random(seed + d), today=today) for d in DOMAINS}
    started = time.monotonic()
    sent = skipped = 0
    counts: dict[str, int] = {}
    for start in range(0, len(subjects), SUBJECTS_PER_ROUND):
        group = subjects[start : start + SUBJECTS_PER_ROUND]
        # Rows are generated for every subject, done or not, so numbering stays the same on a rerun.
        first: dict[tuple[int, str], list[dict[str, str]]] = {}
        corrections: dict[tuple[int, str], list[dict[str, str]]] = {}
        owners: dict[tuple[int, str], list[str]] = {}
        for subject in group:
            for _ in range(rng.randint(10, 30)):
                domain = rng.choice(DOMAINS)
                kind = "penalty" if rng.random() < 0.6 else "licence"
                row = makers[domain].make(kind, subject)
                first.setdefault((domain, kind), []).append(row)
                owners.setdefault((domain, kind), []).append(subject.code)
                if rng.random() < CORRECTED_SHARE:
                    corrected = {**row, "备注": f"更正：{row.get('备注') or '原报送信息有误'}（{today}）"}
                    corrections.setdefault((domain, kind), []).append(corrected)
        codes = [s.code for s in group]
        done = set(CreditRecord.objects.filter(subject_code__in=codes).values_list("subject_code", flat=True))
        if len(done) == len(codes):
            skipped += len(codes)
            continue
        for rounds in (first, corrections):
            for (domain, kind), rows in rounds.items():
                if rounds is first:
                    rows = [
                        r for r, owner in zip(rows, owners[(domain, kind)], strict=True) if owner not in done
                    ]
                else:
                    rows = [r for r in rows if r["统一社会信用代码"] not in done]
                for chunk in range(0, len(rows), 1000):
                    _, outcomes = submit_records(by_domain[domain], kind, rows[chunk : chunk + 1000])
                    for outcome in outcomes:
                        key = outcome.stored.status.value if outcome.stored else "rejected"
                        counts[key] = counts.get(key, 0) + 1
                    sent += len(rows[chunk : chunk + 1000])
        rate = sent / (time.monotonic() - started)
        print(
            f"  {start + len(group):>5,} subjects, {sent:,} rows sent ({rate:,.0f}/s)",
            file=sys.stderr,
            flush=True,
        )
    return {"seconds": time.monotonic() - started, "sent": sent, "skipped": skipped, "outcomes": counts}


def without_records(count: int, seed: int) -> list[str]:
    """Organisations and businesses without any credit record."""
    from django.db import connection

    from xinyong.records.models import CreditRecord

    rng = random.Random(seed)
    found: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM subjects_subject")
        top = cursor.fetchone()[0]
        while len(found) < count:
            cursor.execute(
                "SELECT code FROM subjects_subject WHERE id >= %s AND kind <> 'person' ORDER BY id LIMIT 1",
                [rng.randrange(top)],
            )
            row = cursor.fetchone()
            if row and row[0] not in found and not CreditRecord.objects.filter(subject_code=row[0]).exists():
                found.append(row[0])
    return found


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xinyong.disclosure.queries import public_subject
    from xinyong.records.models import CreditRecord, RecordVersion

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subjects_subject")
        present = cursor.fetchone()[0]
    built = None
    if present == 0:
        built = search_bench().build(args.subjects)
    elif present != args.subjects:
        raise SystemExit(f"the database holds {present:,} subjects, not {args.subjects:,}: use --rebuild")

    sampled = sampled_subjects(args.sample, seed=2027)
    seeded = seed_records(sampled, seed=2028)
    if seeded["sent"]:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # statistics for the new rows, as autovacuum would leave them

    rng = random.Random(7)
    with_count = args.requests * 3 // 4
    codes = [(s.code, True) for s in rng.sample(sampled, min(with_count, len(sampled)))]
    codes += [(c, False) for c in without_records(args.requests - len(codes), seed=8)]
    rng.shuffle(codes)

    client = Client()
    for code, _ in codes[:30]:  # warm-up: caches, not timed
        assert client.get(f"/s/{code}/").status_code == 200
    page: dict[str, list[float]] = {"with records": [], "without": []}
    query: dict[str, list[float]] = {"with records": [], "without": []}
    shown: list[int] = []
    for code, has in codes:
        group = "with records" if has else "without"
        started = time.perf_counter()
        response = client.get(f"/s/{code}/")
        page[group].append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/s/{code}/ answered {response.status_code}")
    for code, has in codes:
        group = "with records" if has else "without"
        started = time.perf_counter()
        view = public_subject(code)
        query[group].append((time.perf_counter() - started) * 1000)
        if has:
            shown.append(len(view.records))

    # Queries per page, and the slowest statements, on a few pages.
    per_page: dict[str, list[int]] = {"with records": [], "without": []}
    statements: list[tuple[float, str]] = []
    for code, has in codes[:40]:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/s/{code}/")
        per_page["with records" if has else "without"].append(len(captured.captured_queries))
        statements += [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    slowest: dict[str, float] = {}
    for ms, sql in sorted(statements, reverse=True):
        slowest.setdefault(re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160], ms)
        if len(slowest) == 5:
            break
    plans = explain(sampled[0].code)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        size = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "page": page,
                "query": query,
                "shown": shown,
                "queries_per_page": per_page,
                "slowest": slowest,
                "plans": plans,
                "seeded": seeded,
                "records": CreditRecord.objects.count(),
                "versions": RecordVersion.objects.count(),
                "built": built,
                "bytes": size,
            }
        )
    )


def explain(code: str) -> dict[str, str]:
    """The plans of the page's record queries, to spot a missing index."""
    from django.db import connection
    from django.db.models import F

    from xinyong.records.models import Overlay, RecordVersion
    from xinyong.supervision.models import SocialCreditWarning

    queries = {
        "versions": RecordVersion.objects.filter(subject_code=code, version=F("record__latest_version"))
        .select_related("record__provider", "record__domain")
        .order_by("-record__decision_date", "record_id"),
        "overlays": Overlay.objects.filter(subject_code=code),
        "warnings": SocialCreditWarning.objects.filter(subject_code=code),
    }
    plans = {}
    for name, queryset in queries.items():
        sql, params = queryset.query.sql_with_params()
        prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            plans[name] = " | ".join(str(row[-1]).strip() for row in cursor.fetchall())
    return plans


# ---------------------------------------------------------------------------------------------------
# The driver


def run_worker(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--subjects",
        str(args.subjects),
        "--sample",
        str(args.sample),
        "--requests",
        str(args.requests),
    ]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "XINYONG_VAR_DIR": str(args.out / "var"),
        "XINYONG_PUBLIC_REQUESTS_PER_MINUTE": "0",
    }
    done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sample", type=int, default=2000, help="subjects given credit records")
    parser.add_argument("--requests", type=int, default=400, help="timed page requests (≥ 300)")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark databases first")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    args.out.mkdir(parents=True, exist_ok=True)

    results = []
    if args.db in ("sqlite", "both"):
        path = args.out / f"search-{args.subjects}.sqlite3"
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        results.append(("SQLite", run_worker(args, f"sqlite:///{path}")))
    if args.db in ("postgresql", "both"):
        name = f"bench_search_{args.subjects}"
        search_bench().create_database(args.postgres_url, name, drop=args.rebuild)
        results.append(("PostgreSQL", run_worker(args, args.postgres_url.rsplit("/", 1)[0] + f"/{name}")))

    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · {platform.processor() or platform.machine()} · "
        f"{platform.platform()} · Python {platform.python_version()}"
    )
    print(f"subjects: {args.subjects:,} · with records: {args.sample:,} · times in ms")
    print(f"{'database':<11} {'measure':<26} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for database, result in results:
        for label, key in (("GET /s/<code>/", "page"), ("public_subject()", "query")):
            everything: list[float] = []
            for group in ("with records", "without"):
                times = result[key][group]
                everything += times
                print(line(database, f"{label} {group}", times))
            print(line(database, f"{label} all", everything))
    print()
    for database, result in results:
        shown = result["shown"]
        seeded = result["seeded"]
        built = f"built in {result['built']:.0f} s" if result["built"] else "reused"
        print(
            f"{database}: {result['records']:,} records, {result['versions']:,} versions; "
            f"seeded {seeded['sent']:,} rows in {seeded['seconds']:.0f} s {seeded['outcomes']} "
            f"({seeded['skipped']:,} subjects reused); database {result['bytes'] / 1e6:,.0f} MB, {built}"
        )
        print(f"  records shown per page: mean {sum(shown) / len(shown):.1f}, max {max(shown)}")
        for group, numbers in result["queries_per_page"].items():
            if numbers:
                print(f"  queries per page {group}: min {min(numbers)}, max {max(numbers)}")
        print("  slowest statements (ms):")
        for sql, ms in result["slowest"].items():
            print(f"    {ms:6.1f}  {sql}")
        for name, plan in result["plans"].items():
            print(f"  plan {name}: {plan}")


if __name__ == "__main__":
    main()
