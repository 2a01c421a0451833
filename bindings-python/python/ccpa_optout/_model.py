"""What the client returns: profiles, opt-out changes, acknowledgements, metadata, retry policy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from . import _native

_DEFAULT_RETRY = _native.default_retry()


class Profile(Mapping[str, Any]):
    """One ACS profile: a read-only mapping of every field exactly as ACS sent it.

    ``profile["cusShoeSize"]`` reads any field; the common ones are also typed attributes
    (``pkey``, ``href``, ``email``, ``first_name``, ``last_name``, ``opt_out``). Writing a
    profile back (``dict(profile)`` minus the read-only fields) loses nothing.
    """

    __slots__ = ("_fields", "_opt_out_field")

    def __init__(self, fields: Mapping[str, Any], opt_out_field: str = "ccpaOptOut") -> None:
        self._fields: dict[str, Any] = dict(fields)
        self._opt_out_field = opt_out_field

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def _text(self, name: str) -> Optional[str]:
        value = self._fields.get(name)
        return value if isinstance(value, str) else None

    @property
    def pkey(self) -> Optional[str]:
        """The primary key (``PKey``), e.g. ``"@Zk3q9Lw2TfR0"``."""
        return self._text("PKey")

    @property
    def href(self) -> Optional[str]:
        """The profile's absolute URL."""
        return self._text("href")

    @property
    def email(self) -> Optional[str]:
        """``email``."""
        return self._text("email")

    @property
    def first_name(self) -> Optional[str]:
        """``firstName``."""
        return self._text("firstName")

    @property
    def last_name(self) -> Optional[str]:
        """``lastName``."""
        return self._text("lastName")

    @property
    def opt_out(self) -> Optional[bool]:
        """The opt-out attribute: ``True`` = do not sell or share; ``None`` if absent."""
        value = self._fields.get(self._opt_out_field)
        return value if type(value) is bool else None

    @property
    def opt_out_field(self) -> str:
        """The name of the opt-out attribute (``ccpaOptOut`` unless configured otherwise)."""
        return self._opt_out_field

    def to_dict(self) -> dict[str, Any]:
        """A shallow copy of every field."""
        return dict(self._fields)

    def __repr__(self) -> str:
        return f"Profile(pkey={self.pkey!r}, opt_out={self.opt_out!r}, fields={len(self._fields)})"


@dataclass(frozen=True)
class OptOutChange:
    """What setting the opt-out did to one profile."""

    pkey: str
    """The profile."""
    previous: Optional[bool]
    """The value before (``None`` when the profile had none)."""
    current: bool
    """The value now."""
    changed: bool
    """Whether a PATCH was sent (``False`` when the profile already had the value)."""


@dataclass(frozen=True)
class PatchAck:
    """ACS's answer to a PATCH."""

    pkey: str
    href: Optional[str]


@dataclass(frozen=True)
class ProfileMetadata:
    """The profile resource's fields and their types, from ``resourceType/profile``."""

    fields: Mapping[str, str]
    """Each field's API name and type (``string``, ``boolean``, ``link``, ...)."""
    opt_out_field: str
    """The opt-out attribute the client is configured with."""
    opt_out_field_ok: bool
    """Whether that attribute exists on this API as a boolean (check it before a bulk run)."""

    def field_type(self, name: str) -> Optional[str]:
        """The declared type of a field, or ``None`` if the resource has no such field."""
        return self.fields.get(name)


@dataclass(frozen=True)
class ProfilePage:
    """One page of a listing (from ``parse_profile_page``)."""

    content: list[Profile]
    next: Optional[str]
    """``next.href``: the next page, ``None`` on the last one."""
    count: Optional[str]
    """``count.href``: where to GET ``{"count": n}`` for the whole listing."""


@dataclass(frozen=True)
class IssuedToken:
    """An access token from IMS and its lifetime in seconds. ``repr()`` hides the token."""

    access_token: str = field(repr=False)
    expires_in: float


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are retried and how long to wait (seconds).

    Retried: 429, 502, 503, 504 and connection failures, with exponential backoff and jitter,
    waiting at least what ``Retry-After`` asks (up to ``max_retry_after``; beyond it the call
    fails rather than stall). A create is never blindly resent.
    """

    max_attempts: int = _DEFAULT_RETRY[0]
    """Attempts in all, the first included (1 = never retry)."""
    base_delay: float = _DEFAULT_RETRY[1]
    """The wait before the first retry; it doubles with each further retry."""
    max_delay: float = _DEFAULT_RETRY[2]
    """The longest backoff between two attempts."""
    max_retry_after: float = _DEFAULT_RETRY[3]
    """The longest ``Retry-After`` honoured."""

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def _as_tuple(self) -> tuple[int, float, float, float]:
        return (self.max_attempts, self.base_delay, self.max_delay, self.max_retry_after)
