//! Shared pieces of the CLI tests: an emulator on a loopback port, the built binary, files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use acs_emulator::{Emulator, EmulatorConfig, FaultPlan, seed};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, AuditRecord, BaseUrl, Client, ClientConfig, Credentials, Email,
    ListOptions, Organization, ReqwestTransport,
};

pub mod served;

/// A token value the tests look for in every output: it must never appear.
pub const TOKEN: &str = "emulator-token";

/// An emulator seeded with `seed` profiles, running on its own runtime.
pub struct Acs {
    pub emulator: Emulator,
    pub runtime: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
}

impl Acs {
    pub fn start(seed: u64) -> Acs {
        Acs::start_with(EmulatorConfig::default().with_seed(seed).with_fault_seed(7))
    }

    /// An emulator set up by `config`.
    pub fn start_with(config: EmulatorConfig) -> Acs {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime.block_on(Emulator::start(config)).unwrap();
        Acs {
            emulator,
            runtime,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The binary with connection settings for this emulator and nothing from the environment.
    pub fn cli(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ccpa-optout"));
        for (name, _) in std::env::vars() {
            if name.starts_with("CAMPAIGN_STANDARD_") {
                command.env_remove(name);
            }
        }
        command
            .env("CAMPAIGN_STANDARD_TENANT_ID", "acme")
            .env("CAMPAIGN_STANDARD_API_KEY", "emulator-api-key")
            .env("CAMPAIGN_STANDARD_ACCESS_TOKEN", TOKEN)
            .env("CAMPAIGN_STANDARD_BASE_URL", self.emulator.base_url())
            .stdin(Stdio::null());
        command
    }

    /// The binary set up for the Privacy Service too (the emulator serves it on its address).
    pub fn privacy_cli(&self) -> Command {
        let mut command = self.cli();
        command
            .env("CAMPAIGN_STANDARD_IMS_ORG", acs_emulator::DEFAULT_IMS_ORG)
            .env(
                "CAMPAIGN_STANDARD_PRIVACY_BASE_URL",
                self.emulator.base_url(),
            );
        command
    }

    /// Every Privacy Service job the emulator holds, read with faults off.
    pub fn privacy_jobs(&self) -> Vec<ccpa_optout::privacy::PrivacyJob> {
        let mut config = self.reader().config().clone();
        config.privacy = Some(
            ccpa_optout::privacy::PrivacyConfig::new(
                ccpa_optout::privacy::ImsOrg::new(acs_emulator::DEFAULT_IMS_ORG).unwrap(),
                ApiKey::new("emulator-api-key").unwrap(),
            )
            .with_base_url(BaseUrl::new(self.emulator.base_url()).unwrap()),
        );
        let client = Client::new(config, ReqwestTransport::new().unwrap());
        let filter = ccpa_optout::privacy::JobFilter {
            page_size: 1000,
            ..Default::default()
        };
        self.runtime
            .block_on(client.list_privacy_jobs(&filter))
            .unwrap()
    }

    /// Runs `bulk` on `input` with the audit log `audit` and extra arguments.
    pub fn bulk(&self, input: &Path, audit: &Path, extra: &[&str]) -> Output {
        let output = self
            .cli()
            .arg("bulk")
            .arg(input)
            .arg("--audit")
            .arg(audit)
            .args(extra)
            .output()
            .unwrap();
        assert_no_secret(&output);
        output
    }

    /// Starts `bulk` without waiting (for the kill tests).
    pub fn spawn_bulk(&self, input: &Path, audit: &Path, extra: &[&str]) -> Child {
        self.cli()
            .arg("bulk")
            .arg(input)
            .arg("--audit")
            .arg(audit)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    pub fn set_faults(&self, json: &str) {
        self.emulator
            .set_faults(FaultPlan::from_json(json.as_bytes()).unwrap())
            .unwrap();
    }

    /// How many requests the emulator answered with `status` (0 = dropped on purpose).
    pub fn count_status(&self, status: u16) -> u64 {
        self.emulator
            .stats()
            .requests
            .iter()
            .filter(|r| r.status == status)
            .map(|r| r.count)
            .sum()
    }

    /// A core client for this emulator, for reading the state back; turns faults off.
    pub fn reader(&self) -> Client<ReqwestTransport> {
        self.emulator.set_faults(FaultPlan::default()).unwrap();
        let api = ApiConfig::new(
            Organization::new("acme").unwrap(),
            ApiKey::new("emulator-api-key").unwrap(),
        )
        .with_base_url(BaseUrl::new(self.emulator.base_url()).unwrap());
        let token = AccessToken::new(TOKEN).unwrap();
        let config = ClientConfig::new(api, Credentials::AccessToken(token));
        Client::new(config, ReqwestTransport::new().unwrap())
    }

    /// Every profile's email and opt-out, read over HTTP with faults off.
    pub fn all_opt_outs(&self) -> Vec<(String, Option<bool>)> {
        let client = self.reader();
        let options = ListOptions {
            page_size: Some(1000),
            ..ListOptions::default()
        };
        let mut listing = client.list_profiles(options);
        let mut all = Vec::new();
        while let Some(page) = self.runtime.block_on(listing.next_page()).unwrap() {
            all.extend(
                page.into_iter()
                    .map(|p| (p.email.unwrap_or_default(), p.opt_out)),
            );
        }
        all
    }

    /// The opt-out of every profile with this email, read over HTTP with faults off.
    pub fn opt_outs(&self, email: &str) -> Vec<(String, Option<bool>)> {
        let client = self.reader();
        let email = Email::new(email).unwrap();
        let profiles = self.runtime.block_on(client.find_by_email(&email)).unwrap();
        profiles
            .into_iter()
            .map(|p| (p.pkey.unwrap().as_str().to_owned(), p.opt_out))
            .collect()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Fails if the token or API key shows up in the output.
pub fn assert_no_secret(output: &Output) {
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(TOKEN), "a secret was printed: {text}");
        assert!(
            !text.contains("emulator-api-key"),
            "a secret was printed: {text}"
        );
    }
}

/// A CSV of opt-outs for the seed emails of `indexes`, with request ids `r{index}`.
pub fn seed_csv(path: &Path, indexes: impl IntoIterator<Item = u64>) {
    let mut text = String::from("requestId,email,optOut,receivedAt,source\n");
    for index in indexes {
        text.push_str(&format!(
            "r{index},{},true,2026-11-02T10:00:00-08:00,web\n",
            seed::email(index)
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// Every record of an audit log (a torn last line is ignored, as `--resume` does).
pub fn audit_records(path: &Path) -> Vec<AuditRecord> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.split_inclusive('\n')
        .filter(|line| line.ends_with('\n'))
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A number from the environment (`HARDEN_ROWS`, `RECEIVER_KILL_SEED`…), or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: the kill tests' random points, reproducible from the seed they print.
pub fn dice(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}
