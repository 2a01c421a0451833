#![doc = include_str!("../README.md")]

mod client;
mod config;
pub mod driver;
mod email;
mod error;
mod error_body;
mod http_date;
pub mod json_args;
mod pagination;
mod pkey;
mod profile;
mod request;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
mod response;
mod retry;
mod secret;
mod settings;
mod subject;
mod subject_token;
mod token;
mod token_provider;
mod transport;

mod audit;
#[cfg(feature = "jiff")]
pub mod calendar;
pub mod date;
pub mod privacy;
pub mod signals;

pub use audit::{AuditChange, AuditOutcome, AuditRecord};
pub use date::{Date, Weekday};

pub use client::{
    AppliedSignals, Client, ClientConfig, DEFAULT_TIMEOUT, ListingCursor, ProfileListing,
    SharedListing,
};
pub use config::{
    ApiConfig, ApiName, BaseUrl, DEFAULT_BASE_URL, DEFAULT_OPT_OUT_FIELD, OptOutField, Organization,
};
pub use email::{Email, MAX_EMAIL_LEN};
#[cfg(feature = "uniffi")]
pub use error::CcpaOptOutError;
pub use error::{Error, ErrorKind, Result};
pub use error_body::{body_excerpt, error_from_response, retry_after, vendor_code};
pub use pagination::Pagination;
pub use pkey::{MAX_PKEY_LEN, PKey};
pub use profile::{
    OptOutChange, PatchAck, Profile, ProfileFields, ProfilePage, READ_ONLY_FIELDS, opt_out_value,
};
pub use request::{
    HttpRequest, JSON_CONTENT_TYPE, ListOptions, MAX_PAGE_SIZE, Order, prepare_create_profile,
    prepare_delete_profile, prepare_find_by_email, prepare_follow_href, prepare_get_profile,
    prepare_list_profiles, prepare_profile_metadata, prepare_set_opt_out, prepare_update_profile,
    resolve_href,
};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::ReqwestTransport;
pub use response::{
    DEFAULT_MAX_BODY_BYTES, HttpResponse, OptOutFieldType, ProfileMetadata, check_body_size,
    check_status, parse_count, parse_delete, parse_patch_ack, parse_profile,
    parse_profile_metadata, parse_profile_page,
};
pub use retry::{Outcome, RetryPolicy};
pub use secret::{AccessToken, ApiKey, ClientSecret};
pub use settings::{ClientSettings, MAX_TIMEOUT, RetrySettings, Setting};
pub use subject::{Subject, SubjectKind, looks_like_email};
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use subject_token::mint_subject_token;
pub use subject_token::{
    MAX_SUBJECT_TOKEN_AUDIENCE_LEN, MAX_SUBJECT_TOKEN_TTL, MIN_SUBJECT_TOKEN_SECRET_BYTES,
    SubjectTokenClaims, mint_subject_token_at, mint_subject_token_with,
};
pub use token::{
    Credentials, DEFAULT_IMS_TOKEN_URL, IssuedToken, OAuthCredentials, TokenCache,
    parse_token_response, prepare_token_request,
};
pub use token_provider::{MaybeSendSync, TokenFuture, TokenProvider};
pub use transport::{RequestLimits, Transport, TransportError, TransportErrorKind};

// The types the bindings hand over as they are (signals, privacy jobs, `PatchAck`,
// `OptOutChange`, `AppliedSignals`, the error enum) derive their UniFFI converters behind the
// `uniffi` feature; the bindings name this part of the interface `ccpa_optout_core`.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("ccpa_optout_core");

/// The repository README's Rust examples, compiled and run as doc tests.
#[cfg(all(doctest, feature = "reqwest"))]
#[doc = include_str!("../../README.md")]
struct RepositoryReadme;
