"""Privacy signals that count as a "do not sell or share" request (GPC, IAB USP and GPP), and
the CCPA deadlines. The decoding and the rules are the Rust core's; these are typed views.
Dates are ``datetime.date`` (ISO ``YYYY-MM-DD`` strings are accepted as input too)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _native
from ._model import OptOutChange, _Record

if TYPE_CHECKING:
    import datetime

DateLike = Union["datetime.date", str]
Headers = Union[Mapping[str, str], Iterable[tuple[str, str]]]


class UsPrivacy(_Record):
    """A decoded IAB US Privacy string such as ``1YNN``; each flag is ``"Y"``, ``"N"`` or ``"-"``."""

    __slots__ = ("version", "notice", "opt_out_sale", "lspa", "applies")
    version: int
    notice: str
    opt_out_sale: str
    lspa: str
    applies: bool

    def __init__(self, version: int, notice: str, opt_out_sale: str, lspa: str, applies: bool) -> None:
        self._set(version=version, notice=notice, opt_out_sale=opt_out_sale, lspa=lspa, applies=applies)

    @property
    def opted_out(self) -> Optional[bool]:
        """``True`` (position 3 ``Y``), ``False`` (``N``) or ``None`` (``1---``)."""
        return {"Y": True, "N": False}.get(self.opt_out_sale)


class GppSignals(_Record):
    """What a GPP string says about "do not sell or share".

    Each opt-out is ``True`` (1, opted out), ``False`` (2, did not) or ``None`` (0, not
    applicable or absent), merged over every US section listed in ``source``: ``uspv1``,
    ``usnat``, ``usca`` and the state sections ``usva`` … ``usri`` (any opt-out wins).
    ``sections`` holds each decoded section in full: ``uspv1``/``usnat``/``usca`` always
    (``None`` when absent), a state section (``"usco": {"version": 1, "sale_opt_out": 1, …,
    "gpc": True}``) only when present. ``unreadable`` lists the parts that could not be read on
    their own, each ``{"section", "field", "message"}`` (an opt-out of 3, a malformed
    ``uspv1``); the rest of the string still counts."""

    __slots__ = (
        "section_ids",
        "sale_opt_out",
        "sharing_opt_out",
        "targeted_advertising_opt_out",
        "gpc",
        "source",
        "sections",
        "unreadable",
    )
    section_ids: tuple[int, ...]
    sale_opt_out: Optional[bool]
    sharing_opt_out: Optional[bool]
    targeted_advertising_opt_out: Optional[bool]
    gpc: Optional[bool]
    source: tuple[str, ...]
    sections: Mapping[str, Any]
    unreadable: tuple[Mapping[str, Any], ...]

    def __init__(
        self,
        section_ids: Iterable[int],
        sale_opt_out: Optional[bool],
        sharing_opt_out: Optional[bool],
        targeted_advertising_opt_out: Optional[bool],
        gpc: Optional[bool],
        source: Iterable[str],
        sections: Mapping[str, Any],
        unreadable: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self._set(
            section_ids=tuple(section_ids),
            sale_opt_out=sale_opt_out,
            sharing_opt_out=sharing_opt_out,
            targeted_advertising_opt_out=targeted_advertising_opt_out,
            gpc=gpc,
            source=tuple(source),
            sections=dict(sections),
            unreadable=tuple(unreadable),
        )

    def __hash__(self) -> int:
        return hash(self._values()[:-2])


class OptOutDecision(_Record):
    """The opt-out the signals call for: ``value`` is ``True`` (opted out), ``False`` (a signal
    explicitly says "not opted out" and none opts out) or ``None`` (no usable signal: leave the
    profile as it is); ``reasons`` says what each signal said (``{"kind": "signal", "signal":
    "gpp_usco", "says": "opt_out"}``), names each signal or part that could not be read
    (``{"kind": "unreadable", "signal": "usp", "message": ...}``), and notes a conflict.

    ``False`` only describes the signals: it never clears a recorded opt-out."""

    __slots__ = ("value", "reasons")
    value: Optional[bool]
    reasons: tuple[Mapping[str, Any], ...]

    def __init__(self, value: Optional[bool], reasons: Iterable[Mapping[str, Any]]) -> None:
        self._set(value=value, reasons=tuple(reasons))

    def __hash__(self) -> int:
        return hash((self.value, len(self.reasons)))


class GpcSupport(_Record):
    """What a site's ``/.well-known/gpc.json`` says: ``gpc`` (``None`` = unknown) and ``last_update``."""

    __slots__ = ("gpc", "last_update")
    gpc: Optional[bool]
    last_update: Optional[datetime.date]

    def __init__(self, gpc: Optional[bool], last_update: Optional[datetime.date]) -> None:
        self._set(gpc=gpc, last_update=last_update)


class AppliedSignals(_Record):
    """What ``apply_signals`` decided and wrote: the ``decision`` and one ``OptOutChange`` per
    profile (none when the decision is ``None``)."""

    __slots__ = ("decision", "changes")
    decision: OptOutDecision
    changes: tuple[OptOutChange, ...]

    def __init__(self, decision: OptOutDecision, changes: Iterable[OptOutChange]) -> None:
        self._set(decision=decision, changes=tuple(changes))

    @property
    def value(self) -> Optional[bool]:
        """The decision's value."""
        return self.decision.value

    @property
    def reasons(self) -> tuple[Mapping[str, Any], ...]:
        """The decision's reasons."""
        return self.decision.reasons


def gpc_from_headers(headers: Headers) -> Optional[bool]:
    """``True`` when any ``Sec-GPC`` value (split on commas) is exactly ``1``, else ``None``;
    never ``False``: an absent signal is not an opt-in. Takes pairs or a mapping."""
    return _native.gpc_from_headers(headers)


def parse_usp(usp: str) -> UsPrivacy:
    """Parses an IAB US Privacy string; a ``ValidationError`` (field ``usp``) when malformed."""
    return UsPrivacy(**_native.parse_usp(usp))


def decode_gpp(gpp: str) -> GppSignals:
    """Decodes an IAB GPP string's US sections; a ``ValidationError`` (field ``gpp``) when its
    structure is malformed. A part that cannot be read on its own is listed in ``unreadable``."""
    return GppSignals(**_native.decode_gpp(gpp))


def _decision(raw: Mapping[str, Any]) -> OptOutDecision:
    return OptOutDecision(raw["value"], raw["reasons"])


def derive_opt_out(
    gpc: Optional[bool] = None, usp: Optional[str] = None, gpp: Optional[str] = None
) -> OptOutDecision:
    """Combines the raw signals (GPC boolean, USP string, GPP string): any opt-out wins.
    Never raises for a malformed ``usp`` or ``gpp``: a signal that cannot be read never cancels
    one that can. It is reported as a reason ``{"kind": "unreadable", "signal": "usp" | "gpp",
    "message": ...}``, and the value is ``None`` when nothing readable is left."""
    return _decision(_native.derive_opt_out(gpc, usp, gpp))


def parse_gpc_json(content_type: Optional[str], body: bytes) -> GpcSupport:
    """Reads a ``/.well-known/gpc.json`` body; anything unusable means unknown support."""
    raw = _native.parse_gpc_json(content_type, body)
    return GpcSupport(raw["gpc"], _to_date(raw["last_update"]))


def opt_out_due_date(received: DateLike, holidays: Iterable[DateLike] = ()) -> datetime.date:
    """The last day to apply an opt-out received on ``received``: 15 business days later
    (counted from the next day; weekends and the given holidays do not count)."""
    due = _native.opt_out_due_date(_iso(received), [_iso(day) for day in holidays])
    return _date(due)


def opt_in_request_allowed_from(opted_out_on: DateLike) -> Optional[datetime.date]:
    """The first day a business may ask to opt back in: 12 months after the opt-out."""
    return _to_date(_native.opt_in_request_allowed_from(_iso(opted_out_on)))


def may_request_opt_in(opted_out_on: DateLike, on: DateLike) -> bool:
    """Whether, on ``on``, the 12-month wait after an opt-out on ``opted_out_on`` is over."""
    return _native.may_request_opt_in(_iso(opted_out_on), _iso(on))


def date_from_rfc3339(timestamp: str) -> datetime.date:
    """The date of an RFC 3339 date or date-time, as written (in its own offset)."""
    return _date(_native.date_from_rfc3339(timestamp))


def _iso(day: DateLike) -> str:
    if isinstance(day, str):
        return day
    import datetime

    if isinstance(day, datetime.datetime):
        day = day.date()
    if not isinstance(day, datetime.date):
        raise TypeError(f"expected a datetime.date or a YYYY-MM-DD string, not {type(day).__name__}")
    return day.isoformat()


def _date(iso: str) -> datetime.date:
    import datetime

    try:
        return datetime.date.fromisoformat(iso)
    except ValueError:  # year 0 exists in ISO 8601 but not in datetime
        raise _native.validation_error("date", f"{iso} cannot be a datetime.date") from None


def _to_date(iso: Optional[str]) -> Optional[datetime.date]:
    return None if iso is None else _date(iso)


def applied(raw: tuple[Mapping[str, Any], list[tuple[str, Optional[bool], bool, bool]]]) -> AppliedSignals:
    """The native ``apply_signals`` result as an ``AppliedSignals``."""
    decision, changes = raw
    return AppliedSignals(_decision(decision), [OptOutChange(*change) for change in changes])
