"""A small provincial platform for tests: an HTTP receiver on 127.0.0.1 that keeps what it accepted
and misbehaves on purpose, one scripted behaviour per request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str = ""
    #: Behaviours for the next requests, in order; "ok" once they run out. "ok": accept new ids and answer
    #: duplicates for known ones; "fail": HTTP 503; "slow": keep them but answer after the client's timeout; "reject:ID":
    #: accept all but ID, rejected; "forget": accept all but answer only the first; "unauthorised": 401.
    script: list[str] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → first body it came in
    deliveries: list[str] = field(default_factory=list)  # every id posted, repeats included
    requests: list[dict[str, Any]] = field(default_factory=list)
    slow_seconds: float = 7.0  # beyond the sender's timeout in the tests

    def handle(self, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any] | None]:
        self.requests.append({"headers": headers, "body": body})
        behaviour = self.script.pop(0) if self.script else "ok"
        if behaviour == "fail":
            return 503, None
        if behaviour == "unauthorised":
            return 401, {"error": "bad key"}
        results = []
        for change in body["changes"]:
            self.deliveries.append(change["id"])
            if behaviour == f"reject:{change['id']}":
                results.append({"id": change["id"], "status": "rejected", "reason": "字段不符合省平台标准"})
                continue
            status = "duplicate" if change["id"] in self.accepted else "accepted"
            self.accepted.setdefault(change["id"], change)
            results.append({"id": change["id"], "status": status, "receipt": f"R-{change['id']}"})
        if behaviour == "forget":
            results = results[:1]
        if behaviour == "slow":  # received and kept, but answered after the client has given up
            time.sleep(self.slow_seconds)
        return 200, {"results": results}


@contextmanager
def running(receiver: Receiver) -> Iterator[Receiver]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            status, answer = receiver.handle(body, dict(self.headers))
            payload = json.dumps(answer or {}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting ("slow")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/credit/changes"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
