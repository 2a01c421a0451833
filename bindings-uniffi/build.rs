//! Generates the FFI records of the GPP types UniFFI cannot carry as the core defines them
//! (fixed-size arrays, `&'static str` names, a map keyed by section) from those definitions.
//!
//! Each record gets the core struct's fields, in order and with their docs, typed the way
//! UniFFI carries them (`[u8; N]` → `Vec<u8>`, `&'static str` → `String`, `BTreeMap<K, V>` → the
//! values in key order), and a `From` of the core type. So the FFI neither copies the core nor
//! drifts from it: a field the core adds reaches Kotlin and Swift by itself, and a field no rule
//! here can carry stops the build. `src/gpp.rs` includes the output.

use std::error::Error;
use std::path::Path;
use std::{env, fs};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, GenericArgument, Item, ItemStruct, PathArguments, Type};

/// The records, each with the file of `core/src/signals/` that defines it.
const RECORDS: [(&str, &str); 6] = [
    ("UsCa", "us_sections.rs"),
    ("StateField", "us_states.rs"),
    ("UsStateSection", "us_states.rs"),
    ("UnreadablePart", "gpp.rs"),
    ("GppSections", "gpp.rs"),
    ("GppSignals", "gpp.rs"),
];

/// Core types that `src/gpp.rs` converts by hand, and their FFI types.
const BY_HAND: [(&str, &str); 1] = [("FieldValue", "StateFieldValue")];

type Fallible<T> = Result<T, Box<dyn Error>>;

/// How a core value becomes its FFI value: a method call on it, and the same as a function
/// (to map over the items of a container).
struct Conversion {
    call: TokenStream,
    function: TokenStream,
}

impl Conversion {
    fn new(call: TokenStream) -> Self {
        let function = quote!(|value| value.#call);
        Conversion { call, function }
    }
}

/// The FFI type of a core field's type, and the conversion when the two differ.
fn carry(ty: &Type) -> Fallible<(TokenStream, Option<Conversion>)> {
    let refused = || format!("no rule carries `{}`", quote!(#ty)).into();
    match ty {
        Type::Array(array) => {
            let item = &array.elem;
            Ok((quote!(Vec<#item>), Some(Conversion::new(quote!(to_vec())))))
        }
        Type::Reference(reference) if quote!(#reference).to_string() == "& 'static str" => {
            let conversion = Conversion {
                call: quote!(to_owned()),
                function: quote!(str::to_owned),
            };
            Ok((quote!(String), Some(conversion)))
        }
        Type::Path(path) => {
            let last = path.path.segments.last().ok_or_else(refused)?;
            let name = last.ident.to_string();
            let into = Conversion {
                call: quote!(into()),
                function: quote!(Into::into),
            };
            if RECORDS.iter().any(|(record, _)| *record == name) {
                return Ok((quote!(#ty), Some(into)));
            }
            if let Some((_, ffi)) = BY_HAND.iter().find(|(core, _)| *core == name) {
                let ffi = format_ident!("{ffi}");
                return Ok((quote!(#ffi), Some(into)));
            }
            match (name.as_str(), type_arguments(&last.arguments).as_slice()) {
                (_, []) => Ok((quote!(#ty), None)),
                ("Option" | "Vec", [item]) => {
                    let (carried, conversion) = carry(item)?;
                    let Some(Conversion { function, .. }) = conversion else {
                        return Ok((quote!(#ty), None));
                    };
                    let container = &last.ident;
                    let call = if name == "Vec" {
                        quote!(into_iter().map(#function).collect())
                    } else {
                        quote!(map(#function))
                    };
                    Ok((quote!(#container<#carried>), Some(Conversion::new(call))))
                }
                ("BTreeMap", [_, item]) => {
                    let (carried, conversion) = carry(item)?;
                    let call = match conversion {
                        Some(Conversion { function, .. }) => {
                            quote!(into_values().map(#function).collect())
                        }
                        None => quote!(into_values().collect()),
                    };
                    Ok((quote!(Vec<#carried>), Some(Conversion::new(call))))
                }
                _ => Err(refused()),
            }
        }
        _ => Err(refused()),
    }
}

fn type_arguments(arguments: &PathArguments) -> Vec<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return Vec::new();
    };
    let types = arguments.args.iter().filter_map(|argument| match argument {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    types.collect()
}

/// The doc attributes; of a struct's, only the first paragraph (the rest is about Rust and
/// JSON).
fn docs(attributes: &[Attribute], first_paragraph: bool) -> Vec<&Attribute> {
    let blank = |attribute: &&Attribute| quote!(#attribute).to_string() == "# [doc = \"\"]";
    let docs = attributes.iter().filter(|a| a.path().is_ident("doc"));
    docs.take_while(|a| !(first_paragraph && blank(a)))
        .collect()
}

/// The FFI record of a core struct and its `From` of the core type.
fn record(core: &ItemStruct) -> Fallible<TokenStream> {
    let name = &core.ident;
    let struct_docs = docs(&core.attrs, true);
    let (mut fields, mut conversions) = (Vec::new(), Vec::new());
    for field in &core.fields {
        let ident = field.ident.as_ref().ok_or("a record field has no name")?;
        let field_docs = docs(&field.attrs, false);
        let (ty, conversion) = carry(&field.ty).map_err(|err| format!("{name}.{ident}: {err}"))?;
        fields.push(quote!(#(#field_docs)* pub #ident: #ty));
        conversions.push(match conversion {
            Some(Conversion { call, .. }) => quote!(#ident: core.#ident.#call),
            None => quote!(#ident: core.#ident),
        });
    }
    Ok(quote! {
        #(#struct_docs)*
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
        pub struct #name { #(#fields,)* }

        impl From<signals::#name> for #name {
            fn from(core: signals::#name) -> Self {
                #name { #(#conversions,)* }
            }
        }
    })
}

fn main() -> Fallible<()> {
    let signals = Path::new(&env::var("CARGO_MANIFEST_DIR")?).join("../core/src/signals");
    let mut out = TokenStream::new();
    for (name, file) in RECORDS {
        let path = signals.join(file);
        println!("cargo::rerun-if-changed={}", path.display());
        let parsed = syn::parse_file(&fs::read_to_string(&path)?)?;
        let core = parsed.items.iter().find_map(|item| match item {
            Item::Struct(found) if found.ident == name => Some(found),
            _ => None,
        });
        let core = core.ok_or_else(|| format!("{} defines no struct {name}", path.display()))?;
        out.extend(record(core)?);
    }
    fs::write(
        Path::new(&env::var("OUT_DIR")?).join("gpp_records.rs"),
        out.to_string(),
    )?;
    Ok(())
}
