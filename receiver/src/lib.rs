#![doc = include_str!("../README.md")]

pub mod audit;
pub mod body;
pub mod calendar;
pub mod config;
pub mod error;
pub mod health;
pub mod intake;
pub mod keys;
pub mod metrics;
mod receiver;
pub mod routes;
pub mod store;
pub mod token;
pub mod worker;

pub use config::{AddressLimit, ConfigError, ReceiverConfig, WorkerConfig};
pub use error::ApiError;
pub use keys::ApiKeys;
pub use receiver::{Receiver, router, shutdown_signal};
pub use store::{
    PostgresStore, SqliteStore, Store, StoreError, open_store, open_store_read_only, store_label,
};
pub use token::SubjectTokenVerifier;
