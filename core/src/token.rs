//! Access tokens: a fixed token, the OAuth server-to-server exchange with IMS, and its cache.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::Method;
use http::header::{ACCEPT, CONTENT_TYPE};
use url::form_urlencoded;

use crate::config::secure_url;
use crate::error_body::{body_excerpt, error_from_response};
use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::secret::{AccessToken, ApiKey, ClientSecret};
use crate::token_provider::TokenProvider;
use crate::{Error, ErrorKind, Result};

/// Adobe's IMS token endpoint for OAuth server-to-server credentials.
pub const DEFAULT_IMS_TOKEN_URL: &str = "https://ims-na1.adobelogin.com/ims/token/v3";

/// Where the client's access tokens come from.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A token obtained elsewhere; a 401 cannot be recovered from.
    AccessToken(AccessToken),
    /// OAuth server-to-server: the client fetches and caches tokens from IMS itself.
    OAuth(OAuthCredentials),
    /// The host's own source of tokens (a callback, a secret store), asked again after a 401.
    Provider(Arc<dyn TokenProvider>),
}

impl Credentials {
    /// Whether asking again can give a different token (so a 401 is worth one retry).
    pub fn can_refresh(&self) -> bool {
        !matches!(self, Credentials::AccessToken(_))
    }
}

/// The Developer Console's OAuth server-to-server credentials.
#[derive(Debug, Clone)]
pub struct OAuthCredentials {
    /// The client ID (the same value as the API key).
    pub client_id: ApiKey,
    /// The client secret.
    pub client_secret: ClientSecret,
    scopes: String,
    token_url: String,
}

impl OAuthCredentials {
    /// Credentials for Adobe's IMS endpoint. `scopes` is the comma-separated list the
    /// Developer Console shows; a blank one is a `Config` error (field `scopes`), since IMS
    /// would refuse every exchange.
    pub fn new(
        client_id: ApiKey,
        client_secret: ClientSecret,
        scopes: impl Into<String>,
    ) -> Result<Self> {
        let scopes = scopes.into();
        if scopes.trim().is_empty() {
            return Err(Error::config(
                "scopes",
                "OAuth needs the scopes shown in the Developer Console (e.g. \"openid,AdobeID,campaign_sdk\")",
            ));
        }
        Ok(OAuthCredentials {
            client_id,
            client_secret,
            scopes,
            token_url: DEFAULT_IMS_TOKEN_URL.to_owned(),
        })
    }

    /// The comma-separated scopes.
    pub fn scopes(&self) -> &str {
        &self.scopes
    }

    /// The same credentials against another token endpoint (the emulator's, in tests).
    /// `https://`, or `http://` on loopback only.
    pub fn with_token_url(mut self, token_url: &str) -> Result<Self> {
        self.token_url = secure_url(token_url, "tokenUrl")?.to_string();
        Ok(self)
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &str {
        &self.token_url
    }
}

/// `POST /ims/token/v3` with `grant_type=client_credentials`, as a form.
pub fn prepare_token_request(credentials: &OAuthCredentials) -> Result<HttpRequest> {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", credentials.client_id.expose())
        .append_pair("client_secret", credentials.client_secret.expose())
        .append_pair("scope", &credentials.scopes)
        .finish();
    http::Request::builder()
        .method(Method::POST)
        .uri(credentials.token_url.as_str())
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(ACCEPT, "application/json")
        .body(body.into_bytes())
        .map_err(|_| Error::config("tokenUrl", "the token URL is not valid"))
}

/// A token and the moment it stops working.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token.
    pub token: AccessToken,
    /// `received_at + expires_in`.
    pub expires_at: SystemTime,
}

impl IssuedToken {
    /// Whether the token can still be used at `now`, keeping a margin (a tenth of its
    /// lifetime, at most five minutes) so it does not expire in flight.
    pub fn is_fresh(&self, now: SystemTime, lifetime: Duration) -> bool {
        let margin = (lifetime / 10).min(Duration::from_secs(300));
        now.checked_add(margin)
            .is_some_and(|deadline| deadline < self.expires_at)
    }
}

/// Reads IMS's `{"access_token", "token_type", "expires_in"}` (seconds) answer.
///
/// A refused exchange (wrong secret, unknown client) is an `Auth` error whatever its status.
pub fn parse_token_response(
    response: &HttpResponse,
    received_at: SystemTime,
) -> Result<(IssuedToken, Duration)> {
    let status = response.status().as_u16();
    if !response.status().is_success() {
        let err = error_from_response(status, response.headers(), response.body());
        return Err(
            if (400..500).contains(&status) && err.kind() != ErrorKind::RateLimited {
                err.reclassified(ErrorKind::Auth)
            } else {
                err
            },
        );
    }
    // Read through `Value` rather than a derived struct: typed decoding drags float formatting
    // into the browser build for no gain here.
    let answer: Option<serde_json::Value> = serde_json::from_slice(response.body()).ok();
    let unreadable = || {
        Error::decode(
            "the token endpoint's answer has no access_token",
            body_excerpt(response.body()),
        )
    };
    let access_token = answer
        .as_ref()
        .and_then(|a| a.get("access_token")?.as_str())
        .ok_or_else(unreadable)?;
    let expires_in = match answer.as_ref().and_then(|a| a.get("expires_in")) {
        None | Some(serde_json::Value::Null) => None,
        Some(seconds) => Some(seconds.as_u64().ok_or_else(unreadable)?),
    };
    let token = AccessToken::new(access_token)
        .map_err(|_| Error::decode("the token endpoint returned an unusable access_token", ""))?;
    // IMS sends ~86399 s; a missing value gets Adobe's advice of regenerating every 23 hours.
    // A lifetime beyond a year is treated as a year, so the arithmetic can never overflow.
    let lifetime = Duration::from_secs(expires_in.unwrap_or(23 * 3600).min(365 * 24 * 3600));
    let expires_at = received_at.checked_add(lifetime).unwrap_or(received_at);
    Ok((IssuedToken { token, expires_at }, lifetime))
}

/// The cached token of a client, shared by all its concurrent calls.
#[derive(Debug, Default)]
pub struct TokenCache {
    current: Mutex<Option<(IssuedToken, Duration)>>,
}

impl TokenCache {
    /// The cached token if it is still fresh at `now`.
    pub fn fresh(&self, now: SystemTime) -> Option<AccessToken> {
        let guard = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard
            .as_ref()
            .filter(|(issued, lifetime)| issued.is_fresh(now, *lifetime))
            .map(|(issued, _)| issued.token.clone())
    }

    /// Keeps a newly issued token.
    pub fn store(&self, issued: IssuedToken, lifetime: Duration) {
        *self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((issued, lifetime));
    }

    /// Forgets the token (after a 401), unless it was already replaced by another call.
    pub fn invalidate(&self, rejected: &AccessToken) {
        let mut guard = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard
            .as_ref()
            .is_some_and(|(issued, _)| issued.token == *rejected)
        {
            *guard = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> OAuthCredentials {
        OAuthCredentials::new(
            ApiKey::new("client-id").unwrap(),
            ClientSecret::new("s3cr3t-value").unwrap(),
            "openid,AdobeID,campaign_sdk",
        )
        .unwrap()
    }

    #[test]
    fn the_token_request_is_a_client_credentials_form() {
        let req = prepare_token_request(&credentials()).unwrap();
        assert_eq!(req.uri(), DEFAULT_IMS_TOKEN_URL);
        let body = String::from_utf8(req.body().clone()).unwrap();
        assert!(body.starts_with("grant_type=client_credentials&client_id=client-id&client_secret=s3cr3t-value&scope=openid%2CAdobeID"));
        assert!(!format!("{:?}", credentials()).contains("s3cr3t-value"));
    }

    #[test]
    fn tokens_are_refreshed_before_they_expire() {
        let t0 = SystemTime::UNIX_EPOCH;
        let mut response = http::Response::new(
            br#"{"access_token":"abc","token_type":"bearer","expires_in":100}"#.to_vec(),
        );
        *response.status_mut() = http::StatusCode::OK;
        let (issued, lifetime) = parse_token_response(&response, t0).unwrap();
        let cache = TokenCache::default();
        cache.store(issued, lifetime);
        assert!(cache.fresh(t0 + Duration::from_secs(89)).is_some());
        assert!(cache.fresh(t0 + Duration::from_secs(91)).is_none());
    }

    #[test]
    fn a_refused_exchange_is_an_auth_error() {
        let mut response = http::Response::new(
            br#"{"error":"invalid_client","error_description":"invalid client_secret parameter"}"#
                .to_vec(),
        );
        *response.status_mut() = http::StatusCode::BAD_REQUEST;
        let err = parse_token_response(&response, SystemTime::UNIX_EPOCH).unwrap_err();
        assert_eq!(
            (err.kind(), err.error_code()),
            (ErrorKind::Auth, Some("invalid_client"))
        );
    }

    #[test]
    fn token_urls_must_be_secure() {
        assert!(
            credentials()
                .with_token_url("http://127.0.0.1:9/ims/token/v3")
                .is_ok()
        );
        assert_eq!(
            credentials()
                .with_token_url("http://ims.example/ims/token/v3")
                .unwrap_err()
                .field(),
            Some("tokenUrl")
        );
    }
}
