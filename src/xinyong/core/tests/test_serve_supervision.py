"""``xinyong serve`` as an operator runs it: real processes on a loopback port, over a SQLite database
of their own (whatever database the suite itself runs on).

GIVEN serve with gunicorn and the worker, WHEN it gets SIGTERM, THEN both children stop and the port
is free; WHEN the worker is killed, THEN a new one is started; WHEN another connection holds SQLite's
write lock, THEN a public page is still served, and counted (the rate counts have a file of their own).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from xinyong.core.jobs import registered
from xinyong.core.management.commands import serve

START_SECONDS = 60.0


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database for the served platform, shared by this module's tests. SQLite even
    when the suite runs on PostgreSQL (so not ``core.testing.ThrowawayDatabase``): the write-lock test
    needs SQLite's one writer at a time."""
    directory = tmp_path_factory.mktemp("serve-var")
    subprocess.run([sys.executable, "-m", "xinyong.cli", "migrate", "-v0"], env=_env(directory), check=True)
    return directory


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XINYONG_PUBLIC_URL")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "xinyong.settings",
        "XINYONG_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _children(pid: int) -> dict[int, str]:
    """Live child processes of ``pid``: their pid and command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        # The command name in parentheses may hold blanks: the fields after it are fixed.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(what: str, condition: Callable[[], object], timeout: float = START_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _get(port: int, path: str = "/", timeout: float = 5.0) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as refused:
        return refused.code


def _answers(port: int) -> bool:
    try:
        return _get(port) == 200
    except OSError:
        return False


class Served:
    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def workers(self) -> list[int]:
        return [pid for pid, cmd in _children(self.process.pid).items() if cmd.rstrip().endswith(" worker")]


@pytest.fixture
def served(var_dir: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    port = _free_port()
    log = tmp_path / "serve.log"
    extra = getattr(request, "param", [])
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "xinyong.cli", "serve", "--port", str(port), "--workers", "1", *extra],
            env=_env(var_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for("the server to answer", lambda: _answers(port) or process.poll() is not None)
        assert process.poll() is None, log.read_text()
        yield Served(process, port, log)
    finally:
        if process.poll() is None:
            process.kill()
            for child in _children(process.pid):
                os.kill(child, signal.SIGKILL)
            process.wait()


def test_it_stops_gunicorn_and_the_worker_on_sigterm_and_frees_the_port(served: Served) -> None:
    children = _children(served.process.pid)
    assert len(children) == 2, children  # gunicorn and the worker
    gunicorn = next(pid for pid, cmd in children.items() if "gunicorn" in cmd)
    gunicorn_workers = list(_children(gunicorn))
    assert gunicorn_workers

    served.process.send_signal(signal.SIGTERM)

    assert served.process.wait(timeout=30) == 0, served.log.read_text()
    for pid in [*children, *gunicorn_workers]:
        _wait_for(f"process {pid} to end", lambda pid=pid: not _alive(pid), timeout=5)  # type: ignore[misc]
    assert _port_is_free(served.port)
    assert "收到 SIGTERM，停止服务" in served.log.read_text()


def test_it_restarts_a_killed_worker(served: Served) -> None:
    (killed,) = served.workers()

    os.kill(killed, signal.SIGKILL)

    _wait_for("a new worker", lambda: served.workers() not in ([], [killed]), 15)
    assert len(served.workers()) == 1
    assert "1 秒后重启" in served.log.read_text()
    assert _get(served.port) == 200  # the web side never noticed


def test_its_worker_runs_every_registered_job_without_cron(served: Served, var_dir: Path) -> None:
    """GIVEN a platform with no run recorded, WHEN serve starts, THEN its worker's scheduler runs each
    registered job for its latest slot and records how it went."""
    expected = {job.name for job in registered()}

    def finished() -> set[str]:
        with sqlite3.connect(var_dir / "xinyong.sqlite3") as db:
            rows = db.execute("SELECT job FROM core_jobrun WHERE finished_at IS NOT NULL").fetchall()
        return {job for (job,) in rows}

    _wait_for("every job to run", lambda: finished() >= expected, 60)
    assert finished() == expected, served.log.read_text()


@pytest.mark.parametrize("served", [["--no-worker"]], indirect=True)
def test_a_public_page_is_served_while_another_connection_holds_the_write_lock(
    served: Served, var_dir: Path
) -> None:
    assert _get(served.port) == 200  # the web worker's connection is open
    counted_before = _rate_count(var_dir)
    holder = sqlite3.connect(var_dir / "xinyong.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, as a long import chunk holds it
        started = time.monotonic()

        assert _get(served.port) == 200  # not 500 after SQLite's 10-second busy timeout

        assert time.monotonic() - started < 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # The main file's lock does not reach the rate counts: the request was counted, not let through.
    assert "公共访问计数写入失败" not in served.log.read_text()
    # 1: a new minute began between the two requests, and its first count pruned the old ones.
    assert _rate_count(var_dir) in (counted_before + 1, 1)


def _rate_count(var_dir: Path) -> int:
    with sqlite3.connect(var_dir / "ratelimit.sqlite3") as counts:
        (total,) = counts.execute("SELECT sum(count) FROM rate_window").fetchone()
    return int(total)


# --- the supervisor's rules with stand-in children (seconds instead of minutes) ----------------------


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, line: str) -> None:
        self.lines.append(line)


@pytest.fixture
def fast_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "RESTART_FIRST_SECONDS", 0.05)
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.02)


def test_it_gives_up_on_a_worker_that_cannot_stay_up_and_stops_the_server(fast_restarts: None) -> None:
    out = _Lines()
    supervisor = serve.Supervisor(
        _python("import time; time.sleep(60)"), _python("raise SystemExit(3)"), dict(os.environ), out
    )

    assert supervisor.run() == 1

    assert supervisor.server is not None and supervisor.server.poll() is not None
    assert sum("秒后重启" in line for line in out.lines) == serve.MAX_QUICK_DEATHS - 1
    assert f"任务进程连续 {serve.MAX_QUICK_DEATHS} 次启动后很快退出（状态 3），停止服务。" in out.lines


def test_a_server_that_ends_by_itself_ends_serve_non_zero_and_stops_the_worker(fast_restarts: None) -> None:
    supervisor = serve.Supervisor(
        _python("import time; time.sleep(0.5); raise SystemExit(0)"),
        _python("import time; time.sleep(60)"),
        dict(os.environ),
        _Lines(),
    )

    assert supervisor.run() == 1

    assert supervisor.worker is not None and supervisor.worker.poll() is not None


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
        ("0.0.0.0", f"http://{socket.getfqdn()}:8000"),  # noqa: S104 (a value, not a bind)  # noqa: S104 (a value, not a bind)
    ],
)
def test_the_public_address_is_the_served_one(host: str, url: str) -> None:
    assert serve.public_url_for(host, 8000) == url


def test_a_configured_public_address_is_kept(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setenv("XINYONG_PUBLIC_URL", "https://credit.example.gov.cn/")
    settings.PUBLIC_BASE_URL = "https://credit.example.gov.cn"

    assert serve.derive_public_url("127.0.0.1", 8123) == "https://credit.example.gov.cn"
    assert settings.PUBLIC_BASE_URL == "https://credit.example.gov.cn"


def test_without_a_configured_address_the_served_one_is_used(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setenv("XINYONG_PUBLIC_URL", "")  # unset (and restored after the test)
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"

    assert serve.derive_public_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"

    assert os.environ["XINYONG_PUBLIC_URL"] == "http://127.0.0.1:8123"  # for the children
    assert settings.PUBLIC_BASE_URL == "http://127.0.0.1:8123"  # for this process
