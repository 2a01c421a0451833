//! Fuzzes the Privacy Service parsers: no answer may panic them, a failure is a `Decode` error,
//! and a download link they accept never leaves the configured gateway.
#![no_main]

use ccpa_optout::privacy::{
    ImsOrg, PrivacyConfig, PrivacyJob, parse_created_privacy_jobs, parse_privacy_job,
    parse_privacy_job_page,
};
use ccpa_optout::{ApiKey, BaseUrl, ErrorKind};
use libfuzzer_sys::fuzz_target;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let base = match selector % 3 {
        0 => "https://platform.adobe.io",
        1 => "https://proxy.example.com/aep/",
        _ => "http://127.0.0.1:8080",
    };
    let base_url = BaseUrl::new(base).unwrap();
    let config = PrivacyConfig::new(
        ImsOrg::new("ABC123@AdobeOrg").unwrap(),
        ApiKey::new("key").unwrap(),
    )
    .with_base_url(base_url.clone());
    let response = http::Response::builder()
        .status(200)
        .body(body.to_vec())
        .unwrap();
    let on_gateway = |job: &PrivacyJob| {
        if let Some(url) = &job.download_url {
            let url = Url::parse(url).expect("an accepted link is an absolute URL");
            assert!(base_url.same_origin(&url), "{url} left {base}");
        }
        assert!(!job.job_id.as_str().contains('/'), "{:?}", job.job_id);
    };
    let decode_only = |kind: ErrorKind| assert_eq!(kind, ErrorKind::Decode);
    match (selector / 3) % 3 {
        0 => match parse_created_privacy_jobs(&response) {
            Ok(jobs) => jobs
                .iter()
                .for_each(|job| assert!(!job.job_id.as_str().contains('/'))),
            Err(err) => decode_only(err.kind()),
        },
        1 => match parse_privacy_job(&response, &config) {
            Ok(job) => on_gateway(&job),
            Err(err) => decode_only(err.kind()),
        },
        _ => match parse_privacy_job_page(&response, &config) {
            Ok(page) => page.jobs.iter().for_each(on_gateway),
            Err(err) => decode_only(err.kind()),
        },
    }
});
