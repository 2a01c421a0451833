//! Fuzzes the receiver's request body reader and the checks after it: any bytes under any
//! content type give a body or a typed refusal (400/413/415/422 with a bounded message), and
//! every body read becomes a request to store or a 422; a browser's signals never queue
//! anything but an opt-out.
//!
//! The receiver's pure modules (`error`, `body`, `calendar`, `intake`) are compiled into this
//! target from their source files, so the fuzz build needs neither axum nor SQLite.
#![no_main]

use ccpa_optout::{Email, Subject};
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../receiver/src/body.rs"]
mod body;
#[allow(dead_code)]
#[path = "../../receiver/src/calendar.rs"]
mod calendar;
#[allow(dead_code)]
#[path = "../../receiver/src/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "../../receiver/src/intake.rs"]
mod intake;

use body::{OptOutBody, SignalsBody, read_json};
use calendar::Calendar;

const CONTENT_TYPES: [Option<&[u8]>; 4] = [
    Some(b"application/json"),
    Some(b"Application/JSON; charset=\"UTF-8\""),
    Some(b"text/plain"),
    None,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(selector & 3)];
    let now = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    let calendar = Calendar::default();
    let refused = |err: &error::ApiError| {
        assert!(matches!(err.status, 400 | 413 | 415 | 422), "{err:?}");
        assert!(err.message.chars().count() <= 300, "{err:?}");
        assert!(err.field.is_some(), "{err:?}");
    };
    if selector & 4 == 0 {
        match read_json::<OptOutBody>(content_type, bytes) {
            Ok(body) => match intake::opt_out_request(body, "oo_fuzz".into(), now, &calendar) {
                Ok(request) => {
                    assert!(!request.request_id.is_empty() && request.request_id.len() <= 128);
                    assert!(request.due_date > request.received.day);
                    assert!(request.explicit || request.decision.is_some());
                    assert_eq!(request.subject_key().len(), 64);
                }
                Err(err) => {
                    refused(&err);
                    assert_eq!(err.status, 422);
                }
            },
            Err(err) => refused(&err),
        }
    } else {
        match read_json::<SignalsBody>(content_type, bytes) {
            Ok(body) => {
                let signals = intake::browser_signals(body, (selector & 8 != 0).then_some(true));
                let subject = Subject::Email(Email::new("ana@example.com").unwrap());
                let (decision, queued) =
                    intake::signal_request(subject, signals, "oo_fuzz".into(), now, &calendar);
                assert_eq!(queued.is_some(), decision.value == Some(true));
                if let Some(request) = queued {
                    assert!(request.opt_out && !request.explicit);
                }
            }
            Err(err) => refused(&err),
        }
    }
});
