//! Email addresses as ACS filters on them: checked for shape, otherwise passed through untouched.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// The longest email ACS stores (`email` is a `string(128)`).
pub const MAX_EMAIL_LEN: usize = 128;

/// An email address to look profiles up by.
///
/// ACS matches `byEmail` exactly, so the address is kept as given (no case folding, no
/// trimming); only shapes that can never match, or could break a URL or header, are refused.
///
/// ```
/// use ccpa_optout::Email;
///
/// assert!(Email::new("ana@example.com").is_ok());
/// assert!(Email::new("ana@example.com\r\nBcc: x").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Checks `local@domain`, at most 128 bytes, without whitespace or control characters.
    pub fn new(value: &str) -> Result<Self> {
        let refuse = |why: &str| Err(Error::validation("email", why));
        if value.is_empty() {
            return refuse("the email is empty");
        }
        if value.len() > MAX_EMAIL_LEN {
            return refuse("the email is longer than 128 bytes, the most ACS stores");
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return refuse("the email contains whitespace or a control character");
        }
        match value.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {}
            _ => return refuse("the email must look like name@domain"),
        }
        Ok(Email(value.to_owned()))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({:?})", self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Email {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        Email::new(value)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Email::new(&raw).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_that_cannot_match_are_refused() {
        for bad in [
            "",
            "ana",
            "@example.com",
            "ana@",
            "ana @example.com",
            "ana@example.com\n",
            "a\0@b",
        ] {
            assert_eq!(
                Email::new(bad).unwrap_err().field(),
                Some("email"),
                "{bad:?}"
            );
        }
        assert!(Email::new(&format!("{}@example.com", "a".repeat(120))).is_err());
    }

    #[test]
    fn addresses_are_kept_exactly() {
        assert_eq!(
            Email::new("Ana.Silva+ccpa@Example.COM").unwrap().as_str(),
            "Ana.Silva+ccpa@Example.COM"
        );
    }
}
