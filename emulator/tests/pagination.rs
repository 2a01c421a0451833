//! Listing: `_lineCount`, opaque `_lineStart` cursors, `_order`, `next.href`, `count.href`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use acs_emulator::EmulatorConfig;
use common::Harness;
use serde_json::{Value, json};

/// Follows `next.href` from `first`; returns every page.
async fn all_pages(h: &Harness, first: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut url = Some(first.to_owned());
    while let Some(current) = url {
        let (status, page) = h.get(&current).await;
        assert_eq!(status, 200, "{current}: {page}");
        url = page
            .get("next")
            .map(|next| next["href"].as_str().unwrap().to_owned());
        pages.push(page);
        assert!(pages.len() <= 1000, "pagination must end");
    }
    pages
}

fn field_of(pages: &[Value], field: &str) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| {
            p["content"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r[field].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_thousand_profiles_in_pages_of_25_each_exactly_once() {
    let h = Harness::seeded(1000).await;
    let pages = all_pages(&h, &h.acs("/profile?_lineCount=25")).await;
    assert_eq!(pages.len(), 40);
    assert!(
        pages
            .iter()
            .all(|p| p["content"].as_array().unwrap().len() == 25)
    );
    let pkeys = field_of(&pages, "PKey");
    assert_eq!(pkeys.len(), 1000);
    assert_eq!(pkeys.iter().collect::<HashSet<_>>().len(), 1000);
    assert!(pages[39].get("next").is_none(), "no next on the last page");

    let next = pages[0]["next"]["href"].as_str().unwrap();
    assert!(next.starts_with(&h.acs("/profile?")), "absolute: {next}");
    let cursor = next.split("_lineStart=").nth(1).unwrap();
    assert!(cursor.starts_with('@'), "{cursor}");
    assert!(
        cursor[1..].parse::<u64>().is_err(),
        "not an offset: {cursor}"
    );
}

#[tokio::test]
async fn default_page_size_is_25_and_count_href_counts_all() {
    let h = Harness::seeded(60).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    assert_eq!(page["content"].as_array().unwrap().len(), 25);
    let (status, count) = h.get(page["count"]["href"].as_str().unwrap()).await;
    assert_eq!((status, count), (200, json!({"count": 60})));
    assert_eq!(
        h.get(&h.acs("/profile/_count")).await.1,
        json!({"count": 60})
    );
}

#[tokio::test]
async fn order_ascending_and_descending_across_pages() {
    let h = Harness::seeded(300).await;
    let ascending = field_of(
        &all_pages(&h, &h.acs("/profile?_lineCount=25&_order=email")).await,
        "email",
    );
    let mut sorted = ascending.clone();
    sorted.sort();
    assert_eq!(ascending.len(), 300);
    assert_eq!(ascending, sorted);

    let descending = all_pages(&h, &h.acs("/profile?_lineCount=25&_order=email%20desc")).await;
    let emails = field_of(&descending, "email");
    sorted.reverse();
    assert_eq!(emails, sorted);
    assert_eq!(
        field_of(&descending, "PKey")
            .into_iter()
            .collect::<HashSet<_>>()
            .len(),
        300
    );
    let next = descending[0]["next"]["href"].as_str().unwrap();
    assert!(next.contains("_order=email%20desc"), "{next}");
}

#[tokio::test]
async fn order_by_last_modified_follows_time() {
    let h = Harness::seeded(80).await;
    let pages = all_pages(
        &h,
        &h.acs("/profile?_lineCount=7&_order=lastModified%20desc"),
    )
    .await;
    let stamps = field_of(&pages, "lastModified");
    assert_eq!(stamps.len(), 80);
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[tokio::test]
async fn by_email_paginates_with_its_parameters_kept() {
    let h = Harness::seeded(0).await;
    for i in 0..7 {
        h.create(json!({"email": "same+tag@example.com", "firstName": format!("N{i}")}))
            .await;
    }
    h.create(json!({"email": "other@example.com"})).await;
    let pages = all_pages(
        &h,
        &h.acs("/profile/byEmail?email=same%2Btag%40example.com&_lineCount=3"),
    )
    .await;
    assert_eq!(pages.len(), 3);
    assert_eq!(
        field_of(&pages, "firstName"),
        ["N0", "N1", "N2", "N3", "N4", "N5", "N6"]
    );
    let next = pages[0]["next"]["href"].as_str().unwrap();
    assert!(
        next.contains("/profile/byEmail?email=same%2Btag@example.com&_lineCount=3&_lineStart=@"),
        "{next}"
    );
}

#[tokio::test]
async fn a_profile_created_mid_listing_does_not_repeat_earlier_ones() {
    let h = Harness::seeded(30).await;
    let (_, first) = h.get(&h.acs("/profile?_lineCount=10")).await;
    h.create(json!({"email": "late@example.com"})).await;
    let rest = all_pages(&h, first["next"]["href"].as_str().unwrap()).await;
    let mut pkeys = field_of(std::slice::from_ref(&first), "PKey");
    pkeys.extend(field_of(&rest, "PKey"));
    assert_eq!(pkeys.len(), 31);
    assert_eq!(pkeys.iter().collect::<HashSet<_>>().len(), 31);
}

#[tokio::test]
async fn bad_paging_parameters_are_400() {
    let h = Harness::seeded(30).await;
    for query in [
        "_lineCount=0",
        "_lineCount=abc",
        "_lineStart=25",
        "_lineStart=@gibberish",
        "_order=nickname",
        "_order=email%20sideways",
    ] {
        let (status, body) = h.get(&h.acs(&format!("/profile?{query}"))).await;
        assert_eq!((status, body["code"].clone()), (400, json!(400)), "{query}");
    }
    let (_, page) = h.get(&h.acs("/profile?_lineCount=5&_order=email")).await;
    let cursor = page["next"]["href"]
        .as_str()
        .unwrap()
        .split("_lineStart=")
        .nth(1)
        .unwrap()
        .to_owned();
    let (status, _) = h
        .get(&h.acs(&format!("/profile?_lineStart={cursor}")))
        .await;
    assert_eq!(status, 400, "a cursor from another _order");
}

#[tokio::test]
async fn big_tables_need_force_pagination_for_next() {
    let h = Harness::start(
        EmulatorConfig::default()
            .with_seed(40)
            .with_big_table_threshold(30),
    )
    .await;
    let (_, page) = h.get(&h.acs("/profile?_lineCount=10")).await;
    assert!(page.get("next").is_none());
    let pages = all_pages(&h, &h.acs("/profile?_lineCount=10&_forcePagination=true")).await;
    assert_eq!(field_of(&pages, "PKey").len(), 40);
}

#[tokio::test]
async fn the_threshold_applies_to_the_table_not_to_the_matches() {
    // As in ACS: 12 matches on a 42-profile table above a threshold of 30 lose `next` unless
    // the request forces pagination, although 12 matches alone are far below the threshold.
    let h = Harness::start(
        EmulatorConfig::default()
            .with_seed(30)
            .with_big_table_threshold(30),
    )
    .await;
    for _ in 0..12 {
        h.create(json!({"email": "shared@example.com"})).await;
    }
    let by_email = "/profile/byEmail?email=shared%40example.com&_lineCount=5";
    let (_, page) = h.get(&h.acs(by_email)).await;
    assert_eq!(page["content"].as_array().unwrap().len(), 5);
    assert!(page.get("next").is_none(), "{page}");
    let pages = all_pages(&h, &h.acs(&format!("{by_email}&_forcePagination=true"))).await;
    assert_eq!(pages.len(), 3);
    assert_eq!(field_of(&pages, "PKey").len(), 12);

    let small = Harness::start(EmulatorConfig::default().with_big_table_threshold(30)).await;
    for _ in 0..12 {
        small.create(json!({"email": "shared@example.com"})).await;
    }
    let pages = all_pages(&small, &small.acs(by_email)).await;
    assert_eq!(
        field_of(&pages, "PKey").len(),
        12,
        "a small table pages without the flag"
    );
}
