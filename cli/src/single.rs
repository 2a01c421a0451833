//! `get` and `set`: one PKey or one email, printed for people or as JSON.

use ccpa_optout::{AuditChange, ErrorKind, OptOutChange, Profile};
use serde_json::json;

use crate::args::TargetArgs;
use crate::config::AcsClient;
use crate::failure::{Failure, describe};
use ccpa_optout::{Subject, SubjectKind};

/// Reads the target argument with its `--pkey`/`--email` flags.
pub fn subject(target: &TargetArgs) -> Result<Subject, Failure> {
    let kind = if target.pkey {
        SubjectKind::PKey
    } else if target.email {
        SubjectKind::Email
    } else {
        SubjectKind::Guess
    };
    Subject::parse(&target.target, kind).map_err(|e| Failure::usage(describe(&e)))
}

/// `get`: the opt-out of one profile, or of every profile with an email.
pub async fn get(client: &AcsClient, subject: &Subject, json: bool) -> Result<(), Failure> {
    let field = client.config().api.opt_out_field.as_str().to_owned();
    let profiles = match subject {
        Subject::PKey(pkey) => vec![client.get_profile(pkey).await.map_err(not_found)?],
        Subject::Email(email) => client.find_by_email(email).await.map_err(not_found)?,
    };
    if json {
        let rows: Vec<_> = profiles.iter().map(profile_json).collect();
        println!("{}", json!({ "optOutField": field, "profiles": rows }));
    } else {
        for profile in &profiles {
            println!("{}", profile_line(profile, &field));
        }
    }
    if profiles.is_empty() {
        return Err(Failure::failed("no profile has this email"));
    }
    Ok(())
}

/// `set`: the value on one profile, or on every profile with an email.
pub async fn set(
    client: &AcsClient,
    subject: &Subject,
    opted_out: bool,
    json: bool,
) -> Result<(), Failure> {
    let changes = match subject {
        Subject::PKey(pkey) => vec![
            client
                .set_opt_out(pkey, opted_out)
                .await
                .map_err(not_found)?,
        ],
        Subject::Email(email) => client
            .opt_out_by_email(email, opted_out)
            .await
            .map_err(not_found)?,
    };
    if json {
        let rows: Vec<AuditChange> = changes.iter().map(AuditChange::from).collect();
        println!("{}", json!({ "changes": rows }));
    } else {
        let field = client.config().api.opt_out_field.as_str();
        for change in &changes {
            println!("{}", change_line(change, field));
        }
    }
    if changes.is_empty() {
        return Err(Failure::failed(
            "no profile has this email; nothing was set",
        ));
    }
    Ok(())
}

/// A 404 reads better as "no such profile" than as an HTTP error.
fn not_found(err: ccpa_optout::Error) -> Failure {
    if err.kind() == ErrorKind::NotFound {
        Failure::failed("no profile has this PKey (404)")
    } else {
        Failure::from_api(&err)
    }
}

fn profile_json(profile: &Profile) -> serde_json::Value {
    json!({
        "pkey": profile.pkey.as_ref().map(|p| p.as_str()),
        "email": profile.email,
        "optOut": profile.opt_out,
    })
}

fn profile_line(profile: &Profile, field: &str) -> String {
    let pkey = profile.pkey.as_ref().map_or("(no PKey)", |p| p.as_str());
    let value = match profile.opt_out {
        Some(true) => "true (opted out of sale and sharing)",
        Some(false) => "false",
        None => "not set",
    };
    let email = profile.email.as_deref().unwrap_or("-");
    format!("{pkey}  email {email}  {field} {value}")
}

fn change_line(change: &OptOutChange, field: &str) -> String {
    let previous = change
        .previous
        .map_or_else(|| "not set".to_owned(), |v| v.to_string());
    if change.changed {
        format!(
            "{}: {field} {previous} -> {} (written)",
            change.pkey, change.current
        )
    } else {
        format!(
            "{}: {field} already {} (nothing written)",
            change.pkey, change.current
        )
    }
}
