//! Query strings decoded strictly: `+` is a space, `%XX` must give UTF-8, the first value wins.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};

use crate::acs_error::AcsError;

/// Everything but RFC 3986 unreserved characters and `@` (legal in a query, and how ACS shows
/// `_lineStart=@…`) is encoded: `+` becomes `%2B`, a space `%20`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Decoded query parameters, in order.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Decodes a raw query string (`None` = no `?`).
    pub fn parse(raw: Option<&str>) -> Result<Query, AcsError> {
        let mut pairs = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(name)?, decode(value)?));
        }
        Ok(Query(pairs))
    }

    /// The first value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every parameter except those named in `without`, in order.
    pub fn pairs_without<'a>(
        &'a self,
        without: &'a [&str],
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter(move |(name, _)| !without.contains(&name.as_str()))
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Encodes `(name, value)` pairs into a query string.
    pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
        pairs
            .into_iter()
            .map(|(name, value)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(name, COMPONENT),
                    utf8_percent_encode(value, COMPONENT)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn decode(raw: &str) -> Result<String, AcsError> {
    let spaced = raw.replace('+', " ");
    let bytes: Vec<u8> = percent_decode(spaced.as_bytes()).collect();
    let text = String::from_utf8(bytes).map_err(|_| {
        AcsError::bad_request("Invalid query string: not valid UTF-8 once percent-decoded")
    })?;
    if text.chars().any(char::is_control) {
        return Err(AcsError::bad_request(
            "Invalid query string: control characters are not allowed",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_percent() {
        let q = Query::parse(Some("email=a%2Bb%40x.com&_order=email+desc&_order=x&flag")).unwrap();
        assert_eq!(q.get("email"), Some("a+b@x.com"));
        assert_eq!(q.get("_order"), Some("email desc"));
        assert_eq!(q.get("flag"), Some(""));
        assert!(Query::parse(Some("email=%FF")).is_err());
        assert!(Query::parse(Some("email=%0A")).is_err());
    }

    #[test]
    fn encodes_like_acs_docs() {
        assert_eq!(
            Query::encode([("_order", "email desc"), ("email", "a+b@x.com")]),
            "_order=email%20desc&email=a%2Bb@x.com"
        );
    }
}
