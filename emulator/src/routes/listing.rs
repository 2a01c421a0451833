//! Collections: which profiles match (all, `byEmail`, `byText`), one page of them, `next` and `count` links.

use serde_json::{Value, json};

use super::paging::{self, Order};
use super::query::Query;
use super::target::Filter;
use super::view::{self, Links};
use crate::acs_error::AcsError;
use crate::api::Api;
use crate::fields;
use crate::store::{Record, Store, TextField};

/// Which profiles a collection request matches.
enum Matches {
    /// Every profile.
    All,
    /// These sequence numbers, ascending.
    Some(Vec<u64>),
}

/// One page of a collection, or of one selected field (`select`).
pub struct PageRequest<'a> {
    /// The filter segment, if any.
    pub filter: Option<Filter>,
    /// The decoded query string.
    pub query: &'a Query,
    /// `Some(field)` for `…/profile/{field}`: `content` holds plain values.
    pub select: Option<&'static str>,
    /// Profiles in the table above which `next` needs `_forcePagination=true`.
    pub big_table_threshold: usize,
    /// The clock, for `age`.
    pub now_ms: i64,
}

/// The answer to a collection GET.
pub fn page(store: &Store, links: &Links, request: &PageRequest<'_>) -> Result<Value, AcsError> {
    let query = request.query;
    let line_count = paging::line_count(query)?;
    let order = paging::order(query, links.api)?;
    let start = paging::start(query, order.as_ref())?;
    let matches = matches(store, links.api, request.filter, query)?;
    let rows: Vec<&Record> = match &order {
        None => in_creation_order(
            store,
            &matches,
            start.as_ref().map_or(0, |c| c.1),
            line_count + 1,
        ),
        Some(order) => sorted(
            store,
            &matches,
            order,
            start,
            line_count + 1,
            request.now_ms,
        ),
    };
    let following = rows.get(line_count).copied();
    let content: Vec<Value> = rows
        .iter()
        .take(line_count)
        .map(|record| match request.select {
            Some(field) => view::shown_field_value(record, field, links, request.now_ms),
            None => view::profile(record, links, request.now_ms),
        })
        .collect();
    let mut base = links.collection();
    if let Some(filter) = request.filter {
        base.push_str(filter_segment(filter));
    }
    // `…/profile/{field}/_count` is no resource: a selection counts like the whole collection.
    let count_href = with_query(
        &format!("{base}/_count"),
        Query::encode(query.pairs_without(&[])),
    );
    if let Some(field) = request.select {
        base = format!("{}/{field}", links.collection());
    }
    let mut answer =
        json!({"content": content, "count": {"href": count_href}, "serverSidePagination": true});
    // ACS compares the *table's* size with XtkBigTableThreshold, not the number of matches:
    // on a big tenant even a byEmail search with three matches loses `next` without the flag.
    let paginate =
        store.len() <= request.big_table_threshold || query.get("_forcePagination") == Some("true");
    if let (Some(next), true) = (following, paginate) {
        let cursor = paging::cursor_for(next, order.as_ref(), request.now_ms);
        let line_count = line_count.to_string();
        let params = query.pairs_without(&["_lineCount", "_lineStart"]).chain([
            ("_lineCount", line_count.as_str()),
            ("_lineStart", cursor.as_str()),
        ]);
        answer["next"] = json!({"href": with_query(&base, Query::encode(params))});
    }
    Ok(answer)
}

/// The answer to `…/_count`: every match, whatever `_lineStart` says.
pub fn count(
    store: &Store,
    api: Api,
    filter: Option<Filter>,
    query: &Query,
) -> Result<Value, AcsError> {
    let count = match matches(store, api, filter, query)? {
        Matches::All => store.len(),
        Matches::Some(seqs) => seqs.len(),
    };
    Ok(json!({"count": count}))
}

fn filter_segment(filter: Filter) -> &'static str {
    match filter {
        Filter::ByEmail => "/byEmail",
        Filter::ByText => "/byText",
    }
}

fn with_query(path: &str, query: String) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn matches(
    store: &Store,
    api: Api,
    filter: Option<Filter>,
    query: &Query,
) -> Result<Matches, AcsError> {
    let required = |name: &str| {
        query
            .get(name)
            .ok_or_else(|| AcsError::bad_request(format!("The '{name}' parameter is missing")))
    };
    match filter {
        None => Ok(Matches::All),
        Some(Filter::ByEmail) => Ok(Matches::Some(
            store.exact(TextField::Email, required("email")?),
        )),
        Some(Filter::ByText) => {
            let text = required("text")?;
            let seqs = match query.get("filterType") {
                None | Some("") => {
                    let mut seqs = store.prefix(TextField::LastName, text);
                    seqs.extend(store.prefix(TextField::Email, text));
                    seqs.sort_unstable();
                    seqs.dedup();
                    seqs
                }
                Some("email") => store.prefix(TextField::Email, text),
                Some("firstName") => store.prefix(TextField::FirstName, text),
                Some("lastName") => store.prefix(TextField::LastName, text),
                Some(custom) if api == Api::Ext && fields::is_custom(custom) => store
                    .starting_at(0)
                    .filter(|r| {
                        r.fields
                            .get(custom)
                            .and_then(Value::as_str)
                            .is_some_and(|v| v.starts_with(text))
                    })
                    .map(|r| r.seq)
                    .collect(),
                Some(other) => {
                    return Err(AcsError::bad_request(format!(
                        "Invalid filterType '{other}': expected firstName, lastName, email or a custom field on profileAndServicesExt"
                    )));
                }
            };
            Ok(Matches::Some(seqs))
        }
    }
}

fn in_creation_order<'s>(
    store: &'s Store,
    matches: &Matches,
    from: u64,
    take: usize,
) -> Vec<&'s Record> {
    match matches {
        Matches::All => store.starting_at(from).take(take).collect(),
        Matches::Some(seqs) => {
            let first = seqs.partition_point(|s| *s < from);
            seqs[first..]
                .iter()
                .take(take)
                .filter_map(|s| store.by_seq(*s))
                .collect()
        }
    }
}

fn sorted<'s>(
    store: &'s Store,
    matches: &Matches,
    order: &Order,
    start: Option<(Value, u64)>,
    take: usize,
    now_ms: i64,
) -> Vec<&'s Record> {
    let compare = |a: &(Value, u64), b: &(Value, u64)| order.compare(a, b);
    let records: Box<dyn Iterator<Item = &Record>> = match matches {
        Matches::All => Box::new(store.starting_at(0)),
        Matches::Some(seqs) => Box::new(seqs.iter().filter_map(|s| store.by_seq(*s))),
    };
    let mut keyed: Vec<((Value, u64), &Record)> = records
        .map(|r| ((view::field_value(r, &order.field, now_ms), r.seq), r))
        .filter(|(key, _)| start.as_ref().is_none_or(|s| compare(key, s).is_ge()))
        .collect();
    if keyed.len() > take && take > 0 {
        keyed.select_nth_unstable_by(take - 1, |a, b| compare(&a.0, &b.0));
        keyed.truncate(take);
    }
    keyed.sort_unstable_by(|a, b| compare(&a.0, &b.0));
    keyed.into_iter().map(|(_, r)| r).collect()
}
