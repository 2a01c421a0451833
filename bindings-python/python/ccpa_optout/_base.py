"""What the sync and async clients share: construction, settings, and turning results into objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from . import _native
from ._model import OptOutChange, PatchAck, Profile, ProfileMetadata, RetryPolicy
from ._settings import Scopes, native_client

_DEFAULT_RETRY = RetryPolicy()


class ClientBase:
    """Settings shared by ``Client`` and ``AsyncClient``; see ``Client`` for the arguments."""

    def __init__(
        self,
        *,
        organization: str,
        api_key: str,
        access_token: Optional[str] = None,
        has_token_provider: bool = False,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[Scopes] = None,
        token_url: Optional[str] = None,
        base_url: Optional[str] = None,
        api: str = "profileAndServices",
        opt_out_field: str = "ccpaOptOut",
        retry: Optional[RetryPolicy] = _DEFAULT_RETRY,
        timeout: float = _native.DEFAULT_TIMEOUT,
        max_body_bytes: Optional[int] = None,
    ) -> None:
        self._native = native_client(
            organization=organization,
            api_key=api_key,
            access_token=access_token,
            has_token_provider=has_token_provider,
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
        self._field = self._native.opt_out_field

    @property
    def organization(self) -> str:
        """The ACS tenant ID."""
        return self._native.organization

    @property
    def base_url(self) -> str:
        """The gateway URL requests go to."""
        return self._native.base_url

    @property
    def api(self) -> str:
        """``profileAndServices`` or ``profileAndServicesExt``."""
        return self._native.api

    @property
    def opt_out_field(self) -> str:
        """The opt-out attribute (``ccpaOptOut`` unless configured otherwise)."""
        return self._field

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(organization={self.organization!r}, base_url={self.base_url!r}, "
            f"api={self.api!r}, opt_out_field={self._field!r})"
        )

    # Results, as the native operations hand them back.

    def _profile(self, fields: Mapping[str, Any]) -> Profile:
        return Profile(fields, self._field)

    def _profiles(self, items: list[dict[str, Any]]) -> list[Profile]:
        return [Profile(fields, self._field) for fields in items]

    @staticmethod
    def _change(raw: tuple[str, Optional[bool], bool, bool]) -> OptOutChange:
        return OptOutChange(*raw)

    @staticmethod
    def _ack(raw: tuple[str, Optional[str]]) -> PatchAck:
        return PatchAck(*raw)

    def _metadata(self, raw: tuple[list[tuple[str, str]], bool]) -> ProfileMetadata:
        fields, ok = raw
        return ProfileMetadata(dict(fields), self._field, ok)
