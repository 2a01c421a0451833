//! Following `next.href` safely: stop on the last page, stay on the origin, refuse loops.

use std::collections::HashSet;

use crate::config::ApiConfig;
use crate::profile::ProfilePage;
use crate::request::resolve_href;
use crate::{Error, Result};

/// The state of one listing: which page links were already followed.
///
/// ```
/// use ccpa_optout::{ApiConfig, ApiKey, Organization, Pagination, ProfilePage};
///
/// let api = ApiConfig::new(Organization::new("acme")?, ApiKey::new("key")?);
/// let mut pages = Pagination::default();
/// let page = ProfilePage { next: Some("profileAndServices/profile?_lineStart=@b".into()), ..Default::default() };
/// assert!(pages.next_href(&api, &page)?.is_some());
/// // The same cursor again would loop forever: refused.
/// assert!(pages.next_href(&api, &page).is_err());
/// assert_eq!(pages.next_href(&api, &ProfilePage::default())?, None);
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Pagination {
    followed: HashSet<String>,
}

impl Pagination {
    /// The absolute URL of the page after `page`, or `None` when `page` is the last one.
    ///
    /// A link to another origin is a `Validation` error (nothing is sent); a link already
    /// followed in this listing is a `Decode` error, since the server's cursor is looping.
    pub fn next_href(&mut self, api: &ApiConfig, page: &ProfilePage) -> Result<Option<String>> {
        let Some(href) = page.next.as_deref() else {
            return Ok(None);
        };
        let url = resolve_href(api, href)?.to_string();
        if !self.followed.insert(url.clone()) {
            return Err(Error::decode(
                "the server returned a next-page link that was already followed; stopping to avoid a loop",
                "",
            ));
        }
        Ok(Some(url))
    }

    /// How many page links have been followed.
    pub fn pages_followed(&self) -> usize {
        self.followed.len()
    }
}
