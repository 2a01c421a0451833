#![doc = include_str!("../README.md")]

mod error;
pub mod signals;

pub use error::{Error, ErrorKind, Result};
