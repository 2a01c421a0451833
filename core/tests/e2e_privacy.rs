//! Requests to know and to delete over real HTTP against the emulator's Privacy Service.
#![cfg(feature = "reqwest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::time::Duration;

use acs_emulator::{Emulator, EmulatorConfig, FaultPlan, seed};
use ccpa_optout::privacy::{
    JobFilter, JobId, JobRequest, JobStatus, PrivacyAction, PrivacyJob, PrivacyUser, UserId,
};
use ccpa_optout::{Client, ClientSettings, Email, ErrorKind, ReqwestTransport, RetrySettings};

/// The emulator's IMS organization unless a test sets another.
const IMS_ORG: &str = "EMULATORORG0000000000000@AdobeOrg";

async fn emulator(seed: u64) -> Emulator {
    Emulator::start(
        EmulatorConfig::default()
            .with_seed(seed)
            .with_fault_seed(11),
    )
    .await
    .unwrap()
}

/// A client built the way every host builds one: from settings, the IMS organization included.
fn client(emulator: &Emulator, ims_org: &str) -> Client<ReqwestTransport> {
    let settings = ClientSettings {
        organization: Some("acme".into()),
        api_key: Some("emulator-api-key".into()),
        access_token: Some("emulator-token".into()),
        base_url: Some(emulator.base_url().to_owned()),
        ims_org: Some(ims_org.into()),
        privacy_base_url: Some(emulator.base_url().to_owned()),
        retry: Some(RetrySettings {
            max_attempts: Some(10),
            base_delay: Some(0.01),
            ..RetrySettings::default()
        }),
        ..ClientSettings::default()
    };
    Client::new(
        settings.client_config().unwrap(),
        ReqwestTransport::new().unwrap(),
    )
}

fn user(key: &str, email: &str, actions: &[PrivacyAction]) -> PrivacyUser {
    PrivacyUser {
        key: key.into(),
        actions: actions.to_vec(),
        ids: vec![UserId::email(&Email::new(email).unwrap())],
    }
}

async fn finished(client: &Client<ReqwestTransport>, id: &JobId) -> PrivacyJob {
    client
        .wait_for_privacy_job(id, Duration::from_millis(5), Duration::from_secs(10))
        .await
        .unwrap()
}

#[tokio::test]
async fn access_and_delete_run_to_completion_and_the_deleted_profile_is_gone() {
    let emulator = emulator(10).await;
    let client = client(&emulator, IMS_ORG);
    let known = seed::email(3);
    let both = [PrivacyAction::Access, PrivacyAction::Delete];
    let request = JobRequest::new(vec![
        user("known", &known, &both),
        user("unknown", "nobody@example.org", &both),
    ]);
    let created = client.submit_privacy_jobs(&request).await.unwrap();
    assert_eq!(created.len(), 4, "one job per user and action: {created:?}");

    // Every state is seen on the way: the emulator moves a job one step per read.
    let first = &created[0].job_id;
    let mut seen = vec![client.privacy_job(first).await.unwrap().status];
    while !seen.last().unwrap().is_final() {
        seen.push(client.privacy_job(first).await.unwrap().status);
    }
    assert_eq!(
        seen,
        [
            JobStatus::Submitted,
            JobStatus::Processing,
            JobStatus::Complete
        ]
    );

    let mut jobs = HashMap::new();
    for job in &created {
        let done = finished(&client, &job.job_id).await;
        assert_eq!(done.status, JobStatus::Complete, "{done:?}");
        assert_eq!(done.user_key, job.user_key);
        assert_eq!(done.action, job.action);
        jobs.insert((done.user_key.clone().unwrap(), done.action.unwrap()), done);
    }

    // The known consumer's data comes back as an archive with its profile in it.
    let access = &jobs[&("known".to_owned(), PrivacyAction::Access)];
    let url = access.download_url.as_deref().unwrap();
    assert!(url.starts_with(emulator.base_url()), "{url}");
    let archive = client.download_privacy_data(access).await.unwrap();
    assert_eq!(&archive[..4], b"PK\x03\x04", "a ZIP archive");
    let text = String::from_utf8_lossy(&archive);
    assert!(text.contains("campaign/"), "a folder per product");
    assert!(text.contains(&known), "the consumer's profile is in it");

    // An unknown consumer completes too, with the product saying nobody was found.
    let nobody = &jobs[&("unknown".to_owned(), PrivacyAction::Access)];
    let codes: Vec<_> = nobody
        .product_responses
        .iter()
        .filter_map(|p| p.code.as_deref())
        .collect();
    assert_eq!(codes, ["PRVCY-6052-200"], "{nobody:?}");

    // The delete removed the known profile: ACS no longer finds it by email.
    let gone = client
        .find_by_email(&Email::new(&known).unwrap())
        .await
        .unwrap();
    assert!(gone.is_empty(), "still there: {gone:?}");

    // A delete job has no archive, and asking for one is refused before anything is sent.
    let delete = &jobs[&("known".to_owned(), PrivacyAction::Delete)];
    assert!(delete.download_url.is_none());
    let err = client.download_privacy_data(delete).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("downloadURL"))
    );

    // The listing reads every page and sees the four jobs.
    let filter = JobFilter {
        page_size: 3,
        ..JobFilter::default()
    };
    let listed = client.list_privacy_jobs(&filter).await.unwrap();
    assert_eq!(listed.len(), 4, "{listed:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn lost_answers_never_make_a_job_twice() {
    let emulator = emulator(40).await;
    let client = client(&emulator, IMS_ORG);
    // The emulator processes a third of all requests and then drops the connection unanswered.
    emulator
        .set_faults(FaultPlan::from_json(br#"{"drop": 0.34}"#).unwrap())
        .unwrap();
    let mut submitted = 0;
    for round in 0..12 {
        let request = JobRequest::new(vec![user(
            &format!("k{round}"),
            &seed::email(round),
            &[PrivacyAction::Delete],
        )]);
        match client.submit_privacy_jobs(&request).await {
            Ok(created) => {
                assert_eq!(created.len(), 1, "round {round}: {created:?}");
                submitted += 1;
            }
            Err(err) => assert_eq!(err.kind(), ErrorKind::Transport, "round {round}: {err}"),
        }
    }
    emulator.set_faults(FaultPlan::default()).unwrap();
    let dropped_creates = emulator
        .stats()
        .requests
        .iter()
        .filter(|r| r.method == "POST" && r.route == "privacyJobs" && r.status == 0)
        .map(|r| r.count)
        .sum::<u64>();
    assert!(
        dropped_creates >= 2,
        "the lost-answer path ran {dropped_creates} times"
    );
    let filter = JobFilter {
        page_size: 1000,
        ..JobFilter::default()
    };
    let listed = client.list_privacy_jobs(&filter).await.unwrap();
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for job in &listed {
        *per_key.entry(job.user_key.clone().unwrap()).or_default() += 1;
    }
    assert!(
        per_key.values().all(|n| *n == 1),
        "a key with two jobs: {per_key:?}"
    );
    assert!(submitted >= 10, "only {submitted} of 12 came through");
    assert_eq!(
        per_key.len(),
        12,
        "every request made its job once: {per_key:?}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn refusals_are_typed_and_bad_input_sends_nothing() {
    let emulator = emulator(2).await;
    let wrong_org = client(&emulator, "SOMEONEELSE000000000000@AdobeOrg");
    let request = JobRequest::new(vec![user("a", &seed::email(0), &[PrivacyAction::Access])]);
    let err = wrong_org.submit_privacy_jobs(&request).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.error_code()),
        (ErrorKind::Auth, Some("403025")),
        "{err}"
    );

    let client = client(&emulator, IMS_ORG);
    let err = client
        .privacy_job(&JobId::new("no-such-job").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    let before = emulator
        .stats()
        .requests
        .iter()
        .map(|r| r.count)
        .sum::<u64>();
    let too_many: Vec<_> = (0..1001)
        .map(|i| user(&i.to_string(), "a@example.com", &[PrivacyAction::Delete]))
        .collect();
    let err = client
        .submit_privacy_jobs(&JobRequest::new(too_many))
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Validation, Some("users"))
    );
    let after = emulator
        .stats()
        .requests
        .iter()
        .map(|r| r.count)
        .sum::<u64>();
    assert_eq!(before, after, "nothing was sent");

    // A client without the IMS organization says which setting is missing.
    let mut settings = ClientSettings::from_lookup(|_| None);
    settings.organization = Some("acme".into());
    settings.api_key = Some("emulator-api-key".into());
    settings.access_token = Some("emulator-token".into());
    let plain = Client::new(
        settings.client_config().unwrap(),
        ReqwestTransport::new().unwrap(),
    );
    let err = plain.submit_privacy_jobs(&request).await.unwrap_err();
    assert_eq!(
        (err.kind(), err.field()),
        (ErrorKind::Config, Some("imsOrg"))
    );
    assert!(err.message().contains("CAMPAIGN_STANDARD_IMS_ORG"), "{err}");
    emulator.shutdown().await;
}
