//! How profiles look on the wire: absolute `href`s from the request's Host, computed fields.

use http::HeaderMap;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use crate::api::Api;
use crate::clock;
use crate::fields;
use crate::store::Record;

/// The absolute URLs of one request's answers.
#[derive(Debug, Clone)]
pub struct Links {
    /// `{origin}/{org}/campaign/{api}`.
    pub api_root: String,
    /// The API the request used (decides which fields are visible).
    pub api: Api,
}

impl Links {
    /// Links for `api` of `org`, on the origin the client used (`Host`), else on `fallback`.
    pub fn new(headers: &HeaderMap, fallback: &str, org: &str, api: Api) -> Links {
        let root = campaign_root(headers, fallback, org);
        Links {
            api_root: format!("{root}/{}", api.name()),
            api,
        }
    }

    /// `…/profile`.
    pub fn collection(&self) -> String {
        format!("{}/profile", self.api_root)
    }

    /// `…/profile/{PKey}` (PKeys are URL-safe as made).
    pub fn profile(&self, pkey: &str) -> String {
        format!("{}/profile/{pkey}", self.api_root)
    }
}

/// `http://{host}/{org}/campaign`, with the `Host` the client used (else `fallback`).
pub fn campaign_root(headers: &HeaderMap, fallback: &str, org: &str) -> String {
    format!(
        "{}/{}/campaign",
        origin(headers, fallback),
        utf8_percent_encode(org, NON_ALPHANUMERIC)
    )
}

/// `http://{host}`, with the `Host` the client used (else `fallback`): the emulator's base URL.
pub fn origin(headers: &HeaderMap, fallback: &str) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"/\\?#@\"".contains(&b))
        })
        .unwrap_or(fallback);
    format!("http://{host}")
}

/// The full profile: stored fields visible on this API, plus `PKey`, `href` and computed fields.
pub fn profile(record: &Record, links: &Links, now_ms: i64) -> Value {
    let mut out = Map::with_capacity(record.fields.len() + 10);
    for (name, value) in &record.fields {
        if fields::visible_on(name, links.api) {
            out.insert(name.clone(), value.clone());
        }
    }
    let href = links.profile(&record.pkey);
    out.insert(
        "subscriptions".into(),
        json!({"href": format!("{href}/subscriptions/")}),
    );
    out.insert("PKey".into(), Value::from(record.pkey.as_str()));
    out.insert("href".into(), Value::from(href));
    out.insert(
        "created".into(),
        Value::from(clock::format_datetime(record.created)),
    );
    out.insert(
        "lastModified".into(),
        Value::from(clock::format_datetime(record.modified)),
    );
    let age =
        clock::parse_date(record.text("birthDate")).map_or(0, |birth| clock::age_on(birth, now_ms));
    out.insert("age".into(), Value::from(age));
    let (first, last, email) = (
        record.text("firstName"),
        record.text("lastName"),
        record.text("email"),
    );
    let name = [first, last]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let title = match (name.is_empty(), email.is_empty()) {
        (false, false) => format!("{name} ({email})"),
        (false, true) => name,
        _ => email.to_owned(),
    };
    out.insert("title".into(), Value::from(title));
    out.insert(
        "domain".into(),
        Value::from(email.rsplit_once('@').map_or("", |(_, d)| d)),
    );
    Value::Object(out)
}

/// The value `_order` sorts on and `/profile/{field}` selects: as rendered, with date-times as
/// milliseconds so they sort by time.
pub fn field_value(record: &Record, name: &str, now_ms: i64) -> Value {
    match name {
        "PKey" => Value::from(record.pkey.as_str()),
        "created" => Value::from(record.created),
        "lastModified" => Value::from(record.modified),
        "age" => Value::from(
            clock::parse_date(record.text("birthDate")).map_or(0, |b| clock::age_on(b, now_ms)),
        ),
        _ => record.fields.get(name).cloned().unwrap_or(Value::Null),
    }
}

/// [`field_value`] as shown to clients (date-times formatted).
pub fn shown_field_value(record: &Record, name: &str, links: &Links, now_ms: i64) -> Value {
    match name {
        "created" => Value::from(clock::format_datetime(record.created)),
        "lastModified" => Value::from(clock::format_datetime(record.modified)),
        "href" => Value::from(links.profile(&record.pkey)),
        _ => field_value(record, name, now_ms),
    }
}
