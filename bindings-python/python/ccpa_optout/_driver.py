"""The host's side of the core's driver: the I/O each client does, and the log of exchanges.

A client drives the core's operation (``AsyncClient._run``, written once in ``_async.py``):
``"send"`` → call the transport and ``resume(response)`` (or ``fail(kind, message)`` when no
answer came); ``"sleep"`` → wait, then ``resume()`` (a retry backoff, or a short pause while
another call of the same client fetches the shared OAuth token); ``"token"`` → ask the token
provider; ``"done"`` → the value. ``Host`` does that I/O blocking, ``AsyncHost`` awaiting.

Logs go to ``logging.getLogger("ccpa_optout")``: each exchange at DEBUG (method, URL without
its query, status, time; never headers or bodies), retries at INFO, connection failures at
WARNING. No secret is ever logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import Callable, Optional, Union

from ._native import Request, Response
from ._transport import StdlibTransport, failure_kind

Transport = Callable[[Request], Response]
"""Sends a request and returns the answer, whatever its status (see ``StdlibTransport``)."""
TokenProvider = Callable[[], str]
"""Returns an access token; called before each request, and once more after a 401, when it
must return a fresh one."""
AsyncTransport = Callable[[Request], Union[Awaitable[Response], Response]]
"""A transport for ``AsyncClient``: async, or plain (which blocks the event loop while it runs)."""
AsyncTokenProvider = Callable[[], Union[Awaitable[str], str]]
"""A token provider for ``AsyncClient``: async or plain."""

logger = logging.getLogger("ccpa_optout")


def shown_url(url: str) -> str:
    """The URL without its query, which may hold an email address."""
    base, _, query = url.partition("?")
    return f"{base}?…" if query else base


class Attempts:
    """Remembers the last exchange of an operation, to log it and the retry that follows."""

    __slots__ = ("request", "outcome")

    def __init__(self) -> None:
        self.request: Optional[Request] = None
        self.outcome = ""

    def answered(self, request: Request, status: int, elapsed: float) -> None:
        # A sleep after a 2xx is a wait between polls (``wait_for_privacy_job``), not a retry.
        self.request = None if 200 <= status < 300 else request
        self.outcome = f"HTTP {status}"
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %d (%.1f ms)", request.method, shown_url(request.url), status, elapsed * 1000
            )

    def failed(self, request: Request, error: OSError) -> tuple[str, str]:
        """The failure as ``(kind, message)`` for ``Operation.fail``."""
        self.request = request
        kind = failure_kind(error)
        message = f"{type(error).__name__}: {error}"
        self.outcome = f"{kind} failure"
        logger.warning("%s %s failed: %s", request.method, shown_url(request.url), message)
        return kind, message

    def retrying(self, seconds: float) -> None:
        """Logs the first sleep after an exchange: a retry's backoff. Further sleeps before the
        next exchange are pauses while another call fetches the shared token, not retries."""
        if self.request is not None:
            logger.info(
                "retrying %s %s after %s in %.2f s",
                self.request.method,
                shown_url(self.request.url),
                self.outcome,
                seconds,
            )
            self.request = None


class Host:
    """``Client``'s I/O: the transport (``StdlibTransport`` unless given) and the token provider
    are called, and sleeps block the calling thread."""

    def __init__(self, transport: Optional[Transport], token_provider: Optional[TokenProvider]) -> None:
        self._owned: Optional[StdlibTransport] = None
        if transport is None:
            transport = self._owned = StdlibTransport()
        self._transport = transport
        self._token_provider = token_provider

    def send(self, request: Request) -> Response:
        return self._transport(request)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def token(self) -> str:
        if self._token_provider is None:  # the core asks only when a provider was given
            raise RuntimeError("no token provider")
        return self._token_provider()

    def close(self) -> None:
        """Closes the connections of the default transport (a custom one is left alone)."""
        if self._owned is not None:
            self._owned.close()


class AsyncHost:
    """``AsyncClient``'s I/O: the transport and the token provider are awaited when they return
    an awaitable; the default transport, ``StdlibTransport``, runs in a worker thread."""

    def __init__(self, transport: Optional[AsyncTransport], token_provider: Optional[AsyncTokenProvider]) -> None:
        self._owned = StdlibTransport() if transport is None else None
        self._transport = transport
        self._token_provider = token_provider

    async def send(self, request: Request) -> Response:
        import asyncio  # here, not at package import: it is the slowest module to load

        if self._owned is not None:
            return await asyncio.to_thread(self._owned, request)
        assert self._transport is not None
        response = self._transport(request)
        return await response if isinstance(response, Awaitable) else response

    async def sleep(self, seconds: float) -> None:
        import asyncio

        await asyncio.sleep(seconds)

    async def token(self) -> str:
        if self._token_provider is None:
            raise RuntimeError("no token provider")
        token = self._token_provider()
        return await token if isinstance(token, Awaitable) else token

    async def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
