//! `serve --emulator`: an embedded emulator, a temporary store and generated credentials,
//! with curl lines that work as printed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use acs_emulator::seed;
use ccpa_optout::ClientConfig;
use ccpa_optout_receiver::ApiKeys;
use ccpa_optout_receiver::keys::random_hex;

use crate::args::ConnectionArgs;
use crate::emulator::{DEMO_SEED, Embedded};
use crate::failure::Failure;

/// The demo's emulator, directory and credentials.
pub struct Demo {
    embedded: Embedded,
    dir: PathBuf,
    api_key: String,
    secret: String,
    print: bool,
}

impl Demo {
    /// Starts the emulator and writes a new API key and subject-token secret into a fresh
    /// temporary directory (readable by the user only), beside the store.
    pub async fn start(print: bool) -> Result<Demo, Failure> {
        let random = |bytes| random_hex(bytes).map_err(|e| Failure::failed(e.to_string()));
        let dir = std::env::temp_dir().join(format!("ccpa-optout-serve-demo-{}", random(6)?));
        std::fs::create_dir_all(&dir)
            .map_err(|e| Failure::failed(format!("cannot create {}: {e}", dir.display())))?;
        let demo = Demo {
            embedded: Embedded::start().await?,
            api_key: format!("rk_demo_{}", random(16)?),
            secret: random(32)?,
            dir,
            print,
        };
        write_private(&demo.key_file(), &demo.api_key)?;
        write_private(&demo.secret_file(), &demo.secret)?;
        Ok(demo)
    }

    /// The ACS settings of the embedded emulator (the other connection options still apply).
    pub fn client_config(&self, connection: &ConnectionArgs) -> Result<ClientConfig, Failure> {
        self.embedded.client_config(connection)
    }

    /// The demo's one API key.
    pub fn api_keys(&self) -> Result<ApiKeys, Failure> {
        ApiKeys::new([&self.api_key]).map_err(|e| Failure::failed(e.to_string()))
    }

    /// The demo's subject-token secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The temporary store.
    pub fn store_url(&self) -> String {
        format!("sqlite:{}", self.dir.join("receiver.db").display())
    }

    /// What to print after the `listening on` line.
    pub fn instructions(&self, url: &str) -> String {
        let (key, secret) = if self.print {
            (self.api_key.clone(), self.secret.clone())
        } else {
            (
                format!("$(cat {})", self.key_file().display()),
                format!("in {}", self.secret_file().display()),
            )
        };
        let key_line = if self.print {
            self.api_key.clone()
        } else {
            format!("in {}", self.key_file().display())
        };
        let mut text = String::new();
        let _ = writeln!(
            text,
            "embedded ACS emulator at {} with {DEMO_SEED} demo profiles; temporary store {}",
            self.embedded.base_url(),
            self.store_url()
        );
        let _ = writeln!(text, "receiver API key: {key_line}");
        let _ = writeln!(text, "subject-token secret: {secret}");
        let _ = writeln!(text, "try:");
        let _ = writeln!(
            text,
            "  curl -s -H \"Authorization: Bearer {key}\" -H 'Content-Type: application/json' -d '{{\"email\":\"{}\",\"optOut\":true}}' {url}/v1/opt-outs",
            seed::email(0)
        );
        let _ = writeln!(
            text,
            "  curl -s -H \"Authorization: Bearer {key}\" {url}/v1/opt-outs/ID    # ID from the answer above"
        );
        if self.print {
            let token = ccpa_optout::mint_subject_token(
                self.secret.as_bytes(),
                &seed::email(1),
                Duration::from_secs(3600),
            );
            if let Ok(token) = token {
                let _ = writeln!(
                    text,
                    "  curl -s -H \"Authorization: Bearer {token}\" -H 'Sec-GPC: 1' -H 'Content-Type: application/json' -d '{{}}' {url}/v1/signals    # a browser's GPC signal, with a subject token for {} (1 hour)",
                    seed::email(1)
                );
            }
        }
        let _ = writeln!(text, "Ctrl-C stops it (the temporary store goes with it).");
        text
    }

    /// Stops the emulator and removes the temporary directory.
    pub async fn stop(self) {
        self.embedded.shutdown().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    fn key_file(&self) -> PathBuf {
        self.dir.join("api-key")
    }

    fn secret_file(&self) -> PathBuf {
        self.dir.join("subject-token-secret")
    }
}

fn write_private(path: &Path, content: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| Failure::failed(format!("cannot create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut file, content.as_bytes())
        .map_err(|e| Failure::failed(format!("cannot write {}: {e}", path.display())))
}
