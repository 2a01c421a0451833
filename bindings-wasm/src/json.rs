//! Values crossing as JSON text: JavaScript values read as JSON, serde values handed out as plain
//! objects (profiles under their ACS names, signal results with camelCase keys).

use std::io::{self, Write};

use ccpa_optout::{Error, Result};
use js_sys::JSON;
use serde::Serialize;
use serde_json::Value;
use serde_json::ser::Formatter;
use wasm_bindgen::JsValue;

use crate::error::describe_thrown;

/// A JavaScript value as JSON (through `JSON.stringify`, so `toJSON` methods apply and
/// `undefined` properties vanish). `undefined`, functions and symbols become `null`; a value
/// that cannot be written as JSON (a `BigInt`, a cycle) is a `Validation` error on `field`.
pub fn json_from_js(value: &JsValue, field: &str) -> Result<Value> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value).map_err(|thrown| {
        Error::validation(
            field,
            format!(
                "the value cannot be written as JSON ({})",
                describe_thrown(&thrown)
            ),
        )
    })?;
    match text.as_string() {
        // `from_slice`, not `from_str`: the core reads bodies with it, and a second reader
        // would be a second copy of serde_json's deserializer in the module (1.6 KB gzipped).
        Some(text) => serde_json::from_slice(text.as_bytes())
            .map_err(|_| Error::validation(field, "the value cannot be read as JSON")),
        None => Ok(Value::Null),
    }
}

/// A serde value as a plain JavaScript value, keys exactly as serialized. One JSON text and one
/// `JSON.parse` rather than a call across the boundary per property.
pub fn json_to_js(value: &impl Serialize) -> Result<JsValue> {
    let text = serde_json::to_vec(value).map_err(|_| unwritable())?;
    parse(&text)
}

/// A serde value as a plain JavaScript value whose object keys are in camelCase
/// (`section_ids` → `sectionIds`): the core's results use the contract's snake_case, and
/// JavaScript's convention is camelCase. String values (`"opt_out"`, `"gpp_usco"`) are data and
/// stay as they are.
pub fn camel_case_to_js(value: &impl Serialize) -> Result<JsValue> {
    // Room for a decoded GPP string with its sections, so the text is rarely moved while written.
    let mut text = JsonText(Vec::with_capacity(1024));
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut text, CamelCaseKeys::default());
    value.serialize(&mut serializer).map_err(|_| unwritable())?;
    parse(&text.0)
}

fn parse(text: &[u8]) -> Result<JsValue> {
    let unreadable = || Error::decode("the value cannot be read back as JSON", "");
    let text = std::str::from_utf8(text).map_err(|_| unreadable())?;
    JSON::parse(text).map_err(|_| unreadable())
}

fn unwritable() -> Error {
    Error::decode("the value cannot be written as JSON", "")
}

/// serde_json's compact output with every object key rewritten from snake_case to camelCase
/// while it is written (so the order of the keys is kept and no intermediate value is built).
#[derive(Default)]
struct CamelCaseKeys {
    in_key: bool,
    capitalize_next: bool,
}

impl Formatter for CamelCaseKeys {
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.capitalize_next = false;
        if first {
            Ok(())
        } else {
            writer.write_all(b",")
        }
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.in_key = false;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if !self.in_key {
            return writer.write_all(fragment.as_bytes());
        }
        // Keys are the core's field names: ASCII, so byte by byte is character by character.
        // Written a run at a time between underscores: a write per byte made the keys most of
        // the time `decodeGpp` spent in wasm.
        let mut rest = fragment.as_bytes();
        while let Some(at) = rest.iter().position(|&byte| byte == b'_') {
            self.write_word(writer, &rest[..at])?;
            self.capitalize_next = true;
            rest = &rest[at + 1..];
        }
        self.write_word(writer, rest)?;
        Ok(())
    }
}

impl CamelCaseKeys {
    /// One word of a key, its first letter capitalized when an underscore came before it.
    fn write_word<W: ?Sized + Write>(&mut self, writer: &mut W, word: &[u8]) -> io::Result<()> {
        match word.split_first() {
            Some((&first, rest)) if self.capitalize_next => {
                self.capitalize_next = false;
                writer.write_all(&[first.to_ascii_uppercase()])?;
                writer.write_all(rest)
            }
            _ => writer.write_all(word),
        }
    }
}

/// The JSON text being written. serde_json writes it in many pieces of one to a few bytes, and in
/// wasm a `Vec`'s `extend_from_slice` (a `memory.copy`) per one-byte piece (`"`, `:`, `,`, a
/// digit) cost about a tenth of `decodeGpp`'s time; such a byte is pushed instead.
struct JsonText(Vec<u8>);

impl Write for JsonText {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if let [byte] = buf {
            self.0.push(*byte);
        } else {
            self.0.extend_from_slice(buf);
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
