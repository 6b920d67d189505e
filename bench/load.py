"""Load test: many clients at once on the public site, the search API and report verification.

    .venv/bin/python bench/load.py [--connections 200] [--duration 60] [--workers 4] [--subjects 2000]
                                   [--reports 20] [--threads 2] [--timeout 10] [--no-rate-limit]
                                   [--rebuild]

``wrk`` (installed with ``scripts/packages.sh`` if missing) with ``--connections`` connections for
``--duration`` seconds against ``xinyong serve --no-worker --workers N`` (gunicorn, the production
entry point) on a free loopback port, over the demo city (``xinyong demo --subjects N`` in the SQLite
database ``bench/out/load-N.sqlite3``, built once and reused; ``--rebuild`` builds it again). Before
the run, in process, ``--reports`` special credit reports are issued to demo companies, so that
verification finds real reports.

Each connection walks a shuffled list of requests (``bench/out/load.lua``):

- public pages (55 %): the home page, the 双公示 lists (some pages deep, some filtered by domain),
  subjects' public pages and the search page;
- the search API (25 %): ``GET /api/v1/subjects?q=`` with name fragments and full codes;
- verification (20 %): ``GET /api/v1/reports/verify`` with the issued reports' numbers and codes, and
  with a few unknown numbers (answered 200, status ``unknown``).

All requests come from 127.0.0.1, so the per-address limits (core.ratelimit) would refuse nearly all
of them. By default they stay on with a limit of 10^9 a minute: every anonymous request writes its
counter, as in production, and none is refused. ``--no-rate-limit`` turns them off (0).

Prints requests/s, latency percentiles, and the errors: answers other than 2xx/3xx and socket errors
(connect, read, write, and timeouts after ``--timeout`` seconds). The target is 0 errors. Afterwards
the server's log (``bench/out/load-serve.log``) is searched for tracebacks. Run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import REPO, ensure_wrk, free_port, parse_wrk, wait_until_up

OUT = REPO / "bench" / "out"
RATE_LIMIT_ON = 1_000_000_000  # a limit that counts every request and refuses none
MIX = {"public": 55, "search": 25, "verify": 20}  # per cent of the requests
PATHS_PER_LIST = 400  # distinct requests in the walked list, in the MIX proportions


# ---------------------------------------------------------------------------------------------------
# In the worker process (Django set up against the load database)


def prepare(reports: int, seed: int) -> dict[str, Any]:
    """Issues ``reports`` special reports (one per company with records, as its own verified account)
    and returns what the requests are made of: subjects' public codes and names, report pairs."""
    import django

    django.setup()
    from xinyong.accounts.models import User
    from xinyong.core import clock
    from xinyong.records.models import CreditRecord
    from xinyong.reports import services
    from xinyong.reports.models import Report
    from xinyong.subjects.models import Subject

    rng = random.Random(seed)
    organisations = list(
        Subject.objects.filter(kind=Subject.Kind.ORGANISATION).order_by("code").values_list("code", "name")
    )
    with_records = set(CreditRecord.objects.values_list("subject_code", flat=True).distinct())
    pairs = [(r.number, r.verification_code) for r in Report.objects.all()[:reports]]
    for code, _name in rng.sample([o for o in organisations if o[0] in with_records], reports):
        if len(pairs) >= reports:
            break
        user, _ = User.objects.get_or_create(
            username=f"load-{code}",
            defaults={"kind": User.Kind.SUBJECT, "subject_code": code, "verified_at": clock.now()},
        )
        report = services.request_report(
            services.Requester(user, user.username), code, edition="special", years=3
        )
        pairs.append((report.number, report.verification_code))
    return {"organisations": organisations, "pairs": pairs}


# ---------------------------------------------------------------------------------------------------
# The driver


def environment(args: argparse.Namespace) -> dict[str, str]:
    limit = "0" if args.no_rate_limit else str(RATE_LIMIT_ON)
    return {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
        "DATABASE_URL": f"sqlite:///{OUT / f'load-{args.subjects}.sqlite3'}",
        "XINYONG_VAR_DIR": str(OUT / f"load-{args.subjects}-var"),
        "XINYONG_PUBLIC_REQUESTS_PER_MINUTE": limit,
        "XINYONG_SEARCH_REQUESTS_PER_MINUTE": limit,
    }


def xinyong(*args: str) -> list[str]:
    return [sys.executable, "-m", "xinyong.cli", *args]


def build(args: argparse.Namespace) -> None:
    database = OUT / f"load-{args.subjects}.sqlite3"
    if args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    if not database.exists():
        subprocess.run(
            xinyong("demo", "--no-serve", "--subjects", str(args.subjects)),
            env=environment(args),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def requests(made_of: dict[str, Any], seed: int) -> list[str]:
    """The walked list: ``PATHS_PER_LIST`` requests in the ``MIX`` proportions, shuffled."""
    from urllib.parse import quote

    rng = random.Random(seed)
    organisations = made_of["organisations"]
    pairs = made_of["pairs"]

    def public() -> str:
        choice = rng.random()
        if choice < 0.1:
            return "/"
        if choice < 0.4:
            which = rng.choice(["penalties", "licences"])
            return rng.choice(
                [f"/publicity/{which}/", f"/publicity/{which}/?page={rng.randint(2, 20)}",
                 f"/publicity/{which}/?domain={rng.choice([13, 14, 25, 33])}"]
            )  # fmt: skip
        if choice < 0.8:
            return f"/s/{rng.choice(organisations)[0]}/"
        return f"/search/?q={quote(fragment(rng.choice(organisations)[1]))}"

    def fragment(name: str) -> str:
        name = "".join(c for c in name if c.isalnum())  # search needs two characters that count
        start = rng.randrange(max(1, len(name) - 3))
        return name[start : start + rng.randint(2, 4)]

    def search() -> str:
        code, name = rng.choice(organisations)
        q = code if rng.random() < 0.2 else fragment(name)
        return f"/api/v1/subjects?q={quote(q)}&limit=20"

    def verify() -> str:
        if rng.random() < 0.1:
            return f"/api/v1/reports/verify?number=XY{rng.randrange(10**12)}&code=ABCD1234"
        number, code = rng.choice(pairs)
        return f"/api/v1/reports/verify?number={quote(number)}&code={quote(code)}"

    makers = {"public": public, "search": search, "verify": verify}
    paths = [makers[kind]() for kind, share in MIX.items() for _ in range(PATHS_PER_LIST * share // 100)]
    rng.shuffle(paths)
    return paths


LUA = """
local paths = {%s}
local counter = 0
setup = function(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i + offset) %% #paths) + 1])
end
"""


def run(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    env = environment(args)
    made_of = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--prepare", "--reports", str(args.reports)],
            env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip().splitlines()[-1]
    )  # fmt: skip
    paths = requests(made_of, seed=1)
    script = OUT / "load.lua"
    script.write_text(LUA % ",".join(json.dumps(p, ensure_ascii=False) for p in paths))
    port = free_port()
    log_path = OUT / "load-serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            xinyong("serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)),
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/robots.txt", server)
        base = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-s", str(script), "--latency",
                "--timeout", f"{args.timeout}s"]  # fmt: skip
        subprocess.run([*base, "-d", "5s", url], check=True, capture_output=True)  # warm-up, not counted
        done = subprocess.run(
            [*base, "-d", f"{args.duration}s", url], check=True, capture_output=True, text=True
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the serve command and its gunicorn, started above
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return parse_wrk(done.stdout), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the measured run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (they share the cores)")
    parser.add_argument("--timeout", type=int, default=10, help="seconds before wrk counts a timeout")
    parser.add_argument("--subjects", type=int, default=2000, help="size of the demo city")
    parser.add_argument("--reports", type=int, default=20, help="reports issued for verification")
    parser.add_argument("--no-rate-limit", action="store_true", help="turn the per-address limits off")
    parser.add_argument("--rebuild", action="store_true", help="build the demo database again")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # the worker step
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.reports, seed=1), ensure_ascii=False))
        return
    ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    build(args)
    load_before = os.getloadavg()[0]
    result, raw = run(args)
    # The machine may be shared: the figures mean little without the load they were taken under.
    load_after = os.getloadavg()[0]
    tracebacks = (OUT / "load-serve.log").read_text(errors="replace").count("Traceback")
    limits = "off" if args.no_rate_limit else f"on, {RATE_LIMIT_ON:.0e}/min (counted, none refused)"
    print(raw)
    print(
        f"{args.connections} connections × {args.duration} s, {args.workers} gunicorn workers, SQLite, "
        f"demo city of {args.subjects} subjects, rate limits {limits}; "
        f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after, {os.cpu_count()} cores"
    )
    print(
        f"requests/s {result['rps']:,.0f} · requests {result['requests']:,} · latency ms p50 {result['p50']:.1f} "
        f"p75 {result['p75']:.1f} p90 {result['p90']:.1f} p99 {result['p99']:.1f}"
    )
    errors = result["non_2xx"] + result["socket_error_count"]
    print(
        f"errors {errors}: non-2xx/3xx {result['non_2xx']}, socket errors {result['socket_error_count']}"
        f"{' (' + result['socket_errors'] + ')' if result['socket_errors'] else ''}; "
        f"tracebacks in the server log {tracebacks}"
    )
    if errors or tracebacks:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
