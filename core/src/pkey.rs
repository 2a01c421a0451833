//! Profile primary keys: opaque strings, validated once and encoded as one URL path segment.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// Everything but the unreserved characters and `@` is escaped, so a PKey is always exactly one
/// path segment (`@` is legal in a segment and keeps ACS keys readable).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// The longest PKey accepted, in bytes. ACS keys are tens of bytes; custom keys stay short too.
pub const MAX_PKEY_LEN: usize = 512;

/// A profile's primary key, e.g. `@Zk3q9Lw2TfR0`.
///
/// PKeys are opaque and server-made. The constructor accepts a key as ACS returns it or already
/// percent-encoded (`%40…`, as Adobe's SDK writes it), and refuses anything that could escape its
/// path segment: `/`, `\`, `?`, `#`, `%` (after decoding once), whitespace or control characters,
/// `.` and `..`, the empty key, or more than [`MAX_PKEY_LEN`] bytes.
///
/// ```
/// use ccpa_optout::PKey;
///
/// let pkey = PKey::new("%40Zk3q9Lw2TfR0")?;
/// assert_eq!(pkey.as_str(), "@Zk3q9Lw2TfR0");
/// assert_eq!(pkey.to_path_segment(), "@Zk3q9Lw2TfR0");
/// assert!(PKey::new("@abc%2F..%2Fadmin").is_err());
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PKey(String);

impl PKey {
    /// Validates a key, decoding percent-escapes once.
    pub fn new(value: &str) -> Result<Self> {
        let decoded = percent_decode_str(value).decode_utf8().map_err(|_| {
            Error::validation("pkey", "the PKey is not valid UTF-8 once percent-decoded")
        })?;
        check(&decoded)?;
        Ok(PKey(decoded.into_owned()))
    }

    /// The decoded key, as ACS returns it in `PKey`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key percent-encoded as one URL path segment.
    pub fn to_path_segment(&self) -> String {
        utf8_percent_encode(&self.0, SEGMENT).to_string()
    }
}

fn check(key: &str) -> Result<()> {
    let refuse = |why: &str| Err(Error::validation("pkey", why));
    if key.is_empty() {
        return refuse("the PKey is empty");
    }
    if key.len() > MAX_PKEY_LEN {
        return refuse("the PKey is longer than 512 bytes");
    }
    if key == "." || key == ".." {
        return refuse("the PKey cannot be \".\" or \"..\"");
    }
    if let Some(bad) = key
        .chars()
        .find(|c| matches!(c, '/' | '\\' | '?' | '#' | '%') || c.is_whitespace() || c.is_control())
    {
        let shown = if bad.is_control() || bad.is_whitespace() {
            format!("U+{:04X}", u32::from(bad))
        } else {
            format!("'{bad}'")
        };
        return refuse(&format!(
            "the PKey contains {shown}, which cannot appear in an ACS key"
        ));
    }
    Ok(())
}

impl fmt::Debug for PKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PKey({:?})", self.0)
    }
}

impl fmt::Display for PKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PKey {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        PKey::new(value)
    }
}

// Kotlin and Swift see a PKey as its text (`@Zk3q9Lw2TfR0`), checked on its way back in.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(PKey, String, {
    lower: |pkey| pkey.0,
    try_lift: |text| Ok(PKey::new(&text)?),
});

impl Serialize for PKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        PKey::new(&raw).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_and_raw_at_signs_are_the_same_key() {
        assert_eq!(PKey::new("%40abc").unwrap(), PKey::new("@abc").unwrap());
    }

    #[test]
    fn keys_that_escape_their_segment_are_refused() {
        for bad in [
            "", ".", "..", "%2E%2E", "a/b", "a%2Fb", "a?b", "a#b", "a\\b", "a b", "a\r\nb", "a\0",
            "%2540", "%FF",
        ] {
            let err = PKey::new(bad).unwrap_err();
            assert_eq!(err.field(), Some("pkey"), "{bad:?}");
        }
        assert!(PKey::new(&"@".repeat(MAX_PKEY_LEN + 1)).is_err());
    }

    #[test]
    fn segment_encoding_keeps_base64_safe_chars_and_escapes_the_rest() {
        let pkey = PKey::new("@a-b_c.d~e+f=g:h").unwrap();
        assert_eq!(pkey.to_path_segment(), "@a-b_c.d~e%2Bf%3Dg%3Ah");
        assert_eq!(PKey::new(&pkey.to_path_segment()).unwrap(), pkey);
    }

    #[cfg(feature = "uniffi")]
    #[test]
    fn a_pkey_crosses_the_ffi_as_its_text_and_is_checked_coming_back() {
        use uniffi::{Lift, Lower};
        let pkey = PKey::new("%40abc").unwrap();
        let text = <PKey as Lower<crate::UniFfiTag>>::lower(pkey.clone());
        assert_eq!(
            <String as Lift<crate::UniFfiTag>>::try_lift(text).unwrap(),
            "@abc"
        );
        let back = <PKey as Lower<crate::UniFfiTag>>::lower(pkey.clone());
        assert_eq!(
            <PKey as Lift<crate::UniFfiTag>>::try_lift(back).unwrap(),
            pkey
        );
        let bad = <String as Lower<crate::UniFfiTag>>::lower("a/b".to_owned());
        assert!(<PKey as Lift<crate::UniFfiTag>>::try_lift(bad).is_err());
    }
}
