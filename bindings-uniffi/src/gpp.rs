//! The decoded GPP string: `UsPrivacy`, `UsNat` and `UsSection` are the core's own types; the
//! records whose core types UniFFI cannot carry as they are (`UsCa`, `StateField`,
//! `UsStateSection`, `UnreadablePart`, `GppSections`, `GppSignals`) are generated from those
//! types by `build.rs`, each with a `From` of the core type.

use ccpa_optout::signals::{self, FieldValue, UsNat, UsPrivacy, UsSection};

include!(concat!(env!("OUT_DIR"), "/gpp_records.rs"));

/// A state field's value as written: one number, or the numbers of an N-Bitfield.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum StateFieldValue {
    /// An `Int(2)` or `Int(6)` field.
    Int {
        /// The number.
        value: u8,
    },
    /// An `N-Bitfield(2, n)` field.
    List {
        /// The n numbers.
        values: Vec<u8>,
    },
}

impl From<FieldValue> for StateFieldValue {
    fn from(value: FieldValue) -> Self {
        match value {
            FieldValue::Int(value) => StateFieldValue::Int { value },
            FieldValue::List(values) => StateFieldValue::List { values },
        }
    }
}
