//! Fuzzes `parse_usp`: no input may panic, and only four-character strings of version 1 parse.
#![no_main]

use ccpa_optout::signals::parse_usp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(usp) = parse_usp(text) {
        assert_eq!(text.len(), 4);
        assert!(text.starts_with('1'));
        assert_eq!(usp.applies, text != "1---");
    }
});
