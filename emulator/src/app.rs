//! The emulator's shared state: store, tokens, faults, counters and the optional journal.

use std::sync::{Mutex, RwLock, RwLockReadGuard};

use crate::acs_error::AcsError;
use crate::auth::Tokens;
use crate::clock;
use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::jobs::Jobs;
use crate::journal::Journal;
use crate::persist::{self, JournalError};
use crate::privacy::PrivacyRequests;
use crate::seed;
use crate::stats::StatsCounter;
use crate::store::{Record, Store};

/// Rewrite the data file once this much was appended (and twice the live data).
const COMPACT_AFTER_BYTES: u64 = 64 * 1024 * 1024;

/// Journal lines produced by one change; collected only when a data file is in use.
#[derive(Debug)]
pub struct JournalLines {
    enabled: bool,
    bytes: Vec<u8>,
}

impl JournalLines {
    /// Logs a created or changed profile.
    pub fn put(&mut self, record: &Record) {
        if self.enabled {
            self.bytes.extend_from_slice(&persist::put_line(record));
        }
    }

    /// Logs a deleted profile.
    pub fn delete(&mut self, pkey: &str) {
        if self.enabled {
            self.bytes.extend_from_slice(&persist::delete_line(pkey));
        }
    }

    fn reset(&mut self) {
        if self.enabled {
            self.bytes.extend_from_slice(&persist::reset_line());
        }
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct App {
    /// The settings the emulator started with.
    pub config: EmulatorConfig,
    store: RwLock<Store>,
    /// Accepted access tokens.
    pub tokens: Tokens,
    /// Fault injection.
    pub faults: Faults,
    /// Request counters.
    pub stats: StatsCounter,
    /// Privacy requests (memory only).
    pub privacy: PrivacyRequests,
    /// Privacy Service jobs and their schedule (memory only).
    pub jobs: Jobs,
    /// `127.0.0.1:{port}`: the origin of `href`s when a request has no `Host`.
    pub host: String,
    /// Locked only while the store's write lock is held (the order of both is the same).
    journal: Option<Mutex<Journal>>,
}

impl App {
    /// Loads the data file (if any), seeds an empty store, compacts and opens the journal.
    /// `host` is the bound `127.0.0.1:{port}`.
    pub fn new(config: EmulatorConfig, host: String) -> Result<App, JournalError> {
        let mut store = Store::default();
        let mut had_entries = false;
        if let Some(path) = &config.data_file {
            had_entries = persist::replay(path, &mut store)?.had_entries;
        }
        if !had_entries {
            seed_into(
                &mut store,
                config.seed,
                &mut JournalLines {
                    enabled: false,
                    bytes: Vec::new(),
                },
            );
        }
        let journal = match &config.data_file {
            Some(path) => {
                let size = persist::compact(path, &store)?;
                Some(Mutex::new(Journal::open(path, size, COMPACT_AFTER_BYTES)?))
            }
            None => None,
        };
        let dice_seed = config
            .fault_seed
            .unwrap_or_else(|| clock::now_ms().unsigned_abs());
        Ok(App {
            faults: Faults::new(config.faults.clone(), dice_seed),
            tokens: Tokens::new(dice_seed ^ 0x70_6B_65_6E),
            stats: StatsCounter::default(),
            privacy: PrivacyRequests::default(),
            jobs: Jobs::new(dice_seed ^ 0x6A_6F_62_73),
            store: RwLock::new(store),
            journal,
            host,
            config,
        })
    }

    /// Read access to the store.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies `change` under the write lock; what it journals is durable before this returns.
    pub async fn write<T>(
        &self,
        change: impl FnOnce(&mut Store, &mut JournalLines) -> Result<T, AcsError>,
    ) -> Result<T, AcsError> {
        let (value, durable) = {
            let mut store = self.store.write().unwrap_or_else(|p| p.into_inner());
            let mut lines = JournalLines {
                enabled: self.journal.is_some(),
                bytes: Vec::new(),
            };
            let value = change(&mut store, &mut lines)?;
            let durable = match &self.journal {
                Some(journal) if !lines.bytes.is_empty() => {
                    let mut journal = journal.lock().unwrap_or_else(|p| p.into_inner());
                    let durable = journal.submit(lines.bytes);
                    if journal.wants_compaction() {
                        journal.compact(persist::snapshot(&store));
                    }
                    Some(durable)
                }
                _ => None,
            };
            (value, durable)
        };
        if let Some(durable) = durable {
            match durable.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    return Err(AcsError::internal(format!(
                        "The data file could not be written: {e}"
                    )));
                }
                Err(_) => return Err(AcsError::internal("The data file writer has stopped")),
            }
        }
        Ok(value)
    }

    /// Empties the store, the privacy requests, the jobs and the counters, then re-creates the
    /// seed profiles.
    pub async fn reset(&self) -> Result<(), AcsError> {
        let seed = self.config.seed;
        self.write(|store, lines| {
            store.clear();
            lines.reset();
            seed_into(store, seed, lines);
            Ok(())
        })
        .await?;
        self.privacy.clear();
        self.jobs.clear();
        self.stats.clear();
        Ok(())
    }
}

/// Creates seed profiles `0..count` (creation order = index, so their PKeys are the same each time).
fn seed_into(store: &mut Store, count: u64, lines: &mut JournalLines) {
    for index in 0..count {
        let person = seed::profile(index);
        let record = store.create_dated(person.fields, person.created_ms, person.last_modified_ms);
        lines.put(record);
    }
}
