//! Running client operations step by step, for hosts that do their I/O outside Rust.
//!
//! Python (sync and asyncio) and UniFFI hosts cannot hand Rust a future to await. Instead they
//! start an [`Operation`] and loop: the operation says what it needs next ([`Step::Send`] a
//! request, [`Step::Sleep`], [`Step::Token`]), the host does it its own way and calls
//! [`Operation::resume`] with the [`Reply`], until [`Step::Done`]. The operation is the same
//! async [`Client`](crate::Client) code every other host runs, over a [`HostTransport`] whose
//! calls park until the host replies — so retries, refresh and pagination live only in the core.
//! An operation that waits on another one of the same client (two calls sharing one OAuth
//! token exchange) asks for short [`Step::Sleep`]s until it can go on.
//!
//! ```
//! use std::sync::Arc;
//! use ccpa_optout::driver::{HostTransport, Operation, Reply, Step};
//! use ccpa_optout::{AccessToken, ApiConfig, ApiKey, Client, ClientConfig, Credentials, Organization, PKey};
//!
//! let api = ApiConfig::new(Organization::new("acme")?, ApiKey::new("key")?);
//! let config = ClientConfig::new(api, Credentials::AccessToken(AccessToken::new("token")?));
//! let client = Arc::new(Client::new(config, HostTransport::new(std::time::SystemTime::now)));
//! let pkey = PKey::new("@a")?;
//! let mut operation = Operation::new({
//!     let client = Arc::clone(&client);
//!     async move { client.get_opt_out(&pkey).await }
//! });
//! let mut reply = None;
//! let opted_out = loop {
//!     match operation.resume(reply.take()) {
//!         Step::Send(request) => {
//!             assert_eq!(request.method(), "GET");
//!             let answer = http::Response::new(br#"{"PKey":"@a","ccpaOptOut":true}"#.to_vec());
//!             reply = Some(Reply::Response(Ok(answer)));
//!         }
//!         Step::Sleep(_) => reply = Some(Reply::Slept),
//!         Step::Token { .. } => unreachable!("a fixed token needs no provider"),
//!         Step::Done(result) => break result?,
//!     }
//! };
//! assert!(opted_out);
//! # Ok::<(), ccpa_optout::Error>(())
//! ```

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

use crate::request::HttpRequest;
use crate::response::HttpResponse;
use crate::secret::AccessToken;
use crate::token_provider::{TokenFuture, TokenProvider};
use crate::transport::{Transport, TransportError};
use crate::{Error, Result};

/// What an operation needs from the host before it can go on.
pub enum Step<O> {
    /// Send this request (honouring its [`crate::RequestLimits`]) and reply with the answer.
    Send(HttpRequest),
    /// Wait this long, then reply [`Reply::Slept`].
    Sleep(Duration),
    /// Get an access token from the host's provider (`refresh` after a 401).
    Token {
        /// Whether the last token was refused.
        refresh: bool,
    },
    /// The operation finished.
    Done(Result<O>),
}

impl<O> fmt::Debug for Step<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Send(request) => write!(f, "Send({} {})", request.method(), request.uri()),
            Step::Sleep(duration) => write!(f, "Sleep({duration:?})"),
            Step::Token { refresh } => write!(f, "Token {{ refresh: {refresh} }}"),
            Step::Done(result) => write!(f, "Done(ok: {})", result.is_ok()),
        }
    }
}

/// The host's answer to the last [`Step`].
#[derive(Debug)]
pub enum Reply {
    /// The answer to [`Step::Send`], or why none arrived.
    Response(std::result::Result<HttpResponse, TransportError>),
    /// [`Step::Sleep`] is over.
    Slept,
    /// The answer to [`Step::Token`].
    Token(Result<AccessToken>),
}

enum Need {
    Send(Box<HttpRequest>),
    Sleep(Duration),
    Token(bool),
}

/// Where a parked host call and its operation's driver meet.
#[derive(Default)]
struct Exchange {
    need: Option<Need>,
    reply: Option<Reply>,
}

type Shared = Arc<Mutex<Exchange>>;

thread_local! {
    /// The exchange of the operation being polled on this thread. Set only around a poll, so a
    /// host call always reaches the operation that is polling it, even with many in flight.
    static POLLING: RefCell<Option<Shared>> = const { RefCell::new(None) };
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Exchange> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The first pause of an operation that waits on another one; it doubles up to the maximum.
const IDLE_PAUSE: Duration = Duration::from_millis(1);

/// The longest pause between two looks at an operation that waits on another one.
const MAX_IDLE_PAUSE: Duration = Duration::from_millis(50);

/// A client operation that the host drives with [`Operation::resume`].
pub struct Operation<O> {
    future: Pin<Box<dyn Future<Output = Result<O>> + Send>>,
    exchange: Shared,
    finished: bool,
    idle_polls: u32,
}

impl<O> Operation<O> {
    /// Wraps the future of a client call over a [`HostTransport`].
    pub fn new(future: impl Future<Output = Result<O>> + Send + 'static) -> Self {
        Operation {
            future: Box::pin(future),
            exchange: Shared::default(),
            finished: false,
            idle_polls: 0,
        }
    }

    /// Runs the operation until it needs the host again. Pass `None` the first time and the
    /// reply to the previous step after that.
    pub fn resume(&mut self, reply: Option<Reply>) -> Step<O> {
        if self.finished {
            return Step::Done(Err(Error::config(
                "operation",
                "this operation has already finished",
            )));
        }
        lock(&self.exchange).reply = reply;
        let previous = POLLING.with(|cell| cell.replace(Some(Arc::clone(&self.exchange))));
        let poll = self
            .future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()));
        POLLING.with(|cell| cell.replace(previous));
        match poll {
            Poll::Ready(result) => {
                self.finished = true;
                Step::Done(result)
            }
            Poll::Pending => match lock(&self.exchange).need.take() {
                Some(need) => {
                    self.idle_polls = 0;
                    match need {
                        Need::Send(request) => Step::Send(*request),
                        Need::Sleep(duration) => Step::Sleep(duration),
                        Need::Token(refresh) => Step::Token { refresh },
                    }
                }
                None => {
                    // Waiting on another operation of the same client (e.g. its token exchange):
                    // give the host back control for a moment and look again, backing off so
                    // that many waiting operations do not spin.
                    self.idle_polls = self.idle_polls.saturating_add(1);
                    let exponent = (self.idle_polls - 1).min(6);
                    Step::Sleep((IDLE_PAUSE * (1 << exponent)).min(MAX_IDLE_PAUSE))
                }
            },
        }
    }
}

impl<O> fmt::Debug for Operation<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// A host call waiting for its reply.
struct HostCall {
    need: Option<Need>,
    exchange: Option<Shared>,
}

impl Future for HostCall {
    type Output = Option<Reply>;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Reply>> {
        if let Some(need) = self.need.take() {
            let Some(exchange) = POLLING.with(|cell| cell.borrow().clone()) else {
                // Polled outside `Operation::resume`: there is no host to ask.
                return Poll::Ready(None);
            };
            lock(&exchange).need = Some(need);
            self.exchange = Some(exchange);
            return Poll::Pending;
        }
        match &self.exchange {
            Some(exchange) => match lock(exchange).reply.take() {
                Some(reply) => Poll::Ready(Some(reply)),
                None => Poll::Pending,
            },
            None => Poll::Ready(None),
        }
    }
}

fn ask(need: Need) -> HostCall {
    HostCall {
        need: Some(need),
        exchange: None,
    }
}

fn out_of_order() -> Error {
    Error::config(
        "operation",
        "the host replied to a step with the wrong kind of reply",
    )
}

/// A [`Transport`] whose every call becomes a [`Step`] of the [`Operation`] being driven.
#[derive(Debug, Clone)]
pub struct HostTransport {
    clock: fn() -> SystemTime,
}

impl HostTransport {
    /// A transport that reads the time from `clock` (e.g. `SystemTime::now` on native hosts).
    pub fn new(clock: fn() -> SystemTime) -> Self {
        HostTransport { clock }
    }
}

impl Transport for HostTransport {
    async fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportError> {
        match ask(Need::Send(Box::new(request))).await {
            Some(Reply::Response(result)) => result,
            _ => Err(TransportError::new(
                crate::TransportErrorKind::Other,
                out_of_order().message(),
            )),
        }
    }

    async fn sleep(&self, duration: Duration) {
        // Any reply ends the wait; a wrong one shows up at the next call instead.
        let _ = ask(Need::Sleep(duration)).await;
    }

    fn now(&self) -> SystemTime {
        (self.clock)()
    }
}

/// A [`TokenProvider`] whose every call becomes a [`Step::Token`] of the operation being
/// driven: `Credentials::Provider(Arc::new(HostTokens))` for a host that supplies tokens.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostTokens;

impl TokenProvider for HostTokens {
    fn access_token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(async move {
            match ask(Need::Token(refresh)).await {
                Some(Reply::Token(result)) => result,
                _ => Err(out_of_order()),
            }
        })
    }
}
