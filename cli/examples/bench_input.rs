//! Writes a request file for benchmarks: `ROWS` CSV rows (default 100,000) whose emails are the
//! emulator's seed emails `0..SEEDED` (default `ROWS`), cycling when `ROWS > SEEDED`.
//!
//! `cargo run --release -p ccpa-optout-cli --example bench_input -- ROWS [SEEDED] > requests.csv`

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seeded: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(rows)
        .max(1);
    let emails: Vec<String> = (0..seeded.min(rows))
        .map(acs_emulator::seed::email)
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(out, "requestId,email,optOut,receivedAt,source")?;
    for n in 0..rows {
        let email = &emails[(n % emails.len() as u64) as usize];
        writeln!(out, "bench-{n},{email},true,2026-11-02T10:00:00-08:00,web")?;
    }
    out.flush()
}
