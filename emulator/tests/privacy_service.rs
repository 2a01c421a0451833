//! Privacy Service (`/data/core/privacy/jobs`): jobs, their life, the access archive, the checks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Cursor, Read};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use acs_emulator::{DEFAULT_IMS_ORG, seed};
use common::{Harness, answer};
use reqwest::Method;
use serde_json::{Value, json};

fn jobs(h: &Harness, rest: &str) -> String {
    h.url(&format!("/data/core/privacy/jobs{rest}"))
}

/// A Privacy Service call with every header a client sends.
async fn call(h: &Harness, method: Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = h
        .request(method, url)
        .header("x-gw-ims-org-id", DEFAULT_IMS_ORG);
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    answer(request.send().await.unwrap()).await
}

fn user(key: &str, actions: &[&str], namespace: &str, value: &str) -> Value {
    json!({"key": key, "action": actions,
           "userIDs": [{"namespace": namespace, "value": value, "type": "standard"}]})
}

fn create_body(users: Value) -> Value {
    json!({"companyContexts": [{"namespace": "imsOrgID", "value": DEFAULT_IMS_ORG}],
           "users": users, "include": ["campaign"], "regulation": "ccpa"})
}

/// Creates jobs; returns their ids in the answer's order.
async fn create(h: &Harness, users: Value) -> Vec<String> {
    let (status, created) = call(h, Method::POST, &jobs(h, ""), Some(create_body(users))).await;
    assert_eq!(status, 202, "{created}");
    assert_eq!(created["requestStatus"], 1);
    let listed = created["jobs"].as_array().unwrap();
    assert_eq!(created["totalRecords"], listed.len());
    listed
        .iter()
        .map(|j| j["jobId"].as_str().unwrap().to_owned())
        .collect()
}

async fn job(h: &Harness, id: &str) -> Value {
    let (status, job) = call(h, Method::GET, &jobs(h, &format!("/{id}")), None).await;
    assert_eq!(status, 200, "{job}");
    job
}

/// Reads a job until it ends; returns every status seen.
async fn poll(h: &Harness, id: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..5 {
        let status = job(h, id).await["status"].as_str().unwrap().to_owned();
        let ended = status == "complete" || status == "error";
        seen.push(status);
        if ended {
            break;
        }
    }
    seen
}

async fn pkey_of(h: &Harness, email: &str) -> String {
    let url = h.acs(&format!(
        "/profile/byEmail?email={}",
        email.replace('@', "%40")
    ));
    let (_, page) = h.get(&url).await;
    page["content"][0]["PKey"].as_str().unwrap().to_owned()
}

fn product(job: &Value) -> &Value {
    &job["productResponses"][0]
}

#[tokio::test]
async fn access_and_delete_jobs_pass_every_state_and_the_delete_erases_the_profile() {
    let h = Harness::seeded(20).await;
    let email = seed::email(2);
    let pkey = pkey_of(&h, &email).await;
    let (status, created) = call(
        &h,
        Method::POST,
        &jobs(&h, ""),
        Some(create_body(json!([
            user(
                "ticket-1",
                &["access", "delete"],
                "email",
                &email.to_uppercase()
            ),
            user("ticket-2", &["access"], "Email", "nobody@example.com"),
        ]))),
    )
    .await;
    assert_eq!(status, 202, "{created}");
    assert_eq!(created["totalRecords"], 3);
    let customers: Vec<&Value> = created["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| &j["customer"]["user"])
        .collect();
    assert_eq!(
        customers,
        [
            &json!({"key": "ticket-1", "action": ["access"]}),
            &json!({"key": "ticket-1", "action": ["delete"]}),
            &json!({"key": "ticket-2", "action": ["access"]})
        ]
    );
    let ids: Vec<&str> = created["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jobId"].as_str().unwrap())
        .collect();
    assert!(
        ids.iter()
            .all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
    );
    assert_eq!(
        h.emulator.profile_count(),
        20,
        "nothing happens before processing"
    );

    assert_eq!(
        poll(&h, ids[0]).await,
        ["submitted", "processing", "complete"]
    );
    let access = job(&h, ids[0]).await;
    assert_eq!(access["action"], "access");
    assert_eq!(access["userKey"], "ticket-1");
    assert_eq!(access["regulation"], "ccpa");
    assert_eq!(access["userIds"][0]["namespaceId"], 6);
    assert_eq!(product(&access)["product"], "Campaign");
    assert_eq!(
        product(&access)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-6000-200"
    );
    assert_eq!(
        access["downloadURL"],
        jobs(&h, &format!("/{}/content", ids[0]))
    );
    let date = access["createdDate"].as_str().unwrap();
    assert!(
        date.len() == 23 && date.ends_with(" GMT") && date.as_bytes()[2] == b'/',
        "{date}"
    );

    assert_eq!(h.get(&h.acs(&format!("/profile/{pkey}"))).await.0, 200);
    assert_eq!(
        poll(&h, ids[1]).await,
        ["submitted", "processing", "complete"]
    );
    let delete = job(&h, ids[1]).await;
    assert!(
        delete.get("downloadURL").is_none(),
        "only access jobs link content"
    );
    assert_eq!(
        product(&delete)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-6000-200"
    );
    assert_eq!(h.get(&h.acs(&format!("/profile/{pkey}"))).await.0, 404);
    assert_eq!(h.emulator.profile_count(), 19);

    assert_eq!(
        poll(&h, ids[2]).await,
        ["submitted", "processing", "complete"]
    );
    let unknown = job(&h, ids[2]).await;
    assert_eq!(
        product(&unknown)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-6052-200",
        "user IDs not found"
    );
    assert_eq!(
        call(
            &h,
            Method::GET,
            &jobs(&h, "/0123456789abcdef0123456789abcdef"),
            None
        )
        .await
        .0,
        404
    );
}

#[tokio::test]
async fn the_access_archive_holds_the_profiles_held_when_it_was_filed() {
    let h = Harness::seeded(20).await;
    let email = seed::email(8);
    let ids = create(
        &h,
        json!([user("t", &["access", "delete"], "email", &email)]),
    )
    .await;
    let content = jobs(&h, &format!("/{}/content", ids[0]));
    let (status, early) = call(&h, Method::GET, &content, None).await;
    assert_eq!(
        (status, early["status"].clone()),
        (409, json!(409)),
        "{early}"
    );
    assert!(early["title"].is_string() && early["detail"].is_string());

    // The delete filed beside it finishes first: the access data is what was held when asked.
    poll(&h, &ids[1]).await;
    poll(&h, &ids[0]).await;
    assert_eq!(
        h.emulator.profile_count(),
        18,
        "both records sharing the email"
    );
    let delete_content = jobs(&h, &format!("/{}/content", ids[1]));
    assert_eq!(call(&h, Method::GET, &delete_content, None).await.0, 400);

    let response = h
        .request(Method::GET, &content)
        .header("x-gw-ims-org-id", DEFAULT_IMS_ORG)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(archive.len(), 1);
    let mut text = String::new();
    archive
        .by_name("campaign/profiles.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let profiles: Value = serde_json::from_str(&text).unwrap();
    let emails: Vec<&Value> = profiles
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["email"])
        .collect();
    assert_eq!(
        emails,
        [&json!(email), &json!(email)],
        "still there after the delete"
    );
    assert!(profiles[0]["PKey"].as_str().unwrap().starts_with('@'));
}

#[tokio::test]
async fn phone_identities_match_by_digits_and_ecid_matches_nothing() {
    let h = Harness::seeded(0).await;
    h.create(json!({"email": "pat@example.com", "mobilePhone": "+1 (415) 555-0142"}))
        .await;
    let ids = create(
        &h,
        json!([
            user("by-phone", &["access"], "Phone", "+14155550142"),
            user("by-ecid", &["access"], "ECID", "12345678901234567890")
        ]),
    )
    .await;
    poll(&h, &ids[0]).await;
    poll(&h, &ids[1]).await;
    let phone = job(&h, &ids[0]).await;
    assert_eq!(phone["userIds"][0]["namespaceId"], 7);
    assert_eq!(
        product(&phone)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-6000-200"
    );
    let ecid = job(&h, &ids[1]).await;
    assert_eq!(ecid["userIds"][0]["namespaceId"], 4);
    assert_eq!(ecid["status"], "complete");
    assert_eq!(
        product(&ecid)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-6052-200"
    );
}

fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

async fn list(h: &Harness, query: &str) -> (u16, Value) {
    call(h, Method::GET, &jobs(h, &format!("?{query}")), None).await
}

#[tokio::test]
async fn jobs_are_listed_by_regulation_status_page_and_date() {
    let h = Harness::seeded(5).await;
    let ids = create(
        &h,
        json!([
            user("a", &["access"], "email", &seed::email(0)),
            user("b", &["access"], "email", &seed::email(1)),
            user("c", &["delete"], "email", &seed::email(2)),
        ]),
    )
    .await;
    let mut gdpr = create_body(json!([user("d", &["access"], "email", "x@example.com")]));
    gdpr["regulation"] = json!("gdpr");
    assert_eq!(
        call(&h, Method::POST, &jobs(&h, ""), Some(gdpr)).await.0,
        202
    );

    let (status, all) = list(&h, "regulation=ccpa&status=submitted").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["totalRecords"], 3);
    let listed: Vec<&Value> = all["jobDetails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| &j["jobId"])
        .collect();
    assert_eq!(
        listed,
        [&json!(ids[0]), &json!(ids[1]), &json!(ids[2])],
        "oldest first"
    );
    let first = &all["jobDetails"][0];
    for field in [
        "requestId",
        "userKey",
        "action",
        "status",
        "submittedBy",
        "createdDate",
        "lastModifiedDate",
        "regulation",
    ] {
        assert!(first[field].is_string(), "{field}: {first}");
    }
    // The list was their first read; the next one shows them processing.
    assert_eq!(
        list(&h, "regulation=ccpa&status=processing&size=2").await.1["totalRecords"],
        3
    );
    let (_, page) = list(&h, "regulation=ccpa&size=2&page=1").await;
    assert_eq!(
        (
            page["totalRecords"].clone(),
            page["jobDetails"][0]["jobId"].clone()
        ),
        (json!(3), json!(ids[2]))
    );
    assert_eq!(page["jobDetails"].as_array().unwrap().len(), 1);
    // Its second read; the delete job has not finished.
    let seen = (&page["jobDetails"][0]["status"], h.emulator.profile_count());
    assert_eq!(seen, (&json!("processing"), 5));
    assert_eq!(list(&h, "regulation=gdpr").await.1["totalRecords"], 1);
    assert_eq!(
        list(&h, "regulation=cpra_ca_usa").await.1["totalRecords"],
        0
    );

    let day = today();
    let (_, dated) = list(&h, &format!("regulation=ccpa&fromDate={day}&toDate={day}")).await;
    assert_eq!(dated["totalRecords"], 3);
    // Its third read: the listed delete job did its work.
    let seen = (
        &dated["jobDetails"][2]["status"],
        h.emulator.profile_count(),
    );
    assert_eq!(seen, (&json!("complete"), 4));
    let (_, one_day) = list(&h, &format!("regulation=ccpa&filterDate={day}")).await;
    assert_eq!(one_day["totalRecords"], 3);
    let (_, old) = list(&h, "regulation=ccpa&fromDate=2020-01-01&toDate=2020-01-31").await;
    assert_eq!(old["totalRecords"], 0);
    assert_eq!(old["jobDetails"], json!([]));

    let from_alone = format!("regulation=ccpa&fromDate={day}");
    let to_alone = format!("regulation=ccpa&toDate={day}");
    for bad in [
        "status=complete",
        "regulation=ccpa&size=1001",
        "regulation=ccpa&size=0",
        "regulation=ccpa&page=-1",
        "regulation=ccpa&status=done",
        "regulation=nope",
        from_alone.as_str(),
        to_alone.as_str(),
        "regulation=ccpa&fromDate=2020-02-01&toDate=2020-01-01",
        "regulation=ccpa&filterDate=2020-13-01",
    ] {
        let (status, problem) = list(&h, bad).await;
        assert_eq!(
            (status, problem["status"].clone()),
            (400, json!(400)),
            "{bad}: {problem}"
        );
        assert!(
            problem["type"].is_string() && problem["title"].is_string(),
            "{problem}"
        );
        assert!(problem["detail"].is_string(), "{problem}");
    }
}

#[tokio::test]
async fn privacy_calls_check_token_api_key_and_the_ims_org_header() {
    let h = Harness::seeded(0).await;
    let url = jobs(&h, "?regulation=ccpa");
    let bare = |token: &str, key: &str| {
        h.http
            .get(&url)
            .header("Authorization", format!("Bearer {token}"))
            .header("x-api-key", key)
    };
    let (status, body) = answer(bare(common::TOKEN, common::API_KEY).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error_code"].clone()),
        (400, json!("400003")),
        "{body}"
    );
    let wrong_org =
        bare(common::TOKEN, common::API_KEY).header("x-gw-ims-org-id", "OTHER0000@AdobeOrg");
    let (status, body) = answer(wrong_org.send().await.unwrap()).await;
    assert_eq!(
        (status, body),
        (
            403,
            json!({"error_code": "403025", "message": "Profile is not valid"})
        )
    );
    let bad_key = bare(common::TOKEN, "nope").header("x-gw-ims-org-id", DEFAULT_IMS_ORG);
    let (status, body) = answer(bad_key.send().await.unwrap()).await;
    assert_eq!((status, body["error_code"].clone()), (403, json!("403003")));
    let bad_token = bare("nope", common::API_KEY).header("x-gw-ims-org-id", DEFAULT_IMS_ORG);
    let (status, body) = answer(bad_token.send().await.unwrap()).await;
    assert_eq!((status, body["error_code"].clone()), (401, json!("401013")));

    let form = "grant_type=client_credentials&client_id=emulator-api-key&client_secret=emulator-client-secret";
    let issued = h
        .http
        .post(h.url("/ims/token/v3"))
        .body(form)
        .send()
        .await
        .unwrap();
    let token = answer(issued).await.1["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_issued = bare(&token, common::API_KEY).header("x-gw-ims-org-id", DEFAULT_IMS_ORG);
    let (status, body) = answer(with_issued.send().await.unwrap()).await;
    assert_eq!(
        (status, body["totalRecords"].clone()),
        (200, json!(0)),
        "{body}"
    );
}

#[tokio::test]
async fn bad_create_bodies_are_400_problems_naming_the_field() {
    let h = Harness::seeded(0).await;
    let one = || json!([user("k", &["access"], "email", "a@example.com")]);
    let many_users: Vec<Value> = (0..1001)
        .map(|i| user(&format!("k{i}"), &["access"], "email", "a@example.com"))
        .collect();
    let ten_ids: Vec<Value> = (0..10).map(|i| json!({"namespace": "email", "value": format!("a{i}@example.com"), "type": "standard"})).collect();
    let with = |field: &str, value: Value| {
        let mut body = create_body(one());
        body[field] = value;
        body
    };
    let mut no_regulation = create_body(one());
    no_regulation.as_object_mut().unwrap().remove("regulation");
    let cases = [
        (create_body(json!([])), "users"),
        (create_body(Value::from(many_users)), "users"),
        (
            create_body(json!([{"key": "k", "action": ["access"], "userIDs": ten_ids}])),
            "userIDs",
        ),
        (
            create_body(
                json!([{"key": "k", "action": ["access"], "userIDs": [{"namespace": "email", "value": "a@example.com", "type": "global"}]}]),
            ),
            "type",
        ),
        (
            create_body(
                json!([{"key": "", "action": ["access"], "userIDs": [{"namespace": "email", "value": "a@example.com"}]}]),
            ),
            "key",
        ),
        (
            create_body(
                json!([{"key": "k", "action": ["erase"], "userIDs": [{"namespace": "email", "value": "a@example.com"}]}]),
            ),
            "action",
        ),
        (with("include", json!([])), "include"),
        (with("include", json!(["analytics"])), "include"),
        (no_regulation, "regulation"),
        (with("regulation", json!("cpra_usa")), "regulation"),
        (
            with(
                "companyContexts",
                json!([{"namespace": "imsOrgID", "value": "OTHER0000@AdobeOrg"}]),
            ),
            "companyContexts",
        ),
        (with("companyContexts", json!([])), "companyContexts"),
    ];
    for (body, field) in cases {
        let (status, problem) = call(&h, Method::POST, &jobs(&h, ""), Some(body)).await;
        assert_eq!(
            (status, problem["status"].clone()),
            (400, json!(400)),
            "{field}: {problem}"
        );
        let title = problem["title"].as_str().unwrap();
        assert!(title.contains(field), "{field}: {problem}");
        assert!(!problem["detail"].as_str().unwrap().is_empty());
    }
    let (status, _) = h
        .request(Method::POST, &jobs(&h, ""))
        .header("x-gw-ims-org-id", DEFAULT_IMS_ORG)
        .body("{not json")
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 400);
    for spelling in ["imsOrgId", "imsOrg"] {
        let body = with(
            "companyContexts",
            json!([{"namespace": spelling, "value": DEFAULT_IMS_ORG}]),
        );
        assert_eq!(
            call(&h, Method::POST, &jobs(&h, ""), Some(body)).await.0,
            202,
            "{spelling}"
        );
    }
    assert_eq!(
        list(&h, "regulation=ccpa").await.1["totalRecords"],
        2,
        "only the good ones"
    );
}

#[tokio::test]
async fn a_time_schedule_moves_jobs_by_age_and_fail_keys_end_in_error() {
    let h = Harness::seeded(5).await;
    let schedule = r#"{"advance": "after", "processingAfterMs": 300, "completeAfterMs": 900, "failKeys": ["doomed"]}"#;
    let (status, shown) = h.admin(Method::PUT, "privacy", Some(schedule)).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(
        h.admin(Method::GET, "privacy", None).await.1,
        serde_json::from_str::<Value>(schedule).unwrap()
    );
    for bad in [
        r#"{"advance": "after"}"#,
        r#"{"advance": "weekly"}"#,
        r#"{"failKeys": "doomed"}"#,
        r#"{"completeAfterMs": 5}"#,
        "nope",
    ] {
        let (status, body) = h.admin(Method::PUT, "privacy", Some(bad)).await;
        assert_eq!(status, 400, "{bad}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid privacy schedule"),
            "{body}"
        );
    }

    let email = seed::email(3);
    let pkey = pkey_of(&h, &email).await;
    let started = Instant::now();
    let ids = create(
        &h,
        json!([
            user("fine", &["delete"], "email", &email),
            user("doomed", &["delete"], "email", &seed::email(4))
        ]),
    )
    .await;
    assert_eq!(job(&h, &ids[0]).await["status"], "submitted");
    assert_eq!(
        job(&h, &ids[0]).await["status"],
        "submitted",
        "reads do not move timed jobs"
    );
    tokio::time::sleep(Duration::from_millis(450).saturating_sub(started.elapsed())).await;
    assert_eq!(job(&h, &ids[1]).await["status"], "processing");
    tokio::time::sleep(Duration::from_millis(1000).saturating_sub(started.elapsed())).await;
    // No job read first: any request settles the jobs that are due.
    assert_eq!(h.get(&h.acs(&format!("/profile/{pkey}"))).await.0, 404);
    assert_eq!(job(&h, &ids[0]).await["status"], "complete");
    let doomed = job(&h, &ids[1]).await;
    assert_eq!(doomed["status"], "error");
    let response = &product(&doomed)["productStatusResponse"];
    assert_eq!(
        (
            response["status"].clone(),
            response["responseMsgCode"].clone()
        ),
        (json!("error"), json!("PRVCY-1024-400"))
    );
    assert_eq!(
        h.emulator.profile_count(),
        4,
        "a failed delete erases nothing"
    );
}

#[tokio::test]
async fn one_job_can_be_made_to_fail_and_reset_forgets_jobs() {
    let h = Harness::seeded(5).await;
    let ids = create(
        &h,
        json!([user("k", &["access"], "email", &seed::email(1))]),
    )
    .await;
    let (status, body) = h
        .admin(Method::POST, &format!("privacy/jobs/{}/fail", ids[0]), None)
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"jobId": ids[0], "fail": true}))
    );
    assert_eq!(
        poll(&h, &ids[0]).await,
        ["submitted", "processing", "error"]
    );
    let failed = job(&h, &ids[0]).await;
    assert!(failed.get("downloadURL").is_none());
    assert_eq!(
        product(&failed)["productStatusResponse"]["responseMsgCode"],
        "PRVCY-1024-400"
    );
    assert_eq!(
        call(
            &h,
            Method::GET,
            &jobs(&h, &format!("/{}/content", ids[0])),
            None
        )
        .await
        .0,
        409
    );
    assert_eq!(
        h.admin(Method::POST, &format!("privacy/jobs/{}/fail", ids[0]), None)
            .await
            .0,
        409
    );
    assert_eq!(
        h.admin(Method::POST, "privacy/jobs/nope/fail", None)
            .await
            .0,
        404
    );

    assert_eq!(h.admin(Method::POST, "reset", None).await.0, 200);
    assert_eq!(
        call(&h, Method::GET, &jobs(&h, &format!("/{}", ids[0])), None)
            .await
            .0,
        404
    );
    assert_eq!(list(&h, "regulation=ccpa").await.1["totalRecords"], 0);
}

#[tokio::test]
async fn injected_faults_hit_the_privacy_routes_too() {
    let h = Harness::seeded(1).await;
    let (status, _) = h
        .admin(Method::PUT, "faults", Some(r#"{"status": {"503": 1.0}}"#))
        .await;
    assert_eq!(status, 200);
    let body = create_body(json!([user("k", &["delete"], "email", &seed::email(0))]));
    let (status, refused) = call(&h, Method::POST, &jobs(&h, ""), Some(body)).await;
    assert_eq!((status, refused["code"].clone()), (503, json!(503)));
    assert_eq!(list(&h, "regulation=ccpa").await.0, 503);
    assert_eq!(h.counted("POST", "privacyJobs", 503).await, 1);
    assert_eq!(h.counted("GET", "privacyJobs", 503).await, 1);
    h.admin(Method::PUT, "faults", Some("{}")).await;
    assert_eq!(
        list(&h, "regulation=ccpa").await.1["totalRecords"],
        0,
        "an injected 503 creates nothing"
    );
}
