//! The Privacy Service vectors (`tests/vectors/privacy.json`): requests, answers and clocks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ccpa_optout::privacy::{
    IdentityType, ImsOrg, JobFilter, JobId, JobRequest, JobStatus, PrivacyAction, PrivacyConfig,
    PrivacyUser, Regulation, RequestClocks, RequestEvents, UserId, parse_created_privacy_jobs,
    parse_privacy_job, parse_privacy_job_page, prepare_create_privacy_jobs,
    prepare_download_privacy_data, prepare_get_privacy_job, prepare_list_privacy_jobs,
};
use ccpa_optout::{AccessToken, ApiKey, Date, Error, HttpRequest, HttpResponse, Result};
use serde_json::{Value, json};

fn load() -> Value {
    let path = format!(
        "{}/../tests/vectors/privacy.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn section(name: &str, minimum: usize) -> Vec<Value> {
    let cases = load()[name].as_array().unwrap().clone();
    assert!(cases.len() >= minimum, "{name}: {} cases", cases.len());
    cases
}

fn config() -> PrivacyConfig {
    PrivacyConfig::new(
        ImsOrg::new("ABC123@AdobeOrg").unwrap(),
        ApiKey::new("vec-api-key").unwrap(),
    )
}

fn date(value: &Value) -> Option<Date> {
    value.as_str().map(|text| Date::parse(text).unwrap())
}

fn user(spec: &Value) -> Result<PrivacyUser> {
    let actions = spec["actions"].as_array().unwrap();
    let ids = spec["ids"].as_array().unwrap();
    Ok(PrivacyUser {
        key: spec["key"].as_str().unwrap().to_owned(),
        actions: actions
            .iter()
            .map(|a| PrivacyAction::parse(a.as_str().unwrap()))
            .collect::<Result<_>>()?,
        // Built as plain values: the request's own check is what the case is about.
        ids: ids
            .iter()
            .map(|id| {
                Ok(UserId {
                    namespace: id["namespace"].as_str().unwrap().to_owned(),
                    value: id["value"].as_str().unwrap().to_owned(),
                    id_type: IdentityType::parse(id["type"].as_str().unwrap())?,
                })
            })
            .collect::<Result<_>>()?,
    })
}

fn job_request(spec: &Value) -> Result<JobRequest> {
    let users = match spec["repeatUsers"].as_u64() {
        Some(n) => (0..n)
            .map(|i| {
                user(&json!({"key": format!("u{i}"), "actions": ["delete"],
                    "ids": [{"namespace": "email", "value": format!("u{i}@example.com"), "type": "standard"}]}))
            })
            .collect::<Result<_>>()?,
        None => spec["users"].as_array().unwrap().iter().map(user).collect::<Result<_>>()?,
    };
    let mut request = JobRequest::new(users);
    if let Some(include) = spec["include"].as_array() {
        request.include = include
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
    }
    if let Some(regulation) = spec["regulation"].as_str() {
        request.regulation = Regulation::new(regulation)?;
    }
    Ok(request)
}

fn build(case: &Value) -> Result<HttpRequest> {
    let token = AccessToken::new("vec-token").unwrap();
    let config = config();
    if let Some(spec) = case.get("create") {
        return prepare_create_privacy_jobs(&config, &token, &job_request(spec)?);
    }
    if let Some(id) = case["get"].as_str() {
        return prepare_get_privacy_job(&config, &token, &JobId::new(id)?);
    }
    if let Some(url) = case["download"].as_str() {
        return prepare_download_privacy_data(&config, &token, url);
    }
    let spec = &case["list"];
    let filter = JobFilter {
        status: spec["status"].as_str().map(JobStatus::parse),
        dates: date(&spec["fromDate"]).zip(date(&spec["toDate"])),
        page_size: spec["pageSize"].as_u64().map_or(100, |n| n as u32),
        ..JobFilter::default()
    };
    prepare_list_privacy_jobs(
        &config,
        &token,
        &filter,
        spec["page"].as_u64().unwrap() as u32,
    )
}

fn assert_error(name: &str, err: &Error, expected: &Value) {
    assert_eq!(err.kind().as_str(), expected["kind"], "{name}: {err}");
    if let Some(field) = expected.get("field") {
        assert_eq!(err.field(), field.as_str(), "{name}: {err}");
    }
    if let Some(code) = expected.get("errorCode") {
        assert_eq!(err.error_code(), code.as_str(), "{name}: {err}");
    }
}

#[test]
fn every_request_vector_is_built_or_refused_as_written() {
    for case in section("requests", 25) {
        let name = case["name"].as_str().unwrap();
        match (build(&case), case.get("error")) {
            (Ok(request), None) => {
                let expected = &case["expected"];
                assert_eq!(request.method().as_str(), expected["method"], "{name}");
                assert_eq!(request.uri().to_string(), expected["url"], "{name}");
                for (header, value) in expected["headers"].as_object().into_iter().flatten() {
                    assert_eq!(
                        request.headers()[header.as_str()],
                        value.as_str().unwrap(),
                        "{name}: {header}"
                    );
                }
                match &expected.get("body") {
                    Some(Value::Null) => assert!(request.body().is_empty(), "{name}"),
                    Some(body) => {
                        let sent: Value = serde_json::from_slice(request.body()).unwrap();
                        assert_eq!(&&sent, body, "{name}");
                    }
                    None => {}
                }
            }
            (Err(err), Some(expected)) => assert_error(name, &err, expected),
            (Ok(_), Some(expected)) => panic!("{name}: built, expected {expected}"),
            (Err(err), None) => panic!("{name}: refused: {err}"),
        }
    }
}

#[test]
fn every_response_vector_parses_or_fails_as_written() {
    for case in section("responses", 12) {
        let name = case["name"].as_str().unwrap();
        let response: HttpResponse = http::Response::builder()
            .status(case["status"].as_u64().unwrap() as u16)
            .body(serde_json::to_vec(&case["body"]).unwrap())
            .unwrap();
        let parsed = match case["parse"].as_str().unwrap() {
            "created" => parse_created_privacy_jobs(&response).map(|jobs| json!(jobs)),
            "job" => parse_privacy_job(&response, &config()).map(|job| json!(job)),
            _ => parse_privacy_job_page(&response, &config()).map(|page| json!(page)),
        };
        match (parsed, case.get("error")) {
            (Ok(value), None) => assert_eq!(value, case["expected"], "{name}"),
            (Err(err), Some(expected)) => assert_error(name, &err, expected),
            (Ok(value), Some(expected)) => panic!("{name}: parsed {value}, expected {expected}"),
            (Err(err), None) => panic!("{name}: failed: {err}"),
        }
    }
}

#[test]
fn every_clock_vector_gives_its_deadlines() {
    for case in section("clocks", 8) {
        let name = case["name"].as_str().unwrap();
        let holidays: Vec<Date> = case["holidays"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(date)
            .collect();
        let events: RequestEvents = match case.get("events") {
            Some(events) => serde_json::from_value(events.clone()).unwrap(),
            None => RequestEvents::default(),
        };
        let clocks = RequestClocks::new(
            date(&case["received"]).unwrap(),
            &holidays,
            &events,
            date(&case["today"]).unwrap(),
        );
        let mut observed = serde_json::to_value(clocks).unwrap();
        observed.as_object_mut().unwrap().remove("received");
        assert_eq!(observed, case["expected"], "{name}");
    }
}
