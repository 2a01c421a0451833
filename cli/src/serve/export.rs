//! `audit export`: the settled requests of a receiver's store as `bulk`'s JSONL audit records.

use std::fs::File;
use std::io::{BufWriter, Write};

use ccpa_optout_receiver::audit::{self, ExportError};
use ccpa_optout_receiver::open_store_read_only;

use super::args::ExportArgs;
use crate::failure::Failure;

/// Writes the records to `--output` or stdout; the count goes to stderr.
pub async fn export(args: &ExportArgs) -> Result<(), Failure> {
    let store = open_store_read_only(&args.store)
        .await
        .map_err(|e| Failure::usage(format!("--store: {e}")))?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", path.display())))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let written = audit::export(store.as_ref(), &mut out)
        .await
        .map_err(|e| match e {
            ExportError::Store(err) => Failure::failed(err.to_string()),
            ExportError::Write(err) => Failure::failed(format!("cannot write the records: {err}")),
        })?;
    eprintln!("{written} audit records");
    Ok(())
}
