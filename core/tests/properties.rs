//! Properties over random input: nothing panics, keys and profiles round-trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use ccpa_optout::{
    Email, OptOutField, Outcome, PKey, Profile, RetryPolicy, error_from_response, parse_patch_ack,
    parse_profile, parse_profile_page,
};
use http::Method;
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn answer(status: u16, body: Vec<u8>) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).body(body).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_pkey_is_refused_or_round_trips_through_the_url(raw in ".{0,40}") {
        if let Ok(pkey) = PKey::new(&raw) {
            let segment = pkey.to_path_segment();
            prop_assert!(!segment.contains('/') && !segment.contains('?') && !segment.contains('#'));
            let decoded = percent_decode_str(&segment).decode_utf8().unwrap();
            prop_assert_eq!(decoded.as_ref(), pkey.as_str());
            prop_assert_eq!(PKey::new(&segment).unwrap(), pkey);
            let url = format!("https://mc.adobe.io/acme/campaign/profileAndServices/profile/{segment}");
            let parsed = url::Url::parse(&url).unwrap();
            prop_assert_eq!(parsed.path_segments().unwrap().count(), 5);
        }
    }

    #[test]
    fn a_profile_with_arbitrary_extra_fields_survives_parse_and_serialise(
        extra in prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9]{0,10}", json_value(), 0..12),
        opt_out in proptest::option::of(any::<bool>()),
    ) {
        let field = OptOutField::default();
        let mut map: Map<String, Value> = extra.into_iter()
            .filter(|(k, _)| !["PKey", "href", "email", "firstName", "lastName", "ccpaOptOut"].contains(&k.as_str()))
            .collect();
        map.insert("PKey".into(), Value::from("@Zk3q9Lw2TfR0"));
        if let Some(value) = opt_out {
            map.insert("ccpaOptOut".into(), Value::from(value));
        }
        let original = Value::Object(map);
        let profile = Profile::from_json(original.clone(), &field).unwrap();
        prop_assert_eq!(Value::Object(profile.to_json(&field)), original);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_bodies(body in prop::collection::vec(any::<u8>(), 0..200), status in 100u16..600) {
        let field = OptOutField::default();
        let _ = parse_profile(&answer(status, body.clone()), &field);
        let _ = parse_profile_page(&answer(status, body.clone()), &field);
        let _ = parse_patch_ack(&answer(status, body.clone()));
        let _ = error_from_response(status, &http::HeaderMap::new(), &body);
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_json(value in json_value()) {
        let body = serde_json::to_vec(&value).unwrap();
        let _ = parse_profile(&answer(200, body.clone()), &OptOutField::default());
        let _ = parse_profile_page(&answer(200, body), &OptOutField::default());
    }

    #[test]
    fn emails_never_panic_and_keep_their_text(raw in ".{0,140}") {
        if let Ok(email) = Email::new(&raw) {
            prop_assert_eq!(email.as_str(), raw.as_str());
        }
    }

    #[test]
    fn retry_delays_are_bounded_for_any_jitter(
        attempt in 0u32..40, jitter in any::<f64>(), status in 100u16..600, wait in proptest::option::of(0u64..u64::MAX),
    ) {
        let policy = RetryPolicy::default();
        let outcome = Outcome::Answered { status, retry_after: wait.map(Duration::from_secs) };
        if let Some(delay) = policy.delay_before_retry(attempt, &Method::GET, outcome, jitter) {
            prop_assert!(delay <= policy.max_retry_after + policy.base_delay);
        }
    }
}
