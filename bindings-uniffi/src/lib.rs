#![doc = include_str!("../README.md")]

mod client;
mod config;
mod error;
mod gpp;
mod host;
mod http;
mod listing;
mod privacy;
mod profile;
mod sansio;
mod signals;
mod transport;

pub use client::CampaignClient;
pub use config::{ApiConfig, ClientOptions, Credentials, RetryPolicy, default_retry_policy};
pub use error::CcpaOptOutError;
pub use gpp::{
    GppSections, GppSignals, StateField, StateFieldValue, UnreadablePart, UsCa, UsStateSection,
};
pub use host::{HostError, HttpTransport, Sleeper, TokenProvider};
pub use http::{HttpHeader, HttpRequest, HttpResponse};
pub use listing::ProfileListing;
pub use privacy::{email_user_id, request_clocks};
pub use profile::{MetadataField, Profile, ProfileMetadata, ProfilePage};
pub use sansio::{
    IssuedToken, check_status, parse_count, parse_delete, parse_patch_ack, parse_profile,
    parse_profile_metadata, parse_profile_page, parse_token_response, prepare_create_profile,
    prepare_delete_profile, prepare_find_by_email, prepare_follow_href, prepare_get_profile,
    prepare_list_profiles, prepare_profile_metadata, prepare_set_opt_out, prepare_token_request,
    prepare_update_profile,
};
pub use signals::{
    date_from_rfc3339, decode_gpp, derive_opt_out, gpc_from_headers, may_request_opt_in,
    mint_subject_token, opt_in_request_allowed_from, opt_out_due_date, parse_gpc_json, parse_usp,
};

uniffi::setup_scaffolding!("ccpa_optout_uniffi");
