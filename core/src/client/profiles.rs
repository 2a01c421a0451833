//! The profile operations of the contract: read, idempotent opt-out, create, update, delete.

use http::StatusCode;
use serde_json::Value;

use super::Client;
use crate::email::Email;
use crate::pkey::PKey;
use crate::profile::{OptOutChange, PatchAck, Profile, ProfileFields};
use crate::request::{
    ListOptions, prepare_create_profile, prepare_delete_profile, prepare_get_profile,
    prepare_profile_metadata, prepare_set_opt_out, prepare_update_profile,
};
use crate::response::{ProfileMetadata, parse_patch_ack, parse_profile, parse_profile_metadata};
use crate::subject::Subject;
use crate::transport::Transport;
use crate::{Error, ErrorKind, Result};

impl<T: Transport> Client<T> {
    /// GET one profile.
    pub async fn get_profile(&self, pkey: &PKey) -> Result<Profile> {
        let api = &self.config.api;
        let sent = self
            .send(&|token| prepare_get_profile(api, token, pkey))
            .await?;
        self.decoded(&sent, |r| parse_profile(r, &api.opt_out_field))
    }

    /// The profile's opt-out value; a `Decode` error naming the field if the profile has none.
    pub async fn get_opt_out(&self, pkey: &PKey) -> Result<bool> {
        self.get_profile(pkey)
            .await?
            .require_opt_out(&self.config.api.opt_out_field)
    }

    /// Sets the opt-out idempotently: GET, then PATCH only if the value differs.
    pub async fn set_opt_out(&self, pkey: &PKey, opted_out: bool) -> Result<OptOutChange> {
        let profile = self.get_profile(pkey).await?;
        self.change_opt_out(pkey, profile.opt_out, opted_out).await
    }

    /// Every profile whose email is exactly `email` (all pages of `byEmail`).
    pub async fn find_by_email(&self, email: &Email) -> Result<Vec<Profile>> {
        let options = ListOptions {
            force_pagination: self.config.force_pagination,
            ..ListOptions::default()
        };
        let mut cursor = super::ListingCursor::by_email(email.clone(), options);
        let mut found = Vec::new();
        while let Some(page) = cursor.next_page(self).await? {
            found.extend(page);
        }
        Ok(found)
    }

    /// Sets the opt-out on every profile with this email; an empty list when none matches.
    ///
    /// Profiles whose listing already shows the value are not written (and not read again).
    pub async fn opt_out_by_email(
        &self,
        email: &Email,
        opted_out: bool,
    ) -> Result<Vec<OptOutChange>> {
        self.set_opt_out_for(&Subject::Email(email.clone()), opted_out)
            .await
    }

    /// Sets the opt-out on the profile a PKey names or every profile an email matches.
    pub async fn set_opt_out_for(
        &self,
        subject: &Subject,
        opted_out: bool,
    ) -> Result<Vec<OptOutChange>> {
        let mut changes = Vec::new();
        for (pkey, previous) in self.current_opt_outs(subject).await? {
            changes.push(self.change_opt_out(&pkey, previous, opted_out).await?);
        }
        Ok(changes)
    }

    /// Each profile the subject names with its opt-out value now.
    pub(crate) async fn current_opt_outs(
        &self,
        subject: &Subject,
    ) -> Result<Vec<(PKey, Option<bool>)>> {
        let email = match subject {
            Subject::PKey(pkey) => {
                return Ok(vec![(pkey.clone(), self.get_profile(pkey).await?.opt_out)]);
            }
            Subject::Email(email) => email,
        };
        let mut current = Vec::new();
        for profile in self.find_by_email(email).await? {
            let pkey = profile.pkey.clone().ok_or_else(|| {
                Error::decode("a byEmail result has no PKey", "").with_field("PKey")
            })?;
            let value = match profile.opt_out {
                Some(value) => Some(value),
                // The listing left the field out: read the profile to know the real value.
                None => self.get_profile(&pkey).await?.opt_out,
            };
            current.push((pkey, value));
        }
        Ok(current)
    }

    pub(crate) async fn change_opt_out(
        &self,
        pkey: &PKey,
        previous: Option<bool>,
        opted_out: bool,
    ) -> Result<OptOutChange> {
        if previous == Some(opted_out) {
            return Ok(OptOutChange {
                pkey: pkey.clone(),
                previous,
                current: opted_out,
                changed: false,
            });
        }
        let api = &self.config.api;
        let sent = self
            .send(&|token| prepare_set_opt_out(api, token, pkey, opted_out))
            .await?;
        self.decoded(&sent, parse_patch_ack)?;
        Ok(OptOutChange {
            pkey: pkey.clone(),
            previous,
            current: opted_out,
            changed: true,
        })
    }

    /// POST a new profile and return it as ACS created it.
    ///
    /// A create is never resent blindly: when an attempt fails in a way that leaves open
    /// whether ACS created the profile (no answer, 502/503/504), the client looks the email up
    /// first and returns the profile it finds with the same field values (strings compared
    /// ignoring case, since ACS may normalise them). Without an email in `fields` it cannot
    /// check, so it returns the error rather than risk a duplicate.
    pub async fn create_profile(&self, fields: &ProfileFields) -> Result<Profile> {
        let api = &self.config.api;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let failure = match self
                .send(&|token| prepare_create_profile(api, token, fields))
                .await
            {
                Ok(sent) => return self.decoded(&sent, |r| parse_profile(r, &api.opt_out_field)),
                Err(err) if outcome_unknown(&err) => err,
                Err(err) => return Err(err),
            };
            let Some(email) = fields.email().and_then(|e| Email::new(e).ok()) else {
                return Err(failure);
            };
            if let Some(created) = self.find_created(&email, fields).await? {
                return Ok(created);
            }
            let retry = &self.config.retry;
            if attempts >= retry.max_attempts {
                return Err(failure);
            }
            self.transport
                .sleep(retry.backoff(attempts, self.next_jitter()))
                .await;
        }
    }

    async fn find_created(&self, email: &Email, fields: &ProfileFields) -> Result<Option<Profile>> {
        let field = &self.config.api.opt_out_field;
        let candidates = self.find_by_email(email).await?;
        Ok(candidates.into_iter().find(|profile| {
            let stored = profile.to_json(field);
            fields
                .as_map()
                .iter()
                .all(|(name, wanted)| match (stored.get(name), wanted) {
                    (Some(Value::String(have)), Value::String(want)) => {
                        have.eq_ignore_ascii_case(want)
                    }
                    (Some(have), want) => have == want,
                    (None, _) => false,
                })
        }))
    }

    /// PATCH arbitrary fields of a profile.
    pub async fn update_profile(&self, pkey: &PKey, fields: &ProfileFields) -> Result<PatchAck> {
        let api = &self.config.api;
        let sent = self
            .send(&|token| prepare_update_profile(api, token, pkey, fields))
            .await?;
        let ack = self.decoded(&sent, parse_patch_ack)?;
        Ok(ack.unwrap_or_else(|| PatchAck {
            pkey: pkey.clone(),
            href: None,
        }))
    }

    /// DELETE a profile. A 404 on a retried attempt counts as done: the first attempt deleted it.
    pub async fn delete_profile(&self, pkey: &PKey) -> Result<()> {
        let api = &self.config.api;
        let (sent, token) = self
            .send_final(&|token| prepare_delete_profile(api, token, pkey))
            .await?;
        let status = sent.response.status();
        if status.is_success() || (status == StatusCode::NOT_FOUND && sent.attempts > 1) {
            return Ok(());
        }
        Err(self.refusal(&sent, &token))
    }

    /// The profile resource's field metadata (to check the opt-out field before a bulk run).
    pub async fn profile_metadata(&self) -> Result<ProfileMetadata> {
        let api = &self.config.api;
        let sent = self
            .send(&|token| prepare_profile_metadata(api, token))
            .await?;
        self.decoded(&sent, parse_profile_metadata)
    }

    /// A lazy listing of all profiles, page by page (see [`super::ProfileListing`]).
    pub fn list_profiles(&self, options: ListOptions) -> super::ProfileListing<'_, T> {
        super::ProfileListing::new(self, super::ListingCursor::all(options))
    }
}

/// Whether a failed POST may nevertheless have done its work (so a resend could do it twice).
pub(super) fn outcome_unknown(err: &Error) -> bool {
    err.kind() == ErrorKind::Transport || matches!(err.status(), Some(502..=504))
}
