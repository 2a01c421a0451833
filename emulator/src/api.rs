//! The two profile APIs the emulator serves: `profileAndServices` and `profileAndServicesExt`.

/// An ACS API name (the path segment after `/campaign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `profileAndServices`: built-in fields only.
    Plain,
    /// `profileAndServicesExt`: built-in fields plus custom `cus*` fields and Ext links.
    Ext,
}

impl Api {
    /// The API name from a path segment.
    pub fn from_segment(segment: &str) -> Option<Api> {
        match segment {
            "profileAndServices" => Some(Api::Plain),
            "profileAndServicesExt" => Some(Api::Ext),
            _ => None,
        }
    }

    /// The path segment.
    pub fn name(self) -> &'static str {
        match self {
            Api::Plain => "profileAndServices",
            Api::Ext => "profileAndServicesExt",
        }
    }
}
