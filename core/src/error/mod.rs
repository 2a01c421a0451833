//! The one error model shared by the core and every binding: a stable `kind` plus context.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

// The same model as the one error enum that Kotlin, Swift and Python see through UniFFI.
#[cfg(feature = "uniffi")]
mod ffi;
#[cfg(feature = "uniffi")]
pub use ffi::CcpaOptOutError;

/// What went wrong, as a stable name that callers branch on.
///
/// The strings returned by [`ErrorKind::as_str`] are part of the public contract: JavaScript sees
/// them as `err.kind` and Python as the exception class name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input, refused before anything was sent.
    Validation,
    /// Bad client configuration: organization, base URL, credentials.
    Config,
    /// The gateway refused the credentials (401 or 403).
    Auth,
    /// The resource does not exist (404).
    NotFound,
    /// Still rate limited (429) after the retry policy gave up.
    RateLimited,
    /// A 5xx answer after the retry policy gave up.
    Server,
    /// Any other non-2xx answer.
    Http,
    /// The request did not complete: network failure or timeout.
    Transport,
    /// A 2xx answer whose body is not what the API promises.
    Decode,
}

impl ErrorKind {
    /// Every kind, in the order of the contract's table.
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::Validation,
        ErrorKind::Config,
        ErrorKind::Auth,
        ErrorKind::NotFound,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Http,
        ErrorKind::Transport,
        ErrorKind::Decode,
    ];

    /// The stable name of this kind, e.g. `"NotFound"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "Validation",
            ErrorKind::Config => "Config",
            ErrorKind::Auth => "Auth",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::RateLimited => "RateLimited",
            ErrorKind::Server => "Server",
            ErrorKind::Http => "Http",
            ErrorKind::Transport => "Transport",
            ErrorKind::Decode => "Decode",
        }
    }

    /// The kind for a non-2xx HTTP status, per the contract (401/403, 404, 429, 5xx, other).
    pub const fn from_status(status: u16) -> ErrorKind {
        match status {
            401 | 403 => ErrorKind::Auth,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Http,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from any part of ccpa-optout.
///
/// Branch on [`Error::kind`]; the other accessors give the context the kind carries
/// (`field` for `Validation`, `status` and `error_code` for HTTP kinds, `retry_after` for
/// `RateLimited`, `excerpt` for `Decode`). No secret is ever stored in an error.
///
/// ```
/// use ccpa_optout::{ErrorKind, PKey};
///
/// let err = PKey::new("../admin").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert_eq!(err.field(), Some("pkey"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    field: Option<String>,
    status: Option<u16>,
    error_code: Option<String>,
    retry_after: Option<Duration>,
    excerpt: Option<String>,
    retryable: bool,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            field: None,
            status: None,
            error_code: None,
            retry_after: None,
            excerpt: None,
            retryable: false,
        }
    }

    /// Bad input for `field`; nothing was sent.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut err = Error::new(ErrorKind::Validation, message);
        err.field = Some(field.into());
        err
    }

    /// Bad client configuration; `field` names the setting (e.g. `"baseUrl"`).
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut err = Error::new(ErrorKind::Config, message);
        err.field = Some(field.into());
        err
    }

    /// A non-2xx answer. The kind follows the status; `retryable` is true for the statuses the
    /// default retry policy retries (429, 502, 503, 504).
    pub fn http_status(
        status: u16,
        error_code: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        let mut err = Error::new(ErrorKind::from_status(status), message);
        err.status = Some(status);
        err.error_code = error_code;
        err.retryable = matches!(status, 429 | 502 | 503 | 504);
        err
    }

    /// A network failure or timeout. Always retryable: the request may not have reached ACS.
    pub fn transport(message: impl Into<String>) -> Self {
        let mut err = Error::new(ErrorKind::Transport, message);
        err.retryable = true;
        err
    }

    /// A 2xx answer whose body breaks the promised shape; `excerpt` is a short, redacted view.
    pub fn decode(message: impl Into<String>, excerpt: impl Into<String>) -> Self {
        let mut err = Error::new(ErrorKind::Decode, message);
        err.excerpt = Some(excerpt.into());
        err
    }

    /// The same error, carrying the server's `Retry-After` (seconds, rounded up).
    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// The same error, naming the field it concerns (e.g. the opt-out field of a `Decode` error).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same error under another kind, for answers whose status undersells them (IMS
    /// refuses bad client credentials with a 400, which is an `Auth` problem for the caller).
    pub(crate) fn reclassified(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// The stable kind to branch on.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// A human-readable description, free of secrets.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The input or setting at fault (`Validation`, `Config`, and `Decode` of a named field).
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The HTTP status, for errors that come from an answer.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The vendor code: ACS `error_code` (e.g. `401013`), else the first `RST-`/`XTK-` code.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    /// How long the server asked us to wait (`RateLimited`, 503).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// A short, redacted excerpt of a body that could not be decoded.
    pub fn excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    /// Whether trying the same call again later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Replaces every occurrence of each secret in the message, the excerpt and the vendor
    /// code, and every piece of one that is at least 8 characters long or that a shortened text
    /// ends with.
    ///
    /// Errors are built from our own text and short server excerpts; a server (or proxy) that
    /// echoes a header back could still put a token there, so the client scrubs the secrets it
    /// holds before an error leaves it.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        // Whole secrets go first, longest first: one may contain pieces of another.
        let mut secrets: Vec<&str> = secrets
            .iter()
            .copied()
            .filter(|s| s.len() >= MIN_REDACTED_LEN)
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let texts = [
            Some(&mut self.message),
            self.excerpt.as_mut(),
            self.error_code.as_mut(),
        ];
        for text in texts.into_iter().flatten() {
            for secret in &secrets {
                if text.contains(secret) {
                    *text = text.replace(secret, "[redacted]");
                }
            }
            for secret in &secrets {
                redact_cut_off(text, secret);
            }
            redact_fragments(text, &secrets);
        }
        self
    }
}

/// Secrets shorter than this are not searched for (they would match ordinary words).
const MIN_REDACTED_LEN: usize = 4;

/// Pieces of a secret at least this long are scrubbed wherever they appear.
const MIN_FRAGMENT_LEN: usize = 8;

/// Server text is cut to a bounded length and marked with "…"; the cut may fall inside an
/// echoed secret, leaving its first characters at the end.
fn redact_cut_off(text: &mut String, secret: &str) {
    let Some(kept) = text.strip_suffix('…') else {
        return;
    };
    let partial = (MIN_REDACTED_LEN..secret.len())
        .rev()
        .find(|&n| secret.get(..n).is_some_and(|head| kept.ends_with(head)));
    if let Some(n) = partial {
        let start = kept.len() - n;
        text.replace_range(start..kept.len(), "[redacted]");
    }
}

/// Scrubs every run of text made of pieces of the secrets at least [`MIN_FRAGMENT_LEN`] long:
/// a body excerpt is cut by shape (credential-like runs, length) before the client knows which
/// secrets to look for, which can split an echoed secret into pieces no exact match finds. All
/// secrets are looked for at once, since two credentials may share a piece.
fn redact_fragments(text: &mut String, secrets: &[&str]) {
    let secrets: Vec<Vec<char>> = secrets.iter().map(|s| s.chars().collect()).collect();
    let pieces: HashSet<&[char]> = secrets
        .iter()
        .flat_map(|secret| secret.windows(MIN_FRAGMENT_LEN))
        .collect();
    if pieces.is_empty() {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut hidden = vec![false; chars.len()];
    for (start, window) in chars.windows(MIN_FRAGMENT_LEN).enumerate() {
        if pieces.contains(window) {
            hidden[start..start + MIN_FRAGMENT_LEN].fill(true);
        }
    }
    if !hidden.contains(&true) {
        return;
    }
    let mut scrubbed = String::with_capacity(text.len());
    for (index, c) in chars.iter().enumerate() {
        match (hidden[index], index > 0 && hidden[index - 1]) {
            (false, _) => scrubbed.push(*c),
            (true, false) => scrubbed.push_str("[redacted]"),
            (true, true) => {}
        }
    }
    *text = scrubbed;
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(status) = self.status {
            write!(f, " ({status}")?;
            if let Some(code) = &self.error_code {
                write!(f, " {code}")?;
            }
            f.write_str(")")?;
        }
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// The result type of every fallible ccpa-optout function.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_follows_the_status() {
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Auth);
        assert_eq!(ErrorKind::from_status(403), ErrorKind::Auth);
        assert_eq!(ErrorKind::from_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::RateLimited);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::Server);
        assert_eq!(ErrorKind::from_status(409), ErrorKind::Http);
    }

    #[test]
    fn display_names_kind_status_code_and_field() {
        let err = Error::http_status(401, Some("401013".into()), "Oauth token is not valid");
        assert_eq!(
            err.to_string(),
            "Auth (401 401013): Oauth token is not valid"
        );
        let err = Error::validation("ccpaOptOut", "must be a JSON boolean");
        assert_eq!(
            err.to_string(),
            "Validation [ccpaOptOut]: must be a JSON boolean"
        );
    }

    #[test]
    fn redact_scrubs_message_and_excerpt() {
        let err =
            Error::decode("body echoed tok-123456", "Bearer tok-123456").redact(&["tok-123456"]);
        assert!(!format!("{err:?}").contains("tok-123456"));
    }

    #[test]
    fn only_gateway_and_overload_statuses_are_retryable() {
        for status in [429, 502, 503, 504] {
            assert!(
                Error::http_status(status, None, "").is_retryable(),
                "{status}"
            );
        }
        for status in [400, 401, 404, 500] {
            assert!(
                !Error::http_status(status, None, "").is_retryable(),
                "{status}"
            );
        }
    }
}
