//! Lazy listings: one page at a time, following `next.href` until the last page.

use futures_core::Stream;

use super::Client;
use crate::Result;
use crate::email::Email;
use crate::pagination::Pagination;
use crate::profile::Profile;
use crate::request::{
    ListOptions, prepare_find_by_email, prepare_follow_href, prepare_list_profiles,
};
use crate::response::parse_profile_page;
use crate::transport::Transport;

/// Where a listing stands, independent of the client that reads it (so bindings that hold the
/// client behind a shared pointer can keep a cursor next to it).
#[derive(Debug, Clone)]
pub struct ListingCursor {
    next: Next,
    pagination: Pagination,
}

#[derive(Debug, Clone)]
enum Next {
    All(ListOptions),
    ByEmail(Email, ListOptions),
    Href(String),
    Done,
}

impl ListingCursor {
    /// A listing of every profile.
    pub fn all(options: ListOptions) -> Self {
        ListingCursor {
            next: Next::All(options),
            pagination: Pagination::default(),
        }
    }

    /// A listing of the profiles with exactly this email.
    pub fn by_email(email: Email, options: ListOptions) -> Self {
        ListingCursor {
            next: Next::ByEmail(email, options),
            pagination: Pagination::default(),
        }
    }

    /// Whether the last page was read.
    pub fn is_done(&self) -> bool {
        matches!(self.next, Next::Done)
    }

    /// Reads the next page through `client`; `None` once the last page was read.
    ///
    /// After an error the cursor stays where it was, so calling again retries the same page.
    pub async fn next_page<T: Transport>(
        &mut self,
        client: &Client<T>,
    ) -> Result<Option<Vec<Profile>>> {
        let api = &client.config().api;
        let sent = match &self.next {
            Next::Done => return Ok(None),
            Next::All(options) => {
                client
                    .send(&|token| prepare_list_profiles(api, token, options))
                    .await?
            }
            Next::ByEmail(email, options) => {
                client
                    .send(&|token| prepare_find_by_email(api, token, email, options))
                    .await?
            }
            Next::Href(href) => {
                client
                    .send(&|token| prepare_follow_href(api, token, href))
                    .await?
            }
        };
        let page = client.decoded(&sent, |r| parse_profile_page(r, &api.opt_out_field))?;
        self.next = match self.pagination.next_href(api, &page)? {
            Some(href) => Next::Href(href),
            None => Next::Done,
        };
        Ok(Some(page.content))
    }
}

/// A listing cursor that several callers may share (behind an `Arc`, as the bindings hold
/// it): `next_page` calls are served one after the other, so two calls made at the same time
/// read two different pages, never the same one twice.
///
/// ```
/// # async fn demo<T: ccpa_optout::Transport>(client: &ccpa_optout::Client<T>) -> ccpa_optout::Result<()> {
/// use ccpa_optout::{ListOptions, SharedListing};
///
/// let listing = SharedListing::all(ListOptions::default())?;
/// let (first, second) = futures_util::future::join(listing.next_page(client), listing.next_page(client)).await;
/// # let _ = (first?, second?);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct SharedListing {
    cursor: futures_util::lock::Mutex<ListingCursor>,
}

impl SharedListing {
    /// A listing of every profile; `options` are checked now, not at the first page.
    pub fn all(options: ListOptions) -> Result<Self> {
        options.validate()?;
        Ok(SharedListing::new(ListingCursor::all(options)))
    }

    /// A listing of the profiles with exactly this email.
    pub fn by_email(email: Email, options: ListOptions) -> Result<Self> {
        options.validate()?;
        Ok(SharedListing::new(ListingCursor::by_email(email, options)))
    }

    fn new(cursor: ListingCursor) -> Self {
        SharedListing {
            cursor: futures_util::lock::Mutex::new(cursor),
        }
    }

    /// The next page through `client`, or `None` after the last one. The cursor is held for
    /// the whole exchange: a second caller waits and then reads the page after it. After an
    /// error the cursor stays where it was, so calling again retries the same page.
    pub async fn next_page<T: Transport>(
        &self,
        client: &Client<T>,
    ) -> Result<Option<Vec<Profile>>> {
        self.cursor.lock().await.next_page(client).await
    }

    /// Whether the last page was read (`false` while a page is being read).
    pub fn is_done(&self) -> bool {
        self.cursor
            .try_lock()
            .is_some_and(|cursor| cursor.is_done())
    }
}

/// A listing bound to a client: `next_page().await` until `None`, or [`ProfileListing::profiles`]
/// for a stream of single profiles.
///
/// Nothing is fetched until the first page is asked for, and only one page is held at a time.
pub struct ProfileListing<'a, T> {
    client: &'a Client<T>,
    cursor: ListingCursor,
}

impl<'a, T: Transport> ProfileListing<'a, T> {
    pub(crate) fn new(client: &'a Client<T>, cursor: ListingCursor) -> Self {
        ProfileListing { client, cursor }
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Profile>>> {
        self.cursor.next_page(self.client).await
    }

    /// The listing as a stream of profiles; it ends after the last page or the first error.
    pub fn profiles(self) -> impl Stream<Item = Result<Profile>> + 'a {
        let pages = futures_util::stream::unfold(Some(self), |listing| async move {
            let mut listing = listing?;
            match listing.next_page().await {
                Ok(Some(page)) => Some((Ok(page), Some(listing))),
                Ok(None) => None,
                Err(err) => Some((Err(err), None)),
            }
        });
        futures_util::StreamExt::flat_map(pages, |page| {
            let items: Vec<Result<Profile>> = match page {
                Ok(profiles) => profiles.into_iter().map(Ok).collect(),
                Err(err) => vec![Err(err)],
            };
            futures_util::stream::iter(items)
        })
    }
}
