//! `ProfileListing`: a listing of profiles read one page at a time.

use std::sync::{Arc, Mutex, MutexGuard};

use ccpa_optout::{ListOptions, ListingCursor};

use crate::client::HostClient;
use crate::error::{Result, ffi};
use crate::profile::Profile;
use crate::transport::block_on;

/// Where a listing stands. Only one page is held at a time; a failed page can be asked for
/// again and the listing goes on from where it was.
#[derive(uniffi::Object)]
pub struct ProfileListing {
    client: Arc<HostClient>,
    cursor: Mutex<ListingCursor>,
}

impl ProfileListing {
    pub(crate) fn new(client: Arc<HostClient>, options: ListOptions) -> Self {
        ProfileListing {
            client,
            cursor: Mutex::new(ListingCursor::all(options)),
        }
    }
}

fn lock(cursor: &Mutex<ListingCursor>) -> MutexGuard<'_, ListingCursor> {
    cursor
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[uniffi::export]
impl ProfileListing {
    /// The next page, or none after the last one.
    pub fn next_page(&self) -> Result<Option<Vec<Profile>>> {
        // Work on a copy so that a failed page leaves the cursor where it was.
        let mut cursor = lock(&self.cursor).clone();
        let page = ffi(block_on(cursor.next_page(&self.client)))?;
        *lock(&self.cursor) = cursor;
        let field = &self.client.config().api.opt_out_field;
        Ok(page.map(|profiles| Profile::list(&profiles, field)))
    }

    /// Whether the last page was read.
    pub fn is_done(&self) -> bool {
        lock(&self.cursor).is_done()
    }
}
