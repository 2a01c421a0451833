"""``Client``, the blocking client.

Generated from ``_async.py`` by ``bindings-python/scripts/unasync.py``: do not edit; edit
``_async.py`` and run the script.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Optional

from . import _native
from ._base import ClientBase
from ._driver import Host, TokenProvider, Transport, Attempts
from ._model import OptOutChange, PatchAck, Profile, ProfileMetadata
from ._native import Response
from ._privacy import (
    CreatedJob,
    PrivacyJob,
    Users,
    created_jobs,
    native_job,
    privacy_job,
    products,
    users_as_dicts,
)
from ._settings import ClientSettings, with_environment
from ._signals import AppliedSignals, DateLike, _iso, applied

if TYPE_CHECKING:
    from typing_extensions import Unpack


class Client(ClientBase):
    """The ACS profile client: idempotent opt-out writes, retries, token refresh, pagination.

    Settings are keyword arguments (see ``ClientSettings``): ``organization``, ``api_key``, and
    one credential: ``access_token``; or ``token_provider``, a callable returning a token
    (called before each request, and once more after a 401, when it must return a fresh one);
    or OAuth server-to-server ``client_secret`` with ``scopes`` (``client_id`` defaults to
    ``api_key``), fetched from IMS and cached until shortly before it expires. Optional:
    ``base_url``, ``api``, ``opt_out_field``, ``retry`` (``None`` turns retries off),
    ``timeout`` (per HTTP exchange, in seconds), ``max_body_bytes``, ``force_pagination``.
    The Rust core checks them all; a ``ConfigError`` names the one to fix.

    ``transport`` sends the requests (see ``Transport``; default ``StdlibTransport``);
    for ``token_provider`` see ``TokenProvider``. Many calls may run at once.
    """

    def __init__(
        self,
        *,
        transport: Optional[Transport] = None,
        token_provider: Optional[TokenProvider] = None,
        **settings: Unpack[ClientSettings],
    ) -> None:
        super().__init__(settings, has_token_provider=token_provider is not None)
        self._host = Host(transport, token_provider)

    @classmethod
    def from_env(
        cls,
        environ: Optional[Mapping[str, str]] = None,
        *,
        transport: Optional[Transport] = None,
        token_provider: Optional[TokenProvider] = None,
        **settings: Unpack[ClientSettings],
    ) -> Client:
        """A client configured by ``CAMPAIGN_STANDARD_TENANT_ID``, ``..._API_KEY``,
        ``..._ACCESS_TOKEN`` (or ``..._CLIENT_SECRET`` and ``..._SCOPES``), and optionally
        ``..._BASE_URL``, ``..._API``, ``..._OPT_OUT_FIELD``, ``..._CLIENT_ID``, ``..._TOKEN_URL``,
        read from ``environ`` (default ``os.environ``); a blank variable counts as unset.
        Keyword arguments win over the environment."""
        settings = with_environment(settings, environ)
        return cls(transport=transport, token_provider=token_provider, **settings)

    def get_profile(self, pkey: str) -> Profile:
        """GET one profile."""
        return self._profile(self._run(self._native.start_get_profile(pkey)))

    def get_opt_out(self, pkey: str) -> bool:
        """The profile's opt-out value; a ``DecodeError`` naming the field if it has none."""
        result: bool = self._run(self._native.start_get_opt_out(pkey))
        return result

    def set_opt_out(self, pkey: str, opted_out: bool) -> OptOutChange:
        """Sets the opt-out idempotently: GET, then PATCH only if the value differs.

        ``opted_out`` must be ``True`` or ``False``; anything else (``"true"``, ``1``, ``None``)
        is a ``ValidationError`` naming the field, and nothing is sent."""
        return self._change(self._run(self._native.start_set_opt_out(pkey, opted_out)))

    def find_by_email(self, email: str) -> list[Profile]:
        """Every profile whose email is exactly ``email`` (all pages)."""
        return self._profiles(self._run(self._native.start_find_by_email(email)))

    def opt_out_by_email(self, email: str, opted_out: bool = True) -> list[OptOutChange]:
        """Sets the opt-out on every profile with this email; ``[]`` when none matches."""
        changes = self._run(self._native.start_opt_out_by_email(email, opted_out))
        return [self._change(change) for change in changes]

    def create_profile(self, fields: Mapping[str, Any]) -> Profile:
        """POST a new profile and return it as ACS created it. Never blindly resent: after a
        lost answer the client looks the email up before trying again."""
        return self._profile(self._run(self._native.start_create_profile(fields)))

    def update_profile(self, pkey: str, fields: Mapping[str, Any]) -> PatchAck:
        """PATCH arbitrary fields (read-only ones such as ``PKey`` are refused, and so is an
        empty update)."""
        return self._ack(self._run(self._native.start_update_profile(pkey, fields)))

    def delete_profile(self, pkey: str) -> None:
        """DELETE a profile."""
        self._run(self._native.start_delete_profile(pkey))

    def profile_metadata(self) -> ProfileMetadata:
        """The profile resource's fields, and whether the opt-out field is among them."""
        return self._metadata(self._run(self._native.start_profile_metadata()))

    def apply_signals(
        self,
        subject: str,
        gpc: Optional[bool] = None,
        usp: Optional[str] = None,
        gpp: Optional[str] = None,
    ) -> AppliedSignals:
        """Turns raw privacy signals (GPC, a USP string, a GPP string) into the opt-out and
        applies it to ``subject``: an email (every matching profile) or a PKey. ``subject``
        is an email when it does not start with ``@`` and has text before its last ``@`` and
        a dot with text on both sides after it; anything else (``@Zk3q9``, ``ana@localhost``)
        is a PKey.

        An opt-out is written like ``set_opt_out``. A "not opted out" is written only where no
        value is recorded: a signal never clears a recorded opt-out. No usable signal writes
        nothing. A USP or GPP string that cannot be read does not raise: it is a reason
        ``{"kind": "unreadable", "signal": "usp" | "gpp", "message": ...}`` and never cancels a
        readable signal; when no readable signal is left nothing is written. Only the transport
        and ACS can make this raise."""
        operation = self._native.start_apply_signals(subject, gpc, usp, gpp)
        return applied(self._run(operation))

    def submit_privacy_jobs(
        self,
        users: Users,
        *,
        include: Optional[Sequence[str]] = None,
        regulation: Optional[str] = None,
    ) -> list[CreatedJob]:
        """Files requests to know (``access``) and to delete through Adobe's Privacy Service:
        one job per consumer and action. Needs ``ims_org`` (a ``ConfigError`` naming
        ``imsOrg`` otherwise). ``users`` are ``PrivacyUser`` objects or plain dicts
        ``{"key", "actions", "ids": [{"namespace", "value", "type"}]}``; ``include`` defaults to
        ``["campaign"]`` and ``regulation`` to ``"ccpa"``. The core checks the limits (1 to
        1,000 users, 1 to 9 identities each, unique keys) before anything is sent.

            client.submit_privacy_jobs([PrivacyUser("ticket-42", ["access", "delete"],
                                                    [UserId.email("ana@example.com")])])

        A create whose answer was lost is not resent blindly: the jobs made today are searched
        for the users' keys first, so a consumer never gets two jobs."""
        operation = self._native.start_submit_privacy_jobs(users_as_dicts(users), products(include), regulation)
        return created_jobs(self._run(operation))

    def privacy_job(self, job_id: str) -> PrivacyJob:
        """One job, with each product's response and, for a complete access job, its
        ``download_url``."""
        return privacy_job(self._run(self._native.start_privacy_job(job_id)))

    def list_privacy_jobs(
        self,
        *,
        regulation: str = "ccpa",
        status: Optional[str] = None,
        from_date: Optional[DateLike] = None,
        to_date: Optional[DateLike] = None,
        page_size: int = 100,
    ) -> list[PrivacyJob]:
        """Every job of one regulation (all pages), optionally of one ``status``
        (``submitted``, ``processing``, ``complete``, ``error``) and made between two days
        (``datetime.date`` or ``YYYY-MM-DD``, GMT, both or neither, at most 30 days apart).
        Without dates the service lists the last 7 days."""
        operation = self._native.start_list_privacy_jobs(
            regulation,
            status,
            None if from_date is None else _iso(from_date),
            None if to_date is None else _iso(to_date),
            page_size,
        )
        return [privacy_job(job) for job in self._run(operation)]

    def wait_for_privacy_job(self, job_id: str, *, interval: float = 30.0, timeout: float = 3600.0) -> PrivacyJob:
        """Reads the job every ``interval`` seconds until it is ``complete`` or ``error`` and
        returns it; a ``TransportError`` naming the job and its status after ``timeout``
        seconds. Products may take days: a long wait belongs in a scheduled job."""
        operation = self._native.start_wait_for_privacy_job(job_id, interval, timeout)
        return privacy_job(self._run(operation))

    def download_privacy_data(self, job: PrivacyJob) -> bytes:
        """A complete access job's archive: ZIP bytes with one folder per product
        (``campaign/...``), read with ``zipfile``. A job without a ``download_url`` is a
        ``ValidationError`` (field ``downloadURL``), and a link off the gateway is refused."""
        result: bytes = self._run(self._native.start_download_privacy_data(native_job(job)))
        return result

    def list_profiles(
        self,
        page_size: Optional[int] = None,
        order: Optional[str] = None,
        *,
        force_pagination: bool = True,
    ) -> ProfileIterator:
        """A lazy iterator over every profile, fetching one page at a time (``order`` such as
        ``"email desc"``). ``force_pagination`` (on by default) sends ``_forcePagination=true``:
        without it ACS leaves ``next`` out on tables above 100,000 rows and the listing would
        end after one page. Bad arguments raise here, before anything is fetched."""
        return ProfileIterator(self, self._native.listing(page_size, order, force_pagination))

    def close(self) -> None:
        """Closes the connections of the default transport (a custom one is left alone)."""
        self._host.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    def _run(self, operation: _native._Operation) -> Any:
        attempts = Attempts()
        step = operation.resume()
        while True:
            tag, payload = step
            if tag == "send":
                started = time.perf_counter()
                try:
                    response = self._host.send(payload)
                except OSError as error:
                    step = operation.fail(*attempts.failed(payload, error))
                    continue
                if isinstance(response, Response):
                    attempts.answered(payload, response.status, time.perf_counter() - started)
                step = operation.resume(response)
            elif tag == "sleep":
                attempts.retrying(payload)
                self._host.sleep(payload)
                step = operation.resume()
            elif tag == "token":
                step = operation.resume(self._host.token())
            else:
                return payload


class ProfileIterator(Iterator[Profile]):
    """The profiles of a listing, one page fetched at a time; ``pages()`` yields whole pages."""

    def __init__(self, client: Client, listing: _native._Listing) -> None:
        self._client = client
        self._listing = listing
        self._buffer: deque[Profile] = deque()

    def __iter__(self) -> ProfileIterator:
        return self

    def __next__(self) -> Profile:
        while not self._buffer:
            page = self.next_page()
            if page is None:
                raise StopIteration
            self._buffer.extend(page)
        return self._buffer.popleft()

    def pages(self) -> Iterator[list[Profile]]:
        """The remaining pages, each a list of profiles."""
        if self._buffer:
            yield list(self._buffer)
            self._buffer.clear()
        while (page := self.next_page()) is not None:
            yield page

    def next_page(self) -> Optional[list[Profile]]:
        """The next page from ACS, or ``None`` after the last one. Calls made at the same time
        (from several threads or tasks) are served one after the other, each its own page; a
        page that failed is read again by the next call."""
        raw = self._client._run(self._listing.next_page())
        return None if raw is None else self._client._profiles(raw)
