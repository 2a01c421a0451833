//! Getting the access token for a call: fixed, from the host, or fetched and cached from IMS.

use super::Client;
use crate::Result;
use crate::secret::AccessToken;
use crate::token::{Credentials, parse_token_response, prepare_token_request};
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// The token to send; `rejected` is the token a 401 just refused, to be replaced.
    pub(crate) async fn access_token(&self, rejected: Option<&AccessToken>) -> Result<AccessToken> {
        let oauth = match &self.config.credentials {
            Credentials::AccessToken(token) => return Ok(token.clone()),
            Credentials::Provider(provider) => {
                return provider
                    .access_token(rejected.is_some())
                    .await
                    .map_err(|e| self.scrub(e, None));
            }
            Credentials::OAuth(oauth) => oauth,
        };
        let usable = |token: &AccessToken| rejected != Some(token);
        if let Some(token) = self.tokens.fresh(self.transport.now()).filter(usable) {
            return Ok(token);
        }
        // One exchange at a time: concurrent calls that find no usable token wait for the first
        // one's answer (and then use it) instead of each asking IMS.
        let _exchange = self.token_refresh.lock().await;
        if let Some(token) = self.tokens.fresh(self.transport.now()).filter(usable) {
            return Ok(token);
        }
        let sent = self
            .with_retries(&|| prepare_token_request(oauth), true, None)
            .await?;
        let (issued, lifetime) = parse_token_response(&sent.response, self.transport.now())
            .map_err(|e| self.scrub(e, None))?;
        let token = issued.token.clone();
        self.tokens.store(issued, lifetime);
        Ok(token)
    }
}
