//! Requests to know and to delete (Privacy Service jobs) and the §7021 clocks, for JavaScript.
//!
//! Arguments cross as one JSON text each (`JSON.stringify`) and are read into the core's types;
//! results cross back the same way, in the core's camelCase serde shapes (`jobId`, `userKey`,
//! `downloadUrl`). Every rule is the core's: here only types are checked.

use std::time::Duration;

use ccpa_optout::json_args::{member, optional_object, optional_text, strings, whole_number};
use ccpa_optout::privacy::{
    JobFilter, JobId, JobRequest, PrivacyConfig, PrivacyJob, PrivacyUser, RequestClocks,
    RequestEvents, parse_created_privacy_jobs, parse_privacy_job, parse_privacy_job_page,
    prepare_create_privacy_jobs, prepare_download_privacy_data, prepare_get_privacy_job,
    prepare_list_privacy_jobs,
};
use ccpa_optout::{AccessToken, Error, HttpRequest, Result, Setting};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::client::CampaignClient;
use crate::error::to_js_error;
use crate::json::{json_from_js, json_to_js};
use crate::options::{check_keys, string_settings};
use crate::requests::request_to_js;
use crate::responses::response_from_js;
use crate::values::string_arg;

/// The configuration object of the Privacy Service's `prepare*` and `parse*` functions.
const PRIVACY_SETTINGS: [Setting; 4] = [
    Setting::ImsOrg,
    Setting::ApiKey,
    Setting::AccessToken,
    Setting::PrivacyBaseUrl,
];

/// How long `waitForPrivacyJob` waits between reads and in all unless told otherwise.
const DEFAULT_INTERVAL_MS: f64 = 30_000.0;
const DEFAULT_TIMEOUT_MS: f64 = 3_600_000.0;

fn thrown<T>(result: Result<T>) -> std::result::Result<T, JsValue> {
    result.map_err(|err| to_js_error(&err))
}

// ---- JSON values into the core's types -------------------------------------------------------

/// The users and `{include?, regulation?}` as a [`JobRequest`].
fn job_request(users: &JsValue, options: &JsValue) -> Result<JobRequest> {
    let users = PrivacyUser::list_from_json(&json_from_js(users, "users")?)?;
    let options = json_from_js(options, "options")?;
    let options = optional_object(Some(&options), "options", &["include", "regulation"])?;
    let include = member(options, "include")
        .map(|include| strings(include, "include"))
        .transpose()?
        .map(|names| names.into_iter().map(str::to_owned).collect());
    JobRequest::with_options(
        users,
        include,
        optional_text(member(options, "regulation"), "regulation")?,
    )
}

/// `{regulation?, status?, fromDate?, toDate?, pageSize?}` as a [`JobFilter`].
fn job_filter(options: &JsValue) -> Result<JobFilter> {
    let options = json_from_js(options, "options")?;
    let keys = ["regulation", "status", "fromDate", "toDate", "pageSize"];
    let options = optional_object(Some(&options), "options", &keys)?;
    let option = |name| optional_text(member(options, name), name);
    // Out-of-range sizes reach the core's own check, which names the allowed range.
    let page_size = whole_number(member(options, "pageSize"), "pageSize", "size")?
        .map(|size| size.min(f64::from(u32::MAX)) as u32);
    JobFilter::from_text(
        option("regulation")?,
        option("status")?,
        option("fromDate")?,
        option("toDate")?,
        page_size,
    )
}

fn job_id(value: &JsValue) -> Result<JobId> {
    JobId::new(&string_arg(value, "jobId")?)
}

/// `{imsOrg, apiKey, accessToken?, privacyBaseUrl?}`: the Privacy Service's configuration and
/// the token, if given. `Config` errors name the setting.
fn privacy_config(config: &JsValue) -> Result<(PrivacyConfig, Option<AccessToken>)> {
    check_keys(config, "config", &PRIVACY_SETTINGS, &[])?;
    let settings = string_settings(config)?;
    let privacy = PrivacyConfig::from_text(
        settings.ims_org.as_deref().unwrap_or_default(),
        settings.api_key.as_deref().unwrap_or_default(),
        settings.privacy_base_url.as_deref(),
    )?;
    let token = settings.access_token.map(AccessToken::new).transpose()?;
    Ok((privacy, token))
}

/// Reads the configuration, runs a builder with it and hands its request (or the error) over.
fn prepared(
    config: &JsValue,
    build: &dyn Fn(&PrivacyConfig, &AccessToken) -> Result<HttpRequest>,
) -> std::result::Result<JsValue, JsValue> {
    thrown((|| {
        let (privacy, token) = privacy_config(config)?;
        let token = token.ok_or_else(|| Error::config("accessToken", "accessToken is required"))?;
        Ok(request_to_js(&build(&privacy, &token)?))
    })())
}

// ---- CampaignClient --------------------------------------------------------------------------

#[wasm_bindgen]
impl CampaignClient {
    /// Files an access and/or delete job per user and action; resolves to `[{jobId, userKey,
    /// action}]`. A lost answer is looked up by user key before any resend.
    #[wasm_bindgen(js_name = submitPrivacyJobs)]
    pub fn submit_privacy_jobs(&self, users: JsValue, options: JsValue) -> Promise {
        self.run(|client| async move {
            client.privacy_config()?;
            let request = job_request(&users, &options)?;
            json_to_js(&client.submit_privacy_jobs(&request).await?)
        })
    }

    /// One job, with its product responses and, once a complete access job, `downloadUrl`.
    #[wasm_bindgen(js_name = privacyJob)]
    pub fn privacy_job(&self, id: JsValue) -> Promise {
        self.run(|client| async move {
            client.privacy_config()?;
            json_to_js(&client.privacy_job(&job_id(&id)?).await?)
        })
    }

    /// Every job the filter selects (all pages).
    #[wasm_bindgen(js_name = listPrivacyJobs)]
    pub fn list_privacy_jobs(&self, options: JsValue) -> Promise {
        self.run(|client| async move {
            client.privacy_config()?;
            json_to_js(&client.list_privacy_jobs(&job_filter(&options)?).await?)
        })
    }

    /// Reads the job every `intervalMs` until `complete` or `error`, for at most `timeoutMs`.
    #[wasm_bindgen(js_name = waitForPrivacyJob)]
    pub fn wait_for_privacy_job(&self, id: JsValue, options: JsValue) -> Promise {
        self.run(|client| async move {
            client.privacy_config()?;
            let id = job_id(&id)?;
            let options = json_from_js(&options, "options")?;
            let options = optional_object(Some(&options), "options", &["intervalMs", "timeoutMs"])?;
            let millis = |name: &str, default: f64| -> Result<Duration> {
                let ms = whole_number(member(options, name), name, name)?.unwrap_or(default);
                Ok(Duration::from_millis(ms.min(u64::MAX as f64) as u64))
            };
            let interval = millis("intervalMs", DEFAULT_INTERVAL_MS)?;
            let limit = millis("timeoutMs", DEFAULT_TIMEOUT_MS)?;
            json_to_js(&client.wait_for_privacy_job(&id, interval, limit).await?)
        })
    }

    /// A complete access job's archive (a ZIP) as a `Uint8Array`.
    #[wasm_bindgen(js_name = downloadPrivacyData)]
    pub fn download_privacy_data(&self, job: JsValue) -> Promise {
        self.run(|client| async move {
            client.privacy_config()?;
            let job = PrivacyJob::from_json(&json_from_js(&job, "job")?)?;
            let bytes = client.download_privacy_data(&job).await?;
            Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
        })
    }
}

// ---- Sans-IO ---------------------------------------------------------------------------------

/// `POST {privacyBaseUrl}/data/core/privacy/jobs`.
#[wasm_bindgen(js_name = prepareCreatePrivacyJobs)]
pub fn js_prepare_create_privacy_jobs(
    config: &JsValue,
    users: &JsValue,
    options: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    prepared(config, &|privacy, token| {
        prepare_create_privacy_jobs(privacy, token, &job_request(users, options)?)
    })
}

/// `GET …/jobs/{jobId}`.
#[wasm_bindgen(js_name = prepareGetPrivacyJob)]
pub fn js_prepare_get_privacy_job(
    config: &JsValue,
    job: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    prepared(config, &|privacy, token| {
        prepare_get_privacy_job(privacy, token, &job_id(job)?)
    })
}

/// `GET …/jobs?regulation=…&page=…&size=…`: page `page` (from 0, the default) of a listing.
#[wasm_bindgen(js_name = prepareListPrivacyJobs)]
pub fn js_prepare_list_privacy_jobs(
    config: &JsValue,
    options: &JsValue,
    page: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    prepared(config, &|privacy, token| {
        let page = json_from_js(page, "page")?;
        let page = whole_number(Some(&page).filter(|p| !p.is_null()), "page", "page")?;
        let page = page.unwrap_or(0.0).min(f64::from(u32::MAX)) as u32;
        prepare_list_privacy_jobs(privacy, token, &job_filter(options)?, page)
    })
}

/// `GET {downloadUrl}`, only on the configured gateway.
#[wasm_bindgen(js_name = prepareDownloadPrivacyData)]
pub fn js_prepare_download_privacy_data(
    config: &JsValue,
    url: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    prepared(config, &|privacy, token| {
        prepare_download_privacy_data(privacy, token, &string_arg(url, "downloadURL")?)
    })
}

/// `[{jobId, userKey, action}]` from a create's answer.
#[wasm_bindgen(js_name = parseCreatedPrivacyJobs)]
pub fn js_parse_created_privacy_jobs(response: &JsValue) -> std::result::Result<JsValue, JsValue> {
    thrown(response_from_js(response).and_then(|r| json_to_js(&parse_created_privacy_jobs(&r)?)))
}

/// One job; a download link off the configured gateway is a `Decode` error.
#[wasm_bindgen(js_name = parsePrivacyJob)]
pub fn js_parse_privacy_job(
    response: &JsValue,
    config: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    thrown((|| {
        let (privacy, _) = privacy_config(config)?;
        json_to_js(&parse_privacy_job(&response_from_js(response)?, &privacy)?)
    })())
}

/// `{jobs, total}` from one page of a listing.
#[wasm_bindgen(js_name = parsePrivacyJobPage)]
pub fn js_parse_privacy_job_page(
    response: &JsValue,
    config: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    thrown((|| {
        let (privacy, _) = privacy_config(config)?;
        json_to_js(&parse_privacy_job_page(
            &response_from_js(response)?,
            &privacy,
        )?)
    })())
}

// ---- Clocks ----------------------------------------------------------------------------------

/// The host's calendar day (local time) as `YYYY-MM-DD`, for a `today` left out.
fn local_today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

/// `{received, confirmBy, respondBy, extendedTo, confirmation, response}` for a request received
/// on `received`, from `{events?, holidays?, today?}` (dates `"YYYY-MM-DD"`).
#[wasm_bindgen(js_name = requestClocks)]
pub fn js_request_clocks(
    received: &JsValue,
    options: &JsValue,
) -> std::result::Result<JsValue, JsValue> {
    thrown((|| {
        let received = string_arg(received, "received")?;
        let options = json_from_js(options, "options")?;
        let options = optional_object(Some(&options), "options", &["events", "holidays", "today"])?;
        let event_keys = ["confirmedOn", "extensionNoticedOn", "answeredOn"];
        let events = optional_object(member(options, "events"), "events", &event_keys)?;
        let event = |name| optional_text(member(events, name), name);
        let events = RequestEvents::from_text(
            event("confirmedOn")?,
            event("extensionNoticedOn")?,
            event("answeredOn")?,
        )?;
        let holidays = match member(options, "holidays") {
            Some(days) => strings(days, "holidays")?,
            None => Vec::new(),
        };
        let today = optional_text(member(options, "today"), "today")?;
        let today = today.map_or_else(local_today, str::to_owned);
        json_to_js(&RequestClocks::from_text(
            &received, &holidays, &events, &today,
        )?)
    })())
}
