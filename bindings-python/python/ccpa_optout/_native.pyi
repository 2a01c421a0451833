"""Type stubs of the native module ``ccpa_optout._native`` (checked with ``mypy.stubtest``)."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, Optional, Union, final

__all__ = [
    "ApiConfig",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_OPT_OUT_FIELD",
    "DEFAULT_PRIVACY_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_PAGE_SIZE",
    "MAX_PRIVACY_USERS",
    "PrivacyConfig",
    "Request",
    "Response",
    "_Listing",
    "_NativeClient",
    "_Operation",
    "__version__",
    "check_status",
    "date_from_rfc3339",
    "decode_gpp",
    "default_retry",
    "derive_opt_out",
    "environment",
    "error_from_response",
    "gpc_from_headers",
    "may_request_opt_in",
    "mint_subject_token",
    "opt_in_request_allowed_from",
    "opt_out_due_date",
    "parse_count",
    "parse_created_privacy_jobs",
    "parse_delete",
    "parse_gpc_json",
    "parse_patch_ack",
    "parse_privacy_job",
    "parse_privacy_job_page",
    "parse_profile",
    "parse_profile_metadata",
    "parse_profile_page",
    "parse_token_response",
    "parse_usp",
    "prepare_create_privacy_jobs",
    "prepare_create_profile",
    "prepare_delete_profile",
    "prepare_download_privacy_data",
    "prepare_find_by_email",
    "prepare_follow_href",
    "prepare_get_privacy_job",
    "prepare_get_profile",
    "prepare_list_privacy_jobs",
    "prepare_list_profiles",
    "prepare_profile_metadata",
    "prepare_set_opt_out",
    "prepare_token_request",
    "prepare_update_profile",
    "request_clocks",
    "validation_error",
]

__version__: Final[str]
DEFAULT_BASE_URL: Final[str]
DEFAULT_OPT_OUT_FIELD: Final[str]
DEFAULT_TIMEOUT: Final[float]
DEFAULT_MAX_BODY_BYTES: Final[int]
MAX_PAGE_SIZE: Final[int]
DEFAULT_PRIVACY_BASE_URL: Final[str]
MAX_PRIVACY_USERS: Final[int]

_Headers = Union[Mapping[str, str], Iterable[tuple[Union[str, bytes], Union[str, bytes]]]]
_Body = Union[bytes, bytearray, memoryview]
_Step = tuple[Literal["send", "sleep", "token", "done"], Any]

@final
class Request:
    """A request for the transport to send."""

    def __new__(
        cls,
        method: str,
        url: str,
        headers: Optional[_Headers] = None,
        body: Optional[_Body] = None,
        timeout: Optional[float] = None,
        max_body_bytes: Optional[int] = None,
    ) -> Request: ...
    @property
    def method(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def body(self) -> Optional[bytes]: ...
    @property
    def timeout(self) -> Optional[float]: ...
    @property
    def max_body_bytes(self) -> Optional[int]: ...

@final
class Response:
    """What a transport returns: status, headers and raw body, whatever the status."""

    def __new__(
        cls, status: int, headers: Optional[_Headers] = None, body: Optional[_Body] = None
    ) -> Response: ...
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def body(self) -> bytes: ...

@final
class ApiConfig:
    """Where requests go, for the ``prepare_*`` functions."""

    def __new__(
        cls,
        *,
        organization: str,
        api_key: str,
        base_url: Optional[str] = None,
        api: str = "profileAndServices",
        opt_out_field: str = "ccpaOptOut",
    ) -> ApiConfig: ...
    @property
    def organization(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api(self) -> str: ...
    @property
    def opt_out_field(self) -> str: ...

@final
class PrivacyConfig:
    """Where Privacy Service requests go, for the sans-IO privacy functions. ``repr()`` never
    shows the API key."""

    def __new__(cls, *, ims_org: str, api_key: str, base_url: Optional[str] = None) -> PrivacyConfig: ...
    @property
    def ims_org(self) -> str: ...
    @property
    def base_url(self) -> str: ...

@final
class _Operation:
    def resume(self, reply: Union[Response, str, None] = None) -> _Step: ...
    def fail(self, kind: str, message: str) -> _Step: ...

@final
class _Listing:
    def next_page(self) -> _Operation: ...

@final
class _NativeClient:
    def __new__(cls, settings: dict[str, Any], token_provider: bool = False) -> _NativeClient: ...
    @property
    def api_config(self) -> ApiConfig: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_body_bytes(self) -> int: ...
    @property
    def retry(self) -> tuple[int, float, float, float]: ...
    @property
    def force_pagination(self) -> bool: ...
    def start_get_profile(self, pkey: str) -> _Operation: ...
    def start_get_opt_out(self, pkey: str) -> _Operation: ...
    def start_set_opt_out(self, pkey: str, opted_out: object) -> _Operation: ...
    def start_find_by_email(self, email: str) -> _Operation: ...
    def start_opt_out_by_email(self, email: str, opted_out: object) -> _Operation: ...
    def start_create_profile(self, fields: object) -> _Operation: ...
    def start_update_profile(self, pkey: str, fields: object) -> _Operation: ...
    def start_delete_profile(self, pkey: str) -> _Operation: ...
    def start_profile_metadata(self) -> _Operation: ...
    def start_apply_signals(
        self,
        subject: str,
        gpc: Optional[bool] = None,
        usp: Optional[str] = None,
        gpp: Optional[str] = None,
    ) -> _Operation: ...
    @property
    def privacy_config(self) -> Optional[PrivacyConfig]: ...
    def start_submit_privacy_jobs(
        self, users: object, include: Optional[list[str]] = None, regulation: Optional[str] = None
    ) -> _Operation: ...
    def start_privacy_job(self, job_id: str) -> _Operation: ...
    def start_list_privacy_jobs(
        self,
        regulation: str = "ccpa",
        status: Optional[str] = None,
        from_date: Optional[str] = None,
        to_date: Optional[str] = None,
        page_size: int = 100,
    ) -> _Operation: ...
    def start_wait_for_privacy_job(self, job_id: str, interval: float, timeout: float) -> _Operation: ...
    def start_download_privacy_data(self, job: Mapping[str, Any]) -> _Operation: ...
    def listing(
        self,
        page_size: Optional[int] = None,
        order: Optional[str] = None,
        force_pagination: bool = True,
    ) -> _Listing: ...

def default_retry() -> tuple[int, float, float, float]: ...
def environment(environ: Mapping[str, str]) -> list[tuple[str, str]]: ...
def prepare_get_profile(api: ApiConfig, access_token: str, pkey: str) -> Request: ...
def prepare_find_by_email(
    api: ApiConfig,
    access_token: str,
    email: str,
    page_size: Optional[int] = None,
    order: Optional[str] = None,
    force_pagination: bool = True,
) -> Request: ...
def prepare_list_profiles(
    api: ApiConfig,
    access_token: str,
    page_size: Optional[int] = None,
    order: Optional[str] = None,
    force_pagination: bool = True,
) -> Request: ...
def prepare_follow_href(api: ApiConfig, access_token: str, href: str) -> Request: ...
def prepare_create_profile(api: ApiConfig, access_token: str, fields: Mapping[str, Any]) -> Request: ...
def prepare_set_opt_out(api: ApiConfig, access_token: str, pkey: str, opted_out: bool) -> Request: ...
def prepare_update_profile(
    api: ApiConfig, access_token: str, pkey: str, fields: Mapping[str, Any]
) -> Request: ...
def prepare_delete_profile(api: ApiConfig, access_token: str, pkey: str) -> Request: ...
def prepare_profile_metadata(api: ApiConfig, access_token: str) -> Request: ...
def prepare_token_request(
    client_id: str, client_secret: str, scopes: str, token_url: Optional[str] = None
) -> Request: ...
def parse_profile(response: Response, opt_out_field: str = "ccpaOptOut") -> dict[str, Any]: ...
def parse_profile_page(
    response: Response, opt_out_field: str = "ccpaOptOut"
) -> tuple[list[dict[str, Any]], Optional[str], Optional[str]]: ...
def parse_patch_ack(response: Response) -> Optional[tuple[str, Optional[str]]]: ...
def parse_delete(response: Response) -> None: ...
def parse_count(response: Response) -> int: ...
def parse_profile_metadata(
    response: Response, opt_out_field: str = "ccpaOptOut"
) -> tuple[list[tuple[str, str]], bool]: ...
def parse_token_response(response: Response) -> tuple[str, float]: ...
def check_status(response: Response) -> None: ...
def error_from_response(response: Response) -> Exception: ...
def validation_error(field: str, message: str) -> Exception: ...
def gpc_from_headers(headers: _Headers) -> Optional[bool]: ...
def parse_usp(usp: str) -> dict[str, Any]: ...
def decode_gpp(gpp: str) -> dict[str, Any]: ...
def derive_opt_out(
    gpc: Optional[bool] = None, usp: Optional[str] = None, gpp: Optional[str] = None
) -> dict[str, Any]: ...
def parse_gpc_json(content_type: Optional[str], body: bytes) -> dict[str, Any]: ...
def opt_out_due_date(received: str, holidays: list[str] = ...) -> str: ...
def opt_in_request_allowed_from(opted_out_on: str) -> Optional[str]: ...
def may_request_opt_in(opted_out_on: str, on: str) -> bool: ...
def date_from_rfc3339(timestamp: str) -> str: ...
def mint_subject_token(
    secret: Union[str, bytes],
    subject: str,
    ttl: Union[int, datetime.timedelta],
    *,
    audience: Optional[str] = None,
    issued_at: Optional[int] = None,
) -> str: ...
def prepare_create_privacy_jobs(
    config: PrivacyConfig,
    access_token: str,
    users: object,
    include: Optional[list[str]] = None,
    regulation: Optional[str] = None,
) -> Request: ...
def prepare_get_privacy_job(config: PrivacyConfig, access_token: str, job_id: str) -> Request: ...
def prepare_list_privacy_jobs(
    config: PrivacyConfig,
    access_token: str,
    page: int = 0,
    regulation: str = "ccpa",
    status: Optional[str] = None,
    from_date: Optional[str] = None,
    to_date: Optional[str] = None,
    page_size: int = 100,
) -> Request: ...
def prepare_download_privacy_data(config: PrivacyConfig, access_token: str, download_url: str) -> Request: ...
def parse_created_privacy_jobs(response: Response) -> list[dict[str, Any]]: ...
def parse_privacy_job(response: Response, config: PrivacyConfig) -> dict[str, Any]: ...
def parse_privacy_job_page(response: Response, config: PrivacyConfig) -> dict[str, Any]: ...
def request_clocks(
    received: str,
    today: str,
    holidays: list[str] = ...,
    confirmed_on: Optional[str] = None,
    extension_noticed_on: Optional[str] = None,
    answered_on: Optional[str] = None,
) -> dict[str, Any]: ...
