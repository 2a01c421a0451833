"""Client settings: keyword arguments and the ``CAMPAIGN_STANDARD_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

from . import _native
from ._errors import ConfigError
from ._model import RetryPolicy

#: Constructor argument -> environment variable (the names Adobe's own SDK and the CLI use).
ENVIRONMENT = {
    "organization": "CAMPAIGN_STANDARD_TENANT_ID",
    "api_key": "CAMPAIGN_STANDARD_API_KEY",
    "access_token": "CAMPAIGN_STANDARD_ACCESS_TOKEN",
    "client_id": "CAMPAIGN_STANDARD_CLIENT_ID",
    "client_secret": "CAMPAIGN_STANDARD_CLIENT_SECRET",
    "scopes": "CAMPAIGN_STANDARD_SCOPES",
    "token_url": "CAMPAIGN_STANDARD_TOKEN_URL",
    "base_url": "CAMPAIGN_STANDARD_BASE_URL",
    "api": "CAMPAIGN_STANDARD_API",
    "opt_out_field": "CAMPAIGN_STANDARD_OPT_OUT_FIELD",
}

Scopes = Union[str, Sequence[str]]


def from_environment(environ: Optional[Mapping[str, str]], overrides: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments from the environment; explicit ``overrides`` win, empty values count as unset."""
    source = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for argument, variable in ENVIRONMENT.items():
        value = source.get(variable, "")
        if value.strip():
            settings[argument] = value
    settings.update(overrides)
    for argument in ("organization", "api_key"):
        if argument not in settings:
            raise ConfigError._for(
                f"set {ENVIRONMENT[argument]} (or pass {argument}=...)",
                field="organization" if argument == "organization" else "apiKey",
            )
    return settings


def native_client(
    *,
    organization: str,
    api_key: str,
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
    if scopes is not None and not isinstance(scopes, str):
        scopes = ",".join(scopes)
    return _native._NativeClient(
        organization=organization,
        api_key=api_key,
        access_token=access_token,
        token_provider=has_token_provider,
        client_id=client_id,
        client_secret=client_secret,
        scopes=scopes,
        token_url=token_url,
        base_url=base_url,
        api=api,
        opt_out_field=opt_out_field,
        retry=(retry or RetryPolicy.never())._as_tuple(),
        timeout=float(timeout),
        max_body_bytes=max_body_bytes,
    )
