#![doc = include_str!("../README.md")]

mod client;
mod error;
mod headers;
mod json;
mod listing;
mod options;
mod privacy;
mod requests;
mod responses;
mod signals;
mod subject_tokens;
#[cfg(target_arch = "wasm32")]
mod token_provider;
mod transport;
mod values;

pub use client::CampaignClient;
pub use error::{ERROR_NAME, is_ccpa_opt_out_error, to_js_error};
pub use json::{camel_case_to_js, json_from_js, json_to_js};
pub use listing::ProfileListing;
pub use options::{api_config, client_options};
pub use requests::request_to_js;
pub use responses::response_from_js;
#[cfg(target_arch = "wasm32")]
pub use token_provider::JsTokenProvider;
pub use transport::FetchTransport;
