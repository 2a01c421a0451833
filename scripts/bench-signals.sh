#!/usr/bin/env bash
# GPP decodes per second: the core's decode_gpp (criterion) beside @iabgpp/cmpapi on Node, same strings, same run.
# Needs cargo and Node >= 18 with npm. cmpapi goes into target/bench-signals/, never into the project.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

CMPAPI_VERSION="${CMPAPI_VERSION:-3.2.0}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
WORK="$TARGET_DIR/bench-signals"
mkdir -p "$WORK"

step "@iabgpp/cmpapi $CMPAPI_VERSION (in $WORK)"
installed="$(node -p "try { require('$WORK/node_modules/@iabgpp/cmpapi/package.json').version } catch { '' }")"
if [ "$installed" != "$CMPAPI_VERSION" ]; then
  [ -f "$WORK/package.json" ] || echo '{"private": true}' >"$WORK/package.json"
  (cd "$WORK" && npm install --no-audit --no-fund --silent "@iabgpp/cmpapi@$CMPAPI_VERSION")
fi

step "ccpa-optout decode_gpp (criterion, core/benches/signals.rs)"
cargo bench -p ccpa-optout --bench signals -- decode_gpp

step "@iabgpp/cmpapi GppModel on Node $(node --version), then the table"
# The strings and the values both decoders must read: the same as core/benches/signals.rs.
cat >"$WORK/compare.mjs" <<'EOF'
import { GppModel } from "@iabgpp/cmpapi";
import { readFileSync } from "node:fs";

const [criterionDir] = process.argv.slice(2);
const STRINGS = [
  ["usnat_v2_gpc", "DBABLA~CVVVAAAAAABY.YA", [true, true, true, true]],
  ["usca", "DBABBg~BVWSSSVY.YA", [true, true, null, true]],
  ["uspv1", "DBABTA~1YNN", [false, null, null, null]],
  ["tcf_uspv1_usnat_usca",
   "DBACPbA~CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA~1YNN~CVVqAAAAAACA.QA~BVWSSSVY.YA",
   [true, true, false, true]],
];

const anyOptOut = (values) =>
  values.includes(true) ? true : values.includes(false) ? false : null;
const optOut = (raw) => (raw === 1 ? true : raw === 2 ? false : null);

// The same work as decode_gpp: the header, then every field of each US section present
// (reading one field makes cmpapi decode the whole segment), merged into the four values.
function decode(text) {
  const model = new GppModel(text);
  const ids = model.getSectionIds();
  const sale = [], sharing = [], targeted = [], gpc = [];
  if (ids.includes(6)) {
    sale.push({ Y: true, N: false }[model.getFieldValue("uspv1", "OptOutSale")] ?? null);
  }
  if (ids.includes(7)) {
    sale.push(optOut(model.getFieldValue("usnat", "SaleOptOut")));
    sharing.push(optOut(model.getFieldValue("usnat", "SharingOptOut")));
    targeted.push(optOut(model.getFieldValue("usnat", "TargetedAdvertisingOptOut")));
    if (model.getFieldValue("usnat", "GpcSegmentIncluded")) gpc.push(model.getFieldValue("usnat", "Gpc"));
  }
  if (ids.includes(8)) {
    sale.push(optOut(model.getFieldValue("usca", "SaleOptOut")));
    sharing.push(optOut(model.getFieldValue("usca", "SharingOptOut")));
    if (model.getFieldValue("usca", "GpcSegmentIncluded")) gpc.push(model.getFieldValue("usca", "Gpc"));
  }
  return [anyOptOut(sale), anyOptOut(sharing), anyOptOut(targeted), anyOptOut(gpc)];
}

function decodesPerSecond(text) {
  const run = (ms) => {
    let count = 0, sink = 0;
    const start = process.hrtime.bigint(), end = start + BigInt(ms) * 1_000_000n;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 1000; i++) sink += decode(text).length;
      count += 1000;
      now = process.hrtime.bigint();
    }
    if (sink !== count * 4) throw new Error("unexpected result length");
    return count / (Number(now - start) / 1e9);
  };
  run(1000); // warm-up: let V8 optimise
  return run(3000);
}

const rows = [];
for (const [id, text, expected] of STRINGS) {
  const read = decode(text);
  if (JSON.stringify(read) !== JSON.stringify(expected)) {
    throw new Error(`cmpapi reads ${JSON.stringify(read)} from ${id}, expected ${JSON.stringify(expected)}`);
  }
  const estimates = JSON.parse(readFileSync(`${criterionDir}/decode_gpp/${id}/new/estimates.json`, "utf8"));
  const ours = 1e9 / estimates.median.point_estimate;
  rows.push([id, ours, decodesPerSecond(text)]);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const line = (cells) => "| " + cells.map((c, i) => (i ? c.padStart(16) : c.padEnd(22))).join(" | ") + " |";
console.log(line(["GPP string", "ours decodes/s", "cmpapi decodes/s", "ratio"]));
console.log("|" + "-".repeat(24) + "|" + ("-".repeat(18) + "|").repeat(3));
for (const [id, ours, theirs] of rows) {
  console.log(line([id, fmt(ours), fmt(theirs), (ours / theirs).toFixed(1) + "x"]));
}
EOF
(cd "$WORK" && node compare.mjs "$TARGET_DIR/criterion")
