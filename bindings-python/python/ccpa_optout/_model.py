"""What the client returns: profiles, opt-out changes, acknowledgements, metadata, retry policy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


class _Record:
    """A small immutable value: equality, hashing and ``repr`` from its ``__slots__``.

    (Hand-written rather than a dataclass: ``dataclasses`` alone would double the import time.)
    """

    __slots__: tuple[str, ...] = ()
    _hidden: tuple[str, ...] = ()

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self.__slots__ if name not in self._hidden
        )
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), self._values())


class OptOutChange(_Record):
    """What setting the opt-out did to one profile: ``pkey``, ``previous`` (``None`` when the
    profile had no value), ``current``, and ``changed`` (whether a PATCH was sent)."""

    __slots__ = ("pkey", "previous", "current", "changed")
    pkey: str
    previous: Optional[bool]
    current: bool
    changed: bool

    def __init__(self, pkey: str, previous: Optional[bool], current: bool, changed: bool) -> None:
        self._set(pkey=pkey, previous=previous, current=current, changed=changed)


class PatchAck(_Record):
    """ACS's answer to a PATCH: the profile's ``pkey`` and ``href``."""

    __slots__ = ("pkey", "href")
    pkey: str
    href: Optional[str]

    def __init__(self, pkey: str, href: Optional[str]) -> None:
        self._set(pkey=pkey, href=href)


class ProfileMetadata(_Record):
    """The profile resource's fields and their types, from ``resourceType/profile``.

    ``fields`` maps each API name to its type (``string``, ``boolean``, ``link``, ...);
    ``opt_out_field_ok`` tells whether the configured opt-out field exists (check it before a
    bulk run; ACS documents no type name for booleans, so any declared type counts, and every
    value is still checked as a JSON boolean)."""

    __slots__ = ("fields", "opt_out_field", "opt_out_field_ok")
    fields: Mapping[str, str]
    opt_out_field: str
    opt_out_field_ok: bool

    def __init__(self, fields: Mapping[str, str], opt_out_field: str, opt_out_field_ok: bool) -> None:
        self._set(fields=dict(fields), opt_out_field=opt_out_field, opt_out_field_ok=opt_out_field_ok)

    def __hash__(self) -> int:
        return hash((tuple(self.fields.items()), self.opt_out_field, self.opt_out_field_ok))

    def field_type(self, name: str) -> Optional[str]:
        """The declared type of a field, or ``None`` if the resource has no such field."""
        return self.fields.get(name)


class ProfilePage(_Record):
    """One page of a listing (from ``parse_profile_page``): ``content``, and the ``next`` and
    ``count`` links (``None`` when absent; no ``next`` on the last page)."""

    __slots__ = ("content", "next", "count")
    content: list[Profile]
    next: Optional[str]
    count: Optional[str]

    def __init__(self, content: list[Profile], next: Optional[str], count: Optional[str]) -> None:
        self._set(content=content, next=next, count=count)

    def __hash__(self) -> int:
        return hash((self.next, self.count, len(self.content)))


class IssuedToken(_Record):
    """An access token from IMS and its lifetime in seconds. ``repr()`` hides the token."""

    __slots__ = ("access_token", "expires_in")
    _hidden = ("access_token",)
    access_token: str
    expires_in: float

    def __init__(self, access_token: str, expires_in: float) -> None:
        self._set(access_token=access_token, expires_in=expires_in)


class RetryPolicy(_Record):
    """Which failures are retried and how long to wait (seconds).

    Retried: 429, 502, 503, 504 and connection failures, with exponential backoff and jitter,
    waiting at least what ``Retry-After`` asks (up to ``max_retry_after``; beyond it the call
    fails rather than stall). A create is never blindly resent. ``max_attempts`` counts the
    first attempt (1 = never retry); ``base_delay`` doubles with each retry up to ``max_delay``.
    """

    __slots__ = ("max_attempts", "base_delay", "max_delay", "max_retry_after")
    max_attempts: int
    base_delay: float
    max_delay: float
    max_retry_after: float

    def __init__(
        self,
        max_attempts: int = _DEFAULT_RETRY[0],
        base_delay: float = _DEFAULT_RETRY[1],
        max_delay: float = _DEFAULT_RETRY[2],
        max_retry_after: float = _DEFAULT_RETRY[3],
    ) -> None:
        self._set(
            max_attempts=max_attempts,
            base_delay=base_delay,
            max_delay=max_delay,
            max_retry_after=max_retry_after,
        )

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def _as_tuple(self) -> tuple[int, float, float, float]:
        return (self.max_attempts, self.base_delay, self.max_delay, self.max_retry_after)
