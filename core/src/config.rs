//! Where requests go: tenant, base URL, API name and opt-out field, validated once.

use std::fmt;
use std::str::FromStr;

use url::{Host, Origin, Url};

use crate::secret::ApiKey;
use crate::{Error, Result};

/// The default gateway in front of every ACS tenant.
pub const DEFAULT_BASE_URL: &str = "https://mc.adobe.io";

/// The default name of the CCPA opt-out attribute on the profile resource.
pub const DEFAULT_OPT_OUT_FIELD: &str = "ccpaOptOut";

/// The ACS tenant ID (`acme`, or `acme-mkt-stage` for the stage instance).
///
/// It is the tenant Adobe assigned to the Campaign instance, not the IMS organization
/// (`…@AdobeOrg`); mixing them up is the most common set-up mistake, so it gets its own message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organization(String);

impl Organization {
    /// Validates a tenant ID: ASCII letters, digits, `-` and `_`, at most 100 characters.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        if value.ends_with("@AdobeOrg") {
            return Err(Error::config(
                "organization",
                "this is an IMS organization ID (…@AdobeOrg); ACS URLs need the Campaign tenant ID, e.g. \"acme\" or \"acme-mkt-stage\"",
            ));
        }
        let valid_chars = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if value.is_empty() || value.len() > 100 || !valid_chars || value.starts_with('-') {
            return Err(Error::config(
                "organization",
                "the tenant ID must be 1 to 100 ASCII letters, digits, '-' or '_' (e.g. \"acme\" or \"acme-mkt-stage\")",
            ));
        }
        Ok(Organization(value))
    }

    /// The tenant ID as it appears in URLs.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a stage instance (`…-mkt-stage`).
    pub fn is_stage(&self) -> bool {
        self.0.ends_with("-mkt-stage")
    }
}

impl fmt::Display for Organization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The gateway (or a company proxy in front of it) that requests are sent to.
///
/// `https://` always; plain `http://` only for loopback hosts, so a test setting can never send
/// a token in clear text over a real network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    text: String,
    origin: Origin,
}

impl BaseUrl {
    /// Parses and checks a base URL; a trailing `/` is dropped.
    pub fn new(value: &str) -> Result<Self> {
        let url = secure_url(value, "baseUrl")?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::config(
                "baseUrl",
                "the base URL must not have a query or fragment",
            ));
        }
        Ok(BaseUrl {
            text: url.as_str().trim_end_matches('/').to_owned(),
            origin: url.origin(),
        })
    }

    /// The URL without a trailing slash, ready to have paths appended.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `other` has the same scheme, host and port; followed `href`s must.
    pub fn same_origin(&self, other: &Url) -> bool {
        self.origin == other.origin()
    }
}

impl BaseUrl {
    /// `https://{host}` for one of Adobe's own gateways, without parsing (so without a failure
    /// path to handle for a constant).
    pub(crate) fn adobe_host(host: &str) -> Self {
        BaseUrl {
            text: format!("https://{host}"),
            origin: Origin::Tuple("https".to_owned(), Host::Domain(host.to_owned()), 443),
        }
    }
}

impl Default for BaseUrl {
    /// `https://mc.adobe.io`.
    fn default() -> Self {
        BaseUrl::adobe_host("mc.adobe.io")
    }
}

/// Parses an absolute URL that credentials may be sent to: `https://`, or `http://` on a
/// loopback host; no user info. `field` names the setting in errors.
pub(crate) fn secure_url(value: &str, field: &str) -> Result<Url> {
    if !plain_authority(value.trim()) {
        return Err(Error::config(field, PLAIN_HOST));
    }
    let url = Url::parse(value.trim()).map_err(|e| {
        Error::config(
            field,
            format!("not an absolute URL ({e}); expected e.g. {DEFAULT_BASE_URL}"),
        )
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(
                field,
                "plain http:// is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https://",
            ));
        }
        other => {
            return Err(Error::config(
                field,
                format!("unsupported scheme {other:?}; use https://"),
            ));
        }
    }
    if url.host().is_none() {
        return Err(Error::config(field, "the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            field,
            "credentials in the URL are not allowed; pass the API key and token separately",
        ));
    }
    Ok(url)
}

/// Why a URL whose host is not plain ASCII is refused.
pub(crate) const PLAIN_HOST: &str = "the host must be plain ASCII without percent-escapes (write an international name in punycode, xn--…)";

/// Whether the host part of a URL or link (after `scheme://`, a leading `//`, or the `scheme:`
/// of a special scheme, which url reads as `scheme://`) is free of `%` and non-ASCII.
///
/// Such hosts are never valid for this client (its IDNA adapter is ASCII-only), and url's IDNA
/// step asserts, in debug builds, on what a percent-escaped host decodes to: checking first
/// means a hostile link is a typed error, never a panic.
pub(crate) fn plain_authority(text: &str) -> bool {
    let scheme_end = text
        .find(':')
        .filter(|&at| {
            let scheme = &text[..at];
            scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        })
        .map_or(0, |at| at + 1);
    let rest = &text[scheme_end..];
    let starts_authority = scheme_end > 0 || rest.starts_with("//") || rest.starts_with("\\\\");
    if !starts_authority {
        return true;
    }
    let authority = rest.trim_start_matches(['/', '\\']);
    let end = authority
        .find(['/', '\\', '?', '#'])
        .unwrap_or(authority.len());
    authority[..end].bytes().all(|b| b.is_ascii() && b != b'%')
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The API name: the path segment after `/campaign`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApiName {
    /// `profileAndServices`: built-in fields only (the default).
    #[default]
    ProfileAndServices,
    /// `profileAndServicesExt`: also the published custom (`cus*`) fields.
    ProfileAndServicesExt,
}

impl ApiName {
    /// The path segment.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiName::ProfileAndServices => "profileAndServices",
            ApiName::ProfileAndServicesExt => "profileAndServicesExt",
        }
    }
}

impl FromStr for ApiName {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        match value {
            "profileAndServices" => Ok(ApiName::ProfileAndServices),
            "profileAndServicesExt" => Ok(ApiName::ProfileAndServicesExt),
            "profilesAndServices" | "profilesAndServicesExt" => Err(Error::config(
                "api",
                "\"profilesAndServices\" is a typo on Adobe's CCPA page; the API is \"profileAndServices\" (or \"profileAndServicesExt\")",
            )),
            _ => Err(Error::config(
                "api",
                "the API name must be \"profileAndServices\" or \"profileAndServicesExt\"",
            )),
        }
    }
}

impl fmt::Display for ApiName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name of the boolean profile attribute that records the opt-out.
///
/// `ccpaOptOut` since ACS 19.4; tenants from before that use a custom boolean on
/// `profileAndServicesExt`, typically `cusOptOutCcpa`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OptOutField(String);

impl OptOutField {
    /// Validates an attribute name: an ASCII letter, then letters, digits or `_`.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        let mut bytes = value.bytes();
        let starts_with_letter = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
        if !starts_with_letter
            || value.len() > 64
            || !bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(Error::config(
                "optOutField",
                "the opt-out field must be an attribute name such as \"ccpaOptOut\" or \"cusOptOutCcpa\"",
            ));
        }
        Ok(OptOutField(value))
    }

    /// The attribute name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for OptOutField {
    fn default() -> Self {
        OptOutField(DEFAULT_OPT_OUT_FIELD.to_owned())
    }
}

impl fmt::Display for OptOutField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything a request needs except the access token: where it goes and which key it carries.
///
/// ```
/// use ccpa_optout::{ApiConfig, ApiKey, Organization};
///
/// let api = ApiConfig::new(Organization::new("acme")?, ApiKey::new("my-client-id")?);
/// assert_eq!(api.profile_collection_url(), "https://mc.adobe.io/acme/campaign/profileAndServices/profile");
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// The tenant.
    pub organization: Organization,
    /// The integration's API key (client ID).
    pub api_key: ApiKey,
    /// The gateway or proxy.
    pub base_url: BaseUrl,
    /// `profileAndServices` or `profileAndServicesExt`.
    pub api: ApiName,
    /// The boolean attribute that records the opt-out.
    pub opt_out_field: OptOutField,
}

impl ApiConfig {
    /// A configuration with the defaults: `https://mc.adobe.io`, `profileAndServices`, `ccpaOptOut`.
    pub fn new(organization: Organization, api_key: ApiKey) -> Self {
        ApiConfig {
            organization,
            api_key,
            base_url: BaseUrl::default(),
            api: ApiName::default(),
            opt_out_field: OptOutField::default(),
        }
    }

    /// The same configuration with another base URL.
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url;
        self
    }

    /// The same configuration with another API name.
    pub fn with_api(mut self, api: ApiName) -> Self {
        self.api = api;
        self
    }

    /// The same configuration with another opt-out attribute.
    pub fn with_opt_out_field(mut self, field: OptOutField) -> Self {
        self.opt_out_field = field;
        self
    }

    /// `{base_url}/{organization}/campaign`: the root that relative `href`s resolve against.
    pub fn campaign_root(&self) -> String {
        format!(
            "{}/{}/campaign",
            self.base_url.as_str(),
            self.organization.as_str()
        )
    }

    /// `{base_url}/{organization}/campaign/{api}/profile`.
    pub fn profile_collection_url(&self) -> String {
        format!("{}/{}/profile", self.campaign_root(), self.api.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn hosts_with_escapes_or_non_ascii_are_refused_before_url_reads_them() {
        // A fuzzer's find: url percent-decodes the host ("%4E" = "N") and hands it with the
        // non-ASCII letter to IDNA, whose ASCII-only adapter asserts on the upper case.
        let hostile = "https://plapform-a~~pp%4E\u{4cb}ppp~a~~~/x";
        assert!(!plain_authority(hostile));
        assert!(!plain_authority("https:%4E\u{4cb}.example/x"));
        assert!(!plain_authority("//b\u{fc}cher.example/x"));
        assert!(!plain_authority("https:\\\\ex%41mple.com\\x"));
        assert_eq!(BaseUrl::new(hostile).unwrap_err().field(), Some("baseUrl"));
        for fine in [
            "https://mc.adobe.io/acme/campaign",
            "http://[::1]:8080/x",
            "profileAndServices/profile?_lineStart=@a%3Ab&email=j%C3%B6rg@example.com",
            "/acme/campaign/profileAndServices/profile?x=1:2",
            "?_lineStart=@x",
        ] {
            assert!(plain_authority(fine), "{fine}");
        }
    }

    #[test]
    fn stage_tenants_are_accepted_and_ims_orgs_explained() {
        assert!(Organization::new("acme-mkt-stage").unwrap().is_stage());
        let err = Organization::new("1234ABCD@AdobeOrg").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.message().contains("tenant ID"));
        for bad in ["", "ac/me", "acme\n", "-acme", "ac me", "acme?x=1"] {
            assert!(Organization::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000/",
            "http://[::1]:9",
            "https://proxy.example.com/acs/",
        ] {
            assert!(BaseUrl::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://mc.adobe.io",
            "ftp://127.0.0.1",
            "https://user:pw@mc.adobe.io",
            "mc.adobe.io",
            "https://mc.adobe.io/?x=1",
            "http://127.0.0.1.evil.com",
        ] {
            let err = BaseUrl::new(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{bad}");
        }
        assert_eq!(
            BaseUrl::new("https://proxy.example.com/acs/")
                .unwrap()
                .as_str(),
            "https://proxy.example.com/acs"
        );
    }

    #[test]
    fn the_plural_api_name_is_refused_with_the_right_spelling() {
        let err = "profilesAndServices".parse::<ApiName>().unwrap_err();
        assert!(err.message().contains("\"profileAndServices\""));
        assert_eq!(
            "profileAndServicesExt".parse::<ApiName>().unwrap(),
            ApiName::ProfileAndServicesExt
        );
    }

    #[test]
    fn opt_out_field_names_are_attribute_names() {
        assert_eq!(OptOutField::default().as_str(), "ccpaOptOut");
        assert!(OptOutField::new("cusOptOutCcpa").is_ok());
        for bad in ["", "1abc", "ccpa-opt-out", "a b", "x\"y"] {
            assert!(OptOutField::new(bad).is_err(), "{bad:?}");
        }
    }
}
