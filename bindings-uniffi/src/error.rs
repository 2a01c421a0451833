//! Results that cross the FFI; the error enum is the core's, derived behind its `uniffi` feature.

pub use ccpa_optout::CcpaOptOutError;

/// Shorthand for results that cross the FFI.
pub type Result<T, E = CcpaOptOutError> = std::result::Result<T, E>;

/// Converts a core result for the FFI.
pub(crate) fn ffi<T>(result: ccpa_optout::Result<T>) -> Result<T> {
    result.map_err(CcpaOptOutError::from)
}
