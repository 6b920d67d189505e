"""``xinyong serve``: the platform behind gunicorn (a production-style WSGI server) plus a task worker,
supervised.

- **A dead worker is restarted**, after a back-off (1 s, doubling to ``RESTART_CAP_SECONDS``). A worker
  that dies ``MAX_QUICK_DEATHS`` times in a row, each time within ``HEALTHY_AFTER_SECONDS`` of its start,
  cannot be kept running: serve stops gunicorn and exits with status 1, so a service manager sees it.
- **gunicorn ending on its own** (it could not bind the port, its workers cannot boot) ends serve too,
  with the worker stopped and status 1.
- **SIGTERM or SIGINT** (Ctrl+C, ``systemctl stop``, ``docker stop``): both children get SIGTERM, are
  waited for ``STOP_GRACE_SECONDS`` and killed if still there; serve exits 0 and the port is free.
- **The public address.** Without ``XINYONG_PUBLIC_URL``, the children are given the address serve
  listens on, so report QR codes and verification links point at this server (``public_url_for``).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)

PUBLIC_URL_ENV = "XINYONG_PUBLIC_URL"
RESTART_FIRST_SECONDS = 1.0
RESTART_CAP_SECONDS = 60.0
#: A worker that lived this long was healthy: its next death starts the count again.
HEALTHY_AFTER_SECONDS = 60.0
MAX_QUICK_DEATHS = 5
STOP_GRACE_SECONDS = 20.0
POLL_SECONDS = 0.2


def public_url_for(host: str, port: int) -> str:
    """The address a browser reaches this server at: the machine's name when listening on every
    interface (0.0.0.0 / ::), brackets around an IPv6 address."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (naming the wildcard, not binding to it)
        host = socket.getfqdn()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def derive_public_url(host: str, port: int) -> str:
    """Unless ``XINYONG_PUBLIC_URL`` is set, make the served address the public one, for this process
    (``settings.PUBLIC_BASE_URL``) and the children it starts (the environment); returns it."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    if configured:
        return configured.rstrip("/")
    url = public_url_for(host, port)
    os.environ[PUBLIC_URL_ENV] = url
    settings.PUBLIC_BASE_URL = url
    return url


class Supervisor:
    """Runs gunicorn and (optionally) the worker; see the module docstring for the rules."""

    def __init__(self, gunicorn: list[str], worker: list[str] | None, env: dict[str, str], out: Any) -> None:
        self.gunicorn_command, self.worker_command, self.env, self.out = gunicorn, worker, env, out
        self.stop_signal: int | None = None
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_started = 0.0
        self.quick_deaths = 0
        self.restart_at: float | None = None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signal = signum

    def _start_worker(self) -> None:
        assert self.worker_command is not None
        self.worker = subprocess.Popen(self.worker_command, env=self.env)  # noqa: S603
        self.worker_started = time.monotonic()
        self.out.write(f"任务进程已启动（pid {self.worker.pid}）")

    def run(self) -> int:
        """Until a stop signal or a failure; returns the exit status."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            if self.worker_command is not None:
                self._start_worker()
            self.server = subprocess.Popen(self.gunicorn_command, env=self.env)  # noqa: S603
            return self._watch()
        finally:
            self._stop_children()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _watch(self) -> int:
        assert self.server is not None
        while self.stop_signal is None:
            code = self.server.poll()
            if code is not None:
                self.out.write(f"gunicorn 已退出（状态 {code}），停止服务。")
                return code or 1
            if not self._keep_worker():
                return 1
            time.sleep(POLL_SECONDS)
        self.out.write(f"收到 {signal.Signals(self.stop_signal).name}，停止服务…")
        return 0

    def _keep_worker(self) -> bool:
        """Restarts a dead worker when its back-off is over; False when it cannot be kept running."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self._start_worker()
            return True
        if self.worker is None:
            return True
        code = self.worker.poll()
        if code is None:
            return True
        lived = now - self.worker_started
        self.quick_deaths = self.quick_deaths + 1 if lived < HEALTHY_AFTER_SECONDS else 1
        if self.quick_deaths >= MAX_QUICK_DEATHS:
            self.out.write(f"任务进程连续 {self.quick_deaths} 次启动后很快退出（状态 {code}），停止服务。")
            return False
        delay = min(RESTART_CAP_SECONDS, RESTART_FIRST_SECONDS * 2 ** (self.quick_deaths - 1))
        self.out.write(f"任务进程已退出（状态 {code}，运行 {lived:.0f} 秒），{delay:.0f} 秒后重启。")
        logger.warning(
            "task worker exited with status %s after %.0f s; restarting in %.0f s", code, lived, delay
        )
        self.worker, self.restart_at = None, now + delay
        return True

    def _stop_children(self) -> None:
        children = [c for c in (self.worker, self.server) if c is not None and c.poll() is None]
        for child in children:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the background task worker beside it, supervised."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any) -> None:
        public_url = derive_public_url(host, port)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
        worker = None if no_worker else [sys.executable, "-m", "xinyong.cli", "worker"]
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "xinyong.wsgi:application",
            "--bind",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
            # Within serve's own grace period, so a stop never needs SIGKILL for a healthy server.
            "--graceful-timeout",
            str(int(STOP_GRACE_SECONDS / 2)),
        ]
        self.stdout.write(f"xinyong serving on http://{host}:{port}/  (Ctrl+C to stop)")
        self.stdout.write(f"报告二维码与核验链接指向 {public_url}")
        status = Supervisor(gunicorn, worker, env, self.stdout).run()
        if status:
            raise CommandError("服务异常停止", returncode=status)
