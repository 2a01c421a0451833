//! Runs a core client operation to the end on the calling thread, each step's I/O by the host.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use ccpa_optout::driver::{Operation, Reply, Step};
use ccpa_optout::{Error, TransportError, TransportErrorKind};

use crate::error::{Result, ffi};
use crate::host::{HttpTransport, Sleeper, TokenProvider, token_from};
use crate::http::HttpRequest;

/// The host's side of every operation of one client.
pub(crate) struct Host {
    pub transport: Arc<dyn HttpTransport>,
    pub sleeper: Arc<dyn Sleeper>,
    pub tokens: Option<Arc<dyn TokenProvider>>,
}

impl Host {
    /// Drives `future` (a core client call over the driver's `HostTransport`) until it ends:
    /// requests go to the host transport, pauses to the sleeper, token needs to the provider.
    /// Retries, refresh and pagination stay in the core; this loop only does what a step says.
    pub(crate) fn run<O>(
        &self,
        future: impl Future<Output = ccpa_optout::Result<O>> + Send + 'static,
    ) -> Result<O> {
        let mut operation = Operation::new(future);
        let mut reply = None;
        loop {
            reply = Some(match operation.resume(reply.take()) {
                Step::Send(request) => Reply::Response(self.send(request)),
                Step::Sleep(duration) => {
                    self.sleep(duration);
                    Reply::Slept
                }
                Step::Token { refresh } => Reply::Token(self.token(refresh)),
                Step::Done(result) => return ffi(result),
            });
        }
    }

    fn send(
        &self,
        request: ccpa_optout::HttpRequest,
    ) -> std::result::Result<ccpa_optout::HttpResponse, TransportError> {
        let response = self
            .transport
            .send(Arc::new(HttpRequest::new(request)))
            .map_err(TransportError::from)?;
        // A response HTTP cannot carry means the host transport is broken, not the server.
        response.to_core().map_err(|err| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("the host transport returned {}", err.message()),
            )
        })
    }

    fn sleep(&self, duration: Duration) {
        self.sleeper.sleep(duration.as_secs_f64());
    }

    fn token(&self, refresh: bool) -> ccpa_optout::Result<ccpa_optout::AccessToken> {
        match &self.tokens {
            Some(provider) => token_from(provider.as_ref(), refresh),
            // The core asks only when the credentials are a token provider.
            None => Err(Error::config("accessToken", "no token provider was given")),
        }
    }
}
