//! Privacy Service inputs as hosts hold them (text, JSON values), read into the core's types.
//!
//! JavaScript, Python, Kotlin and the CLI take the same arguments in their own types; the rules
//! for reading them (dates both or neither, the defaults, which field an error names) live here
//! once, so a binding only converts its values to text or JSON.

use std::time::Duration;

use serde_json::Value;

use super::JobId;
use super::answer::{JobStatus, PrivacyJob};
use super::clocks::{RequestClocks, RequestEvents};
use super::config::{ImsOrg, PrivacyConfig};
use super::job::{IdentityType, JobRequest, PrivacyAction, PrivacyUser, Regulation, UserId};
use super::request::JobFilter;
use crate::date::Date;
use crate::json_args::{list, member, object, optional_text, text};
use crate::{ApiKey, BaseUrl, Error, Result, Setting};

impl PrivacyConfig {
    /// The configuration from text: the IMS organization, the API key and, when given, the
    /// gateway (whose errors name `privacyBaseUrl`, the setting that holds it).
    pub fn from_text(ims_org: &str, api_key: &str, base_url: Option<&str>) -> Result<Self> {
        let config = PrivacyConfig::new(ImsOrg::new(ims_org)?, ApiKey::new(api_key)?);
        config.with_base_url_text(base_url)
    }

    /// The same configuration with the gateway given as text, if one is.
    pub(crate) fn with_base_url_text(self, base_url: Option<&str>) -> Result<Self> {
        let Some(url) = base_url else {
            return Ok(self);
        };
        let url = BaseUrl::new(url).map_err(|e| e.with_field(Setting::PrivacyBaseUrl.field()))?;
        Ok(self.with_base_url(url))
    }
}

/// A wait given in seconds (the interval and limit of `wait_for_privacy_job`); a negative,
/// infinite or NaN one is a `Validation` error naming `field`.
pub fn wait_seconds(seconds: f64, field: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| Error::validation(field, "a number of seconds, 0 or more"))
}

impl JobRequest {
    /// A request for `users` with the products and regulation when given (`campaign` and
    /// `ccpa` otherwise). The request as a whole is checked when it is sent or prepared.
    pub fn with_options(
        users: Vec<PrivacyUser>,
        include: Option<Vec<String>>,
        regulation: Option<&str>,
    ) -> Result<Self> {
        let mut request = JobRequest::new(users);
        if let Some(include) = include {
            request.include = include;
        }
        if let Some(code) = regulation {
            request.regulation = Regulation::new(code)?;
        }
        Ok(request)
    }
}

impl JobFilter {
    /// A filter from text: dates as `YYYY-MM-DD`, both or neither; the regulation `ccpa` and
    /// 100 jobs a page unless given. Checked, so a bad filter fails before any page is asked for.
    pub fn from_text(
        regulation: Option<&str>,
        status: Option<&str>,
        from_date: Option<&str>,
        to_date: Option<&str>,
        page_size: Option<u32>,
    ) -> Result<Self> {
        let dates = match (from_date, to_date) {
            (Some(from), Some(to)) => Some((
                Date::parse_field(from, "fromDate")?,
                Date::parse_field(to, "toDate")?,
            )),
            (None, None) => None,
            (from, _) => {
                let missing = if from.is_some() { "toDate" } else { "fromDate" };
                return Err(Error::validation(
                    missing,
                    "fromDate and toDate go together: give both or neither",
                ));
            }
        };
        let mut filter = JobFilter {
            status: status.map(JobStatus::parse),
            dates,
            ..JobFilter::default()
        };
        if let Some(code) = regulation {
            filter.regulation = Regulation::new(code)?;
        }
        if let Some(size) = page_size {
            filter.page_size = size;
        }
        filter.validate()?;
        Ok(filter)
    }
}

impl RequestEvents {
    /// The events from `YYYY-MM-DD` days, each absent when it has not happened; an error names
    /// the event (`confirmedOn`, `extensionNoticedOn`, `answeredOn`).
    pub fn from_text(
        confirmed_on: Option<&str>,
        extension_noticed_on: Option<&str>,
        answered_on: Option<&str>,
    ) -> Result<Self> {
        let day = |text: Option<&str>, field| text.map(|t| Date::parse_field(t, field)).transpose();
        Ok(RequestEvents {
            confirmed_on: day(confirmed_on, "confirmedOn")?,
            extension_noticed_on: day(extension_noticed_on, "extensionNoticedOn")?,
            answered_on: day(answered_on, "answeredOn")?,
        })
    }
}

impl RequestClocks {
    /// The clocks from `YYYY-MM-DD` days; an error names the day at fault (`received`,
    /// `holidays`, `today`).
    pub fn from_text(
        received: &str,
        holidays: &[impl AsRef<str>],
        events: &RequestEvents,
        today: &str,
    ) -> Result<Self> {
        let holidays = Date::parse_each(holidays, "holidays")?;
        Ok(RequestClocks::new(
            Date::parse_field(received, "received")?,
            &holidays,
            events,
            Date::parse_field(today, "today")?,
        ))
    }
}

impl PrivacyUser {
    /// The users of a request given as JSON: `[{key, actions: ["access" | "delete"], ids:
    /// [{namespace, value, type}]}]`. Unknown keys and wrong types are `Validation` errors on
    /// the field they concern; the identities themselves are judged by the request's check.
    pub fn list_from_json(users: &Value) -> Result<Vec<PrivacyUser>> {
        let mut read = Vec::new();
        for user in list(Some(users), "users", "users")? {
            read.push(PrivacyUser::from_json(user)?);
        }
        Ok(read)
    }

    fn from_json(value: &Value) -> Result<PrivacyUser> {
        let user = object(value, "users", &["key", "actions", "ids"])?;
        let mut actions = Vec::new();
        for action in list(user.get("actions"), "actions", "action")? {
            actions.push(PrivacyAction::parse(text(action, "actions", "action")?)?);
        }
        let mut ids = Vec::new();
        for id in list(user.get("ids"), "ids", "userIDs")? {
            let id = object(id, "userIDs", &["namespace", "value", "type"])?;
            let part = |name: &str| text(id.get(name).unwrap_or(&Value::Null), name, name);
            ids.push(UserId {
                namespace: part("namespace")?.to_owned(),
                value: part("value")?.to_owned(),
                id_type: IdentityType::parse(part("type")?)?,
            });
        }
        Ok(PrivacyUser {
            key: text(user.get("key").unwrap_or(&Value::Null), "key", "key")?.to_owned(),
            actions,
            ids,
        })
    }
}

impl PrivacyJob {
    /// A job handed back as [`parse_privacy_job`](super::parse_privacy_job) serialized it
    /// (camelCase keys), as far as a download reads one: its ID, status, action and link,
    /// with the other text members kept and the product responses left out.
    pub fn from_json(job: &Value) -> Result<PrivacyJob> {
        let Some(job) = job.as_object() else {
            return Err(Error::validation(
                "job",
                "job must be a job as privacyJob gave it",
            ));
        };
        let text = |key: &'static str| {
            Ok::<_, Error>(optional_text(member(Some(job), key), key)?.map(str::to_owned))
        };
        let required = |key: &'static str| {
            text(key)?.ok_or_else(|| Error::validation(key, format!("the job has no {key}")))
        };
        Ok(PrivacyJob {
            job_id: JobId::new(&required("jobId")?)?,
            request_id: text("requestId")?,
            user_key: text("userKey")?,
            // An action this client does not know is none, as in a job it parses.
            action: text("action")?.and_then(|action| PrivacyAction::parse(&action).ok()),
            status: JobStatus::parse(&required("status")?),
            regulation: text("regulation")?,
            created: text("created")?,
            last_modified: text("lastModified")?,
            product_responses: Vec::new(),
            download_url: text("downloadUrl")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ErrorKind;

    fn refused<T: std::fmt::Debug>(result: Result<T>) -> (ErrorKind, String) {
        let err = result.expect_err("expected an error");
        (err.kind(), err.field().unwrap_or_default().to_owned())
    }

    #[test]
    fn a_filter_needs_both_dates_or_neither_and_names_the_missing_one() {
        let from_only = JobFilter::from_text(None, None, Some("2025-04-01"), None, None);
        assert_eq!(refused(from_only), (ErrorKind::Validation, "toDate".into()));
        let to_only = JobFilter::from_text(None, None, None, Some("2025-04-01"), None);
        assert_eq!(refused(to_only), (ErrorKind::Validation, "fromDate".into()));
        let bad_day = JobFilter::from_text(None, None, Some("2025-4-1"), Some("2025-04-02"), None);
        assert_eq!(refused(bad_day), (ErrorKind::Validation, "fromDate".into()));
        let too_big = JobFilter::from_text(None, None, None, None, Some(1001));
        assert_eq!(refused(too_big), (ErrorKind::Validation, "size".into()));
        let filter =
            JobFilter::from_text(Some("cpra_ca_usa"), Some("complete"), None, None, None).unwrap();
        assert_eq!(filter.regulation.as_str(), "cpra_ca_usa");
        assert_eq!(filter.status, Some(JobStatus::Complete));
        assert_eq!(filter.page_size, JobFilter::default().page_size);
    }

    #[test]
    fn users_given_as_json_name_the_field_that_is_wrong() {
        let user = json!({"key": "t-1", "actions": ["access"],
            "ids": [{"namespace": "email", "value": "a@example.com", "type": "standard"}]});
        let read = PrivacyUser::list_from_json(&json!([user])).unwrap();
        assert_eq!(read[0].ids[0].id_type, IdentityType::Standard);
        let with = |key: &str, value: Value| {
            let mut changed = user.clone();
            changed[key] = value;
            refused(PrivacyUser::list_from_json(&json!([changed]))).1
        };
        assert_eq!(with("actions", json!("access")), "action");
        assert_eq!(with("ids", Value::Null), "userIDs");
        assert_eq!(with("key", json!(7)), "key");
        assert_eq!(with("action", json!(["access"])), "users");
        assert_eq!(
            with("ids", json!([{"namespace": "email", "value": "a"}])),
            "type"
        );
        assert_eq!(
            refused(PrivacyUser::list_from_json(&json!("a@b.c"))).1,
            "users"
        );
    }

    #[test]
    fn a_job_reads_back_from_its_own_json() {
        let job = json!({"jobId": "j-1", "action": "access", "status": "complete",
            "downloadUrl": "https://platform.adobe.io/x", "productResponses": [], "created": null});
        let job = PrivacyJob::from_json(&job).unwrap();
        assert_eq!(job.status, JobStatus::Complete);
        assert_eq!(job.action, Some(PrivacyAction::Access));
        assert_eq!(
            job.download_url.as_deref(),
            Some("https://platform.adobe.io/x")
        );
        let unknown = json!({"jobId": "j-1", "status": "queued", "action": "erase"});
        let unknown = PrivacyJob::from_json(&unknown).unwrap();
        assert_eq!(unknown.status, JobStatus::Other("queued".into()));
        assert_eq!(unknown.action, None);
        let refused = |job: Value| refused(PrivacyJob::from_json(&job)).1;
        assert_eq!(refused(json!("j-1")), "job");
        assert_eq!(refused(json!({"jobId": "a/b", "status": "x"})), "jobId");
        assert_eq!(refused(json!({"jobId": "j-1"})), "status");
        assert_eq!(refused(json!({"jobId": "j-1", "status": 3})), "status");
    }

    #[test]
    fn events_name_the_event_that_is_not_a_day() {
        let events = RequestEvents::from_text(Some("2025-04-07"), None, None).unwrap();
        assert_eq!(
            events.confirmed_on,
            Some(Date::parse("2025-04-07").unwrap())
        );
        let bad = RequestEvents::from_text(None, None, Some("tomorrow"));
        assert_eq!(refused(bad), (ErrorKind::Validation, "answeredOn".into()));
        let clocks = |received, holiday, today| {
            RequestClocks::from_text(received, &[holiday], &events, today)
        };
        assert!(clocks("2025-04-04", "2025-04-07", "2025-04-10").is_ok());
        for (at_fault, (received, holiday, today)) in [
            ("received", ("2025-02-30", "2025-04-07", "2025-04-10")),
            ("holidays", ("2025-04-04", "Easter", "2025-04-10")),
            ("today", ("2025-04-04", "2025-04-07", "")),
        ] {
            let err = clocks(received, holiday, today);
            assert_eq!(refused(err), (ErrorKind::Validation, at_fault.into()));
        }
    }

    #[test]
    fn a_privacy_gateway_given_as_text_is_refused_under_its_setting() {
        let config = PrivacyConfig::from_text("ABC123@AdobeOrg", "key", None).unwrap();
        assert_eq!(config.base_url.as_str(), "https://platform.adobe.io");
        let err = PrivacyConfig::from_text("ABC123@AdobeOrg", "key", Some("ftp://x")).unwrap_err();
        assert_eq!(err.field(), Some("privacyBaseUrl"));
    }

    #[test]
    fn a_wait_is_a_number_of_seconds_0_or_more() {
        assert_eq!(
            wait_seconds(1.5, "interval").unwrap(),
            Duration::from_millis(1500)
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                wait_seconds(bad, "interval").unwrap_err().field(),
                Some("interval")
            );
        }
    }
}
