//! Privacy requests: `new` → `complete`/`errorDataNotFound`; delete erases profiles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acs_emulator::seed;
use common::Harness;
use reqwest::Method;
use serde_json::{Value, json};

fn tool(h: &Harness) -> String {
    format!(
        "{}/acme/campaign/privacy/privacyTool",
        h.emulator.base_url()
    )
}

fn request(name: &str, email: &str, kind: &str) -> Value {
    json!({"name": name, "namespaceName": "defaultNamespace1", "reconciliationValue": email,
           "regulation": "ccpa", "label": format!("CCPA {kind}"), "type": kind})
}

async fn poll(h: &Harness, href: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (status, body) = h.get(href).await;
        assert_eq!(status, 200);
        seen.push(body["status"].as_str().unwrap().to_owned());
    }
    seen
}

#[tokio::test]
async fn a_completed_delete_request_removes_every_matching_profile() {
    let h = Harness::seeded(20).await;
    let email = seed::email(8);
    let (status, created) = h
        .send(
            Method::POST,
            &tool(&h),
            Some(request("PR-1", &email, "delete")),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "new");
    assert_eq!(created["title"], "CCPA delete (PR-1)");
    assert_eq!(
        h.emulator.profile_count(),
        20,
        "nothing happens before processing"
    );
    let href = created["href"].as_str().unwrap().to_owned();
    assert_eq!(poll(&h, &href).await, ["new", "complete", "complete"]);
    assert_eq!(
        h.emulator.profile_count(),
        18,
        "both profiles sharing the email are gone"
    );
    let (_, found) = h
        .get(&h.acs(&format!(
            "/profile/byEmail?email={}",
            email.replace('@', "%40")
        )))
        .await;
    assert_eq!(found["content"], json!([]));
}

#[tokio::test]
async fn an_access_request_offers_its_data_file() {
    let h = Harness::seeded(5).await;
    let email = seed::email(2);
    let (_, created) = h
        .send(
            Method::POST,
            &tool(&h),
            Some(request("PR-2", &email, "access")),
        )
        .await;
    let href = created["href"].as_str().unwrap().to_owned();
    assert!(created.get("privacyRequestData").is_none());
    poll(&h, &href).await;
    let (_, done) = h.get(&href).await;
    assert_eq!(done["status"], "complete");
    let data_href = done["privacyRequestData"]["href"].as_str().unwrap();
    let (status, data) = h
        .send(Method::POST, data_href, Some(json!({"name": "PR-2"})))
        .await;
    assert_eq!(status, 200);
    let text = data.as_str().unwrap();
    assert!(
        text.starts_with("<privacyRequestData") && text.contains(&email),
        "{text}"
    );
    assert_eq!(h.emulator.profile_count(), 5, "access deletes nothing");
}

#[tokio::test]
async fn no_match_ends_in_error_data_not_found_and_bad_requests_are_refused() {
    let h = Harness::seeded(3).await;
    let (_, created) = h
        .send(
            Method::POST,
            &tool(&h),
            Some(request("PR-3", "nobody@example.com", "delete")),
        )
        .await;
    let href = created["href"].as_str().unwrap().to_owned();
    assert_eq!(
        poll(&h, &href).await,
        ["new", "errorDataNotFound", "errorDataNotFound"]
    );
    let (_, list) = h.get(&tool(&h)).await;
    assert_eq!(list["content"].as_array().unwrap().len(), 1);

    let (status, _) = h
        .send(
            Method::POST,
            &tool(&h),
            Some(request("PR-3", "x@example.com", "delete")),
        )
        .await;
    assert_eq!(status, 400, "names are unique");
    let mut no_regulation = request("PR-4", "x@example.com", "delete");
    no_regulation.as_object_mut().unwrap().remove("regulation");
    assert_eq!(
        h.send(Method::POST, &tool(&h), Some(no_regulation)).await.0,
        400
    );
    assert_eq!(
        h.send(
            Method::POST,
            &tool(&h),
            Some(request("PR-5", "x@example.com", "erase"))
        )
        .await
        .0,
        400
    );
    assert_eq!(h.get(&format!("{}/@nope", tool(&h))).await.0, 404);
    assert_eq!(h.counted("POST", "privacy", 201).await, 1);
}

#[tokio::test]
async fn the_prose_field_namespace_is_accepted_and_both_spellings_are_returned() {
    let h = Harness::seeded(3).await;
    let body = json!({"name": "PR-6", "namespace": "defaultNamespace1",
                      "reconciliationValue": seed::email(1), "regulation": "CCPA",
                      "label": "CCPA access", "type": "access"});
    let (status, created) = h.send(Method::POST, &tool(&h), Some(body)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["namespaceName"], "defaultNamespace1");
    assert_eq!(created["namespace"]["title"], "defaultNamespace1");
    assert!(
        created["namespace"]["PKey"]
            .as_str()
            .unwrap()
            .starts_with('@')
    );

    let mut neither = request("PR-7", "x@example.com", "access");
    neither.as_object_mut().unwrap().remove("namespaceName");
    let (status, refused) = h.send(Method::POST, &tool(&h), Some(neither)).await;
    assert_eq!(status, 400);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("namespaceName"),
        "{refused}"
    );
    let mut no_regulation = request("PR-8", "x@example.com", "access");
    no_regulation.as_object_mut().unwrap().remove("regulation");
    let (status, refused) = h.send(Method::POST, &tool(&h), Some(no_regulation)).await;
    assert_eq!(
        (status, refused["code"].clone()),
        (400, json!(400)),
        "ACS's backend shape"
    );
    assert!(refused["message"].as_str().unwrap().contains("regulation"));
}
