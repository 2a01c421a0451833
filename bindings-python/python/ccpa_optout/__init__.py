"""ccpa_optout: honour California's "do not sell or share" right in Adobe Campaign Standard.

    >>> import ccpa_optout
    >>> client = ccpa_optout.Client(organization="acme", api_key="...", access_token="...")
    >>> client.set_opt_out("@Zk3q9Lw2TfR0", True)          # doctest: +SKIP
    OptOutChange(pkey='@Zk3q9Lw2TfR0', previous=False, current=True, changed=True)

The client logic (validation, retries, token refresh, pagination, idempotent writes) is the
Rust core's; HTTP runs in Python through a transport you can replace.
"""

from ._async import AsyncClient, AsyncProfileIterator, AsyncTokenProvider, AsyncTransport
from ._client import Client, ProfileIterator, TokenProvider, Transport
from ._errors import (
    AuthError,
    CcpaOptOutError,
    ConfigError,
    DecodeError,
    HttpError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from ._model import (
    IssuedToken,
    OptOutChange,
    PatchAck,
    Profile,
    ProfileMetadata,
    ProfilePage,
    RetryPolicy,
)
from ._native import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_OPT_OUT_FIELD,
    DEFAULT_TIMEOUT,
    MAX_PAGE_SIZE,
    ApiConfig,
    Request,
    Response,
    __version__,
    prepare_create_profile,
    prepare_delete_profile,
    prepare_find_by_email,
    prepare_follow_href,
    prepare_get_profile,
    prepare_list_profiles,
    prepare_profile_metadata,
    prepare_set_opt_out,
    prepare_token_request,
    prepare_update_profile,
)
from ._sansio import (
    check_status,
    error_from_response,
    parse_count,
    parse_delete,
    parse_patch_ack,
    parse_profile,
    parse_profile_metadata,
    parse_profile_page,
    parse_token_response,
)
from ._transport import StdlibTransport

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_OPT_OUT_FIELD",
    "DEFAULT_TIMEOUT",
    "MAX_PAGE_SIZE",
    "ApiConfig",
    "AsyncClient",
    "AsyncProfileIterator",
    "AsyncTokenProvider",
    "AsyncTransport",
    "AuthError",
    "CcpaOptOutError",
    "Client",
    "ConfigError",
    "DecodeError",
    "HttpError",
    "IssuedToken",
    "NotFoundError",
    "OptOutChange",
    "PatchAck",
    "Profile",
    "ProfileIterator",
    "ProfileMetadata",
    "ProfilePage",
    "RateLimitedError",
    "Request",
    "Response",
    "RetryPolicy",
    "ServerError",
    "StdlibTransport",
    "TokenProvider",
    "Transport",
    "TransportError",
    "ValidationError",
    "__version__",
    "check_status",
    "error_from_response",
    "parse_count",
    "parse_delete",
    "parse_patch_ack",
    "parse_profile",
    "parse_profile_metadata",
    "parse_profile_page",
    "parse_token_response",
    "prepare_create_profile",
    "prepare_delete_profile",
    "prepare_find_by_email",
    "prepare_follow_href",
    "prepare_get_profile",
    "prepare_list_profiles",
    "prepare_profile_metadata",
    "prepare_set_opt_out",
    "prepare_token_request",
    "prepare_update_profile",
]
