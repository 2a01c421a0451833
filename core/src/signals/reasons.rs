//! What an opt-out decision is made of: its value and the reasons, one per signal or note.

use serde::{Serialize, Serializer};

use super::sections::UsSection;

/// A signal that took part in a decision.
///
/// Serialized as its name: `gpc`, `usp`, `gpp_uspv1`, `gpp_usnat`, `gpp_usca`, `gpp_gpc`, and
/// `gpp_` followed by the section's name for a state section (`gpp_usco`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PrivacySignal {
    /// Global Privacy Control: the `Sec-GPC` header or `navigator.globalPrivacyControl`.
    Gpc,
    /// A standalone IAB US Privacy string.
    Usp,
    /// The `uspv1` section of the GPP string.
    GppUspv1,
    /// The `usnat` section of the GPP string.
    GppUsnat,
    /// The `usca` section of the GPP string.
    GppUsca,
    /// The GPC sub-section(s) of the GPP string's US sections.
    GppGpc,
    /// A state section (9–27: `usva`, `usco`, … `usri`) of the GPP string.
    GppState(UsSection),
}

impl PrivacySignal {
    /// The signal a decoded GPP section gives: `GppUspv1`, `GppUsnat`, `GppUsca`, or
    /// `GppState` for the state sections.
    pub const fn for_section(section: UsSection) -> PrivacySignal {
        match section {
            UsSection::Uspv1 => PrivacySignal::GppUspv1,
            UsSection::Usnat => PrivacySignal::GppUsnat,
            UsSection::Usca => PrivacySignal::GppUsca,
            state => PrivacySignal::GppState(state),
        }
    }
}

impl std::fmt::Display for PrivacySignal {
    /// The serialized name (`gpc`, `gpp_usnat`, `gpp_usco`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrivacySignal::Gpc => f.write_str("gpc"),
            PrivacySignal::Usp => f.write_str("usp"),
            PrivacySignal::GppUspv1 => f.write_str("gpp_uspv1"),
            PrivacySignal::GppUsnat => f.write_str("gpp_usnat"),
            PrivacySignal::GppUsca => f.write_str("gpp_usca"),
            PrivacySignal::GppGpc => f.write_str("gpp_gpc"),
            PrivacySignal::GppState(section) => write!(f, "gpp_{section}"),
        }
    }
}

impl Serialize for PrivacySignal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What one signal said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SignalSays {
    /// An opt-out of sale or sharing.
    OptOut,
    /// Explicitly not opted out (USP `N`, a GPP opt-out field of 2).
    NotOptedOut,
    /// Present, but no usable statement (GPC `false`, USP `1---`, GPP fields of 0).
    NoSignal,
}

/// A signal given as a string that could not be read (in whole or in part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UnreadableSignal {
    /// The standalone US Privacy string.
    Usp,
    /// The GPP string, or a part of it (a field, a `uspv1` section).
    Gpp,
}

/// One line of the explanation of an [`OptOutDecision`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptOutReason {
    /// What one signal said.
    Signal {
        /// Which signal.
        signal: PrivacySignal,
        /// What it said.
        says: SignalSays,
    },
    /// A signal, or a part of the GPP string, that could not be read and so did not count.
    /// It never cancels the signals that could be read (§7025(b)).
    Unreadable {
        /// Which signal.
        signal: UnreadableSignal,
        /// Why: the decoder's message (at most [`MAX_UNREADABLE_MESSAGE_CHARS`] characters),
        /// e.g. `"usnat.TargetedAdvertisingOptOut has the undefined value 3"`.
        message: String,
    },
    /// Some signals opted out while others said "not opted out"; the opt-out won (§7025(c)(3)).
    Conflict {
        /// The signals that opted out.
        opted_out: Vec<PrivacySignal>,
        /// The signals that said "not opted out".
        not_opted_out: Vec<PrivacySignal>,
    },
}

/// The longest message an [`OptOutReason::Unreadable`] carries, so that a hostile signal
/// cannot make a reason (or an audit record) as large as itself.
pub const MAX_UNREADABLE_MESSAGE_CHARS: usize = 200;

impl OptOutReason {
    /// An [`OptOutReason::Unreadable`] with `message` cut to [`MAX_UNREADABLE_MESSAGE_CHARS`]
    /// characters (the last one `…` when cut).
    pub(crate) fn unreadable(signal: UnreadableSignal, message: &str) -> OptOutReason {
        let message = if message.chars().nth(MAX_UNREADABLE_MESSAGE_CHARS).is_some() {
            let mut cut: String = message
                .chars()
                .take(MAX_UNREADABLE_MESSAGE_CHARS - 1)
                .collect();
            cut.push('…');
            cut
        } else {
            message.to_owned()
        };
        OptOutReason::Unreadable { signal, message }
    }
}

/// The opt-out value the signals call for, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OptOutDecision {
    /// `Some(true)`: opted out. `Some(false)`: a signal explicitly says "not opted out" and
    /// none opts out. `None`: no usable signal — leave the profile as it is.
    ///
    /// `Some(false)` only describes the signals: it must never clear a recorded opt-out (a
    /// signal that goes away is not consent, §7025(c)(5)); apply it only to a new profile or
    /// after an explicit two-step opt-in.
    pub value: Option<bool>,
    /// Every signal given, in the order gpc, usp, then the GPP sections in header order and
    /// the GPP GPC sub-sections; then a note for each part of the GPP string that could not be
    /// read; then a [`OptOutReason::Conflict`] when an opt-out overrode a "not opted out". A
    /// `usp` or `gpp` string that could not be read at all is an [`OptOutReason::Unreadable`]
    /// in its own place.
    pub reasons: Vec<OptOutReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_serialize_by_name_and_state_sections_with_a_prefix() {
        let names: Vec<String> = [
            PrivacySignal::GppUsnat,
            PrivacySignal::for_section(UsSection::Usca),
            PrivacySignal::for_section(UsSection::Usco),
            PrivacySignal::GppState(UsSection::Usri),
        ]
        .iter()
        .map(|signal| {
            serde_json::to_value(signal)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
        assert_eq!(names, ["gpp_usnat", "gpp_usca", "gpp_usco", "gpp_usri"]);
    }

    #[test]
    fn unreadable_messages_are_bounded_on_a_char_boundary() {
        let long = "é".repeat(1_000_000);
        let OptOutReason::Unreadable { message, .. } =
            OptOutReason::unreadable(UnreadableSignal::Gpp, &long)
        else {
            panic!("not an unreadable reason");
        };
        assert_eq!(message.chars().count(), MAX_UNREADABLE_MESSAGE_CHARS);
        assert!(message.ends_with('…'));
        let exact = "x".repeat(MAX_UNREADABLE_MESSAGE_CHARS);
        assert_eq!(
            OptOutReason::unreadable(UnreadableSignal::Usp, &exact),
            OptOutReason::Unreadable {
                signal: UnreadableSignal::Usp,
                message: exact.clone()
            }
        );
    }
}
