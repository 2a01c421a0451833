//! Verifying subject tokens: HS256 only, `exp` and `sub` required, at most 24 hours ahead,
//! the audience checked when one is configured.

use std::fmt;

use ccpa_optout::{MAX_SUBJECT_TOKEN_TTL, MIN_SUBJECT_TOKEN_SECRET_BYTES, Subject, SubjectKind};
use jsonwebtoken::errors::ErrorKind as JwtKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use crate::config::ConfigError;
use crate::error::ApiError;

/// The longest token read (a subject token is a few hundred bytes).
pub const MAX_TOKEN_LEN: usize = 4096;

/// Clock skew allowed between the site's backend and the receiver, in seconds.
const LEEWAY_SECONDS: u64 = 30;

/// Checks subject tokens minted with the receiver's secret.
#[derive(Clone)]
pub struct SubjectTokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
}

impl SubjectTokenVerifier {
    /// A verifier for `secret` (at least 32 bytes); with an `audience`, tokens must carry it.
    pub fn new(secret: &[u8], audience: Option<&str>) -> Result<Self, ConfigError> {
        if secret.len() < MIN_SUBJECT_TOKEN_SECRET_BYTES {
            return Err(ConfigError(format!(
                "the subject-token secret must be at least {MIN_SUBJECT_TOKEN_SECRET_BYTES} bytes"
            )));
        }
        // Pinned: a token whose header names any other algorithm (none, RS256 with this
        // secret as a "public key", …) is refused before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS;
        match audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                validation.set_required_spec_claims(&["exp", "sub", "aud"]);
            }
            // A token naming an audience is meant for another receiver: refused.
            None => validation.set_required_spec_claims(&["exp", "sub"]),
        }
        Ok(SubjectTokenVerifier {
            key: DecodingKey::from_secret(secret)
                .map_err(|_| ConfigError("the subject-token secret cannot key HMAC".to_owned()))?,
            validation,
        })
    }

    /// The subject of a valid token; a 401 naming `token` otherwise. `now` is seconds since
    /// the epoch, for the 24-hour bound (the library checks expiry against the system clock).
    pub fn verify(&self, token: &str, now: u64) -> Result<Subject, ApiError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(refused("the subject token is too long"));
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map_err(|err| refused(describe(err.kind())))?;
        let latest = now + MAX_SUBJECT_TOKEN_TTL.as_secs() + LEEWAY_SECONDS;
        if data.claims.exp > latest {
            return Err(refused(
                "the subject token expires more than 24 hours ahead",
            ));
        }
        Subject::parse(&data.claims.sub, SubjectKind::Guess)
            .map_err(|_| refused("the subject token names no valid email or PKey"))
    }
}

impl fmt::Debug for SubjectTokenVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubjectTokenVerifier")
            .field("audience", &self.validation.aud)
            .finish_non_exhaustive()
    }
}

fn refused(message: &str) -> ApiError {
    ApiError::unauthorized("token", message)
}

fn describe(kind: &JwtKind) -> &'static str {
    match kind {
        JwtKind::ExpiredSignature => "the subject token has expired",
        JwtKind::InvalidSignature => "the subject token's signature does not match",
        JwtKind::InvalidAlgorithm | JwtKind::InvalidAlgorithmName => {
            "the subject token must be signed with HS256"
        }
        JwtKind::InvalidAudience => "the subject token is meant for another audience",
        JwtKind::MissingRequiredClaim(claim) => match claim.as_str() {
            "exp" => "the subject token has no exp",
            "aud" => "the subject token has no aud",
            _ => "the subject token has no sub",
        },
        _ => "the subject token is malformed",
    }
}

#[cfg(test)]
mod tests;
