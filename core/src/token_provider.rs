//! A host's own source of access tokens (a callback, a secret store), carried by the credentials.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::Result;
use crate::secret::AccessToken;

/// The future a [`TokenProvider`] returns. `Send` everywhere but in the browser build, whose
/// providers are JavaScript functions that never leave their thread.
#[cfg(not(target_arch = "wasm32"))]
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken>> + Send + 'a>>;
/// The future a [`TokenProvider`] returns (the browser build: not `Send`).
#[cfg(target_arch = "wasm32")]
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken>> + 'a>>;

/// `Send + Sync` where threads exist; nothing in the browser build.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync + ?Sized> MaybeSendSync for T {}
/// `Send + Sync` where threads exist; nothing in the browser build.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSendSync for T {}

/// Where a client gets its access tokens when the host owns them, used through
/// [`Credentials::Provider`](crate::Credentials::Provider) with any transport.
///
/// `refresh` is true after ACS refused the last token (a 401): return a new one. A closure
/// `Fn(bool) -> impl Future<Output = Result<AccessToken>>` is a provider.
///
/// ```
/// use std::sync::Arc;
/// use ccpa_optout::{AccessToken, Credentials};
///
/// let credentials = Credentials::Provider(Arc::new(|_refresh: bool| async {
///     AccessToken::new(std::env::var("MY_TOKEN").unwrap_or_else(|_| "token".into()))
/// }));
/// assert_eq!(format!("{credentials:?}"), "Provider(TokenProvider)");
/// ```
pub trait TokenProvider: MaybeSendSync {
    /// A token to send; `refresh` after a 401.
    fn access_token(&self, refresh: bool) -> TokenFuture<'_>;
}

#[cfg(not(target_arch = "wasm32"))]
impl<F, Fut> TokenProvider for F
where
    F: Fn(bool) -> Fut + Send + Sync,
    Fut: Future<Output = Result<AccessToken>> + Send + 'static,
{
    fn access_token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(self(refresh))
    }
}

#[cfg(target_arch = "wasm32")]
impl<F, Fut> TokenProvider for F
where
    F: Fn(bool) -> Fut,
    Fut: Future<Output = Result<AccessToken>> + 'static,
{
    fn access_token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(self(refresh))
    }
}

impl fmt::Debug for dyn TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A provider may hold secrets; its name is all a log needs.
        f.write_str("TokenProvider")
    }
}
