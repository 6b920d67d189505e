"""Benchmark: signed special credit reports (专项信用报告) and their verification in an N-record database.

    .venv/bin/python bench/report.py [--records 1000000] [--db sqlite|postgresql|both]
                                     [--reports 200] [--per-subject 20] [--workers 2,4]
                                     [--duration 20] [--connections 16] [--skip-wrk]
                                     [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]
                                     [--rebuild]

Targets (issue 5): a signed PDF for a subject with 20 records in a 1,000,000-record database,
p50 ≤ 150 ms and p95 ≤ 300 ms; verification ≥ 1,000 requests/s on a two-core machine, measured with
a real load tool against a production-style server on loopback.

The database (SQLite ``bench/out/report-N.sqlite3``, PostgreSQL ``bench_report_N``) is built once and
reused; ``--rebuild`` drops it first. Migrated with ``xinyong migrate``. Two parts:

- the measured subjects: ``--reports`` companies (plus a few for the warm-up), each with
  ``--per-subject`` penalties from six departments decided within the last three years, sent through
  the platform's own intake (``collection.services.submit_records``), and a verified subject account
  (so issuing notifies it, as in production). Subjects that already hold records are skipped.
- the bulk: the other records, up to ``--records`` in all, written set-based (COPY on PostgreSQL,
  ``executemany`` on SQLite; the intake manages ~2,500 rows/s): 5 records each for new synthetic
  subjects, cloned from the measured subjects' stored versions with their subject and document
  number replaced, one batch per department and kind.

Then, in process: ``reports.services.request_report`` (special edition, 3 years) once per measured
subject, timed, as the subject's own account. A request for the same subject, edition and day returns
the day's report, so each run issues on a day of its own: the clock is moved (time-machine) to the day
after the last day that already has reports. The render (``reports.render.render``) and the signature
(``signing.get_signer().sign``) are timed again separately on the same content; queries per report are
counted with ``CaptureQueriesContext``. ``reports.queries.verify_by_number`` is timed in process too.

Then, for each worker count in ``--workers``, ``xinyong serve --no-worker --workers N`` (gunicorn, the
production entry point, access log to ``bench/out/serve-*.log``) on a free loopback port, and ``wrk``
(installed with ``scripts/packages.sh`` if missing) for ``--duration`` seconds over
``GET /api/v1/reports/verify`` of the issued reports. The public rate limit (``XINYONG_PUBLIC_REQUESTS_PER_MINUTE``, core.ratelimit)
counts each anonymous request with a database upsert and, at its default 120 a minute, would refuse a
load test coming from one address; the main runs therefore set it (and the search limit) to 0 (off).
One more run with the most workers keeps it on with a limit of 10^9 a minute: every request then
writes its counter as in production, but none is refused. Prints a table and the machine. Run by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import DOMAINS, ensure_wrk, free_port, line, parse_wrk, providers, search_bench, wait_until_up

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

WARM_UP = 5  # subjects whose reports are issued first and not timed (fonts, keys, caches)
BULK_PER_SUBJECT = 5
BULK_CHUNK = 100_000  # records per transaction
RATE_LIMIT_ON = 1_000_000_000  # a limit that counts every request and refuses none


def seed_measured(count: int, per_subject: int, seed: int) -> dict[str, Any]:
    """``count`` companies with ``per_subject`` penalties each through the intake, and their accounts."""
    from xinyong.accounts.models import User
    from xinyong.collection.services import submit_records
    from xinyong.core import clock
    from xinyong.demo.synthetic import DEPARTMENTS, RecordMaker, SubjectFactory
    from xinyong.records.models import CreditRecord

    by_domain = providers()
    rng = random.Random(seed)
    factory = SubjectFactory(random.Random(seed + 1))
    today = clock.today()
    makers = {d: RecordMaker(DEPARTMENTS[d], rng=random.Random(seed + d), today=today) for d in DOMAINS}
    subjects = [factory.company() for _ in range(count)]
    codes = [s.code for s in subjects]
    done = set(CreditRecord.objects.filter(subject_code__in_set=codes).values_list("subject_code", flat=True))
    rows: dict[int, list[dict[str, str]]] = {}
    for subject in subjects:
        for _ in range(per_subject):
            # Within the three years before the data cut-off (7 working days back), so all are shown.
            decided = today - dt.timedelta(days=rng.randint(20, 3 * 365 - 20))
            domain = rng.choice(DOMAINS)
            row = makers[domain].make("penalty", subject, decided=decided)
            if subject.code not in done:
                rows.setdefault(domain, []).append(row)
    started = time.monotonic()
    sent = 0
    outcomes: dict[str, int] = {}
    for domain, batch in rows.items():
        for start in range(0, len(batch), 1000):
            _, results = submit_records(by_domain[domain], "penalty", batch[start : start + 1000])
            for outcome in results:
                key = outcome.stored.status.value if outcome.stored else "rejected"
                outcomes[key] = outcomes.get(key, 0) + 1
            sent += len(batch[start : start + 1000])
    for subject in subjects:
        User.objects.get_or_create(
            username=f"bench-{subject.code}",
            defaults={
                "kind": User.Kind.SUBJECT,
                "subject_code": subject.code,
                "verified_at": clock.now() - dt.timedelta(days=30),
            },
        )
    return {"codes": codes, "sent": sent, "outcomes": outcomes, "seconds": time.monotonic() - started}


def build_bulk(target: int, codes: list[str], seed: int) -> dict[str, Any] | None:
    """Records up to ``target`` in all, set-based, cloned from the intake's versions; None if present."""
    from django.db import connection, transaction

    from xinyong.collection.models import Batch
    from xinyong.core import bulk, clock
    from xinyong.demo.synthetic import SubjectFactory
    from xinyong.records.models import CreditRecord, RecordVersion
    from xinyong.records.services import HEAD_COLUMNS, VERSION_COLUMNS
    from xinyong.subjects.models import Subject, SubjectName
    from xinyong.subjects.services import NAME_COLUMNS, SUBJECT_COLUMNS

    present = CreditRecord.objects.count()
    if present >= target:
        return None

    # Templates: the measured subjects' heads and first versions, in database form.
    def db_form(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return bulk.db_datetime(value)
        return bulk.db_date(value) if isinstance(value, dt.date) else value

    heads = [
        tuple(db_form(v) for v in head)
        for head in CreditRecord.objects.filter(subject_code__in_set=codes).values_list(*HEAD_COLUMNS)
    ]
    versions = {
        v[0]: v
        for v in RecordVersion.objects.filter(subject_code__in_set=codes, version=1).values_list(
            "record_id", "kind_id", "content_hash", "data", "raw"
        )
    }
    names = dict(Subject.objects.filter(code__in_set={h[2] for h in heads}).values_list("code", "name"))
    at = HEAD_COLUMNS.index
    templates = []
    for head in heads:
        record_id, kind_id, content_hash, data, raw = versions[head[0]]
        text = data if isinstance(data, str) else bulk.db_json(data)
        templates.append((head, kind_id, content_hash, text, raw, names[head[at("subject_code")]]))
    stamp = clock.now()
    batches: dict[tuple[int, str], int] = {}
    with transaction.atomic():
        for head, *_ in templates:
            key = (head[at("provider_id")], head[at("kind_code")])
            if key not in batches:
                batches[key] = Batch.objects.create(
                    provider_id=key[0], kind_code=key[1], source=Batch.Source.API, status=Batch.Status.DONE,
                    received_at=stamp, finished_at=stamp, filename="bench/report.py bulk",
                ).pk  # fmt: skip

    kinds = {"法人及非法人组织": "organisation", "个体工商户": "individual_business", "自然人": "person"}
    code_types = {"organisation": "uscc", "individual_business": "uscc", "person": "resident_id"}
    rng = random.Random(seed + present)  # a resumed build draws other subjects
    factory = SubjectFactory(random.Random(seed + present + 1))
    db_stamp = bulk.db_datetime(stamp)
    first_seen = bulk.db_date(dt.date(2021, 3, 1))
    made, started, row_number = present, time.monotonic(), 0
    while made < target:
        size = min(BULK_CHUNK, target - made)
        people = [factory.mixed() for _ in range(-(-size // BULK_PER_SUBJECT))]
        taken = set(
            Subject.objects.filter(code__in_set=[p.code for p in people]).values_list("code", flat=True)
        )
        people = list({p.code: p for p in people if p.code not in taken}.values())
        with transaction.atomic():
            subject_ids = bulk.allocate_ids(Subject, len(people))
            record_ids = iter(bulk.allocate_ids(CreditRecord, len(people) * BULK_PER_SUBJECT))
            subjects, subject_names, records, record_versions = [], [], [], []
            for subject_id, person in zip(subject_ids, people, strict=True):
                kind = kinds[person.category]
                subjects.append(
                    (subject_id, person.code, code_types[kind], True, kind, person.name,
                     person.legal_representative, db_stamp, db_stamp)
                )  # fmt: skip
                subject_names.append((subject_id, person.code, person.name, first_seen, first_seen))
                for _ in range(BULK_PER_SUBJECT):
                    head, kind_id, content_hash, data, raw, name = templates[
                        int(rng.random() * len(templates))
                    ]
                    record_id = next(record_ids)
                    old_code, old_key = head[at("subject_code")], head[at("key")]
                    key = f"{old_key}-B{record_id}"
                    new = list(head)
                    new[0], new[1], new[2], new[at("key")] = record_id, subject_id, person.code, key
                    new[at("first_received_at")] = db_stamp
                    records.append(new)
                    swap = (old_code, person.code), (old_key, key), (name, person.name)
                    for old, value in swap:
                        data, raw = data.replace(old, value), raw.replace(old, value)
                    row_number += 1
                    record_versions.append(
                        (record_id, person.code, 1, kind_id, batches[(new[at("provider_id")], new[at("kind_code")])],
                         row_number, db_stamp, content_hash, data, raw)
                    )  # fmt: skip
            bulk.insert(Subject, ("id", *SUBJECT_COLUMNS), subjects)
            bulk.insert(SubjectName, NAME_COLUMNS, subject_names)
            bulk.insert(CreditRecord, HEAD_COLUMNS, records)
            bulk.insert(RecordVersion, VERSION_COLUMNS, record_versions)
        made += len(records)
        rate = (made - present) / (time.monotonic() - started)
        print(f"  {made:>9,} records ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        # Statistics for the planner (and on PostgreSQL the visibility map), as autovacuum would leave them.
        cursor.execute("VACUUM ANALYZE" if bulk.is_postgresql() else "ANALYZE")
    return {"seconds": time.monotonic() - started, "records": made - present}


def issue_day() -> dt.datetime:
    """Now, or 10:00 China time on the day after the last day that already has reports."""
    from django.db.models import Max

    from xinyong.core import clock
    from xinyong.reports.models import Report

    last = Report.objects.aggregate(at=Max("requested_at"))["at"]
    if last is None or clock.local_date(last) < clock.today():
        return clock.now()
    return dt.datetime.combine(clock.local_date(last) + dt.timedelta(days=1), dt.time(10), tzinfo=clock.CHINA)


def measure_reports(codes: list[str], profile: Path | None) -> dict[str, Any]:
    import cProfile

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinyong.accounts.models import User
    from xinyong.reports import content, queries, render, services
    from xinyong.reports.models import Report
    from xinyong.reports.signing import get_signer

    users = {u.subject_code: u for u in User.objects.filter(subject_code__in_set=codes)}
    day = issue_day()
    issued: list[Report] = []
    total: list[float] = []
    per_report: list[int] = []
    shown: list[int] = []
    profiler = cProfile.Profile() if profile else None
    with time_machine.travel(day, tick=True):
        for index, code in enumerate(codes):
            user = users[code]
            requester = services.Requester(user, user.username)
            if index < WARM_UP:  # not timed; queries counted on all but the first
                with CaptureQueriesContext(connection) as captured:
                    report = services.request_report(requester, code, edition="special", years=3)
                if index:
                    per_report.append(len(captured.captured_queries))
                continue
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            report = services.request_report(requester, code, edition="special", years=3)
            total.append((time.perf_counter() - started) * 1000)
            if profiler:
                profiler.disable()
            assert report.state == Report.State.ISSUED and report.requested_at >= day, report.number
            issued.append(report)
            shown.append(report.items.count())
        # The parts, again on the same reports (content from the snapshot, render, sign).
        build: list[float] = []
        draw: list[float] = []
        sign: list[float] = []
        sizes: list[int] = []
        signer = get_signer()
        for report in issued[:60]:
            started = time.perf_counter()
            words = content.build(report)
            built = time.perf_counter()
            pdf = render.render(words)
            drawn = time.perf_counter()
            signed = signer.sign(
                pdf, reason=f"{report.get_edition_display()} {report.number}", location="公共信用信息平台"
            )
            build.append((built - started) * 1000)
            draw.append((drawn - built) * 1000)
            sign.append((time.perf_counter() - drawn) * 1000)
            sizes.append(len(signed))
    if profiler and profile:
        profiler.dump_stats(str(profile))
    verify: list[float] = []
    for report in issued:
        started = time.perf_counter()
        answer = queries.verify_by_number(report.number, report.verification_code)
        verify.append((time.perf_counter() - started) * 1000)
        assert answer.status == queries.Status.AUTHENTIC, (report.number, answer.status)
    return {
        "day": day.isoformat(),
        "total": total,
        "content": build,
        "render": draw,
        "sign": sign,
        "pdf_bytes": sizes,
        "queries_per_report": per_report,
        "shown": shown,
        "verify": verify,
        "pairs": [(r.number, r.verification_code) for r in issued],
    }


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.db import connection

    from xinyong.records.models import CreditRecord, RecordVersion

    seeded = seed_measured(args.reports + WARM_UP, args.per_subject, seed=2031)
    if seeded["sent"]:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    codes = seeded.pop("codes")
    built = build_bulk(args.records, codes, seed=2032)
    measured = measure_reports(codes, Path(args.profile_to) if args.profile_to else None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        size = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                **measured,
                "seeded": seeded,
                "built": built,
                "records": CreditRecord.objects.count(),
                "versions": RecordVersion.objects.count(),
                "bytes": size,
            }
        )
    )


# ---------------------------------------------------------------------------------------------------
# The driver


def environment(args: argparse.Namespace, database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
        "DATABASE_URL": database_url,
        "XINYONG_VAR_DIR": str(args.out / "report-var"),
        "XINYONG_PUBLIC_REQUESTS_PER_MINUTE": "0",
        "XINYONG_SEARCH_REQUESTS_PER_MINUTE": "0",
        **extra,
    }


def xinyong() -> str:
    return str(Path(sys.executable).parent / "xinyong")


def run_worker(args: argparse.Namespace, database_url: str, label: str) -> dict[str, Any]:
    env = environment(args, database_url)
    subprocess.run([xinyong(), "migrate", "--verbosity", "0"], env=env, check=True)
    command = [
        sys.executable, __file__, "--worker", "--records", str(args.records), "--reports", str(args.reports),
        "--per-subject", str(args.per_subject),
    ]  # fmt: skip
    if args.profile:
        command += ["--profile-to", str(args.out / f"report-{label}.prof")]
    done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def load_test(
    args: argparse.Namespace, database_url: str, label: str, workers: int, pairs: list[list[str]], limit: int
) -> dict[str, Any]:
    """``wrk`` against ``xinyong serve`` with ``workers`` gunicorn workers; ``limit`` 0 = rate limit off."""
    port = free_port()
    env = environment(
        args,
        database_url,
        XINYONG_PUBLIC_REQUESTS_PER_MINUTE=str(limit),
        XINYONG_SEARCH_REQUESTS_PER_MINUTE="0",
    )
    log = (args.out / f"serve-{label}-{workers}w-{'limit' if limit else 'nolimit'}.log").open("wb")
    server = subprocess.Popen(
        [xinyong(), "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    paths = [f"/api/v1/reports/verify?number={n}&code={c}" for n, c in pairs]
    try:
        wait_until_up(f"http://127.0.0.1:{port}{paths[0]}", server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
            script.write(
                "local i = 0\n"
                "request = function()\n"
                "  i = i + 1\n"
                "  return wrk.format('GET', paths[(i % #paths) + 1])\n"
                "end\n"
            )
        base = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-s", script.name, "--latency"]
        url = f"http://127.0.0.1:{port}"
        subprocess.run([*base, "-d", "3s", url], check=True, capture_output=True)  # warm-up, not counted
        done = subprocess.run(
            [*base, "-d", f"{args.duration}s", url], check=True, capture_output=True, text=True
        )
        Path(script.name).unlink()
        result = parse_wrk(done.stdout)
        result["raw"] = done.stdout
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the serve command and its gunicorn, started above
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def versions(args: argparse.Namespace) -> str:
    cpu = "unknown"
    for row in Path("/proc/cpuinfo").read_text().splitlines():
        if row.startswith("model name"):
            cpu = row.split(":", 1)[1].strip()
            break
    postgres = "not reachable"
    try:
        import psycopg

        with psycopg.connect(args.postgres_url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            postgres = row[0] if row else postgres
    except Exception as problem:  # only a label
        postgres = f"not reachable ({type(problem).__name__})"
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0]
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return (
        f"machine: {cpu} · {os.cpu_count()} cores · {memory:.0f} GB · {platform.platform()} · "
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · PostgreSQL {postgres} · {wrk}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="credit records in the database")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--reports", type=int, default=200, help="timed reports, one per measured subject")
    parser.add_argument("--per-subject", type=int, default=20, help="records of each measured subject")
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts for the load test")
    parser.add_argument("--duration", type=int, default=20, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (it shares the two cores)")
    parser.add_argument("--skip-wrk", action="store_true", help="in-process measures only")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed reports to bench/out")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--rebuild", action="store_true", help="drop the benchmark databases first")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)  # the worker's profile file
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if not args.skip_wrk:
        ensure_wrk()
    args.out.mkdir(parents=True, exist_ok=True)
    worker_counts = [int(n) for n in args.workers.split(",")]

    databases = []
    if args.db in ("sqlite", "both"):
        path = args.out / f"report-{args.records}.sqlite3"
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        databases.append(("SQLite", "sqlite", f"sqlite:///{path}"))
    if args.db in ("postgresql", "both"):
        name = f"bench_report_{args.records}"
        search_bench().create_database(args.postgres_url, name, drop=args.rebuild)
        databases.append(("PostgreSQL", "postgresql", args.postgres_url.rsplit("/", 1)[0] + f"/{name}"))

    results = []
    for database, label, url in databases:
        result = run_worker(args, url, label)
        result["wrk"] = []
        if not args.skip_wrk:
            for workers in worker_counts:
                result["wrk"].append((workers, 0, load_test(args, url, label, workers, result["pairs"], 0)))
            top = max(worker_counts)
            result["wrk"].append(
                (top, RATE_LIMIT_ON, load_test(args, url, label, top, result["pairs"], RATE_LIMIT_ON))
            )
        results.append((database, result))
        (args.out / f"report-{label}-{args.records}.json").write_text(json.dumps(result, indent=1))

    print()
    print(versions(args))
    print(
        f"records: {args.records:,} · timed reports: {args.reports} (special edition, 3 years, "
        f"{args.per_subject} records each, one subject each) · times in ms"
    )
    print(f"{'database':<11} {'measure':<34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    for database, result in results:
        print(line(database, "request_report() signed PDF", result["total"]))
        print(line(database, "  content.build (snapshot→content)", result["content"]))
        print(line(database, "  render.render (ReportLab)", result["render"]))
        print(line(database, "  signer.sign (pyHanko PAdES)", result["sign"]))
        print(line(database, "verify_by_number() in process", result["verify"]))
    print()
    print(
        f"wrk GET /api/v1/reports/verify over the issued reports: {args.threads} thread(s), "
        f"{args.connections} connections, {args.duration} s; gunicorn sync workers; latency in ms"
    )
    print(
        f"{'database':<11} {'workers':>7} {'rate limit':<22} {'req/s':>8} {'p50':>7} {'p90':>7} {'p99':>7} {'non-2xx':>8}"
    )
    for database, result in results:
        for workers, limit, run in result["wrk"]:
            limited = f"on ({limit:.0e}/min)" if limit else "off (0)"
            print(
                f"{database:<11} {workers:>7} {limited:<22} {run['rps']:>8,.0f} {run['p50']:>7.2f} "
                f"{run['p90']:>7.2f} {run['p99']:>7.2f} {run['non_2xx']:>8}"
                + (f"  socket errors: {run['socket_errors']}" if run["socket_errors"] else "")
            )
    print()
    for database, result in results:
        built = result["built"]
        seeded = result["seeded"]
        made = f"bulk {built['records']:,} records in {built['seconds']:.0f} s" if built else "bulk reused"
        print(
            f"{database}: {result['records']:,} records, {result['versions']:,} versions, database "
            f"{result['bytes'] / 1e6:,.0f} MB; intake {seeded['sent']:,} rows in {seeded['seconds']:.0f} s "
            f"{seeded['outcomes']}; {made}; reports issued on {result['day'][:10]}"
        )
        shown = result["shown"]
        print(
            f"  records per report: min {min(shown)}, max {max(shown)}; queries per report: "
            f"{min(result['queries_per_report'])}–{max(result['queries_per_report'])}; signed PDF "
            f"{sum(result['pdf_bytes']) / len(result['pdf_bytes']) / 1024:.0f} KiB on average"
        )


if __name__ == "__main__":
    main()
