//! `ProfileListing`: the async iterator behind `listProfiles`, over the core's [`SharedListing`].

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use ccpa_optout::{Client, Profile, SharedListing};
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::client::promise;
use crate::transport::FetchTransport;
use crate::values::{object, profile_to_js};

/// The iterator `listProfiles` returns: `next()` resolves to `{value, done}`; the package's
/// entry point makes it async-iterable, so `for await` works.
///
/// The next page is fetched only when the profiles already read are used up. Overlapping
/// `next()` calls each read their own page (the core serialises them), so no page and no
/// profile is handed out twice. After a failed `next()` the listing stays where it was, so
/// calling `next()` again retries that page.
#[wasm_bindgen]
pub struct ProfileListing {
    state: Rc<Listing>,
}

struct Listing {
    client: Rc<Client<FetchTransport>>,
    pages: SharedListing,
    // Never borrowed across an await: JavaScript runs one continuation at a time.
    buffered: RefCell<VecDeque<Profile>>,
    returned: Cell<bool>,
}

impl ProfileListing {
    pub(crate) fn new(client: Rc<Client<FetchTransport>>, pages: SharedListing) -> Self {
        let listing = Listing {
            client,
            pages,
            buffered: RefCell::new(VecDeque::new()),
            returned: Cell::new(false),
        };
        ProfileListing {
            state: Rc::new(listing),
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
            let field = &state.client.config().api.opt_out_field;
            loop {
                if state.returned.get() {
                    return Ok(step(JsValue::UNDEFINED, true));
                }
                let buffered = state.buffered.borrow_mut().pop_front();
                if let Some(profile) = buffered {
                    return Ok(step(profile_to_js(&profile, field)?, false));
                }
                match state.pages.next_page(&state.client).await? {
                    Some(page) => state.buffered.borrow_mut().extend(page),
                    // An overlapping call may have buffered the last page meanwhile.
                    None if state.buffered.borrow().is_empty() => {
                        return Ok(step(JsValue::UNDEFINED, true));
                    }
                    None => {}
                }
            }
        }))
    }

    /// Ends the listing early (what `break` in a `for await` loop calls).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> Promise {
        self.state.returned.set(true);
        self.state.buffered.borrow_mut().clear();
        Promise::resolve(&step(JsValue::UNDEFINED, true))
    }
}
