//! Reading GPP's bit strings: URL-safe base64 at six bits a character, fixed-width and Fibonacci integers.
//!
//! Every read is bounds-checked and returns a `Validation` error (field `gpp`) instead of
//! running past the end; integers are assembled with checked arithmetic.

use crate::error::{Error, Result};

/// Fibonacci numbers 1, 2, 3, 5, … for Zeckendorf codes; 45 of them stay below `u32::MAX`
/// when summed without neighbours, which is far beyond any section id.
const FIBONACCI: [u32; 45] = fibonacci_table();

const fn fibonacci_table() -> [u32; 45] {
    let mut table = [0u32; 45];
    let (mut a, mut b) = (1u32, 2u32);
    let mut i = 0;
    while i < table.len() {
        table[i] = a;
        let next = a.wrapping_add(b);
        a = b;
        b = next;
        i += 1;
    }
    table
}

/// The six-bit value of a URL-safe base64 character, or `None` for any other byte.
const fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// A cursor over the bits of one base64 part of a GPP string (the header, a section's core
/// or a sub-section), most significant bit of each character first.
pub(crate) struct BitReader<'a> {
    chars: &'a [u8],
    position: usize,
    /// The value of the character `position` is in, loaded when the position enters it.
    current: u8,
    /// What is being read, for error messages: `"header"`, `"usnat section"`, …
    part: &'a str,
}

impl<'a> BitReader<'a> {
    /// Checks the alphabet and prepares to read. Up to two trailing `=` are accepted and
    /// ignored (some writers pad like standard base64); nothing else outside `A–Z a–z 0–9 - _`.
    pub(crate) fn new(text: &'a str, part: &'a str) -> Result<Self> {
        let bytes = text.as_bytes();
        let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
        if padding > 2 {
            return Err(malformed(part, "has more than two '=' at its end"));
        }
        let chars = bytes
            .get(..bytes.len() - padding)
            .ok_or_else(|| malformed(part, "is empty"))?;
        if chars.is_empty() {
            return Err(malformed(part, "is empty"));
        }
        if let Some(index) = chars.iter().position(|b| sextet(*b).is_none()) {
            let shown = text
                .get(index..)
                .and_then(|t| t.chars().next())
                .unwrap_or('?');
            return Err(malformed(
                part,
                &format!(
                    "has {shown:?} at character {}, outside the URL-safe base64 alphabet",
                    index + 1
                ),
            ));
        }
        Ok(BitReader {
            chars,
            position: 0,
            current: 0,
            part,
        })
    }

    /// How many bits the text holds (six per character).
    pub(crate) fn len(&self) -> usize {
        self.chars.len() * 6
    }

    fn bit(&mut self) -> Result<bool> {
        let offset = self.position % 6;
        if offset == 0 {
            self.current = self
                .chars
                .get(self.position / 6)
                .and_then(|c| sextet(*c))
                .ok_or_else(|| malformed(self.part, "ends before its last field"))?;
        }
        self.position += 1;
        Ok((self.current >> (5 - offset)) & 1 == 1)
    }

    /// A one-bit boolean (1 = true, as the section specs and reference libraries use it).
    pub(crate) fn boolean(&mut self) -> Result<bool> {
        self.bit()
    }

    /// An unsigned integer of `width` bits (at most 16), most significant bit first.
    pub(crate) fn int(&mut self, width: u32) -> Result<u16> {
        debug_assert!(width <= 16);
        let mut value = 0u16;
        for _ in 0..width.min(16) {
            value = (value << 1) | u16::from(self.bit()?);
        }
        Ok(value)
    }

    /// A two-bit integer, the width of every field the project reads from US sections.
    pub(crate) fn int2(&mut self) -> Result<u8> {
        Ok(u8::from(self.bit()?) << 1 | u8::from(self.bit()?))
    }

    /// `count` two-bit integers (an `N-Bitfield(2, count)`).
    pub(crate) fn int2_list(&mut self, count: usize) -> Result<Vec<u8>> {
        (0..count).map(|_| self.int2()).collect()
    }

    /// A Zeckendorf-coded integer: Fibonacci bits lowest first, closed by a second `1` in a row.
    pub(crate) fn fibonacci(&mut self) -> Result<u32> {
        let mut value = 0u32;
        let mut previous_one = false;
        for weight in FIBONACCI {
            let one = self.bit()?;
            if one && previous_one {
                return Ok(value);
            }
            if one {
                value = value
                    .checked_add(weight)
                    .ok_or_else(|| malformed(self.part, "has a Fibonacci integer too large"))?;
            }
            previous_one = one;
        }
        // A code longer than the table is not a section id any writer produces.
        Err(malformed(self.part, "has a Fibonacci integer too large"))
    }

    /// The rest must be zero bits: padding. A `1` there means a field this reader does not
    /// know or a corrupt string, so it is refused rather than guessed at.
    pub(crate) fn finish(self) -> Result<()> {
        let offset = self.position % 6;
        // The unread low bits of the current character, then every later character ('A' is 0).
        let current_clear = offset == 0 || self.current & ((1u8 << (6 - offset)) - 1) == 0;
        let later = self
            .chars
            .get(self.position.div_ceil(6)..)
            .unwrap_or_default();
        if current_clear && later.iter().all(|c| *c == b'A') {
            return Ok(());
        }
        Err(malformed(
            self.part,
            &format!(
                "has a 1 bit after its last field (bit {} of {})",
                self.position,
                self.len()
            ),
        ))
    }
}

/// A `Validation` error for a malformed GPP string; `part` says where.
pub(crate) fn malformed(part: &str, problem: &str) -> Error {
    Error::validation("gpp", format!("GPP {part} {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fibonacci_codes_from_the_spec() {
        // 1→11, 2→011, 3→0011, 4→1011, 5→00011, 7→01011 (§3.1); "A" pads with zeros.
        for (text, value) in [
            ("w", 1), // 110000
            ("Y", 2), // 011000
            ("M", 3), // 001100
            ("s", 4), // 101100
            ("G", 5), // 000110
            ("W", 7), // 010110
        ] {
            let mut bits = BitReader::new(text, "test").unwrap();
            assert_eq!(bits.fibonacci().unwrap(), value, "{text}");
            bits.finish().unwrap();
        }
    }

    #[test]
    fn unterminated_fibonacci_is_an_error_not_a_loop() {
        let mut bits = BitReader::new("AAAAAAAAAAAAAAAAAAAA", "test").unwrap();
        assert!(bits.fibonacci().is_err());
        let mut bits = BitReader::new("qqqqqqqqqq", "test").unwrap(); // 101010… never "11"
        assert!(bits.fibonacci().is_err());
    }

    #[test]
    fn alphabet_and_padding() {
        assert!(BitReader::new("DBABM", "header").is_ok());
        assert!(BitReader::new("DBABM=", "header").is_ok());
        assert!(BitReader::new("DBABM==", "header").is_ok());
        assert!(BitReader::new("DBABM===", "header").is_err());
        assert!(BitReader::new("DB=ABM", "header").is_err());
        assert!(BitReader::new("DB+ABM", "header").is_err());
        assert!(BitReader::new("DBé", "header").is_err());
        assert!(BitReader::new("", "header").is_err());
        assert!(BitReader::new("==", "header").is_err());
    }

    #[test]
    fn reads_past_the_end_fail() {
        let mut bits = BitReader::new("A", "test").unwrap();
        assert_eq!(bits.int(6).unwrap(), 0);
        assert!(bits.boolean().is_err());
    }
}
