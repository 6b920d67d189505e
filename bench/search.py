"""Benchmark: public subject search over N subjects (default 1,000,000) on SQLite and PostgreSQL.

    .venv/bin/python bench/search.py [--subjects 1000000] [--db sqlite|postgresql|both] [--queries 150]
                                     [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--rebuild]

Builds (or reuses) a database per engine: synthetic subjects from ``xinyong.demo.synthetic`` (the usual
mix: mostly companies, 10 % individual businesses, 10 % persons; one organisation or business in twenty
with a former name), written with set-based inserts straight into subjects and names and then indexed
with ``search.index_subjects`` in chunks — the full intake is too slow for a million. SQLite lives in
``bench/out/search-N.sqlite3``, PostgreSQL in the database ``bench_search_N``.

Then times ``search.search(q, limit=20)`` in process for ``--queries`` queries of each class: random
2-character and 3–4-character fragments of real names, exact names, former-name fragments and exact
codes (USCCs and resident ID numbers), after a warm-up. Target (publication issue): p95 ≤ 50 ms,
two-character queries included. Prints a table and the machine. Run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import percentile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

CHUNK = 20_000
CLASSES = ("2 chars", "3-4 chars", "exact name", "former name", "exact code")


# ---------------------------------------------------------------------------------------------------
# The worker: one process per database (Django binds one DATABASE_URL per process)


def build(count: int) -> float:
    """Fill an empty, migrated database with ``count`` subjects and their index; returns seconds."""
    import datetime as dt

    from django.db import connection, transaction

    from xinyong.core import bulk, clock
    from xinyong.demo.synthetic import SubjectFactory
    from xinyong.subjects.models import Subject, SubjectName
    from xinyong.subjects.search import index_subjects
    from xinyong.subjects.services import NAME_COLUMNS, SUBJECT_COLUMNS

    kinds = {"法人及非法人组织": "organisation", "个体工商户": "individual_business", "自然人": "person"}
    code_types = {"organisation": "uscc", "individual_business": "uscc", "person": "resident_id"}
    factory = SubjectFactory(random.Random(2026))
    stamp = bulk.db_datetime(clock.now())
    first, renamed_on, seen_on = (
        bulk.db_date(dt.date(y, m, 1)) for y, m in ((2021, 3), (2023, 6), (2026, 6))
    )
    started = time.monotonic()
    made = 0
    while made < count:
        size = min(CHUNK, count - made)
        people = [factory.mixed() for _ in range(size)]
        with transaction.atomic():
            ids = bulk.allocate_ids(Subject, size)
            subjects, names = [], []
            for subject_id, person in zip(ids, people, strict=True):
                kind = kinds[person.category]
                subjects.append(
                    (
                        subject_id,
                        person.code,
                        code_types[kind],
                        True,
                        kind,
                        person.name,
                        person.legal_representative,
                        stamp,
                        stamp,
                    )
                )
                if kind != "person" and factory.rng.random() < 0.05:
                    # A former name: what the company was called until 2023.
                    former = factory.company().name
                    while former == person.name:
                        former = factory.company().name
                    names.append((subject_id, person.code, former, first, renamed_on))
                    names.append((subject_id, person.code, person.name, renamed_on, seen_on))
                else:
                    names.append((subject_id, person.code, person.name, first, seen_on))
            bulk.insert(Subject, ("id", *SUBJECT_COLUMNS), subjects)
            bulk.insert(SubjectName, NAME_COLUMNS, names)
            for start in range(0, size, 5000):
                index_subjects(ids[start : start + 5000])
        made += size
        rate = made / (time.monotonic() - started)
        print(f"  {made:>9,} subjects ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    if bulk.is_postgresql():
        with connection.cursor() as cursor:
            # Statistics for the planner and the visibility map, as autovacuum would leave them.
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            # No FTS5 'optimize': the index stays in the segments its chunked inserts left, as after
            # real imports (FTS5 merges them incrementally).
            cursor.execute("ANALYZE")
    return time.monotonic() - started


def sample(count: int, seed: int) -> dict[str, list[str]]:
    """``count`` queries of each class, drawn from the names and codes in the database."""
    from django.db import connection

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM subjects_subject")
        top = cursor.fetchone()[0]

        def rows(sql: str, wanted: int) -> list[tuple[Any, ...]]:
            found: list[tuple[Any, ...]] = []
            while len(found) < wanted:
                cursor.execute(sql, [rng.randrange(top)])
                row = cursor.fetchone()
                if row:
                    found.append(row)
            return found

        current = rows(
            "SELECT normalised, name FROM subjects_subjectsearch WHERE is_current AND subject_id >= %s "
            "ORDER BY subject_id LIMIT 1",
            count * 3,
        )
        former = rows(
            "SELECT normalised FROM subjects_subjectsearch WHERE NOT is_current AND subject_id >= %s "
            "ORDER BY subject_id LIMIT 1",
            count,
        )
        codes = rows("SELECT code FROM subjects_subject WHERE id >= %s ORDER BY id LIMIT 1", count)

    def fragment(text: str, low: int, high: int) -> str:
        size = min(len(text), rng.randint(low, high))
        start = rng.randrange(len(text) - size + 1)
        return text[start : start + size]

    return {
        "2 chars": [fragment(text, 2, 2) for text, _ in current[:count]],
        "3-4 chars": [fragment(text, 3, 4) for text, _ in current[count : 2 * count]],
        "exact name": [name for _, name in current[2 * count :]],
        "former name": [fragment(text, 3, 5) for (text,) in former],
        "exact code": [code for (code,) in codes],
    }


def worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xinyong.subjects.search import search

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subjects_subject")
        present = cursor.fetchone()[0]
    built = None
    if present == 0:
        built = build(args.subjects)
    elif present != args.subjects:
        raise SystemExit(f"the database holds {present:,} subjects, not {args.subjects:,}: use --rebuild")
    queries = sample(args.queries, seed=7)
    for q in [q for group in queries.values() for q in group[:20]]:
        search(q)  # warm-up: caches, not timed
    timings: dict[str, list[float]] = {}
    empty: dict[str, int] = {}
    for name in CLASSES:
        for q in queries[name]:
            started = time.perf_counter()
            page = search(q, limit=20)
            timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            empty[name] = empty.get(name, 0) + (not page.hits)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        size = cursor.fetchone()[0]
    print(json.dumps({"timings": timings, "empty": empty, "built": built, "bytes": size}))


# ---------------------------------------------------------------------------------------------------
# The driver


def create_database(admin_url: str, name: str, *, drop: bool) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        if drop:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(  # type: ignore[arg-type]
                f"CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0"
            )


def run_worker(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--subjects",
        str(args.subjects),
        "--queries",
        str(args.queries),
    ]
    env = {**os.environ, "DATABASE_URL": database_url, "XINYONG_VAR_DIR": str(args.out / "var")}
    done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--queries", type=int, default=150, help="per query class (five classes)")
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
        create_database(args.postgres_url, name, drop=args.rebuild)
        results.append(("PostgreSQL", run_worker(args, args.postgres_url.rsplit("/", 1)[0] + f"/{name}")))

    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · {platform.processor() or platform.machine()} · "
        f"{platform.platform()} · Python {platform.python_version()}"
    )
    print(f"subjects: {args.subjects:,} · queries: {args.queries} per class · limit 20 · times in ms")
    header = f"{'database':<11} {'query class':<12} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} {'no hit':>7}"
    print(header)
    for database, result in results:
        everything: list[float] = []
        for name in CLASSES:
            times = result["timings"][name]
            everything += times
            print(
                f"{database:<11} {name:<12} {len(times):>4} {percentile(times, 0.5):>7.1f} "
                f"{percentile(times, 0.95):>7.1f} {percentile(times, 0.99):>7.1f} {max(times):>7.1f} "
                f"{result['empty'][name]:>7}"
            )
        print(
            f"{database:<11} {'all':<12} {len(everything):>4} {percentile(everything, 0.5):>7.1f} "
            f"{percentile(everything, 0.95):>7.1f} {percentile(everything, 0.99):>7.1f} {max(everything):>7.1f}"
        )
        built = f"built in {result['built']:.0f} s" if result["built"] else "reused"
        print(f"{database:<11} database {result['bytes'] / 1e6:,.0f} MB, {built}")


if __name__ == "__main__":
    main()
