"""A small real HTTP server on 127.0.0.1 for the transport tests: each path is one behaviour
(redirect, large body, slow answer, dropped keep-alive) that the emulator does not offer."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "LocalServer"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append((self.command, self.path, self.client_address[1]))
        path = self.path.split("?")[0]
        if path.startswith("/redirect"):
            self._answer(302, b"", {"Location": f"http://127.0.0.1:{self.server.server_port}/stolen"})
        elif path.startswith("/big"):
            self._answer(200, b"x" * 2_000_000)
        elif path.startswith("/big-chunked"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"c350\r\n" + b"y" * 50_000 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path.startswith("/slow"):
            time.sleep(2)
            self._answer(200, b"{}")
        elif path.startswith("/drop-after"):
            # Looks like keep-alive to the client, but the server hangs up right after.
            self._answer(200, b"{}")
            self.close_connection = True
        else:
            echo = {
                "method": self.command,
                "path": self.path,
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body": body.decode("latin-1"),
            }
            self._answer(200, json.dumps(echo).encode(), {"Content-Type": "application/json"})

    do_GET = do_POST = do_PATCH = do_DELETE = _handle


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str, int]] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up early (over-large body, timeout) is part of the tests

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
