#![doc = include_str!("../README.md")]

mod acs_error;
mod admin;
mod api;
mod app;
mod auth;
mod body;
mod clock;
mod config;
mod faults;
mod fields;
mod gateway;
mod ims;
mod jobs;
mod journal;
mod limits;
mod persist;
mod pkey;
mod privacy;
mod routes;
pub mod seed;
mod server;
mod stats;
mod store;

pub use acs_error::NOT_FOUND_MESSAGE;
pub use config::{DEFAULT_IMS_ORG, EmulatorConfig};
pub use faults::{FaultError, FaultPlan, RateLimit};
pub use fields::is_custom as is_custom_field;
pub use limits::raise_open_files_limit;
pub use persist::JournalError;
pub use server::{Emulator, StartError};
pub use stats::{DROPPED, RequestCount, Stats};
