"""Benchmark: import N generated penalty rows from CSV, beside a raw baseline on the same rows.

    .venv/bin/python bench/ingest.py [--rows 1000000] [--db sqlite|postgresql|both]
                                     [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]

The platform figure is `xinyong import FILE --provider …` run as a subprocess on a fresh, migrated
database: wall time from start to exit, and the child's peak RSS. The raw baselines load the same CSV
into an unindexed table: PostgreSQL `COPY … FROM STDIN (FORMAT csv)` fed the file's bytes, and SQLite
`executemany` over `csv.reader` rows in one transaction. Target (issue 2): at least half the baseline's
rate, peak RSS ≤ 500 MB. Run by hand; prints a table.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")


def generate(rows: int, out: Path) -> Path:
    import django

    django.setup()
    from xinyong.demo.synthetic import penalty_rows, write_csv

    path = out / f"penalties-{rows}.csv"
    if not path.exists():
        started = time.monotonic()
        partial = path.with_suffix(".partial")  # an interrupted run must not leave a short file behind
        write_csv(partial, penalty_rows(rows, seed=2026))
        partial.rename(path)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - started:.0f} s")
    return path


def provider_code() -> str:
    from xinyong.demo.synthetic import DEPARTMENTS

    return DEPARTMENTS[25].uscc


#: CPU seconds (user + system) of the last child ``run`` waited for: on a shared machine the wall time
#: follows the load, the CPU time much less (bench/intake.py prints both).
LAST_CPU_SECONDS = 0.0


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of a child process."""
    global LAST_CPU_SECONDS
    started = time.monotonic()
    process = subprocess.Popen(command, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    LAST_CPU_SECONDS = usage.ru_utime + usage.ru_stime
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss // 1024


def platform_import(csv_path: Path, database_url: str, var_dir: Path) -> tuple[float, int]:
    env = {**os.environ, "DATABASE_URL": database_url, "XINYONG_VAR_DIR": str(var_dir)}
    xinyong = [sys.executable, "-m", "xinyong.cli"]
    subprocess.run([*xinyong, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [
            *xinyong,
            "provider",
            "create",
            "--code",
            provider_code(),
            "--name",
            "厦门市市场监督管理局",
            "--domain",
            "25",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return run([*xinyong, "import", str(csv_path), "--provider", provider_code(), "--kind", "penalty"], env)


def sqlite_baseline(csv_path: Path, tmp: Path) -> float:
    connection = sqlite3.connect(tmp / "raw.sqlite3")
    connection.execute("PRAGMA journal_mode=WAL")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        connection.execute(f"CREATE TABLE raw ({columns})")
        marks = ", ".join("?" * len(header))
        started = time.monotonic()
        with connection:
            connection.executemany(f"INSERT INTO raw VALUES ({marks})", reader)
        elapsed = time.monotonic() - started
    connection.close()
    return elapsed


def postgresql_baseline(csv_path: Path, admin_url: str, database: str) -> float:
    import psycopg

    with psycopg.connect(admin_url.rsplit("/", 1)[0] + f"/{database}") as connection:
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        columns = ", ".join(f"c{i} text" for i in range(len(header)))
        connection.execute(f"CREATE TABLE raw ({columns})")  # type: ignore[arg-type]
        started = time.monotonic()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY raw FROM STDIN (FORMAT csv, HEADER true)") as copy,
            csv_path.open("rb") as data,
        ):
            while block := data.read(1 << 20):
                copy.write(block)
        connection.commit()
        return time.monotonic() - started


def create_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
        connection.execute(  # type: ignore[arg-type]
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path = generate(args.rows, args.out)
    rows = args.rows

    results = []
    with tempfile.TemporaryDirectory(dir=args.out) as tmp_name:
        tmp = Path(tmp_name)
        if args.db in ("sqlite", "both"):
            raw = sqlite_baseline(csv_path, tmp)
            seconds, rss = platform_import(
                csv_path, f"sqlite:///{tmp / 'xinyong.sqlite3'}", tmp / "var-sqlite"
            )
            results.append(("SQLite", seconds, rss, raw))
        if args.db in ("postgresql", "both"):
            create_database(args.postgres_url, "bench_raw")
            raw = postgresql_baseline(csv_path, args.postgres_url, "bench_raw")
            create_database(args.postgres_url, "bench_xinyong")
            url = args.postgres_url.rsplit("/", 1)[0] + "/bench_xinyong"
            seconds, rss = platform_import(csv_path, url, tmp / "var-pg")
            results.append(("PostgreSQL", seconds, rss, raw))

    print()
    print(
        f"machine: {platform.node()} · {os.cpu_count()} cores · {platform.platform()} · Python {platform.python_version()}"
    )
    print(f"rows: {rows:,}")
    print(f"{'database':<11} {'xinyong rows/s':>15} {'peak RSS MB':>12} {'raw rows/s':>12} {'ratio':>7}")
    for name, seconds, rss, raw in results:
        ours, base = rows / seconds, rows / raw
        print(f"{name:<11} {ours:>15,.0f} {rss:>12} {base:>12,.0f} {ours / base:>7.2f}")
    print(f"(this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
