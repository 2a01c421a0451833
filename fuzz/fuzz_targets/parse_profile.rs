//! Fuzzes `parse_profile` and `parse_patch_ack`: no body or status may panic, a 2xx that
//! parses survives serialise → parse unchanged, and anything else is the typed error.
#![no_main]

use ccpa_optout::{ErrorKind, OptOutField, Profile, parse_patch_ack, parse_profile};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Statuses worth telling apart: the 2xx the parsers accept and the errors they type.
const STATUSES: [u16; 10] = [200, 201, 204, 400, 401, 404, 429, 500, 502, 503];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(selector) % STATUSES.len()];
    // Half of the inputs use a custom opt-out field, as older tenants do.
    let field = if selector & 0x80 == 0 {
        OptOutField::default()
    } else {
        OptOutField::new("cusOptOutCcpa").unwrap()
    };
    let response = http::Response::builder()
        .status(status)
        .body(body.to_vec())
        .unwrap();

    match parse_profile(&response, &field) {
        Ok(profile) => {
            assert!((200..300).contains(&status));
            let json = profile.to_json(&field);
            // The opt-out is only ever read from a JSON boolean.
            assert_eq!(
                profile.opt_out,
                json.get(field.as_str()).and_then(Value::as_bool)
            );
            let again = Profile::from_json(Value::Object(json.clone()), &field).unwrap();
            assert_eq!(again, profile);
            assert_eq!(again.to_json(&field), json);
        }
        Err(err) => {
            if (200..300).contains(&status) {
                assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
            } else {
                assert_eq!(err.status(), Some(status));
            }
            let _ = err.to_string();
        }
    }

    match parse_patch_ack(&response) {
        Ok(Some(ack)) => {
            assert!((200..300).contains(&status));
            // The PKey in an answer is validated like one given by a caller.
            assert!(!ack.pkey.to_path_segment().contains('/'));
        }
        Ok(None) => assert!(body.iter().all(u8::is_ascii_whitespace)),
        Err(err) => assert!(!(200..300).contains(&status) || err.kind() == ErrorKind::Decode),
    }
});
