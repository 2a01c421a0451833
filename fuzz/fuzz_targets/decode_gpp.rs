//! Fuzzes `decode_gpp` (and `derive_opt_out` over the same string): no input may panic, and
//! whatever decodes must hold the invariants the contract promises.
#![no_main]

use ccpa_optout::signals::{
    MAX_UNREADABLE_MESSAGE_CHARS, OptOutReason, UnreadableSignal, decode_gpp, derive_opt_out,
};
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
        assert!(gpp.unreadable.len() <= 3 * gpp.section_ids.len());
    }
    // The decision never fails, and no reason quotes more than the bound.
    let decision = derive_opt_out(None, None, Some(text));
    for reason in &decision.reasons {
        if let OptOutReason::Unreadable { message, .. } = reason {
            assert!(message.chars().count() <= MAX_UNREADABLE_MESSAGE_CHARS);
        }
    }
    match decoded {
        Ok(gpp) => {
            // It opts out exactly when a decoded field does.
            let opted_out = [
                gpp.sale_opt_out,
                gpp.sharing_opt_out,
                gpp.targeted_advertising_opt_out,
                gpp.gpc,
            ]
            .contains(&Some(true));
            assert_eq!(decision.value == Some(true), opted_out);
        }
        // A string that cannot be read is one unreadable reason and no value.
        Err(_) => {
            assert_eq!(decision.value, None);
            assert!(matches!(
                decision.reasons.as_slice(),
                [OptOutReason::Unreadable {
                    signal: UnreadableSignal::Gpp,
                    ..
                }]
            ));
        }
    }
    // A readable GPC opt-out is never cancelled by whatever the string holds.
    assert_eq!(
        derive_opt_out(Some(true), Some(text), Some(text)).value,
        Some(true)
    );
});
