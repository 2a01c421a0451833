//! `applySignals`: a privacy-signal decision written to one profile or to every profile with an
//! email, never clearing a recorded opt-out.

use ccpa_optout::signals::OptOutDecision;
use ccpa_optout::{Client, Email, Error, OptOutChange, PKey, ProfileFields, Result, Transport};

/// Whom the signals are applied to.
pub(crate) enum Subject {
    /// Every profile with this email.
    Email(Email),
    /// One profile.
    PKey(PKey),
}

impl Subject {
    /// An email when it reads as `name@domain` and does not start with `@` (ACS PKeys do);
    /// otherwise a PKey.
    pub(crate) fn parse(text: &str) -> Result<Subject> {
        if !text.starts_with('@')
            && let Ok(email) = Email::new(text)
        {
            return Ok(Subject::Email(email));
        }
        PKey::new(text).map(Subject::PKey)
    }
}

/// Writes the decision: an opt-out like `setOptOut` (idempotent); a "not opted out" only where
/// no value is recorded, since a signal going away is not consent (§7025(c)(5)); no decision
/// writes (and reads) nothing.
pub(crate) async fn apply<T: Transport>(
    client: &Client<T>,
    subject: Subject,
    decision: &OptOutDecision,
) -> Result<Vec<OptOutChange>> {
    match (decision.value, subject) {
        (None, _) => Ok(Vec::new()),
        (Some(true), Subject::Email(email)) => client.opt_out_by_email(&email, true).await,
        (Some(true), Subject::PKey(pkey)) => Ok(vec![client.set_opt_out(&pkey, true).await?]),
        (Some(false), Subject::PKey(pkey)) => {
            Ok(vec![keep_or_set_false(client, pkey, None).await?])
        }
        (Some(false), Subject::Email(email)) => {
            let mut changes = Vec::new();
            for profile in client.find_by_email(&email).await? {
                let pkey = profile.pkey.clone().ok_or_else(|| {
                    Error::decode("a byEmail result has no PKey", "").with_field("PKey")
                })?;
                changes.push(keep_or_set_false(client, pkey, profile.opt_out).await?);
            }
            Ok(changes)
        }
    }
}

/// Leaves a recorded value as it is; writes `false` only where the profile has none.
async fn keep_or_set_false<T: Transport>(
    client: &Client<T>,
    pkey: PKey,
    listed: Option<bool>,
) -> Result<OptOutChange> {
    let recorded = match listed {
        Some(value) => Some(value),
        None => client.get_profile(&pkey).await?.opt_out,
    };
    if let Some(value) = recorded {
        return Ok(OptOutChange {
            pkey,
            previous: Some(value),
            current: value,
            changed: false,
        });
    }
    let field = &client.config().api.opt_out_field;
    client
        .update_profile(&pkey, &ProfileFields::opt_out(field, false))
        .await?;
    Ok(OptOutChange {
        pkey,
        previous: None,
        current: false,
        changed: true,
    })
}
