"""The default transport (``http.client`` from the standard library) and how failures are read.

A transport is any callable ``(Request) -> Response``. It returns every answer whatever its
status and signals a missing answer by raising ``OSError``: ``ConnectionRefusedError`` (or
another connection failure during connect) when nothing was sent, ``TimeoutError`` when no
answer came in time, any other ``OSError`` when the connection broke. The client's retry policy
tells these apart: only a request that was certainly not sent may be repeated as a POST.
"""

from __future__ import annotations

import io
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast
from urllib.parse import urlsplit

from ._native import DEFAULT_TIMEOUT, Request, Response

# http.client and ssl are imported on first use: they cost more at import than all of
# ccpa_optout, and a client with a custom transport never needs them.
if TYPE_CHECKING:
    import http.client
    import socket
    import ssl

_Connection = Union["http.client.HTTPConnection", "http.client.HTTPSConnection"]
_Key = tuple[str, str, int]
_CHUNK = 64 * 1024


class ConnectFailed(ConnectionError):
    """The connection could not be opened: the request was certainly not sent."""


class ResponseTooLarge(OSError):
    """The answer's body is larger than the request's ``max_body_bytes``."""


def failure_kind(error: OSError) -> str:
    """How the core's retry policy sees a transport failure."""
    import socket

    if isinstance(error, ResponseTooLarge):
        return "body_too_large"
    if isinstance(error, (ConnectFailed, ConnectionRefusedError, socket.gaierror)):
        return "connect"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timeout"
    return "other"


class StdlibTransport:
    """Sends requests with ``http.client``, keeping idle connections per (scheme, host, port).

    It honours each request's ``timeout`` (for the whole exchange) and ``max_body_bytes``, and
    never follows a redirect: a 3xx is returned as it is, so a token can never be carried to
    another host. Safe to share between threads.
    """

    def __init__(
        self, *, ssl_context: Optional[ssl.SSLContext] = None, max_idle_per_host: int = 8
    ) -> None:
        import http.client  # noqa: F401  (loaded here, once, rather than at package import)

        self._ssl_context = ssl_context
        self._max_idle = max_idle_per_host
        self._idle: dict[_Key, list[_Connection]] = {}
        self._origins: dict[str, _Key] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        key, target = self._split(request.url)
        timeout = DEFAULT_TIMEOUT if request.timeout is None else request.timeout
        deadline = time.monotonic() + timeout
        connection = self._take_idle(key)
        if connection is not None:
            try:
                return self._exchange(key, connection, request, target, deadline)
            except (ConnectionResetError, BrokenPipeError) as error:
                # The server closed the idle connection before reading the request (the usual
                # keep-alive race). Only a request that may be sent twice goes out again.
                connection.close()
                if request.method == "POST":
                    raise ConnectionResetError(f"the connection was closed: {error}") from error
        connection = self._connect(key, timeout)
        return self._exchange(key, connection, request, target, deadline)

    def _split(self, url: str) -> tuple[_Key, str]:
        """``((scheme, host, port), path_and_query)``; origins are parsed once and remembered."""
        scheme, _, rest = url.partition("://")
        end = len(rest)
        for mark in "/?#":
            found = rest.find(mark)
            if found != -1 and found < end:
                end = found
        origin = f"{scheme}://{rest[:end]}"
        key = self._origins.get(origin)
        if key is None:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("only absolute http:// and https:// URLs can be sent")
            key = (parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
            if len(self._origins) < 64:
                self._origins[origin] = key
        target = rest[end:].partition("#")[0]
        if not target.startswith("/"):
            target = "/" + target
        return key, target

    def close(self) -> None:
        """Closes every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.close()

    def _take_idle(self, key: _Key) -> Optional[_Connection]:
        with self._lock:
            connections = self._idle.get(key)
            return connections.pop() if connections else None

    def _give_back(self, key: _Key, connection: _Connection) -> None:
        with self._lock:
            connections = self._idle.setdefault(key, [])
            if len(connections) < self._max_idle:
                connections.append(connection)
                return
        connection.close()

    def _connect(self, key: _Key, timeout: float) -> _Connection:
        import http.client
        import ssl

        scheme, host, port = key
        connection: _Connection
        if scheme == "https":
            context = self._ssl_context or ssl.create_default_context()
            connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.connect()
        except OSError as error:
            connection.close()
            raise ConnectFailed(f"could not connect to {host}:{port}: {error}") from error
        return connection

    def _exchange(
        self, key: _Key, connection: _Connection, request: Request, target: str, deadline: float
    ) -> Response:
        import http.client

        try:
            _limit_time(connection, deadline)
            connection.putrequest(request.method, target, skip_accept_encoding=True)
            for name, value in request.headers:
                connection.putheader(name, value)
            body = request.body
            if body is not None or request.method in ("POST", "PUT", "PATCH"):
                connection.putheader("Content-Length", str(len(body or b"")))
            connection.endheaders(body)
            # Every read of the answer, headers included, is bounded by what is left of the
            # deadline: a socket timeout alone bounds each read, so a server trickling one byte
            # a second could hold the call for ever.
            connection.response_class = _answer_within(deadline)  # type: ignore[assignment]
            answer = connection.getresponse()
            content = _read_body(connection, answer, request.max_body_bytes, deadline)
        except http.client.HTTPException as error:
            connection.close()
            if isinstance(error, ConnectionError):  # RemoteDisconnected
                raise
            raise ConnectionError(f"the answer was not valid HTTP: {error!r}") from error
        except BaseException:
            connection.close()
            raise
        if answer.will_close:
            connection.close()
        else:
            self._give_back(key, connection)
        return Response(answer.status, answer.getheaders(), content)


def _answer_within(deadline: float) -> Callable[..., http.client.HTTPResponse]:
    """A ``response_class`` for ``http.client`` whose reads all end by ``deadline``."""
    import http.client

    def answer(sock: socket.socket, *args: Any, **kwargs: Any) -> http.client.HTTPResponse:
        return http.client.HTTPResponse(cast("socket.socket", _DeadlineSocket(sock, deadline)), *args, **kwargs)

    return answer


class _DeadlineSocket:
    """What ``HTTPResponse`` reads from: the connection's socket, every read within a deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        # The socket's own raw file keeps the socket open until the answer is read, even after
        # http.client closes a connection that will not be reused.
        raw = self._sock.makefile("rb", buffering=0)
        return io.BufferedReader(_DeadlineReader(self._sock, raw, self._deadline))


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, raw: io.RawIOBase, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = raw
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int | None:  # type: ignore[override]
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request timed out")
        self._sock.settimeout(remaining)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _limit_time(connection: _Connection, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("the request timed out")
    if connection.sock is not None:
        connection.sock.settimeout(remaining)


def _read_body(
    connection: _Connection,
    answer: http.client.HTTPResponse,
    limit: Optional[int],
    deadline: float,
) -> bytes:
    declared = answer.getheader("Content-Length")
    if declared is not None and declared.isdigit():
        if limit is not None and int(declared) > limit:
            raise ResponseTooLarge(f"the response body ({declared} bytes) is larger than {limit} bytes")
        # A known length within the cap: one read, bounded by the time left.
        _limit_time(connection, deadline)
        return answer.read()
    chunks: list[bytes] = []
    size = 0
    while True:
        _limit_time(connection, deadline)
        chunk = answer.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if limit is not None and size > limit:
            raise ResponseTooLarge(f"the response body is larger than {limit} bytes")
        chunks.append(chunk)
