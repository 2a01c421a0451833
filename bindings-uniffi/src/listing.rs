//! `ProfileListing`: the core's `SharedListing`, read one page at a time.

use std::sync::Arc;

use ccpa_optout::SharedListing;

use crate::client::HostClient;
use crate::error::{Result, ffi};
use crate::profile::Profile;
use crate::transport::block_on;

/// Where a listing stands. Only one page is held at a time; a failed page can be asked for
/// again and the listing goes on from where it was. Calls from several threads read one page
/// each, one after the other: never the same page twice.
#[derive(uniffi::Object)]
pub struct ProfileListing {
    client: Arc<HostClient>,
    listing: SharedListing,
}

impl ProfileListing {
    pub(crate) fn new(client: Arc<HostClient>, listing: SharedListing) -> Self {
        ProfileListing { client, listing }
    }
}

#[uniffi::export]
impl ProfileListing {
    /// The next page, or none after the last one.
    pub fn next_page(&self) -> Result<Option<Vec<Profile>>> {
        let page = ffi(block_on(self.listing.next_page(&self.client)))?;
        let field = &self.client.config().api.opt_out_field;
        Ok(page.map(|profiles| Profile::list(&profiles, field)))
    }

    /// Whether the last page was read (false while a page is being read).
    pub fn is_done(&self) -> bool {
        self.listing.is_done()
    }
}
