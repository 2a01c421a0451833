"""``Client``: the blocking client. The core decides every step; this loop does the I/O."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, Callable, Optional

from . import _native
from ._base import _DEFAULT_RETRY, ClientBase
from ._driver import Attempts
from ._model import OptOutChange, PatchAck, Profile, ProfileMetadata, RetryPolicy
from ._native import Request, Response
from ._settings import Scopes, from_environment
from ._signals import AppliedSignals, applied
from ._transport import StdlibTransport

Transport = Callable[[Request], Response]
TokenProvider = Callable[[], str]


class Client(ClientBase):
    """The ACS profile client: idempotent opt-out writes, retries, token refresh, pagination.

    Credentials: ``access_token``; or ``token_provider``, a callable returning a token (called
    before each request, and once more after a 401, when it must return a fresh one); or OAuth
    server-to-server ``client_secret`` with ``scopes`` (``client_id`` defaults to ``api_key``),
    fetched from IMS and cached until shortly before it expires.

    ``transport`` is any callable ``(Request) -> Response`` (default: ``StdlibTransport``);
    ``retry=None`` turns retries off; ``timeout`` is per HTTP exchange, in seconds.
    """

    def __init__(
        self,
        *,
        organization: str,
        api_key: str,
        access_token: Optional[str] = None,
        token_provider: Optional[TokenProvider] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[Scopes] = None,
        token_url: Optional[str] = None,
        base_url: Optional[str] = None,
        api: str = "profileAndServices",
        opt_out_field: str = "ccpaOptOut",
        transport: Optional[Transport] = None,
        retry: Optional[RetryPolicy] = _DEFAULT_RETRY,
        timeout: float = _native.DEFAULT_TIMEOUT,
        max_body_bytes: Optional[int] = None,
    ) -> None:
        super().__init__(
            organization=organization,
            api_key=api_key,
            access_token=access_token,
            has_token_provider=token_provider is not None,
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            token_url=token_url,
            base_url=base_url,
            api=api,
            opt_out_field=opt_out_field,
            retry=retry,
            timeout=timeout,
            max_body_bytes=max_body_bytes,
        )
        self._token_provider = token_provider
        self._owned_transport: Optional[StdlibTransport] = None
        if transport is None:
            transport = self._owned_transport = StdlibTransport()
        self._transport: Transport = transport

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> Client:
        """A client configured by ``CAMPAIGN_STANDARD_TENANT_ID``, ``..._API_KEY``,
        ``..._ACCESS_TOKEN`` (or ``..._CLIENT_SECRET`` and ``..._SCOPES``), and optionally
        ``..._BASE_URL``, ``..._API``, ``..._OPT_OUT_FIELD``, ``..._CLIENT_ID``, ``..._TOKEN_URL``.
        Keyword arguments override the environment."""
        return cls(**from_environment(environ, overrides))

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
        """PATCH arbitrary fields (read-only ones such as ``PKey`` are refused)."""
        return self._ack(self._run(self._native.start_update_profile(pkey, fields)))

    def delete_profile(self, pkey: str) -> None:
        """DELETE a profile."""
        self._run(self._native.start_delete_profile(pkey))

    def profile_metadata(self) -> ProfileMetadata:
        """The profile resource's fields, to check the opt-out field before a bulk run."""
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
        if self._owned_transport is not None:
            self._owned_transport.close()

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
                    response = self._transport(payload)
                except OSError as error:
                    step = operation.fail(*attempts.failed(payload, error))
                    continue
                if isinstance(response, Response):
                    attempts.answered(payload, response.status, time.perf_counter() - started)
                step = operation.resume(response)
            elif tag == "sleep":
                attempts.retrying(payload)
                time.sleep(payload)
                step = operation.resume()
            elif tag == "token":
                step = operation.resume(self._token())
            else:
                return payload

    def _token(self) -> str:
        if self._token_provider is None:  # the core asks only when a provider was given
            raise RuntimeError("no token provider")
        return self._token_provider()


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
            page = self._next_page()
            if page is None:
                raise StopIteration
            self._buffer.extend(page)
        return self._buffer.popleft()

    def pages(self) -> Iterator[list[Profile]]:
        """The remaining pages, each a list of profiles."""
        if self._buffer:
            yield list(self._buffer)
            self._buffer.clear()
        while (page := self._next_page()) is not None:
            yield page

    def _next_page(self) -> Optional[list[Profile]]:
        raw = self._client._run(self._listing.next_page())
        return None if raw is None else self._client._profiles(raw)
