//! How an emulator is set up: tenant, credentials, seed data, data file, faults and limits.

use std::fmt;
use std::path::PathBuf;

use crate::faults::FaultPlan;

/// The IMS organization an emulator belongs to unless told otherwise.
pub const DEFAULT_IMS_ORG: &str = "EMULATORORG0000000000000@AdobeOrg";

/// Settings for [`crate::Emulator::start`]. Start from [`EmulatorConfig::default`] and chain the
/// `with_*` setters; every field is public too.
#[derive(Clone, PartialEq)]
pub struct EmulatorConfig {
    /// TCP port on 127.0.0.1; `0` (the default) picks a free one.
    pub port: u16,
    /// The tenant (`{ORGANIZATION}` in the paths); default `acme`.
    pub org: String,
    /// The IMS organization (`x-gw-ims-org-id` of Privacy Service calls), ending in `@AdobeOrg`;
    /// default `EMULATORORG0000000000000@AdobeOrg`. Not a secret.
    pub ims_org: String,
    /// The accepted `X-Api-Key`; default `emulator-api-key`.
    pub api_key: String,
    /// An access token accepted for ever; default `emulator-token`.
    pub token: String,
    /// The `client_id` the token endpoint accepts; `None` (default) means the API key.
    pub client_id: Option<String>,
    /// The `client_secret` the token endpoint accepts; default `emulator-client-secret`.
    pub client_secret: String,
    /// `expires_in` of issued tokens, in seconds; default 86399. Issued tokens stop working then.
    pub token_expires_in: u64,
    /// How many seed profiles ([`crate::seed::profile`] `0..seed`) an empty store starts with; default 0.
    pub seed: u64,
    /// A file that keeps the store across restarts; default none (memory only).
    pub data_file: Option<PathBuf>,
    /// Faults in force at start; default none.
    pub faults: FaultPlan,
    /// Seed of the fault dice; `None` (default) seeds from the clock.
    pub fault_seed: Option<u64>,
    /// Largest accepted request body, in bytes; default 1 MiB (above: 413).
    pub body_limit: usize,
    /// Above this many profiles in the table (not matches: ACS looks at the table), `next` is
    /// left out unless `_forcePagination=true`
    /// (ACS's `XtkBigTableThreshold`); default 100,000.
    pub big_table_threshold: usize,
    /// Custom fields published on `profileAndServicesExt`, as (name, declared type) pairs for
    /// its metadata; default none. Any `cus*` field can be written on Ext either way; this only
    /// makes a field show up in the metadata, as publishing an extension does in ACS.
    pub custom_fields: Vec<(String, String)>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            org: "acme".to_owned(),
            ims_org: DEFAULT_IMS_ORG.to_owned(),
            api_key: "emulator-api-key".to_owned(),
            token: "emulator-token".to_owned(),
            client_id: None,
            client_secret: "emulator-client-secret".to_owned(),
            token_expires_in: 86_399,
            seed: 0,
            data_file: None,
            faults: FaultPlan::default(),
            fault_seed: None,
            body_limit: 1024 * 1024,
            big_table_threshold: 100_000,
            custom_fields: Vec::new(),
        }
    }
}

impl EmulatorConfig {
    /// Sets [`EmulatorConfig::port`].
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets [`EmulatorConfig::org`].
    pub fn with_org(mut self, org: impl Into<String>) -> Self {
        self.org = org.into();
        self
    }

    /// Sets [`EmulatorConfig::ims_org`] (checked at start: it must end in `@AdobeOrg`).
    pub fn with_ims_org(mut self, ims_org: impl Into<String>) -> Self {
        self.ims_org = ims_org.into();
        self
    }

    /// Sets [`EmulatorConfig::api_key`].
    pub fn with_api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// Sets [`EmulatorConfig::token`].
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Sets [`EmulatorConfig::client_id`].
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Sets [`EmulatorConfig::client_secret`].
    pub fn with_client_secret(mut self, client_secret: impl Into<String>) -> Self {
        self.client_secret = client_secret.into();
        self
    }

    /// Sets [`EmulatorConfig::token_expires_in`].
    pub fn with_token_expires_in(mut self, seconds: u64) -> Self {
        self.token_expires_in = seconds;
        self
    }

    /// Sets [`EmulatorConfig::seed`].
    pub fn with_seed(mut self, profiles: u64) -> Self {
        self.seed = profiles;
        self
    }

    /// Sets [`EmulatorConfig::data_file`].
    pub fn with_data_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_file = Some(path.into());
        self
    }

    /// Sets [`EmulatorConfig::faults`].
    pub fn with_faults(mut self, faults: FaultPlan) -> Self {
        self.faults = faults;
        self
    }

    /// Sets [`EmulatorConfig::fault_seed`].
    pub fn with_fault_seed(mut self, seed: u64) -> Self {
        self.fault_seed = Some(seed);
        self
    }

    /// Sets [`EmulatorConfig::body_limit`].
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets [`EmulatorConfig::big_table_threshold`].
    pub fn with_big_table_threshold(mut self, rows: usize) -> Self {
        self.big_table_threshold = rows;
        self
    }

    /// Adds a custom field to [`EmulatorConfig::custom_fields`] (e.g. `cusOptOutCcpa`, `boolean`).
    pub fn with_custom_field(
        mut self,
        name: impl Into<String>,
        type_name: impl Into<String>,
    ) -> Self {
        self.custom_fields.push((name.into(), type_name.into()));
        self
    }

    /// Why [`EmulatorConfig::ims_org`] is unusable, if it is (IMS org ids end in `@AdobeOrg`).
    pub fn ims_org_problem(&self) -> Option<String> {
        let id = self.ims_org.strip_suffix("@AdobeOrg").unwrap_or("");
        let usable = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric());
        (!usable).then(|| {
            format!(
                "the IMS org must be letters and digits followed by @AdobeOrg, e.g. {DEFAULT_IMS_ORG} (got {:?})",
                self.ims_org
            )
        })
    }

    /// The `client_id` the token endpoint accepts.
    pub fn effective_client_id(&self) -> &str {
        self.client_id.as_deref().unwrap_or(&self.api_key)
    }
}

/// Credentials are redacted: a config can be logged safely.
impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("port", &self.port)
            .field("org", &self.org)
            .field("ims_org", &self.ims_org)
            .field("api_key", &"<redacted>")
            .field("token", &"<redacted>")
            .field("client_id", &self.client_id.as_ref().map(|_| "<redacted>"))
            .field("client_secret", &"<redacted>")
            .field("token_expires_in", &self.token_expires_in)
            .field("seed", &self.seed)
            .field("data_file", &self.data_file)
            .field("faults", &self.faults)
            .field("fault_seed", &self.fault_seed)
            .field("body_limit", &self.body_limit)
            .field("big_table_threshold", &self.big_table_threshold)
            .field("custom_fields", &self.custom_fields)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_credentials() {
        let config = EmulatorConfig::default()
            .with_api_key("k-123")
            .with_token("t-456")
            .with_client_secret("s-789");
        let debug = format!("{config:?}");
        for secret in ["k-123", "t-456", "s-789"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(config.effective_client_id(), "k-123");
        assert!(
            debug.contains(DEFAULT_IMS_ORG),
            "the IMS org is not a secret"
        );
    }

    #[test]
    fn ims_orgs_end_in_adobe_org() {
        assert_eq!(EmulatorConfig::default().ims_org_problem(), None);
        let ok = EmulatorConfig::default().with_ims_org("ABC123@AdobeOrg");
        assert_eq!(ok.ims_org_problem(), None);
        for bad in ["ABC123", "@AdobeOrg", "A B@AdobeOrg", "abc@adobeorg"] {
            let config = EmulatorConfig::default().with_ims_org(bad);
            assert!(config.ims_org_problem().is_some(), "{bad}");
        }
    }
}
