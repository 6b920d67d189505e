"""What the benchmark scripts share: percentiles and their printed line, bench/search.py's database
helpers, the departments that send the synthetic records, and serving the platform to ``wrk``.
Imported by the scripts as ``common`` (a script's own directory is on ``sys.path``)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

#: Departments (report domains of 厦信用办〔2024〕1号) that send the synthetic records: market supervision,
#: environment, construction, culture and tourism, health, tax.
DOMAINS = (25, 13, 14, 19, 20, 33)


def search_bench() -> ModuleType:
    """bench/search.py, for its builder and database helpers."""
    spec = importlib.util.spec_from_file_location("bench_search", BENCH / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(database: str, what: str, times: list[float]) -> str:
    """One row of a timing table: count, p50, p95, p99 and max."""
    return (
        f"{database:<11} {what:<34} {len(times):>5} {percentile(times, 0.5):>8.1f} "
        f"{percentile(times, 0.95):>8.1f} {percentile(times, 0.99):>8.1f} {max(times):>8.1f}"
    )


def providers(kinds: tuple[str, ...] = ("penalty", "licence")) -> dict[int, Any]:
    """One provider per department of ``DOMAINS``, allowed ``kinds`` in its domain (created once).
    Needs Django set up."""
    from xinyong.catalog.models import Domain, Provider
    from xinyong.catalog.services import create_provider
    from xinyong.demo.synthetic import DEPARTMENTS

    found = {}
    for number in DOMAINS:
        authority = DEPARTMENTS[number]
        provider = Provider.objects.filter(code=authority.uscc).first()
        if provider is None:
            domain = Domain.objects.get(number=number)
            provider, _ = create_provider(
                code=authority.uscc, name=authority.name, domains=[domain], kind_codes=kinds
            )
        found[number] = provider
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within 60 s")


def parse_wrk(text: str) -> dict[str, Any]:
    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    latency = {m[0]: ms(m[1]) for m in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
    requests = re.search(r"(\d+) requests in", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    # "connect 0, read 0, write 0, timeout 12": absent when there were none.
    socket_counts = (
        {k: int(v) for k, v in re.findall(r"(connect|read|write|timeout) (\d+)", errors.group(1))}
        if errors
        else {}
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "requests": int(requests.group(1)) if requests else 0,
        "p50": latency.get("50"),
        "p75": latency.get("75"),
        "p90": latency.get("90"),
        "p99": latency.get("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
        "socket_error_count": sum(socket_counts.values()),
    }


def ensure_wrk() -> None:
    """``wrk`` on the PATH, installed with the project's own installer (scripts/packages.sh) if missing."""
    if shutil.which("wrk") is None:
        # As for the test suite's packages; it warns where it cannot install.
        subprocess.run(
            ["bash", "-c", "source scripts/packages.sh && ensure_packages wrk"], cwd=REPO, check=False
        )
        if shutil.which("wrk") is None:
            raise SystemExit("wrk is not installed and could not be: apt-get install wrk")
