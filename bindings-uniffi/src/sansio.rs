//! The sans-IO surface: `prepare_*` builds a request, `parse_*` reads a response; no I/O at all.

use std::sync::Arc;
use std::time::SystemTime;

use ccpa_optout::{
    AccessToken, Email, HttpRequest as CoreRequest, HttpResponse as CoreResponse, ListOptions,
    OptOutField, PKey, PatchAck, ProfileFields,
};

use crate::config::{ApiConfig, oauth_settings};
use crate::error::{Result, ffi};
use crate::http::{HttpRequest, HttpResponse};
use crate::profile::{Profile, ProfileMetadata, ProfilePage};

/// The request `build` makes with the caller's token, for the FFI.
fn prepare(
    access_token: String,
    build: impl FnOnce(&AccessToken) -> ccpa_optout::Result<CoreRequest>,
) -> Result<Arc<HttpRequest>> {
    let built = AccessToken::new(access_token).and_then(|token| build(&token));
    Ok(Arc::new(HttpRequest::new(ffi(built)?)))
}

/// What `parse` reads from the host's response; a response HTTP cannot carry is an error too.
fn read<T>(
    response: HttpResponse,
    parse: impl FnOnce(&CoreResponse) -> ccpa_optout::Result<T>,
) -> Result<T> {
    ffi(response.to_core().and_then(|response| parse(&response)))
}

/// The `prepare_*` functions that take the API settings and the caller's token: each gives
/// its export attribute (with any defaults), its own arguments and the body that builds the
/// request with the token `t`; the shared signature and the FFI conversion are written here once.
macro_rules! prepare_fns {
    ($(
        $(#[$($attr:tt)*])*
        fn $name:ident($api:ident, $token:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block
    )*) => {$(
        $(#[$($attr)*])*
        pub fn $name(
            $api: &ApiConfig,
            access_token: String,
            $($arg: $ty),*
        ) -> Result<Arc<HttpRequest>> {
            prepare(access_token, |$token| $body)
        }
    )*};
}

prepare_fns! {
    /// `GET …/profile/{PKey}`.
    #[uniffi::export]
    fn prepare_get_profile(api, t, pkey: String) {
        ccpa_optout::prepare_get_profile(&api.inner, t, &PKey::new(&pkey)?)
    }

    /// `GET …/profile/byEmail?email=…`, with `_forcePagination=true` unless turned off.
    #[uniffi::export(default(page_size = None, order = None, force_pagination = true))]
    fn prepare_find_by_email(
        api,
        t,
        email: String,
        page_size: Option<u32>,
        order: Option<String>,
        force_pagination: bool,
    ) {
        let options = ListOptions::parse(page_size, order.as_deref(), force_pagination)?;
        ccpa_optout::prepare_find_by_email(&api.inner, t, &Email::new(&email)?, &options)
    }

    /// `GET …/profile?_lineCount=…&_order=…`; `order` is e.g. `"email desc"`;
    /// `_forcePagination=true` unless turned off (ACS drops `next` on big tables without it).
    #[uniffi::export(default(page_size = None, order = None, force_pagination = true))]
    fn prepare_list_profiles(
        api,
        t,
        page_size: Option<u32>,
        order: Option<String>,
        force_pagination: bool,
    ) {
        let options = ListOptions::parse(page_size, order.as_deref(), force_pagination)?;
        ccpa_optout::prepare_list_profiles(&api.inner, t, &options)
    }

    /// `GET` of a `next.href` from a page; refused unless it stays on the configured origin.
    #[uniffi::export]
    fn prepare_follow_href(api, t, href: String) {
        ccpa_optout::prepare_follow_href(&api.inner, t, &href)
    }

    /// `POST …/profile` with the fields of a JSON object text.
    #[uniffi::export]
    fn prepare_create_profile(api, t, fields_json: String) {
        let fields = ProfileFields::from_json_text(&fields_json, &api.inner.opt_out_field)?;
        ccpa_optout::prepare_create_profile(&api.inner, t, &fields)
    }

    /// `PATCH …/profile/{PKey}` with `{"<opt-out field>": opted_out}`.
    #[uniffi::export]
    fn prepare_set_opt_out(api, t, pkey: String, opted_out: bool) {
        ccpa_optout::prepare_set_opt_out(&api.inner, t, &PKey::new(&pkey)?, opted_out)
    }

    /// `PATCH …/profile/{PKey}` with the fields of a JSON object text.
    #[uniffi::export]
    fn prepare_update_profile(api, t, pkey: String, fields_json: String) {
        let pkey = PKey::new(&pkey)?;
        let fields = ProfileFields::from_json_text(&fields_json, &api.inner.opt_out_field)?;
        ccpa_optout::prepare_update_profile(&api.inner, t, &pkey, &fields)
    }

    /// `DELETE …/profile/{PKey}`.
    #[uniffi::export]
    fn prepare_delete_profile(api, t, pkey: String) {
        ccpa_optout::prepare_delete_profile(&api.inner, t, &PKey::new(&pkey)?)
    }

    /// `GET …/profile/resourceType/profile` (field metadata).
    #[uniffi::export]
    fn prepare_profile_metadata(api, t) {
        ccpa_optout::prepare_profile_metadata(&api.inner, t)
    }
}

/// The OAuth server-to-server token request (`client_credentials`) to IMS or `token_url`.
#[uniffi::export(default(token_url = None))]
pub fn prepare_token_request(
    client_id: String,
    client_secret: String,
    scopes: String,
    token_url: Option<String>,
) -> Result<Arc<HttpRequest>> {
    let oauth = oauth_settings(client_id, client_secret, scopes, token_url).oauth_credentials();
    let built = oauth.and_then(|oauth| ccpa_optout::prepare_token_request(&oauth));
    Ok(Arc::new(HttpRequest::new(ffi(built)?)))
}

fn field(opt_out_field: &str) -> Result<OptOutField> {
    ffi(OptOutField::new(opt_out_field))
}

/// One profile (bare or `content`-wrapped); a non-2xx answer is its typed error.
#[uniffi::export(default(opt_out_field = "ccpaOptOut"))]
pub fn parse_profile(response: HttpResponse, opt_out_field: String) -> Result<Profile> {
    let field = field(&opt_out_field)?;
    let profile = read(response, |r| ccpa_optout::parse_profile(r, &field))?;
    Ok(Profile::from_core(&profile, &field))
}

/// One page of a listing or `byEmail` answer.
#[uniffi::export(default(opt_out_field = "ccpaOptOut"))]
pub fn parse_profile_page(response: HttpResponse, opt_out_field: String) -> Result<ProfilePage> {
    let field = field(&opt_out_field)?;
    let page = read(response, |r| ccpa_optout::parse_profile_page(r, &field))?;
    Ok(ProfilePage {
        content: Profile::list(&page.content, &field),
        next: page.next,
        count: page.count,
    })
}

/// The answer to a PATCH; none for an empty 2xx.
#[uniffi::export]
pub fn parse_patch_ack(response: HttpResponse) -> Result<Option<PatchAck>> {
    read(response, ccpa_optout::parse_patch_ack)
}

/// The answer to a DELETE.
#[uniffi::export]
pub fn parse_delete(response: HttpResponse) -> Result<()> {
    read(response, ccpa_optout::parse_delete)
}

/// The answer to a `count.href`.
#[uniffi::export]
pub fn parse_count(response: HttpResponse) -> Result<u64> {
    read(response, ccpa_optout::parse_count)
}

/// The profile resource's metadata, and whether `opt_out_field` is a boolean field of it.
#[uniffi::export(default(opt_out_field = "ccpaOptOut"))]
pub fn parse_profile_metadata(
    response: HttpResponse,
    opt_out_field: String,
) -> Result<ProfileMetadata> {
    let field = field(&opt_out_field)?;
    let metadata = read(response, ccpa_optout::parse_profile_metadata)?;
    Ok(ProfileMetadata::from_core(&metadata, &field))
}

/// Success, or the typed error a non-2xx answer stands for.
#[uniffi::export]
pub fn check_status(response: HttpResponse) -> Result<()> {
    read(response, ccpa_optout::check_status)
}

/// A token from IMS. An object so that printing it never shows the token.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct IssuedToken {
    token: AccessToken,
    expires_in_seconds: u64,
}

#[uniffi::export]
impl IssuedToken {
    /// The access token to send as `Authorization: Bearer …`.
    pub fn access_token(&self) -> String {
        self.token.expose().to_owned()
    }

    /// How long IMS said it stays valid (23 hours when it did not say).
    pub fn expires_in_seconds(&self) -> u64 {
        self.expires_in_seconds
    }
}

impl std::fmt::Display for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedToken(*** for {} s)", self.expires_in_seconds)
    }
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// The token endpoint's answer; a refusal is an `Auth` error.
#[uniffi::export]
pub fn parse_token_response(response: HttpResponse) -> Result<Arc<IssuedToken>> {
    let (issued, lifetime) = read(response, |r| {
        ccpa_optout::parse_token_response(r, SystemTime::now())
    })?;
    Ok(Arc::new(IssuedToken {
        token: issued.token,
        expires_in_seconds: lifetime.as_secs(),
    }))
}
