//! The shared settings vectors (`tests/vectors/settings.json`) against the core's settings model.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::Arc;

use ccpa_optout::{AccessToken, ClientConfig, ClientSettings, Credentials, RetrySettings, Setting};
use serde_json::{Value, json};

fn load() -> Value {
    load_file("settings.json")
}

fn load_file(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The case's settings as a host would hold them, over its environment.
fn settings(case: &Value) -> ClientSettings {
    let given = &case["settings"];
    let text = |key: &str| given[key].as_str().map(str::to_owned);
    let retry = given.get("retry").map(|retry| RetrySettings {
        max_attempts: retry["maxAttempts"].as_u64().map(|n| n as u32),
        base_delay: retry["baseDelay"].as_f64(),
        max_delay: retry["maxDelay"].as_f64(),
        max_retry_after: retry["maxRetryAfter"].as_f64(),
    });
    let provider = given["tokenProvider"].as_bool() == Some(true);
    let explicit = ClientSettings {
        organization: text("organization"),
        api_key: text("apiKey"),
        access_token: text("accessToken"),
        token_provider: provider
            .then(|| Arc::new(|_refresh: bool| async { AccessToken::new("from-provider") }) as _),
        client_id: text("clientId"),
        client_secret: text("clientSecret"),
        scopes: text("scopes"),
        token_url: text("tokenUrl"),
        base_url: text("baseUrl"),
        api: text("api"),
        opt_out_field: text("optOutField"),
        ims_org: text("imsOrg"),
        privacy_base_url: text("privacyBaseUrl"),
        timeout: given["timeout"].as_f64(),
        max_body_bytes: given["maxBodyBytes"].as_u64(),
        retry,
        force_pagination: given["forcePagination"].as_bool(),
    };
    let env: HashMap<String, String> =
        serde_json::from_value(case.get("env").cloned().unwrap_or(json!({}))).unwrap();
    explicit.or(ClientSettings::from_lookup(|name| env.get(name).cloned()))
}

/// What the vector's `expected` compares, read back from the configuration. Credentials are
/// named by where they came from (`apiKey` or `clientId`), never by value.
fn observed(config: &ClientConfig, case: &Value) -> Value {
    let given = |key: &str, setting: Setting| {
        case["settings"][key]
            .as_str()
            .or_else(|| case["env"][setting.env_var()].as_str())
    };
    let sources = [
        ("apiKey", given("apiKey", Setting::ApiKey)),
        ("clientId", given("clientId", Setting::ClientId)),
    ];
    let from = |value: &str| {
        sources
            .iter()
            .find(|(_, source)| *source == Some(value))
            .map(|(name, _)| *name)
    };
    let retry = config.retry;
    let mut shown = json!({
        "organization": config.api.organization.as_str(),
        "apiKeyFrom": from(config.api.api_key.expose()),
        "baseUrl": config.api.base_url.as_str(),
        "api": config.api.api.as_str(),
        "optOutField": config.api.opt_out_field.as_str(),
        "timeout": config.timeout.as_secs_f64(),
        "maxBodyBytes": config.max_body_bytes,
        "retry": {
            "maxAttempts": retry.max_attempts,
            "baseDelay": retry.base_delay.as_secs_f64(),
            "maxDelay": retry.max_delay.as_secs_f64(),
            "maxRetryAfter": retry.max_retry_after.as_secs_f64(),
        },
        "forcePagination": config.force_pagination,
    });
    shown["credentials"] = match &config.credentials {
        Credentials::AccessToken(_) => json!("accessToken"),
        Credentials::Provider(_) => json!("provider"),
        Credentials::OAuth(oauth) => {
            shown["clientIdFrom"] = json!(from(oauth.client_id.expose()));
            shown["scopes"] = json!(oauth.scopes());
            shown["tokenUrl"] = json!(oauth.token_url());
            json!("oauth")
        }
    };
    shown
}

#[test]
fn every_settings_vector_is_accepted_or_refused_as_written() {
    let file = load();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let secrets: Vec<&str> = file["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let settings = settings(case);
        let shown = settings.to_string();
        assert!(
            secrets.iter().all(|secret| !shown.contains(secret)),
            "{name}: {shown}"
        );
        match (settings.client_config(), case.get("error")) {
            (Ok(config), None) => {
                let observed = observed(&config, case);
                for (key, expected) in case["expected"].as_object().unwrap() {
                    assert_eq!(&observed[key], expected, "{name}: {key}");
                }
            }
            (Err(err), Some(expected)) => {
                assert_eq!(err.kind().as_str(), expected["kind"], "{name}: {err}");
                assert_eq!(err.field(), expected["field"].as_str(), "{name}: {err}");
                let text = format!("{err} {err:?}");
                assert!(
                    secrets.iter().all(|secret| !text.contains(secret)),
                    "{name}: {text}"
                );
            }
            (Ok(_), Some(expected)) => panic!("{name}: accepted, expected {expected}"),
            (Err(err), None) => panic!("{name}: refused: {err}"),
        }
    }
}

#[test]
fn the_environment_table_names_every_setting_once() {
    let mut seen = std::collections::HashSet::new();
    for setting in Setting::ALL {
        assert!(seen.insert(setting.env_var()), "{setting:?}");
        assert!(setting.env_var().starts_with("CAMPAIGN_STANDARD_"));
    }
    assert_eq!(
        Setting::Organization.env_var(),
        "CAMPAIGN_STANDARD_TENANT_ID",
        "Adobe's SDK names"
    );
}

/// `privacy.json`'s settings: the IMS organization turns the Privacy Service on, and its
/// gateway is checked like the profile API's.
#[test]
fn the_privacy_service_settings_vectors_hold() {
    let cases = load_file("privacy.json")["settings"]
        .as_array()
        .unwrap()
        .clone();
    assert!(cases.len() >= 6);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        match (settings(&case).client_config(), case.get("error")) {
            (Ok(config), None) => {
                let observed = config.privacy.map(|privacy| {
                    json!({
                        "imsOrg": privacy.ims_org.as_str(),
                        "privacyBaseUrl": privacy.base_url.as_str(),
                    })
                });
                assert_eq!(observed.unwrap_or(Value::Null), case["expected"], "{name}");
            }
            (Err(err), Some(expected)) => {
                assert_eq!(err.kind().as_str(), expected["kind"], "{name}: {err}");
                assert_eq!(err.field(), expected["field"].as_str(), "{name}: {err}");
            }
            (Ok(_), Some(expected)) => panic!("{name}: accepted, expected {expected}"),
            (Err(err), None) => panic!("{name}: refused: {err}"),
        }
    }
}
