//! The hostile-input table (`tests/vectors/hostile.json`) run against the Rust client over real
//! sockets: every case ends in its typed error, sends only the requests it lists, never reaches
//! the decoy origin, never forwards an injected header, and leaks no credential.
//!
//! The JavaScript and Python suites run the same table; the format is in
//! `tests/vectors/README.md`.
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod server;

use std::time::{Duration, Instant};

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ApiName, BaseUrl, Client, ClientConfig, Credentials, Email,
    Error, ListOptions, OptOutField, Organization, PKey, ProfileFields, ReqwestTransport, Result,
    RetryPolicy, opt_out_value,
};
use serde_json::{Map, Value};
use server::HostileServer;

fn table() -> Value {
    let path = format!(
        "{}/../tests/vectors/hostile.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A string of the table: plain, or `{"text", "repeat", "times", "suffix"}` for long ones.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(spec) => {
            let times = spec["times"].as_u64().unwrap() as usize;
            format!(
                "{}{}{}",
                spec["text"].as_str().unwrap_or(""),
                spec["repeat"].as_str().unwrap().repeat(times),
                spec.get("suffix").and_then(Value::as_str).unwrap_or("")
            )
        }
        other => panic!("not a string: {other}"),
    }
}

/// The case's configuration (the table's defaults with its overrides), placeholders filled.
fn settings(table: &Value, case: &Value, server: &HostileServer) -> Map<String, Value> {
    let mut settings = table["config"].as_object().unwrap().clone();
    if let Some(overrides) = case["config"].as_object() {
        settings.extend(overrides.clone());
    }
    for value in settings.values_mut() {
        if let Value::String(s) = value {
            *s = s
                .replace("{server}", &server.base)
                .replace("{decoy}", &server.decoy);
        }
    }
    settings
}

fn client(settings: &Map<String, Value>) -> Result<Client<ReqwestTransport>> {
    let get = |key: &str| settings[key].as_str().unwrap();
    let number = |key: &str| settings[key].as_u64().unwrap();
    let api = ApiConfig::new(
        Organization::new(get("organization"))?,
        ApiKey::new(get("apiKey"))?,
    )
    .with_base_url(BaseUrl::new(get("baseUrl"))?)
    .with_api(get("api").parse::<ApiName>()?)
    .with_opt_out_field(OptOutField::new(get("optOutField"))?);
    let token = AccessToken::new(get("accessToken"))?;
    let mut config = ClientConfig::new(api, Credentials::AccessToken(token));
    config.timeout = Duration::from_millis(number("timeoutMs"));
    config.max_body_bytes = number("maxBodyBytes") as usize;
    config.retry = RetryPolicy {
        max_attempts: number("maxAttempts") as u32,
        base_delay: Duration::from_millis(number("retryBaseDelayMs")),
        ..RetryPolicy::default()
    };
    Ok(Client::new(config, ReqwestTransport::new()?))
}

/// Runs the case's operation; the value of a success does not matter (every case must fail).
async fn operation(client: &Client<ReqwestTransport>, case: &Value) -> Result<()> {
    let input = &case["input"];
    let field = &client.config().api.opt_out_field;
    let pkey = || PKey::new(&text(&input["pkey"]));
    let email = || Email::new(&text(&input["email"]));
    let fields = || ProfileFields::from_json(input["fields"].clone(), field);
    match case["operation"].as_str().unwrap() {
        "getProfile" => client.get_profile(&pkey()?).await.map(drop),
        "getOptOut" => client.get_opt_out(&pkey()?).await.map(drop),
        "setOptOut" => {
            let pkey = pkey()?;
            let value = opt_out_value(&input["optOut"], field)?;
            client.set_opt_out(&pkey, value).await.map(drop)
        }
        "findByEmail" => client.find_by_email(&email()?).await.map(drop),
        "optOutByEmail" => {
            let email = email()?;
            let value = opt_out_value(&input["optOut"], field)?;
            client.opt_out_by_email(&email, value).await.map(drop)
        }
        "listProfiles" => {
            let options = ListOptions {
                page_size: input["pageSize"].as_u64().map(|n| n as u32),
                ..ListOptions::default()
            };
            let mut listing = client.list_profiles(options);
            while listing.next_page().await?.is_some() {}
            Ok(())
        }
        "updateProfile" => {
            let pkey = pkey()?;
            client.update_profile(&pkey, &fields()?).await.map(drop)
        }
        "createProfile" => client.create_profile(&fields()?).await.map(drop),
        "deleteProfile" => client.delete_profile(&pkey()?).await,
        other => panic!("unknown operation {other}"),
    }
}

/// Every way the error can be shown, for the secret scan.
fn renderings(err: &Error) -> Vec<String> {
    vec![
        err.to_string(),
        format!("{err:?}"),
        err.message().to_owned(),
        err.excerpt().unwrap_or_default().to_owned(),
        err.error_code().unwrap_or_default().to_owned(),
    ]
}

/// The problems with one case's outcome (empty when it passed).
fn check(
    table: &Value,
    case: &Value,
    (err, elapsed): (Option<Error>, Duration),
    server: &HostileServer,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(limit) = case["withinMs"].as_u64()
        && elapsed > Duration::from_millis(limit)
    {
        problems.push(format!("took {elapsed:?}, more than {limit} ms"));
    }
    let expected = &case["error"];
    let Some(err) = err else {
        return vec![format!("succeeded; expected a {} error", expected["kind"])];
    };
    if err.kind().as_str() != expected["kind"].as_str().unwrap() {
        problems.push(format!(
            "kind {} ({err}), expected {}",
            err.kind().as_str(),
            expected["kind"]
        ));
    }
    if let Some(field) = expected.get("field")
        && err.field() != field.as_str()
    {
        problems.push(format!("field {:?}, expected {field}", err.field()));
    }
    if let Some(status) = expected.get("status")
        && err.status().map(u64::from) != status.as_u64()
    {
        problems.push(format!("status {:?}, expected {status}", err.status()));
    }
    let sent: Vec<String> = server.seen().into_iter().map(|s| s.method).collect();
    let wanted: Vec<&str> = case["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    if sent != wanted {
        problems.push(format!("sent {sent:?}, expected {wanted:?}"));
    }
    if server.decoy_hits() > 0 {
        problems.push(format!(
            "{} requests reached the decoy origin",
            server.decoy_hits()
        ));
    }
    for seen in server.seen() {
        let injected = seen.target.to_ascii_lowercase().contains("x-injected");
        if injected || seen.headers.iter().any(|(name, _)| name == "x-injected") {
            problems.push(format!("an injected header was sent: {seen:?}"));
        }
    }
    let secrets = table["secrets"].as_array().unwrap();
    for shown in renderings(&err) {
        if let Some(secret) = secrets.iter().find(|s| shown.contains(s.as_str().unwrap())) {
            problems.push(format!("the error shows the secret {secret}: {shown}"));
            break;
        }
    }
    for (what, text) in [
        ("message", err.message()),
        ("error code", err.error_code().unwrap_or("")),
    ] {
        if text.chars().any(char::is_control) || text.chars().count() > 400 {
            problems.push(format!(
                "the {what} has control characters or is over 400 characters: {text:?}"
            ));
        }
    }
    problems
}

#[test]
fn every_hostile_case_ends_in_its_typed_error_and_sends_nothing_it_should_not() {
    let table = table();
    let cases = table["cases"].as_array().unwrap();
    assert!(
        cases.len() >= 60,
        "the table has only {} cases",
        cases.len()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let answers = case["server"].as_array().cloned().unwrap_or_default();
        let server = HostileServer::start(answers);
        let settings = settings(&table, case, &server);
        let started = Instant::now();
        let outcome = match client(&settings) {
            // A configuration error must come before any operation runs.
            Err(err) => Some(err),
            Ok(client) => runtime.block_on(operation(&client, case)).err(),
        };
        let outcome = (outcome, started.elapsed());
        for problem in check(&table, case, outcome, &server) {
            failures.push(format!("{}: {problem}", case["name"].as_str().unwrap()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
