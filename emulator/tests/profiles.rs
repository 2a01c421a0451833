//! The profile API over real sockets: shapes, hrefs, filters, metadata and ACS's error answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acs_emulator::{EmulatorConfig, NOT_FOUND_MESSAGE, seed};
use common::Harness;
use reqwest::Method;
use serde_json::{Value, json};

fn is_acs_datetime(value: &Value) -> bool {
    let s = value.as_str().unwrap_or("");
    let b = s.as_bytes();
    s.len() == 24 && b[10] == b' ' && b[19] == b'.' && s.ends_with('Z')
}

#[tokio::test]
async fn create_returns_201_with_the_full_profile_and_absolute_hrefs() {
    let h = Harness::seeded(0).await;
    let profile = h.create(json!({"email": "ana@example.com", "firstName": "Ana", "lastName": "Silva", "ccpaOptOut": true})).await;
    let pkey = profile["PKey"].as_str().unwrap();
    assert!(pkey.starts_with('@') && pkey.len() > 8);
    assert!(
        pkey[1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(profile["href"], h.acs(&format!("/profile/{pkey}")));
    assert_eq!(
        profile["subscriptions"]["href"],
        h.acs(&format!("/profile/{pkey}/subscriptions/"))
    );
    assert_eq!(profile["ccpaOptOut"], true);
    assert_eq!(profile["blackList"], false);
    assert_eq!(profile["blackListEmail"], false);
    assert!(
        is_acs_datetime(&profile["created"]),
        "{}",
        profile["created"]
    );
    assert!(is_acs_datetime(&profile["lastModified"]));
    assert_eq!(profile["title"], "Ana Silva (ana@example.com)");
}

#[tokio::test]
async fn get_accepts_raw_and_percent_encoded_pkeys_and_patch_answers_pkey_and_href() {
    let h = Harness::seeded(0).await;
    let created = h.create(json!({"email": "bo@example.com"})).await;
    let pkey = created["PKey"].as_str().unwrap();
    let (status, raw) = h.get(&h.acs(&format!("/profile/{pkey}"))).await;
    assert_eq!((status, &raw), (200, &created));
    let (status, encoded) = h.get(&h.acs(&format!("/profile/%40{}", &pkey[1..]))).await;
    assert_eq!((status, &encoded), (200, &created));

    let url = h.acs(&format!("/profile/%40{}", &pkey[1..]));
    let (status, body) = h
        .send(Method::PATCH, &url, Some(json!({"ccpaOptOut": true})))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"PKey": pkey, "href": created["href"]}));
    let (_, after) = h.get(&url).await;
    assert_eq!(after["ccpaOptOut"], true);
    assert_eq!(after["email"], "bo@example.com");
}

#[tokio::test]
async fn json_is_accepted_whatever_the_content_type() {
    let h = Harness::seeded(0).await;
    for content_type in [
        "text/plain;charset=UTF-8",
        "application/xml",
        "application/json",
    ] {
        let response = h
            .request(Method::POST, &h.acs("/profile/"))
            .header("Content-Type", content_type)
            .body(r#"{"email":"sdk@example.com","ccpaOptOut":true}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 201, "{content_type}");
    }
    let response = h
        .request(Method::POST, &h.acs("/profile"))
        .body(r#"{"email":"#)
        .send()
        .await
        .unwrap();
    let (status, body) = common::answer(response).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], 400);
}

#[tokio::test]
async fn patch_with_an_empty_object_changes_nothing_and_answers_200() {
    let h = Harness::seeded(1).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let before = page["content"][0].clone();
    let url = before["href"].as_str().unwrap().to_owned();
    let (status, body) = h.send(Method::PATCH, &url, Some(json!({}))).await;
    assert_eq!((status, &body["PKey"]), (200, &before["PKey"]));
    let (_, after) = h.get(&url).await;
    assert_eq!(after["lastModified"], before["lastModified"]);
}

#[tokio::test]
async fn delete_answers_200_then_the_profile_is_gone() {
    let h = Harness::seeded(0).await;
    let url = h.create(json!({"email": "gone@example.com"})).await["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = h.send(Method::DELETE, &url, None).await;
    assert_eq!((status, body), (200, Value::Null));
    let (status, body) = h.get(&url).await;
    assert_eq!(
        (status, body),
        (404, json!({"code": 404, "message": NOT_FOUND_MESSAGE}))
    );
    let (status, _) = h.send(Method::DELETE, &url, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_pkeys_and_resources_are_404_rst_360011() {
    let h = Harness::seeded(0).await;
    let expected = json!({"code": 404, "message": NOT_FOUND_MESSAGE});
    for path in [
        "/profile/@gibberish",
        "/service",
        "/profile/nickname",
        "/resourceType/service",
    ] {
        assert_eq!(h.get(&h.acs(path)).await, (404, expected.clone()), "{path}");
    }
    let (status, body) = h
        .send(
            Method::PATCH,
            &h.acs("/profile/@nope"),
            Some(json!({"ccpaOptOut": true})),
        )
        .await;
    assert_eq!((status, body), (404, expected));
}

#[tokio::test]
async fn the_plural_api_name_is_refused_naming_the_singular() {
    let h = Harness::seeded(1).await;
    let url = format!(
        "{}/acme/campaign/profilesAndServices/profile",
        h.emulator.base_url()
    );
    let (status, body) = h.get(&url).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 404);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("RST-360011") && message.contains("'profileAndServices'"),
        "{message}"
    );
}

#[tokio::test]
async fn read_only_and_unknown_fields_are_500_naming_the_property() {
    let h = Harness::seeded(1).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let url = page["content"][0]["href"].as_str().unwrap().to_owned();
    for field in ["age", "PKey", "created", "lastModified", "href"] {
        let (status, body) = h.send(Method::PATCH, &url, Some(json!({field: "x"}))).await;
        assert_eq!(status, 500, "{field}");
        assert_eq!(body["code"], 500);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains(&format!("'{field}'")),
            "{body}"
        );
    }
    let (status, body) = h
        .send(Method::PATCH, &url, Some(json!({"nickname": "x"})))
        .await;
    assert_eq!(
        (status, body["message"].as_str().unwrap()),
        (
            500,
            "'nickname' property is not valid for the 'profile' resource"
        )
    );
    let (status, _) = h
        .send(
            Method::POST,
            &h.acs("/profile"),
            Some(json!({"PKey": "@mine"})),
        )
        .await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn non_boolean_opt_out_is_400_naming_the_field() {
    let h = Harness::seeded(1).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let url = page["content"][0]["href"].as_str().unwrap().to_owned();
    for bad in [json!("true"), json!(1), json!(null), json!("yes")] {
        let (status, body) = h
            .send(Method::PATCH, &url, Some(json!({"ccpaOptOut": bad})))
            .await;
        assert_eq!(status, 400, "{bad}");
        assert!(body["message"].as_str().unwrap().contains("'ccpaOptOut'"));
    }
    let (status, _) = h
        .send(
            Method::PATCH,
            &url,
            Some(json!({"blackListEmail": "false"})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = h
        .send(
            Method::POST,
            &h.acs("/profile"),
            Some(json!({"ccpaOptOut": 0})),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn custom_fields_work_on_ext_only() {
    let h = Harness::seeded(0).await;
    let ext = format!(
        "{}/acme/campaign/profileAndServicesExt/profile",
        h.emulator.base_url()
    );
    let (status, created) = h
        .send(
            Method::POST,
            &ext,
            Some(json!({"email": "c@example.com", "cusOptOutCcpa": true})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["cusOptOutCcpa"], true);
    assert!(
        created["href"]
            .as_str()
            .unwrap()
            .contains("/profileAndServicesExt/profile/@")
    );
    let pkey = created["PKey"].as_str().unwrap();
    let (_, plain) = h.get(&h.acs(&format!("/profile/{pkey}"))).await;
    assert!(
        plain.get("cusOptOutCcpa").is_none(),
        "custom fields are invisible on profileAndServices"
    );
    let (status, _) = h
        .send(
            Method::PATCH,
            &h.acs(&format!("/profile/{pkey}")),
            Some(json!({"cusOptOutCcpa": false})),
        )
        .await;
    assert_eq!(status, 500);
    let (status, _) = h
        .send(
            Method::PATCH,
            &format!("{ext}/{pkey}"),
            Some(json!({"cusOptOutCcpa": false})),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn by_email_matches_exactly_and_finds_shared_emails() {
    let h = Harness::seeded(20).await;
    let shared = seed::email(8);
    assert_eq!(seed::duplicate_of(9), Some(8));
    let (status, page) = h
        .get(&h.acs(&format!(
            "/profile/byEmail?email={}",
            shared.replace('@', "%40")
        )))
        .await;
    assert_eq!(status, 200);
    let emails: Vec<&Value> = page["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["email"])
        .collect();
    assert_eq!(emails, vec![&json!(shared), &json!(shared)]);
    let upper = shared.to_uppercase();
    let (_, none) = h
        .get(&h.acs(&format!("/profile/byEmail?email={upper}")))
        .await;
    assert_eq!(none["content"], json!([]));
    let (_, count) = h.get(page["count"]["href"].as_str().unwrap()).await;
    assert_eq!(count, json!({"count": 2}));
    let (status, _) = h.get(&h.acs("/profile/byEmail")).await;
    assert_eq!(status, 400, "the email parameter is required");
}

#[tokio::test]
async fn by_text_is_a_case_sensitive_prefix_match() {
    let h = Harness::seeded(0).await;
    h.create(json!({"email": "sam@example.com", "firstName": "Sam", "lastName": "Smith"}))
        .await;
    h.create(json!({"email": "smi@example.com", "firstName": "Ann", "lastName": "Jones"}))
        .await;
    h.create(json!({"email": "x@example.com", "firstName": "Smitty", "lastName": "Lee"}))
        .await;
    let emails = |page: Value| -> Vec<String> {
        page["content"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["email"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, page) = h.get(&h.acs("/profile/byText?text=Smi")).await;
    assert_eq!(
        emails(page),
        ["sam@example.com"],
        "lastName or email, case-sensitive"
    );
    let (_, page) = h.get(&h.acs("/profile/byText?text=sm")).await;
    assert_eq!(emails(page), ["smi@example.com"]);
    let (_, page) = h
        .get(&h.acs("/profile/byText?text=Smi&filterType=firstName"))
        .await;
    assert_eq!(emails(page), ["x@example.com"]);
    let (status, _) = h
        .get(&h.acs("/profile/byText?text=S&filterType=nickname"))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn metadata_lists_fields_with_ccpa_opt_out_boolean() {
    let h = Harness::seeded(0).await;
    let (status, meta) = h.get(&h.acs("/resourceType/profile")).await;
    assert_eq!(status, 200);
    assert_eq!(meta["name"], "profile");
    assert_eq!(meta["schema"], "nms:recipient");
    assert_eq!(meta["content"]["ccpaOptOut"]["type"], "boolean");
    assert_eq!(meta["content"]["email"]["dataPolicy"], "email");
    assert_eq!(meta["content"]["age"]["readOnly"], true);
    assert!(meta["content"].get("orgUnit").is_none());
    let (status, filters) = h.get(meta["filters"]["href"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(filters["content"]["byEmail"].is_object());
    let ext = format!(
        "{}/acme/campaign/profileAndServicesExt/resourceType/profile",
        h.emulator.base_url()
    );
    assert!(h.get(&ext).await.1["content"]["orgUnit"].is_object());
}

#[tokio::test]
async fn a_selected_field_lists_plain_values() {
    let h = Harness::seeded(3).await;
    let (status, page) = h.get(&h.acs("/profile/email")).await;
    assert_eq!(status, 200);
    let expected: Vec<Value> = (0..3).map(|i| json!(seed::email(i))).collect();
    assert_eq!(page["content"], Value::Array(expected));
}

#[tokio::test]
async fn seeded_profiles_match_the_public_seed_function() {
    let h = Harness::start(EmulatorConfig::default().with_seed(12)).await;
    let (_, page) = h.get(&h.acs("/profile?_lineCount=12")).await;
    for (i, profile) in page["content"].as_array().unwrap().iter().enumerate() {
        let person = seed::profile(i as u64);
        assert_eq!(profile["email"], json!(person.email));
        assert_eq!(profile["firstName"], json!(person.first_name));
        assert_eq!(profile["ccpaOptOut"], json!(person.ccpa_opt_out));
        assert!(profile["phone"].as_str().unwrap().starts_with("+1 "));
        assert!(profile["birthDate"].as_str().unwrap().len() == 10);
    }
}

#[tokio::test]
async fn methods_a_resource_does_not_support_are_405_with_allow() {
    let h = Harness::seeded(0).await;
    let response = h
        .request(Method::PUT, &h.acs("/profile"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, POST");
    let (status, body) = common::answer(response).await;
    assert_eq!((status, body["code"].clone()), (405, json!(405)));
    let custom = Method::from_bytes(b"FROB").unwrap();
    assert_eq!(h.send(custom, &h.acs("/profile/@x"), None).await.0, 405);
}

#[tokio::test]
async fn subscriptions_link_answers_an_empty_collection() {
    let h = Harness::seeded(1).await;
    let (_, page) = h.get(&h.acs("/profile")).await;
    let href = page["content"][0]["subscriptions"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = h.get(&href).await;
    assert_eq!((status, body["content"].clone()), (200, json!([])));
}
