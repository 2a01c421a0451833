//! The gateway's checks (token → 401, API key and tenant → 403) and the tokens it accepts.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use http::HeaderMap;

use crate::acs_error::AcsError;
use crate::config::EmulatorConfig;
use crate::faults::Rng;

/// At most this many issued tokens are remembered; beyond it the one closest to expiry is forgotten.
const MAX_ISSUED: usize = 10_000;

/// The configured token (valid for ever) plus tokens issued by `/ims/token/v3` (valid until expiry).
#[derive(Debug)]
pub struct Tokens {
    issued: RwLock<HashMap<String, Instant>>,
    rng: Rng,
}

impl Tokens {
    /// An empty registry whose tokens are drawn from `seed`.
    pub fn new(seed: u64) -> Tokens {
        Tokens {
            issued: RwLock::new(HashMap::new()),
            rng: Rng::new(seed),
        }
    }

    /// Issues a token valid for `lifetime`.
    pub fn issue(&self, lifetime: Duration) -> String {
        let token = format!(
            "emu1.{:016x}{:016x}{:016x}",
            self.rng.next_u64(),
            self.rng.next_u64(),
            self.rng.next_u64()
        );
        let now = Instant::now();
        let mut issued = self.issued.write().unwrap_or_else(|p| p.into_inner());
        issued.retain(|_, expires| *expires > now);
        if issued.len() >= MAX_ISSUED {
            let soonest = issued
                .iter()
                .min_by_key(|(_, e)| **e)
                .map(|(t, _)| t.clone());
            if let Some(soonest) = soonest {
                issued.remove(&soonest);
            }
        }
        issued.insert(token.clone(), now + lifetime);
        token
    }

    fn is_valid(&self, token: &str, config: &EmulatorConfig) -> bool {
        if token == config.token {
            return true;
        }
        let issued = self.issued.read().unwrap_or_else(|p| p.into_inner());
        issued
            .get(token)
            .is_some_and(|expires| *expires > Instant::now())
    }

    /// The gateway's checks, in its order: token (401), API key (403), tenant in the path (403).
    pub fn check(
        &self,
        headers: &HeaderMap,
        org: Option<&str>,
        config: &EmulatorConfig,
    ) -> Result<(), AcsError> {
        let token = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token);
        if !token.is_some_and(|t| self.is_valid(t, config)) {
            return Err(AcsError::token_invalid());
        }
        let api_key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
        if api_key != Some(config.api_key.as_str()) {
            return Err(AcsError::api_key_invalid());
        }
        match org {
            Some(org) if org != config.org => Err(AcsError::wrong_tenant()),
            _ => Ok(()),
        }
    }
}

/// Privacy Service's extra check, after the token and API key: `x-gw-ims-org-id` present (400
/// `400003`) and naming the configured IMS org (403 `403025`).
pub fn check_ims_org(headers: &HeaderMap, config: &EmulatorConfig) -> Result<(), AcsError> {
    match headers.get("x-gw-ims-org-id").map(|v| v.to_str()) {
        None => Err(AcsError::ims_org_missing()),
        Some(Ok(org)) if org.trim() == config.ims_org => Ok(()),
        Some(_) => Err(AcsError::ims_org_invalid()),
    }
}

/// The token of an `Authorization: Bearer …` header (scheme case-insensitive).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(auth: &str, key: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_str(auth).unwrap());
        h.insert("x-api-key", HeaderValue::from_str(key).unwrap());
        h
    }

    #[test]
    fn checks_token_then_key_then_tenant() {
        let config = EmulatorConfig::default();
        let tokens = Tokens::new(1);
        let status = |h: &HeaderMap, org| {
            tokens
                .check(h, org, &config)
                .map_err(|e| e.status().as_u16())
        };
        assert_eq!(
            status(
                &headers("Bearer emulator-token", "emulator-api-key"),
                Some("acme")
            ),
            Ok(())
        );
        assert_eq!(
            status(&headers("bearer emulator-token", "emulator-api-key"), None),
            Ok(())
        );
        assert_eq!(
            status(&headers("Bearer nope", "wrong"), Some("acme")),
            Err(401)
        );
        assert_eq!(
            status(&headers("emulator-token", "emulator-api-key"), Some("acme")),
            Err(401)
        );
        assert_eq!(
            status(&headers("Bearer emulator-token", "wrong"), Some("acme")),
            Err(403)
        );
        assert_eq!(
            status(
                &headers("Bearer emulator-token", "emulator-api-key"),
                Some("other")
            ),
            Err(403)
        );
    }

    #[test]
    fn privacy_calls_need_the_configured_ims_org() {
        let config = EmulatorConfig::default();
        let mut h = HeaderMap::new();
        let code = |h: &HeaderMap| check_ims_org(h, &config).map_err(|e| e.status().as_u16());
        assert_eq!(code(&h), Err(400));
        h.insert(
            "x-gw-ims-org-id",
            HeaderValue::from_static("OTHER@AdobeOrg"),
        );
        assert_eq!(code(&h), Err(403));
        h.insert(
            "x-gw-ims-org-id",
            HeaderValue::from_str(&config.ims_org).unwrap(),
        );
        assert_eq!(code(&h), Ok(()));
    }

    #[test]
    fn issued_tokens_expire() {
        let config = EmulatorConfig::default();
        let tokens = Tokens::new(2);
        let fresh = tokens.issue(Duration::from_secs(60));
        let stale = tokens.issue(Duration::ZERO);
        assert!(tokens.is_valid(&fresh, &config));
        assert!(!tokens.is_valid(&stale, &config));
        assert_ne!(fresh, stale);
    }
}
