//! `ProfileListing`: a listing of profiles read one page at a time.

use std::sync::{Arc, Mutex, MutexGuard};

use ccpa_optout::{ListOptions, ListingCursor};

use crate::client::HostClient;
use crate::driving::Host;
use crate::error::Result;
use crate::profile::Profile;

/// Where a listing stands. Only one page is held at a time; a failed page can be asked for
/// again and the listing goes on from where it was.
#[derive(uniffi::Object)]
pub struct ProfileListing {
    client: Arc<HostClient>,
    host: Arc<Host>,
    cursor: Arc<Mutex<ListingCursor>>,
}

impl ProfileListing {
    pub(crate) fn new(client: Arc<HostClient>, host: Arc<Host>, options: ListOptions) -> Self {
        ProfileListing {
            client,
            host,
            cursor: Arc::new(Mutex::new(ListingCursor::all(options))),
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
        let client = Arc::clone(&self.client);
        let shared = Arc::clone(&self.cursor);
        let page = self.host.run(async move {
            // Work on a copy so that a failed page leaves the cursor where it was.
            let mut cursor = lock(&shared).clone();
            let page = cursor.next_page(&client).await?;
            *lock(&shared) = cursor;
            Ok(page)
        })?;
        let field = &self.client.config().api.opt_out_field;
        Ok(page.map(|profiles| Profile::list(&profiles, field)))
    }

    /// Whether the last page was read.
    pub fn is_done(&self) -> bool {
        lock(&self.cursor).is_done()
    }
}
