"""Client settings: keyword arguments and the ``CAMPAIGN_STANDARD_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

from . import _native
from ._model import RetryPolicy

Scopes = Union[str, Sequence[str]]


def from_environment(environ: Optional[Mapping[str, str]], overrides: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from the environment (the core's table of ``CAMPAIGN_STANDARD_*``
    variables; blank values count as unset); explicit ``overrides`` win."""
    settings: dict[str, Any] = dict(_native.environment(os.environ if environ is None else environ))
    settings.update(overrides)
    return settings


def native_client(
    *,
    organization: Optional[str],
    api_key: Optional[str],
    access_token: Optional[str],
    has_token_provider: bool,
    client_id: Optional[str],
    client_secret: Optional[str],
    scopes: Optional[Scopes],
    token_url: Optional[str],
    base_url: Optional[str],
    api: str,
    opt_out_field: str,
    retry: Optional[RetryPolicy],
    timeout: float,
    max_body_bytes: Optional[int],
) -> _native._NativeClient:
    """The core client, every setting checked by the core (a ``ConfigError`` names the bad one)."""
    settings = dict(
        organization=organization,
        api_key=api_key,
        access_token=access_token,
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
    return _native._NativeClient(settings, has_token_provider)
