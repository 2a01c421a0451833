//! Request building and response parsing, each beside parsing the same bytes into `serde_json::Value`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]
#![recursion_limit = "256"]

use std::hint::black_box;

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, OptOutField, Organization, PKey, parse_profile,
    parse_profile_page, prepare_set_opt_out,
};
use criterion::Criterion;
use serde_json::{Value, json};

/// A realistic ACS profile: the documented `nms:recipient` fields, 40 of them.
fn profile(i: usize) -> Value {
    let pkey = format!("@Zk3q9Lw2TfR0{i:06}aBcDeFgHiJkLmNoPqRsTuVwXyZ");
    let href = format!("https://mc.adobe.io/acme/campaign/profileAndServices/profile/{pkey}");
    json!({
        "PKey": pkey, "href": href, "email": format!("ana.silva{i}@example.com"), "firstName": "Ana",
        "middleName": "", "lastName": "Silva", "salutation": "Ms.", "birthDate": "1987-04-12", "age": 38,
        "gender": "female", "emailFormat": "html", "phone": "+1 559 555 0100", "mobilePhone": "+1 559 555 0101",
        "fax": "", "preferredLanguage": "en_us", "timeZone": "America_Los_Angeles", "title": "Ana Silva (ana.silva@example.com)",
        "domain": "example.com", "externalId": format!("CRM-{i:08}"), "isExternal": false, "cryptedId": "kT9vQ2xP0mLw8rB1sF6yHc3ZnU4aJdE7",
        "thumbnail": "/nl/img/thumbnails/defaultProfil.png", "created": "2025-02-03 14:05:06.789Z",
        "lastModified": "2025-11-20 09:12:44.120Z", "createdBy": {"href": "https://mc.adobe.io/acme/campaign/profileAndServices/serviceUser/@u1"},
        "modifiedBy": {"href": "https://mc.adobe.io/acme/campaign/profileAndServices/serviceUser/@u1"},
        "country": {"PKey": "@us", "href": "https://mc.adobe.io/acme/campaign/profileAndServices/country/@us", "title": "United States"},
        "location": {"address1": "1 Main St", "city": "Fresno", "zipCode": "93721", "stateCode": "CA"},
        "postalAddress": {"addrDefined": true, "line1": "Ana Silva", "line2": "1 Main St", "line3": "Fresno CA 93721"},
        "blackList": false, "blackListEmail": false, "blackListMobile": false, "blackListPhone": false,
        "blackListFax": false, "blackListPostalMail": false, "blackListPushnotification": false, "ccpaOptOut": true,
        "subscriptions": {"href": format!("{href}/subscriptions/")}, "appSubscription": {"href": format!("{href}/appSubscription/")},
        "subHisto": {"href": format!("{href}/subHisto/")}
    })
}

fn response(body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json;charset=utf-8")
        .body(body)
        .unwrap()
}

fn benches(c: &mut Criterion) {
    let api = ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("0123456789abcdef0123456789abcdef").unwrap(),
    );
    let token = AccessToken::new(
        "eyJhbGciOiJSUzI1NiIsIng1dSI6Imltc19uYTEta2V5LWF0LTEuY2VyIn0.payload.signature",
    )
    .unwrap();
    let pkey = PKey::new("@Zk3q9Lw2TfR0aBcDeFgHiJkLmNoPqRsTuVwXyZ").unwrap();
    let field = OptOutField::default();
    c.bench_function("build/set_opt_out", |b| {
        b.iter(|| {
            prepare_set_opt_out(black_box(&api), black_box(&token), black_box(&pkey), true).unwrap()
        })
    });
    c.bench_function("baseline/build/http_request_builder", |b| {
        // The same request assembled directly with the `http` crate: the floor for any builder.
        let url = format!("{}/{}", api.profile_collection_url(), pkey.as_str());
        let auth = format!("Bearer {}", token.expose());
        b.iter(|| {
            http::Request::builder()
                .method("PATCH")
                .uri(black_box(url.as_str()))
                .header("authorization", black_box(auth.as_str()))
                .header("x-api-key", api.api_key.expose())
                .header("cache-control", "no-cache")
                .header("accept", "application/json")
                .header("content-type", "application/json;charset=utf-8")
                .body(br#"{"ccpaOptOut":true}"#.to_vec())
                .unwrap()
        })
    });

    let one = serde_json::to_vec(&profile(1)).unwrap();
    assert_eq!(profile(1).as_object().unwrap().len(), 40);
    let one_response = response(one.clone());
    c.bench_function("parse/profile_40_fields", |b| {
        b.iter(|| parse_profile(black_box(&one_response), &field).unwrap())
    });
    c.bench_function("baseline/parse/profile_40_fields_as_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&one)).unwrap())
    });

    let page: Vec<Value> = (0..25).map(profile).collect();
    let page = serde_json::to_vec(&json!({"content": page, "next": {"href": "https://mc.adobe.io/acme/campaign/profileAndServices/profile?_lineStart=@x"}})).unwrap();
    let page_response = response(page.clone());
    c.bench_function("parse/page_25_profiles", |b| {
        b.iter(|| parse_profile_page(black_box(&page_response), &field).unwrap())
    });
    c.bench_function("baseline/parse/page_25_profiles_as_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&page)).unwrap())
    });
}

/// Reads criterion's point estimate (mean, ns) for a benchmark id.
fn mean_ns(id: &str) -> Option<f64> {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/../target", env!("CARGO_MANIFEST_DIR")));
    let path = format!(
        "{dir}/criterion/{}/new/estimates.json",
        id.replace('/', "_")
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    println!(
        "\n{:<28} {:>12} {:>12} {:>8}",
        "figure", "ours ns/op", "baseline", "ratio"
    );
    for (name, ours, baseline) in [
        (
            "build set-opt-out request",
            "build/set_opt_out",
            "baseline/build/http_request_builder",
        ),
        (
            "parse 40-field profile",
            "parse/profile_40_fields",
            "baseline/parse/profile_40_fields_as_value",
        ),
        (
            "parse 25-profile page",
            "parse/page_25_profiles",
            "baseline/parse/page_25_profiles_as_value",
        ),
    ] {
        if let (Some(a), Some(b)) = (mean_ns(ours), mean_ns(baseline)) {
            println!("{name:<28} {a:>12.0} {b:>12.0} {:>7.2}x", a / b);
        }
    }
}
