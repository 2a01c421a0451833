//! Privacy signals: the shared vectors in `tests/vectors/signals.json`, and properties over random input.
//!
//! The format is in `tests/vectors/README-signals.md`; the JavaScript and Python suites run the
//! same file. The properties check that no input panics and that a GPP encoder written here
//! (independently of the decoder) round-trips through `decode_gpp`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use ccpa_optout::signals::{
    FieldValue, MAX_UNREADABLE_MESSAGE_CHARS, OptOutReason, UsCa, UsNat, UsNatLayout, UsSection,
    UsStateSection, decode_gpp, derive_opt_out, gpc_from_header_pairs, gpc_from_headers,
    may_request_opt_in, opt_in_request_allowed_from, opt_out_due_date, parse_gpc_json, parse_usp,
};
use ccpa_optout::{Date, Error, Result};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

/// The file must hold at least this many cases, so a truncated file cannot pass vacuously.
const MINIMUM_CASES: usize = 280;
/// And at least this many for each function.
const MINIMUM_PER_FUNCTION: usize = 10;

fn text<'a>(input: &'a Value, key: &str) -> &'a str {
    input[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} should be a string in {input}"))
}

fn date(input: &Value, key: &str) -> Result<Date> {
    Date::parse(text(input, key))
}

fn to_json(value: impl Serialize) -> Result<Value> {
    Ok(serde_json::to_value(value).unwrap())
}

/// Runs one case's function on its input; the output as the JSON the contract promises.
fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "gpc_from_headers" => {
            let pairs: Vec<(String, String)> = serde_json::from_value(input["headers"].clone())
                .expect("headers should be [[name, value], ...]");
            let from_pairs = gpc_from_header_pairs(pairs.iter().map(|(n, v)| (n, v)));
            // The HeaderMap entry must agree wherever `http` accepts the header.
            let mut map = http::HeaderMap::new();
            for (name, value) in &pairs {
                map.append(
                    http::HeaderName::try_from(name.as_str()).unwrap(),
                    http::HeaderValue::try_from(value.as_str()).unwrap(),
                );
            }
            assert_eq!(gpc_from_headers(&map), from_pairs, "HeaderMap vs pairs");
            to_json(from_pairs)
        }
        "gpc_json" => to_json(parse_gpc_json(
            input["content_type"].as_str(),
            text(input, "body").as_bytes(),
        )),
        "parse_usp" => to_json(parse_usp(text(input, "usp"))?),
        "decode_gpp" => to_json(decode_gpp(text(input, "gpp"))?),
        "derive_opt_out" => to_json(derive_opt_out(
            input["gpc"].as_bool(),
            input["usp"].as_str(),
            input["gpp"].as_str(),
        )),
        "opt_out_due_date" => {
            let holidays = input["holidays"]
                .as_array()
                .unwrap()
                .iter()
                .map(|day| Date::parse(day.as_str().unwrap()))
                .collect::<Result<Vec<_>>>()?;
            to_json(opt_out_due_date(date(input, "received")?, &holidays))
        }
        "opt_in_allowed" => {
            let (opted_out_on, on) = (date(input, "opted_out_on")?, date(input, "on")?);
            to_json(json!({
                "allowed_from": opt_in_request_allowed_from(opted_out_on),
                "may_request": may_request_opt_in(opted_out_on, on),
            }))
        }
        "date_from_rfc3339" => to_json(Date::from_rfc3339(text(input, "timestamp"))?),
        other => panic!("unknown function {other:?}"),
    }
}

fn check_error(name: &str, err: &Error, expected: &Value) {
    assert_eq!(err.kind().as_str(), text(expected, "kind"), "{name}: {err}");
    if let Some(field) = expected["field"].as_str() {
        assert_eq!(err.field(), Some(field), "{name}: {err}");
    }
}

#[test]
fn every_vector_in_signals_json() {
    let path = format!(
        "{}/../tests/vectors/signals.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= MINIMUM_CASES, "only {} cases", cases.len());
    let mut per_function: BTreeMap<&str, usize> = BTreeMap::new();
    for case in cases {
        let (name, function) = (text(case, "name"), text(case, "function"));
        *per_function.entry(function).or_default() += 1;
        let outcome = run(function, &case["input"]);
        match (case.get("expected"), case.get("error"), outcome) {
            (Some(expected), None, Ok(actual)) => {
                assert_eq!(&actual, expected, "{function}: {name}")
            }
            (None, Some(expected), Err(err)) => check_error(name, &err, expected),
            (_, _, Ok(actual)) => panic!("{function}: {name}: expected an error, got {actual}"),
            (_, _, Err(err)) => panic!("{function}: {name}: unexpected error {err}"),
        }
    }
    for (function, count) in &per_function {
        assert!(
            *count >= MINIMUM_PER_FUNCTION,
            "{function} has only {count} cases"
        );
    }
    assert_eq!(per_function.len(), 8, "functions covered: {per_function:?}");
}

/// A GPP writer for the round-trip properties: bits as a `String` of `0`/`1`, then base64.
mod encoder {
    use super::*;

    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn int(bits: &mut String, value: u32, width: usize) {
        bits.push_str(&format!("{value:0width$b}"));
    }

    pub fn fibonacci(bits: &mut String, mut value: u32) {
        let mut weights = vec![1u32, 2];
        while weights[weights.len() - 1] <= value {
            weights.push(weights[weights.len() - 1] + weights[weights.len() - 2]);
        }
        let mut code = vec!['0'; weights.len()];
        for (i, weight) in weights.iter().enumerate().rev() {
            if *weight <= value {
                code[i] = '1';
                value -= weight;
            }
        }
        let code: String = code.into_iter().collect();
        bits.push_str(code.trim_end_matches('0'));
        bits.push('1');
    }

    /// `pad_bytes`: pad to whole bytes first, as the reference libraries do.
    pub fn base64(mut bits: String, pad_bytes: bool) -> String {
        while pad_bytes && !bits.len().is_multiple_of(8) {
            bits.push('0');
        }
        while !bits.len().is_multiple_of(6) {
            bits.push('0');
        }
        bits.as_bytes()
            .chunks(6)
            .map(|six| {
                let value = six.iter().fold(0, |v, b| v * 2 + usize::from(*b == b'1'));
                char::from(ALPHABET[value])
            })
            .collect()
    }

    /// A header listing `ids` (ascending), each as a single entry or runs as groups.
    pub fn header(ids: &[u32], groups: bool, pad_bytes: bool) -> String {
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for &id in ids {
            match ranges.last_mut() {
                Some((_, end)) if groups && *end + 1 == id => *end = id,
                _ => ranges.push((id, id)),
            }
        }
        let mut bits = String::new();
        int(&mut bits, 3, 6);
        int(&mut bits, 1, 6);
        int(&mut bits, ranges.len() as u32, 12);
        let mut last = 0;
        for (start, end) in ranges {
            bits.push(if start == end { '0' } else { '1' });
            fibonacci(&mut bits, start - last);
            if start != end {
                fibonacci(&mut bits, end - start);
            }
            last = end;
        }
        base64(bits, pad_bytes)
    }

    fn gpc(gpc: Option<bool>, pad_bytes: bool) -> String {
        gpc.map(|on| format!(".{}", base64(format!("01{}", u8::from(on)), pad_bytes)))
            .unwrap_or_default()
    }

    /// The four fields that end both UsNat and UsCa, in their order: the personal-data
    /// consents and the three MSPA modes.
    macro_rules! mspa_tail {
        ($section:expr) => {
            [
                $section.personal_data_consents,
                $section.mspa_covered_transaction,
                $section.mspa_opt_out_option_mode,
                $section.mspa_service_provider_mode,
            ]
        };
    }

    /// A national or state core segment: the version as Int(6), every other field two bits,
    /// then the GPC sub-section.
    fn segment(
        version: u8,
        fields: impl IntoIterator<Item = u8>,
        gpc_on: Option<bool>,
        pad_bytes: bool,
    ) -> String {
        let mut bits = String::new();
        int(&mut bits, version.into(), 6);
        fields
            .into_iter()
            .for_each(|field| int(&mut bits, field.into(), 2));
        base64(bits, pad_bytes) + &gpc(gpc_on, pad_bytes)
    }

    pub fn usnat(v: &UsNat, pad_bytes: bool) -> String {
        let notices = [
            v.sharing_notice,
            v.sale_opt_out_notice,
            v.sharing_opt_out_notice,
            v.targeted_advertising_opt_out_notice,
            v.sensitive_data_processing_opt_out_notice,
            v.sensitive_data_limit_use_notice,
        ];
        let opt_outs = [
            v.sale_opt_out,
            v.sharing_opt_out,
            v.targeted_advertising_opt_out,
        ];
        let fields = notices
            .into_iter()
            .chain(opt_outs)
            .chain(v.sensitive_data_processing.iter().copied())
            .chain(v.known_child_sensitive_data_consents.iter().copied())
            .chain(mspa_tail!(v));
        segment(v.version, fields, v.gpc, pad_bytes)
    }

    /// A state section from its decoded fields: the first (the version) is Int(6), every
    /// other number two bits; then its GPC sub-section or sensitive-data-consent segment.
    pub fn state(v: &UsStateSection, pad_bytes: bool) -> String {
        let mut bits = String::new();
        for (index, field) in v.fields.iter().enumerate() {
            match &field.value {
                FieldValue::Int(value) => {
                    int(&mut bits, (*value).into(), if index == 0 { 6 } else { 2 })
                }
                FieldValue::List(values) => values
                    .iter()
                    .for_each(|value| int(&mut bits, (*value).into(), 2)),
            }
        }
        let consent = v.sensitive_data_consents.as_ref().map(|values| {
            let mut bits = String::new();
            values
                .iter()
                .for_each(|value| int(&mut bits, (*value).into(), 2));
            format!(".{}", base64(bits, pad_bytes))
        });
        base64(bits, pad_bytes) + &gpc(v.gpc, pad_bytes) + &consent.unwrap_or_default()
    }

    pub fn usca(v: &UsCa, pad_bytes: bool) -> String {
        let head = [
            v.sale_opt_out_notice,
            v.sharing_opt_out_notice,
            v.sensitive_data_limit_use_notice,
            v.sale_opt_out,
            v.sharing_opt_out,
        ];
        let fields = head
            .into_iter()
            .chain(v.sensitive_data_processing)
            .chain(v.known_child_sensitive_data_consents)
            .chain(mspa_tail!(v));
        segment(v.version, fields, v.gpc, pad_bytes)
    }
}

#[test]
fn the_encoder_writes_the_public_examples() {
    // Pins the test encoder itself to the spec's strings before it is trusted below.
    assert_eq!(encoder::header(&[2, 6], true, false), "DBACNY");
    assert_eq!(encoder::header(&[5, 6], true, false), "DBABjw");
    assert_eq!(encoder::header(&[8], true, true), "DBABBg");
    let usca = decode_gpp("DBABBg~BVWSSSVY.YA")
        .unwrap()
        .sections
        .usca
        .unwrap();
    assert_eq!(encoder::usca(&usca, true), "BVWSSSVY.YA");
    let usnat = decode_gpp("DBABLA~BAAAVVVVUQA.QA")
        .unwrap()
        .sections
        .usnat
        .unwrap();
    assert_eq!(encoder::usnat(&usnat, true), "BAAAVVVVUQA.QA");
}

#[test]
fn a_hostile_megabyte_signal_gives_a_bounded_reason() {
    let usp = "1".repeat(1 << 20);
    let gpp = format!("DBABLA~{}", "B".repeat(1 << 20));
    let decision = derive_opt_out(Some(true), Some(&usp), Some(&gpp));
    assert_eq!(decision.value, Some(true));
    for reason in &decision.reasons[1..] {
        let OptOutReason::Unreadable { message, .. } = reason else {
            panic!("{reason:?}");
        };
        assert!(
            message.chars().count() <= MAX_UNREADABLE_MESSAGE_CHARS,
            "{message}"
        );
    }
    assert_eq!(decision.reasons.len(), 3);
}

#[test]
fn every_state_section_is_decoded_with_its_own_reason() {
    for id in 9..=27 {
        let section = state_default(id);
        assert_eq!(section.section, UsSection::from_id(id).unwrap());
        assert_eq!(
            encoder::state(&section, true),
            STATE_DEFAULTS[id as usize - 9],
            "{id}"
        );
    }
}

fn int2() -> impl Strategy<Value = u8> {
    0u8..=3
}

/// An opt-out field: mostly the defined 0–2, sometimes the undefined 3.
fn opt_out() -> impl Strategy<Value = u8> {
    prop_oneof![8 => 0u8..=2, 1 => Just(3u8)]
}

/// A UsNat or UsCa from its own leading fields and the fields both end with, in the same
/// order: the sensitive-data and child consents, the personal-data consents and MSPA modes,
/// and the GPC sub-section.
macro_rules! us_section {
    ($section:ident { $($field:ident $(: $value:expr)?),* $(,)? }, $sensitive:expr, $child:expr, $mspa:expr, $gpc:expr $(,)?) => {
        $section {
            $($field $(: $value)?,)*
            sensitive_data_processing: $sensitive,
            known_child_sensitive_data_consents: $child,
            personal_data_consents: $mspa[0],
            mspa_covered_transaction: $mspa[1],
            mspa_opt_out_option_mode: $mspa[2],
            mspa_service_provider_mode: $mspa[3],
            gpc: $gpc,
        }
    };
}

fn usnat() -> impl Strategy<Value = UsNat> {
    let layout = prop_oneof![Just(UsNatLayout::V1), Just(UsNatLayout::V2)];
    (
        layout,
        0u8..64,
        prop::array::uniform6(int2()),
        [opt_out(), opt_out(), opt_out()],
    )
        .prop_flat_map(|(layout, version, notices, opt_outs)| {
            let (sensitive, child) = match layout {
                UsNatLayout::V1 => (12, 2),
                UsNatLayout::V2 => (16, 3),
            };
            (
                prop::collection::vec(int2(), sensitive),
                prop::collection::vec(int2(), child),
                prop::array::uniform4(int2()),
                proptest::option::of(any::<bool>()),
            )
                .prop_map(move |(sensitive, child, mspa, gpc)| {
                    us_section!(
                        UsNat {
                            layout,
                            version,
                            sharing_notice: notices[0],
                            sale_opt_out_notice: notices[1],
                            sharing_opt_out_notice: notices[2],
                            targeted_advertising_opt_out_notice: notices[3],
                            sensitive_data_processing_opt_out_notice: notices[4],
                            sensitive_data_limit_use_notice: notices[5],
                            sale_opt_out: opt_outs[0],
                            sharing_opt_out: opt_outs[1],
                            targeted_advertising_opt_out: opt_outs[2],
                        },
                        sensitive,
                        child,
                        mspa,
                        gpc
                    )
                })
        })
}

fn usca() -> impl Strategy<Value = UsCa> {
    (
        (0u8..64, prop::array::uniform3(int2()), opt_out(), opt_out()),
        (
            prop::array::uniform9(int2()),
            prop::array::uniform2(int2()),
            prop::array::uniform4(int2()),
            proptest::option::of(any::<bool>()),
        ),
    )
        .prop_map(
            |((version, notices, sale, sharing), (sensitive, child, mspa, gpc))| {
                us_section!(
                    UsCa {
                        version,
                        sale_opt_out_notice: notices[0],
                        sharing_opt_out_notice: notices[1],
                        sensitive_data_limit_use_notice: notices[2],
                        sale_opt_out: sale,
                        sharing_opt_out: sharing,
                    },
                    sensitive,
                    child,
                    mspa,
                    gpc
                )
            },
        )
}

/// Each state section's default string from the IAB's encode tests (iabgpp-es): decoded
/// here only to learn the section's shape, which `state_section` then fills at random.
const STATE_DEFAULTS: [&str; 19] = [
    "BAAAABA",
    "BAAAAEA.QA",
    "BAAAAAQA",
    "BAAAAAEA.QA",
    "BAAAAABA",
    "BAAAAABA.QA",
    "BAAAAAABAA.QA",
    "BAAAAAQA.QA",
    "BAAAAAABAA.QA",
    "BAAAAAQA.QA",
    "BAAAAAQA.QA",
    "BAAAAABA.QA",
    "BAAAAAAAQA.QA",
    "BAAAAAQA.QA",
    "BAAAAAQA.QA",
    "BQAA.QA",
    "BQAA.AAA",
    "BQAA.AAA",
    "BQAA.AAA",
];

/// The IAB default of the state section with this id, decoded.
fn state_default(id: u32) -> UsStateSection {
    let text = STATE_DEFAULTS[id as usize - 9];
    let gpp = decode_gpp(&format!("{}~{text}", encoder::header(&[id], false, true))).unwrap();
    gpp.sections.states.into_values().next().unwrap()
}

/// A state section of any id 9–27 with random values in its shape (opt-outs of 3 included).
fn state_section() -> impl Strategy<Value = UsStateSection> {
    (9u32..=27).prop_flat_map(|id| {
        let shape = state_default(id);
        let numbers: usize = shape
            .fields
            .iter()
            .map(|field| match &field.value {
                FieldValue::Int(_) => 1,
                FieldValue::List(values) => values.len(),
            })
            .sum();
        let gpc = if shape.gpc.is_some() {
            proptest::option::of(any::<bool>()).boxed()
        } else {
            Just(None).boxed()
        };
        let consent = if shape.sensitive_data_consents.is_some() {
            proptest::option::of(prop::collection::vec(int2(), 8)).boxed()
        } else {
            Just(None).boxed()
        };
        (
            0u8..64,
            prop::collection::vec(int2(), numbers - 1),
            gpc,
            consent,
        )
            .prop_map(move |(version, values, gpc, consent)| {
                let mut values = std::iter::once(version).chain(values);
                let mut section = shape.clone();
                for field in &mut section.fields {
                    match &mut field.value {
                        FieldValue::Int(value) => *value = values.next().unwrap(),
                        FieldValue::List(list) => list
                            .iter_mut()
                            .for_each(|value| *value = values.next().unwrap()),
                    }
                }
                let int = |section: &UsStateSection, name: &str| match section.field(name) {
                    Some(FieldValue::Int(value)) => Some(*value),
                    _ => None,
                };
                section.version = version;
                section.sale_opt_out = int(&section, "SaleOptOut");
                section.targeted_advertising_opt_out = int(&section, "TargetedAdvertisingOptOut");
                section.gpc = gpc;
                section.sensitive_data_consents = consent;
                section
            })
    })
}

/// Any opt-out wins, then any "did not", else none — the merge rule, restated for the check.
fn merged(values: &[Option<bool>]) -> Option<bool> {
    if values.contains(&Some(true)) {
        Some(true)
    } else if values.contains(&Some(false)) {
        Some(false)
    } else {
        None
    }
}

/// A raw opt-out as the merge reads it: 3 is unreadable, so no value.
fn raw(value: u8) -> Option<bool> {
    [None, Some(true), Some(false), None][usize::from(value)]
}

/// The `section.Field` of every opt-out of 3, in order: what `unreadable` must list.
fn undefined(section: &str, fields: &[(&str, u8)]) -> Vec<String> {
    fields
        .iter()
        .filter(|(_, value)| *value == 3)
        .map(|(name, _)| format!("{section}.{name}"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn usnat_and_usca_round_trip(
        usnat in proptest::option::of(usnat()),
        usca in proptest::option::of(usca()),
        tcf in any::<bool>(),
        groups in any::<bool>(),
        pad_bytes in any::<bool>(),
    ) {
        let mut ids = Vec::new();
        let mut sections = Vec::new();
        if tcf {
            ids.push(2);
            sections.push("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA".to_owned());
        }
        if let Some(v) = &usnat {
            ids.push(7);
            sections.push(encoder::usnat(v, pad_bytes));
        }
        if let Some(v) = &usca {
            ids.push(8);
            sections.push(encoder::usca(v, pad_bytes));
        }
        let text = std::iter::once(encoder::header(&ids, groups, pad_bytes))
            .chain(sections)
            .collect::<Vec<_>>()
            .join("~");
        let gpp = decode_gpp(&text).unwrap();
        prop_assert_eq!(&gpp.section_ids, &ids);
        prop_assert_eq!(&gpp.sections.usnat, &usnat);
        prop_assert_eq!(&gpp.sections.usca, &usca);
        let sale = [usnat.as_ref().and_then(|v| raw(v.sale_opt_out)), usca.as_ref().and_then(|v| raw(v.sale_opt_out))];
        prop_assert_eq!(gpp.sale_opt_out, merged(&sale));
        let gpc = [usnat.as_ref().and_then(|v| v.gpc), usca.as_ref().and_then(|v| v.gpc)];
        prop_assert_eq!(gpp.gpc, merged(&gpc));
        // An opt-out of 3 is listed as unreadable, naming section and field; nothing else is.
        let mut expected = Vec::new();
        if let Some(v) = &usnat {
            expected.extend(undefined("usnat", &[("SaleOptOut", v.sale_opt_out), ("SharingOptOut", v.sharing_opt_out), ("TargetedAdvertisingOptOut", v.targeted_advertising_opt_out)]));
        }
        if let Some(v) = &usca {
            expected.extend(undefined("usca", &[("SaleOptOut", v.sale_opt_out), ("SharingOptOut", v.sharing_opt_out)]));
        }
        let listed: Vec<String> = gpp.unreadable.iter().map(|part| format!("{}.{}", part.section, part.field.unwrap())).collect();
        prop_assert_eq!(listed, expected);
        // The decision agrees with the merged fields: any opt-out anywhere wins.
        let decision = derive_opt_out(None, None, Some(&text));
        let fields = [gpp.sale_opt_out, gpp.sharing_opt_out, gpp.targeted_advertising_opt_out, gpp.gpc.filter(|on| *on)];
        prop_assert_eq!(decision.value, merged(&fields));
    }

    #[test]
    fn state_sections_round_trip(section in state_section(), pad_bytes in any::<bool>()) {
        let id = section.section.id();
        let text = format!("{}~{}", encoder::header(&[id], false, pad_bytes), encoder::state(&section, pad_bytes));
        let gpp = decode_gpp(&text).unwrap();
        prop_assert_eq!(gpp.sections.states.get(&section.section), Some(&section));
        prop_assert_eq!(&gpp.source, &[section.section]);
        let sale = section.sale_opt_out.and_then(raw);
        let targeted = section.targeted_advertising_opt_out.and_then(raw);
        prop_assert_eq!(gpp.sale_opt_out, sale);
        prop_assert_eq!(gpp.targeted_advertising_opt_out, targeted);
        prop_assert_eq!(gpp.sharing_opt_out, None);
        prop_assert_eq!(gpp.gpc, section.gpc);
        let name = section.section.name();
        let expected = undefined(name, &[("SaleOptOut", section.sale_opt_out.unwrap()), ("TargetedAdvertisingOptOut", section.targeted_advertising_opt_out.unwrap())]);
        let listed: Vec<String> = gpp.unreadable.iter().map(|part| format!("{}.{}", part.section, part.field.unwrap())).collect();
        prop_assert_eq!(listed, expected);
        // One reason for the section, named after it; the decision follows the merged fields.
        let decision = derive_opt_out(None, None, Some(&text));
        let signal = serde_json::to_value(&decision.reasons[0]).unwrap()["signal"].clone();
        prop_assert_eq!(signal, json!(format!("gpp_{name}")));
        prop_assert_eq!(decision.value, merged(&[sale, targeted, section.gpc.filter(|on| *on)]));
    }

    #[test]
    fn an_unreadable_signal_never_cancels_gpc(usp in ".{0,12}", gpp in "DB[A-Za-z0-9_=-]{0,12}(~[A-Za-z0-9_.=-]{0,16}){0,4}") {
        let decision = derive_opt_out(Some(true), Some(&usp), Some(&gpp));
        prop_assert_eq!(decision.value, Some(true));
        let unreadable = decision.reasons.iter().filter(|r| matches!(r, OptOutReason::Unreadable { .. })).count();
        let expected = usize::from(parse_usp(&usp).is_err())
            + decode_gpp(&gpp).map_or(1, |gpp| gpp.unreadable.len());
        prop_assert_eq!(unreadable, expected);
    }

    #[test]
    fn header_ids_round_trip(mut ids in prop::collection::btree_set(1u32..5000, 0..20), groups in any::<bool>()) {
        // The US sections 6–27 are decoded, so only other ids can stand beside a dummy section.
        let ids: Vec<u32> = std::mem::take(&mut ids).into_iter().filter(|id| !(6..=27).contains(id)).collect();
        let text = std::iter::once(encoder::header(&ids, groups, false))
            .chain(ids.iter().map(|_| "x".to_owned()))
            .collect::<Vec<_>>()
            .join("~");
        prop_assert_eq!(decode_gpp(&text).unwrap().section_ids, ids);
    }

    #[test]
    fn no_string_panics(text in ".{0,80}") {
        let _ = decode_gpp(&text);
        let _ = parse_usp(&text);
        let _ = Date::parse(&text);
        let _ = Date::from_rfc3339(&text);
        let _ = parse_gpc_json(Some("application/json"), text.as_bytes());
        prop_assert_ne!(gpc_from_header_pairs([("Sec-GPC", text.as_str())]), Some(false));
    }

    #[test]
    fn gpp_shaped_strings_never_panic(
        text in "DB[A-Za-z0-9_=-]{0,12}(~[A-Za-z0-9_.=-]{0,16}){0,4}",
    ) {
        let _ = derive_opt_out(Some(true), None, Some(&text));
        if let Ok(gpp) = decode_gpp(&text) {
            prop_assert_eq!(gpp.section_ids.len(), text.matches('~').count());
        }
    }

    #[test]
    fn dates_round_trip_through_iso_text(days in -719_528i64..=2_932_896) {
        let date = Date::from_days_since_epoch(days).unwrap();
        prop_assert_eq!(Date::parse(&date.to_string()).unwrap(), date);
        prop_assert_eq!(date.days_since_epoch(), days);
    }

    #[test]
    fn the_due_date_is_fifteen_business_days_later(days in 0i64..40_000, holiday_offsets in prop::collection::vec(1i64..40, 0..6)) {
        let received = Date::from_days_since_epoch(days).unwrap();
        let holidays: Vec<Date> = holiday_offsets.iter().map(|o| received.add_days(*o).unwrap()).collect();
        let due = opt_out_due_date(received, &holidays);
        prop_assert!(!due.weekday().is_weekend() && !holidays.contains(&due));
        let business_days = (1..=due.days_since_epoch() - received.days_since_epoch())
            .map(|o| received.add_days(o).unwrap())
            .filter(|d| !d.weekday().is_weekend() && !holidays.contains(d))
            .count();
        prop_assert_eq!(business_days, 15);
    }
}
