"""A synthetic credit city at benchmark scale, written straight into PostgreSQL with COPY (not through intake).

    .venv/bin/python bench/dataset.py [--database xinyong_bench] [--subjects 1000000] [--records 10000000]
                                      [--versions] [--seed 2026] [--recreate]
                                      [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

Creates the database when missing (UTF-8, C.UTF-8, as docs/operations.md asks), migrates it, then fills an
empty one with N subjects and M credit records; a database already holding subjects is left as it is
(``--recreate`` drops it first). Reusable: other benchmarks call ``ensure(name, subjects, records)`` or
``fill(...)`` and read ``database_url(name)``.

What it writes, by design close to a city's real mix (the numbers are the generator's, not policy):

- subjects: 85 % companies (valid USCCs with the embedded GB 11714 check), 10 % individual businesses,
  5 % persons (valid resident ID numbers); names "厦门基准<n>有限公司";
- one provider per report domain (the demo city's departments, ``xinyong.demo.synthetic.DEPARTMENTS``);
- records: licences 45 %, penalties 33 %, abnormal-operation entries 6 %, arrears 4 %, enforcement 3 %,
  commendations 3 %, commitments 2 %, key-attention entries 2 %, serious-dishonesty entries 1 %,
  broken commitments 1 %; each kind from its usual domains (penalties mostly market supervision, tax,
  environment, construction, safety, public security); decision dates uniform from 2020-08-01 to the
  build day; penalties 10 % 严重, 15 % 轻微, else 一般; half the list, arrear and enforcement entries
  ended (移出/缴清/解除) some months after entry; records spread over subjects with a long tail (the first
  subjects hold hundreds of records, many hold none), the usual shape of enforcement data;
- overlays: 1 % of dishonesty records repaired, 0.3 % revoked;
- with ``--versions``, one ``RecordVersion`` per record (minimal data) in one batch per provider, for
  benchmarks that render records; without it only ``CreditRecord`` rows, which is what set-based jobs read.

Rows are generated in Python in chunks of 200,000 and sent with ``COPY … FROM STDIN``; secondary indexes
of the records table are dropped during the load and built again after it. Prints the time per stage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CHUNK = 200_000
NULL = "\\N"  # COPY's text format
START = dt.date(2020, 8, 1)

#: kind → (share of records, {domain: weight}, severity, whether it ends by an exit date)
KINDS: dict[str, tuple[float, dict[int, float], str, bool]] = {
    "licence": (0.45, {25: 4, 14: 2, 20: 2, 19: 1, 15: 1, 12: 1, 13: 1, 7: 1}, "none", False),
    "penalty": (0.33, {25: 6, 33: 2, 13: 2, 14: 2, 21: 1.5, 7: 2, 15: 1, 20: 1, 34: 1, 11: 0.5}, "", False),
    "abnormal_operation": (0.06, {25: 1}, "general", True),
    "arrears": (0.04, {33: 3, 11: 1, 30: 0.5}, "general", True),
    "enforcement": (0.03, {25: 1, 13: 1, 33: 1, 7: 1}, "general", True),
    "commendation": (0.03, {25: 1, 11: 1, 2: 1, 5: 1}, "none", False),
    "commitment": (0.02, {25: 2, 14: 1, 20: 1}, "none", False),
    "key_attention_list": (0.02, {33: 2, 21: 1, 15: 1, 25: 1}, "general", True),
    "serious_dishonesty_list": (0.01, {1: 5, 33: 1, 25: 1, 11: 1}, "serious", True),
    "commitment_breach": (0.01, {25: 2, 14: 1, 20: 1}, "general", False),
}
DISHONESTY = {"penalty", "abnormal_operation", "arrears", "enforcement", "key_attention_list",
              "serious_dishonesty_list", "commitment_breach"}  # fmt: skip


def database_url(name: str, admin_url: str = DEFAULT_ADMIN_URL) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _admin(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)


def _exists(admin_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _setup(url: str) -> None:
    """Django on ``url`` (one database per process), migrated."""
    os.environ["DATABASE_URL"] = url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _copy(cursor: object, table: str, columns: list[str], lines: Iterator[str]) -> None:
    raw = cursor.cursor  # type: ignore[attr-defined]  # psycopg's cursor under Django's wrapper
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= 20_000:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))


def _stage(label: str, run: Callable[[], object]) -> None:
    started = time.perf_counter()
    run()
    print(f"  {label:<40} {time.perf_counter() - started:8.1f} s", flush=True)


def _providers() -> dict[int, int]:
    """One provider per domain (its department), granted the kinds it reports; domain number → id."""
    from xinyong.catalog.models import Domain, Provider, ProviderGrant
    from xinyong.core import clock
    from xinyong.demo.synthetic import DEPARTMENTS

    domains = {d.number: d for d in Domain.objects.all()}
    found = {}
    for number, authority in DEPARTMENTS.items():
        provider, _ = Provider.objects.get_or_create(
            code=authority.uscc, defaults={"name": authority.name, "created_at": clock.now()}
        )
        for kind, (_, weights, _, _) in KINDS.items():
            if number in weights:
                ProviderGrant.objects.get_or_create(provider=provider, domain=domains[number], kind_code=kind)
        found[number] = provider.pk
    return found


def _subject_lines(count: int, rng: random.Random, stamp: str) -> Iterator[str]:
    from xinyong.subjects.codes import complete_resident_id, complete_uscc

    for n in range(1, count + 1):
        draw = rng.random()
        if draw < 0.05:
            # Unique by construction: the birth day advances every thousand subjects, the sequence is n mod 1000.
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000)
            code = complete_resident_id(f"350203{birth:%Y%m%d}{n % 1000:03d}")
            kind, code_type, name = "person", "resident_id", f"林基准{n}"
        elif draw < 0.15:
            code, kind, code_type, name = (
                complete_uscc(f"92350203{n:08d}"),
                "individual_business",
                "uscc",
                f"思明区基准{n}商行",
            )
        else:
            code, kind, code_type, name = (
                complete_uscc(f"91350203{n:08d}"),
                "organisation",
                "uscc",
                f"厦门基准{n}有限公司",
            )
        yield f"{n}\t{code}\t{code_type}\tt\t{kind}\t{name}\t陈基准\t{stamp}\t{stamp}\n"


def _record_lines(
    records: int, subjects: list[str], providers: dict[int, int], domains: dict[int, int], rng: random.Random,
    today: dt.date,
) -> Iterator[str]:  # fmt: skip
    """The records' COPY lines. Every draw is a table lookup by one ``random()``: a million rows a few seconds."""
    kinds = list(KINDS)
    kind_weights = [KINDS[k][0] for k in kinds]
    # Each kind's domains as a table of 100 slots in proportion to their weights, with the provider's id.
    slots = {}
    for kind, (_, weights, _, _) in KINDS.items():
        total = sum(weights.values())
        table = [d for d, w in weights.items() for _ in range(max(1, round(100 * w / total)))]
        slots[kind] = [(providers[d], domains[d]) for d in table]
    span = (today - START).days
    days = [(START + dt.timedelta(days=n)).isoformat() for n in range(span + 365 * 3 + 800)]
    received = [f"{day} 02:00:00+00" for day in days[3:]]
    size = len(subjects)
    done = 0
    while done < records:
        chunk = min(CHUNK, records - done)
        picked = rng.choices(kinds, kind_weights, k=chunk)
        random_ = rng.random
        for offset, kind in enumerate(picked):
            n = done + offset + 1
            # A long tail: u² puts a subject's share of records in proportion to 1/√rank.
            index = int(size * random_() ** 2)
            table = slots[kind]
            provider, domain = table[int(random_() * len(table))]
            decided = int(random_() * span)
            _, _, severity, ends = KINDS[kind]
            if not severity:
                draw = random_()
                severity = "serious" if draw < 0.10 else "minor" if draw < 0.25 else "general"
            ended = NULL
            if ends and random_() < 0.5:
                end = decided + 30 + int(random_() * 700)
                ended = days[end] if end <= span else NULL
            until = (
                NULL
                if kind in ("licence", "commitment")
                else days[decided + (1095 if severity == "serious" else 365)]
            )
            yield (
                f"{n}\t{index + 1}\t{subjects[index]}\t{provider}\t{kind}\t{domain}\tBENCH-{n}\t1\t"
                f"{days[decided]}\t{received[decided]}\t\tt\t{days[decided]}\t{until}\t\\N\t{severity}\t"
                f"bench@1\t基准数据\t{ended}\t\\N\t3\tt\tbench@1\t2\tt\tbench@1\n"
            )  # fmt: skip
        done += chunk


RECORD_COLUMNS = [
    "id", "subject_id", "subject_code", "provider_id", "kind_code", "domain_id", "key", "latest_version",
    "decision_date", "first_received_at", "hold", "published", "publish_from", "publish_until",
    "minimum_until", "severity", "publication_rule", "publication_note", "ended_on", "expired_at",
    "natural_days_to_receipt", "met_natural_day_rule", "natural_day_rule", "working_days_to_receipt",
    "met_working_day_rule", "working_day_rule",
]  # fmt: skip


def fill(subjects: int, records: int, *, seed: int = 2026, versions: bool = False) -> None:
    """Fill the (migrated, empty) database Django is connected to."""
    from django.db import connection, transaction

    from xinyong.catalog.models import Domain
    from xinyong.core import clock

    rng = random.Random(seed)
    stamp = clock.now().isoformat()
    today = clock.today()
    providers = _providers()
    domains = {d.number: d.pk for d in Domain.objects.all()}

    def load_subjects() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            columns = ["id", "code", "code_type", "code_valid", "kind", "name", "legal_representative",
                       "created_at", "updated_at"]  # fmt: skip
            _copy(cursor, "subjects_subject", columns, _subject_lines(subjects, rng, stamp))
            cursor.execute("SELECT setval(pg_get_serial_sequence('subjects_subject', 'id'), %s)", [subjects])

    _stage(f"{subjects:,} subjects", load_subjects)
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM subjects_subject ORDER BY id")
        codes = [row[0] for row in cursor.fetchall()]

    def load_records() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'records_creditrecord' "
                "AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'"
            )
            dropped = cursor.fetchall()
            for name, _ in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            # Foreign keys are checked at commit (deferred): ten million queued checks would hold gigabytes.
            # The generator writes ids it has just made, so the checks are skipped for the load.
            cursor.execute("SET LOCAL session_replication_role = replica")
            _copy(cursor, "records_creditrecord", RECORD_COLUMNS,
                  _record_lines(records, codes, providers, domains, rng, today))  # fmt: skip
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('records_creditrecord', 'id'), %s)", [records]
            )
            for _, definition in dropped:
                cursor.execute(definition)

    _stage(f"{records:,} credit records (and their indexes)", load_records)

    def load_overlays() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO records_overlay (record_id, subject_code, kind, starts_at, ends_at, stops_sharing, "
                "reason, source, created_at) "
                "SELECT id, subject_code, CASE WHEN id %% 10 < 3 THEN 'revoked' ELSE 'repaired' END, "
                "first_received_at + interval '90 days', NULL, false, '基准数据', 'bench', "
                "first_received_at + interval '90 days' FROM records_creditrecord "
                "WHERE kind_code = ANY(%s) AND id %% 77 = 0",
                [sorted(DISHONESTY)],
            )

    _stage("overlays", load_overlays)
    if versions:
        _stage("one version per record", lambda: _versions(stamp))
    with connection.cursor() as cursor:
        _stage("ANALYZE", lambda: cursor.execute("ANALYZE"))


def _versions(stamp: str) -> None:
    from django.db import connection, transaction

    from xinyong.catalog.models import RecordKind

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO collection_batch (provider_id, kind_code, source, status, filename, file_path, "
            "file_sha256, file_format, received_at, owner, rows_done, created_count, versioned_count, "
            "unchanged_count, held_count, rejected_count, error) "
            "SELECT DISTINCT provider_id, kind_code, 'api', 'done', '', '', '', '', %s::timestamptz, '', 0, 0, 0, 0, 0, 0, '' "
            "FROM records_creditrecord",
            [stamp],
        )
        kinds = {k.code: k.pk for k in RecordKind.objects.order_by("code", "version")}
        cursor.execute(
            "INSERT INTO records_recordversion (record_id, subject_code, version, kind_id, batch_id, row_number, "
            "received_at, content_hash, data, raw) "
            "SELECT r.id, r.subject_code, 1, k.id, b.id, 1, r.first_received_at, md5(r.key), "
            "jsonb_build_object('key', r.key), '[]' FROM records_creditrecord r "
            "JOIN collection_batch b ON b.provider_id = r.provider_id AND b.kind_code = r.kind_code "
            "JOIN (SELECT unnest(%s::text[]) AS code, unnest(%s::int[]) AS id) k ON k.code = r.kind_code",
            [list(kinds), list(kinds.values())],
        )


def ensure(name: str, subjects: int, records: int, *, admin_url: str = DEFAULT_ADMIN_URL,
           recreate: bool = False, versions: bool = False, seed: int = 2026) -> str:  # fmt: skip
    """The URL of database ``name``, created, migrated and filled if it holds no subjects yet."""
    if recreate and _exists(admin_url, name):
        _admin(admin_url, f'DROP DATABASE "{name}"')
    if not _exists(admin_url, name):
        _admin(admin_url, f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
    url = database_url(name, admin_url)
    _setup(url)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM subjects_subject")
        present = cursor.fetchone()[0]
    if present:
        print(f"{name}: {present:,} subjects already there; kept (--recreate to rebuild)")
    else:
        print(f"{name}: {subjects:,} subjects, {records:,} records")
        started = time.perf_counter()
        fill(subjects, records, seed=seed, versions=versions)
        print(f"  {'total':<40} {time.perf_counter() - started:8.1f} s")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="xinyong_bench")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--versions", action="store_true", help="also one RecordVersion per record")
    parser.add_argument("--recreate", action="store_true", help="drop the database first")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_ADMIN_URL, help="a database on the server to connect to"
    )
    args = parser.parse_args()
    ensure(args.database, args.subjects, args.records, admin_url=args.postgres_url, recreate=args.recreate,
           versions=args.versions, seed=args.seed)  # fmt: skip


if __name__ == "__main__":
    main()
