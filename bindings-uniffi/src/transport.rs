//! The core's `Transport` over the host's `HttpTransport` and `Sleeper`, run with `block_on`.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, SystemTime};

use ccpa_optout::{Transport, TransportError, TransportErrorKind};

use crate::host::{HttpTransport, Sleeper};
use crate::http::HttpRequest;

/// The host's side of a client: each request goes to its transport and each pause between
/// retries to its sleeper, on the thread that called the client.
pub(crate) struct HostTransport {
    pub(crate) http: Arc<dyn HttpTransport>,
    pub(crate) sleeper: Arc<dyn Sleeper>,
}

impl Transport for HostTransport {
    async fn send(
        &self,
        request: ccpa_optout::HttpRequest,
    ) -> Result<ccpa_optout::HttpResponse, TransportError> {
        let response = self.http.send(Arc::new(HttpRequest::new(request)))?;
        // A response HTTP cannot carry means the host transport is broken, not the server.
        response.to_core().map_err(|err| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("the host transport returned {}", err.message()),
            )
        })
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeper.sleep(duration.as_secs_f64());
    }

    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Wakes the thread that waits in [`block_on`].
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a client call to the end on the calling thread. The host's transport and sleeper
/// block that thread themselves, so the future only waits when another call holds what it
/// needs (the OAuth token exchange, a listing's cursor): the thread then parks until that
/// call is done, instead of polling.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        thread::park();
    }
}
