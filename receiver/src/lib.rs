#![doc = include_str!("../README.md")]

pub mod body;
pub mod calendar;
pub mod config;
pub mod error;
pub mod intake;
pub mod keys;
pub mod store;
pub mod token;
