//! Subject tokens: the short HS256 JWT a site's backend mints for its logged-in visitor, so
//! that the visitor's browser can name its own profile to the receiver without a JWT library.
//!
//! The token is `base64url(header).base64url(claims).base64url(HMAC-SHA256)` with the header
//! `{"alg":"HS256","typ":"JWT"}` and the claims `{"sub", "aud"?, "iat", "exp"}` in that order,
//! so the same inputs give the same token in every language (`tests/vectors/subject_tokens.json`).
//! The receiver verifies it with a maintained JWT library, the algorithm pinned to HS256.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::subject::{Subject, SubjectKind};
use crate::{Error, Result};

/// The longest life of a subject token: the receiver refuses any whose `exp` is further ahead.
pub const MAX_SUBJECT_TOKEN_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The shortest secret accepted: RFC 7518 §3.2 asks for a key at least as long as the hash
/// output (256 bits for HS256).
pub const MIN_SUBJECT_TOKEN_SECRET_BYTES: usize = 32;

/// The longest audience accepted (it travels in every token).
pub const MAX_SUBJECT_TOKEN_AUDIENCE_LEN: usize = 256;

/// The fixed JOSE header; written as text so every binding signs the same bytes.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// What a subject token says, for [`mint_subject_token_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTokenClaims {
    /// The visitor's profile: an email or a PKey (`sub`), checked like every other subject.
    pub subject: String,
    /// The receiver's configured audience (`aud`), when it has one.
    pub audience: Option<String>,
    /// When the token is issued, in seconds since the Unix epoch (`iat`).
    pub issued_at: u64,
    /// How long it is valid: whole seconds, at least 1 and at most [`MAX_SUBJECT_TOKEN_TTL`]
    /// (`exp` = `iat` + `ttl`).
    pub ttl: Duration,
}

#[derive(Serialize)]
struct Payload<'a> {
    sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a str>,
    iat: u64,
    exp: u64,
}

/// A subject token for `subject` (an email or a PKey), valid for `ttl` from now.
///
/// `secret` is the receiver's `--subject-token-secret` (at least 32 bytes). Not offered on
/// `wasm32-unknown-unknown`, where the standard clock does not exist: the browser and Node
/// bindings pass the time to [`mint_subject_token_at`].
///
/// ```
/// use std::time::Duration;
///
/// let secret = b"0123456789abcdef0123456789abcdef";
/// let token = ccpa_optout::mint_subject_token(secret, "ana@example.com", Duration::from_secs(600))?;
/// assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn mint_subject_token(secret: &[u8], subject: &str, ttl: Duration) -> Result<String> {
    mint_subject_token_at(secret, subject, seconds_since_epoch()?, ttl)
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl SubjectTokenClaims {
    /// Claims issued at `issued_at` (seconds since the Unix epoch), or now when `None`: the
    /// default of every host's `issued_at` argument. Not on `wasm32-unknown-unknown`.
    pub fn issued(
        subject: String,
        audience: Option<String>,
        issued_at: Option<u64>,
        ttl: Duration,
    ) -> Result<Self> {
        let issued_at = match issued_at {
            Some(seconds) => seconds,
            None => seconds_since_epoch()?,
        };
        Ok(SubjectTokenClaims {
            subject,
            audience,
            issued_at,
            ttl,
        })
    }
}

/// The system clock in whole seconds since the Unix epoch.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn seconds_since_epoch() -> Result<u64> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|since| since.as_secs())
        .map_err(|_| Error::validation("issuedAt", "the system clock is before 1970"))
}

/// A subject token issued at `issued_at` (seconds since the Unix epoch): the pure form of
/// [`mint_subject_token`], with exact output for given inputs.
///
/// ```
/// use std::time::Duration;
///
/// let secret = b"0123456789abcdef0123456789abcdef";
/// let token = ccpa_optout::mint_subject_token_at(secret, "@Zk3q9Lw2TfR0", 1_767_225_600, Duration::from_secs(3600))?;
/// assert_eq!(token.split('.').count(), 3);
/// let short = ccpa_optout::mint_subject_token_at(b"too short", "@Zk3q9Lw2TfR0", 0, Duration::from_secs(60));
/// assert_eq!(short.unwrap_err().field(), Some("secret"));
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
pub fn mint_subject_token_at(
    secret: &[u8],
    subject: &str,
    issued_at: u64,
    ttl: Duration,
) -> Result<String> {
    mint_subject_token_with(
        secret,
        &SubjectTokenClaims {
            subject: subject.to_owned(),
            audience: None,
            issued_at,
            ttl,
        },
    )
}

/// A subject token with every claim given, the audience included.
///
/// Refused with a `Validation` error naming the field: a secret shorter than
/// [`MIN_SUBJECT_TOKEN_SECRET_BYTES`] (`secret`), a subject that is neither a valid email nor
/// a valid PKey (`subject`), a `ttl` under one second or above [`MAX_SUBJECT_TOKEN_TTL`]
/// (`ttl`), an empty, over-long or control-character audience (`audience`). No error repeats
/// the secret.
pub fn mint_subject_token_with(secret: &[u8], claims: &SubjectTokenClaims) -> Result<String> {
    if secret.len() < MIN_SUBJECT_TOKEN_SECRET_BYTES {
        return Err(Error::validation(
            "secret",
            format!(
                "a subject-token secret needs at least {MIN_SUBJECT_TOKEN_SECRET_BYTES} bytes (RFC 7518 §3.2)"
            ),
        ));
    }
    // A token for a subject the receiver would refuse is useless: check it the same way.
    Subject::parse(&claims.subject, SubjectKind::Guess)
        .map_err(|err| Error::validation("subject", err.message()))?;
    let ttl = claims.ttl.as_secs();
    if ttl == 0 || claims.ttl > MAX_SUBJECT_TOKEN_TTL {
        return Err(Error::validation(
            "ttl",
            "a subject token lives at least 1 second and at most 24 hours",
        ));
    }
    if let Some(audience) = &claims.audience {
        check_audience(audience)?;
    }
    let exp = claims
        .issued_at
        .checked_add(ttl)
        .ok_or_else(|| Error::validation("issuedAt", "issued_at + ttl is out of range"))?;
    let payload = Payload {
        sub: &claims.subject,
        aud: claims.audience.as_deref(),
        iat: claims.issued_at,
        exp,
    };
    let payload = serde_json::to_vec(&payload)
        .map_err(|_| Error::validation("subject", "the claims could not be encoded"))?;
    let mut token = String::with_capacity(64 + payload.len() * 4 / 3 + 43);
    push_base64url(HEADER.as_bytes(), &mut token);
    token.push('.');
    push_base64url(&payload, &mut token);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .map_err(|_| Error::validation("secret", "the secret cannot key HMAC-SHA256"))?;
    mac.update(token.as_bytes());
    let signature = mac.finalize().into_bytes();
    token.push('.');
    push_base64url(&signature, &mut token);
    Ok(token)
}

/// Appends `bytes` in base64url without padding (RFC 4648 §5, as JWTs use it).
///
/// Written out rather than taken from a crate: measured in a wasm build, the base64 crate's
/// engine cost 3 KB gzipped of the npm package's `.wasm` for these twelve lines.
fn push_base64url(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (index, byte)| {
            group | u32::from(*byte) << (16 - 8 * index)
        });
        // 1 byte gives 2 characters, 2 give 3, 3 give 4.
        for index in 0..=chunk.len() {
            let sextet = (group >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
}
fn check_audience(audience: &str) -> Result<()> {
    if audience.is_empty()
        || audience.len() > MAX_SUBJECT_TOKEN_AUDIENCE_LEN
        || audience.chars().any(char::is_control)
    {
        return Err(Error::validation(
            "audience",
            format!(
                "an audience is 1 to {MAX_SUBJECT_TOKEN_AUDIENCE_LEN} bytes without control characters"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn base64url(bytes: &[u8]) -> String {
        let mut out = String::new();
        push_base64url(bytes, &mut out);
        out
    }

    /// The decoder the tests need (the core only encodes).
    fn decode(text: &str) -> Vec<u8> {
        const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let sextets: Vec<u32> = text
            .chars()
            .map(|c| ALPHABET.find(c).unwrap() as u32)
            .collect();
        let mut bytes = Vec::new();
        for chunk in sextets.chunks(4) {
            let group = chunk
                .iter()
                .enumerate()
                .fold(0u32, |group, (i, s)| group | s << (18 - 6 * i));
            for i in 0..chunk.len() - 1 {
                bytes.push((group >> (16 - 8 * i)) as u8);
            }
        }
        bytes
    }

    fn claims_of(token: &str) -> serde_json::Value {
        serde_json::from_slice(&decode(token.split('.').nth(1).unwrap())).unwrap()
    }

    #[test]
    fn base64url_matches_the_rfc_4648_vectors_without_padding() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), expected);
            assert_eq!(decode(expected), input.as_bytes());
        }
        // The two characters where base64url differs from base64.
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn claims_are_sub_iat_exp_in_order_and_aud_only_when_given() {
        let token =
            mint_subject_token_at(SECRET, "ana@example.com", 100, Duration::from_secs(60)).unwrap();
        let payload = token.split('.').nth(1).unwrap();
        assert_eq!(
            decode(payload),
            br#"{"sub":"ana@example.com","iat":100,"exp":160}"#
        );
        assert!(token.starts_with(&base64url(HEADER.as_bytes())));
        let claims = SubjectTokenClaims {
            subject: "@a1".into(),
            audience: Some("https://shop.example".into()),
            issued_at: 5,
            ttl: Duration::from_secs(10),
        };
        let with_aud = mint_subject_token_with(SECRET, &claims).unwrap();
        assert_eq!(claims_of(&with_aud)["aud"], "https://shop.example");
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_the_first_two_parts() {
        let token = mint_subject_token_at(SECRET, "@a1", 0, Duration::from_secs(1)).unwrap();
        let (signed, signature) = token.rsplit_once('.').unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).unwrap();
        mac.update(signed.as_bytes());
        mac.verify_slice(&decode(signature)).unwrap();
    }

    #[test]
    fn bad_inputs_name_their_field_and_never_echo_the_secret() {
        let secret = b"short-secret-value";
        let err = mint_subject_token_at(secret, "@a1", 0, Duration::from_secs(1)).unwrap_err();
        assert_eq!(err.field(), Some("secret"));
        assert!(!err.to_string().contains("short-secret-value"));
        let field = |subject: &str, ttl: u64, at: u64| {
            mint_subject_token_at(SECRET, subject, at, Duration::from_secs(ttl))
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(field("../admin", 60, 0).as_deref(), Some("subject"));
        assert_eq!(field("@a1", 0, 0).as_deref(), Some("ttl"));
        assert_eq!(field("@a1", 86_401, 0).as_deref(), Some("ttl"));
        assert_eq!(field("@a1", 60, u64::MAX).as_deref(), Some("issuedAt"));
        let claims = SubjectTokenClaims {
            subject: "@a1".into(),
            audience: Some("a\nb".into()),
            issued_at: 0,
            ttl: Duration::from_secs(1),
        };
        let err = mint_subject_token_with(SECRET, &claims).unwrap_err();
        assert_eq!(err.field(), Some("audience"));
    }

    #[test]
    fn claims_are_issued_at_the_given_time_or_now() {
        let ttl = Duration::from_secs(60);
        let given = SubjectTokenClaims::issued("@a".into(), None, Some(7), ttl).unwrap();
        assert_eq!(given.issued_at, 7);
        let now = SubjectTokenClaims::issued("@a".into(), None, None, ttl).unwrap();
        assert!(now.issued_at > 1_700_000_000);
    }
}
