// GPP decodes per second of @iabgpp/cmpapi on Node beside the core's decode_gpp (criterion's
// figures, read from its output folder), same strings; prints a table. scripts/bench/signals.sh
// copies it next to its cmpapi install and runs it there:
//   node gpp-cmpapi.mjs CRITERION_DIR [--json FILE] [--ours-js DIR]
// With --json, each figure is appended to FILE as one JSON line (scripts/bench/report.py). With
// --ours-js, the npm package installed in DIR (its decodeGpp: the core in wasm) is timed on Node too.
import { GppModel } from "@iabgpp/cmpapi";
import { appendFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: options, positionals: [criterionDir] } = parseArgs({
  allowPositionals: true,
  options: { json: { type: "string" }, "ours-js": { type: "string" } },
});
const jsonFile = options.json;
const oursJs = options["ours-js"]
  ? createRequire(path.join(path.resolve(options["ours-js"]), "package.json"))("ccpa-optout")
  : null;
// The strings and the values both decoders must read: the same as core/benches/signals.rs.
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

/** The package's decodeGpp read into the same four values. */
function decodeWasm(text) {
  const gpp = oursJs.decodeGpp(text);
  return [gpp.saleOptOut, gpp.sharingOptOut, gpp.targetedAdvertisingOptOut, gpp.gpc];
}

/** Decodes per second of `decode` in each of `chunks` slices of `ms` milliseconds, after a 1 s warm-up. */
function decodesPerSecond(decode, text, chunks = 6, ms = 500) {
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
  return Array.from({ length: chunks }, () => run(ms));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const CMPAPI = "@iabgpp/cmpapi GppModel";
const record = (part, id, figure, who, samples) => {
  if (!jsonFile) return;
  const line = { part, id, figure, unit: "decodes/s", better: "higher", who, ours: who !== CMPAPI, samples };
  appendFileSync(jsonFile, `${JSON.stringify(line)}\n`);
};

const rows = [];
for (const [id, text, expected] of STRINGS) {
  const read = decode(text);
  if (JSON.stringify(read) !== JSON.stringify(expected)) {
    throw new Error(`cmpapi reads ${JSON.stringify(read)} from ${id}, expected ${JSON.stringify(expected)}`);
  }
  // Criterion's samples: total time and iteration count of each.
  const sample = JSON.parse(readFileSync(`${criterionDir}/decode_gpp/${id}/new/sample.json`, "utf8"));
  const ours = sample.times.map((ns, i) => 1e9 / (ns / sample.iters[i]));
  const theirs = decodesPerSecond(decode, text);
  record("Core", `gpp.${id}`, `GPP decode: ${id}`, "ccpa-optout decode_gpp (Rust)", ours);
  record("Core", `gpp.${id}`, `GPP decode: ${id}`, CMPAPI, theirs);
  const row = [id, median(ours), median(theirs)];
  if (oursJs) {
    if (JSON.stringify(decodeWasm(text)) !== JSON.stringify(expected)) {
      throw new Error(`decodeGpp reads ${JSON.stringify(decodeWasm(text))} from ${id}, expected ${JSON.stringify(expected)}`);
    }
    const wasm = decodesPerSecond(decodeWasm, text);
    record("JavaScript", `gpp_js.${id}`, `decodeGpp on Node: ${id}`, "ccpa-optout decodeGpp (wasm)", wasm);
    record("JavaScript", `gpp_js.${id}`, `decodeGpp on Node: ${id}`, CMPAPI, theirs);
    row.push(median(wasm));
  }
  rows.push(row);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const line = (cells) => "| " + cells.map((c, i) => (i ? c.padStart(16) : c.padEnd(22))).join(" | ") + " |";
const wasmColumns = oursJs ? ["ours wasm/s", "wasm ratio"] : [];
console.log(line(["GPP string", "ours decodes/s", "cmpapi decodes/s", "ratio", ...wasmColumns]));
console.log("|" + "-".repeat(24) + "|" + ("-".repeat(18) + "|").repeat(3 + wasmColumns.length));
for (const [id, ours, theirs, wasm] of rows) {
  const wasmCells = oursJs ? [fmt(wasm), (wasm / theirs).toFixed(1) + "x"] : [];
  console.log(line([id, fmt(ours), fmt(theirs), (ours / theirs).toFixed(1) + "x", ...wasmCells]));
}
