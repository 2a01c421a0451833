//! Subject tokens of every hostile kind, for the hostile table.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use ccpa_optout::{SubjectTokenClaims, mint_subject_token_at, mint_subject_token_with};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use super::SECRET;

/// The subject of the `valid` token: not the subject of any stored request.
pub const SUBJECT: &str = "ana.stranger@example.com";

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |g, (i, b)| g | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((group >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// An HS256 token with these claims, signed with `secret`.
fn signed(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret).unwrap(),
    )
    .unwrap()
}

/// A header and claims signed with HMAC-SHA256 over the receiver's secret, whatever the
/// header says (a key-confusion attempt when it says RS256).
fn with_header(header: &Value, claims: &Value) -> String {
    let message = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let key = EncodingKey::from_secret(SECRET).unwrap();
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
    format!("{message}.{signature}")
}

/// The token of a kind named in `tests/vectors/receiver_hostile.json`.
pub fn of_kind(kind: &str) -> String {
    let now = now();
    let ten_minutes = Duration::from_secs(600);
    match kind {
        "valid" => mint_subject_token_at(SECRET, SUBJECT, now, ten_minutes).unwrap(),
        "expired" => mint_subject_token_at(SECRET, SUBJECT, now - 7200, ten_minutes).unwrap(),
        "alg-none" => format!(
            "{}.{}.",
            b64(br#"{"alg":"none","typ":"JWT"}"#),
            b64(json!({"sub": SUBJECT, "exp": now + 600})
                .to_string()
                .as_bytes())
        ),
        "wrong-secret" => mint_subject_token_at(
            b"another-secret-that-is-long-enough-0123456789",
            SUBJECT,
            now,
            ten_minutes,
        )
        .unwrap(),
        "rs256" => with_header(
            &json!({"alg": "RS256", "typ": "JWT"}),
            &json!({"sub": SUBJECT, "exp": now + 600}),
        ),
        "other-audience" => mint_subject_token_with(
            SECRET,
            &SubjectTokenClaims {
                subject: SUBJECT.into(),
                audience: Some("https://other.example".into()),
                issued_at: now,
                ttl: ten_minutes,
            },
        )
        .unwrap(),
        "too-long-life" => signed(&json!({"sub": SUBJECT, "exp": now + 3 * 86_400}), SECRET),
        "no-exp" => signed(&json!({"sub": SUBJECT, "iat": now}), SECRET),
        "no-sub" => signed(&json!({"exp": now + 600}), SECRET),
        "bad-sub" => signed(&json!({"sub": "../admin", "exp": now + 600}), SECRET),
        "garbage" => "not-a-jwt".to_owned(),
        "huge" => format!("{}.{}.", "a".repeat(3000), "b".repeat(3000)),
        "tampered" => {
            let valid = of_kind("valid");
            let parts: Vec<&str> = valid.split('.').collect();
            let other = json!({"sub": "victim@example.com", "iat": now, "exp": now + 600});
            format!(
                "{}.{}.{}",
                parts[0],
                b64(other.to_string().as_bytes()),
                parts[2]
            )
        }
        other => panic!("no token kind {other}"),
    }
}
