//! The GPP header: type, version and the section ids as a Fibonacci range.

use super::bits::{BitReader, malformed};
use crate::error::Result;

/// The section ids of a GPP header. `max_sections` (how many sections follow the header)
/// bounds the expansion of ranges, so a forged range cannot allocate more than the input.
pub(crate) fn decode_header(header: &str, max_sections: usize) -> Result<Vec<u32>> {
    let mut bits = BitReader::new(header, "header")?;
    let kind = bits.int(6)?;
    if kind != 3 {
        let hint = if header.starts_with('C') {
            " (a string starting with C is a bare TCF consent string, not GPP)"
        } else {
            ""
        };
        return Err(malformed(
            "header",
            &format!("has type {kind}, not 3{hint}"),
        ));
    }
    let version = bits.int(6)?;
    if version != 1 {
        return Err(malformed(
            "header",
            &format!("has version {version}; only version 1 is defined"),
        ));
    }
    let too_many = || {
        malformed(
            "header",
            &format!("lists more sections than the {max_sections} the string holds"),
        )
    };
    let entries = bits.int(12)?;
    let mut ids = Vec::new();
    let mut last = 0u32;
    for _ in 0..entries {
        let is_group = bits.boolean()?;
        let first = offset(last, bits.fibonacci()?)?;
        let end = if is_group {
            offset(first, bits.fibonacci()?)?
        } else {
            first
        };
        for id in first..=end {
            if ids.len() >= max_sections {
                return Err(too_many());
            }
            ids.push(id);
        }
        last = end;
    }
    bits.finish()?;
    Ok(ids)
}

fn offset(base: u32, by: u32) -> Result<u32> {
    base.checked_add(by)
        .ok_or_else(|| malformed("header", "has a section id too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_ranges_from_the_spec() {
        assert_eq!(decode_header("DBABM", 1).unwrap(), [2]);
        assert_eq!(decode_header("DBACNY", 2).unwrap(), [2, 6]);
        assert_eq!(decode_header("DBABjw", 2).unwrap(), [5, 6]);
        assert_eq!(decode_header("DBABL", 1).unwrap(), [7]);
        assert_eq!(decode_header("DBABLA", 1).unwrap(), [7]);
    }

    /// URL-safe base64 of a string of `0`/`1`, zero-padded to six bits a character.
    fn pack(bits: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bits = bits.to_owned();
        while !bits.len().is_multiple_of(6) {
            bits.push('0');
        }
        (0..bits.len() / 6)
            .map(|i| {
                char::from(ALPHABET[usize::from_str_radix(&bits[i * 6..i * 6 + 6], 2).unwrap()])
            })
            .collect()
    }

    #[test]
    fn a_forged_range_cannot_outgrow_the_input() {
        // One group entry from 1 to 1 + (a Fibonacci offset near a billion), against a
        // string with one section: refused after the second id, nothing large allocated.
        let huge = format!("{}1", "01".repeat(22));
        let header = pack(&format!("000011000001000000000001111{huge}"));
        let err = decode_header(&header, 1).unwrap_err();
        assert!(err.message().contains("more sections"), "{err}");
        assert!(decode_header(&header, 0).is_err());
    }
}
