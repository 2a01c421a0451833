// Agreement with the IAB's own decoder: every GPP string of tests/vectors/signals.json that
// @iabgpp/cmpapi can read is decoded by cmpapi's GppModel and by the package's decodeGpp, and
// every field of every US section present must hold the same value in both (the IAB's field
// names with a lower-case first letter on our side: `SaleOptOut` is `saleOptOut`), as must the GPC sub-section, the sensitive-data-consent segment and the merged
// opt-outs. Fails when any state section (or uspv1, usnat, usca) was never compared, so the
// check cannot pass on an empty or shrunken file. scripts/test-js.sh copies it into the scratch
// project, where both packages are installed, and runs:
//   node gpp-agreement.mjs tests/vectors/signals.json
import { GppModel } from "@iabgpp/cmpapi";
import { decodeGpp } from "ccpa-optout";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

const US_SECTIONS = [
  "uspv1", "usnat", "usca", "usva", "usco", "usut", "usct", "usfl", "usmt", "usor", "ustx",
  "usde", "usia", "usne", "usnh", "usnj", "ustn", "usmn", "usmd", "usin", "usky", "usri",
];
// cmpapi's fields that are not fields of the spec: how it tracks what follows the core.
const BOOKKEEPING = new Set(["GpcSegmentType", "GpcSegmentIncluded", "SensitiveDataConsentSegmentIncluded"]);
const USPV1_KEYS = { Version: "version", Notice: "notice", OptOutSale: "optOutSale", LspaCovered: "lspa" };
const CONSENT_SEGMENT = new Set(["usin", "usky", "usri"]);

const ourKey = (name) => name[0].toLowerCase() + name.slice(1);
const optOut = (raw) => (raw === 1 ? true : raw === 2 ? false : null);
const anyOptOut = (values) => (values.includes(true) ? true : values.includes(false) ? false : null);
/** The section's `Gpc` as cmpapi reads it: `null` when the sub-section is absent, or when the
 * section defines none (cmpapi then refuses the field name). */
function cmpapiGpc(model, section) {
  try {
    return model.getFieldValue(section, "GpcSegmentIncluded") ? model.getFieldValue(section, "Gpc") : null;
  } catch {
    return null;
  }
}

/** cmpapi's reading of one string: `{ids, sections: {name: {Field: value}}, model}`, or null. */
function cmpapiRead(text) {
  try {
    const model = new GppModel(text);
    const ids = model.getSectionIds();
    const sections = model.toObject(); // decodes every section, or throws
    return { ids, sections, model };
  } catch {
    return null;
  }
}

/** The differences between cmpapi's and our reading of one US section. */
function compareSection(name, theirs, model, ours, notes) {
  const problems = [];
  const same = (key, expected, actual) => {
    if (!isDeepStrictEqual(expected, actual)) problems.push(`${name}.${key}: cmpapi ${JSON.stringify(expected)}, ours ${JSON.stringify(actual)}`);
  };
  for (const [field, value] of Object.entries(theirs)) {
    if (BOOKKEEPING.has(field) || field === "Gpc") continue;
    if (name === "uspv1") {
      same(USPV1_KEYS[field], typeof value === "string" ? value.toUpperCase() : value, ours[USPV1_KEYS[field]]);
      continue;
    }
    const key = ourKey(field);
    if (CONSENT_SEGMENT.has(name) && field === "SensitiveDataProcessing") {
      // Lives in the sensitive-data-consent segment; cmpapi reports zeros when it is absent.
      same(key, model.getFieldValue(name, "SensitiveDataConsentSegmentIncluded") ? value : null, ours[key]);
    } else if (name === "usnat" && Array.isArray(value) && value.length !== ours[key]?.length) {
      // usnat's layout: we choose it by length, cmpapi by Version (privacy-signals.md §3.6).
      const common = Math.min(value.length, ours[key].length);
      same(`${key} (first ${common})`, value.slice(0, common), ours[key].slice(0, common));
      notes.add(`usnat layout chosen by length where cmpapi uses Version: ${field} compared on the common prefix`);
    } else {
      same(key, value, ours[key]);
    }
  }
  if (name !== "uspv1") same("gpc", cmpapiGpc(model, name), ours.gpc);
  return problems;
}

const file = process.argv[2] ?? `${process.env.CCPA_REPO_ROOT}/tests/vectors/signals.json`;
const texts = [...new Set(JSON.parse(readFileSync(file, "utf8")).cases
  .map((testCase) => testCase.input?.gpp)
  .filter((gpp) => typeof gpp === "string"))];

const compared = Object.fromEntries(US_SECTIONS.map((name) => [name, 0]));
const problems = [];
const notes = new Set();
let both = 0, onlyCmpapi = 0, neither = 0, onlyOurs = 0;
for (const text of texts) {
  const theirs = cmpapiRead(text);
  let ours = null;
  try {
    ours = decodeGpp(text);
  } catch {
    // Structure we refuse (a 1 bit after the last field, a sub-section a section does not define, …).
  }
  if (!theirs) {
    if (ours) onlyOurs += 1; else neither += 1;
    continue;
  }
  if (!ours) {
    onlyCmpapi += 1;
    continue;
  }
  both += 1;
  const fail = (problem) => problems.push(`${text}: ${problem}`);
  // cmpapi lists only the sections it knows; compare the US ones (6–27).
  const usIds = (ids) => ids.filter((id) => id >= 6 && id <= 27);
  if (!isDeepStrictEqual(usIds(theirs.ids), usIds(ours.sectionIds))) fail(`US section ids ${theirs.ids} vs ${ours.sectionIds}`);
  const unreadableSections = new Set(ours.unreadable.filter((part) => part.field === null).map((part) => part.section));
  const sale = [], sharing = [], targeted = [], gpc = [];
  for (const name of US_SECTIONS.filter((n) => n in theirs.sections)) {
    if (unreadableSections.has(name)) {
      // A uspv1 we cannot read (1Y--); cmpapi keeps its characters. Not a field to compare.
      notes.add("a uspv1 section we report unreadable (e.g. 1Y--) is not compared");
      continue;
    }
    const mine = ours.sections[name];
    if (!mine) {
      fail(`cmpapi reads ${name}, we do not`);
      continue;
    }
    problems.push(...compareSection(name, theirs.sections[name], theirs.model, mine, notes).map((p) => `${text}: ${p}`));
    compared[name] += 1;
    const fields = theirs.sections[name];
    if (name === "uspv1") {
      sale.push({ Y: true, N: false }[String(fields.OptOutSale).toUpperCase()] ?? null);
      continue;
    }
    sale.push(optOut(fields.SaleOptOut));
    sharing.push(optOut(fields.SharingOptOut));
    targeted.push(optOut(fields.TargetedAdvertisingOptOut));
    gpc.push(cmpapiGpc(theirs.model, name));
  }
  const merged = { saleOptOut: anyOptOut(sale), sharingOptOut: anyOptOut(sharing), targetedAdvertisingOptOut: anyOptOut(targeted), gpc: anyOptOut(gpc) };
  for (const [key, value] of Object.entries(merged)) {
    if (value !== ours[key]) fail(`merged ${key}: from cmpapi's fields ${value}, ours ${ours[key]}`);
  }
}

const missing = US_SECTIONS.filter((name) => compared[name] === 0);
if (missing.length) problems.push(`no string of ${file} holding ${missing.join(", ")} was read by both decoders`);
const perSection = US_SECTIONS.map((name) => `${name} ${compared[name]}`).join(", ");
console.log(`cmpapi 3.2.0 and decodeGpp both read ${both} GPP strings; sections compared field by field: ${perSection} (${onlyOurs} read only by us, ${onlyCmpapi} only by cmpapi, ${neither} by neither)`);
for (const note of notes) console.log(`  note: ${note}`);
if (problems.length) {
  for (const problem of problems) console.error(`disagreement: ${problem}`);
  process.exit(1);
}
