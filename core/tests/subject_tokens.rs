//! `tests/vectors/subject_tokens.json` against the core's `mint_subject_token_with`: the exact
//! token for given inputs, and the field named by each refusal. The bindings run the same file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use ccpa_optout::{ErrorKind, SubjectTokenClaims, mint_subject_token_at, mint_subject_token_with};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let path = format!(
        "{}/../tests/vectors/subject_tokens.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

fn claims(case: &Value) -> SubjectTokenClaims {
    SubjectTokenClaims {
        subject: case["subject"].as_str().unwrap().to_owned(),
        audience: case["audience"].as_str().map(str::to_owned),
        issued_at: case["issuedAt"].as_u64().unwrap(),
        ttl: Duration::from_secs(case["ttlSeconds"].as_u64().unwrap()),
    }
}

#[test]
fn every_vector_mints_its_exact_token_or_names_the_refused_field() {
    let cases = vectors();
    assert!(cases.len() >= 15, "{} cases", cases.len());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let secret = case["secret"].as_str().unwrap().as_bytes();
        let minted = mint_subject_token_with(secret, &claims(case));
        match (&case["token"], &case["error"]) {
            (Value::String(token), Value::Null) => {
                assert_eq!(&minted.unwrap(), token, "{name}");
            }
            (Value::Null, error) => {
                let err = minted.expect_err(name);
                assert_eq!(err.kind(), ErrorKind::Validation, "{name}");
                assert_eq!(err.field(), error["field"].as_str(), "{name}");
                if !secret.is_empty() {
                    let secret = std::str::from_utf8(secret).unwrap();
                    assert!(!err.to_string().contains(secret), "{name}: {err}");
                }
            }
            _ => panic!("{name}: a case has either a token or an error"),
        }
    }
}

#[test]
fn the_three_argument_form_is_the_claims_form_without_an_audience() {
    for case in vectors() {
        if case["audience"].is_string() || case["token"].is_null() {
            continue;
        }
        let c = claims(&case);
        let secret = case["secret"].as_str().unwrap().as_bytes();
        assert_eq!(
            mint_subject_token_at(secret, &c.subject, c.issued_at, c.ttl).unwrap(),
            case["token"].as_str().unwrap()
        );
    }
}

#[test]
fn the_clock_form_issues_now_and_expires_after_the_ttl() {
    let secret = b"0123456789abcdef0123456789abcdef";
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = ccpa_optout::mint_subject_token(secret, "ana@example.com", Duration::from_secs(90))
        .unwrap();
    let after = before + 2;
    let issued = (before..=after)
        .find(|at| {
            mint_subject_token_at(secret, "ana@example.com", *at, Duration::from_secs(90)).unwrap()
                == token
        })
        .expect("the token was minted between before and after");
    assert!(issued >= before);
}
