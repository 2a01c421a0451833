//! Fuzzes `parse_profile_page` and the `next.href` check: no body may panic, every profile
//! of a page round-trips, and a followed link never leaves the configured origin.
#![no_main]

use ccpa_optout::{
    ApiConfig, ApiKey, BaseUrl, ErrorKind, OptOutField, Organization, Pagination, Profile,
    parse_profile_page,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    // The base URL decides what "the same origin" is: a plain gateway or a proxy with a path.
    let base = match selector % 3 {
        0 => "https://mc.adobe.io",
        1 => "https://proxy.example.com/acs/",
        _ => "http://127.0.0.1:8080",
    };
    let base_url = BaseUrl::new(base).unwrap();
    let api = ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("key").unwrap(),
    )
    .with_base_url(base_url.clone());
    let field = OptOutField::default();
    let response = http::Response::builder()
        .status(200)
        .body(body.to_vec())
        .unwrap();

    let page = match parse_profile_page(&response, &field) {
        Ok(page) => page,
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
            return;
        }
    };
    for profile in &page.content {
        let json = profile.to_json(&field);
        let again = Profile::from_json(Value::Object(json.clone()), &field).unwrap();
        assert_eq!(&again, profile);
        assert_eq!(again.to_json(&field), json);
    }
    let mut pagination = Pagination::default();
    match pagination.next_href(&api, &page) {
        Ok(Some(url)) => {
            let url = url::Url::parse(&url).unwrap();
            assert!(base_url.same_origin(&url), "{url} left {base}");
            assert!(url.username().is_empty() && url.password().is_none());
            // The same link twice would loop: refused.
            assert!(pagination.next_href(&api, &page).is_err());
        }
        Ok(None) => assert!(page.next.is_none()),
        Err(err) => assert!(
            matches!(err.kind(), ErrorKind::Validation | ErrorKind::Decode),
            "{err}"
        ),
    }
});
