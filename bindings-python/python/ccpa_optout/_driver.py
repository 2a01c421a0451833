"""What the sync and async loops share: reading steps, describing failures, logging.

Both loops drive the core's operation the same way: ``"send"`` → call the transport and
``resume(response)`` (or ``fail(kind, message)`` when no answer came); ``"sleep"`` → wait, then
``resume()`` (a retry backoff, or a short pause while another call of the same client fetches
the shared OAuth token); ``"token"`` → ask the token provider; ``"done"`` → the value.

Logs go to ``logging.getLogger("ccpa_optout")``: each exchange at DEBUG (method, URL without
its query, status, time; never headers or bodies), retries at INFO, connection failures at
WARNING. No secret is ever logged.
"""

from __future__ import annotations

import logging
from typing import Optional

from ._native import Request
from ._transport import failure_kind

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
        self.request = request
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
