use std::time::Duration;

use ccpa_optout::{SubjectTokenClaims, mint_subject_token_at, mint_subject_token_with};

use super::*;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test";

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `{"alg":"none","typ":"JWT"}` and `{"alg":"RS256","typ":"JWT"}`, base64url.
const NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
const RS256_HEADER: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

fn message(verifier: &SubjectTokenVerifier, token: &str) -> String {
    verifier.verify(token, now()).unwrap_err().message
}

#[test]
fn a_core_minted_token_verifies_to_its_subject() {
    let verifier = SubjectTokenVerifier::new(SECRET, None).unwrap();
    let token =
        mint_subject_token_at(SECRET, "ana@example.com", now(), Duration::from_secs(600)).unwrap();
    assert_eq!(
        verifier.verify(&token, now()).unwrap(),
        Subject::parse("ana@example.com", SubjectKind::Email).unwrap()
    );
    let pkey = mint_subject_token_at(SECRET, "@Zk3q9", now(), Duration::from_secs(60)).unwrap();
    assert!(matches!(
        verifier.verify(&pkey, now()).unwrap(),
        Subject::PKey(_)
    ));
}

#[test]
fn expired_forged_and_foreign_tokens_are_refused() {
    let verifier = SubjectTokenVerifier::new(SECRET, None).unwrap();
    let old = mint_subject_token_at(
        SECRET,
        "ana@example.com",
        now() - 7200,
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(message(&verifier, &old), "the subject token has expired");
    let other = mint_subject_token_at(
        b"another-secret-of-at-least-32-bytes!",
        "ana@example.com",
        now(),
        Duration::from_secs(60),
    )
    .unwrap();
    assert_eq!(
        message(&verifier, &other),
        "the subject token's signature does not match"
    );
    // The claims of a good token under headers naming other algorithms.
    let good = mint_subject_token_at(SECRET, "ana@example.com", now(), Duration::from_secs(60));
    let good = good.unwrap();
    let payload = good.split('.').nth(1).unwrap();
    let none = format!("{NONE_HEADER}.{payload}.");
    // `none` is not an algorithm the library knows: the header itself does not parse.
    assert_eq!(message(&verifier, &none), "the subject token is malformed");
    let rs256 = format!("{RS256_HEADER}.{payload}.c2ln");
    assert_eq!(
        message(&verifier, &rs256),
        "the subject token must be signed with HS256"
    );
    let claims = SubjectTokenClaims {
        subject: "ana@example.com".into(),
        audience: Some("https://other.example".into()),
        issued_at: now(),
        ttl: Duration::from_secs(60),
    };
    let foreign = mint_subject_token_with(SECRET, &claims).unwrap();
    assert_eq!(
        message(&verifier, &foreign),
        "the subject token is meant for another audience"
    );
    assert_eq!(
        message(&verifier, "not.a.token"),
        "the subject token is malformed"
    );
}

#[test]
fn a_token_living_longer_than_a_day_is_refused_even_when_signed() {
    let verifier = SubjectTokenVerifier::new(SECRET, None).unwrap();
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(Algorithm::HS256),
        &serde_json::json!({"sub": "ana@example.com", "exp": now() + 3 * 86_400}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET).unwrap(),
    )
    .unwrap();
    assert_eq!(
        message(&verifier, &token),
        "the subject token expires more than 24 hours ahead"
    );
}

#[test]
fn with_an_audience_it_is_required_and_must_match() {
    let verifier = SubjectTokenVerifier::new(SECRET, Some("https://shop.example")).unwrap();
    let mut claims = SubjectTokenClaims {
        subject: "@a1".into(),
        audience: Some("https://shop.example".into()),
        issued_at: now(),
        ttl: Duration::from_secs(60),
    };
    assert!(
        verifier
            .verify(&mint_subject_token_with(SECRET, &claims).unwrap(), now())
            .is_ok()
    );
    claims.audience = None;
    let without = mint_subject_token_with(SECRET, &claims).unwrap();
    assert_eq!(message(&verifier, &without), "the subject token has no aud");
    assert!(SubjectTokenVerifier::new(b"short", None).is_err());
}
