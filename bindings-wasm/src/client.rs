//! `CampaignClient`: the core's async client over fetch, every operation a Promise.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use ccpa_optout::{
    Client, ClientSettings, ProfileFields, Result, SharedListing, Subject, SubjectKind,
};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::to_js_error;
use crate::json::{camel_case_to_js, json_from_js};
use crate::listing::ProfileListing;
use crate::options::{client_config, client_settings, env_settings, list_options};
use crate::responses::{ack_to_js, metadata_to_js};
use crate::signals::RawSignals;
use crate::transport::FetchTransport;
use crate::values::{
    change_to_js, email_arg, object, opt_out_arg, pkey_arg, profile_to_js, profiles_to_js,
    string_arg,
};

/// The ACS profile client (`new CampaignClient(options)`); see `index.d.ts` for the options.
///
/// Every method returns a Promise and checks its arguments before anything is sent: a bad PKey,
/// email or non-boolean opt-out rejects with a `Validation` error and no request leaves.
#[wasm_bindgen]
pub struct CampaignClient {
    inner: Rc<Client<FetchTransport>>,
}

/// An operation's future with its type erased.
pub(crate) type Running = Pin<Box<dyn Future<Output = Result<JsValue>>>>;

/// The Promise of a running operation. Not generic, so every method shares one copy of
/// wasm-bindgen's future-to-Promise machinery instead of getting its own.
pub(crate) fn promise(operation: Running) -> Promise {
    future_to_promise(async move { operation.await.map_err(|err| to_js_error(&err)) })
}

/// The client the settings describe, or the `Config` error naming the setting to fix.
fn built(settings: Result<ClientSettings>) -> std::result::Result<CampaignClient, JsValue> {
    let config = settings
        .and_then(|settings| client_config(&settings))
        .map_err(|err| to_js_error(&err))?;
    Ok(CampaignClient {
        inner: Rc::new(Client::new(config, FetchTransport)),
    })
}

impl CampaignClient {
    /// Runs an operation on its own `Rc` of the client, so the Promise outlives the method call.
    pub(crate) fn run<F>(&self, operation: impl FnOnce(Rc<Client<FetchTransport>>) -> F) -> Promise
    where
        F: Future<Output = Result<JsValue>> + 'static,
    {
        promise(Box::pin(operation(Rc::clone(&self.inner))))
    }
}

#[wasm_bindgen]
impl CampaignClient {
    /// Checks the options (a `Config` error names the one to fix) and builds the client.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> std::result::Result<CampaignClient, JsValue> {
        built(client_settings(options))
    }

    /// A client configured by the `CAMPAIGN_STANDARD_*` variables of `env` (default
    /// `process.env`), with `options` (the constructor's) taking precedence.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(
        env: &JsValue,
        options: &JsValue,
    ) -> std::result::Result<CampaignClient, JsValue> {
        let explicit = if options.is_undefined() || options.is_null() {
            Ok(ClientSettings::default())
        } else {
            client_settings(options)
        };
        built(explicit.and_then(|explicit| Ok(explicit.or(env_settings(env)?))))
    }

    /// GET one profile, as a plain object with every field.
    #[wasm_bindgen(js_name = getProfile)]
    pub fn get_profile(&self, pkey: JsValue) -> Promise {
        self.run(|client| async move {
            let profile = client.get_profile(&pkey_arg(&pkey)?).await?;
            profile_to_js(&profile, &client.config().api.opt_out_field)
        })
    }

    /// The profile's opt-out boolean (`Decode` error naming the field when it has none).
    #[wasm_bindgen(js_name = getOptOut)]
    pub fn get_opt_out(&self, pkey: JsValue) -> Promise {
        self.run(|client| async move { Ok(client.get_opt_out(&pkey_arg(&pkey)?).await?.into()) })
    }

    /// Sets the opt-out idempotently (GET, PATCH only if different): `{pkey, previous, current,
    /// changed}`. Only `true`/`false` are accepted.
    #[wasm_bindgen(js_name = setOptOut)]
    pub fn set_opt_out(&self, pkey: JsValue, opted_out: JsValue) -> Promise {
        self.run(|client| async move {
            let pkey = pkey_arg(&pkey)?;
            let opted_out = opt_out_arg(&opted_out, &client.config().api.opt_out_field)?;
            Ok(change_to_js(&client.set_opt_out(&pkey, opted_out).await?))
        })
    }

    /// Every profile with exactly this email (all pages of `byEmail`).
    #[wasm_bindgen(js_name = findByEmail)]
    pub fn find_by_email(&self, email: JsValue) -> Promise {
        self.run(|client| async move {
            let found = client.find_by_email(&email_arg(&email)?).await?;
            profiles_to_js(&found, &client.config().api.opt_out_field)
        })
    }

    /// Sets the opt-out (default `true`) on every profile with this email; one change each.
    #[wasm_bindgen(js_name = optOutByEmail)]
    pub fn opt_out_by_email(&self, email: JsValue, opted_out: JsValue) -> Promise {
        self.run(|client| async move {
            let email = email_arg(&email)?;
            let opted_out = if opted_out.is_undefined() {
                true
            } else {
                opt_out_arg(&opted_out, &client.config().api.opt_out_field)?
            };
            let changes = client.opt_out_by_email(&email, opted_out).await?;
            Ok(changes
                .iter()
                .map(change_to_js)
                .collect::<js_sys::Array>()
                .into())
        })
    }

    /// POST a new profile; resolves to the profile ACS created. Never blindly re-sent.
    #[wasm_bindgen(js_name = createProfile)]
    pub fn create_profile(&self, fields: JsValue) -> Promise {
        self.run(|client| async move {
            let field = &client.config().api.opt_out_field;
            let fields = ProfileFields::from_json(json_from_js(&fields, "fields")?, field)?;
            profile_to_js(&client.create_profile(&fields).await?, field)
        })
    }

    /// PATCH arbitrary writable fields; resolves to `{PKey, href}`.
    #[wasm_bindgen(js_name = updateProfile)]
    pub fn update_profile(&self, pkey: JsValue, fields: JsValue) -> Promise {
        self.run(|client| async move {
            let pkey = pkey_arg(&pkey)?;
            let field = &client.config().api.opt_out_field;
            let fields = ProfileFields::from_json(json_from_js(&fields, "fields")?, field)?;
            Ok(ack_to_js(&client.update_profile(&pkey, &fields).await?))
        })
    }

    /// DELETE a profile; resolves to `undefined`.
    #[wasm_bindgen(js_name = deleteProfile)]
    pub fn delete_profile(&self, pkey: JsValue) -> Promise {
        self.run(|client| async move {
            client.delete_profile(&pkey_arg(&pkey)?).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The profile resource's metadata: `{fields: {name: type}, optOutFieldOk}`.
    #[wasm_bindgen(js_name = profileMetadata)]
    pub fn profile_metadata(&self) -> Promise {
        self.run(|client| async move {
            let metadata = client.profile_metadata().await?;
            metadata_to_js(&metadata, &client.config().api.opt_out_field)
        })
    }

    /// `{value, reasons, changes}`: the core's `apply_signals` on a PKey or an email (its
    /// `Subject` rule tells which); the rules are documented in `index.d.ts`.
    #[wasm_bindgen(js_name = applySignals)]
    pub fn apply_signals(&self, pkey_or_email: JsValue, signals: JsValue) -> Promise {
        self.run(|client| async move {
            let subject = string_arg(&pkey_or_email, "pkeyOrEmail")?;
            let subject = Subject::parse(&subject, SubjectKind::Guess)?;
            let signals = RawSignals::from_js(&signals)?;
            let (usp, gpp) = (signals.usp.as_deref(), signals.gpp.as_deref());
            let applied = client
                .apply_signals(&subject, signals.gpc, usp, gpp)
                .await?;
            let result = camel_case_to_js(&applied.decision)?;
            let changes: js_sys::Array = applied.changes.iter().map(change_to_js).collect();
            Reflect::set(&result, &"changes".into(), &changes)
                .map_err(|_| ccpa_optout::Error::decode("the result could not be built", ""))?;
            Ok(result)
        })
    }

    /// A lazy async iterator over every profile (`for await (const p of client.listProfiles())`),
    /// fetching one page at a time. Bad options throw a `Validation` error at once.
    #[wasm_bindgen(js_name = listProfiles)]
    pub fn list_profiles(&self, options: &JsValue) -> std::result::Result<ProfileListing, JsValue> {
        let pages = list_options(options)
            .and_then(SharedListing::all)
            .map_err(|err| to_js_error(&err))?;
        Ok(ProfileListing::new(Rc::clone(&self.inner), pages))
    }

    /// What `JSON.stringify(client)` shows: where it points, never a credential.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let api = &self.inner.config().api;
        object(&[
            ("organization", api.organization.as_str().into()),
            ("baseUrl", api.base_url.as_str().into()),
            ("api", api.api.as_str().into()),
            ("optOutField", api.opt_out_field.as_str().into()),
        ])
    }

    /// `CampaignClient(acme @ https://mc.adobe.io, profileAndServices, ccpaOptOut)`.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_display(&self) -> String {
        let api = &self.inner.config().api;
        format!(
            "CampaignClient({} @ {}, {}, {})",
            api.organization,
            api.base_url.as_str(),
            api.api,
            api.opt_out_field
        )
    }
}
