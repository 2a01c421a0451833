//! `--emulator`: an ACS emulator started inside the process, seeded with demo profiles.

use acs_emulator::{Emulator, EmulatorConfig};
use ccpa_optout::{ClientConfig, ClientSettings};

use crate::args::ConnectionArgs;
use crate::failure::Failure;

/// Seed profiles the demo emulator starts with: `acs_emulator::seed::profile(0..DEMO_SEED)`.
/// `examples/data/requests.csv` uses their emails.
pub const DEMO_SEED: u64 = 1000;

/// The embedded emulator.
pub struct Embedded {
    emulator: Emulator,
}

impl Embedded {
    /// Starts it on an ephemeral loopback port with the demo profiles.
    pub async fn start() -> Result<Embedded, Failure> {
        let config = EmulatorConfig::default().with_seed(DEMO_SEED);
        let emulator = Emulator::start(config)
            .await
            .map_err(|e| Failure::failed(format!("the embedded emulator did not start: {e}")))?;
        Ok(Embedded { emulator })
    }

    /// A client configuration for it: its tenant, credentials and base URL, with the other
    /// settings of `connection` (timeout, retries, opt-out field).
    pub fn client_config(&self, connection: &ConnectionArgs) -> Result<ClientConfig, Failure> {
        let emulator = self.emulator.config();
        let settings = ClientSettings {
            organization: Some(emulator.org.clone()),
            api_key: Some(emulator.api_key.clone()),
            access_token: Some(emulator.token.clone()),
            base_url: Some(self.emulator.base_url().to_owned()),
            // The emulator serves the Privacy Service too, on the same address.
            ims_org: Some(emulator.ims_org.clone()),
            privacy_base_url: Some(self.emulator.base_url().to_owned()),
            // The demo's own credentials: none of the environment's take part.
            client_id: None,
            client_secret: None,
            scopes: None,
            token_url: None,
            api: None,
            ..crate::config::settings(connection)
        };
        settings
            .client_config()
            .map_err(|e| crate::config::setting_failure(&e))
    }

    /// Where it listens.
    pub fn base_url(&self) -> &str {
        self.emulator.base_url()
    }

    /// Stops it.
    pub async fn shutdown(self) {
        self.emulator.shutdown().await;
    }
}
