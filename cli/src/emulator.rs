//! `--emulator`: an ACS emulator started inside the process, seeded with demo profiles.

use ccpa_optout::ClientConfig;

use crate::args::ConnectionArgs;
use crate::failure::Failure;

/// The embedded emulator.
pub struct Embedded;

impl Embedded {
    /// Starts it on an ephemeral loopback port.
    pub async fn start() -> Result<Embedded, Failure> {
        Err(Failure::usage("this build has no embedded emulator"))
    }

    /// A client configuration for it (no credentials needed).
    pub fn client_config(&self, _connection: &ConnectionArgs) -> Result<ClientConfig, Failure> {
        Err(Failure::usage("this build has no embedded emulator"))
    }

    /// Stops it.
    pub async fn shutdown(self) {}
}
