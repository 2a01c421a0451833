//! One logical call: attempts, retries with backoff, one token refresh, secret scrubbing.

use http::{Method, StatusCode};

use super::Client;
use crate::error_body::{error_from_response, retry_after};
use crate::request::HttpRequest;
use crate::response::{HttpResponse, check_body_size};
use crate::retry::Outcome;
use crate::secret::AccessToken;
use crate::token::Credentials;
use crate::transport::{RequestLimits, Transport, TransportErrorKind};
use crate::{Error, Result};

/// An answer and how many attempts it took.
pub(crate) struct Sent {
    pub response: HttpResponse,
    pub attempts: u32,
    /// The token the request carried: scrubbed from any error built from the answer.
    pub token: Option<AccessToken>,
}

impl<T: Transport> Client<T> {
    /// Sends an authenticated request built by `build`, retrying per the policy and refreshing
    /// the token once on a 401. Returns only 2xx answers; anything else is the typed error.
    pub(crate) async fn send(
        &self,
        build: &(dyn Fn(&AccessToken) -> Result<HttpRequest> + Sync),
    ) -> Result<Sent> {
        let (sent, token) = self.send_final(build).await?;
        if !sent.response.status().is_success() {
            return Err(self.refusal(&sent, &token));
        }
        Ok(sent)
    }

    /// The typed, scrubbed error for a non-2xx final answer.
    pub(crate) fn refusal(&self, sent: &Sent, token: &AccessToken) -> Error {
        let response = &sent.response;
        let err = error_from_response(
            response.status().as_u16(),
            response.headers(),
            response.body(),
        );
        self.scrub(err, Some(token))
    }

    /// Like [`Client::send`], but returns the final answer whatever its status, with the
    /// token that got it (for callers that give some statuses a meaning of their own).
    pub(crate) async fn send_final(
        &self,
        build: &(dyn Fn(&AccessToken) -> Result<HttpRequest> + Sync),
    ) -> Result<(Sent, AccessToken)> {
        let mut token = self.access_token(None).await?;
        let mut refreshed = false;
        loop {
            let sent = self
                .with_retries(&|| build(&token), false, Some(&token))
                .await?;
            if sent.response.status() == StatusCode::UNAUTHORIZED
                && !refreshed
                && self.config.credentials.can_refresh()
            {
                // The token expired or was revoked early: get a new one and try once more.
                refreshed = true;
                self.tokens.invalidate(&token);
                token = self.access_token(Some(&token)).await?;
                continue;
            }
            return Ok((sent, token));
        }
    }

    /// Sends what `build` makes until an answer is final: a status the policy does not retry
    /// (returned as is, 2xx or not), or the policy gives up (returned as the typed error).
    ///
    /// `resend_safe` lets a POST be retried like an idempotent call (the token exchange).
    pub(crate) async fn with_retries(
        &self,
        build: &(dyn Fn() -> Result<HttpRequest> + Sync),
        resend_safe: bool,
        token: Option<&AccessToken>,
    ) -> Result<Sent> {
        let limits = RequestLimits {
            timeout: self.config.timeout,
            max_body_bytes: self.config.max_body_bytes,
        };
        let mut attempts = 0;
        loop {
            let mut request = build()?;
            let method = if resend_safe {
                Method::GET
            } else {
                request.method().clone()
            };
            request.extensions_mut().insert(limits);
            attempts += 1;
            let (outcome, failure) = match self.transport.send(request).await {
                Ok(response) => {
                    check_body_size(&response, limits.max_body_bytes)
                        .map_err(|e| self.scrub(e, token))?;
                    let status = response.status().as_u16();
                    if !crate::RetryPolicy::is_retryable_status(status) {
                        return Ok(Sent {
                            response,
                            attempts,
                            token: token.cloned(),
                        });
                    }
                    let wait = retry_after(response.headers(), Some(self.transport.now()));
                    let err = error_from_response(status, response.headers(), response.body())
                        .with_retry_after(wait);
                    (
                        Outcome::Answered {
                            status,
                            retry_after: wait,
                        },
                        err,
                    )
                }
                // An oversized answer will be oversized again: no point in retrying it.
                Err(err) if err.kind() == TransportErrorKind::BodyTooLarge => {
                    return Err(self.scrub(Error::from(err), token));
                }
                Err(err) => (err.outcome(), Error::from(err)),
            };
            match self.config.retry.delay_before_retry(
                attempts,
                &method,
                outcome,
                self.next_jitter(),
            ) {
                Some(delay) => self.transport.sleep(delay).await,
                None => return Err(self.scrub(failure, token)),
            }
        }
    }

    /// Parses a 2xx answer; a `Decode` error is scrubbed like any other, since the body (a
    /// proxy's page, a server echoing the request) may repeat a header.
    pub(crate) fn decoded<R>(
        &self,
        sent: &Sent,
        parse: impl FnOnce(&HttpResponse) -> Result<R>,
    ) -> Result<R> {
        parse(&sent.response).map_err(|e| self.scrub(e, sent.token.as_ref()))
    }

    /// Removes every secret this client holds from an error's text.
    pub(crate) fn scrub(&self, err: Error, token: Option<&AccessToken>) -> Error {
        let mut secrets = vec![self.config.api.api_key.expose()];
        if let Some(token) = token {
            secrets.push(token.expose());
        }
        match &self.config.credentials {
            Credentials::AccessToken(fixed) => secrets.push(fixed.expose()),
            Credentials::OAuth(oauth) => {
                secrets.push(oauth.client_secret.expose());
                secrets.push(oauth.client_id.expose());
            }
            Credentials::Provider(_) => {}
        }
        err.redact(&secrets)
    }
}
