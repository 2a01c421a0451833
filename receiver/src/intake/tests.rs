use super::*;

fn now() -> Timestamp {
    "2026-01-05T17:00:00Z".parse().unwrap()
}

fn body(json: serde_json::Value) -> OptOutBody {
    serde_json::from_value(json).unwrap()
}

fn check(json: serde_json::Value) -> Result<NewRequest, ApiError> {
    opt_out_request(body(json), "oo_1".into(), now(), &Calendar::default())
}

#[test]
fn an_explicit_email_request_keeps_its_id_and_gets_a_due_date() {
    let request = check(serde_json::json!({
        "email": "ana@example.com", "optOut": true, "requestId": "r-1", "source": "Web"
    }))
    .unwrap();
    assert_eq!(request.request_id, "r-1");
    assert_eq!(request.source.as_deref(), Some("web"));
    assert!(request.explicit && request.opt_out);
    assert_eq!(request.received.day.to_string(), "2026-01-05");
    assert_eq!(request.due_date.to_string(), "2026-01-26");
    assert_eq!(request.decision, None);
}

#[test]
fn without_optout_the_signals_decide_and_no_usable_signal_is_refused() {
    let request = check(serde_json::json!({"pkey": "@a1", "gpc": true})).unwrap();
    assert!(request.opt_out && !request.explicit);
    assert!(request.decision.unwrap().contains("\"gpc\""));
    let not_out = check(serde_json::json!({"pkey": "@a1", "usp": "1YNN"})).unwrap();
    assert!(!not_out.opt_out);
    for json in [
        serde_json::json!({"pkey": "@a1"}),
        serde_json::json!({"pkey": "@a1", "usp": "1---"}),
        serde_json::json!({"pkey": "@a1", "gpc": false}),
        serde_json::json!({"pkey": "@a1", "gpp": "garbage"}),
    ] {
        let err = check(json.clone()).unwrap_err();
        assert_eq!(
            (err.status, err.field.as_deref()),
            (422, Some("optOut")),
            "{json}"
        );
    }
}

#[test]
fn an_explicit_false_cannot_override_an_opt_out_signal() {
    let err = check(serde_json::json!({"pkey": "@a1", "optOut": false, "gpc": true})).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("optOut"));
    let agreeing = check(serde_json::json!({"pkey": "@a1", "optOut": true, "usp": "1YNN"}));
    assert!(agreeing.unwrap().opt_out);
}

#[test]
fn subjects_ids_and_sources_are_checked() {
    let field = |json| check(json).unwrap_err().field.unwrap();
    assert_eq!(field(serde_json::json!({"optOut": true})), "body");
    assert_eq!(
        field(serde_json::json!({"email": "a@b.c", "pkey": "@a", "optOut": true})),
        "body"
    );
    assert_eq!(
        field(serde_json::json!({"email": "nope", "optOut": true})),
        "email"
    );
    assert_eq!(
        field(serde_json::json!({"pkey": "../x", "optOut": true})),
        "pkey"
    );
    let long = "r".repeat(MAX_REQUEST_ID_LEN + 1);
    assert_eq!(
        field(serde_json::json!({"pkey": "@a", "optOut": true, "requestId": long})),
        "requestId"
    );
    assert_eq!(
        field(serde_json::json!({"pkey": "@a", "optOut": true, "requestId": "a\nb"})),
        "requestId"
    );
    assert_eq!(
        field(serde_json::json!({"pkey": "@a", "optOut": true, "source": ""})),
        "source"
    );
    assert_eq!(
        field(serde_json::json!({"pkey": "@a", "optOut": true, "receivedAt": "2027-01-01"})),
        "receivedAt"
    );
}

#[test]
fn a_browser_signal_queues_only_an_opt_out_once_per_subject_and_day() {
    let subject = Subject::Email(Email::new("ana@example.com").unwrap());
    let calendar = Calendar::default();
    let gpc = browser_signals(SignalsBody::default(), Some(true));
    let (decision, first) =
        signal_request(subject.clone(), gpc.clone(), "a".into(), now(), &calendar);
    assert_eq!(decision.value, Some(true));
    let first = first.unwrap();
    assert_eq!(first.source.as_deref(), Some("gpc"));
    let (_, again) = signal_request(subject.clone(), gpc, "b".into(), now(), &calendar);
    assert_eq!(again.unwrap().request_id, first.request_id);
    let usp_no = browser_signals(
        SignalsBody {
            usp: Some("1YNN".into()),
            ..SignalsBody::default()
        },
        None,
    );
    let (decision, none) = signal_request(subject, usp_no, "c".into(), now(), &calendar);
    assert_eq!(decision.value, Some(false));
    assert!(none.is_none(), "an opt-in never comes from a browser");
}

#[test]
fn sec_gpc_and_the_body_flag_both_count_and_false_is_kept_as_said() {
    let said = |header, flag| {
        browser_signals(
            SignalsBody {
                gpc: flag,
                ..SignalsBody::default()
            },
            header,
        )
        .gpc
    };
    assert_eq!(said(Some(true), None), Some(true));
    assert_eq!(said(None, Some(true)), Some(true));
    assert_eq!(said(None, Some(false)), Some(false));
    assert_eq!(said(None, None), None);
}
