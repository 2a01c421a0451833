//! Receiver API keys (compared in constant time, kept only as digests) and the random values
//! the receiver makes: request ids and demo credentials.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::ConfigError;

/// The shortest receiver API key accepted: 128 bits of hex.
pub const MIN_API_KEY_LEN: usize = 32;

/// The receiver API keys a backend may present as `Authorization: Bearer <key>`.
///
/// Only SHA-256 digests are kept; a presented key is hashed and compared with every digest
/// without stopping early, so neither the time nor the length of a key tells anything.
#[derive(Clone, Default)]
pub struct ApiKeys {
    digests: Vec<[u8; 32]>,
}

impl ApiKeys {
    /// The keys given; each at least [`MIN_API_KEY_LEN`] visible ASCII characters.
    pub fn new<I, K>(keys: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let mut digests = Vec::new();
        for (index, key) in keys.into_iter().enumerate() {
            let key = key.as_ref();
            if key.len() < MIN_API_KEY_LEN || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ConfigError(format!(
                    "receiver API key {} must be at least {MIN_API_KEY_LEN} visible ASCII characters",
                    index + 1
                )));
            }
            digests.push(digest(key));
        }
        Ok(ApiKeys { digests })
    }

    /// The keys of a key file: one a line; blank lines and lines starting with `#` skipped.
    pub fn from_file_text(text: &str) -> Result<Self, ConfigError> {
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'));
        let keys = ApiKeys::new(keys)?;
        if keys.digests.is_empty() {
            return Err(ConfigError("the API key file holds no key".to_owned()));
        }
        Ok(keys)
    }

    /// Whether `presented` is one of the keys.
    pub fn accepts(&self, presented: &str) -> bool {
        let presented = digest(presented);
        let mut found = subtle::Choice::from(0);
        for known in &self.digests {
            found |= known.ct_eq(&presented);
        }
        found.into()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.digests.len()
    }

    /// Whether there is none (then no backend can post).
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

/// Never prints a key or its digest.
impl fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeys({} keys)", self.digests.len())
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// `bytes` random bytes from the operating system, as lowercase hex.
pub fn random_hex(bytes: usize) -> Result<String, ConfigError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer)
        .map_err(|e| ConfigError(format!("the operating system gave no random bytes: {e}")))?;
    Ok(buffer.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new request id: `oo_` and 128 random bits (unguessable, so ids reveal nothing).
pub fn new_request_id() -> Result<String, ConfigError> {
    Ok(format!("oo_{}", random_hex(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "rk_0123456789abcdef0123456789abcdef";

    #[test]
    fn keys_match_exactly_and_short_ones_are_refused() {
        let keys = ApiKeys::from_file_text(&format!("# backend\n\n {KEY} \n")).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(keys.accepts(KEY));
        assert!(!keys.accepts(&KEY[..KEY.len() - 1]));
        assert!(!keys.accepts(""));
        assert!(ApiKeys::new(["short"]).is_err());
        assert!(ApiKeys::from_file_text("# nothing\n").is_err());
        assert!(!format!("{keys:?}").contains("rk_"));
    }

    #[test]
    fn random_ids_differ_and_have_their_prefix() {
        let (a, b) = (new_request_id().unwrap(), new_request_id().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("oo_") && a.len() == 35);
    }
}
