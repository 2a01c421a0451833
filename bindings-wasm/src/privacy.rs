//! Requests to know and to delete (Privacy Service jobs) and the §7021 clocks, for JavaScript.
//!
//! Arguments cross as one JSON text each (`JSON.stringify`) and are read into the core's types;
//! results cross back the same way, in the core's camelCase serde shapes (`jobId`, `userKey`,
//! `downloadUrl`). Every rule is the core's: here only types are checked.

use std::time::Duration;

use ccpa_optout::privacy::{
    IdentityType, ImsOrg, JobFilter, JobId, JobRequest, JobStatus, PrivacyAction, PrivacyConfig,
    PrivacyJob, PrivacyUser, Regulation, RequestClocks, RequestEvents, UserId,
    parse_created_privacy_jobs, parse_privacy_job, parse_privacy_job_page,
    prepare_create_privacy_jobs, prepare_download_privacy_data, prepare_get_privacy_job,
    prepare_list_privacy_jobs,
};
use ccpa_optout::{AccessToken, ApiKey, BaseUrl, Date, Error, HttpRequest, Result, Setting};
use js_sys::Promise;
use serde_json::{Map, Value};
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

/// `value` as an object whose keys are all in `known`; absent or `null` is `None` when
/// `optional`. A `Validation` error on `field` otherwise.
fn fields<'a>(
    value: Option<&'a Value>,
    field: &str,
    known: &[&str],
    optional: bool,
) -> Result<Option<&'a Map<String, Value>>> {
    let map = match value {
        None | Some(Value::Null) if optional => return Ok(None),
        Some(Value::Object(map)) => map,
        _ => {
            return Err(Error::validation(
                field,
                format!("{field} must be an object"),
            ));
        }
    };
    match map.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(Error::validation(
            field,
            format!("unknown key {key:?}; expected one of {}", known.join(", ")),
        )),
        None => Ok(Some(map)),
    }
}

/// An optional member: absent and `null` are `None`.
fn member<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a Value> {
    map.and_then(|map| map.get(key)).filter(|v| !v.is_null())
}

fn text<'a>(value: Option<&'a Value>, name: &str, field: &str) -> Result<Option<&'a str>> {
    value.map(|v| required_text(v, name, field)).transpose()
}

fn required<'a>(map: Option<&'a Map<String, Value>>, name: &str, field: &str) -> Result<&'a str> {
    required_text(
        member(map, name).unwrap_or(&Value::Bool(false)),
        name,
        field,
    )
}

fn list<'a>(value: Option<&'a Value>, name: &str, field: &str) -> Result<&'a [Value]> {
    value
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| Error::validation(field, format!("{name} must be an array")))
}

/// A list of strings. Loops rather than `collect::<Result<_>>()` here and below: each
/// iterator chain brings its own generic code into the module.
fn strings(value: Option<&Value>, name: &str, field: &str) -> Result<Vec<String>> {
    let mut texts = Vec::new();
    for item in list(value, name, field)? {
        texts.push(required_text(item, name, field)?.to_owned());
    }
    Ok(texts)
}

fn required_text<'a>(value: &'a Value, name: &str, field: &str) -> Result<&'a str> {
    value
        .as_str()
        .ok_or_else(|| Error::validation(field, format!("{name} must be a string")))
}

fn date(value: Option<&Value>, name: &str) -> Result<Option<Date>> {
    text(value, name, name)?
        .map(|day| Date::parse(day).map_err(|err| err.with_field(name)))
        .transpose()
}

fn whole_number(value: Option<&Value>, name: &str, field: &str) -> Result<Option<f64>> {
    value
        .map(|v| match v.as_f64() {
            Some(n) if n.is_finite() && n.fract() == 0.0 && n >= 0.0 => Ok(n),
            _ => Err(Error::validation(
                field,
                format!("{name} must be a whole number, 0 or more"),
            )),
        })
        .transpose()
}

/// `{key, actions: ["access" | "delete"], ids: [{namespace, value, type}]}`. The identities
/// are taken as given: the request's own check (`JobRequest::validate`) judges them.
fn privacy_user(value: &Value) -> Result<PrivacyUser> {
    let user = fields(Some(value), "users", &["key", "actions", "ids"], false)?;
    let mut actions = Vec::new();
    for action in strings(member(user, "actions"), "actions", "action")? {
        actions.push(PrivacyAction::parse(&action)?);
    }
    let mut ids = Vec::new();
    for id in list(member(user, "ids"), "ids", "userIDs")? {
        let id = fields(Some(id), "userIDs", &["namespace", "value", "type"], false)?;
        ids.push(UserId {
            namespace: required(id, "namespace", "namespace")?.to_owned(),
            value: required(id, "value", "value")?.to_owned(),
            id_type: IdentityType::parse(required(id, "type", "type")?)?,
        });
    }
    Ok(PrivacyUser {
        key: required(user, "key", "key")?.to_owned(),
        actions,
        ids,
    })
}

/// The users and `{include?, regulation?}` as a [`JobRequest`] (`campaign`, `ccpa` by default).
fn job_request(users: &JsValue, options: &JsValue) -> Result<JobRequest> {
    let users = json_from_js(users, "users")?;
    let mut list_of_users = Vec::new();
    for user in list(Some(&users), "users", "users")? {
        list_of_users.push(privacy_user(user)?);
    }
    let mut request = JobRequest::new(list_of_users);
    let options = json_from_js(options, "options")?;
    let options = fields(Some(&options), "options", &["include", "regulation"], true)?;
    if let Some(include) = member(options, "include") {
        request.include = strings(Some(include), "include", "include")?;
    }
    if let Some(code) = text(member(options, "regulation"), "regulation", "regulation")? {
        request.regulation = Regulation::new(code)?;
    }
    Ok(request)
}

/// `{regulation?, status?, fromDate?, toDate?, pageSize?}` as a [`JobFilter`].
fn job_filter(options: &JsValue) -> Result<JobFilter> {
    let options = json_from_js(options, "options")?;
    let keys = ["regulation", "status", "fromDate", "toDate", "pageSize"];
    let options = fields(Some(&options), "options", &keys, true)?;
    let mut filter = JobFilter::default();
    if let Some(code) = text(member(options, "regulation"), "regulation", "regulation")? {
        filter.regulation = Regulation::new(code)?;
    }
    filter.status = text(member(options, "status"), "status", "status")?.map(JobStatus::parse);
    let from = date(member(options, "fromDate"), "fromDate")?;
    let to = date(member(options, "toDate"), "toDate")?;
    filter.dates = match (from, to) {
        (Some(from), Some(to)) => Some((from, to)),
        (None, None) => None,
        (_, missing) => {
            let field = if missing.is_none() {
                "toDate"
            } else {
                "fromDate"
            };
            return Err(Error::validation(
                field,
                "fromDate and toDate go together: give both or neither",
            ));
        }
    };
    if let Some(size) = whole_number(member(options, "pageSize"), "pageSize", "size")? {
        // Out-of-range sizes reach the core's own check, which names the allowed range.
        filter.page_size = size.min(f64::from(u32::MAX)) as u32;
    }
    Ok(filter)
}

fn job_id(value: &JsValue) -> Result<JobId> {
    JobId::new(&string_arg(value, "jobId")?)
}

/// A job as `privacyJob` returned it, as far as `downloadPrivacyData` reads one: its ID,
/// action, status and download URL.
fn privacy_job(value: &JsValue) -> Result<PrivacyJob> {
    let job = json_from_js(value, "job")?;
    let Value::Object(job) = &job else {
        return Err(Error::validation(
            "job",
            "job must be a job from privacyJob",
        ));
    };
    let job = Some(job);
    let action = text(member(job, "action"), "action", "action")?;
    Ok(PrivacyJob {
        job_id: JobId::new(required(job, "jobId", "jobId")?)?,
        request_id: None,
        user_key: None,
        action: action.and_then(|action| PrivacyAction::parse(action).ok()),
        status: JobStatus::parse(required(job, "status", "status")?),
        regulation: None,
        created: None,
        last_modified: None,
        product_responses: Vec::new(),
        download_url: text(member(job, "downloadUrl"), "downloadUrl", "downloadURL")?
            .map(str::to_owned),
    })
}

/// `{imsOrg, apiKey, accessToken?, privacyBaseUrl?}`: the Privacy Service's configuration and
/// the token, if given. `Config` errors name the setting.
fn privacy_config(config: &JsValue) -> Result<(PrivacyConfig, Option<AccessToken>)> {
    check_keys(config, "config", &PRIVACY_SETTINGS, &[])?;
    let settings = string_settings(config)?;
    let ims_org = ImsOrg::new(settings.ims_org.as_deref().unwrap_or_default())?;
    let api_key = ApiKey::new(settings.api_key.unwrap_or_default())?;
    let mut privacy = PrivacyConfig::new(ims_org, api_key);
    if let Some(url) = &settings.privacy_base_url {
        let url = BaseUrl::new(url).map_err(|err| err.with_field("privacyBaseUrl"))?;
        privacy = privacy.with_base_url(url);
    }
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
            let options = fields(
                Some(&options),
                "options",
                &["intervalMs", "timeoutMs"],
                true,
            )?;
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
            let bytes = client.download_privacy_data(&privacy_job(&job)?).await?;
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

/// The host's calendar day (local time), for a `today` left out.
fn local_today() -> Result<Date> {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as u16,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
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
        let received = Date::parse(&string_arg(received, "received")?)
            .map_err(|err| err.with_field("received"))?;
        let options = json_from_js(options, "options")?;
        let options = fields(
            Some(&options),
            "options",
            &["events", "holidays", "today"],
            true,
        )?;
        let event_keys = ["confirmedOn", "extensionNoticedOn", "answeredOn"];
        let events = fields(member(options, "events"), "events", &event_keys, true)?;
        let events = RequestEvents {
            confirmed_on: date(member(events, "confirmedOn"), "confirmedOn")?,
            extension_noticed_on: date(member(events, "extensionNoticedOn"), "extensionNoticedOn")?,
            answered_on: date(member(events, "answeredOn"), "answeredOn")?,
        };
        let mut holidays = Vec::new();
        if let Some(days) = member(options, "holidays") {
            for day in strings(Some(days), "holidays", "holidays")? {
                holidays.push(Date::parse(&day).map_err(|err| err.with_field("holidays"))?);
            }
        }
        let today = match date(member(options, "today"), "today")? {
            Some(today) => today,
            None => local_today()?,
        };
        json_to_js(&RequestClocks::new(received, &holidays, &events, today))
    })())
}
