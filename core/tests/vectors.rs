//! The shared conformance vectors in `tests/vectors/`, run against the Rust core.
//!
//! The JavaScript and Python suites run the same files; the format is in `tests/vectors/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, SystemTime};

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ApiName, BaseUrl, ClientSecret, Email, Error, HttpRequest,
    HttpResponse, ListOptions, OAuthCredentials, OptOutField, Order, Organization, PKey,
    ProfileFields, Result, opt_out_value, parse_count, parse_delete, parse_patch_ack,
    parse_profile, parse_profile_metadata, parse_profile_page, parse_token_response,
    prepare_create_profile, prepare_delete_profile, prepare_find_by_email, prepare_follow_href,
    prepare_get_profile, prepare_list_profiles, prepare_profile_metadata, prepare_set_opt_out,
    prepare_token_request, prepare_update_profile,
};
use serde_json::{Map, Value, json};

fn load(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn cases(file: &Value, minimum: usize) -> Vec<Value> {
    let cases = file["cases"].as_array().unwrap().clone();
    assert!(
        cases.len() >= minimum,
        "expected at least {minimum} cases, found {}",
        cases.len()
    );
    cases
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} should be a string in {value}"))
}

/// The case's configuration: the file's defaults with the case's overrides.
fn config(defaults: &Value, case: &Value) -> Map<String, Value> {
    let mut config = defaults.as_object().cloned().unwrap_or_default();
    if let Some(overrides) = case["config"].as_object() {
        config.extend(overrides.clone());
    }
    config
}

/// `pageSize`, `order` and `forcePagination` (on unless `false`) of a listing case.
fn list_options(input: &Value) -> Result<ListOptions> {
    Ok(ListOptions {
        page_size: input["pageSize"].as_u64().map(|n| n as u32),
        order: input["order"].as_str().map(Order::parse).transpose()?,
        force_pagination: input["forcePagination"].as_bool().unwrap_or(true),
    })
}

fn build_request(
    config: &Map<String, Value>,
    operation: &str,
    input: &Value,
) -> Result<HttpRequest> {
    let get = |key: &str| config[key].as_str().unwrap();
    let opt_out_field = OptOutField::new(get("optOutField"))?;
    if operation == "tokenRequest" {
        let mut oauth = OAuthCredentials::new(
            ApiKey::new(text(input, "clientId"))?,
            ClientSecret::new(text(input, "clientSecret"))?,
            text(input, "scopes"),
        )?;
        if let Some(url) = input["tokenUrl"].as_str() {
            oauth = oauth.with_token_url(url)?;
        }
        return prepare_token_request(&oauth);
    }
    let api = ApiConfig::new(
        Organization::new(get("organization"))?,
        ApiKey::new(get("apiKey"))?,
    )
    .with_base_url(BaseUrl::new(get("baseUrl"))?)
    .with_api(get("api").parse::<ApiName>()?)
    .with_opt_out_field(opt_out_field.clone());
    let token = AccessToken::new(get("accessToken"))?;
    let pkey = || PKey::new(text(input, "pkey"));
    let fields = || ProfileFields::from_json(input["fields"].clone(), &opt_out_field);
    match operation {
        "getProfile" => prepare_get_profile(&api, &token, &pkey()?),
        "findByEmail" => {
            let email = Email::new(text(input, "email"))?;
            prepare_find_by_email(&api, &token, &email, &list_options(input)?)
        }
        "listProfiles" => prepare_list_profiles(&api, &token, &list_options(input)?),
        "followHref" => prepare_follow_href(&api, &token, text(input, "href")),
        "createProfile" => prepare_create_profile(&api, &token, &fields()?),
        "setOptOut" => {
            let pkey = pkey()?;
            prepare_set_opt_out(
                &api,
                &token,
                &pkey,
                opt_out_value(&input["optOut"], &opt_out_field)?,
            )
        }
        "updateProfile" => {
            let pkey = pkey()?;
            prepare_update_profile(&api, &token, &pkey, &fields()?)
        }
        "deleteProfile" => prepare_delete_profile(&api, &token, &pkey()?),
        "profileMetadata" => prepare_profile_metadata(&api, &token),
        other => panic!("unknown operation {other}"),
    }
}

#[test]
fn request_vectors() {
    let file = load("requests.json");
    for case in cases(&file, 40) {
        let name = text(&case, "name");
        let request = build_request(
            &config(&file["config"], &case),
            text(&case, "operation"),
            &case["input"],
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = &case["expected"];
        assert_eq!(
            request.method().as_str(),
            text(expected, "method"),
            "{name}"
        );
        assert_eq!(request.uri().to_string(), text(expected, "url"), "{name}");
        let mut headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect();
        let mut wanted: Vec<(String, String)> = expected["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    text(&json!({"v": pair[0]}), "v").to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        headers.sort();
        wanted.sort();
        assert_eq!(headers, wanted, "{name}");
        if let Some(form) = expected["form"].as_str() {
            assert_eq!(
                String::from_utf8(request.body().clone()).unwrap(),
                form,
                "{name}"
            );
        } else if expected["body"].is_null() {
            assert!(
                request.body().is_empty(),
                "{name}: GET/DELETE must not carry a body"
            );
        } else {
            let body: Value = serde_json::from_slice(request.body()).unwrap();
            assert_eq!(body, expected["body"], "{name}");
        }
    }
}

#[test]
fn bad_input_vectors() {
    let file = load("bad_input.json");
    for case in cases(&file, 30) {
        let name = text(&case, "name");
        let err = build_request(
            &config(&file["config"], &case),
            text(&case, "operation"),
            &case["input"],
        )
        .err()
        .unwrap_or_else(|| panic!("{name}: expected an error, the request was built"));
        let expected = &case["error"];
        assert_eq!(err.kind().as_str(), text(expected, "kind"), "{name}: {err}");
        assert_eq!(err.field(), expected["field"].as_str(), "{name}: {err}");
    }
}

fn response(case: &Value) -> HttpResponse {
    let mut builder = http::Response::builder().status(case["status"].as_u64().unwrap() as u16);
    for pair in case["headers"].as_array().unwrap() {
        builder = builder.header(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
    }
    builder
        .body(text(case, "body").as_bytes().to_vec())
        .unwrap()
}

fn parse(case: &Value) -> Result<Value> {
    let response = response(case);
    let field = OptOutField::new(case["optOutField"].as_str().unwrap_or("ccpaOptOut")).unwrap();
    let object = |map: Map<String, Value>| Value::Object(map);
    Ok(match text(case, "parse") {
        "profile" => {
            let profile = parse_profile(&response, &field)?;
            json!({"profile": object(profile.to_json(&field)), "optOut": profile.opt_out})
        }
        "page" => {
            let page = parse_profile_page(&response, &field)?;
            let content: Vec<Value> = page
                .content
                .iter()
                .map(|p| object(p.to_json(&field)))
                .collect();
            json!({"content": content, "next": page.next, "count": page.count})
        }
        "patchAck" => match parse_patch_ack(&response)? {
            Some(ack) => json!({"PKey": ack.pkey.as_str(), "href": ack.href}),
            None => Value::Null,
        },
        "delete" => {
            parse_delete(&response)?;
            Value::Null
        }
        "count" => json!(parse_count(&response)?),
        "metadata" => {
            let metadata = parse_profile_metadata(&response)?;
            let fields: Map<String, Value> = metadata
                .fields
                .iter()
                .map(|(name, kind)| (name.clone(), json!(kind)))
                .collect();
            json!({"fields": fields, "optOutFieldOk": metadata.check_opt_out_field(&field).is_ok()})
        }
        "token" => {
            let (_, lifetime) = parse_token_response(&response, SystemTime::UNIX_EPOCH)?;
            json!({"expiresIn": lifetime.as_secs()})
        }
        other => panic!("unknown parser {other}"),
    })
}

fn check_error(name: &str, err: &Error, expected: &Value) {
    assert_eq!(err.kind().as_str(), text(expected, "kind"), "{name}: {err}");
    let expected = expected.as_object().unwrap();
    if let Some(field) = expected.get("field") {
        assert_eq!(err.field(), field.as_str(), "{name}: field");
    }
    if let Some(status) = expected.get("status") {
        assert_eq!(
            err.status().map(u64::from),
            status.as_u64(),
            "{name}: status"
        );
    }
    if let Some(code) = expected.get("errorCode") {
        assert_eq!(err.error_code(), code.as_str(), "{name}: errorCode");
    }
    if let Some(wait) = expected.get("retryAfter") {
        assert_eq!(
            err.retry_after(),
            wait.as_u64().map(Duration::from_secs),
            "{name}: retryAfter"
        );
    }
    if let Some(retryable) = expected.get("retryable") {
        assert_eq!(
            Some(err.is_retryable()),
            retryable.as_bool(),
            "{name}: retryable"
        );
    }
}

#[test]
fn response_vectors() {
    let file = load("responses.json");
    for case in cases(&file, 30) {
        let name = text(&case, "name");
        match (parse(&case), case.get("error")) {
            (Ok(value), None) => assert_eq!(value, case["expected"], "{name}"),
            (Err(err), Some(expected)) => check_error(name, &err, expected),
            (Ok(value), Some(_)) => panic!("{name}: expected an error, parsed {value}"),
            (Err(err), None) => panic!("{name}: unexpected error {err}"),
        }
    }
}
