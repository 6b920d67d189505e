"""Benchmark: the credit evaluation of every subject, and a subject's evaluation page.

    .venv/bin/python bench/evaluation.py [--database xinyong_bench] [--subjects 1000000] [--records 10000000]
                                         [--sqlite bench/out/evaluation.sqlite3] [--pages 200]
                                         [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

Builds the city with ``bench/dataset.py`` when the database is empty (PostgreSQL by name, or a SQLite file
with ``--sqlite`` for a smaller comparison), then times in process:

1. ``evaluation.services.evaluate()`` over every subject, first run (every outcome new) and second run
   (nothing changed, nothing written): seconds and the peak RSS of this process (the database server's
   memory is its own; ``work_mem`` is raised to 256 MB for the run);
2. the evaluation page ``GET /evaluation/<code>/`` for centre staff (grade, indicators, history and one
   re-scoring per indicator for the hints) over ``--pages`` subjects with records: p50 / p95 / p99 / max.

Targets (issue "credit-based supervision"): 1,000,000 subjects and 10,000,000 records evaluated in ≤ 60 s
with peak RSS ≤ 1 GB; page p95 ≤ 50 ms. Prints the figures and the machine's load. Run by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

from common import line

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xinyong_bench")
    parser.add_argument("--sqlite", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    import dataset

    if args.sqlite:
        Path(args.sqlite).parent.mkdir(parents=True, exist_ok=True)
        dataset._setup(f"sqlite:///{Path(args.sqlite).resolve()}")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM subjects_subject")
            if not cursor.fetchone()[0]:
                dataset.fill(args.subjects, args.records)
        engine = "SQLite"
    else:
        dataset.ensure(args.database, args.subjects, args.records, admin_url=args.postgres_url)
        engine = "PostgreSQL"

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client

    from xinyong.accounts.models import Role, RoleAssignment, User
    from xinyong.evaluation.models import Evaluation
    from xinyong.evaluation.services import evaluate

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subjects_subject")
        subjects = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM records_creditrecord")
        records = cursor.fetchone()[0]
    print(f"{engine}: {subjects:,} subjects, {records:,} records; load {os.getloadavg()[0]:.1f} before")

    started_rss = _rss_mb()
    started = time.perf_counter()
    first = evaluate()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = evaluate()
    second_s = time.perf_counter() - started
    print(
        f"evaluate all, first run:  {first_s:7.1f} s  ({first.evaluated:,} evaluated, {first.changed:,} new rows)\n"
        f"evaluate all, second run: {second_s:7.1f} s  ({second.changed:,} changed)\n"
        f"peak RSS of this process: {_rss_mb():7.0f} MB (at start {started_rss:.0f} MB)"
    )

    staff = User.objects.filter(username="bench-centre").first()
    if staff is None:
        staff = User.objects.create(
            username="bench-centre", kind=User.Kind.CENTRE, is_staff=True, password=make_password(None)
        )
        RoleAssignment.objects.create(user=staff, role=Role.AUDITOR)
    client = Client()
    client.force_login(staff)
    rng = random.Random(11)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM evaluation_evaluation")
        top = cursor.fetchone()[0]
    codes: list[str] = []
    while len(codes) < args.pages:
        found = (
            Evaluation.objects.filter(current=True, pk__gte=rng.randint(1, top))
            .exclude(record_ids="{}")
            .order_by("pk")
            .values_list("subject_code", flat=True)
            .first()
        )
        if found:
            codes.append(found)
    for code in codes[:20]:  # warm-up
        assert client.get(f"/evaluation/{code}/").status_code == 200
    times = []
    for code in codes:
        started = time.perf_counter()
        response = client.get(f"/evaluation/{code}/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    print(f"{'database':<11} {'what':<34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    print(line(engine, "evaluation page (staff, hints)", times))
    print(
        f"load {os.getloadavg()[0]:.1f} after; {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
