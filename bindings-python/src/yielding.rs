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

/// The pause the host takes before the waiting operation looks again.
pub(crate) const YIELD_PAUSE: Duration = Duration::from_millis(1);

/// Polls that may be repeated at once after a wake-up, before pausing anyway.
const MAX_REPOLLS: usize = 64;

type Pause = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A client future that yields to the host while it waits on something other than the host.
pub(crate) struct YieldToHost<F> {
    inner: Pin<Box<F>>,
    transport: HostTransport,
    pause: Option<Pause>,
    yielded: Arc<AtomicBool>,
}

impl<F> YieldToHost<F> {
    /// Wraps `inner`; `yielded` is set whenever the next sleep step is such a pause.
    pub(crate) fn new(inner: F, transport: HostTransport, yielded: Arc<AtomicBool>) -> Self {
        YieldToHost {
            inner: Box::pin(inner),
            transport,
            pause: None,
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
                return poll;
            }
            if probe.woken.load(Ordering::Acquire) {
                // What it waited on is ready already: look again now.
                continue;
            }
            if Arc::strong_count(&probe) == 1 {
                // Nobody kept the waker: the future is parked on a host call.
                return Poll::Pending;
            }
            break;
        }
        let transport = this.transport.clone();
        let mut pause: Pause = Box::pin(async move { transport.sleep(YIELD_PAUSE).await });
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
