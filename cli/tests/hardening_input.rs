//! Request files found by fuzzing the reader (`fuzz/fuzz_targets/read_rows.rs`), each pinned
//! as it must behave end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acs_emulator::seed;
use common::{Acs, audit_records, code, stderr};

/// Found by `read_rows`: with a lone CR as line end (old Mac and some export tools), every
/// record reported the line of the first one, so the audit log pointed at the wrong rows.
#[test]
fn rows_ended_by_a_lone_cr_get_their_own_line_numbers() {
    let acs = Acs::start(10);
    let input = acs.path("requests.csv");
    let audit = acs.path("audit.jsonl");
    let rows: Vec<String> = (0..3)
        .map(|i| format!("r{i},{},true", seed::email(i)))
        .collect();
    std::fs::write(
        &input,
        format!("requestId,email,optOut\r{}\r", rows.join("\r")),
    )
    .unwrap();

    assert_eq!(
        record_lines(&acs, &input, &audit),
        vec![("r0".into(), 2), ("r1".into(), 3), ("r2".into(), 4)]
    );
}

/// Found alongside: with CRLF line ends every row reported the line before its own, and a
/// blank line or a quoted value over two lines shifted every later row (LF files too).
#[test]
fn crlf_lf_and_cr_files_number_rows_by_line_across_blank_and_quoted_lines() {
    for end in ["\r\n", "\n", "\r"] {
        let acs = Acs::start(10);
        let input = acs.path("requests.csv");
        let audit = acs.path("audit.jsonl");
        let text = format!(
            "requestId,email,optOut,note{end}r0,{},true,\"two{end}lines\"{end}{end}r1,{},false{end}",
            seed::email(0),
            seed::email(1)
        );
        std::fs::write(&input, text).unwrap();
        assert_eq!(
            record_lines(&acs, &input, &audit),
            vec![("r0".into(), 2), ("r1".into(), 5)],
            "{end:?}"
        );
    }
}

/// Runs `bulk` on `input` and returns each record's request id and input line, sorted.
fn record_lines(acs: &Acs, input: &std::path::Path, audit: &std::path::Path) -> Vec<(String, u64)> {
    let output = acs.bulk(input, audit, &["--quiet"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut lines: Vec<(String, u64)> = audit_records(audit)
        .into_iter()
        .map(|r| (r.request_id, r.line.unwrap()))
        .collect();
    lines.sort();
    lines
}
