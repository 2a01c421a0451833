//! `--emulator`: an ACS emulator started inside the process, seeded with demo profiles.

use acs_emulator::{Emulator, EmulatorConfig};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, ClientConfig, Credentials, OptOutField, Organization,
};

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

    /// A client configuration for it: its tenant and credentials, the timeout and retry
    /// options of `connection` (its tenant, credentials and base URL are not used).
    pub fn client_config(&self, connection: &ConnectionArgs) -> Result<ClientConfig, Failure> {
        let config = self.emulator.config();
        let usage = |e: ccpa_optout::Error| Failure::usage(e.to_string());
        let mut api = ApiConfig::new(
            Organization::new(config.org.as_str()).map_err(usage)?,
            ApiKey::new(config.api_key.as_str()).map_err(usage)?,
        )
        .with_base_url(BaseUrl::new(self.emulator.base_url()).map_err(usage)?);
        if let Some(field) = &connection.opt_out_field {
            api = api.with_opt_out_field(OptOutField::new(field.as_str()).map_err(usage)?);
        }
        let token = AccessToken::new(config.token.as_str()).map_err(usage)?;
        let mut client = ClientConfig::new(api, Credentials::AccessToken(token));
        client.timeout = std::time::Duration::from_secs(connection.timeout.max(1));
        client.retry.max_attempts = connection.max_attempts;
        Ok(client)
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
