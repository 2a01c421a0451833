"""``AsyncClient``: the asyncio client; the same core operations, awaited."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Mapping
from types import TracebackType
from typing import Any, Callable, Optional, Union

from . import _native
from ._base import _DEFAULT_RETRY, ClientBase
from ._driver import Attempts
from ._model import OptOutChange, PatchAck, Profile, ProfileMetadata, RetryPolicy
from ._native import Request, Response
from ._settings import Scopes, from_environment
from ._signals import AppliedSignals, applied
from ._transport import StdlibTransport

AsyncTransport = Callable[[Request], Union[Awaitable[Response], Response]]
AsyncTokenProvider = Callable[[], Union[Awaitable[str], str]]


class AsyncClient(ClientBase):
    """The asyncio twin of ``Client``: same arguments, every operation a coroutine, and
    ``list_profiles`` an async iterator. Many calls may run at once (``asyncio.gather``).

    ``transport`` is an async callable ``(Request) -> Awaitable[Response]`` (a plain callable
    works too but blocks the loop); the default sends with ``StdlibTransport`` in a worker
    thread. ``token_provider`` may be async or plain.
    """

    def __init__(
        self,
        *,
        organization: str,
        api_key: str,
        access_token: Optional[str] = None,
        token_provider: Optional[AsyncTokenProvider] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[Scopes] = None,
        token_url: Optional[str] = None,
        base_url: Optional[str] = None,
        api: str = "profileAndServices",
        opt_out_field: str = "ccpaOptOut",
        transport: Optional[AsyncTransport] = None,
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
            transport = self._in_thread
            self._owned_transport = StdlibTransport()
        self._transport: AsyncTransport = transport

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **overrides: Any) -> AsyncClient:
        """Like ``Client.from_env``."""
        return cls(**from_environment(environ, overrides))

    async def get_profile(self, pkey: str) -> Profile:
        """GET one profile."""
        return self._profile(await self._run(self._native.start_get_profile(pkey)))

    async def get_opt_out(self, pkey: str) -> bool:
        """The profile's opt-out value; a ``DecodeError`` naming the field if it has none."""
        result: bool = await self._run(self._native.start_get_opt_out(pkey))
        return result

    async def set_opt_out(self, pkey: str, opted_out: bool) -> OptOutChange:
        """Sets the opt-out idempotently: GET, then PATCH only if the value differs."""
        return self._change(await self._run(self._native.start_set_opt_out(pkey, opted_out)))

    async def find_by_email(self, email: str) -> list[Profile]:
        """Every profile whose email is exactly ``email`` (all pages)."""
        return self._profiles(await self._run(self._native.start_find_by_email(email)))

    async def opt_out_by_email(self, email: str, opted_out: bool = True) -> list[OptOutChange]:
        """Sets the opt-out on every profile with this email; ``[]`` when none matches."""
        changes = await self._run(self._native.start_opt_out_by_email(email, opted_out))
        return [self._change(change) for change in changes]

    async def create_profile(self, fields: Mapping[str, Any]) -> Profile:
        """POST a new profile and return it as ACS created it (never blindly resent)."""
        return self._profile(await self._run(self._native.start_create_profile(fields)))

    async def update_profile(self, pkey: str, fields: Mapping[str, Any]) -> PatchAck:
        """PATCH arbitrary fields."""
        return self._ack(await self._run(self._native.start_update_profile(pkey, fields)))

    async def delete_profile(self, pkey: str) -> None:
        """DELETE a profile."""
        await self._run(self._native.start_delete_profile(pkey))

    async def profile_metadata(self) -> ProfileMetadata:
        """The profile resource's fields."""
        return self._metadata(await self._run(self._native.start_profile_metadata()))

    async def apply_signals(
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
        return applied(await self._run(operation))

    def list_profiles(
        self,
        page_size: Optional[int] = None,
        order: Optional[str] = None,
        *,
        force_pagination: bool = True,
    ) -> AsyncProfileIterator:
        """An async iterator over every profile, one page fetched at a time."""
        return AsyncProfileIterator(self, self._native.listing(page_size, order, force_pagination))

    async def aclose(self) -> None:
        """Closes the connections of the default transport."""
        if self._owned_transport is not None:
            self._owned_transport.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def _in_thread(self, request: Request) -> Response:
        assert self._owned_transport is not None
        import asyncio

        return await asyncio.to_thread(self._owned_transport, request)

    async def _run(self, operation: _native._Operation) -> Any:
        import asyncio  # here, not at package import: it is the slowest module to load

        attempts = Attempts()
        step = operation.resume()
        while True:
            tag, payload = step
            if tag == "send":
                started = time.perf_counter()
                try:
                    response = self._transport(payload)
                    if isinstance(response, Awaitable):
                        response = await response
                except OSError as error:
                    step = operation.fail(*attempts.failed(payload, error))
                    continue
                if isinstance(response, Response):
                    attempts.answered(payload, response.status, time.perf_counter() - started)
                step = operation.resume(response)
            elif tag == "sleep":
                attempts.retrying(payload)
                await asyncio.sleep(payload)
                step = operation.resume()
            elif tag == "token":
                step = operation.resume(await self._token())
            else:
                return payload

    async def _token(self) -> str:
        if self._token_provider is None:
            raise RuntimeError("no token provider")
        token = self._token_provider()
        if isinstance(token, Awaitable):
            token = await token
        return token


class AsyncProfileIterator(AsyncIterator[Profile]):
    """The profiles of a listing, one page fetched at a time; ``pages()`` yields whole pages."""

    def __init__(self, client: AsyncClient, listing: _native._Listing) -> None:
        self._client = client
        self._listing = listing
        self._buffer: deque[Profile] = deque()

    def __aiter__(self) -> AsyncProfileIterator:
        return self

    async def __anext__(self) -> Profile:
        while not self._buffer:
            page = await self._next_page()
            if page is None:
                raise StopAsyncIteration
            self._buffer.extend(page)
        return self._buffer.popleft()

    async def pages(self) -> AsyncIterator[list[Profile]]:
        """The remaining pages, each a list of profiles."""
        if self._buffer:
            yield list(self._buffer)
            self._buffer.clear()
        while (page := await self._next_page()) is not None:
            yield page

    async def _next_page(self) -> Optional[list[Profile]]:
        raw = await self._client._run(self._listing.next_page())
        return None if raw is None else self._client._profiles(raw)
