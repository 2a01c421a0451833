"""A scripted, misbehaving HTTP server on a loopback port for the hostile-input table
(``tests/vectors/hostile.json``): each request gets the next scripted answer (slowly, cut short,
oversized, or none at all) and is recorded. A second listener, the decoy, only counts requests:
a client following a foreign link or redirect shows up there. Real sockets, standard library."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: No connection is served for longer than this, whatever the script says.
MAX_CONNECTION_SECONDS = 10.0


@dataclass
class Seen:
    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)


class HostileServer:
    """Both listeners on 127.0.0.1; use as a context manager (``with HostileServer(...)``)."""

    def __init__(self, answers: list[dict[str, Any]], cap_seconds: float = MAX_CONNECTION_SECONDS) -> None:
        self.answers = answers
        self.cap_seconds = min(cap_seconds, MAX_CONNECTION_SECONDS)
        self.seen: list[Seen] = []
        self.decoy_hits = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listeners = [socket.create_server(("127.0.0.1", 0)) for _ in range(2)]
        self.base = f"http://127.0.0.1:{self._listeners[0].getsockname()[1]}"
        self.decoy = f"http://127.0.0.1:{self._listeners[1].getsockname()[1]}"
        for listener, is_decoy in zip(self._listeners, (False, True)):
            listener.settimeout(0.2)
            threading.Thread(target=self._accept, args=(listener, is_decoy), daemon=True).start()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for listener in self._listeners:
            listener.close()

    def _accept(self, listener: socket.socket, is_decoy: bool) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn, is_decoy), daemon=True).start()

    def _serve(self, conn: socket.socket, is_decoy: bool) -> None:
        with conn:
            conn.settimeout(10)
            seen = _read_request(conn)
            if seen is None:
                return
            with self._lock:
                if is_decoy:
                    self.decoy_hits += 1
                    answer = None
                else:
                    index = min(len(self.seen), len(self.answers) - 1)
                    self.seen.append(seen)
                    answer = self.answers[index] if self.answers else None
            if answer is None:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                return
            try:
                self._answer(conn, answer, seen)
            except OSError:
                pass  # the client hung up (a timeout, a body over its limit): part of the test

    def _answer(self, conn: socket.socket, answer: dict[str, Any], seen: Seen) -> None:
        started = time.monotonic()

        def alive() -> bool:
            return not self._stop.is_set() and time.monotonic() - started < self.cap_seconds

        if answer.get("close"):
            conn.shutdown(socket.SHUT_RDWR)
            return
        deadline = started + answer.get("headDelayMs", 0) / 1000
        while time.monotonic() < deadline and alive():
            time.sleep(0.02)
        header = dict(seen.headers)

        def fill(text: str) -> str:
            return (
                text.replace("{server}", self.base)
                .replace("{decoy}", self.decoy)
                .replace("{authorization}", header.get("authorization", ""))
                .replace("{apiKey}", header.get("x-api-key", ""))
            )

        body = bytes.fromhex(answer["bodyHex"]) if "bodyHex" in answer else fill(answer.get("body", "")).encode()
        repeat = answer.get("repeat")
        if repeat:
            body += repeat["text"].encode() * repeat["times"] + repeat.get("suffix", "").encode()
        head = f"HTTP/1.1 {answer.get('status', 200)} Scripted\r\nConnection: close\r\n"
        for name, value in answer.get("headers", []):
            head += f"{name}: {fill(value)}\r\n"
        chunked = bool(answer.get("chunked"))
        if chunked:
            head += "Transfer-Encoding: chunked\r\n\r\n"
        else:
            head += f"Content-Length: {answer.get('declaredLength', len(body))}\r\n\r\n"
        byte_delay = answer.get("byteDelayMs", 0) / 1000
        body_delay = max(byte_delay, answer.get("bodyByteDelayMs", 0) / 1000)
        if not _trickle(conn, head.encode(), byte_delay, alive):
            return
        if chunked:
            for start in range(0, len(body), 16 * 1024):
                if not alive():
                    return
                chunk = body[start : start + 16 * 1024]
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            conn.sendall(b"0\r\n\r\n")
        else:
            _trickle(conn, body, body_delay, alive)
        conn.shutdown(socket.SHUT_WR)


def _read_request(conn: socket.socket) -> Seen | None:
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        length = int(dict(headers).get("content-length", "0") or 0)
        while len(rest) < min(length, 1 << 20):
            chunk = conn.recv(65536)
            if not chunk:
                break
            rest += chunk
        return Seen(method, target, headers)
    except (OSError, ValueError):
        return None


def _trickle(conn: socket.socket, data: bytes, delay: float, alive: Any) -> bool:
    if delay <= 0:
        conn.sendall(data)
        return True
    for byte in data:
        if not alive():
            return False
        conn.sendall(bytes([byte]))
        time.sleep(delay)
    return True
