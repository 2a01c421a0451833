//! The `ccpa-optout` command line.
fn main() {}
