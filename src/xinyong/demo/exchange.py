"""Demo-city data for the exchange: the development commission's officer follows the showcase companies
(信用监测), and a first batch of changes has gone to a stand-in provincial platform, one of them
refused, so the reconciliation and dead-letter pages have something to show."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import override_settings

from xinyong.accounts.models import User
from xinyong.exchange import upstream, watch
from xinyong.subjects.models import Subject

SENT = 40  # changes the stand-in province receives; the rest wait for a configured one


class _Province(BaseHTTPRequestHandler):
    """Accepts every change but the first of a batch, which it refuses (a dead letter to retry)."""

    def do_POST(self) -> None:
        changes = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["changes"]
        results = [
            {"id": c["id"], "status": "accepted", "receipt": f"FJ-DEMO-{c['id']}"}
            if n
            else {"id": c["id"], "status": "rejected", "reason": "演示：省平台字段校验未通过"}
            for n, c in enumerate(changes)
        ]
        body = json.dumps({"results": results}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def seed_exchange(username: str = "fgw") -> None:
    officer = User.objects.filter(username=username, kind=User.Kind.UNIT).first()
    if officer is not None:
        showcase = Subject.objects.filter(name__startswith="厦门演示").values_list("code", flat=True)
        watch.follow(officer, list(showcase))
    upstream.queue_changes()
    province = ThreadingHTTPServer(("127.0.0.1", 0), _Province)
    threading.Thread(target=province.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{province.server_address[1]}/changes"
        with override_settings(XINYONG_UPSTREAM_URL=url, XINYONG_UPSTREAM_BATCH=SENT // 2):
            upstream.send_due(max_batches=2)
    finally:
        province.shutdown()
        province.server_close()
    watch.watch_changes()
