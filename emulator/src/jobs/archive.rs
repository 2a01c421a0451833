//! A minimal ZIP writer (stored entries, no compression) for the access data download.
//!
//! The archive holds a few kilobytes of JSON, so compression would buy nothing; writing the
//! stored form by hand (PKWARE APPNOTE 4.3: local headers, central directory, end record) keeps a
//! compression crate out of the emulator. Names are flagged UTF-8 (bit 11).

use crate::clock;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
/// 2.0: the version a reader needs for plain stored files in folders.
const VERSION: u16 = 20;
/// Names and comments are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// Made by Unix (high byte 3), so that the permissions below are read.
const MADE_BY_UNIX: u16 = (3 << 8) | VERSION;
/// A regular file, `rw-r--r--`, in the high half of the external attributes.
const FILE_MODE: u32 = 0o100_644 << 16;

/// The archive is larger than the classic (non-Zip64) format allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// A ZIP archive of `(path, bytes)` entries, all dated `modified_ms`.
pub fn stored_zip(entries: &[(&str, &[u8])], modified_ms: i64) -> Result<Vec<u8>, TooLarge> {
    let (time, date) = clock::dos_datetime(modified_ms);
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in entries {
        let offset = small(out.len())?;
        let crc = crc32(data);
        let size = small(data.len())?;
        let name_len = u16::try_from(name.len()).map_err(|_| TooLarge)?;
        // Local header: signature, version needed, flags, method 0 (stored), time, date, CRC,
        // compressed and uncompressed sizes, name length, extra length.
        put32(&mut out, LOCAL_HEADER);
        for field in [VERSION, UTF8_NAMES, 0, time, date] {
            put16(&mut out, field);
        }
        for field in [crc, size, size] {
            put32(&mut out, field);
        }
        put16(&mut out, name_len);
        put16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry: the same, plus comment, disk, attributes and the offset.
        put32(&mut directory, CENTRAL_HEADER);
        for field in [MADE_BY_UNIX, VERSION, UTF8_NAMES, 0, time, date] {
            put16(&mut directory, field);
        }
        for field in [crc, size, size] {
            put32(&mut directory, field);
        }
        for field in [name_len, 0, 0, 0, 0] {
            put16(&mut directory, field);
        }
        put32(&mut directory, FILE_MODE);
        put32(&mut directory, offset);
        directory.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(entries.len()).map_err(|_| TooLarge)?;
    let directory_offset = small(out.len())?;
    let directory_size = small(directory.len())?;
    out.extend_from_slice(&directory);
    put32(&mut out, END_OF_DIRECTORY);
    for field in [0, 0, count, count] {
        put16(&mut out, field);
    }
    put32(&mut out, directory_size);
    put32(&mut out, directory_offset);
    put16(&mut out, 0);
    Ok(out)
}

/// Sizes and offsets must fit in 32 bits (and stay below the Zip64 escape value).
fn small(n: usize) -> Result<u32, TooLarge> {
    u32::try_from(n)
        .ok()
        .filter(|n| *n < u32::MAX)
        .ok_or(TooLarge)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP requires.
fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |crc, byte| {
        CRC_TABLE[((crc ^ u32::from(*byte)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn lays_out_headers_directory_and_end_record() {
        let zip = stored_zip(&[("campaign/profiles.json", b"[]")], 0).unwrap();
        assert_eq!(&zip[..4], b"PK\x03\x04");
        let name_len = "campaign/profiles.json".len();
        let local_len = 30 + name_len + 2;
        assert_eq!(&zip[local_len..local_len + 4], b"PK\x01\x02");
        let end = zip.len() - 22;
        assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([zip[end + 10], zip[end + 11]]), 1);
        let offset =
            u32::from_le_bytes([zip[end + 16], zip[end + 17], zip[end + 18], zip[end + 19]]);
        assert_eq!(offset as usize, local_len);
    }
}
