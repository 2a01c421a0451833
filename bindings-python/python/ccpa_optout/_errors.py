"""The exception tree: ``CcpaOptOutError`` and one subclass per error kind of the contract."""

from __future__ import annotations

from typing import Optional


class CcpaOptOutError(Exception):
    """Any error from ccpa_optout. ``except CcpaOptOutError`` catches them all.

    Attributes mirror the error model shared with the Rust core and the JavaScript package:
    ``kind`` (a stable string, also given by the subclass), ``message``, ``status`` and
    ``error_code`` for HTTP answers, ``retryable``, ``field`` for bad input or settings,
    ``retry_after`` in seconds and ``excerpt`` (a short, redacted body excerpt for ``Decode``).
    No token, API key or client secret ever appears in ``str()`` or ``repr()``.
    """

    kind: str = "Error"

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        status: Optional[int] = None,
        error_code: Optional[str] = None,
        retryable: bool = False,
        field: Optional[str] = None,
        retry_after: Optional[float] = None,
        excerpt: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.message: str = text if message is None else message
        self.status: Optional[int] = status
        self.error_code: Optional[str] = error_code
        self.retryable: bool = retryable
        self.field: Optional[str] = field
        self.retry_after: Optional[float] = retry_after
        self.excerpt: Optional[str] = excerpt


class ValidationError(CcpaOptOutError, ValueError):
    """Bad input, refused before anything was sent (``field`` names it)."""

    kind = "Validation"


class ConfigError(CcpaOptOutError):
    """Bad client configuration: organization, base URL, credentials (``field`` names it)."""

    kind = "Config"


class AuthError(CcpaOptOutError):
    """The gateway or IMS refused the credentials (401, 403; IMS may answer 400)."""

    kind = "Auth"


class NotFoundError(CcpaOptOutError):
    """The profile (or resource) does not exist (404)."""

    kind = "NotFound"


class RateLimitedError(CcpaOptOutError):
    """Still rate limited (429) after the retries; ``retry_after`` says how long to wait."""

    kind = "RateLimited"


class ServerError(CcpaOptOutError):
    """A 5xx answer after the retries."""

    kind = "Server"


class HttpError(CcpaOptOutError):
    """Any other non-2xx answer."""

    kind = "Http"


class TransportError(CcpaOptOutError):
    """The request did not complete: connection failure or timeout."""

    kind = "Transport"


class DecodeError(CcpaOptOutError):
    """A 2xx answer whose body is not what the API promises."""

    kind = "Decode"


_CLASSES_BY_KIND = {
    cls.kind: cls
    for cls in (
        ValidationError,
        ConfigError,
        AuthError,
        NotFoundError,
        RateLimitedError,
        ServerError,
        HttpError,
        TransportError,
        DecodeError,
    )
}
