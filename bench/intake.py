"""Benchmark: the intake pipeline against the database's raw rate, with its memory, size and profile.

    .venv/bin/python bench/intake.py [--rows 100000] [--db sqlite|postgresql|both]
                                     [--api-calls 20] [--profile]
                                     [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

For each database, on the same generated CSV of N penalty rows (bench/ingest.py's generator):

- raw baseline: the rows into an unindexed table (PostgreSQL ``COPY … FROM STDIN``, SQLite
  ``executemany`` in one transaction);
- file import: ``xinyong import FILE`` as a subprocess on a fresh, migrated database: rows/s, rows
  per CPU second of the child (what to compare on a loaded machine: the wall rate follows the load)
  and the child's peak RSS, then the database's size (PostgreSQL ``pg_database_size``, SQLite file + WAL);
- API: ``--api-calls`` calls of ``POST /api/v1/records`` with 1,000 new records each (in-process
  test client, no network), p50/p95 in ms;
- ``--profile``: the file import again on a fresh database under cProfile; the top functions by own
  time and by cumulative time are printed, so the figures say where the time goes.

Targets (issue "Collection at the speed of COPY"): import ≥ 0.5× raw on each database, peak RSS ≤ 500 MB,
API p50 ≤ 100 ms on PostgreSQL for 1,000 records, ≤ 1.5 GB per million records. Run by hand; the
machine's load average is printed with the figures because the machine is usually shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ingest

REPO = Path(__file__).resolve().parent.parent
API_RECORDS = 1000


def database_size(url: str, var_dir: Path) -> int:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        assert row is not None
        return int(row[0])


def fresh_database(kind: str, args: argparse.Namespace, tmp: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / name}.sqlite3"
    ingest.create_database(args.postgres_url, name)
    return args.postgres_url.rsplit("/", 1)[0] + f"/{name}"


def worker_api(calls: int) -> None:
    """In the child (DATABASE_URL set): ``calls`` API calls of 1,000 new penalty records each."""
    import django

    django.setup()
    from django.test import Client

    from xinyong.catalog.models import Provider
    from xinyong.catalog.services import issue_key
    from xinyong.demo.synthetic import penalty_rows

    provider = Provider.objects.get(code=ingest.provider_code())
    key = issue_key(provider, label="bench")
    client = Client()
    times, cpu = [], []
    # Seeds other than the file's, so every call creates records (the costly case).
    for call in range(calls):
        rows = [dict(r) for r in penalty_rows(API_RECORDS, seed=9000 + call)]
        body = json.dumps({"kind": "penalty", "records": rows}, ensure_ascii=False)
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.post(
            "/api/v1/records", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"API call failed: {response.status_code} {response.content[:300]!r}")
    times.sort()
    cpu.sort()
    p95 = min(len(times) - 1, int(len(times) * 0.95))
    print(json.dumps({"p50": times[len(times) // 2], "p95": times[p95], "cpu_p50": cpu[len(cpu) // 2]}))


def api_calls(url: str, var_dir: Path, calls: int) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": url, "XINYONG_VAR_DIR": str(var_dir)}
    result = subprocess.run(
        [sys.executable, __file__, "--worker-api", str(calls)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def profile(csv_path: Path, url: str, var_dir: Path, out: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url, "XINYONG_VAR_DIR": str(var_dir)}
    xinyong = [sys.executable, "-m", "xinyong.cli"]
    subprocess.run([*xinyong, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*xinyong, "provider", "create", "--code", ingest.provider_code(), "--name", "厦门市市场监督管理局", "--domain", "25"],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "xinyong.cli"]
    command += ["import", str(csv_path), "--provider", ingest.provider_code(), "--kind", "penalty", "--quiet"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--api-calls", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--worker-api", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_api is not None:
        worker_api(args.worker_api)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = ingest.generate(args.rows, args.out)
    load_before = os.getloadavg()

    results = []
    with tempfile.TemporaryDirectory(dir=args.out) as tmp_name:
        tmp = Path(tmp_name)
        kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        for kind in kinds:
            if kind == "sqlite":
                raw = ingest.sqlite_baseline(csv_path, tmp)
            else:
                ingest.create_database(args.postgres_url, "bench_raw")
                raw = ingest.postgresql_baseline(csv_path, args.postgres_url, "bench_raw")
            url = fresh_database(kind, args, tmp, "bench_xinyong")
            var_dir = tmp / f"var-{kind}"
            seconds, rss = ingest.platform_import(csv_path, url, var_dir)
            cpu = ingest.LAST_CPU_SECONDS
            size = database_size(url, var_dir)
            api = api_calls(url, var_dir, args.api_calls) if args.api_calls else {}
            results.append((kind, seconds, cpu, rss, raw, size, api))
            if args.profile:
                print(f"\n=== profile: {kind}, {args.rows:,} rows ===")
                profile(
                    csv_path,
                    fresh_database(kind, args, tmp, "bench_profile"),
                    tmp / f"var-p-{kind}",
                    tmp / f"{kind}.prof",
                )

    rows = args.rows
    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · {platform.platform()} · Python {platform.python_version()}"
    )
    print(f"load average before: {load_before[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"rows: {rows:,}")
    print(
        f"{'database':<11} {'xinyong rows/s':>15} {'rows/CPU-s':>11} {'raw rows/s':>11} {'ratio':>6} {'peak RSS MB':>12} "
        f"{'DB MB':>7} {'MB/1M rows':>11} {'API p50 ms':>11} {'API p95 ms':>11} {'API CPU p50':>12}"
    )
    for kind, seconds, cpu, rss, raw, size, api in results:
        ours, base = rows / seconds, rows / raw
        print(
            f"{kind:<11} {ours:>15,.0f} {rows / cpu:>11,.0f} {base:>11,.0f} {ours / base:>6.2f} {rss:>12} {size / 1e6:>7.0f} "
            f"{size / 1e6 * 1e6 / rows:>11,.0f} {api.get('p50', 0):>11.0f} {api.get('p95', 0):>11.0f} {api.get('cpu_p50', 0):>12.0f}"
        )


if __name__ == "__main__":
    main()
