//! `ProfileListing`: the async iterator behind `listProfiles`, one page fetched at a time.

use std::collections::VecDeque;
use std::rc::Rc;

use ccpa_optout::{Client, ListOptions, ListingCursor, Profile};
use futures_util::lock::Mutex;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::client::promise;
use crate::transport::FetchTransport;
use crate::values::{object, profile_to_js};

/// The iterator `listProfiles` returns: `next()` resolves to `{value, done}`; the package's
/// entry point makes it async-iterable, so `for await` works.
///
/// The next page is fetched only when the profiles of the current one are used up. After a
/// failed `next()` the listing stays where it was, so calling `next()` again retries that page.
#[wasm_bindgen]
pub struct ProfileListing {
    state: Rc<Mutex<Listing>>,
}

struct Listing {
    client: Rc<Client<FetchTransport>>,
    cursor: ListingCursor,
    buffered: VecDeque<Profile>,
    finished: bool,
}

impl ProfileListing {
    pub(crate) fn new(client: Rc<Client<FetchTransport>>, options: ListOptions) -> Self {
        let listing = Listing {
            client,
            cursor: ListingCursor::all(options),
            buffered: VecDeque::new(),
            finished: false,
        };
        ProfileListing {
            state: Rc::new(Mutex::new(listing)),
        }
    }
}

fn step(value: JsValue, done: bool) -> JsValue {
    object(&[("value", value), ("done", done.into())])
}

#[wasm_bindgen]
impl ProfileListing {
    /// The next profile as `{value, done: false}`, or `{value: undefined, done: true}`.
    pub fn next(&self) -> Promise {
        let state = Rc::clone(&self.state);
        promise(Box::pin(async move {
            // Calls that overlap wait their turn, so each profile is handed out exactly once.
            let mut listing = state.lock().await;
            loop {
                if let Some(profile) = listing.buffered.pop_front() {
                    let field = &listing.client.config().api.opt_out_field;
                    let value = profile_to_js(&profile, field)?;
                    return Ok(step(value, false));
                }
                if listing.finished {
                    return Ok(step(JsValue::UNDEFINED, true));
                }
                let Listing { client, cursor, .. } = &mut *listing;
                let page = cursor.next_page(client).await?;
                match page {
                    Some(profiles) => listing.buffered.extend(profiles),
                    None => listing.finished = true,
                }
            }
        }))
    }

    /// Ends the listing early (what `break` in a `for await` loop calls).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        let state = Rc::clone(&self.state);
        promise(Box::pin(async move {
            let mut listing = state.lock().await;
            listing.finished = true;
            listing.buffered.clear();
            Ok(step(JsValue::UNDEFINED, true))
        }))
    }
}
