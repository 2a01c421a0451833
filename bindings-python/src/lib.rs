//! `ccpa_optout._native`: the Rust core of the Python package `ccpa_optout`.
//!
//! Only conversions live here. The client's logic (retries, token refresh, pagination,
//! idempotent opt-out writes) is the core's, run step by step through `ccpa_optout::driver`
//! while Python does the HTTP, the sleeping and the token callbacks.

mod client;
mod errors;
mod http;
mod json;
mod operation;
mod privacy;
mod sansio;
mod settings;
mod signals;
mod subject_tokens;

use pyo3::prelude::*;

/// The native half of `ccpa_optout`; import `ccpa_optout` instead.
#[pymodule(name = "_native")]
mod native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::client::{Listing, NativeClient};
    #[pymodule_export]
    use crate::errors::validation_error;
    #[pymodule_export]
    use crate::http::{Request, Response};
    #[pymodule_export]
    use crate::operation::PyOperation;
    #[pymodule_export]
    use crate::privacy::{
        PyPrivacyConfig, parse_created_privacy_jobs, parse_privacy_job, parse_privacy_job_page,
        prepare_create_privacy_jobs, prepare_download_privacy_data, prepare_get_privacy_job,
        prepare_list_privacy_jobs, request_clocks,
    };
    #[pymodule_export]
    use crate::sansio::{
        check_status, error_from_response, parse_count, parse_delete, parse_patch_ack,
        parse_profile, parse_profile_metadata, parse_profile_page, parse_token_response,
        prepare_create_profile, prepare_delete_profile, prepare_find_by_email, prepare_follow_href,
        prepare_get_profile, prepare_list_profiles, prepare_profile_metadata, prepare_set_opt_out,
        prepare_token_request, prepare_update_profile,
    };
    #[pymodule_export]
    use crate::settings::{PyApiConfig, default_retry, environment};

    #[pymodule_export]
    use crate::subject_tokens::mint_subject_token;

    #[pymodule_export]
    use crate::signals::{
        date_from_rfc3339, decode_gpp, derive_opt_out, gpc_from_headers, may_request_opt_in,
        opt_in_request_allowed_from, opt_out_due_date, parse_gpc_json, parse_usp,
    };

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add("__version__", env!("CARGO_PKG_VERSION"))?;
        module.add("DEFAULT_BASE_URL", ccpa_optout::DEFAULT_BASE_URL)?;
        module.add("DEFAULT_OPT_OUT_FIELD", ccpa_optout::DEFAULT_OPT_OUT_FIELD)?;
        module.add(
            "DEFAULT_TIMEOUT",
            ccpa_optout::DEFAULT_TIMEOUT.as_secs_f64(),
        )?;
        module.add(
            "DEFAULT_MAX_BODY_BYTES",
            ccpa_optout::DEFAULT_MAX_BODY_BYTES,
        )?;
        module.add("MAX_PAGE_SIZE", ccpa_optout::MAX_PAGE_SIZE)?;
        module.add(
            "DEFAULT_PRIVACY_BASE_URL",
            ccpa_optout::privacy::DEFAULT_PRIVACY_BASE_URL,
        )?;
        module.add("MAX_PRIVACY_USERS", ccpa_optout::privacy::MAX_PRIVACY_USERS)?;
        Ok(())
    }
}
