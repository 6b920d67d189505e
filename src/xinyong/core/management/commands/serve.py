"""``xinyong serve``: the platform behind gunicorn (a production-style WSGI server) plus a task worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the background task worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
        children = []
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "xinyong.cli", "worker"], env=env))
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "xinyong.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        self.stdout.write(f"xinyong serving on http://{host}:{port}/  (Ctrl+C to stop)")
        server = subprocess.Popen(gunicorn, env=env)  # noqa: S603
        children.append(server)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                child.wait(timeout=20)
