//! Lets an operation that waits on another one (the shared OAuth token exchange) hand control
//! back to the host instead of stalling.
//!
//! The core's driver expects an operation to wait only on host calls. Client methods also take
//! a lock around the token exchange, so when two operations run at once (threads, or asyncio
//! tasks) the second can wait on the first; under the driver that wait would end the operation
//! with an error. [`YieldToHost`] notices such a wait (the future kept a waker, which host calls
//! never do) and asks the host for a short pause instead, then polls again.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use ccpa_optout::Transport;
use ccpa_optout::driver::HostTransport;

/// The first pause the host takes before the waiting operation looks again; each further
/// pause in a row doubles, up to [`MAX_YIELD_PAUSE`], so a thousand calls waiting on one token
/// exchange do not spin.
pub(crate) const YIELD_PAUSE: Duration = Duration::from_millis(1);

/// The longest pause between two looks.
const MAX_YIELD_PAUSE: Duration = Duration::from_millis(50);

/// Polls that may be repeated at once after a wake-up, before pausing anyway.
const MAX_REPOLLS: usize = 64;

type Pause = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A client future that yields to the host while it waits on something other than the host.
pub(crate) struct YieldToHost<F> {
    inner: Pin<Box<F>>,
    transport: HostTransport,
    pause: Option<Pause>,
    pauses_in_a_row: u32,
    yielded: Arc<AtomicBool>,
}

impl<F> YieldToHost<F> {
    /// Wraps `inner`; `yielded` is set whenever the next sleep step is such a pause.
    pub(crate) fn new(inner: F, transport: HostTransport, yielded: Arc<AtomicBool>) -> Self {
        YieldToHost {
            inner: Box::pin(inner),
            transport,
            pause: None,
            pauses_in_a_row: 0,
            yielded,
        }
    }
}

/// A waker that only records whether it was kept or used.
#[derive(Default)]
struct Probe {
    woken: AtomicBool,
}

impl Wake for Probe {
    fn wake(self: Arc<Self>) {
        self.woken.store(true, Ordering::Release);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
    }
}

impl<F: Future> Future for YieldToHost<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        if let Some(pause) = this.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        for _ in 0..MAX_REPOLLS {
            let probe = Arc::new(Probe::default());
            let waker = Waker::from(Arc::clone(&probe));
            let poll = this.inner.as_mut().poll(&mut Context::from_waker(&waker));
            drop(waker);
            if poll.is_ready() {
                this.pauses_in_a_row = 0;
                return poll;
            }
            if probe.woken.load(Ordering::Acquire) {
                // What it waited on is ready already: look again now.
                continue;
            }
            if Arc::strong_count(&probe) == 1 {
                // Nobody kept the waker: the future is parked on a host call.
                this.pauses_in_a_row = 0;
                return Poll::Pending;
            }
            break;
        }
        let wait = YIELD_PAUSE
            .saturating_mul(1 << this.pauses_in_a_row.min(6))
            .min(MAX_YIELD_PAUSE);
        this.pauses_in_a_row = this.pauses_in_a_row.saturating_add(1);
        let transport = this.transport.clone();
        let mut pause: Pause = Box::pin(async move { transport.sleep(wait).await });
        this.yielded.store(true, Ordering::Release);
        if pause.as_mut().poll(cx).is_ready() {
            // Polled outside a driver: nobody can pause for us, so ask to be polled again.
            cx.waker().wake_by_ref();
        } else {
            this.pause = Some(pause);
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    use std::time::SystemTime;

    use ccpa_optout::driver::{HostTransport, Operation, Reply, Step};
    use ccpa_optout::{
        ApiConfig, ApiKey, BaseUrl, Client, ClientConfig, ClientSecret, Credentials,
        OAuthCredentials, Organization, PKey,
    };

    use super::{YIELD_PAUSE, YieldToHost};

    type HostClient = Client<HostTransport>;

    fn oauth_client() -> Arc<HostClient> {
        let api = ApiConfig::new(
            Organization::new("acme").unwrap(),
            ApiKey::new("id").unwrap(),
        )
        .with_base_url(BaseUrl::new("http://127.0.0.1:9").unwrap());
        let oauth = OAuthCredentials::new(
            ApiKey::new("id").unwrap(),
            ClientSecret::new("secret").unwrap(),
            "campaign",
        )
        .with_token_url("http://127.0.0.1:9/ims/token/v3")
        .unwrap();
        let config = ClientConfig::new(api, Credentials::OAuth(oauth));
        Arc::new(Client::new(config, HostTransport::new(SystemTime::now)))
    }

    fn get_opt_out(client: &Arc<HostClient>, yielded: &Arc<AtomicBool>) -> Operation<bool> {
        let future = {
            let client = Arc::clone(client);
            async move { client.get_opt_out(&PKey::new("@a")?).await }
        };
        Operation::new(YieldToHost::new(
            future,
            client.transport().clone(),
            Arc::clone(yielded),
        ))
    }

    fn answer(body: &str) -> Option<Reply> {
        Some(Reply::Response(Ok(http::Response::new(
            body.as_bytes().to_vec(),
        ))))
    }

    #[test]
    fn a_call_waiting_for_another_calls_token_yields_to_the_host_and_then_uses_that_token() {
        let client = oauth_client();
        let (first_yielded, second_yielded) = (Arc::default(), Arc::default());
        let mut first = get_opt_out(&client, &first_yielded);
        let mut second = get_opt_out(&client, &second_yielded);

        let Step::Send(token_request) = first.resume(None) else {
            panic!("the first call should ask IMS for a token");
        };
        assert!(token_request.uri().to_string().ends_with("/ims/token/v3"));

        // The second call finds the exchange in progress: it must pause, not fail, and wait
        // longer each time it finds the exchange still running.
        for expected in [1, 2, 4, 8] {
            match second.resume(Some(Reply::Slept)) {
                Step::Sleep(pause) => assert_eq!(pause, YIELD_PAUSE * expected),
                other => panic!("expected a pause, got {other:?}"),
            }
            assert!(second_yielded.swap(false, std::sync::atomic::Ordering::AcqRel));
        }

        let Step::Send(get) = first.resume(answer(r#"{"access_token":"tok-1","expires_in":3600}"#))
        else {
            panic!("the first call should now send its GET");
        };
        assert_eq!(get.headers()["authorization"], "Bearer tok-1");
        assert!(matches!(
            first.resume(answer(r#"{"PKey":"@a","ccpaOptOut":true}"#)),
            Step::Done(Ok(true))
        ));

        let Step::Send(get) = second.resume(Some(Reply::Slept)) else {
            panic!("the second call should send its GET with the shared token");
        };
        assert_eq!(get.headers()["authorization"], "Bearer tok-1");
        assert!(matches!(
            second.resume(answer(r#"{"PKey":"@a","ccpaOptOut":false}"#)),
            Step::Done(Ok(false))
        ));
        assert!(!second_yielded.load(std::sync::atomic::Ordering::Acquire));
    }
}
