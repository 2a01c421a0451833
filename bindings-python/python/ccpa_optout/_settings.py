"""``ClientSettings``: the keyword arguments of both clients, and ``from_env``'s environment."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Optional, TypedDict, Union, cast

from . import _native
from ._model import RetryPolicy

Scopes = Union[str, Sequence[str]]


class ClientSettings(TypedDict, total=False):
    """The settings ``Client`` and ``AsyncClient`` take as keyword arguments. Each is optional
    here and ``None`` means unset; the Rust core checks them all together, and a
    ``ConfigError`` names the one to fix (``field``), never showing a credential."""

    organization: Optional[str]
    """The ACS tenant ID (``acme``, ``acme-mkt-stage``), not the IMS organization."""
    api_key: Optional[str]
    """The integration's API key; with OAuth it defaults to ``client_id`` (the same value)."""
    access_token: Optional[str]
    """A fixed access token; exclusive with ``token_provider`` and ``client_secret``."""
    client_id: Optional[str]
    """OAuth server-to-server: the client ID (defaults to ``api_key``)."""
    client_secret: Optional[str]
    """OAuth server-to-server: the client secret; tokens are fetched from IMS and cached."""
    scopes: Optional[Scopes]
    """OAuth: the scopes shown in the Developer Console, comma-separated or as a list."""
    token_url: Optional[str]
    """OAuth: the token endpoint (default Adobe IMS)."""
    base_url: Optional[str]
    """The gateway (default ``https://mc.adobe.io``); plain ``http://`` only on loopback."""
    api: Optional[str]
    """``profileAndServices`` (default) or ``profileAndServicesExt``."""
    opt_out_field: Optional[str]
    """The opt-out attribute (default ``ccpaOptOut``; older tenants use a custom boolean)."""
    ims_org: Optional[str]
    """The IMS organization (``…@AdobeOrg``) for access and delete requests through Adobe's
    Privacy Service: ``submit_privacy_jobs`` and the other ``*privacy*`` methods need it."""
    privacy_base_url: Optional[str]
    """The Privacy Service's gateway (default ``https://platform.adobe.io``)."""
    retry: Optional[RetryPolicy]
    """Which failures are retried (default ``RetryPolicy()``); ``None`` turns retries off."""
    timeout: Optional[float]
    """Seconds one HTTP exchange may take (default 30)."""
    max_body_bytes: Optional[int]
    """The largest response body accepted (default 16 MiB)."""
    force_pagination: Optional[bool]
    """Whether byEmail lookups send ``_forcePagination=true`` (default ``True``)."""


def with_environment(settings: ClientSettings, environ: Optional[Mapping[str, str]]) -> ClientSettings:
    """``settings`` over what the environment holds (``os.environ`` unless given), read with the
    core's table of ``CAMPAIGN_STANDARD_*`` variables; blank variables count as unset."""
    found = _native.environment(os.environ if environ is None else environ)
    return cast(ClientSettings, {**dict(found), **settings})
