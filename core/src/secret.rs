//! Credentials that never show their value: API key, access token, OAuth client secret.

use std::fmt;

use crate::{Error, Result};

/// Defines a secret newtype whose `Debug` and `Display` print only its name.
macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a credential after checking that it can travel in an HTTP header.
            ///
            /// Refuses an empty value and any whitespace or control character (a CR/LF would
            /// let the value inject headers). The error names the setting, never the value.
            pub fn new(value: impl Into<String>) -> Result<Self> {
                let value = value.into();
                check_header_safe(&value, $field)?;
                Ok($name(value))
            }

            /// The secret itself, for building a request. Keep it out of logs.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("***")
            }
        }
    };
}

secret_type!(
    /// The integration's client ID, sent as `X-Api-Key`.
    ApiKey,
    "apiKey"
);
secret_type!(
    /// An IMS access token, sent as `Authorization: Bearer …`.
    AccessToken,
    "accessToken"
);
secret_type!(
    /// The OAuth server-to-server client secret, sent only to the IMS token endpoint.
    ClientSecret,
    "clientSecret"
);

fn check_header_safe(value: &str, field: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::config(field, format!("{field} is empty")));
    }
    // Visible ASCII only: header values must not carry CR, LF, NUL, spaces or non-ASCII bytes.
    if let Some(position) = value.bytes().position(|b| !b.is_ascii_graphic()) {
        return Err(Error::config(
            field,
            format!(
                "{field} contains a character that is not allowed in an HTTP header (at byte {position})"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let token = AccessToken::new("eyJhbGciOiJSUzI1NiJ9.secret-part").unwrap();
        assert_eq!(format!("{token:?}"), "AccessToken(***)");
        assert_eq!(token.to_string(), "***");
        assert_eq!(token.expose(), "eyJhbGciOiJSUzI1NiJ9.secret-part");
    }

    #[test]
    fn header_injection_is_refused_without_echoing_the_value() {
        let err = ApiKey::new("key-1234\r\nX-Evil: 1").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        assert_eq!(err.field(), Some("apiKey"));
        assert!(!err.to_string().contains("key-1234"));
        assert!(AccessToken::new("").is_err());
        assert!(ClientSecret::new("with space").is_err());
        assert!(AccessToken::new("tok\0").is_err());
    }
}
