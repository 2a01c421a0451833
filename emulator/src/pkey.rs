//! Server-made identifiers: `@`-prefixed PKeys and opaque pagination cursors, both URL-safe base64.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// SplitMix64's finaliser: a bijection on `u64`, so distinct inputs never collide.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The PKey of the record with this sequence number: `@` and 16 URL-safe base64 characters.
///
/// The first 8 bytes are a bijection of the sequence number (unique); the last 4 only make the key
/// look like the long opaque blobs ACS hands out.
pub fn pkey_for(seq: u64) -> String {
    let mut bytes = [0u8; 12];
    bytes[..8].copy_from_slice(&mix(seq ^ 0x0005_EED0_FAC5).to_be_bytes());
    bytes[8..].copy_from_slice(&mix(seq.wrapping_add(1) << 7).to_be_bytes()[..4]);
    format!("@{}", encode(&bytes))
}

/// Encodes bytes as unpadded URL-safe base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Decodes unpadded URL-safe base64; `None` for any other character or an impossible length.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n: u32 = 0;
        for (i, c) in chunk.iter().enumerate() {
            let value = ALPHABET.iter().position(|a| a == c)?;
            n |= (value as u32) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Scrambles or unscrambles a cursor payload, so that a cursor is not readable JSON a client
/// could be tempted to build itself (ACS says: take `_lineStart` only from `next.href`).
fn scramble(bytes: &mut [u8]) {
    let mut state = 0xC0_FFEE_u64;
    for chunk in bytes.chunks_mut(8) {
        state = mix(state);
        for (byte, key) in chunk.iter_mut().zip(state.to_le_bytes()) {
            *byte ^= key;
        }
    }
}

/// An opaque `@…` cursor for a JSON payload.
pub fn cursor_encode(payload: &serde_json::Value) -> String {
    let mut bytes = payload.to_string().into_bytes();
    scramble(&mut bytes);
    format!("@{}", encode(&bytes))
}

/// The JSON payload of a cursor made by [`cursor_encode`]; `None` for anything else.
pub fn cursor_decode(cursor: &str) -> Option<serde_json::Value> {
    let mut bytes = decode(cursor.strip_prefix('@')?)?;
    scramble(&mut bytes);
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..20u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(37).wrapping_add(250))
                .collect();
            assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
        assert_eq!(decode("ab$d"), None);
        assert_eq!(decode("abcde"), None);
    }

    #[test]
    fn pkeys_are_unique_url_safe_and_stable() {
        let keys: std::collections::HashSet<String> = (0..10_000).map(pkey_for).collect();
        assert_eq!(keys.len(), 10_000);
        let key = pkey_for(0);
        assert_eq!(key.len(), 17);
        assert!(key.starts_with('@'));
        assert!(
            key[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(key, pkey_for(0));
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let payload = serde_json::json!({"s": 12, "v": "ana@example.com"});
        let cursor = cursor_encode(&payload);
        assert!(cursor.starts_with('@'));
        assert!(!cursor.contains("ana"));
        assert_eq!(cursor_decode(&cursor), Some(payload));
        assert_eq!(cursor_decode("@gibberish"), None);
        assert_eq!(cursor_decode("25"), None);
    }
}
