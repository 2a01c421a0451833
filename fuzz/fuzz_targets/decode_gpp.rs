//! Fuzzes `decode_gpp` (and `derive_opt_out` over the same string): no input may panic, and
//! whatever decodes must hold the invariants the contract promises.
#![no_main]

use ccpa_optout::signals::{decode_gpp, derive_opt_out};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let decoded = decode_gpp(text);
    if let Ok(gpp) = &decoded {
        // One id per section after the header, strictly increasing.
        assert_eq!(gpp.section_ids.len(), text.matches('~').count());
        assert!(gpp.section_ids.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(gpp.source.len() <= gpp.section_ids.len());
    }
    let decision = derive_opt_out(None, None, Some(text));
    // The decision fails exactly when decoding fails.
    assert_eq!(decision.is_ok(), decoded.is_ok());
    if let (Ok(gpp), Ok(decision)) = (decoded, decision) {
        let opted_out = [
            gpp.sale_opt_out,
            gpp.sharing_opt_out,
            gpp.targeted_advertising_opt_out,
            gpp.gpc,
        ]
        .contains(&Some(true));
        assert_eq!(decision.value == Some(true), opted_out);
    }
});
