"""Benchmark: reading the change feed (``GET /api/v1/changes``' service, in process) on PostgreSQL.

    .venv/bin/python bench/feed.py [--rows 50000] [--limit 5000] [--rounds 3]
                                   [--database-url postgres://postgres@127.0.0.1:5432/bench_feed]

The database must exist; it is migrated, and filled once through the real intake (``xinyong import`` of
synthetic penalties from ``xinyong.demo.synthetic``, so the change log is filled by its triggers) until
it holds ``--rows`` changes. Then reads the whole feed from the start, ``--rounds`` times, in pages of
``--limit``, as centre staff and as the public (every change through ``disclosure.queries.changes_seen``:
visibility decided, values masked), and the bare scan below the horizon. Target (exchange issue):
≥ 20,000 changes/s on PostgreSQL. Prints the figures and the machine's load. Run by hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")


def fill(rows: int, url: str, out: Path) -> None:
    from xinyong.demo.synthetic import DEPARTMENTS, penalty_rows, write_csv

    env = {**os.environ, "DATABASE_URL": url, "XINYONG_VAR_DIR": str(out / "var")}
    xinyong = [sys.executable, "-m", "xinyong.cli"]
    code = DEPARTMENTS[25].uscc
    subprocess.run(
        [*xinyong, "provider", "create", "--code", code, "--name", "厦门市市场监督管理局", "--domain", "25"],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    path = out / f"feed-penalties-{rows}.csv"
    write_csv(path, penalty_rows(rows, seed=2027))
    subprocess.run(
        [*xinyong, "import", str(path), "--provider", code, "--kind", "penalty"], env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_feed")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XINYONG_VAR_DIR", str(out / "var"))

    import django

    django.setup()
    from django.core.management import call_command

    from xinyong.disclosure.audience import Audience
    from xinyong.exchange import feed
    from xinyong.exchange.models import Change

    call_command("migrate", verbosity=0)
    have = Change.objects.count()
    if have < args.rows:
        fill(args.rows - have, args.database_url, out)
    total = Change.objects.count()
    print(f"{total:,} changes; pages of {args.limit}; load average before {os.getloadavg()}")

    def whole(read: object) -> float:
        best = 0.0
        for _ in range(args.rounds):
            after, count, started = feed.Cursor(), 0, time.perf_counter()
            while True:
                n, after, more = read(after)  # type: ignore[operator]
                count += n
                if not more:
                    break
            best = max(best, count / (time.perf_counter() - started))
        return best

    def scan(after: feed.Cursor) -> tuple[int, feed.Cursor, bool]:
        rows = feed._scan(feed.Scope(Audience.STAFF), after, args.limit)
        more = len(rows) > args.limit
        rows = rows[: args.limit]
        return len(rows), feed.Cursor(rows[-1][1], rows[-1][0]) if rows else after, more

    def reader(audience: Audience):  # type: ignore[no-untyped-def]
        def read(after: feed.Cursor) -> tuple[int, feed.Cursor, bool]:
            page = feed.read(feed.Scope(audience), after, args.limit)
            return page.scanned, page.next, page.more

        return read

    for label, read in (("scan only", scan), ("centre staff", reader(Audience.STAFF)),
                        ("public", reader(Audience.PUBLIC))):  # fmt: skip
        print(f"{label:>14}: {whole(read):>10,.0f} changes/s (best of {args.rounds})")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average after {os.getloadavg()}")  # fmt: skip


if __name__ == "__main__":
    main()
