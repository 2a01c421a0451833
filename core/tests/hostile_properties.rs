//! Properties over hostile answers and inputs: a credential a server echoes back never
//! survives in an error (whole or cut off by a length limit), and no non-boolean JSON value is
//! ever taken as an opt-out.
//!
//! `HARDEN_CASES` sets the number of cases per property (default 1,000; `scripts/harden.sh`
//! uses 50,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ccpa_optout::{
    Error, ErrorKind, OptOutField, ProfileFields, error_from_response, opt_out_value, parse_profile,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn cases() -> u32 {
    std::env::var("HARDEN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// Where a server puts the echoed credential.
#[derive(Debug, Clone, Copy)]
enum Echo {
    JsonMessage,
    JsonErrorCode,
    ImsError,
    PlainText,
    HtmlOk,
    TextOk,
}

fn echo() -> impl Strategy<Value = Echo> {
    prop_oneof![
        Just(Echo::JsonMessage),
        Just(Echo::JsonErrorCode),
        Just(Echo::ImsError),
        Just(Echo::PlainText),
        Just(Echo::HtmlOk),
        Just(Echo::TextOk),
    ]
}

/// The error built from such an answer, before the client scrubs it.
fn error_for(echo: Echo, status: u16, filler: &str, secret: &str) -> Error {
    let text = format!("{filler}{secret}{filler}");
    let (status, body) = match echo {
        Echo::JsonMessage => (status, json!({"code": status, "message": text}).to_string()),
        Echo::JsonErrorCode => (
            status,
            json!({"error_code": text, "message": "no"}).to_string(),
        ),
        Echo::ImsError => (
            status,
            json!({"error": text, "error_description": "x"}).to_string(),
        ),
        Echo::PlainText => (status, text),
        Echo::HtmlOk => (200, format!("<html><body>{text}</body></html>")),
        Echo::TextOk => (200, text),
    };
    if status == 200 {
        let response = http::Response::builder()
            .status(200)
            .body(body.into_bytes())
            .unwrap();
        parse_profile(&response, &OptOutField::default()).unwrap_err()
    } else {
        error_from_response(status, &http::HeaderMap::new(), body.as_bytes())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn an_echoed_credential_never_survives_in_an_error(
        secret in "[A-Za-z0-9._~+/=-]{8,64}",
        filler_len in 0usize..400,
        status in prop_oneof![Just(400u16), Just(401), Just(403), Just(404), Just(429), Just(500), Just(503)],
        echo in echo(),
    ) {
        // The filler shares no character with the secret, so any 8-character window of the
        // secret found in the error came from the secret.
        let filler: String = "# ".chars().cycle().take(filler_len).collect();
        let err = error_for(echo, status, &filler, &secret).redact(&[&secret]);
        let shown = [
            err.to_string(),
            format!("{err:?}"),
            err.excerpt().unwrap_or_default().to_owned(),
            err.error_code().unwrap_or_default().to_owned(),
        ];
        for window in secret.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).unwrap();
            for text in &shown {
                prop_assert!(!text.contains(window), "{window:?} of the secret in {text:?}");
            }
        }
    }

    #[test]
    fn credentials_sharing_a_piece_are_both_scrubbed(
        shared in "[a-z0-9-]{8,16}",
        heads in ("[A-Z]{3,8}", "[A-Z]{3,8}"),
        echo in echo(),
    ) {
        // Like "TOKEN-hostile-k9w4" and "APIKEY-hostile-x7q2": one's pieces are in the other.
        let token = format!("{}{shared}1", heads.0);
        let key = format!("{}{shared}2", heads.1);
        let err = error_for(echo, 500, &format!("{token} # "), &key).redact(&[&key, &token]);
        for text in [err.to_string(), format!("{err:?}")] {
            for secret in [&token, &key] {
                for window in secret.as_bytes().windows(8) {
                    let window = std::str::from_utf8(window).unwrap();
                    prop_assert!(!text.contains(window), "{window:?} in {text:?}");
                }
            }
        }
    }

    #[test]
    fn only_json_booleans_are_opt_out_values(value in json_value()) {
        let field = OptOutField::default();
        match opt_out_value(&value, &field) {
            Ok(b) => prop_assert_eq!(Value::Bool(b), value.clone()),
            Err(err) => {
                prop_assert!(!value.is_boolean());
                prop_assert_eq!(err.kind(), ErrorKind::Validation);
                prop_assert_eq!(err.field(), Some("ccpaOptOut"));
            }
        }
        let fields = ProfileFields::from_json(json!({"ccpaOptOut": value.clone()}), &field);
        prop_assert_eq!(fields.is_ok(), value.is_boolean());
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("true"),
            Just("false"),
            Just("1"),
            Just("yes"),
            Just("TRUE"),
            Just("")
        ]
        .prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
