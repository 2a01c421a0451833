//! GPP decoding throughput over realistic strings; `scripts/bench/signals.sh` sets it beside `@iabgpp/cmpapi`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use ccpa_optout::signals::{decode_gpp, derive_opt_out};
use criterion::Criterion;

/// `(id, GPP string, [sale, sharing, targeted advertising, gpc])`. The script runs the same
/// strings through cmpapi and checks it reads the same values.
const STRINGS: [(&str, &str, [Option<bool>; 4]); 4] = [
    (
        "usnat_v2_gpc",
        "DBABLA~CVVVAAAAAABY.YA",
        [Some(true), Some(true), Some(true), Some(true)],
    ),
    (
        "usca",
        "DBABBg~BVWSSSVY.YA",
        [Some(true), Some(true), None, Some(true)],
    ),
    ("uspv1", "DBABTA~1YNN", [Some(false), None, None, None]),
    (
        "tcf_uspv1_usnat_usca",
        "DBACPbA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN~CVVqAAAAAACA.QA~BVWSSSVY.YA",
        [Some(true), Some(true), Some(false), Some(true)],
    ),
];

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_gpp");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (id, text, expected) in STRINGS {
        let gpp = decode_gpp(text).unwrap();
        let read = [
            gpp.sale_opt_out,
            gpp.sharing_opt_out,
            gpp.targeted_advertising_opt_out,
            gpp.gpc,
        ];
        assert_eq!(read, expected, "{id}");
        group.bench_function(id, |b| b.iter(|| decode_gpp(black_box(text)).unwrap()));
    }
    group.finish();

    let mut group = c.benchmark_group("derive_opt_out");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let (_, multi, _) = STRINGS[3];
    group.bench_function("gpc_usp_gpp", |b| {
        b.iter(|| derive_opt_out(Some(true), Some(black_box("1YNN")), Some(black_box(multi))))
    });
    group.finish();
}

criterion::criterion_group!(signals, benches);
criterion::criterion_main!(signals);
