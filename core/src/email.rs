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
    ///
    /// The local part is an RFC 5322 dot-atom (letters, digits, ``!#$%&'*+-/=?^_`{|}~`` and
    /// non-ASCII letters per RFC 6531, in dot-separated runs: no leading, trailing or doubled
    /// dot) or a quoted string (`"a..b"@example.com`, where even `@` may appear). So
    /// `user@@example.com` and `a@b@c.example.com` are refused as malformed rather than looked
    /// up and reported as "no such consumer". The domain is a dot-atom or an address literal
    /// (`[192.0.2.1]`).
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
        // The domain never holds an `@`, so the last one splits a quoted local part correctly.
        let Some((local, domain)) = value.rsplit_once('@') else {
            return refuse("the email must look like name@domain");
        };
        if local.is_empty() || domain.is_empty() {
            return refuse("the email must look like name@domain");
        }
        if !is_quoted_string(local) {
            if local.contains('@') {
                return refuse("the email has more than one @ outside quotes");
            }
            if !is_dot_atom(local) {
                return refuse(
                    "the part before @ has a character or a dot that RFC 5322 forbids there \
                     (quote it, as in \"a..b\"@example.com, if the mailbox really has it)",
                );
            }
        }
        if !is_dot_atom(domain) && !is_address_literal(domain) {
            return refuse("the part after @ is not a domain name");
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

/// RFC 5322 `atext`, widened to every non-ASCII character as RFC 6531 (SMTPUTF8) does.
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii()
}

/// `atext` runs joined by single dots: no empty run, so no leading, trailing or double dot.
fn is_dot_atom(text: &str) -> bool {
    text.split('.')
        .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

/// `"…"`: any printable text, with `"` and `\` only as a quoted pair (`\"`, `\\`).
fn is_quoted_string(text: &str) -> bool {
    let Some(inner) = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            _ => {}
        }
    }
    true
}

/// `[…]`: an address literal such as `[192.0.2.1]` or `[IPv6:2001:db8::1]`.
fn is_address_literal(text: &str) -> bool {
    text.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|inner| {
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !matches!(c, '[' | ']' | '\\'))
        })
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
            "user@@example.com",
            "a@b@c.example.com",
            ".ana@example.com",
            "ana.@example.com",
            "an..a@example.com",
            "ana(x)@example.com",
            "ana,b@example.com",
            "a\"b@example.com",
            "\"ana@example.com",
            "ana@example..com",
            "ana@.example.com",
            "ana@[192.0.2.1",
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
    fn every_shape_rfc_5322_allows_is_kept() {
        for good in [
            "ana@example.com",
            "o'brien+ccpa@example.co.uk",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "\"ana.maria.\"@example.com",
            "\"a@b\"@example.com",
            "\"a..b\"@example.com",
            "\"a\\\"b\"@example.com",
            "josé@exemplo.com.br",
            "ana@[192.0.2.1]",
            "ana@localhost",
        ] {
            assert_eq!(Email::new(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn addresses_are_kept_exactly() {
        assert_eq!(
            Email::new("Ana.Silva+ccpa@Example.COM").unwrap().as_str(),
            "Ana.Silva+ccpa@Example.COM"
        );
    }
}
