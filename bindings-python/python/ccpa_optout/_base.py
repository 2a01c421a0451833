"""What both clients hold: the core client built from the settings, and its results as objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from . import _native
from ._model import OptOutChange, PatchAck, Profile, ProfileMetadata, RetryPolicy
from ._settings import ClientSettings


class ClientBase:
    """The settings, as the core read them; see ``Client``."""

    def __init__(self, settings: ClientSettings, has_token_provider: bool) -> None:
        self._native = _native._NativeClient(dict(settings), has_token_provider)
        self._api = self._native.api_config
        self._field = self._api.opt_out_field

    @property
    def organization(self) -> str:
        """The ACS tenant ID."""
        return self._api.organization

    @property
    def base_url(self) -> str:
        """The gateway URL requests go to."""
        return self._api.base_url

    @property
    def api(self) -> str:
        """``profileAndServices`` or ``profileAndServicesExt``."""
        return self._api.api

    @property
    def opt_out_field(self) -> str:
        """The opt-out attribute (``ccpaOptOut`` unless configured otherwise)."""
        return self._field

    @property
    def timeout(self) -> float:
        """Seconds one HTTP exchange may take."""
        return self._native.timeout

    @property
    def max_body_bytes(self) -> int:
        """The largest response body accepted, in bytes."""
        return self._native.max_body_bytes

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy (``max_attempts=1`` when retries are off)."""
        return RetryPolicy(*self._native.retry)

    @property
    def force_pagination(self) -> bool:
        """Whether byEmail lookups send ``_forcePagination=true``."""
        return self._native.force_pagination

    @property
    def ims_org(self) -> Optional[str]:
        """The IMS organization for Privacy Service jobs (``None``: they are off)."""
        privacy = self._native.privacy_config
        return None if privacy is None else privacy.ims_org

    @property
    def privacy_base_url(self) -> Optional[str]:
        """The Privacy Service gateway (``None`` without ``ims_org``)."""
        privacy = self._native.privacy_config
        return None if privacy is None else privacy.base_url

    def __repr__(self) -> str:
        # What ``ApiConfig`` shows (never a credential), under the client's name.
        return type(self).__name__ + repr(self._api).partition("ApiConfig")[2]

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
