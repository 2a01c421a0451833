"""Requests to know and to delete through Adobe's Privacy Service, and the §7021 clocks.

The rules (limits, job-ID shape, where a download may come from, the deadlines) are the Rust
core's; these are typed views and the sans-IO functions for bring-your-own-HTTP code.

    >>> import ccpa_optout as co
    >>> user = co.PrivacyUser("ticket-42", ["access", "delete"], [co.UserId.email("ana@example.com")])
    >>> config = co.PrivacyConfig(ims_org="ABC123@AdobeOrg", api_key="my-client-id")
    >>> co.prepare_create_privacy_jobs(config, "my-token", [user]).url
    'https://platform.adobe.io/data/core/privacy/jobs'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _native
from ._model import _Record
from ._native import PrivacyConfig, Request, Response
from ._signals import DateLike, _date, _iso, _to_date

if TYPE_CHECKING:
    import datetime

__all__ = [
    "CreatedJob",
    "PrivacyJob",
    "PrivacyJobPage",
    "PrivacyUser",
    "ProductResponse",
    "RequestClocks",
    "RequestEvents",
    "UserId",
    "parse_created_privacy_jobs",
    "parse_privacy_job",
    "parse_privacy_job_page",
    "prepare_create_privacy_jobs",
    "prepare_list_privacy_jobs",
    "request_clocks",
]


class UserId(_Record):
    """One identity of a consumer: ``namespace`` (``email``, ``phone``, a custom namespace's
    name, or a number with ``type="namespaceId"``), ``value`` and ``type`` (the qualifier:
    ``standard``, ``custom``, ``integrationCode``, ``namespaceId``, ``unregistered``,
    ``analytics``, ``target``). Checked by the core when the request is built."""

    __slots__ = ("namespace", "value", "type")
    namespace: str
    value: str
    type: str

    def __init__(self, namespace: str, value: str, type: str = "standard") -> None:
        self._set(namespace=namespace, value=value, type=type)

    @classmethod
    def email(cls, address: str) -> UserId:
        """An email in the standard ``email`` namespace, the one Campaign reconciles on:
        ``UserId.email("ana@example.com")``."""
        return cls("email", address, "standard")

    def to_dict(self) -> dict[str, str]:
        return {"namespace": self.namespace, "value": self.value, "type": self.type}


class PrivacyUser(_Record):
    """One consumer of a request: ``key`` (your label, e.g. the ticket ID, unique in the
    request; jobs come back with it as ``user_key``), ``actions`` (``"access"``, ``"delete"``
    or both; one job each) and 1 to 9 ``ids``.

        >>> PrivacyUser("ticket-42", ["delete"], [UserId.email("ana@example.com")]).actions
        ('delete',)
    """

    __slots__ = ("key", "actions", "ids")
    key: str
    actions: tuple[str, ...]
    ids: tuple[UserId, ...]

    def __init__(self, key: str, actions: Iterable[str], ids: Iterable[UserId]) -> None:
        self._set(key=key, actions=tuple(actions), ids=tuple(ids))

    def to_dict(self) -> dict[str, Any]:
        """The plain form ``submit_privacy_jobs`` also takes."""
        return {"key": self.key, "actions": list(self.actions), "ids": [i.to_dict() for i in self.ids]}


Users = Sequence[Union[PrivacyUser, Mapping[str, Any]]]
"""``PrivacyUser`` objects, or dicts ``{"key", "actions", "ids": [{"namespace", "value", "type"}]}``."""


def users_as_dicts(users: Users) -> list[Any]:
    """The users in their plain form, for the native module."""
    return [user.to_dict() if isinstance(user, PrivacyUser) else user for user in users]


class CreatedJob(_Record):
    """A job a submission made: one per consumer and action."""

    __slots__ = ("job_id", "user_key", "action")
    job_id: str
    user_key: Optional[str]
    action: Optional[str]

    def __init__(self, job_id: str, user_key: Optional[str], action: Optional[str]) -> None:
        self._set(job_id=job_id, user_key=user_key, action=action)


class ProductResponse(_Record):
    """One product's part of a job: ``product`` (``Campaign``), ``status``, ``message``,
    ``code`` (``PRVCY-6000-200`` success, ``PRVCY-6052-200`` user IDs not found) and ``detail``."""

    __slots__ = ("product", "status", "message", "code", "detail")
    product: str
    status: Optional[str]
    message: Optional[str]
    code: Optional[str]
    detail: Optional[str]

    def __init__(
        self,
        product: str,
        status: Optional[str] = None,
        message: Optional[str] = None,
        code: Optional[str] = None,
        detail: Optional[str] = None,
    ) -> None:
        self._set(product=product, status=status, message=message, code=code, detail=detail)


class PrivacyJob(_Record):
    """A job as the Privacy Service describes it. ``status`` is ``submitted``, ``processing``,
    ``complete``, ``error`` or, as written, one this client does not know; ``created`` and
    ``last_modified`` are kept as the service wrote them (``04/12/2025 04:08 PM GMT``).
    ``download_url`` is set on a complete access job only, and always on the configured gateway."""

    __slots__ = (
        "job_id",
        "request_id",
        "user_key",
        "action",
        "status",
        "regulation",
        "created",
        "last_modified",
        "product_responses",
        "download_url",
    )
    job_id: str
    request_id: Optional[str]
    user_key: Optional[str]
    action: Optional[str]
    status: str
    regulation: Optional[str]
    created: Optional[str]
    last_modified: Optional[str]
    product_responses: tuple[ProductResponse, ...]
    download_url: Optional[str]

    def __init__(
        self,
        job_id: str,
        status: str,
        *,
        request_id: Optional[str] = None,
        user_key: Optional[str] = None,
        action: Optional[str] = None,
        regulation: Optional[str] = None,
        created: Optional[str] = None,
        last_modified: Optional[str] = None,
        product_responses: Iterable[ProductResponse] = (),
        download_url: Optional[str] = None,
    ) -> None:
        self._set(
            job_id=job_id,
            request_id=request_id,
            user_key=user_key,
            action=action,
            status=status,
            regulation=regulation,
            created=created,
            last_modified=last_modified,
            product_responses=tuple(product_responses),
            download_url=download_url,
        )


class PrivacyJobPage(_Record):
    """One page of a job listing: ``jobs``, and ``total`` when the service says it."""

    __slots__ = ("jobs", "total")
    jobs: tuple[PrivacyJob, ...]
    total: Optional[int]

    def __init__(self, jobs: Iterable[PrivacyJob], total: Optional[int]) -> None:
        self._set(jobs=tuple(jobs), total=total)


def products(include: Optional[Sequence[str]]) -> Optional[list[str]]:
    """``include`` as a list; a lone string is refused rather than read as its letters."""
    if isinstance(include, str):
        raise TypeError('include must be a list of product codes, e.g. ["campaign"]')
    return None if include is None else list(include)


def created_jobs(raw: Sequence[Mapping[str, Any]]) -> list[CreatedJob]:
    """The native created jobs as ``CreatedJob``s."""
    return [CreatedJob(job["jobId"], job["userKey"], job["action"]) for job in raw]


_JOB_FIELDS = {
    "job_id": "jobId",
    "request_id": "requestId",
    "user_key": "userKey",
    "action": "action",
    "status": "status",
    "regulation": "regulation",
    "created": "created",
    "last_modified": "lastModified",
    "download_url": "downloadUrl",
}
"""Each plain ``PrivacyJob`` attribute and its key in the native job dict (``product_responses``,
a list of objects, is converted on its own)."""


def privacy_job(raw: Mapping[str, Any]) -> PrivacyJob:
    """A native job dict as a ``PrivacyJob``."""
    fields = {name: raw[key] for name, key in _JOB_FIELDS.items()}
    responses = [ProductResponse(**response) for response in raw["productResponses"]]
    return PrivacyJob(**fields, product_responses=responses)


def native_job(job: PrivacyJob) -> dict[str, Any]:
    """A ``PrivacyJob`` in the form the native client reads it back."""
    return {key: getattr(job, name) for name, key in _JOB_FIELDS.items()}


def prepare_create_privacy_jobs(
    config: PrivacyConfig,
    access_token: str,
    users: Users,
    *,
    include: Optional[Sequence[str]] = None,
    regulation: Optional[str] = None,
) -> Request:
    """``POST /jobs``: one job per consumer and action (``include`` defaults to
    ``["campaign"]``, ``regulation`` to ``"ccpa"``). Never resend it blindly: a lost answer
    may still have made the jobs (``Client.submit_privacy_jobs`` looks them up first)."""
    return _native.prepare_create_privacy_jobs(
        config, access_token, users_as_dicts(users), products(include), regulation
    )


def prepare_list_privacy_jobs(
    config: PrivacyConfig,
    access_token: str,
    *,
    page: int = 0,
    regulation: str = "ccpa",
    status: Optional[str] = None,
    from_date: Optional[DateLike] = None,
    to_date: Optional[DateLike] = None,
    page_size: int = 100,
) -> Request:
    """``GET /jobs``: page ``page`` (from 0) of one regulation's jobs, optionally of one status
    and made between two days (both or neither, at most 30 days apart)."""
    return _native.prepare_list_privacy_jobs(
        config, access_token, page, regulation, status, _optional_iso(from_date), _optional_iso(to_date), page_size
    )


def parse_created_privacy_jobs(response: Response) -> list[CreatedJob]:
    """The jobs a ``POST /jobs`` answer lists."""
    return created_jobs(_native.parse_created_privacy_jobs(response))


def parse_privacy_job(response: Response, config: PrivacyConfig) -> PrivacyJob:
    """One job; a ``DecodeError`` (field ``downloadURL``) when its download link leaves the gateway."""
    return privacy_job(_native.parse_privacy_job(response, config))


def parse_privacy_job_page(response: Response, config: PrivacyConfig) -> PrivacyJobPage:
    """One page of ``GET /jobs``."""
    raw = _native.parse_privacy_job_page(response, config)
    return PrivacyJobPage([privacy_job(job) for job in raw["jobs"]], raw["total"])


class RequestEvents(_Record):
    """What happened to a request to know or delete, each a day (or ``None``): receipt
    ``confirmed_on``, ``extension_noticed_on`` (the consumer told of an extension and why) and
    ``answered_on`` (data sent, deletion done, or the denial)."""

    __slots__ = ("confirmed_on", "extension_noticed_on", "answered_on")
    confirmed_on: Optional[datetime.date]
    extension_noticed_on: Optional[datetime.date]
    answered_on: Optional[datetime.date]

    def __init__(
        self,
        confirmed_on: Optional[DateLike] = None,
        extension_noticed_on: Optional[DateLike] = None,
        answered_on: Optional[DateLike] = None,
    ) -> None:
        self._set(
            confirmed_on=_to_date(_optional_iso(confirmed_on)),
            extension_noticed_on=_to_date(_optional_iso(extension_noticed_on)),
            answered_on=_to_date(_optional_iso(answered_on)),
        )


class RequestClocks(_Record):
    """A request's §7021 deadlines and whether each was kept: ``confirm_by`` (10 business days),
    ``respond_by`` (45 calendar days), ``extended_to`` (90 days, with an extension noticed by
    ``respond_by``; else ``None``); ``confirmation`` and ``response`` are ``"met"``,
    ``"missed"`` or ``"open"``."""

    __slots__ = ("received", "confirm_by", "respond_by", "extended_to", "confirmation", "response")
    received: datetime.date
    confirm_by: datetime.date
    respond_by: datetime.date
    extended_to: Optional[datetime.date]
    confirmation: str
    response: str

    def __init__(
        self,
        received: datetime.date,
        confirm_by: datetime.date,
        respond_by: datetime.date,
        extended_to: Optional[datetime.date],
        confirmation: str,
        response: str,
    ) -> None:
        self._set(
            received=received,
            confirm_by=confirm_by,
            respond_by=respond_by,
            extended_to=extended_to,
            confirmation=confirmation,
            response=response,
        )


def request_clocks(
    received: DateLike,
    events: Optional[RequestEvents] = None,
    *,
    holidays: Iterable[DateLike] = (),
    today: Optional[DateLike] = None,
) -> RequestClocks:
    """The deadlines of a request received on ``received``, judged on ``today`` (default: the
    local date) from ``events``. Business days skip weekends and the given ``holidays``.

        >>> clocks = request_clocks("2025-04-04", RequestEvents(answered_on="2025-05-19"), today="2025-06-01")
        >>> (str(clocks.respond_by), clocks.response, clocks.confirmation)
        ('2025-05-19', 'met', 'missed')
    """
    import datetime

    happened = events or RequestEvents()
    raw = _native.request_clocks(
        _iso(received),
        _iso(datetime.date.today() if today is None else today),
        [_iso(day) for day in holidays],
        _optional_iso(happened.confirmed_on),
        _optional_iso(happened.extension_noticed_on),
        _optional_iso(happened.answered_on),
    )
    return RequestClocks(
        _date(raw["received"]),
        _date(raw["confirmBy"]),
        _date(raw["respondBy"]),
        _to_date(raw["extendedTo"]),
        raw["confirmation"],
        raw["response"],
    )


def _optional_iso(day: Optional[DateLike]) -> Optional[str]:
    return None if day is None else _iso(day)
