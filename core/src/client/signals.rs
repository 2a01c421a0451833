//! Applying privacy signals to profiles: derive the decision, write only what it allows.

use serde::Serialize;

use super::Client;
use crate::Result;
use crate::profile::OptOutChange;
use crate::signals::{OptOutDecision, derive_opt_out};
use crate::subject::Subject;
use crate::transport::Transport;

/// What [`Client::apply_signals`] decided and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppliedSignals {
    /// The decision from the signals, with its reasons.
    pub decision: OptOutDecision,
    /// One entry per profile looked at; empty when the decision had no value (or no profile
    /// matched the email).
    pub changes: Vec<OptOutChange>,
}

impl<T: Transport> Client<T> {
    /// Turns the privacy signals a consumer sent into the opt-out on their profile(s).
    ///
    /// - Any opt-out signal (`Sec-GPC: 1`, USP `1-Y-`, a GPP opt-out…) sets the opt-out.
    /// - An explicit "not opted out" is written only where no value is recorded yet: a signal
    ///   that goes away is not consent (§7025(c)(5)), so it never clears an opt-out.
    /// - No usable signal writes nothing.
    ///
    /// A malformed USP or GPP string does not fail the call: it is a reason in the decision
    /// ([`OptOutReason::Unreadable`](crate::signals::OptOutReason::Unreadable)) and the
    /// readable signals decide. Only the transport and ACS can make this fail.
    pub async fn apply_signals(
        &self,
        subject: &Subject,
        gpc: Option<bool>,
        usp: Option<&str>,
        gpp: Option<&str>,
    ) -> Result<AppliedSignals> {
        let decision = derive_opt_out(gpc, usp, gpp);
        let changes = match decision.value {
            None => Vec::new(),
            Some(true) => self.set_opt_out_for(subject, true).await?,
            Some(false) => {
                let mut changes = Vec::new();
                for (pkey, previous) in self.current_opt_outs(subject).await? {
                    changes.push(match previous {
                        Some(recorded) => OptOutChange {
                            pkey,
                            previous,
                            current: recorded,
                            changed: false,
                        },
                        None => self.change_opt_out(&pkey, None, false).await?,
                    });
                }
                changes
            }
        };
        Ok(AppliedSignals { decision, changes })
    }
}
