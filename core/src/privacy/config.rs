//! Where Privacy Service requests go: the IMS organization, the API key and the platform gateway.

use std::fmt;

use crate::config::BaseUrl;
use crate::secret::ApiKey;
use crate::{Error, Result};

/// The Adobe Experience Platform gateway that serves the Privacy Service.
pub const DEFAULT_PRIVACY_BASE_URL: &str = "https://platform.adobe.io";

/// The path of the jobs collection under the gateway.
const JOBS_PATH: &str = "/data/core/privacy/jobs";

/// The IMS organization (`…@AdobeOrg`), sent as `x-gw-ims-org-id` and as the job's company
/// context. Not a secret: it appears in Adobe's own URLs and consoles.
///
/// ```
/// use ccpa_optout::privacy::ImsOrg;
///
/// assert!(ImsOrg::new("0123456789ABCDEF01234567@AdobeOrg").is_ok());
/// // The ACS tenant ID is another thing; the error says which one is wanted.
/// assert!(ImsOrg::new("acme").unwrap_err().message().contains("@AdobeOrg"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImsOrg(String);

impl ImsOrg {
    /// Checks the shape: 1 to 64 letters and digits, then `@AdobeOrg`.
    pub fn new(value: &str) -> Result<Self> {
        let value = value.trim();
        let valid = value.strip_suffix("@AdobeOrg").is_some_and(|id| {
            (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if !valid {
            return Err(Error::config(
                "imsOrg",
                "the IMS organization ID is letters and digits followed by @AdobeOrg \
                 (Admin Console or Developer Console), not the ACS tenant ID",
            ));
        }
        Ok(ImsOrg(value.to_owned()))
    }

    /// The ID as written, e.g. `0123…@AdobeOrg`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImsOrg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything a Privacy Service request needs besides its token.
///
/// ```
/// use ccpa_optout::ApiKey;
/// use ccpa_optout::privacy::{ImsOrg, PrivacyConfig};
///
/// let privacy = PrivacyConfig::new(ImsOrg::new("ABC123@AdobeOrg")?, ApiKey::new("my-client-id")?);
/// assert_eq!(privacy.jobs_url(), "https://platform.adobe.io/data/core/privacy/jobs");
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyConfig {
    /// `x-gw-ims-org-id` and the `imsOrgID` company context.
    pub ims_org: ImsOrg,
    /// The Developer Console project's API key (client ID), the same as for ACS.
    pub api_key: ApiKey,
    /// The gateway, `https://platform.adobe.io` unless a proxy or the emulator stands in.
    pub base_url: BaseUrl,
}

impl PrivacyConfig {
    /// A configuration for Adobe's production gateway.
    pub fn new(ims_org: ImsOrg, api_key: ApiKey) -> Self {
        PrivacyConfig {
            ims_org,
            api_key,
            base_url: BaseUrl::adobe_host("platform.adobe.io"),
        }
    }

    /// The same configuration with another gateway.
    pub fn with_base_url(mut self, base_url: BaseUrl) -> Self {
        self.base_url = base_url;
        self
    }

    /// `{base_url}/data/core/privacy/jobs`.
    pub fn jobs_url(&self) -> String {
        format!("{}{JOBS_PATH}", self.base_url.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn the_default_gateway_is_the_documented_one() {
        let config = PrivacyConfig::new(
            ImsOrg::new("ABC@AdobeOrg").unwrap(),
            ApiKey::new("k").unwrap(),
        );
        assert_eq!(
            config.base_url,
            BaseUrl::new(DEFAULT_PRIVACY_BASE_URL).unwrap()
        );
    }

    #[test]
    fn ims_orgs_are_ids_at_adobe_org() {
        assert_eq!(
            ImsOrg::new(" ABC123@AdobeOrg ").unwrap().as_str(),
            "ABC123@AdobeOrg"
        );
        for bad in [
            "",
            "@AdobeOrg",
            "acme",
            "ABC@adobeorg",
            "AB C@AdobeOrg",
            "ABC@AdobeOrg\r\nX: y",
            &format!("{}@AdobeOrg", "A".repeat(65)),
        ] {
            let err = ImsOrg::new(bad).unwrap_err();
            assert_eq!(
                (err.kind(), err.field()),
                (ErrorKind::Config, Some("imsOrg")),
                "{bad:?}"
            );
        }
    }
}
