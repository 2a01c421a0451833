//! Sans-IO request builders: every ACS profile operation as an `http::Request<Vec<u8>>`.
//!
//! Each `prepare_*` function is pure: same input, same request; no I/O, clock or randomness.
//! Every request carries the documented headers (`Authorization`, `X-Api-Key`,
//! `Cache-Control: no-cache`, `Accept`, and `Content-Type` when there is a body); GET and
//! DELETE never carry a body.

use http::header::{ACCEPT, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderName, HeaderValue, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::config::ApiConfig;
use crate::email::Email;
use crate::pkey::PKey;
use crate::profile::ProfileFields;
use crate::secret::{AccessToken, ApiKey};
use crate::{Error, Result};

/// A request ready to send.
pub type HttpRequest = http::Request<Vec<u8>>;

/// The gateway's API key header. A constant name keeps http's table of header names (and its
/// run-time parsing) out of the build: it is 5 KB of the browser package.
const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// The content type of every JSON body the client sends.
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// The largest page size the client asks for (ACS documents no maximum; 1,000 is safe).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Query values are escaped once, spaces as `%20` (`_order=email%20desc`), `@` as `%40`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The sort order of a listing: a sortable field, ascending unless `descending`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    field: String,
    descending: bool,
}

impl Order {
    /// Sorts by `field`, which must be an attribute name (e.g. `email`, `lastModified`).
    pub fn new(field: &str, descending: bool) -> Result<Self> {
        let mut bytes = field.bytes();
        let valid = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && field.len() <= 64
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(Error::validation(
                "order",
                "the sort field must be an attribute name such as \"email\"",
            ));
        }
        Ok(Order {
            field: field.to_owned(),
            descending,
        })
    }

    /// Parses `"email"` or `"email desc"` (`asc` is accepted too).
    pub fn parse(spec: &str) -> Result<Self> {
        let mut words = spec.split_whitespace();
        let field = words.next().unwrap_or_default();
        let descending = match words.next() {
            None => false,
            Some(word) if word.eq_ignore_ascii_case("asc") => false,
            Some(word) if word.eq_ignore_ascii_case("desc") => true,
            Some(_) => {
                return Err(Error::validation(
                    "order",
                    "the order must be \"field\", \"field asc\" or \"field desc\"",
                ));
            }
        };
        if words.next().is_some() {
            return Err(Error::validation(
                "order",
                "the order must be \"field\", \"field asc\" or \"field desc\"",
            ));
        }
        Order::new(field, descending)
    }

    fn query_value(&self) -> String {
        if self.descending {
            format!("{} desc", self.field)
        } else {
            self.field.clone()
        }
    }
}

/// How to list profiles (every profile, or the matches of `byEmail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOptions {
    /// `_lineCount`: profiles per page (ACS's default is 25).
    pub page_size: Option<u32>,
    /// `_order`.
    pub order: Option<Order>,
    /// `_forcePagination=true`, on by default: on a table above `XtkBigTableThreshold` rows
    /// (100,000 unless the tenant changed it) ACS leaves `next` out of every page without it,
    /// so a client that follows pages would stop after the first one without an error.
    pub force_pagination: bool,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            page_size: None,
            order: None,
            force_pagination: true,
        }
    }
}

impl ListOptions {
    /// The options as every host takes them: an order as text (`"email desc"`), checked
    /// with the page size before any page is asked for.
    pub fn parse(
        page_size: Option<u32>,
        order: Option<&str>,
        force_pagination: bool,
    ) -> Result<Self> {
        let options = ListOptions {
            page_size,
            order: order.map(Order::parse).transpose()?,
            force_pagination,
        };
        options.validate()?;
        Ok(options)
    }

    /// Checks the options before any page is asked for: a page size from 1 to
    /// [`MAX_PAGE_SIZE`] (the order was checked when it was parsed).
    pub fn validate(&self) -> Result<()> {
        match self.page_size {
            Some(size) if size == 0 || size > MAX_PAGE_SIZE => Err(Error::validation(
                "pageSize",
                format!("the page size must be between 1 and {MAX_PAGE_SIZE}"),
            )),
            _ => Ok(()),
        }
    }

    fn query(&self) -> Result<Vec<(&'static str, String)>> {
        self.validate()?;
        let mut query = Vec::new();
        if let Some(size) = self.page_size {
            query.push(("_lineCount", size.to_string()));
        }
        if let Some(order) = &self.order {
            query.push(("_order", order.query_value()));
        }
        if self.force_pagination {
            query.push(("_forcePagination", "true".to_owned()));
        }
        Ok(query)
    }
}

/// `GET …/profile/{PKey}`.
pub fn prepare_get_profile(
    api: &ApiConfig,
    token: &AccessToken,
    pkey: &PKey,
) -> Result<HttpRequest> {
    build(api, token, Method::GET, profile_url(api, pkey), None)
}

/// `GET …/profile/byEmail?email=…`: the first page of profiles with exactly this email
/// (with `_forcePagination=true` unless `options` turn it off).
pub fn prepare_find_by_email(
    api: &ApiConfig,
    token: &AccessToken,
    email: &Email,
    options: &ListOptions,
) -> Result<HttpRequest> {
    let mut query = vec![("email", email.as_str().to_owned())];
    query.extend(options.query()?);
    let url = with_query(format!("{}/byEmail", api.profile_collection_url()), &query);
    build(api, token, Method::GET, url, None)
}

/// `GET …/profile?_lineCount=…&_order=…`: the first page of all profiles.
pub fn prepare_list_profiles(
    api: &ApiConfig,
    token: &AccessToken,
    options: &ListOptions,
) -> Result<HttpRequest> {
    let url = with_query(api.profile_collection_url(), &options.query()?);
    build(api, token, Method::GET, url, None)
}

/// `GET {href}`: a page (or count) link the server returned, used verbatim.
///
/// A relative `href` resolves against `{base_url}/{organization}/campaign`. The result must stay
/// on the configured origin, so a hostile or misconfigured server cannot make the client send
/// its token elsewhere; otherwise this is a `Validation` error on field `href`.
pub fn prepare_follow_href(
    api: &ApiConfig,
    token: &AccessToken,
    href: &str,
) -> Result<HttpRequest> {
    let url = resolve_href(api, href)?;
    build(api, token, Method::GET, url.into(), None)
}

/// `POST …/profile`: create a profile. Not blindly retryable (see `Client::create_profile`).
pub fn prepare_create_profile(
    api: &ApiConfig,
    token: &AccessToken,
    fields: &ProfileFields,
) -> Result<HttpRequest> {
    build(
        api,
        token,
        Method::POST,
        api.profile_collection_url(),
        Some(json_body(fields)?),
    )
}

/// `PATCH …/profile/{PKey}` with only the opt-out field: the CCPA write.
pub fn prepare_set_opt_out(
    api: &ApiConfig,
    token: &AccessToken,
    pkey: &PKey,
    opted_out: bool,
) -> Result<HttpRequest> {
    let fields = ProfileFields::opt_out(&api.opt_out_field, opted_out);
    prepare_update_profile(api, token, pkey, &fields)
}

/// `PATCH …/profile/{PKey}` with arbitrary fields.
pub fn prepare_update_profile(
    api: &ApiConfig,
    token: &AccessToken,
    pkey: &PKey,
    fields: &ProfileFields,
) -> Result<HttpRequest> {
    fields.check_update()?;
    build(
        api,
        token,
        Method::PATCH,
        profile_url(api, pkey),
        Some(json_body(fields)?),
    )
}

/// `DELETE …/profile/{PKey}`.
pub fn prepare_delete_profile(
    api: &ApiConfig,
    token: &AccessToken,
    pkey: &PKey,
) -> Result<HttpRequest> {
    build(api, token, Method::DELETE, profile_url(api, pkey), None)
}

/// `GET …/{api}/resourceType/profile`: the field metadata, to check the opt-out field exists.
pub fn prepare_profile_metadata(api: &ApiConfig, token: &AccessToken) -> Result<HttpRequest> {
    let url = format!(
        "{}/{}/resourceType/profile",
        api.campaign_root(),
        api.api.as_str()
    );
    build(api, token, Method::GET, url, None)
}

/// Resolves a server-given `href` and checks that it stays on the configured origin.
pub fn resolve_href(api: &ApiConfig, href: &str) -> Result<Url> {
    let refuse = |why: &str| Err(Error::validation("href", why));
    if href.chars().any(char::is_control) {
        return refuse("the link contains control characters");
    }
    let root = Url::parse(&format!("{}/", api.campaign_root())).map_err(|_| {
        Error::config(
            "baseUrl",
            "the base URL and organization do not form a valid URL",
        )
    })?;
    if !crate::config::plain_authority(href) {
        return refuse(crate::config::PLAIN_HOST);
    }
    let Ok(url) = root.join(href) else {
        return refuse("the link is not a valid URL");
    };
    if !api.base_url.same_origin(&url) {
        return refuse("the link leaves the configured origin; refusing to send credentials there");
    }
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return refuse("the link carries credentials or a fragment");
    }
    Ok(url)
}

fn profile_url(api: &ApiConfig, pkey: &PKey) -> String {
    format!(
        "{}/{}",
        api.profile_collection_url(),
        pkey.to_path_segment()
    )
}

/// Appends `query` to `url`, each value percent-encoded once.
pub(crate) fn with_query(mut url: String, query: &[(&str, String)]) -> String {
    for (i, (name, value)) in query.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        url.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
    url
}

fn json_body(fields: &ProfileFields) -> Result<Vec<u8>> {
    serde_json::to_vec(fields.as_map())
        .map_err(|_| Error::validation("fields", "the fields cannot be written as JSON"))
}

fn build(
    api: &ApiConfig,
    token: &AccessToken,
    method: Method,
    url: String,
    body: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    let builder = authorized(method, url, token, &api.api_key)?
        .header(CACHE_CONTROL, "no-cache")
        .header(ACCEPT, "application/json");
    with_body(builder, body)
}

/// A request to an Adobe gateway with the bearer token and the API key, both marked
/// sensitive: what every API this client calls requires.
pub(crate) fn authorized(
    method: Method,
    url: String,
    token: &AccessToken,
    api_key: &ApiKey,
) -> Result<http::request::Builder> {
    // Both secrets were checked to be visible ASCII when they were made, so these cannot fail;
    // the errors are still mapped (never unwrapped) and never quote the values.
    let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.expose()))
        .map_err(|_| Error::config("accessToken", "the access token cannot be sent as a header"))?;
    let mut api_key = HeaderValue::try_from(api_key.expose())
        .map_err(|_| Error::config("apiKey", "the API key cannot be sent as a header"))?;
    // Sensitive values print as "Sensitive" in a request's Debug output (and skip HPACK).
    authorization.set_sensitive(true);
    api_key.set_sensitive(true);
    Ok(http::Request::builder()
        .method(method)
        .uri(url)
        .header(AUTHORIZATION, authorization)
        .header(X_API_KEY, api_key))
}

/// The request with its JSON body (and `Content-Type`), or with none.
pub(crate) fn with_body(
    mut builder: http::request::Builder,
    body: Option<Vec<u8>>,
) -> Result<HttpRequest> {
    if body.is_some() {
        builder = builder.header(CONTENT_TYPE, JSON_CONTENT_TYPE);
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|_| Error::validation("url", "the request URL is not valid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BaseUrl, Organization};
    use crate::secret::ApiKey;

    fn api() -> ApiConfig {
        ApiConfig::new(
            Organization::new("acme").unwrap(),
            ApiKey::new("key").unwrap(),
        )
    }

    fn token() -> AccessToken {
        AccessToken::new("tok").unwrap()
    }

    #[test]
    fn descending_order_is_encoded_once() {
        let options = ListOptions {
            page_size: Some(10),
            order: Some(Order::parse("email desc").unwrap()),
            force_pagination: true,
        };
        let req = prepare_list_profiles(&api(), &token(), &options).unwrap();
        assert_eq!(
            req.uri().to_string(),
            "https://mc.adobe.io/acme/campaign/profileAndServices/profile?_lineCount=10&_order=email%20desc&_forcePagination=true"
        );
    }

    #[test]
    fn hrefs_must_stay_on_the_configured_origin() {
        let api = api().with_base_url(BaseUrl::new("http://127.0.0.1:8080").unwrap());
        assert!(
            resolve_href(
                &api,
                "http://127.0.0.1:8080/acme/campaign/profileAndServices/profile?_lineStart=@x"
            )
            .is_ok()
        );
        let relative = resolve_href(&api, "profileAndServices/profile?_lineStart=@x").unwrap();
        assert_eq!(
            relative.as_str(),
            "http://127.0.0.1:8080/acme/campaign/profileAndServices/profile?_lineStart=@x"
        );
        for bad in [
            "http://evil.example/acme",
            "https://127.0.0.1:8080/x",
            "http://127.0.0.1:8081/x",
            "//evil.example/x",
            "http://u:p@127.0.0.1:8080/x",
        ] {
            assert_eq!(
                resolve_href(&api, bad).unwrap_err().field(),
                Some("href"),
                "{bad}"
            );
        }
    }

    #[test]
    fn get_and_delete_have_no_body_and_no_content_type() {
        let pkey = PKey::new("@a").unwrap();
        for req in [
            prepare_get_profile(&api(), &token(), &pkey).unwrap(),
            prepare_delete_profile(&api(), &token(), &pkey).unwrap(),
        ] {
            assert!(req.body().is_empty());
            assert!(req.headers().get(CONTENT_TYPE).is_none());
        }
    }

    #[test]
    fn empty_updates_are_refused() {
        let err = prepare_update_profile(
            &api(),
            &token(),
            &PKey::new("@a").unwrap(),
            &ProfileFields::default(),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("fields"));
    }

    #[test]
    fn list_options_from_text_check_the_order_and_the_page_size() {
        let options = ListOptions::parse(Some(10), Some("email desc"), false).unwrap();
        assert_eq!(options.order, Some(Order::parse("email desc").unwrap()));
        assert!(!options.force_pagination);
        let err = ListOptions::parse(Some(0), None, true).unwrap_err();
        assert_eq!(err.field(), Some("pageSize"));
    }
}
