"""Benchmark: a 10,000-code batch check (信用互查) end to end, and the counter check's latency.

    .venv/bin/python bench/checks.py [--subjects 10000] [--db sqlite|postgresql]
                                     [--postgres-url postgres://postgres@127.0.0.1:5432/xinyong_bench_checks]
                                     [--checks 200]

Builds (once) a synthetic population through the platform's own intake (``submit_records``): ``--subjects``
companies, every fifth with 1–3 penalties, every tenth on a serious-dishonesty list, every twentieth on a
red list, every tenth registered with a legal representative who is then checked as a person. The SQLite
database lives under ``bench/out/``; PostgreSQL uses the database named in ``--postgres-url`` (created if
missing). Then times one batch check of all the codes (a CSV upload: reading, checking, audit trail,
result sheet, signed statement) and ``--checks`` counter checks of random codes. Targets (measures issue):
batch ≤ 5 s end to end and ≤ 2 s checking; counter check p95 small against a page's budget.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from common import line

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "src"))


def setup(db: str, url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["XINYONG_VAR_DIR"] = str(OUT / f"var-checks-{db}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xinyong.settings"
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{OUT / 'checks.sqlite3'}"
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
        os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def codes(count: int) -> list[str]:
    from xinyong.subjects.codes import complete_uscc

    return [complete_uscc(f"91350206{i:08d}") for i in range(count)]


def person(i: int) -> str:
    from xinyong.subjects.codes import complete_resident_id

    return complete_resident_id(f"350203198001{i % 28 + 1:02d}{i % 1000:03d}")


def build(count: int) -> None:
    from xinyong.catalog.models import Domain, RecordKind
    from xinyong.catalog.services import create_provider
    from xinyong.collection.services import submit_records
    from xinyong.records.models import CreditRecord
    from xinyong.subjects.codes import complete_uscc

    if CreditRecord.objects.count() >= count // 5:
        return
    authority = complete_uscc("1135020000413900")
    provider, _ = create_provider(
        code=authority, name="厦门市市场监督管理局", domains=[Domain.objects.get(number=25)],
        kind_codes=set(RecordKind.objects.values_list("code", flat=True)),
    )  # fmt: skip
    src = {"数据来源单位": "厦门市市场监督管理局", "数据来源单位统一社会信用代码": authority}
    who = lambda c, i: {"行政相对人名称": f"厦门基准{i}号有限公司", "行政相对人类别": "法人及非法人组织",  # noqa: E731
                        "统一社会信用代码": c, "法定代表人": f"法人{i}"}  # fmt: skip
    rows: dict[str, list[dict[str, str]]] = {"penalty": [], "serious_dishonesty_list": [], "red_list": [],
                                             "registration": []}  # fmt: skip
    for i, code in enumerate(codes(count)):
        if i % 5 == 0:
            for n in range(1 + i % 3):
                rows["penalty"].append(who(code, i) | src | {
                    "行政处罚决定书文号": f"厦市监罚〔2025〕{i}-{n}号", "违法行为类型": "虚假宣传", "违法事实": "虚假广告",
                    "处罚依据": "《广告法》", "处罚类别": "罚款", "处罚内容": "罚款", "罚款金额(万元)": "1",
                    "处罚决定日期": f"2025-0{1 + n}-10", "处罚有效期": "2026-12-31", "处罚机关": "厦门市市场监督管理局",
                    "处罚机关统一社会信用代码": authority})  # fmt: skip
        if i % 10 == 0:
            rows["serious_dishonesty_list"].append(who(code, i) | src | {
                "名单类型": "失信被执行人", "认定文书号": f"（2025）闽02执{i}号", "列入事由": "拒不履行", "列入依据": "规定",
                "列入日期": "2025-06-01", "认定机关": "厦门市中级人民法院", "认定机关统一社会信用代码": authority})  # fmt: skip
            rows["registration"].append(who(code, i) | src | {
                "核准文书号": f"厦市监设〔2020〕{i}号", "登记类型": "设立登记", "核准日期": "2020-09-01",
                "登记机关": "厦门市市场监督管理局", "登记机关统一社会信用代码": authority,
                "法定代表人证件号码": person(i)})  # fmt: skip
        if i % 20 == 5:
            rows["red_list"].append(who(code, i) | src | {
                "名单类型": "纳税信用A级纳税人", "认定文书号": f"厦税信〔2026〕{i}号", "认定依据": "办法",
                "认定日期": "2026-04-01", "认定机关": "国家税务总局厦门市税务局", "认定机关统一社会信用代码": authority})  # fmt: skip
    for kind, kind_rows in rows.items():
        for start in range(0, len(kind_rows), 1000):
            submit_records(provider, kind, kind_rows[start : start + 1000])


def unit_officer() -> object:
    from xinyong.accounts.models import Unit, User
    from xinyong.subjects.codes import complete_uscc

    unit, _ = Unit.objects.get_or_create(
        code=complete_uscc("1135020000987654"),
        defaults={
            "name": "厦门市发展和改革委员会",
            "purposes": ["procurement_bidding_funding_land_research"],
        },
    )
    return User.objects.filter(username="bench-fgw").first() or User.objects.create_user(
        "bench-fgw", kind=User.Kind.UNIT, unit=unit
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/xinyong_bench_checks")
    parser.add_argument("--checks", type=int, default=200)
    args = parser.parse_args()
    setup(args.db, args.postgres_url)
    started = time.perf_counter()
    build(args.subjects)
    print(f"population ready in {time.perf_counter() - started:.1f} s")

    from xinyong.checks import services
    from xinyong.measures.services import check_subject

    officer = unit_officer()
    every = codes(args.subjects)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "清单.csv"
        people = [person(i) for i in range(0, args.subjects, 10)][: args.subjects // 10]
        listed = every[: args.subjects - len(people)] + people
        path.write_text("统一社会信用代码\n" + "\n".join(listed) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        batch = services.submit(officer, path, filename="清单.csv", scenario="bidding",  # type: ignore[arg-type]
                                purpose="procurement_bidding_funding_land_research")  # fmt: skip
        t1 = time.perf_counter()
        import xinyong.checks.outputs as outputs

        timings: dict[str, float] = {}
        for name in ("write_sheet", "write_statement"):
            original = getattr(outputs, name)

            def timed(*a: object, _f: object = original, _n: str = name) -> object:
                s = time.perf_counter()
                result = _f(*a)  # type: ignore[operator]
                timings[_n] = time.perf_counter() - s
                return result

            setattr(outputs, name, timed)
        from xinyong.audit import services as audit_services

        original_many = audit_services.record_many

        def timed_many(**kw: object) -> int:
            s = time.perf_counter()
            n = original_many(**kw)  # type: ignore[arg-type]
            timings["audit"] = time.perf_counter() - s
            return n

        services.record_many = timed_many  # type: ignore[assignment]
        batch = services.run(batch)
        t2 = time.perf_counter()
    checking = (t2 - t1) - sum(timings.values())
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()}")
    print(f"batch {batch.number}: {batch.total} codes, state {batch.state}, counts {batch.counts['outcome']}")
    print(f"  read+register {1000 * (t1 - t0):.0f} ms · checking {1000 * checking:.0f} ms · "
          f"audit {1000 * timings['audit']:.0f} ms · sheet {1000 * timings['write_sheet']:.0f} ms · "
          f"statement {1000 * timings['write_statement']:.0f} ms · end to end {1000 * (t2 - t0):.0f} ms")  # fmt: skip
    rng = random.Random(7)
    times = []
    for code in rng.choices(every, k=args.checks):
        s = time.perf_counter()
        check_subject(officer, code, "bidding", "procurement_bidding_funding_land_research")  # type: ignore[arg-type]
        times.append(1000 * (time.perf_counter() - s))
    print(f"{'database':<11} {'what':<34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    print(line(args.db, "counter check (check_subject)", times))


if __name__ == "__main__":
    main()
