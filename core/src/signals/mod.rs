//! Privacy signals that count as a "do not sell or share" request: GPC, IAB USP and GPP.
//!
//! - [`gpc_from_headers`] / [`gpc_from_header_pairs`]: the `Sec-GPC: 1` request header
//!   (`Some(true)` or `None`, never `Some(false)`); [`parse_gpc_json`] reads a site's
//!   `/.well-known/gpc.json`.
//! - [`parse_usp`]: the IAB US Privacy string (`1YNN`).
//! - [`decode_gpp`]: the IAB Global Privacy Platform string, with every US section of the IAB
//!   list — `uspv1`, `usnat` (v1 and v2), `usca` and the state sections `usva` … `usri` — and
//!   their GPC sub-sections, decoded here without dependencies.
//! - [`derive_opt_out`]: all of them together → the `ccpaOptOut` value (any opt-out wins;
//!   `None` means leave the profile unchanged) with the reasons. It never fails: a signal that
//!   cannot be read is a reason, and never cancels one that can.
//! - [`opt_out_due_date`] and [`may_request_opt_in`]: the 15-business-day deadline and the
//!   12-month wait before asking to opt back in.
//!
//! Everything here is pure: no clock, no I/O, and no input can make it panic. [`parse_usp`]
//! and [`decode_gpp`] return `Validation` errors (field `usp` or `gpp`) for malformed strings.
//!
//! ```
//! use ccpa_optout::signals::{derive_opt_out, gpc_from_header_pairs};
//!
//! let gpc = gpc_from_header_pairs([("Sec-GPC", "1")]);
//! let decision = derive_opt_out(gpc, None, Some("DBABLA~CAAAAAAAAABA.QA"));
//! assert_eq!(decision.value, Some(true));
//! ```

mod bits;
mod deadlines;
mod derive;
mod gpc;
mod gpp;
mod header;
mod reasons;
mod sections;
mod state_layouts;
mod us_sections;
mod us_states;
mod usp;

pub use deadlines::{
    OPT_OUT_BUSINESS_DAYS, may_request_opt_in, opt_in_request_allowed_from, opt_out_due_date,
};
pub use derive::derive_opt_out;
pub use gpc::{
    GPC_WELL_KNOWN_PATH, GpcSupport, SEC_GPC, gpc_from_header_pairs, gpc_from_headers,
    gpc_support_from_response, parse_gpc_json,
};
pub use gpp::{GppSections, GppSignals, UnreadablePart, decode_gpp};
pub use reasons::{
    MAX_UNREADABLE_MESSAGE_CHARS, OptOutDecision, OptOutReason, PrivacySignal, SignalSays,
    UnreadableSignal,
};
pub use sections::UsSection;
pub use us_sections::{UsCa, UsNat, UsNatLayout};
pub use us_states::{FieldValue, StateField, UsStateSection};
pub use usp::{UsPrivacy, UspFlag, parse_usp};
