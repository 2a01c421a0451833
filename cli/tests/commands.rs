//! `get`, `set` and configuration errors: outputs, exit codes, and secrets kept out of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acs_emulator::seed;
use common::{Acs, TOKEN, assert_no_secret, code, stderr, stdout};

#[test]
fn set_by_email_writes_every_match_and_get_shows_it() {
    let acs = Acs::start(20);
    // Profiles 8 and 9 share an email; both start not opted out.
    let email = seed::email(8);
    assert!(!seed::profile(8).ccpa_opt_out && !seed::profile(9).ccpa_opt_out);

    let output = acs
        .cli()
        .args(["--json", "set", &email, "--opt-out"])
        .output()
        .unwrap();
    assert_no_secret(&output);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let changes = answer["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|c| c["changed"] == true && c["previous"] == false)
    );

    // Idempotent: a second set writes nothing.
    let output = acs
        .cli()
        .args(["set", &email, "--opt-out"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output)
            .matches("already true (nothing written)")
            .count(),
        2
    );

    let pkey = changes[0]["pkey"].as_str().unwrap().to_owned();
    let output = acs.cli().args(["get", &pkey]).output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains(&format!("{pkey}  email {email}  ccpaOptOut true")));

    let output = acs
        .cli()
        .args(["set", "--pkey", &pkey, "--opt-in"])
        .output()
        .unwrap();
    assert!(
        stdout(&output).contains("true -> false (written)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        acs.opt_outs(&email)
            .iter()
            .filter(|(_, v)| *v == Some(false))
            .count(),
        1
    );
}

#[test]
fn unknown_profiles_exit_1() {
    let acs = Acs::start(5);
    let output = acs.cli().args(["get", "@NoSuchProfile"]).output().unwrap();
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("no profile has this PKey"));
    let output = acs
        .cli()
        .args(["set", "nobody@example.com", "--opt-out"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("no profile has this email"));
}

#[test]
fn configuration_errors_exit_2_with_a_clear_message_and_no_secret() {
    let acs = Acs::start(5);
    // (arguments, environment overrides, words the message must contain)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_TENANT_ID", "")],
            "tenant ID",
        ),
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_TENANT_ID", "1234@AdobeOrg")],
            "IMS organization",
        ),
        (
            vec!["--api", "profilesAndServices", "get", "@a"],
            vec![],
            "typo",
        ),
        (
            vec!["--base-url", "http://mc.example.com", "get", "@a"],
            vec![],
            "loopback",
        ),
        (
            vec!["--client-secret", "s3cret-value", "get", "@a"],
            vec![],
            "only one of",
        ),
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_ACCESS_TOKEN", "wrong-token-value")],
            "401013",
        ),
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_API_KEY", "wrong-api-key")],
            "403003",
        ),
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_API_KEY", "wrong-api-key")],
            "check --api-key",
        ),
        (
            vec!["get", "@a"],
            vec![("CAMPAIGN_STANDARD_TENANT_ID", "acme-mkt-stage")],
            "not provisioned for this tenant: check --org",
        ),
        (vec!["get", "@a/../x"], vec![], "PKey"),
        (vec!["bulk", "/no/such/file.csv"], vec![], "cannot read"),
        (vec!["set", "@a"], vec![], "--opt-out"),
        // The core reads the job filter; the message names the flag that was typed.
        (
            vec![
                "privacy",
                "list",
                "--from",
                "2025-4-1",
                "--to",
                "2025-04-02",
            ],
            vec![],
            "--from: \"2025-4-1\" is not a YYYY-MM-DD date",
        ),
        (
            vec!["privacy", "list", "--page-size", "5000"],
            vec![],
            "--page-size: the page size must be between 1 and 1000",
        ),
    ];
    for (args, env, expected) in cases {
        let mut command = acs.cli();
        for (name, value) in &env {
            command.env(name, value);
        }
        let output = command.args(&args).output().unwrap();
        assert_no_secret(&output);
        let text = stderr(&output);
        assert_eq!(code(&output), 2, "{args:?}: {text}");
        assert!(text.contains(expected), "{args:?}: {text}");
        assert!(
            !text.contains("s3cret-value") && !text.contains("wrong-token-value"),
            "{text}"
        );
    }
}

#[test]
fn a_missing_token_is_named_and_help_hides_secret_values() {
    let acs = Acs::start(1);
    let output = acs
        .cli()
        .env_remove("CAMPAIGN_STANDARD_ACCESS_TOKEN")
        .args(["get", "@a"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("CAMPAIGN_STANDARD_ACCESS_TOKEN"));

    let output = acs.cli().args(["bulk", "--help"]).output().unwrap();
    let help = stdout(&output);
    assert_eq!(code(&output), 0);
    assert!(
        help.contains("CAMPAIGN_STANDARD_API_KEY")
            && help.contains("CAMPAIGN_STANDARD_CLIENT_SECRET")
    );
    assert!(
        !help.contains(TOKEN) && !help.contains("emulator-api-key"),
        "{help}"
    );
}

#[test]
fn oauth_credentials_fetch_tokens_from_the_token_endpoint_and_stay_secret() {
    let acs = Acs::start(30);
    let token_url = format!("{}/ims/token/v3", acs.emulator.base_url());
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    common::seed_csv(&input, 0..30);
    let output = acs
        .cli()
        .env_remove("CAMPAIGN_STANDARD_ACCESS_TOKEN")
        .env("CAMPAIGN_STANDARD_CLIENT_SECRET", "emulator-client-secret")
        .env("CAMPAIGN_STANDARD_SCOPES", "campaign_sdk")
        .env("CAMPAIGN_STANDARD_TOKEN_URL", &token_url)
        .args([
            "bulk",
            input.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_no_secret(&output);
    assert!(!stdout(&output).contains("emulator-client-secret"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(common::audit_records(&audit).len(), 30);
    let log = std::fs::read_to_string(&audit).unwrap();
    assert!(!log.contains("emulator-client-secret") && !log.contains(TOKEN));

    let output = acs
        .cli()
        .env_remove("CAMPAIGN_STANDARD_ACCESS_TOKEN")
        .env("CAMPAIGN_STANDARD_CLIENT_SECRET", "not-the-secret")
        .env("CAMPAIGN_STANDARD_SCOPES", "campaign_sdk")
        .env("CAMPAIGN_STANDARD_TOKEN_URL", &token_url)
        .args(["get", "@a"])
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("not-the-secret"),
        "{}",
        stderr(&output)
    );
}
