"""Test support: travelling in time, and a throwaway database for tests that drive the real ``xinyong``
command in subprocesses.

Tests that drive ``xinyong`` in subprocesses (a SIGKILLed import, the browser tests against a running server) cannot use the suite's
test database: a subprocess does not see its uncommitted transaction. They get a database of the
suite's own kind instead: a SQLite file under the test's temporary directory, or, when the suite runs
on PostgreSQL, a fresh database beside the test database (dropped afterwards).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dj_database_url
import time_machine
from django.conf import settings

from xinyong.core.clock import CHINA

#: When a test travels to a day without saying the hour: office hours, a working moment.
DEFAULT_HOUR = dt.time(10)


def travel_to(moment: dt.datetime | dt.date | str, *, tick: bool = False) -> time_machine.travel:
    """Moves the clock to ``moment``, as a context manager or a decorator; the clock stands still
    unless ``tick``. Dates and times without a zone are China's (the platform's days are), and a
    day without an hour means 10:00 that day: ``travel_to("2026-02-12")``,
    ``travel_to("2026-11-22 23:59:59")``, ``travel_to(dt.date(2026, 2, 12))``,
    ``travel_to("2026-11-22 10:00 +0800")``. ``with travel_to(…) as traveller:`` lets the test move
    on with ``traveller.shift(dt.timedelta(days=1))`` or ``traveller.move_to(…)``.
    """
    if isinstance(moment, str):
        text = moment.strip()
        parsed = dt.datetime.fromisoformat(text.replace(" +", "+").replace(" -", "-"))
        moment = parsed.date() if len(text) == len("2026-02-12") else parsed
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, DEFAULT_HOUR)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return time_machine.travel(moment, tick=tick)


class ThrowawayDatabase:
    """A fresh database and ``XINYONG_VAR_DIR``, reachable by URL from ``xinyong`` subprocesses."""

    def __init__(self, tmp: Path, label: str, *, env: Mapping[str, str] | None = None) -> None:
        if not re.fullmatch(r"[a-z0-9_]+", label):
            raise ValueError(f"label {label!r} must be lower-case letters, digits and underscores")
        self.var = tmp / f"var-{label}"
        self.extra_env = dict(env or {})
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            # The suite's own DATABASE_URL names a server where it may create databases.
            self.name = f"xinyong_{label}_{uuid.uuid4().hex[:8]}"
            self.admin = dj_database_url.parse(os.environ["DATABASE_URL"])
            # A UTF-8 ctype, or trigram indexes silently index no Chinese (docs/operations.md).
            self._psql(f"CREATE DATABASE {self.name} ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0")
            self.url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.name = ""
            self.url = f"sqlite:///{tmp / f'{label}.sqlite3'}"

    def _psql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.admin["HOST"],
            port=self.admin["PORT"] or 5432,
            user=self.admin["USER"],
            password=self.admin["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(statement)

    def drop(self) -> None:
        if self.name:
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def query(self, sql: str) -> list[tuple[str, ...]]:
        """The rows of ``sql``, each value as text, sorted: comparable across engines and runs."""
        if not self.name:
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
                return sorted(tuple(str(v) for v in row) for row in conn.execute(sql))
        import psycopg

        with psycopg.connect(self.url) as conn:
            return sorted(tuple(str(v) for v in row) for row in conn.execute(sql))

    def env(self) -> dict[str, str]:
        """The environment of a subprocess using this database: the real settings, not the test ones."""
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "XINYONG_VAR_DIR": str(self.var),
            "DJANGO_SETTINGS_MODULE": "xinyong.settings",
            **self.extra_env,
        }

    def xinyong(self, *args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
        """Starts ``xinyong ARGS…``; output is piped unless ``stdout`` / ``stderr`` say otherwise."""
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        return subprocess.Popen(  # noqa: S603  # our own command, arguments from tests
            [sys.executable, "-m", "xinyong.cli", *args], env=self.env(), **{**streams, **kwargs}
        )

    def run(self, *args: str, timeout: float = 300) -> str:
        """Runs ``xinyong ARGS…`` to completion; returns its output, fails with its error output."""
        process = self.xinyong(*args)
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err.decode()
        return out.decode()

    @contextmanager
    def serve(self, log: Path, *, workers: int = 1, startup_seconds: float = 60) -> Iterator[str]:
        """``xinyong serve`` (gunicorn, no task worker) on a free loopback port, its output in ``log``;
        yields its URL without a trailing slash and stops it, with its gunicorn, on the way out."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:  # a file, not a pipe: nobody reads the access log while tests run
            server = self.xinyong(
                "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            _wait_until_serving(url, server, log, startup_seconds)
            yield url
        finally:
            _stop(server)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"xinyong serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/robots.txt", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"xinyong serve did not answer within {seconds} s:\n{log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stops ``xinyong serve`` and its gunicorn: they share the process group started for them."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)
