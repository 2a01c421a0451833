//! `uniffi-bindgen`: generates the Kotlin, Swift and Python sources of `ccpa-optout-uniffi`.
//!
//! Built from the same pinned `uniffi` as the library, so the generated code always matches
//! the scaffolding compiled into it. Run it through `scripts/generate-uniffi.sh`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
